/** Describing one input line: a normalized document (NDJSON), or a raw event to normalize first. */
import { isObject, parseJson } from '../eve/json.js';
import { normalizeLine } from '../normalize/index.js';
import type { ProfileName } from '../normalize/types.js';
import type { Description } from './engine.js';
import { describe } from './index.js';

export interface DescribeLineOptions {
  /** The line is a raw event (EVE, syslog, envelope): normalize it with `profile` first. */
  raw?: boolean;
  profile?: ProfileName;
}

export type DescribedLine = { ok: true; description: Description } | { ok: false; reason: string; message: string };

/** Describes one line; never throws on any input string. */
export function describeLine(text: string, options: DescribeLineOptions = {}): DescribedLine {
  if (options.raw === true) {
    const r = normalizeLine(text, { profile: options.profile ?? 'sekoia' });
    return r.ok ? { ok: true, description: describe(r.document) } : { ok: false, reason: r.reason, message: r.message };
  }
  let value;
  try {
    value = parseJson(text).value;
  } catch (e) {
    return { ok: false, reason: 'invalid_json', message: (e as Error).message };
  }
  if (!isObject(value)) return { ok: false, reason: 'not_object', message: 'the line is not a JSON object' };
  return { ok: true, description: describe(value) };
}
