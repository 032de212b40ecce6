/**
 * The `ecs` profile: every EVE event type mapped to ECS (issue 3), custom
 * fields under `jizo.*`. One pass over the event's top-level keys dispatches
 * each protocol object to its module, so that the app-layer object an alert or
 * a fileinfo event carries is mapped as for its own event type.
 */
import { isObject, type JsonObject, type JsonValue } from '../../eve/json.js';
import { eventTimestamp } from '../common.js';
import { toUtc } from '../time.js';
import type { Context, JizoDocument } from '../types.js';
import { mapAlert } from './alert.js';
import { mapAnomaly } from './anomaly.js';
import type { Ecs } from './build.js';
import { categorize, defaultProtocol } from './categorize.js';
import { COMMON_HANDLERS, mapCommon, mapSyslog, readByMapCommon, unmapped } from './common.js';
import { mapDns } from './dns.js';
import { mapEmail, mapSmtp } from './email.js';
import { mapFileinfo } from './fileinfo.js';
import { mapFlow, mapNetflow, mapTcp } from './flow.js';
import { mapHttp } from './http.js';
import { WHOLE_KEYS, mapWhole } from './protocols.js';
import { mapQuic, mapTls } from './tls.js';

/** ECS version of the field set this mapping follows (`ecs.version`). */
export const ECS_VERSION = '9.4.0';

type Mapper = (s: Ecs, o: JsonObject) => void;
type Handler = (s: Ecs, v: JsonValue, key: string) => void;


/** A protocol object mapper; a value of another kind is kept under jizo.unmapped. */
function objectOf(m: Mapper): Handler {
  return (s, v, key) => {
    if (isObject(v)) m(s, v);
    else unmapped(s, key, v);
  };
}

/** One handler per known top-level EVE key (one Map lookup per key of the event). */
const DISPATCH = new Map<string, Handler>([
  ...COMMON_HANDLERS,
  ...WHOLE_KEYS.map((k): [string, Handler] => [k, mapWhole]),
  ['alert', objectOf(mapAlert)],
  ['anomaly', objectOf(mapAnomaly)],
  ['dns', objectOf(mapDns)],
  ['email', objectOf(mapEmail)],
  ['smtp', objectOf(mapSmtp)],
  ['fileinfo', objectOf(mapFileinfo)],
  ['flow', objectOf(mapFlow)],
  ['netflow', objectOf(mapNetflow)],
  ['tcp', objectOf(mapTcp)],
  ['http', objectOf(mapHttp)],
  ['tls', objectOf(mapTls)],
  ['quic', objectOf(mapQuic)],
]);

export function ecsProfile(ctx: Context): JizoDocument {
  const e = ctx.decoded.event;
  const type = typeof e.event_type === 'string' ? e.event_type : '';
  const ts = typeof e.timestamp === 'string' ? toUtc(e.timestamp) : undefined;
  const doc: JizoDocument = { '@timestamp': ts ?? eventTimestamp(e, ctx), ecs: { version: ECS_VERSION } };
  const s: Ecs = { ctx, doc, e, type, ips: [], hosts: undefined, hashes: undefined, users: undefined };
  const event = categorize(s);
  doc.event = event;
  // The EVE event type as logged: event.type says "connection" for flow and
  // netflow alike, "info" for frame, stats, stream_tcp ... (issue 14, item 2).
  const jz: Record<string, unknown> = {};
  doc.jizo = jz;
  if (type !== '') jz.event_type = type;
  else if (e.event_type !== undefined) unmapped(s, 'event_type', e.event_type);
  // An unreadable timestamp: @timestamp is the time of reception, the text stays.
  if (ts === undefined && e.timestamp !== undefined) {
    if (typeof e.timestamp === 'string') {
      if (e.timestamp !== '') jz.timestamp_raw = e.timestamp;
    } else unmapped(s, 'timestamp', e.timestamp);
  }
  mapCommon(s, defaultProtocol(type));

  for (const key in e) {
    if (readByMapCommon(key)) continue;
    const v: JsonValue = e[key]!;
    const h = DISPATCH.get(key);
    if (h !== undefined) h(s, v, key);
    // An event type this version does not know: its whole object under jizo.<event_type>.
    else if (key === type && isObject(v)) mapWhole(s, v, key);
    else unmapped(s, key, v);
  }

  mapSyslog(s);
  if (ctx.options.keepOriginal === true) event.original = ctx.decoded.payload;
  finish(s);
  return doc;
}

function finish(s: Ecs): void {
  const doc = s.doc as Record<string, unknown>;
  const ip = unique(s.ips);
  const hosts = unique(s.hosts);
  const hash = unique(s.hashes);
  const user = unique(s.users);
  if (ip !== undefined || hosts !== undefined || hash !== undefined || user !== undefined) {
    const related: Record<string, string[]> = {};
    if (ip !== undefined) related.ip = ip;
    if (hosts !== undefined) related.hosts = hosts;
    if (hash !== undefined) related.hash = hash;
    if (user !== undefined) related.user = user;
    doc.related = related;
  }
  if (isEmpty(doc.network as object)) delete doc.network;

  // Mappers create jizo.<x> on first use: drop the ones that stayed empty.
  const j = doc.jizo as Record<string, unknown> | undefined;
  if (j === undefined) return;
  let any = false;
  for (const k in j) {
    const v = j[k];
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- pruning empty objects of a document this module built
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && isEmpty(v)) delete j[k];
    else any = true;
  }
  if (!any) delete doc.jizo;
}

/**
 * `list` without repeated values, in first-seen order, deduplicated in place
 * (the lists belong to this event; they are short: a linear scan beats a Set).
 * Undefined for an absent or empty list.
 */
function unique(list: string[] | undefined): string[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  let n = 1;
  for (let i = 1; i < list.length; i++) {
    const v = list[i]!;
    let seen = false;
    for (let j = 0; j < n; j++) {
      if (list[j] === v) {
        seen = true;
        break;
      }
    }
    if (!seen) list[n++] = v;
  }
  if (n !== list.length) list.length = n;
  return list;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
