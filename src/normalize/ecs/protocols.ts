/**
 * Protocol objects kept whole under `jizo.<key>` (a flattened field: every
 * sub-field stays queryable as `jizo.<key>.<path>`), with the few values ECS
 * has a place for copied out: user names, file names, MACs, addresses.
 * EVE doc, "Eve JSON Format", one section per event type.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { ip, obj, str } from '../values.js';
import { type Ecs, basename, jizo, mac, sub } from './build.js';
import { pruned, setKey } from './keep.js';

type Extract = (s: Ecs, o: JsonObject) => void;

function user(s: Ecs, name: JsonValue | undefined, domain?: JsonValue): void {
  const n = str(name);
  if (n === undefined) return;
  const doc = s.doc as Record<string, unknown>;
  if (doc.user !== undefined) return;
  const u: Record<string, unknown> = { name: n };
  const d = str(domain);
  if (d !== undefined) u.domain = d;
  doc.user = u;
  (s.users ??= []).push(n);
}

function filePath(s: Ecs, v: JsonValue | undefined): void {
  const p = str(v);
  const doc = s.doc as Record<string, unknown>;
  // A fileinfo event's own file wins over the name in its carrying protocol.
  if (p === undefined || doc.file !== undefined || s.type === 'fileinfo') return;
  const name = basename(p);
  doc.file = name === '' || name === p ? { name: p } : { path: p, name };
}

function related(s: Ecs, v: JsonValue | undefined): void {
  const a = ip(v);
  if (a !== undefined) s.ips.push(a);
}

const EXTRACT: Readonly<Record<string, Extract>> = {
  ssh(s, o) {
    for (const side of ['client', 'server']) {
      const h = obj(obj(o, side), 'hassh');
      const hash = h && str(h.hash);
      if (hash !== undefined) (s.hashes ??= []).push(hash);
    }
  },
  smb(s, o) {
    const ntlm = obj(o, 'ntlmssp');
    if (ntlm !== undefined) user(s, ntlm.user, ntlm.domain);
    filePath(s, o.filename);
  },
  krb5(s, o) {
    user(s, o.cname, o.realm);
  },
  dhcp(s, o) {
    const m = mac(o.client_mac);
    if (m !== undefined) sub(s.doc as Record<string, unknown>, 'client').mac = m;
    related(s, o.client_ip);
    related(s, o.assigned_ip);
    related(s, o.relay_ip);
    related(s, o.requested_ip);
    const h = str(o.hostname);
    if (h !== undefined) (s.hosts ??= []).push(h);
  },
  ftp(s, o) {
    // "USER name" (RFC 959 §4.1.1): the login name.
    if (o.command === 'USER') user(s, o.command_data);
  },
  ftp_data(s, o) {
    filePath(s, o.filename);
  },
  tftp(s, o) {
    filePath(s, o.file);
  },
  nfs(s, o) {
    filePath(s, o.filename);
  },
  mqtt(s, o) {
    user(s, obj(o, 'connect')?.username);
  },
  pgsql(s, o) {
    user(s, obj(obj(o, 'request'), 'startup_parameters')?.user);
  },
  arp(s, o) {
    // ARP events have no top-level addresses: the sender and target of the ARP packet are.
    const doc = s.doc as Record<string, unknown>;
    for (const [side, ipKey, macKey] of [['source', 'src_ip', 'src_mac'], ['destination', 'dst_ip', 'dst_mac']] as const) {
      const a = ip(o[ipKey]);
      const m = mac(o[macKey]);
      if (a === undefined && m === undefined) continue;
      const ep = sub(doc, side);
      if (a !== undefined && ep.ip === undefined) {
        ep.ip = a;
        ep.address = a;
        s.ips.push(a);
      }
      if (m !== undefined && ep.mac === undefined) ep.mac = m;
    }
  },
  drop(s, o) {
    const reason = str(o.reason);
    if (reason !== undefined) (s.doc.event as Record<string, unknown>).reason = reason;
  },
};

/** EVE keys whose object is kept whole under jizo.<key> (declared `flattened` in the field catalog). */
export const WHOLE_KEYS: readonly string[] = [
  'ssh', 'smb', 'krb5', 'dhcp', 'ftp', 'ftp_data', 'tftp', 'rdp', 'rfb', 'sip', 'snmp', 'mqtt', 'nfs', 'rpc', 'pgsql',
  'ike', 'ikev2', 'ldap', 'dcerpc', 'dnp3', 'modbus', 'enip', 'arp', 'diameter', 'pop3', 'imap', 'mdns', 'llmnr',
  'websocket', 'bittorrent_dht', 'doh2', 'telnet', 'ntp', 'template', 'frame', 'drop', 'stats', 'metadata', 'tunnel',
  'packet_info', 'files', 'engine', 'verdict', 'vars',
  // Suricata 8 (etc/schema.json): firewall mode, IGMP/RGMP, SCTP, the nDPI
  // plugin, stream_tcp events, traffic id/label.
  'firewall', 'igmp', 'rgmp', 'sctp', 'ndpi', 'stream_tcp', 'traffic',
];

/** Keeps `o` whole under jizo.<key> and copies out what ECS has a field for. */
export function mapWhole(s: Ecs, raw: JsonValue, key: string): void {
  // Empty values inside are dropped too (docs/ecs-profile.md).
  const o = pruned(raw);
  if (o === undefined) return;
  if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
    const x = Object.hasOwn(EXTRACT, key) ? EXTRACT[key] : undefined;
    if (x !== undefined) x(s, o);
  } else if (!Array.isArray(o)) {
    // A scalar where EVE has an object: kept, but not in the flattened field declared for objects.
    setKey(jizo(s, 'unmapped'), key, o);
    return;
  }
  // The parsed input holds no inherited keys (JSON.parse defines "__proto__" as an own property): no copy needed.
  setKey((s.doc.jizo ??= {}) as Record<string, unknown>, key, o);
}
