/**
 * Normalization step of the pipeline: raw events -> output events for the
 * sinks and dead letters for rejections, one outcome per event.
 */
import { normalizeLine } from '../normalize/index.js';
import type { EnrichStep } from '../normalize/core.js';
import { routeLine, type LineRoutes } from '../normalize/outcome.js';
import type { NormalizeOptions } from '../normalize/types.js';
import { toJson } from '../serialize.js';
import { eventId } from './event-id.js';
import type { PipelineObserver } from './stats/event-stats.js';
import { EncodedEvent, type EncodedBatch } from '../component/encoded-batch.js';
import { rawText, type Sink, type DeadLetter, type Origin, type OutputEvent, type RawEvent, type SubmissionCounts } from '../component/types.js';

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

/** What the step makes of each event beyond its normalized document, as the sinks and the service ask. */
export interface SegmentOutputs {
  /** Give every output event its deterministic id (a sink writes under it). */
  ids: boolean;
  /** Give it its received form (a sink forwards it). */
  raws: boolean;
  /** Serialize its document: false when every sink forwards the received form (`json` is then empty). */
  documents: boolean;
  /** The enrichment step, when the configuration asks for one. */
  enrich?: EnrichStep;
  /** Shown every document (the status page's statistics). */
  observer?: PipelineObserver;
}

/** Output events for `sinks`: ids, raw forms and documents as they ask. */
export function outputsFor(sinks: readonly Sink[], enrich?: EnrichStep, observer?: PipelineObserver): SegmentOutputs {
  return {
    ids: sinks.some((s) => s.wantsIds === true),
    raws: sinks.some((s) => s.wantsRaw === true),
    documents: sinks.some((s) => s.wantsRaw !== true),
    enrich,
    observer,
  };
}

/** An empty batch to normalize into. */
export function emptyNormalizedBatch(): NormalizedBatch {
  return { outputs: [], origins: [], deadLetters: [], normalized: 0, rejected: 0, blank: 0 };
}

/**
 * Normalizes the events of `segments` and adds what became of them to `out`;
 * the documents are written into `encoded` (see EncodedBatch).
 */
export function normalizeSegments(
  segments: Segment[],
  options: NormalizeOptions,
  { ids, raws, documents, enrich, observer }: SegmentOutputs,
  encoded: EncodedBatch,
  out: NormalizedBatch = emptyNormalizedBatch(),
): NormalizedBatch {
  const normalize = (text: string, o: NormalizeOptions) => normalizeLine(text, o, undefined, enrich);
  const opts: NormalizeOptions = { ...options };
  // the routes read the event being handled from here: no closure per event
  let seg0: Segment;
  let ev0: RawEvent;
  let raw = '';
  const routes: LineRoutes = {
    blank() {
      seg0.counts.blank++;
      out.blank++;
    },
    document(r) {
      seg0.counts.normalized++;
      out.normalized++;
      const ts = r.document['@timestamp'];
      const timestamp = typeof ts === 'string' ? ts : undefined;
      let o: EncodedEvent;
      if (documents) {
        const start = encoded.line(toJson(r.document, r.lossless));
        o = new EncodedEvent(encoded, start, encoded.length - 1, timestamp);
      } else {
        o = new EncodedEvent(encoded, 0, 0, timestamp);
      }
      if (ids) o.id = eventId(seg0.origin.source, ev0);
      if (raws) o.raw = { data: ev0.bytes ?? raw, receivedAt: ev0.receivedAt, origin: seg0.origin };
      out.outputs.push(o);
      out.origins.push(seg0.origin);
      if (observer !== undefined) observer.document(r, seg0.origin.source, ev0.receivedAt);
    },
    rejected(reason, error) {
      seg0.counts.rejected++;
      out.rejected++;
      out.deadLetters.push(rejection(seg0.origin, ev0, reason, error, raw));
    },
  };
  for (const seg of segments) {
    const c = seg.counts;
    for (const ev of seg.events) {
      if (ev.reject !== undefined) {
        c.rejected++;
        out.rejected++;
        out.deadLetters.push(rejection(seg.origin, ev, ev.reject.reason, ev.reject.message));
        continue;
      }
      seg0 = seg;
      ev0 = ev;
      raw = rawText(ev);
      opts.receivedAt = ev.receivedAt;
      routeLine(raw, normalize, opts, routes);
    }
  }
  return out;
}

function rejection(origin: Origin, ev: RawEvent, reason: DeadLetter['reason'], error: string, raw = rawText(ev)): DeadLetter {
  const d: DeadLetter = { kind: 'rejected', source: origin.source, reason, error, raw, at: ev.receivedAt };
  if (origin.detail !== undefined) d.detail = origin.detail;
  return d;
}
