/** Describing one input line: a normalized document (NDJSON), or a raw event to normalize first. */
import { isObject, parseJson } from '../eve/json.js';
import { normalizeLine } from '../normalize/index.js';
import type { ProfileName } from '../normalize/types.js';
import type { RejectReason } from '../decode/index.js';
import type { Description } from './engine.js';
import { describe } from './index.js';

export interface DescribeLineOptions {
  /**
   * The line is a raw event (EVE, syslog, envelope): normalize it with
   * `profile` first. `false`: it is a normalized document. Not given: a line
   * that is no ECS document (no `@timestamp`) but normalizes as a raw event is
   * taken as one, and the result says so (`raw: true`).
   */
  raw?: boolean;
  profile?: ProfileName;
}

export type DescribedLine =
  | {
      ok: true;
      description: Description;
      /** Set when the line was not said to be raw but was detected as a raw event and normalized first. */
      raw?: true;
    }
  | { ok: false; reason: RejectReason; message: string };

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
    // Not JSON: a syslog line carrying an event, unless told it is a document.
    if (options.raw === undefined) {
      const detected = describeRaw(text, options);
      if (detected !== undefined) return detected;
    }
    return { ok: false, reason: 'not_json', message: (e as Error).message };
  }
  if (!isObject(value)) return { ok: false, reason: 'not_object', message: 'the line is not a JSON object' };
  // Every normalized document has @timestamp; a raw EVE event (or envelope) has not.
  if (options.raw === undefined && !('@timestamp' in value)) {
    const detected = describeRaw(text, options);
    if (detected !== undefined) return detected;
  }
  return { ok: true, description: describe(value) };
}

/** The description of `text` as a raw event, or undefined when it is none. */
function describeRaw(text: string, options: DescribeLineOptions): DescribedLine | undefined {
  const r = normalizeLine(text, { profile: options.profile ?? 'sekoia' });
  return r.ok ? { ok: true, description: describe(r.document), raw: true } : undefined;
}
