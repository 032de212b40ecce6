/**
 * The outcome of one line, the one step the two runtimes share (the streaming
 * pipeline of `serve`, the batch runtime of `normalize` and its workers):
 * every line becomes exactly one document, one rejection, or one counted blank
 * line. Each runtime says what to do with each (count, serialize, dead-letter)
 * through the routes it passes; nothing is allocated per line for the routing.
 */
import type { RejectReason } from '../decode/index.js';
import { isBlank } from '../io/lines.js';
import type { LineNormalizer } from './load.js';
import type { NormalizeOptions, Normalized } from './types.js';

/** What becomes of a line. */
export interface LineRoutes {
  blank(): void;
  document(result: Normalized): void;
  rejected(reason: RejectReason, error: string): void;
}

/** Routes one line: blank, normalized document, or rejection. */
export function routeLine(text: string, normalize: LineNormalizer, options: NormalizeOptions, to: LineRoutes): void {
  if (isBlank(text)) {
    to.blank();
    return;
  }
  const r = normalize(text, options);
  if (r.ok) to.document(r);
  else to.rejected(r.reason, r.message);
}

/**
 * A line that became no document: what the CLI's rejection records
 * (`--errors`) and `serve`'s dead letters have in common.
 */
export interface RejectedLine {
  /** Rejection reason code, or the sink's error type for refused events. */
  reason: RejectReason | string;
  /** Human message. */
  error: string;
  /** The line (cut to a few KB where the record says so), or the refused document's JSON. */
  raw: string;
}
