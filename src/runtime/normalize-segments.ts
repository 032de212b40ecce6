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
import { rawText, type Sink, type DeadLetter, type Origin, type RawEvent, type RawOutput, type SubmissionCounts } from '../component/types.js';

/** A run of consecutive events of one submission inside a batch. */
export interface Segment {
  origin: Origin;
  counts: SubmissionCounts;
  events: RawEvent[];
}

/**
 * What became of the events of a batch. Output events are kept as columns
 * (spans of the encoded batch, and ids, received forms and timestamps only
 * when a sink asks for them), not as one object each: a batch waits for its
 * sinks across many young-generation collections, and objects per event
 * would be copied and promoted by each. {@link outputEvents} makes the
 * objects the sinks are given, when the batch is written.
 */
export interface NormalizedBatch {
  /** Start and end (before its LF) of each output event's document in the encoded batch: [s0, e0, s1, e1 ...]. */
  spans: number[];
  /** Per output event, when a sink asks (`SegmentOutputs`). */
  timestamps?: (string | undefined)[];
  ids?: string[];
  raws?: RawOutput[];
  /** Where the output events came from, as runs: `origin` is that of the events before `end` (and after the previous run). */
  origins: { origin: Origin; end: number }[];
  deadLetters: DeadLetter[];
  normalized: number;
  rejected: number;
  blank: number;
}

/** Output events of the batch, for its sinks. */
export function outputEvents(n: NormalizedBatch, encoded: EncodedBatch): EncodedEvent[] {
  const { spans, timestamps, ids, raws } = n;
  const out = new Array<EncodedEvent>(spans.length / 2);
  for (let i = 0; i < out.length; i++) {
    const e = new EncodedEvent(encoded, spans[2 * i]!, spans[2 * i + 1]!, timestamps?.[i]);
    if (ids !== undefined) e.id = ids[i];
    if (raws !== undefined) e.raw = raws[i];
    out[i] = e;
  }
  return out;
}

/** Where output event `index` came from. */
export function originOf(n: NormalizedBatch, index: number): Origin {
  for (const run of n.origins) if (index < run.end) return run.origin;
  throw new RangeError(`no output event ${index} in the batch`);
}

/** What the step makes of each event beyond its normalized document, as the sinks and the service ask. */
export interface SegmentOutputs {
  /** Give every output event its deterministic id (a sink writes under it). */
  ids: boolean;
  /** Give it its received form (a sink forwards it). */
  raws: boolean;
  /** Give it its document's `@timestamp` (a sink routes by time). */
  timestamps: boolean;
  /** Serialize its document: false when every sink forwards the received form (`json` is then empty). */
  documents: boolean;
  /** The enrichment step, when the configuration asks for one. */
  enrich?: EnrichStep;
  /** Shown every document (the status page's statistics). */
  observer?: PipelineObserver;
}

/** Output events for `sinks`: ids, raw forms, timestamps and documents as they ask. */
export function outputsFor(sinks: readonly Sink[], enrich?: EnrichStep, observer?: PipelineObserver): SegmentOutputs {
  return {
    ids: sinks.some((s) => s.wantsIds === true),
    raws: sinks.some((s) => s.wantsRaw === true),
    timestamps: sinks.some((s) => s.wantsTimestamps === true),
    documents: sinks.some((s) => s.wantsRaw !== true),
    enrich,
    observer,
  };
}

/** An empty batch to normalize into. */
export function emptyNormalizedBatch({ ids, raws, timestamps }: SegmentOutputs): NormalizedBatch {
  const n: NormalizedBatch = { spans: [], origins: [], deadLetters: [], normalized: 0, rejected: 0, blank: 0 };
  if (ids) n.ids = [];
  if (raws) n.raws = [];
  if (timestamps) n.timestamps = [];
  return n;
}

/**
 * Normalizes the events of `segments` and adds what became of them to `out`;
 * the documents are written into `encoded` (see EncodedBatch).
 */
export function normalizeSegments(
  segments: Segment[],
  options: NormalizeOptions,
  outputs: SegmentOutputs,
  encoded: EncodedBatch,
  out: NormalizedBatch = emptyNormalizedBatch(outputs),
): NormalizedBatch {
  const { documents, enrich, observer } = outputs;
  const { spans } = out;
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
      if (documents) {
        const start = encoded.line(toJson(r.document, r.lossless));
        spans.push(start, encoded.length - 1);
      } else {
        spans.push(0, 0);
      }
      const ts = r.document['@timestamp'];
      addOutputEvent(out, seg0.origin, typeof ts === 'string' ? ts : undefined, ev0, ev0);
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

/**
 * Completes the output event whose document's span was just added to
 * `out.spans`: its time, id (from `received`'s bytes) and received form
 * (`kept`, the source's event) when the batch keeps them, and its origin.
 */
export function addOutputEvent(out: NormalizedBatch, origin: Origin, timestamp: string | undefined, received: RawEvent, kept: RawEvent | undefined): void {
  if (out.timestamps !== undefined) out.timestamps.push(timestamp);
  if (out.ids !== undefined) out.ids.push(eventId(origin.source, received));
  if (out.raws !== undefined) out.raws.push({ data: kept!.bytes ?? kept!.raw, receivedAt: kept!.receivedAt, origin });
  const runs = out.origins;
  const last = runs[runs.length - 1];
  if (last !== undefined && last.origin === origin) last.end++;
  else runs.push({ origin, end: out.spans.length / 2 });
}

/** The dead letter of an event that became no document. */
export function rejection(origin: Origin, ev: RawEvent, reason: DeadLetter['reason'], error: string, raw = rawText(ev)): DeadLetter {
  const d: DeadLetter = { kind: 'rejected', source: origin.source, reason, error, raw, at: ev.receivedAt };
  if (origin.detail !== undefined) d.detail = origin.detail;
  return d;
}
