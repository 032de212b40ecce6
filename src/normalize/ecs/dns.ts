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
import type { JsonObject } from '../../eve/json.js';
import { asObject, keyword, long, str } from '../values.js';
import { putDomainParts } from './domain.js';
import { type Ecs, jizo, sub } from './build.js';
import { keepUnmapped, putPruned, without, type KnownKeys, knownKeys } from './keep.js';
import { answerRecord, collectAnswers } from './dns-answers.js';

const DNS_KEYS: KnownKeys = knownKeys({
  version: 'int', type: 'str', id: 'scalar', rrname: 'str', rrtype: 'str', rcode: 'str', ttl: 'int', rdata: 'scalar', flags: 'str',
  qr: 'bool', aa: 'bool', tc: 'bool', rd: 'bool', ra: 'bool', z: 'bool', ad: 'bool', cd: 'bool', opcode: 'int', tx_id: 'int',
  answers: 'list', grouped: 'obj', authorities: 'list', additionals: 'list', queries: 'list', query: 'list', answer: 'obj',
});

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
    mapDnsTx(s, inner, 'dns.query');
    const answer = asObject(d.answer);
    if (answer !== undefined) mapAlertAnswer(s, answer);
    if (queries!.length > 1) putPruned(jizo(s, 'dns'), 'queries', queries);
    keepUnmapped(s, 'dns', d, ALERT_LAYOUT_KEYS);
    return;
  }
  const answer = asObject(d.answer);
  mapDnsTx(s, answer ?? d, answer === undefined ? 'dns' : 'dns.answer');
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

/** One DNS transaction; `key` names where its unmapped keys go (jizo.unmapped.<key>). */
function mapDnsTx(s: Ecs, d: JsonObject, key = 'dns'): void {
  const dns: Record<string, unknown> = {};
  s.doc.dns = dns as never;
  const version = d.version;
  const type = d.type;
  // ECS dns.type: "query" or "answer" (v3's request/response are the same thing).
  if (type === 'query' || type === 'request') dns.type = 'query';
  else if (type === 'answer' || type === 'response') dns.type = 'answer';
  // A type ECS has no value for is kept as written.
  else if (typeof type === 'string' && type !== '') jizo(s, 'dns').type = type;
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
  keepUnmapped(s, key, d, DNS_KEYS);
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

