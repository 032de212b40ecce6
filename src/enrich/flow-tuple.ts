/**
 * The Community ID inputs of an EVE event: src_ip, dest_ip, proto (a name
 * such as "TCP" or "IPv6-ICMP", or a number, "006" when Suricata has no
 * name), src_port/dest_port, and icmp_type/icmp_code for ICMP and ICMPv6
 * (Suricata computes the Community ID of ICMP flows from them).
 */
import type { JsonObject, JsonValue } from '../eve/json.js';
import type { FlowTuple } from './community-id.js';

const PROTOCOLS = new Map([
  ['TCP', 6], ['UDP', 17], ['SCTP', 132], ['ICMP', 1], ['IPV6-ICMP', 58], ['ICMPV6', 58], ['GRE', 47], ['ESP', 50], ['AH', 51],
  ['IGMP', 2], ['PIM', 103], ['IPV6', 41], ['IPIP', 4], ['VRRP', 112],
]);

function protocolNumber(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^\d{1,3}$/.test(v)) return Number(v);
  return PROTOCOLS.get(v.toUpperCase());
}

const int = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** The flow tuple of an event, or undefined when it has no addresses or no known protocol. */
export function eventFlowTuple(e: JsonObject): FlowTuple | undefined {
  const srcIp = e.src_ip;
  const dstIp = e.dest_ip;
  const proto = protocolNumber(e.proto);
  if (typeof srcIp !== 'string' || typeof dstIp !== 'string' || proto === undefined) return undefined;
  const icmp = proto === 1 || proto === 58;
  return {
    srcIp,
    dstIp,
    proto,
    srcPort: int(icmp ? e.icmp_type : e.src_port),
    dstPort: int(icmp ? e.icmp_code : e.dest_port),
  };
}
