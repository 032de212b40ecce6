/**
 * `alert` object (EVE doc, "Event type: Alert"): rule.*, event.severity,
 * MITRE ATT&CK metadata to threat.*, cve to vulnerability.*, the rest of the
 * rule metadata under jizo.alert.metadata.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { asObject, ip, keyword, long, str } from '../values.js';
import { type Ecs, jizo, keywords, sub } from './build.js';
import { keepUnmapped, pruned, setKey, type KnownKeys, knownKeys } from './keep.js';

const ALERT_KEYS: KnownKeys = knownKeys({
  action: 'str', gid: 'int', signature_id: 'scalar', rev: 'scalar', signature: 'str', category: 'str', severity: 'int',
  metadata: 'obj', rule: 'str', references: 'words', source: 'obj', target: 'obj', xff: 'str', tenant_id: 'int', context: 'obj',
  engine: 'str',
});

/**
 * Metadata keys mapped to ECS (and so not repeated under jizo.alert.metadata).
 * `cve` and the legacy `mitre_attack` stay there too: their values may not all
 * be CVE or technique ids.
 */
const MAPPED_METADATA: ReadonlySet<string> = new Set([
  'mitre_tactic_id', 'mitre_tactic_name', 'mitre_technique_id', 'mitre_technique_name',
]);

export function mapAlert(s: Ecs, a: JsonObject): void {
  const doc = s.doc as Record<string, unknown>;
  const event = doc.event as Record<string, unknown>;
  const action = str(a.action);
  if (action !== undefined) event.action = action;
  const severity = long(a.severity);
  // Suricata's priority: 1 is the highest (EVE doc); kept as given, like Elastic and Sekoia.
  if (severity !== undefined) event.severity = severity;

  const rule: Record<string, unknown> = {};
  const id = keyword(a.signature_id);
  if (id !== undefined) rule.id = id;
  const name = str(a.signature);
  if (name !== undefined) rule.name = name;
  const category = str(a.category);
  if (category !== undefined) rule.category = category;
  const rev = keyword(a.rev);
  if (rev !== undefined) rule.version = rev;
  // Suricata prints each reference as its reference.config prefix + value
  // (output-json-alert.c AlertJsonReference): a URL. ECS rule.reference is
  // one keyword: the first; all of them stay in jizo.alert.references.
  const refs = keywords(a.references);
  if (refs !== undefined) rule.reference = refs[0];
  for (const _ in rule) {
    doc.rule = rule;
    break;
  }

  const j = jizo(s, 'alert');
  const gid = long(a.gid);
  if (gid !== undefined) j.gid = gid;
  const text = str(a.rule);
  if (text !== undefined) j.rule = text;
  if (refs !== undefined) j.references = refs;
  // Suricata 8: data added by dataset/`pcre ... pkt:` keywords (EVE schema alert.context),
  // and in firewall mode the engine of the rule (fw, td).
  const context = asObject(a.context);
  const ctx = context === undefined ? undefined : pruned(context);
  if (ctx !== undefined) j.context = ctx;
  else if (context === undefined && a.context !== undefined && a.context !== null && a.context !== '') setKey(jizo(s, 'unmapped'), 'alert.context', a.context);
  const engine = str(a.engine);
  if (engine !== undefined) j.engine = engine;
  const tenant = long(a.tenant_id);
  if (tenant !== undefined) j.tenant_id = tenant;
  endpoint(s, j, 'source', asObject(a.source));
  endpoint(s, j, 'target', asObject(a.target));
  const xff = str(a.xff);
  if (xff !== undefined) {
    j.xff = xff;
    forwardedIp(s, xff);
  }

  const metadata = asObject(a.metadata);
  if (metadata !== undefined) mapMetadata(s, j, metadata);
  keepUnmapped(s, 'alert', a, ALERT_KEYS);
}

const ENDPOINT_KEYS: KnownKeys = knownKeys({ ip: 'ip', port: 'int' });

/** alert.source / alert.target: the attacker and the attacked side of the rule (`target:` keyword). */
function endpoint(s: Ecs, j: Record<string, unknown>, key: string, o: JsonObject | undefined): void {
  if (o === undefined) return;
  const out: Record<string, unknown> = {};
  const addr = ip(o.ip);
  if (addr !== undefined) {
    out.ip = addr;
    s.ips.push(addr);
  }
  const port = long(o.port);
  if (port !== undefined) out.port = port;
  for (const _ in out) {
    j[key] = out;
    break;
  }
  keepUnmapped(s, `alert.${key}`, o, ENDPOINT_KEYS);
}

/** network.forwarded_ip: the first address of an X-Forwarded-For value. */
export function forwardedIp(s: Ecs, xff: string): void {
  const comma = xff.indexOf(',');
  const addr = ip((comma === -1 ? xff : xff.slice(0, comma)).trim());
  if (addr !== undefined) {
    sub(s.doc as Record<string, unknown>, 'network').forwarded_ip = addr;
    s.ips.push(addr);
  }
}

const CVE = /^(?:cve[-_ ]?)?(\d{4})[-_](\d{4,})$/i;
const TECHNIQUE = /^t\d{4}(?:\.\d{3})?$/i;

/** "CVE_2021_44228" (ET metadata style), "2021-44228" ... -> "CVE-2021-44228". */
export function cveId(v: string): string | undefined {
  const m = CVE.exec(v.trim());
  return m === null ? undefined : `CVE-${m[1]}-${m[2]}`;
}

const SUBTECHNIQUE = /^T\d{4}\.\d{3}$/;

/**
 * threat.technique from the id and name lists of the rule. A sub-technique id
 * (T1071.001) goes to threat.technique.subtechnique.id with its parent
 * (T1071) in threat.technique.id (ECS threat fields); the name at the same
 * position follows its id when both lists have the same length.
 */
function techniques(ids: string[] | undefined, names: string[] | undefined): Record<string, unknown> {
  const technique: Record<string, unknown> = {};
  if (ids === undefined || !ids.some((id) => SUBTECHNIQUE.test(id))) {
    if (ids) technique.id = ids;
    if (names) technique.name = names;
    return technique;
  }
  const paired = names !== undefined && names.length === ids.length;
  const tId: string[] = [];
  const tName: string[] = [];
  const subId: string[] = [];
  const subName: string[] = [];
  ids.forEach((id, i) => {
    if (SUBTECHNIQUE.test(id)) {
      subId.push(id);
      if (paired) subName.push(names[i]!);
      if (!tId.includes(id.slice(0, 5))) tId.push(id.slice(0, 5));
    } else {
      if (!tId.includes(id)) tId.push(id);
      if (paired) tName.push(names[i]!);
    }
  });
  technique.id = tId;
  if (!paired && names !== undefined) technique.name = names;
  else if (tName.length > 0) technique.name = tName;
  const sub: Record<string, unknown> = { id: subId };
  if (subName.length > 0) sub.name = subName;
  technique.subtechnique = sub;
  return technique;
}

function mapMetadata(s: Ecs, j: Record<string, unknown>, m: JsonObject): void {
  const doc = s.doc as Record<string, unknown>;
  const tacticId = keywords(m.mitre_tactic_id);
  const tacticName = keywords(m.mitre_tactic_name);
  let techniqueId = keywords(m.mitre_technique_id);
  const techniqueName = keywords(m.mitre_technique_name);
  // Old ET rules: "mitre_attack t1190" (a technique id, lowercase).
  const legacy = keywords(m.mitre_attack);
  if (legacy !== undefined) {
    for (const t of legacy) {
      if (!TECHNIQUE.test(t)) continue;
      const id = t.toUpperCase();
      if (techniqueId === undefined) techniqueId = [id];
      else if (!techniqueId.includes(id)) techniqueId = [...techniqueId, id];
    }
  }
  if (tacticId || tacticName || techniqueId || techniqueName) {
    const threat: Record<string, unknown> = { framework: 'MITRE ATT&CK' };
    if (tacticId || tacticName) {
      const tactic: Record<string, unknown> = {};
      if (tacticId) tactic.id = tacticId;
      if (tacticName) tactic.name = tacticName;
      threat.tactic = tactic;
    }
    if (techniqueId || techniqueName) threat.technique = techniques(techniqueId, techniqueName);
    doc.threat = threat;
  }

  const cves = keywords(m.cve);
  if (cves !== undefined) {
    const ids: string[] = [];
    for (const c of cves) {
      const id = cveId(c);
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    if (ids.length > 0) {
      // ECS vulnerability.id is a single keyword: the first CVE; all of them stay in jizo.alert.metadata.cve.
      doc.vulnerability = { id: ids[0], enumeration: 'CVE' };
    }
  }

  const rest: Record<string, unknown> = {};
  let any = false;
  for (const k of Object.keys(m)) {
    if (MAPPED_METADATA.has(k)) continue;
    const v: JsonValue = m[k]!;
    // Rule metadata is lists of strings (EVE schema alert.metadata); anything else is kept as written.
    const list = keywords(v) ?? pruned(v);
    if (list === undefined) continue;
    setKey(rest, k, list);
    any = true;
  }
  if (any) j.metadata = rest;
}
