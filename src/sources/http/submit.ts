/**
 * Takes the events of one request body into the pipeline in parts, as the
 * body is parsed: each part is no larger than a slice of the queue's bounds,
 * so a body of millions of short lines holds a few thousand events at a time
 * and waits for room like any other sender (backpressure on its connection).
 *
 * The first part is offered with trySubmit: a saturated pipeline answers 503
 * having taken nothing, as before. Later parts wait for room. The answer
 * comes once every part taken is durable or dead-lettered. When the body is
 * refused after some parts were taken (too many events, a broken JSON array,
 * the service stopping), those parts are still delivered, and the answer says
 * how many leading lines or array items they held (`accepted.received`).
 */
import { rawSize, type Ingest, type Origin, type RawEvent, type Submission, type SubmissionCounts } from '../../pipeline/types.js';
import type { BodySink } from './body.js';

export interface PartLimits {
  /** Non-blank events a body may hold. */
  maxBodyEvents: number;
  /** A part is cut once it holds this many events ... */
  partEvents: number;
  /** ... or this many bytes of raw text. */
  partBytes: number;
}

export interface Refusal {
  status: 400 | 413 | 503;
  error: string;
  retryAfter?: string;
}

interface Part {
  events: RawEvent[];
  bytes: number;
  /** Blank lines counted since the previous part (before and among its events). */
  blank: number;
}

function zero(): SubmissionCounts {
  return { received: 0, normalized: 0, rejected: 0, blank: 0 };
}

export class PartedSubmission implements BodySink {
  private part: Part = { events: [], bytes: 0, blank: 0 };
  private readonly ready: Part[] = [];
  private events = 0;
  private readonly taken: Submission[] = [];
  /** Blank lines of the parts taken (counted here, never queued). */
  private takenBlank = 0;
  refusal: Refusal | undefined;

  constructor(
    private readonly ingest: Ingest,
    private readonly origin: Origin,
    private readonly limits: PartLimits,
    /** Called with the events and blank lines of each part taken (source counters). */
    private readonly onTaken: (events: number, blank: number) => void,
  ) {}

  event(ev: RawEvent): void {
    if (this.refusal) return;
    if (++this.events > this.limits.maxBodyEvents) {
      this.refuse({ status: 413, error: `body holds more than ${this.limits.maxBodyEvents} events (max_body_events): send smaller bodies` });
      return;
    }
    const p = this.part;
    p.events.push(ev);
    p.bytes += rawSize(ev);
    if (p.events.length >= this.limits.partEvents || p.bytes >= this.limits.partBytes) this.seal();
  }

  blank(): void {
    this.part.blank++;
  }

  /** Parts cut and not yet offered: the caller stops reading while there are some. */
  get pending(): number {
    return this.ready.length;
  }

  refuse(r: Refusal): void {
    this.refusal ??= r;
    // Parts cut but not offered are never taken.
    this.ready.length = 0;
  }

  private seal(): void {
    this.ready.push(this.part);
    this.part = { events: [], bytes: 0, blank: 0 };
  }

  /** Offers the parts cut so far, waiting for room for all but the first. */
  async flush(): Promise<void> {
    while (this.ready.length > 0 && !this.refusal) {
      const part = this.ready.shift()!;
      if (part.events.length > 0) {
        const sub = await this.offer(part);
        if (!sub) return;
        this.taken.push(sub);
      }
      this.takenBlank += part.blank;
      this.ingest.countBlank?.(part.blank);
      this.onTaken(part.events.length, part.blank);
      // Parts, room in the queue and a body already buffered can all resolve as promise callbacks, one
      // after the other, without the event loop taking a turn: let other connections and /healthz in.
      await new Promise((r) => setImmediate(r));
    }
  }

  private async offer(part: Part): Promise<Submission | undefined> {
    let sub: Submission | undefined;
    if (this.taken.length === 0) {
      sub = this.ingest.trySubmit(part.events, this.origin);
      if (!sub) this.refuse({ status: 503, error: 'pipeline saturated, retry later', retryAfter: '1' });
      return sub;
    }
    try {
      sub = await this.ingest.submit(part.events, this.origin);
    } catch {
      this.refuse({ status: 503, error: 'the service is stopping, retry later', retryAfter: '1' });
    }
    return sub;
  }

  /** The body ended: offers the last part (blank lines alone are counted without a submission). */
  async finish(): Promise<void> {
    if (this.refusal) return;
    if (this.part.events.length > 0 || this.part.blank > 0) this.seal();
    await this.flush();
  }

  /** Waits until every part taken is durable; the counts of what was taken. */
  async settled(): Promise<{ counts: SubmissionCounts; parts: number }> {
    await Promise.all(this.taken.map((s) => s.durable));
    const counts = zero();
    for (const s of this.taken) {
      const c = s.counts;
      if (!c) continue;
      counts.received += c.received;
      counts.normalized += c.normalized;
      counts.rejected += c.rejected;
      counts.blank += c.blank;
    }
    counts.received += this.takenBlank;
    counts.blank += this.takenBlank;
    return { counts, parts: this.taken.length };
  }
}
