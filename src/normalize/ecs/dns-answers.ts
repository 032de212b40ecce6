/**
 * DNS answer records (EVE doc "Event type: DNS"; EVE schema dns.answers,
 * dns.grouped): detailed records, grouped records, and the records whose
 * data is an object (SOA, SRV, SSHFP ...), kept as zone-file text in
 * dns.answers and whole in jizo.dns.records.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { canonicalIp } from '../ip.js';
import { asObject, keyword, long, str } from '../values.js';
import { type Ecs, jizo } from './build.js';
import { pruned, setKey, without } from './keep.js';

export function collectAnswers(s: Ecs, d: JsonObject): Record<string, unknown>[] | undefined {
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

export function answerRecord(s: Ecs, a: JsonObject, keepExtra = true): Record<string, unknown> | undefined {
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

/** SOA/SRV/SSHFP records come as objects (`soa{}` ...): their zone-file presentation (RFC 1035 §5.1) is the data. */
function structuredData(a: JsonObject): string | undefined {
  for (const [key, type] of STRUCTURED) {
    const o = asObject(a[key]);
    if (o !== undefined) return objectData(type, o);
  }
  return undefined;
}

const STRUCTURED: readonly [string, string][] = [['soa', 'SOA'], ['srv', 'SRV'], ['sshfp', 'SSHFP']];

function join(parts: (JsonValue | undefined)[]): string | undefined {
  const out: string[] = [];
  for (const p of parts) {
    const k = keyword(p);
    if (k !== undefined) out.push(k);
  }
  return out.length > 0 ? out.join(' ') : undefined;
}

