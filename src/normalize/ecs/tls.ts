/**
 * `tls` and `quic` objects (EVE doc, "Event type: TLS" / "QUIC"): version,
 * SNI, server (and client) certificate, JA3/JA3S hashes, JA4 and ALPN.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { asObject, keyword, long, str } from '../values.js';
import { type Ecs, type Objects, jizo, keywords, sub } from './build.js';
import { keepUnmapped, pruned, putPruned, setKey, type KnownKeys, knownKeys } from './keep.js';
import { certificate } from './x509.js';
import { userAgent } from './useragent.js';

const TLS_KEYS: KnownKeys = knownKeys({
  version: 'str', sni: 'str', subject: 'str', issuerdn: 'str', serial: 'str', fingerprint: 'str', notbefore: 'str', notafter: 'str',
  session_resumed: 'bool', ja3: 'any', ja3s: 'any', ja4: 'any', certificate: 'str', chain: 'words', subjectaltname: 'words',
  client: 'obj', client_alpns: 'words', server_alpns: 'words', alpn_ts: 'words', alpn_tc: 'words', client_handshake: 'obj',
  server_handshake: 'obj', from_proto: 'str',
});

type Kind = 'keyword' | 'long' | 'longs';
// Suricata 8 hello details (etc/schema.json tls.client_handshake / server_handshake):
// IANA numbers of ciphers, extensions and signature algorithms. ECS
// tls.cipher / tls.client.supported_ciphers hold cipher names, which EVE does
// not log: the numbers are kept, typed, under jizo.tls.
const CLIENT_HELLO: Readonly<Record<string, Kind>> = { version: 'keyword', ciphers: 'longs', exts: 'longs', sig_algs: 'longs' };
const SERVER_HELLO: Readonly<Record<string, Kind>> = { version: 'keyword', cipher: 'long', exts: 'longs' };

function handshake(s: Ecs, key: string, o: JsonObject, kinds: Readonly<Record<string, Kind>>): void {
  let out: Record<string, unknown> | undefined;
  let rest: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    const v = o[k]!;
    const kind = Object.hasOwn(kinds, k) ? kinds[k] : undefined;
    const x = kind === 'keyword' ? keyword(v) : kind === 'long' ? long(v) : kind === 'longs' ? longs(v) : undefined;
    if (x !== undefined) (out ??= {})[k] = x;
    else {
      const p = pruned(v);
      if (p !== undefined) setKey((rest ??= {}), k, p);
    }
  }
  if (out !== undefined) jizo(s, 'tls')[key] = out;
  if (rest !== undefined) setKey(jizo(s, 'unmapped'), `tls.${key}`, rest);
}

/** A non-empty array of integers, or undefined. */
function longs(v: JsonValue): (number | bigint)[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  for (const x of v) if (long(x) === undefined || typeof x === 'string') return undefined;
  return v as (number | bigint)[];
}

/** "TLS 1.2" -> ["tls", "1.2"]; "SSLv3" -> ["ssl", "3"]; "TLSv1" -> ["tls", "1"] (ECS tls.version, tls.version_protocol). */
const VERSION = /^(TLS|SSL|DTLS)\s?v?(\d+(?:\.\d+)?)$/i;
const versions = new Map<string, [string, string] | null>();

function tlsVersion(v: string): [string, string] | null {
  let r = versions.get(v);
  if (r !== undefined) return r;
  const m = VERSION.exec(v);
  r = m === null ? null : [m[1]!.toLowerCase(), m[2]!];
  if (versions.size < 64) versions.set(v, r);
  return r;
}

/** SNI without the trailing dot of a fully qualified name (Elastic tls.yml does the same). */
export function serverName(sni: string): string {
  return sni.endsWith('.') ? sni.slice(0, -1) : sni;
}

export function mapTls(s: Ecs, t: JsonObject): void {
  const doc = s.doc as Objects;
  const tls = (doc.tls ??= {});
  const version = str(t.version);
  if (version !== undefined) {
    const v = tlsVersion(version);
    if (v !== null) {
      tls.version_protocol = v[0];
      tls.version = v[1];
    } else {
      // UNDETERMINED and the like: no ECS value, kept as written.
      jizo(s, 'tls').version = version;
    }
  }
  if (typeof t.session_resumed === 'boolean') tls.resumed = t.session_resumed;
  sni(s, t.sni);
  const server: Record<string, unknown> = {};
  certificate(s, t, server);
  const client: Record<string, unknown> = {};
  const clientCert = asObject(t.client);
  if (clientCert !== undefined) certificate(s, clientCert, client);
  hashes(s, t, client, server);
  alpn(s, t);
  const ch = asObject(t.client_handshake);
  if (ch !== undefined) handshake(s, 'client_handshake', ch, CLIENT_HELLO);
  const sh = asObject(t.server_handshake);
  if (sh !== undefined) handshake(s, 'server_handshake', sh, SERVER_HELLO);
  const from = str(t.from_proto);
  if (from !== undefined) jizo(s, 'tls').from_proto = from;
  for (const _ in server) {
    tls.server = server;
    break;
  }
  for (const _ in client) {
    Object.assign(sub(tls, 'client'), client);
    break;
  }
  keepUnmapped(s, 'tls', t, TLS_KEYS);
  if (Object.keys(tls).length === 0) delete doc.tls;
}

function sni(s: Ecs, v: JsonValue | undefined): void {
  const raw = str(v);
  if (raw === undefined) return;
  const name = serverName(raw);
  if (name === '') return;
  const doc = s.doc as Objects;
  sub((doc.tls ??= {}), 'client').server_name = name;
  (doc.destination ??= {}).domain = name;
  (s.hosts ??= []).push(name);
}

function hashOf(v: JsonValue | undefined): [string | undefined, string | undefined] {
  if (typeof v === 'string') return [v === '' ? undefined : v, undefined];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return [str(v.hash), str(v.string)];
  return [undefined, undefined];
}

function hashes(s: Ecs, t: JsonObject, client: Record<string, unknown>, server: Record<string, unknown>): void {
  const [ja3, ja3String] = hashOf(t.ja3);
  const [ja3s, ja3sString] = hashOf(t.ja3s);
  const [ja4] = hashOf(t.ja4);
  if (ja3 !== undefined) {
    client.ja3 = ja3;
    (s.hashes ??= []).push(ja3);
  }
  if (ja3s !== undefined) {
    server.ja3s = ja3s;
    (s.hashes ??= []).push(ja3s);
  }
  if (ja3String === undefined && ja3sString === undefined && ja4 === undefined) return;
  const j = jizo(s, 'tls');
  if (ja3String !== undefined) j.ja3_string = ja3String;
  if (ja3sString !== undefined) j.ja3s_string = ja3sString;
  // ECS has no JA4 field (ECS 9.x): custom.
  if (ja4 !== undefined) {
    j.ja4 = ja4;
    (s.hashes ??= []).push(ja4);
  }
}

/** ALPN: the server's choice is the negotiated protocol (ECS tls.next_protocol, lower case). */
function alpn(s: Ecs, t: JsonObject): void {
  const clientList = keywords(t.client_alpns) ?? keywords(t.alpn_ts);
  const serverList = keywords(t.server_alpns) ?? keywords(t.alpn_tc);
  if (serverList !== undefined) (s.doc as Record<string, Record<string, unknown>>).tls!.next_protocol = serverList[0]!.toLowerCase();
  if (clientList === undefined && serverList === undefined) return;
  const j = jizo(s, 'tls');
  if (clientList !== undefined) j.client_alpns = clientList;
  if (serverList !== undefined) j.server_alpns = serverList;
}

const QUIC_KEYS: KnownKeys = knownKeys({
  version: 'scalar', sni: 'str', ua: 'str', cyu: 'list', ja3: 'any', ja3s: 'any', ja4: 'any', extensions: 'list',
});

/** quic: QUIC carries a TLS 1.3 handshake; its SNI/JA3/JA4 go where TLS's go. */
export function mapQuic(s: Ecs, q: JsonObject): void {
  const doc = s.doc as Record<string, unknown>;
  sni(s, q.sni);
  const client: Record<string, unknown> = {};
  const server: Record<string, unknown> = {};
  hashes(s, q, client, server);
  const tls = doc.tls as Record<string, unknown> | undefined;
  if (tls !== undefined || Object.keys(client).length + Object.keys(server).length > 0) {
    const t = sub(doc, 'tls');
    if (Object.keys(client).length > 0) Object.assign(sub(t, 'client'), client);
    if (Object.keys(server).length > 0) Object.assign(sub(t, 'server'), server);
  }
  // gQUIC's UA tag is the client's user agent.
  const ua = str(q.ua);
  if (ua !== undefined) doc.user_agent = userAgent(ua);
  const j = jizo(s, 'quic');
  const version = str(q.version) ?? (typeof q.version === 'number' ? String(q.version) : undefined);
  if (version !== undefined) j.version = version;
  if (Array.isArray(q.cyu)) putPruned(j, 'cyu', q.cyu);
  if (Array.isArray(q.extensions)) putPruned(j, 'extensions', q.extensions);
  keepUnmapped(s, 'quic', q, QUIC_KEYS);
}
