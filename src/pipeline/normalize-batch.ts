/**
 * Normalization step of the pipeline: raw events -> output events for the
 * sinks and dead letters for rejections, one outcome per event.
 */
import { isBlank } from '../io/lines.js';
import { normalizeLine } from '../normalize/index.js';
import type { NormalizeOptions } from '../normalize/types.js';
import { toJson } from '../serialize.js';
import { eventId } from './event-id.js';
import { rawText, type DeadLetter, type Origin, type OutputEvent, type RawEvent, type SubmissionCounts } from './types.js';

/** A run of consecutive events of one submission inside a batch. */
export interface Segment {
  origin: Origin;
  counts: SubmissionCounts;
  events: RawEvent[];
}

export interface NormalizedBatch {
  outputs: OutputEvent[];
  /** Origin of each output event (same index). */
  origins: Origin[];
  deadLetters: DeadLetter[];
  normalized: number;
  rejected: number;
  blank: number;
}

/** `ids`: give every output event its deterministic id (a sink writes under it). */
export function normalizeSegments(segments: Segment[], options: NormalizeOptions, ids = false): NormalizedBatch {
  const out: NormalizedBatch = { outputs: [], origins: [], deadLetters: [], normalized: 0, rejected: 0, blank: 0 };
  const opts: NormalizeOptions = { ...options };
  for (const seg of segments) {
    const c = seg.counts;
    for (const ev of seg.events) {
      if (ev.reject !== undefined) {
        c.rejected++;
        out.rejected++;
        out.deadLetters.push(rejection(seg.origin, ev, ev.reject.reason, ev.reject.message));
        continue;
      }
      const raw = rawText(ev);
      if (isBlank(raw)) {
        c.blank++;
        out.blank++;
        continue;
      }
      opts.receivedAt = ev.receivedAt;
      const r = normalizeLine(raw, opts);
      if (r.ok) {
        c.normalized++;
        out.normalized++;
        const ts = r.document['@timestamp'];
        const o: OutputEvent = { json: toJson(r.document, r.lossless), timestamp: typeof ts === 'string' ? ts : undefined };
        if (ids) o.id = eventId(seg.origin.source, ev);
        out.outputs.push(o);
        out.origins.push(seg.origin);
      } else {
        c.rejected++;
        out.rejected++;
        out.deadLetters.push(rejection(seg.origin, ev, r.reason, r.message, raw));
      }
    }
  }
  return out;
}

function rejection(origin: Origin, ev: RawEvent, reason: DeadLetter['reason'], error: string, raw = rawText(ev)): DeadLetter {
  const d: DeadLetter = { kind: 'rejected', source: origin.source, reason, error, raw, at: ev.receivedAt };
  if (origin.detail !== undefined) d.detail = origin.detail;
  return d;
}
