/**
 * The loss check of the `ecs` profile: every leaf value of a raw EVE object
 * must be found in its document (event.original off), as written or in one of
 * the renderings listed in RENDERINGS. Independent of the mapping code: it
 * knows nothing of where a value should go, only what forms it may take.
 */
import ipaddr from 'ipaddr.js';
import type { JsonValue } from '../../src/eve/json.js';

/** One leaf of the raw event: its dotted path and value. */
export interface Leaf {
  path: string;
  /** The last object key on the path (array indexes skipped). */
  key: string;
  value: string | number | bigint | boolean;
}

/**
 * Leaves of a JSON value. Null, "" and empty objects/arrays are not values
 * (docs/ecs-profile.md: empty values produce no field), so they are not leaves.
 */
export function leaves(v: JsonValue, path = '', out: Leaf[] = [], key = ''): Leaf[] {
  if (v === null || v === '') return out;
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, path === '' ? String(i) : `${path}.${i}`, out, key));
  else if (typeof v === 'object') for (const k of Object.keys(v)) leaves(v[k]!, path === '' ? k : `${path}.${k}`, out, k);
  else out.push({ path, key, value: v });
  return out;
}

/**
 * Every leaf value of a document as text (numbers and bigints as their JSON
 * text). A boolean is recorded with its key (`alerted=true`): a bare `true`
 * would be found in almost any document.
 */
function documentValues(doc: unknown, out = new Set<string>(), key = ''): Set<string> {
  if (doc === null || doc === undefined) return out;
  if (Array.isArray(doc)) for (const x of doc) documentValues(x, out, key);
  else if (typeof doc === 'object') for (const k of Object.keys(doc)) documentValues((doc as Record<string, unknown>)[k], out, k);
  else if (typeof doc === 'boolean') out.add(`${key}=${doc}`);
  else out.add(String(doc));
  return out;
}

/** Booleans ECS names differently (tls.session_resumed -> tls.resumed). */
const BOOLEAN_KEYS: Readonly<Record<string, string>> = { session_resumed: 'resumed' };

/** Time as Date.parse reads it, in UTC ISO form, with the fraction digits of the input kept. */
function utc(s: string): string[] {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (m === null) return [];
  const frac = m[3] ?? '';
  const ms = Date.parse(`${m[1]}T${m[2]}${frac ? '.' + frac.slice(0, 3).padEnd(3, '0') : ''}${m[4] === undefined ? 'Z' : m[4].length === 5 ? m[4].slice(0, 3) + ':' + m[4].slice(3) : m[4]}`);
  if (Number.isNaN(ms)) return [];
  const base = new Date(ms - (ms % 1000 + 1000) % 1000).toISOString().slice(0, 19);
  return frac === '' ? [`${base}Z`, `${base}.000Z`] : [`${base}.${frac}Z`];
}

/**
 * The renderings a raw value may take in a document. Each is a documented
 * conversion of the `ecs` profile (docs/ecs-profile.md):
 * - numbers and booleans as text; integer strings as numbers ("080" -> 80);
 * - times in UTC, fractional digits kept (@timestamp, event.start ...);
 * - IPs in canonical text (ECS ip);
 * - MACs upper-case, dash separated (ECS *.mac); hex with colons upper-case
 *   without them (x509.serial_number, hash.sha1);
 * - enumerations lower-cased (network.transport, network.protocol, tls.version_protocol,
 *   tls.next_protocol, host names) or upper-cased (legacy MITRE technique ids);
 * - a protocol name's number (network.iana_number), "TLSv1.2" -> "1.2" (tls.version),
 *   "HTTP/1.1" -> "1.1" (http.version);
 * - a name without its root dot (SNI, Host);
 * - a CVE id in its canonical form ("CVE_2021_44228" -> CVE-2021-44228);
 * and three conversions of one field each (by the leaf's last key):
 * - `ip_v` 4/6 -> network.type ipv4/ipv6;
 * - DNS `opcode` number -> dns.op_code name (QUERY, NOTIFY ...);
 * - DNS v3 `type` request/response -> dns.type query/answer (ECS values).
 */
const OPCODES = ['QUERY', 'IQUERY', 'STATUS', '3', 'NOTIFY', 'UPDATE', 'DSO'];

const IANA: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', 'ipv6-icmp': '58', sctp: '132', gre: '47', esp: '50', igmp: '2', pim: '103', ipv6: '41' };

function renderings(v: Leaf['value'], path = '', key = ''): string[] {
  const t = String(v);
  if (typeof v === 'boolean') return [`${key}=${t}`, `${BOOLEAN_KEYS[key] ?? key}=${t}`];
  const out = [t];
  if (key === 'ip_v') out.push(`ipv${t}`);
  if (key === 'opcode' && path.startsWith('dns.')) out.push(OPCODES[Number(t)] ?? t);
  if (key === 'type' && path.startsWith('dns.')) out.push(t === 'request' ? 'query' : t === 'response' ? 'answer' : t);
  if (typeof v !== 'string') return out;
  if (/^-?\d+$/.test(t)) out.push(String(BigInt(t)));
  out.push(...utc(t));
  if (ipaddr.isValid(t)) {
    const a = ipaddr.parse(t);
    out.push(a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address().toString() : a.toString());
  }
  if (/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2})+$/.test(t)) {
    out.push(t.replace(/[:-]/g, '').toUpperCase());
    out.push(t.replace(/:/g, '-').toUpperCase());
  }
  out.push(t.toLowerCase(), t.toUpperCase());
  const iana = IANA[t.toLowerCase()];
  if (iana !== undefined) out.push(iana);
  const version = /^(?:TLS|SSL|DTLS|HTTP)\s?[v/]?(\d+(?:\.\d+)?)$/i.exec(t);
  if (version !== null) out.push(version[1]!);
  if (t.length > 1 && t.endsWith('.')) out.push(t.slice(0, -1), t.slice(0, -1).toLowerCase());
  const cve = /^(?:cve[-_ ]?)?(\d{4})[-_](\d{4,})$/i.exec(t.trim());
  if (cve !== null) out.push(`CVE-${cve[1]}-${cve[2]}`);
  return out;
}

/** The leaves of `event` not found in `doc` under any of their renderings. */
export function lostValues(event: JsonValue, doc: unknown): Leaf[] {
  const values = documentValues(doc);
  return leaves(event).filter((l) => !renderings(l.value, l.path, l.key).some((r) => values.has(r)));
}
