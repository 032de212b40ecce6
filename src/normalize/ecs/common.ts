/**
 * Fields every EVE event may carry: the 5-tuple, network, observer, sensor
 * bookkeeping (flow_id, pcap_cnt ...), the syslog envelope and event.original.
 */
import type { JsonValue } from '../../eve/json.js';
import { asObject, flowIdKeyword, keyword, long, str } from '../values.js';
import { ipText } from './canonical.js';
import { type Ecs, jizo, keywords, mac, sub } from './build.js';
import { pruned, setKey } from './keep.js';
import { mapEther } from './ether.js';

/** IANA protocol numbers (network.iana_number) of the transports Suricata names. */
const TRANSPORTS = new Map<string, [string, string]>([
  ['TCP', ['tcp', '6']], ['UDP', ['udp', '17']], ['ICMP', ['icmp', '1']], ['IPV6-ICMP', ['ipv6-icmp', '58']],
  ['SCTP', ['sctp', '132']], ['GRE', ['gre', '47']], ['ESP', ['esp', '50']], ['IGMP', ['igmp', '2']],
  ['PIM', ['pim', '103']], ['IPV6', ['ipv6', '41']],
]);
// Suricata prints the number ("006") when it has no name for the protocol.
const BY_NUMBER = new Map<string, [string, string]>();
for (const v of TRANSPORTS.values()) BY_NUMBER.set(v[1], v);

function transport(network: Record<string, unknown>, proto: JsonValue | undefined): void {
  let name: string | undefined;
  if (typeof proto === 'string' && proto !== '') name = proto;
  else if (typeof proto === 'number' && Number.isInteger(proto)) name = String(proto);
  if (name === undefined) return;
  let t = TRANSPORTS.get(name) ?? TRANSPORTS.get(name.toUpperCase());
  if (t === undefined && /^\d{1,3}$/.test(name)) {
    const n = String(+name);
    t = BY_NUMBER.get(n);
    if (t === undefined) {
      network.iana_number = n;
      return;
    }
  }
  if (t !== undefined) {
    network.transport = t[0];
    network.iana_number = t[1];
  } else network.transport = name.toLowerCase();
}

const PROTOCOLS = new Map<string, string | null>([
  // "failed": detection ran and found no protocol; "template*": the example parser.
  ['failed', null], ['template', null], ['template-rust', null], ['unknown', null],
  ['ftp-data', 'ftp'], ['ftp_data', 'ftp'],
]);

/** network.protocol from app_proto (ECS: lowercase application protocol name). */
export function appProtocol(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const mapped = PROTOCOLS.get(v);
  if (mapped !== undefined) return mapped ?? undefined;
  return v.toLowerCase();
}

/** source/destination, network, observer and the sensor fields of the event. */
export function mapCommon(s: Ecs, defaultProtocol: string | undefined): void {
  const e = s.e;
  const doc = s.doc;

  const srcIp = ipText(e.src_ip);
  const dstIp = ipText(e.dest_ip);
  // A value that is not an address is kept (jizo.unmapped), not put in an `ip` field.
  if (srcIp === undefined && e.src_ip !== undefined) {
    s.ctx.warnings.push('src_ip is not an IP address');
    unmapped(s, 'src_ip', e.src_ip);
  }
  if (dstIp === undefined && e.dest_ip !== undefined) {
    s.ctx.warnings.push('dest_ip is not an IP address');
    unmapped(s, 'dest_ip', e.dest_ip);
  }
  const ether = asObject(e.ether);
  endpoint(s, 'source', srcIp, e.src_port, ether?.src_mac);
  endpoint(s, 'destination', dstIp, e.dest_port, ether?.dest_mac);
  if (ether !== undefined) mapEther(s, ether);

  const network: Record<string, unknown> = {};
  (doc as Record<string, unknown>).network = network;
  transport(network, e.proto);
  const ap = e.app_proto;
  const protocol = appProtocol(ap) ?? defaultProtocol;
  if (protocol !== undefined) network.protocol = protocol;
  const cid = str(e.community_id);
  if (cid !== undefined) network.community_id = cid;
  const ipv = e.ip_v;
  if (ipv === 4 || ipv === 6) network.type = ipv === 4 ? 'ipv4' : 'ipv6';
  else if (srcIp !== undefined) network.type = srcIp.includes(':') ? 'ipv6' : 'ipv4';
  vlan(s, network, e.vlan);

  const o = s.ctx.options.observer;
  const observer: Record<string, unknown> = { vendor: o?.vendor ?? 'Sesame IT', product: o?.product ?? 'Jizo', type: 'ids' };
  // suricata_version (Suricata 8, eve-log `suricata-version: yes`): the
  // version of the sensor that observed the traffic, so ECS observer.version
  // ("Observer version"); agent.* is the shipper that collected the line.
  const sv = keyword(e.suricata_version);
  if (sv !== undefined) observer.version = sv;
  else if (e.suricata_version !== undefined) unmapped(s, 'suricata_version', e.suricata_version);
  const host = str(e.host);
  if (host !== undefined) observer.hostname = host;
  else if (e.host !== undefined) unmapped(s, 'host', e.host);
  const iface = keyword(e.in_iface);
  if (iface !== undefined) observer.ingress = { interface: { name: iface } };
  doc.observer = observer;

  const flowId = flowIdKeyword(e.flow_id, s.ctx.decoded.payload);
  if (flowId !== undefined) jizo(s, 'flow').id = flowId;
  // app_proto itself only when network.protocol does not say it already (failed, ftp-data ...).
  if (typeof ap === 'string' && ap !== '' && ap !== protocol) jizo(s, 'app_proto').name = ap;
}

function endpoint(s: Ecs, side: 'source' | 'destination', addr: string | undefined, port: JsonValue | undefined, m: JsonValue | undefined): void {
  const p = long(port);
  if (p === undefined && port !== undefined) unmapped(s, side === 'source' ? 'src_port' : 'dest_port', port);
  const mm = m === undefined ? undefined : mac(m);
  if (addr === undefined && p === undefined && mm === undefined) return;
  const o: Record<string, unknown> = {};
  if (addr !== undefined) {
    o.address = addr;
    o.ip = addr;
    s.ips.push(addr);
  }
  if (p !== undefined) o.port = p;
  if (mm !== undefined) o.mac = mm;
  (s.doc as Record<string, unknown>)[side] = o;
}


/** EVE `vlan`: a number (older Suricata) or the list of tags, outermost first. */
function vlan(s: Ecs, network: Record<string, unknown>, v: JsonValue | undefined): void {
  if (v === undefined) return;
  const ids = keywords(v);
  if (ids === undefined) return;
  network.vlan = { id: ids[0] };
  if (ids.length > 1) network.inner = { vlan: { id: ids[1] } };
  // A third tag (QinQinQ) has no ECS place.
  if (ids.length > 2) jizo(s, 'vlan').ids = ids;
}

type Handler = (s: Ecs, v: JsonValue, key: string) => void;

function scalar(name: string, read: (v: JsonValue) => unknown): Handler {
  return (s, v, key) => {
    const x = read(v);
    if (x !== undefined) ((s.doc.jizo ??= {}) as Record<string, unknown>)[name] = x;
    else unmapped(s, key, v);
  };
}

function icmp(name: string): Handler {
  return (s, v, key) => {
    const x = long(v);
    if (x !== undefined) jizo(s, 'icmp')[name] = x;
    else unmapped(s, key, v);
  };
}

function appProto(name: string): Handler {
  return (s, v, key) => {
    const x = str(v);
    if (x !== undefined) jizo(s, 'app_proto')[name] = x;
    else unmapped(s, key, v);
  };
}

/** Top-level keys {@link mapCommon} reads: nothing is left to do for them when the event's keys are walked. */
export const READ_BY_MAP_COMMON: readonly string[] = [
  'timestamp', 'event_type', 'flow_id', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'proto', 'ip_v', 'in_iface', 'vlan',
  'host', 'community_id', 'app_proto', 'ether', 'suricata_version',
];

/**
 * True for a key of READ_BY_MAP_COMMON. A switch on the key (the keys of a
 * parsed object are internalized strings: each case is a pointer comparison)
 * costs a third of a Map lookup, and these keys are most of every event's keys.
 */
export function readByMapCommon(k: string): boolean {
  switch (k) {
    case 'timestamp':
    case 'event_type':
    case 'flow_id':
    case 'src_ip':
    case 'src_port':
    case 'dest_ip':
    case 'dest_port':
    case 'proto':
    case 'ip_v':
    case 'in_iface':
    case 'vlan':
    case 'host':
    case 'community_id':
    case 'app_proto':
    case 'ether':
    case 'suricata_version':
      return true;
    default:
      return false;
  }
}

const bool = (v: JsonValue): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const NOOP: Handler = () => {};

/**
 * Handlers of the top-level EVE keys that are not protocol objects: the ones
 * {@link mapCommon} reads (no-op here) and the sensor bookkeeping fields, kept
 * under `jizo.*` (no ECS equivalent). Dispatched only for keys present.
 */
export const COMMON_HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...READ_BY_MAP_COMMON.map((k): [string, Handler] => [k, NOOP]),
  ['parent_id', scalar('parent_id', keyword)],
  ['tx_id', scalar('tx_id', long)],
  ['tx_guessed', scalar('tx_guessed', bool)],
  ['direction', scalar('direction', str)],
  ['pkt_src', scalar('pkt_src', str)],
  ['pcap_cnt', scalar('pcap_cnt', long)],
  ['pcap_filename', scalar('pcap_filename', str)],
  ['capture_file', scalar('capture_file', str)],
  ['stream', scalar('stream', long)],
  ['log_level', scalar('log_level', str)],
  ['payload', scalar('payload', str)],
  ['payload_printable', scalar('payload_printable', str)],
  // Suricata 8 (etc/schema.json).
  ['payload_length', scalar('payload_length', long)],
  ['spi', scalar('spi', long)],
  ['sub_state', scalar('sub_state', str)],
  ['ts_progress', scalar('ts_progress', str)],
  ['tc_progress', scalar('tc_progress', str)],
  ['packet', scalar('packet', str)],
  ['app_proto_ts', appProto('ts')],
  ['app_proto_tc', appProto('tc')],
  ['app_proto_orig', appProto('orig')],
  ['app_proto_expected', appProto('expected')],
  ['icmp_type', icmp('type')],
  ['icmp_code', icmp('code')],
  ['response_icmp_type', icmp('response_type')],
  ['response_icmp_code', icmp('response_code')],
]);

/** Keeps a top-level value no mapper knows under `jizo.unmapped.<key>`. */
export function unmapped(s: Ecs, key: string, v: JsonValue): void {
  const x = pruned(v);
  if (x !== undefined) setKey(jizo(s, 'unmapped'), key, x);
}

const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp',
  'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

/** log.syslog.* from the syslog header the line came in (ECS log.syslog, RFC 5424 §6.2). */
export function mapSyslog(s: Ecs): void {
  const h = s.ctx.decoded.syslog;
  if (h === undefined) return;
  const syslog: Record<string, unknown> = {};
  if (h.priority !== undefined) syslog.priority = h.priority;
  if (h.facility !== undefined) syslog.facility = { code: h.facility, name: FACILITIES[h.facility] };
  if (h.severity !== undefined) syslog.severity = { code: h.severity, name: SEVERITIES[h.severity] };
  if (h.version !== undefined) syslog.version = String(h.version);
  if (h.hostname !== undefined) syslog.hostname = h.hostname;
  if (h.appname !== undefined) syslog.appname = h.appname;
  if (h.procid !== undefined) syslog.procid = h.procid;
  if (h.msgid !== undefined) syslog.msgid = h.msgid;
  if (h.structuredData !== undefined) {
    // SD-IDs and parameter names are input: copied key by key, prototype-safe.
    const sd: Record<string, unknown> = {};
    for (const id of Object.keys(h.structuredData)) {
      const params = h.structuredData[id]!;
      const p: Record<string, unknown> = {};
      for (const k of Object.keys(params)) setKey(p, k, params[k]);
      setKey(sd, id, p);
    }
    syslog.structured_data = sd;
  }
  sub(s.doc as Record<string, unknown>, 'log').syslog = syslog;
  // The header time is when the relay wrote the line; ECS has no syslog timestamp field.
  if (h.timestamp !== undefined) jizo(s, 'syslog').timestamp = h.timestamp;
}

