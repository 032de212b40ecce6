/**
 * `flow` (also carried by alerts), `netflow` and `tcp` objects (EVE doc,
 * "Event type: Flow" / "Netflow"): counters to source/destination, times to
 * event.start/end/duration, the rest under jizo.flow / jizo.netflow.
 */
import type { JsonObject } from '../../eve/json.js';
import { ip, keyword, long, put, str } from '../values.js';
import { ipText, utcDate } from './canonical.js';
import { nanosBetween } from './fasttime.js';
import { type Ecs, type Objects, bool, exact, jizo, sum } from './build.js';
import { keepUnmapped, pruned, setKey, without, fits, type KnownKeys, knownKeys } from './keep.js';

// The keys the switch of mapFlow leaves to the default branch, with the kind they map.
const FLOW_KEYS: KnownKeys = knownKeys({
  pkts_toserver: 'int', pkts_toclient: 'int', bytes_toserver: 'int', bytes_toclient: 'int', start: 'str', end: 'str',
  reason: 'str', src_ip: 'str', dest_ip: 'str', src_port: 'int', dest_port: 'int',
});

/** Counters of the source side (sent by source.*) and of the destination side. */
function counters(s: Ecs, srcPkts: unknown, srcBytes: unknown, dstPkts: unknown, dstBytes: unknown): void {
  // Named accesses (not sub(doc, key)): this runs for every flow and alert.
  const doc = s.doc as Objects;
  const sp = long(srcPkts as never);
  const sb = long(srcBytes as never);
  const dp = long(dstPkts as never);
  const db = long(dstBytes as never);
  if (sp !== undefined || sb !== undefined) {
    const src = (doc.source ??= {});
    if (sb !== undefined) src.bytes = sb;
    if (sp !== undefined) src.packets = sp;
  }
  if (dp !== undefined || db !== undefined) {
    const dst = (doc.destination ??= {});
    if (db !== undefined) dst.bytes = db;
    if (dp !== undefined) dst.packets = dp;
  }
  const network = (doc.network ??= {});
  const bytes = sum(sb, db);
  const packets = sum(sp, dp);
  if (bytes !== undefined) network.bytes = bytes;
  if (packets !== undefined) network.packets = packets;
}

/** event.start / event.end, and event.duration in nanoseconds, exact from the microsecond strings. */
function times(s: Ecs, startV: unknown, endV: unknown): void {
  const event = s.doc.event as Record<string, unknown>;
  const start = utcDate(startV as never);
  const end = utcDate(endV as never);
  if (start !== undefined) event.start = start;
  if (end !== undefined) event.end = end;
  if (start === undefined || end === undefined) return;
  const ns = nanosBetween(start, end);
  if (ns === undefined) return;
  if (ns < 0) {
    s.ctx.warnings.push('flow end is before flow start: no event.duration');
    return;
  }
  event.duration = typeof ns === 'bigint' ? exact(s, ns) : ns;
}

/**
 * True when the event's source is the flow's server: an alert on a packet
 * going server -> client (`direction: to_client`) has src_ip = the server,
 * while the flow counters are per flow direction (EVE doc, alert "flow").
 * Decided from the flow's own 5-tuple (Suricata 7+) when it tells, else
 * from `direction`. Flow events are always written client -> server.
 */
function sourceIsServer(s: Ecs, f: JsonObject): boolean {
  if (s.type === 'flow') return false;
  const e = s.e;
  const src = ipText(e.src_ip);
  const fSrc = ipText(f.src_ip);
  const fDst = ipText(f.dest_ip);
  if (src !== undefined && fSrc !== undefined && fDst !== undefined) {
    const asClient = src === fSrc && (f.src_port === undefined || e.src_port === f.src_port);
    const asServer = src === fDst && (f.dest_port === undefined || e.src_port === f.dest_port);
    if (asClient !== asServer) return asServer;
  }
  return e.direction === 'to_client';
}

export function mapFlow(s: Ecs, f: JsonObject): void {
  // source.* / destination.* counters describe source.* / destination.* as mapped.
  if (sourceIsServer(s, f)) counters(s, f.pkts_toclient, f.bytes_toclient, f.pkts_toserver, f.bytes_toserver);
  else counters(s, f.pkts_toserver, f.bytes_toserver, f.pkts_toclient, f.bytes_toclient);
  times(s, f.start, f.end);
  const event = s.doc.event as Record<string, unknown>;
  const reason = str(f.reason);
  // flow.reason: why the flow record was written (timeout, forced, shutdown).
  if (reason !== undefined) event.reason = reason;

  // One pass over the keys: the ones ECS has no field for go to jizo.flow,
  // unknown ones to jizo.unmapped.flow (no probing of absent keys).
  const j = jizo(s, 'flow');
  let rest: Record<string, unknown> | undefined;
  for (const k in f) {
    const v = f[k]!;
    let x: unknown;
    switch (k) {
      case 'state':
      case 'action':
      case 'bypass':
        x = str(v);
        break;
      case 'age':
      case 'tx_cnt':
        x = long(v);
        break;
      case 'alerted':
      case 'elephant':
      case 'wrong_thread':
      case 'emergency':
      case 'dir_flow_reversed':
        x = bool(v);
        break;
      case 'bypassed':
        x = typeof v === 'object' && v !== null && !Array.isArray(v) ? without(v, EMPTY) : undefined;
        break;
      case 'exception_policy':
        x = Array.isArray(v) ? pruned(v) : undefined;
        break;
      default:
        if (!fits(v, FLOW_KEYS.get(k) ?? 'none')) {
          const p = pruned(v);
          if (p !== undefined) setKey((rest ??= {}), k, p);
        }
        continue;
    }
    if (x !== undefined) j[k] = x;
    // A known key with a value of another type is kept too.
    else if (typeof v !== 'object' && v !== '') setKey((rest ??= {}), k, v);
  }
  if (rest !== undefined) setKey(jizo(s, 'unmapped'), 'flow', rest);

  // Alerts of Suricata 7+ carry the flow's own 5-tuple: its source is the client (EVE doc, alert "flow").
  const cip = ip(f.src_ip);
  const sip = ip(f.dest_ip);
  if (cip !== undefined || f.src_port !== undefined) clientServer(s, 'client', cip, f.src_port);
  if (sip !== undefined || f.dest_port !== undefined) clientServer(s, 'server', sip, f.dest_port);
}

function clientServer(s: Ecs, side: 'client' | 'server', addr: string | undefined, port: unknown): void {
  const p = long(port as never);
  if (addr === undefined && p === undefined) return;
  const doc = s.doc as Objects;
  const o = side === 'client' ? (doc.client ??= {}) : (doc.server ??= {});
  if (addr !== undefined) {
    o.address = addr;
    o.ip = addr;
    s.ips.push(addr);
  }
  if (p !== undefined) o.port = p;
}

const EMPTY: ReadonlySet<string> = new Set();
const NETFLOW_KEYS: KnownKeys = knownKeys({
  pkts: 'int', bytes: 'int', start: 'str', end: 'str', age: 'int', min_ttl: 'int', max_ttl: 'int', tx_cnt: 'int',
});

/** netflow: one direction of a flow, src to dest (EVE doc, "Event type: Netflow"). */
export function mapNetflow(s: Ecs, n: JsonObject): void {
  counters(s, n.pkts, n.bytes, undefined, undefined);
  times(s, n.start, n.end);
  const j = jizo(s, 'netflow');
  put(j, 'age', long(n.age));
  put(j, 'min_ttl', long(n.min_ttl));
  put(j, 'max_ttl', long(n.max_ttl));
  put(j, 'tx_cnt', long(n.tx_cnt));
  keepUnmapped(s, 'netflow', n, NETFLOW_KEYS);
}

/** tcp: flags seen on a flow (hex strings and one boolean per flag); one pass over its keys. */
export function mapTcp(s: Ecs, t: JsonObject): void {
  const j = jizo(s, 'tcp');
  let rest: Record<string, unknown> | undefined;
  for (const k in t) {
    const v = t[k]!;
    switch (k) {
      case 'tcp_flags':
      case 'tcp_flags_ts':
      case 'tcp_flags_tc':
      case 'state': {
        const x = keyword(v);
        if (x !== undefined) j[k] = x;
        break;
      }
      case 'syn':
      case 'fin':
      case 'rst':
      case 'psh':
      case 'ack':
      case 'urg':
      case 'ecn':
      case 'cwr':
      case 'ns':
        if (typeof v === 'boolean') j[k] = v;
        else if (v !== null && v !== '') setKey((rest ??= {}), k, v);
        break;
      case 'ts_max_regions':
      case 'tc_max_regions': {
        const x = long(v);
        if (x !== undefined) j[k] = x;
        else if (v !== null && v !== '') setKey((rest ??= {}), k, v);
        break;
      }
      default:
        // Keys this version does not know are kept under jizo.unmapped.tcp.
        if (v !== null && v !== '') setKey((rest ??= {}), k, v);
    }
  }
  if (rest !== undefined) setKey(jizo(s, 'unmapped'), 'tcp', rest);
}
