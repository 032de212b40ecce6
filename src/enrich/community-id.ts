/**
 * Community ID flow hash, version 1 (https://github.com/corelight/community-id-spec):
 * `1:` + base64(SHA-1(seed(2) . addr . addr . proto(1) . 0(1) . port(2) . port(2))),
 * the endpoints ordered so that both directions of a flow hash the same.
 * ICMP and ICMPv6 put the type in the source port and, for the message
 * types that have a counterpart (echo request/reply ...), the counterpart
 * type in the destination port; other messages are one-way (type, code) and
 * never swapped. Protocols without ports (GRE, ESP ...) hash the addresses
 * and the protocol only.
 */
import * as crypto from 'node:crypto';
import ipaddr from 'ipaddr.js';

/** ICMP (RFC 792, 950) type -> counterpart type: echo, timestamp, information, router, address mask. */
const ICMP4 = new Map([[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [10, 9], [9, 10], [17, 18], [18, 17]]);
/**
 * ICMPv6 type -> counterpart: echo (128/129), router (133/134), neighbor
 * (135/136), MLD query/report (130/131), node information (139/140), home
 * agent address discovery (144/145).
 */
const ICMP6 = new Map([
  [128, 129], [129, 128], [133, 134], [134, 133], [135, 136], [136, 135], [130, 131], [131, 130], [139, 140], [140, 139], [144, 145], [145, 144],
]);

const PORTED = new Set([6, 17, 132, 1, 58]);

/** The inputs of a Community ID: addresses as text, IANA protocol number, ports (ICMP: type and code). */
export interface FlowTuple {
  srcIp: string;
  dstIp: string;
  proto: number;
  srcPort?: number;
  dstPort?: number;
}

/**
 * The Community ID of a flow (seed 0 unless given, base64), or undefined when
 * an address is not an IP, the two are of different families, or a protocol
 * that has ports lacks one.
 */
export function communityId(t: FlowTuple, seed = 0): string | undefined {
  const a = addressBytes(t.srcIp);
  const b = addressBytes(t.dstIp);
  if (a === undefined || b === undefined || a.length !== b.length) return undefined;
  if (!Number.isInteger(t.proto) || t.proto < 0 || t.proto > 255) return undefined;
  const ported = PORTED.has(t.proto);
  let sp = 0;
  let dp = 0;
  let oneWay = false;
  if (ported) {
    if (!isPort(t.srcPort) || !isPort(t.dstPort)) return undefined;
    sp = t.srcPort;
    dp = t.dstPort;
    if (t.proto === 1 || t.proto === 58) {
      const counterpart = (t.proto === 1 ? ICMP4 : ICMP6).get(sp);
      if (counterpart === undefined) oneWay = true;
      else dp = counterpart;
    }
  }
  const order = compare(a, b);
  const swap = !oneWay && (order > 0 || (order === 0 && sp > dp));
  const n = a.length;
  const buf = Buffer.allocUnsafe(2 + 2 * n + 2 + (ported ? 4 : 0));
  buf.writeUInt16BE(seed & 0xffff, 0);
  buf.set(swap ? b : a, 2);
  buf.set(swap ? a : b, 2 + n);
  buf[2 + 2 * n] = t.proto;
  buf[3 + 2 * n] = 0;
  if (ported) {
    buf.writeUInt16BE(swap ? dp : sp, 4 + 2 * n);
    buf.writeUInt16BE(swap ? sp : dp, 6 + 2 * n);
  }
  return '1:' + sha1Base64(buf);
}

// crypto.hash (Node.js 20.12+) hashes in one call, without a Hash object per event.
const oneShot = (crypto as { hash?: (alg: string, data: Buffer, enc: 'base64') => string }).hash;
const sha1Base64 = oneShot !== undefined ? (b: Buffer) => oneShot('sha1', b, 'base64') : (b: Buffer) => crypto.createHash('sha1').update(b).digest('base64');

function isPort(p: number | undefined): p is number {
  return p !== undefined && Number.isInteger(p) && p >= 0 && p <= 0xffff;
}

/**
 * Address bytes by text: a sensor sees the same hosts again and again, and
 * parsing costs more than the hash. A plain map, cleared when full.
 */
const bytesMemo = new Map<string, Uint8Array | null>();
const MEMO_MAX = 10_000;

function addressBytes(ip: string): Uint8Array | undefined {
  let b = bytesMemo.get(ip);
  if (b === undefined) {
    b = ipaddr.isValid(ip) ? Uint8Array.from(ipaddr.parse(ip).toByteArray()) : null;
    if (bytesMemo.size >= MEMO_MAX) bytesMemo.clear();
    if (ip.length <= 64) bytesMemo.set(ip, b);
  }
  return b ?? undefined;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
