/** Pieces shared by the profiles. */
import type { JsonObject } from '../eve/json.js';
import type { Context } from './types.js';
import { nowUtc, toUtc } from './time.js';

/**
 * `@timestamp` of an event: its EVE `timestamp` in UTC. When that is missing or
 * unreadable the event is kept: an enriched `@timestamp` (Logstash, relays) is
 * used if valid, else the time of reception, and a warning says so.
 */
export function eventTimestamp(e: JsonObject, ctx: Context): string {
  const ts = e.timestamp;
  if (typeof ts === 'string') {
    const utc = toUtc(ts);
    if (utc !== undefined) return utc;
    ctx.warnings.push(`unreadable timestamp ${JSON.stringify(ts.slice(0, 64))}`);
  } else if (ts !== undefined) {
    ctx.warnings.push('timestamp is not a string');
  } else {
    ctx.warnings.push('no timestamp');
  }
  const enriched = e['@timestamp'];
  if (typeof enriched === 'string') {
    const utc = toUtc(enriched);
    if (utc !== undefined) {
      ctx.warnings.push('@timestamp taken from the enriched @timestamp field');
      return utc;
    }
  }
  ctx.warnings.push('@timestamp set to the time of reception');
  return ctx.options.receivedAt ?? nowUtc();
}
