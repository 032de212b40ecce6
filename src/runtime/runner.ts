/**
 * The pipeline runner: the `Ingest` offered to sources. Events are admitted
 * against a bounded capacity (events and bytes) into batches cut by count,
 * bytes or time, normalized (as they are admitted, on this thread, or once
 * their batch is sealed, on a normalization thread of `pool`: their bytes
 * wait in the batch, not the event objects), written to every sink (each
 * sink sees batches in order), and their refusals and rejections written to
 * the dead-letter output.
 * A submission is acknowledged (`durable` resolves) once all its events are
 * durable everywhere or dead-lettered; acknowledgements follow submission order.
 * A failed sink write is retried with backoff, for ever: a batch is never dropped.
 */
import type { Logger } from 'pino';
import type { NormalizeOptions } from '../normalize/types.js';
import type { EnrichStep } from '../normalize/core.js';
import { Capacity } from './capacity.js';
import { EncodedBatchPool, type EncodedBatch } from '../component/encoded-batch.js';
import { addOutputEvent, emptyNormalizedBatch, normalizeSegments, originOf, outputEvents, outputsFor, rejection, type NormalizedBatch, type Segment, type SegmentOutputs } from './normalize-segments.js';
import type { BatchInput, NormalizePool } from './normalize-pool.js';
import { OUTCOME_BLANK, OUTCOME_DOCUMENT, type NormalizeReply } from './normalize-protocol.js';
import { addEnrichStats } from '../enrich/stats.js';
import type { Enricher } from '../enrich/enricher.js';
import type { PipelineObserver } from './stats/event-stats.js';
import { backoffDelay, sleep } from '../io/backoff.js';
import { rawSize, type DeadLetter, type Ingest, type Origin, type OutputEvent, type RawEvent, type Sink, type Submission, type SubmissionCounts, type WriteResult } from '../component/types.js';

export interface PipelineOptions {
  normalize: NormalizeOptions;
  /** The enrichment step after normalization (GeoIP, direction, Community ID), when configured. */
  enrich?: EnrichStep;
  /** Capacity: events accepted and not yet finished. */
  maxEvents: number;
  /** Capacity: characters of raw text accepted and not yet finished. */
  maxBytes: number;
  batchMaxEvents: number;
  batchMaxBytes: number;
  batchMaxWaitMs: number;
  /** Batches being written at once (each sink still sees them in order). */
  maxInFlight: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Shown every document and dead letter (statistics of the status page). */
  observer?: PipelineObserver;
  /**
   * Normalization threads: batches are normalized there once sealed, not on
   * admission. The pipeline does not own them (the service starts and stops them).
   */
  pool?: NormalizePool;
  /** With `pool`: the enricher whose counters the threads' enrichment counts are added to (the service's, for its metrics). */
  enrichStats?: Enricher;
}

/** Pipeline-wide counters (exported as metrics). */
export interface PipelineStats {
  received: number;
  normalized: number;
  rejected: number;
  blank: number;
  /** (event, sink) pairs refused by a sink. */
  refused: number;
  deadLettered: number;
  /** Events finished (durable everywhere or dead-lettered). */
  finished: number;
  /** Dead letters the dead-letter output itself refused (lost, logged). */
  deadLetterLost: number;
  /** Failed writes retried, per sink name. */
  retries: Map<string, number>;
}

/** Stands for an event whose bytes nothing reads (no sink asks for ids). */
const EMPTY_EVENT: RawEvent = { raw: '', receivedAt: '' };

/** A submission's events in a batch waiting for a normalization thread. */
interface PendingSegment {
  origin: Origin;
  counts: SubmissionCounts;
  /** Its events, including those its source had rejected. */
  size: number;
  /** Those its source had rejected (not in the batch's input), by position. */
  rejects: { at: number; ev: RawEvent }[];
  /** The event objects, kept only when a sink forwards the received form. */
  events?: RawEvent[];
}

interface Tracker {
  remaining: number;
  counts: SubmissionCounts;
  resolve(): void;
}

/**
 * A batch: the events of consecutive submissions, normalized as they arrived.
 * It is open (taking events) until full or `batch_max_wait` old, then ready,
 * then in flight until every sink and the dead-letter output are done.
 */
interface Batch {
  /** Output events, their origins and the dead letters. */
  normalized: NormalizedBatch;
  /** The memory of its documents, given back to the pool when the batch is finished. */
  encoded: EncodedBatch;
  /** With normalization threads: the runs of events taken (their bytes are in `input`), normalized once the batch is sealed. */
  pending: PendingSegment[];
  input?: BatchInput;
  /** Events were normalized into it on admission, on this thread (the pool is broken, or there is none). */
  here?: boolean;
  /** Set when sealed with `pending`: resolves once they are normalized (here if a thread failed; never rejects). */
  normalizing?: Promise<void>;
  trackers: { tracker: Tracker; count: number }[];
  events: number;
  bytes: number;
  done: boolean;
}

function rawBytes(events: RawEvent[]): number {
  let n = 0;
  for (const e of events) n += rawSize(e);
  return n;
}

export class Pipeline implements Ingest {
  readonly stats: PipelineStats = {
    received: 0, normalized: 0, rejected: 0, blank: 0, refused: 0, deadLettered: 0, finished: 0, deadLetterLost: 0,
    retries: new Map(),
  };
  readonly capacity: Capacity;
  /** The batch taking events; its timer seals it after batch_max_wait. */
  private open: Batch | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Sealed batches waiting for a slot (max_in_flight). */
  private readonly ready: Batch[] = [];
  private readonly inFlight: Batch[] = [];
  private readonly sinkTails: Promise<unknown>[];
  private deadLetterTail: Promise<unknown> = Promise.resolve();
  /** Resolves once the last batch in flight has been handed to every sink: batches are handed on in order, whenever their normalization ends. */
  private handedOn: Promise<void> = Promise.resolve();
  private closing = false;
  /** Set when the service starts stopping: batches are cut at once instead of waiting for batch_max_wait. */
  private hurried = false;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  /** Sinks whose last write failed (retrying). */
  readonly failing = new Set<string>();
  /** What the sinks need of each output event (ids, raw forms, documents). */
  private readonly outputs: SegmentOutputs;
  /** Memory of the batches' documents: one buffer per batch in flight, reused. */
  private readonly encodedPool: EncodedBatchPool;

  constructor(
    private readonly options: PipelineOptions,
    private readonly sinks: Sink[],
    private readonly deadLetter: Sink,
    private readonly logger: Logger,
  ) {
    this.capacity = new Capacity(options.maxEvents, options.maxBytes);
    this.sinkTails = sinks.map(() => Promise.resolve());
    this.outputs = outputsFor(sinks, options.enrich, options.observer);
    this.encodedPool = new EncodedBatchPool(options.maxInFlight + 2);
  }

  async submit(events: RawEvent[], origin: Origin): Promise<Submission> {
    if (this.closing) throw new Error('the pipeline is stopping');
    const bytes = rawBytes(events);
    const wait = this.capacity.take(events.length, bytes);
    if (wait) await wait;
    return this.accept(events, origin);
  }

  trySubmit(events: RawEvent[], origin: Origin): Submission | undefined {
    if (this.closing) return undefined;
    const bytes = rawBytes(events);
    if (!this.capacity.tryTake(events.length, bytes)) return undefined;
    return this.accept(events, origin);
  }

  get limits(): { maxEvents: number; maxBytes: number } {
    return { maxEvents: this.capacity.maxEvents, maxBytes: this.capacity.maxBytes };
  }

  countBlank(n: number): void {
    this.stats.received += n;
    this.stats.blank += n;
    this.stats.finished += n;
  }

  /**
   * Normalizes the events at once into the open batch (cutting batches by
   * count and bytes): what waits for the sinks is their documents' bytes,
   * not the received events, which die young.
   */
  private accept(events: RawEvent[], origin: Origin): Submission {
    const counts: SubmissionCounts = { received: events.length, normalized: 0, rejected: 0, blank: 0 };
    this.stats.received += events.length;
    if (events.length === 0) return { durable: Promise.resolve(), counts };
    let resolve!: () => void;
    const durable = new Promise<void>((r) => (resolve = r));
    const tracker: Tracker = { remaining: events.length, counts, resolve };
    const o = this.options;
    for (let i = 0; i < events.length; ) {
      const batch = this.open ?? this.openBatch();
      let end = i;
      let taken = 0;
      // At least one event per batch, however large.
      while (end < events.length && batch.events + (end - i) < o.batchMaxEvents && batch.bytes + taken < o.batchMaxBytes) {
        taken += rawSize(events[end]!);
        end++;
      }
      const part = i === 0 && end === events.length ? events : events.slice(i, end);
      // A batch is normalized one way: on a thread once sealed (it falls back to this thread then if the pool broke meanwhile), or here.
      if (o.pool !== undefined && (batch.pending.length > 0 || (!batch.here && !o.pool.broken))) this.take(batch, o.pool, { origin, counts, events: part });
      else {
        batch.here = true;
        this.normalizeHere(batch, [{ origin, counts, events: part }]);
      }
      batch.trackers.push({ tracker, count: end - i });
      batch.events += end - i;
      batch.bytes += taken;
      i = end;
      if (batch.events >= o.batchMaxEvents || batch.bytes >= o.batchMaxBytes || this.closing || this.hurried) this.seal();
    }
    this.schedule();
    return { durable, counts };
  }

  /** Normalizes `segments` into `batch` on this thread. */
  private normalizeHere(batch: Batch, segments: Segment[]): void {
    const n = batch.normalized;
    const before = { normalized: n.normalized, rejected: n.rejected, blank: n.blank };
    normalizeSegments(segments, this.options.normalize, this.outputs, batch.encoded, n);
    this.stats.normalized += n.normalized - before.normalized;
    this.stats.rejected += n.rejected - before.rejected;
    this.stats.blank += n.blank - before.blank;
  }

  /** Copies the received bytes of `seg`'s events into the batch's input, for a normalization thread. */
  private take(batch: Batch, pool: NormalizePool, seg: Segment): void {
    const input = (batch.input ??= pool.input());
    const p: PendingSegment = { origin: seg.origin, counts: seg.counts, size: seg.events.length, rejects: [] };
    if (this.outputs.raws) p.events = seg.events;
    seg.events.forEach((ev, at) => {
      if (ev.reject !== undefined) p.rejects.push({ at, ev });
      else input.add(ev);
    });
    batch.pending.push(p);
  }

  /** Normalizes the batch's events on a normalization thread (on this one when the thread fails). */
  private async normalizeElsewhere(batch: Batch, pool: NormalizePool): Promise<void> {
    const pending = batch.pending;
    batch.pending = [];
    const input = batch.input;
    batch.input = undefined;
    let reply: NormalizeReply | undefined;
    if (input !== undefined && input.count > 0) {
      const observer = this.options.observer;
      // The batch's pooled memory goes to the thread to write the documents into, and comes back with them.
      const mem = batch.encoded.buffer;
      const output = mem.length > 0 && mem.byteOffset === 0 && mem.length === mem.buffer.byteLength ? (mem.buffer as ArrayBuffer) : undefined;
      try {
        reply = await pool.normalize(input, { sampling: observer?.sampling ?? 0, recent: observer?.recentDocuments ?? 0, timestamps: this.outputs.timestamps }, output);
      } catch {
        // The thread failed (the pool logged it): this thread normalizes the batch from its bytes. Its memory may be gone with the thread.
        if (output !== undefined) batch.encoded = this.encodedPool.acquire();
        this.normalizeHere(batch, segmentsOf(pending, input));
        pool.recycle(input);
        return;
      }
      batch.encoded.buffer = Buffer.from(reply.data.buffer, 0, reply.data.buffer.byteLength);
      batch.encoded.length = reply.data.byteOffset + reply.data.byteLength;
      if (reply.enrich !== undefined && this.options.enrichStats !== undefined) addEnrichStats(this.options.enrichStats.stats, reply.enrich);
    }
    this.takeReply(batch, pending, input, reply);
    if (input !== undefined) pool.recycle(input);
  }

  /** What became of each event of `pending`, from the thread's reply (and the events their source had rejected). */
  private takeReply(batch: Batch, pending: PendingSegment[], input: BatchInput | undefined, reply: NormalizeReply | undefined): void {
    const n = batch.normalized;
    const firstDoc = n.spans.length / 2;
    const before = { normalized: n.normalized, rejected: n.rejected, blank: n.blank };
    /** Per document of this reply: its event's index in `input` (for the status page's last documents). */
    const docEvents: number[] = [];
    let k = 0;
    let r = 0;
    for (const seg of pending) {
      const c = seg.counts;
      let ri = 0;
      for (let at = 0; at < seg.size; at++) {
        const refused = seg.rejects[ri];
        if (refused !== undefined && refused.at === at) {
          ri++;
          c.rejected++;
          n.rejected++;
          n.deadLetters.push(rejection(seg.origin, refused.ev, refused.ev.reject!.reason, refused.ev.reject!.message));
          continue;
        }
        const outcome = reply!.outcomes[k];
        if (outcome === OUTCOME_DOCUMENT) {
          c.normalized++;
          n.normalized++;
          const d = docEvents.length;
          n.spans.push(reply!.spans[2 * d]!, reply!.spans[2 * d + 1]!);
          const received = n.ids !== undefined ? { raw: '', bytes: input!.event(k), receivedAt: '' } : EMPTY_EVENT;
          addOutputEvent(n, seg.origin, reply!.timestamps?.[d], received, seg.events?.[at]);
          docEvents.push(k);
        } else if (outcome === OUTCOME_BLANK) {
          c.blank++;
          n.blank++;
        } else {
          const rej = reply!.rejections[r++]!;
          c.rejected++;
          n.rejected++;
          n.deadLetters.push(rejection(seg.origin, { raw: '', bytes: input!.event(k), receivedAt: input!.receivedAtOf(k) }, rej.reason, rej.error));
        }
        k++;
      }
    }
    this.stats.normalized += n.normalized - before.normalized;
    this.stats.rejected += n.rejected - before.rejected;
    this.stats.blank += n.blank - before.blank;
    const observer = this.options.observer;
    if (observer !== undefined && reply !== undefined) {
      observer.sampled(docEvents.length, reply.samples);
      const buf = batch.encoded.buffer;
      for (let d = Math.max(0, docEvents.length - observer.recentDocuments); d < docEvents.length; d++) {
        const i = firstDoc + d;
        observer.recentJson(buf.toString('utf8', n.spans[2 * i], n.spans[2 * i + 1]), originOf(n, i).source, input!.receivedAtOf(docEvents[d]!));
      }
    }
  }

  private openBatch(): Batch {
    const batch: Batch = { normalized: emptyNormalizedBatch(this.outputs), encoded: this.encodedPool.acquire(), pending: [], trackers: [], events: 0, bytes: 0, done: false };
    this.open = batch;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.open === batch) this.seal();
      this.schedule();
    }, this.options.batchMaxWaitMs);
    return batch;
  }

  /** Closes the open batch: it is written as soon as a slot is free. */
  private seal(): void {
    if (this.open === undefined) return;
    const pool = this.options.pool;
    if (pool !== undefined && this.open.pending.length > 0) this.open.normalizing = this.normalizeElsewhere(this.open, pool);
    this.ready.push(this.open);
    this.open = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts writing ready batches while slots are free. */
  private schedule(): void {
    if (this.closing || this.hurried) this.seal();
    while (this.ready.length > 0 && this.inFlight.length < this.options.maxInFlight) {
      const batch = this.ready.shift()!;
      this.inFlight.push(batch);
      const previous = this.handedOn;
      let handed!: () => void;
      this.handedOn = new Promise<void>((r) => (handed = r));
      this.process(batch, previous, handed).then(
        () => this.finish(batch),
        (e: Error) => {
          // Only an abort (forced stop) ends here: the batch stays unacknowledged.
          if (!this.abort.signal.aborted) this.logger.error({ err: e }, 'batch failed');
        },
      );
    }
  }

  /**
   * Writes the batch to every sink (once `previous`, the batch before it, was
   * handed to them; then `handed` says this one was) and its dead letters.
   */
  private async process(batch: Batch, previous: Promise<void>, handed: () => void): Promise<void> {
    let writes: Promise<WriteResult[]> | undefined;
    let outputs: OutputEvent[] = [];
    try {
      if (batch.normalizing !== undefined) await batch.normalizing;
      await previous;
      const n = batch.normalized;
      if (n.spans.length > 0) {
        // The event objects live only while the batch is written.
        outputs = outputEvents(n, batch.encoded);
        writes = Promise.all(this.sinks.map((s, i) => this.writeInOrder(i, s, outputs)));
      }
    } finally {
      handed();
    }
    const n = batch.normalized;
    const deadLetters = n.deadLetters;
    if (writes !== undefined) {
      const results = await writes;
      const at = new Date().toISOString();
      results.forEach((r, i) => {
        for (const f of r.refused) deadLetters.push(refusal(this.sinks[i]!, originOf(n, f.index), outputs[f.index]!, f, at));
        this.stats.refused += r.refused.length;
      });
    }
    if (deadLetters.length > 0) {
      const observer = this.options.observer;
      if (observer !== undefined) for (const d of deadLetters) observer.deadLetter(d);
      await this.writeDeadLetters(deadLetters);
    }
  }

  private writeInOrder(i: number, sink: Sink, outputs: OutputEvent[]): Promise<WriteResult> {
    // A pipelined sink orders calls itself: the next batch need not wait for this one to be durable.
    if (sink.pipelined) return this.writeWithRetry(sink, outputs);
    const p = this.sinkTails[i]!.then(() => this.writeWithRetry(sink, outputs));
    this.sinkTails[i] = p.catch(() => undefined);
    return p;
  }

  private writeDeadLetters(records: DeadLetter[]): Promise<void> {
    const outputs = records.map((r): OutputEvent => ({ json: JSON.stringify(r), timestamp: r.at }));
    const p = this.deadLetterTail.then(() => this.writeWithRetry(this.deadLetter, outputs));
    this.deadLetterTail = p.catch(() => undefined);
    return p.then((r) => {
      this.stats.deadLettered += records.length - r.refused.length;
      if (r.refused.length > 0) {
        this.stats.deadLetterLost += r.refused.length;
        this.logger.error({ sink: this.deadLetter.name, count: r.refused.length, reason: r.refused[0]!.reason }, 'the dead-letter output refused records');
      }
    });
  }

  private async writeWithRetry(sink: Sink, outputs: OutputEvent[]): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await sink.write(outputs);
        if (attempt > 1) this.logger.info({ sink: sink.name, attempt }, 'sink write succeeded after retries');
        this.failing.delete(sink.name);
        return r;
      } catch (e) {
        if (this.abort.signal.aborted) throw e;
        this.failing.add(sink.name);
        this.stats.retries.set(sink.name, (this.stats.retries.get(sink.name) ?? 0) + 1);
        const delay = backoffDelay(attempt, { initialMs: this.options.retryInitialMs, maxMs: this.options.retryMaxMs });
        this.logger.warn({ sink: sink.name, attempt, delayMs: delay, error: (e as Error).message }, 'sink write failed, retrying');
        await sleep(delay, this.abort.signal);
      }
    }
  }

  /** Marks a batch done and acknowledges, in order, every batch at the head that is done. */
  private finish(batch: Batch): void {
    batch.done = true;
    while (this.inFlight.length > 0 && this.inFlight[0]!.done) {
      const b = this.inFlight.shift()!;
      // Every sink and the dead-letter output are done with it.
      this.encodedPool.release(b.encoded);
      for (const t of b.trackers) {
        t.tracker.remaining -= t.count;
        if (t.tracker.remaining === 0) t.tracker.resolve();
      }
      this.stats.finished += b.events;
      this.capacity.release(b.events, b.bytes);
    }
    this.schedule();
    if (this.idle) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Nothing pending nor in flight. */
  get idle(): boolean {
    return this.open === undefined && this.ready.length === 0 && this.inFlight.length === 0 && this.capacity.waiting === 0;
  }

  /** Events and bytes accepted and not finished (queue depth). */
  get depth(): { events: number; bytes: number } {
    return { events: this.capacity.events, bytes: this.capacity.bytes };
  }

  /**
   * Sends what is pending at once, and every later submission without
   * waiting for batch_max_wait, while still accepting submissions. Called
   * when the service starts stopping: sources that wait for their last
   * submissions to become durable (file, nats) must not wait for a batch
   * timer, nor for the drain that only starts once they have stopped.
   */
  hurry(): void {
    this.hurried = true;
    this.schedule();
  }

  /**
   * Stops accepting new submissions (waiting submitters are still served),
   * flushes what is pending and resolves once everything is finished.
   */
  drain(): Promise<void> {
    this.closing = true;
    this.schedule();
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Gives up on retries (forced stop): unfinished submissions stay unacknowledged. */
  abortRetries(): void {
    this.abort.abort(new Error('the pipeline was stopped'));
    this.capacity.close(new Error('the pipeline was stopped'));
  }
}

/** A sink refused an event: the dead letter holds what the sink was given (its document, or the line it forwards). */
function refusal(sink: Sink, origin: Origin, out: OutputEvent, f: WriteResult['refused'][number], at: string): DeadLetter {
  const given = sink.wantsRaw && out.raw ? (typeof out.raw.data === 'string' ? out.raw.data : out.raw.data.toString('utf8')) : out.json;
  const d: DeadLetter = { kind: 'refused', source: origin.source, sink: sink.name, reason: f.reason, error: f.error, raw: given, at };
  if (origin.detail !== undefined) d.detail = origin.detail;
  return d;
}

/** The pending segments as segments of events again, read back from the batch's bytes (for the event loop's thread to normalize). */
function segmentsOf(pending: PendingSegment[], input: BatchInput): Segment[] {
  const all = input.events();
  let k = 0;
  return pending.map((p) => {
    const events: RawEvent[] = [];
    let ri = 0;
    for (let at = 0; at < p.size; at++) {
      const refused = p.rejects[ri];
      if (refused !== undefined && refused.at === at) {
        ri++;
        events.push(refused.ev);
      } else {
        events.push(p.events?.[at] ?? all[k]!);
        k++;
      }
    }
    return { origin: p.origin, counts: p.counts, events };
  });
}
