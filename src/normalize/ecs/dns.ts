/**
 * `dns` object in its three EVE layouts (Suricata doc "Event type: DNS" and
 * "8.0 DNS logging changes"):
 * - v1 (Suricata < 5): one event per answer record, rrname/rrtype/ttl/rdata at the top;
 * - v2: `type` query/answer, top-level rrname/rrtype are the question, `answers[]`
 *   (detailed) and/or `grouped{}`;
 * - v3 (Suricata 8): `type` request/response, `queries[]`, `answers[]`,
 *   `authorities[]`, `additionals[]`.
 * Alerts carry `dns.query[]` / `dns.answer{}` (v2) around the same objects.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { canonicalIp } from '../ip.js';
import { asObject, keyword, long, str } from '../values.js';
import { putDomainParts } from './domain.js';
import { type Ecs, jizo, keepUnmapped, pruned, putPruned, setKey, sub, without } from './build.js';

const DNS_KEYS: ReadonlySet<string> = new Set([
  'version', 'type', 'id', 'rrname', 'rrtype', 'rcode', 'ttl', 'rdata', 'flags', 'qr', 'aa', 'tc', 'rd', 'ra', 'z',
  'ad', 'cd', 'opcode', 'tx_id', 'answers', 'grouped', 'authorities', 'additionals', 'queries', 'query', 'answer',
]);

// ECS dns.header_flags allowed values, with the bit of each in the DNS header flags word (RFC 1035 §4.1.1, RFC 4035).
const FLAG_BITS: readonly [string, string, number][] = [
  ['aa', 'AA', 0x0400], ['tc', 'TC', 0x0200], ['rd', 'RD', 0x0100], ['ra', 'RA', 0x0080], ['ad', 'AD', 0x0020], ['cd', 'CD', 0x0010],
];
const OPCODES = ['QUERY', 'IQUERY', 'STATUS', undefined, 'NOTIFY', 'UPDATE', 'DSO'];

export function mapDns(s: Ecs, d: JsonObject): void {
  // Alert layout: the transaction is inside `query[]` (requests) or `answer{}`.
  const queries = Array.isArray(d.query) ? d.query : undefined;
  const inner = queries?.[0];
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
    mapDnsTx(s, inner);
    const answer = asObject(d.answer);
    if (answer !== undefined) mapAlertAnswer(s, answer);
    if (queries!.length > 1) putPruned(jizo(s, 'dns'), 'queries', queries);
    keepUnmapped(s, 'dns', d, ALERT_LAYOUT_KEYS);
    return;
  }
  const answer = asObject(d.answer);
  mapDnsTx(s, answer ?? d);
  if (answer !== undefined) keepUnmapped(s, 'dns', d, ALERT_LAYOUT_KEYS);
}

const ALERT_LAYOUT_KEYS: ReadonlySet<string> = new Set(['query', 'answer']);
const ANSWER_RECORD_KEYS: ReadonlySet<string> = new Set(['answers', 'grouped', 'authorities', 'additionals']);

/**
 * The `answer{}` of an alert that also has `query[]`: its records join
 * dns.answers; its header (version, flags, rcode ...) is the response's, not
 * the query's, and is kept whole under jizo.dns.answer, as the dns event of
 * the response would keep it.
 */
function mapAlertAnswer(s: Ecs, a: JsonObject): void {
  const dns = sub(s.doc as Record<string, unknown>, 'dns');
  const answers = collectAnswers(s, a);
  if (answers !== undefined) dns.answers = answers;
  const rcode = str(a.rcode);
  if (rcode !== undefined) dns.response_code = rcode;
  const j = jizo(s, 'dns');
  const v = long(a.version);
  if (v !== undefined) j.version = v;
  if (Array.isArray(a.authorities)) putPruned(j, 'authorities', a.authorities);
  if (Array.isArray(a.additionals)) putPruned(j, 'additionals', a.additionals);
  const header = without(a, ANSWER_RECORD_KEYS);
  if (header !== undefined) j.answer = header;
  for (const _ in dns) return;
  delete s.doc.dns;
}

function mapDnsTx(s: Ecs, d: JsonObject): void {
  const dns: Record<string, unknown> = {};
  s.doc.dns = dns as never;
  const version = d.version;
  const type = d.type;
  // ECS dns.type: "query" or "answer" (v3's request/response are the same thing).
  if (type === 'query' || type === 'request') dns.type = 'query';
  else if (type === 'answer' || type === 'response') dns.type = 'answer';
  const id = keyword(d.id);
  if (id !== undefined) dns.id = id;
  const rcode = str(d.rcode);
  if (rcode !== undefined) dns.response_code = rcode;
  const opcode = long(d.opcode);
  if (typeof opcode === 'number') dns.op_code = OPCODES[opcode] ?? String(opcode);

  const isV1Answer = version === undefined && type === 'answer' && (d.rdata !== undefined || d.ttl !== undefined) && d.answers === undefined;
  if (isV1Answer) {
    // v1: this event is one answer record; rrname is its owner, not necessarily the question.
    // Its other keys are the transaction's (id, rcode ...), mapped below: not record data.
    const rr = answerRecord(s, d, false);
    if (rr !== undefined) dns.answers = [rr];
  } else {
    let q: JsonObject | undefined = d;
    if (Array.isArray(d.queries)) {
      const first = d.queries[0];
      q = typeof first === 'object' && first !== null && !Array.isArray(first) ? first : undefined;
      if (d.queries.length > 1) putPruned(jizo(s, 'dns'), 'queries', d.queries);
    }
    if (q !== undefined) question(s, dns, q);
    const answers = collectAnswers(s, d);
    if (answers !== undefined) dns.answers = answers;
  }

  headerFlags(dns, d);
  const j = jizo(s, 'dns');
  const flags = str(d.flags);
  if (flags !== undefined) j.flags = flags;
  if (typeof d.z === 'boolean') j.z = d.z;
  // The header bits as logged (dns.header_flags lists only the ones set, and has no QR).
  const { qr, aa, tc, rd, ra, ad, cd } = d;
  if (typeof qr === 'boolean') j.qr = qr;
  if (typeof aa === 'boolean') j.aa = aa;
  if (typeof tc === 'boolean') j.tc = tc;
  if (typeof rd === 'boolean') j.rd = rd;
  if (typeof ra === 'boolean') j.ra = ra;
  if (typeof ad === 'boolean') j.ad = ad;
  if (typeof cd === 'boolean') j.cd = cd;
  const tx = long(d.tx_id);
  if (tx !== undefined) j.tx_id = tx;
  const v = long(version);
  if (v !== undefined) j.version = v;
  if (Array.isArray(d.authorities)) putPruned(j, 'authorities', d.authorities);
  if (Array.isArray(d.additionals)) putPruned(j, 'additionals', d.additionals);
  keepUnmapped(s, 'dns', d, DNS_KEYS);
  for (const _ in dns) return;
  delete s.doc.dns;
}

function question(s: Ecs, dns: Record<string, unknown>, q: JsonObject): void {
  const name = str(q.rrname);
  const type = str(q.rrtype);
  if (name === undefined && type === undefined) return;
  const qo: Record<string, unknown> = {};
  if (name !== undefined) {
    qo.name = name;
    (s.hosts ??= []).push(name);
    putDomainParts(qo, name.toLowerCase());
  }
  if (type !== undefined) qo.type = type;
  const cls = str(q.rrclass);
  if (cls !== undefined) qo.class = cls;
  dns.question = qo;
}

function collectAnswers(s: Ecs, d: JsonObject): Record<string, unknown>[] | undefined {
  let out: Record<string, unknown>[] | undefined;
  if (Array.isArray(d.answers)) {
    for (const a of d.answers) {
      if (typeof a !== 'object' || a === null || Array.isArray(a)) continue;
      const rr = answerRecord(s, a);
      if (rr !== undefined) (out ??= []).push(rr);
    }
  }
  const grouped = asObject(d.grouped);
  if (grouped !== undefined) out = groupedAnswers(s, grouped, out);
  return out;
}

/**
 * grouped: rrtype -> list of rdata, without owner names or TTLs. With both
 * formats configured (EVE doc, dns `formats: [detailed, grouped]`) the
 * grouped records repeat the detailed ones: only those not already there
 * are added.
 */
function groupedAnswers(s: Ecs, grouped: JsonObject, detailed: Record<string, unknown>[] | undefined): Record<string, unknown>[] | undefined {
  let out = detailed;
  const n = detailed?.length ?? 0;
  for (const t of Object.keys(grouped)) {
    const list = grouped[t];
    if (!Array.isArray(list) || t === '') continue;
    for (const v of list) {
      let data = rdataText(v);
      const isObject = data === undefined && typeof v === 'object' && v !== null && !Array.isArray(v);
      // SRV, SOA, SSHFP ... come as objects (EVE schema dns.grouped): their
      // zone-file text is the answer's data, the object itself a record.
      if (isObject) data = objectData(t, v);
      if (data === undefined) continue;
      let seen = false;
      for (let i = 0; i < n && !seen; i++) seen = detailed![i]!.type === t && detailed![i]!.data === data;
      if (seen) continue;
      if (isObject) {
        const rec: Record<string, unknown> = { type: t };
        const o = pruned(v);
        if (o !== undefined) setKey(rec, t.toLowerCase(), o);
        records(s).push(rec);
      }
      (out ??= []).push({ type: t, data });
      resolved(s, t, data);
    }
  }
  return out;
}

function answerRecord(s: Ecs, a: JsonObject, keepExtra = true): Record<string, unknown> | undefined {
  const rr: Record<string, unknown> = {};
  const name = str(a.rrname);
  if (name !== undefined) rr.name = name;
  const type = str(a.rrtype);
  if (type !== undefined) rr.type = type;
  const ttl = long(a.ttl);
  if (ttl !== undefined) rr.ttl = ttl;
  const cls = str(a.rrclass);
  if (cls !== undefined) rr.class = cls;
  const data = rdataText(a.rdata) ?? structuredData(a);
  // What a record holds beyond name/type/ttl/class/rdata (soa{}, srv{}, sshfp{},
  // truncation flags ...) is kept whole as a record of jizo.dns.records.
  const extra = keepExtra ? without(a, RR_KEYS) : undefined;
  if (extra !== undefined) {
    if (name !== undefined) extra.name = name;
    if (type !== undefined) extra.type = type;
    records(s).push(extra);
  }
  if (data !== undefined) {
    rr.data = data;
    if (type !== undefined) resolved(s, type, data);
  }
  for (const _ in rr) return rr;
  return undefined;
}

const RR_KEYS: ReadonlySet<string> = new Set(['rrname', 'rrtype', 'ttl', 'rrclass', 'rdata']);

/** jizo.dns.records, created on first use. */
function records(s: Ecs): unknown[] {
  const j = jizo(s, 'dns');
  return (j.records ??= []) as unknown[];
}

/** Zone-file text of a grouped record given as an object (the field order of RFC 1035 §5.1 for the known types). */
function objectData(type: string, o: JsonObject): string | undefined {
  switch (type) {
    case 'SOA':
      return join([o.mname, o.rname, o.serial, o.refresh, o.retry, o.expire, o.minimum]);
    case 'SRV':
      return join([o.priority, o.weight, o.port, o.name]);
    case 'SSHFP':
      return join([o.algo, o.type, o.fingerprint]);
    default: {
      const parts: JsonValue[] = [];
      for (const k of Object.keys(o)) parts.push(o[k]!);
      return join(parts);
    }
  }
}

function resolved(s: Ecs, type: string, data: string): void {
  if (type !== 'A' && type !== 'AAAA') return;
  const addr = canonicalIp(data);
  if (addr === undefined) return;
  const dns = s.doc.dns as Record<string, unknown>;
  const list = (dns.resolved_ip ??= []) as string[];
  list.push(addr);
  s.ips.push(addr);
}

function rdataText(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? (v === '' ? undefined : v) : keyword(v);
}

/** SOA/SRV/SSHFP records come as objects: their zone-file presentation (RFC 1035 §5.1) is the data. */
function structuredData(a: JsonObject): string | undefined {
  const soa = asObject(a.soa);
  if (soa !== undefined) return join([soa.mname, soa.rname, soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum]);
  const srv = asObject(a.srv);
  if (srv !== undefined) return join([srv.priority, srv.weight, srv.port, srv.name]);
  const sshfp = asObject(a.sshfp);
  if (sshfp !== undefined) return join([sshfp.algo, sshfp.type, sshfp.fingerprint]);
  return undefined;
}

function join(parts: (JsonValue | undefined)[]): string | undefined {
  const out: string[] = [];
  for (const p of parts) {
    const k = keyword(p);
    if (k !== undefined) out.push(k);
  }
  return out.length > 0 ? out.join(' ') : undefined;
}

/** dns.header_flags from the per-flag booleans, else from the hex flags word. */
function headerFlags(dns: Record<string, unknown>, d: JsonObject): void {
  const flags: string[] = [];
  // Named reads of the six flags (a loop over their names would make every read a generic keyed one).
  const { aa, tc, rd, ra, ad, cd } = d;
  const booleans =
    typeof aa === 'boolean' || typeof tc === 'boolean' || typeof rd === 'boolean' || typeof ra === 'boolean' || typeof ad === 'boolean' || typeof cd === 'boolean';
  if (booleans) {
    if (aa === true) flags.push('AA');
    if (tc === true) flags.push('TC');
    if (rd === true) flags.push('RD');
    if (ra === true) flags.push('RA');
    if (ad === true) flags.push('AD');
    if (cd === true) flags.push('CD');
  } else if (typeof d.flags === 'string' && /^[0-9a-fA-F]{1,4}$/.test(d.flags)) {
    const word = parseInt(d.flags, 16);
    for (const [, f, bit] of FLAG_BITS) if (word & bit) flags.push(f);
  }
  if (flags.length > 0) dns.header_flags = flags;
}

