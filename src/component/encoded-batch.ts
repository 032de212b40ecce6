/**
 * The documents of a batch as UTF-8 bytes, each followed by a LF, in one
 * buffer: the form output events travel in from the normalization step to
 * the sinks.
 *
 * Each document is serialized and encoded at once, so its JSON string dies
 * young; a batch waiting for a sink (an fsync, an index, an acknowledgement)
 * holds bytes outside the JavaScript heap, which collections do not copy. A
 * file sink writes a batch's span as it is (no second encoding), a NATS sink
 * publishes views of it. The buffers come from a pool and go back to it once
 * every sink is done with the batch: no allocation, and no page faults on
 * fresh memory, per batch.
 */
import type { OutputEvent, RawOutput } from './types.js';

const EMPTY = Buffer.alloc(0);

/** The growing buffer of one batch. */
export class EncodedBatch {
  /** Bytes written so far. */
  length = 0;

  constructor(public buffer: Buffer = EMPTY) {}

  /** Appends `text` and a LF; returns where the text starts (it ends before the LF, at `length - 1`). */
  line(text: string): number {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const worst = text.length * 3 + 1;
    if (worst > this.buffer.length - this.length) this.grow(this.length + worst);
    const start = this.length;
    const end = start + this.buffer.write(text, start, 'utf8');
    this.buffer[end] = 10;
    this.length = end + 1;
    return start;
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.buffer.length, 64 * 1024));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
}

/** An output event whose document is a span of an {@link EncodedBatch}. */
export class EncodedEvent implements OutputEvent {
  id?: string;
  raw?: RawOutput;

  constructor(
    readonly batch: EncodedBatch,
    /** First byte of the document's JSON. */
    readonly start: number,
    /** Byte after its last (its LF). */
    readonly end: number,
    readonly timestamp: string | undefined,
  ) {}

  /** The JSON text, decoded from the bytes on each read (sinks that need a string: an index's request body). */
  get json(): string {
    return this.batch.buffer.toString('utf8', this.start, this.end);
  }

  /** The JSON as UTF-8: a view of the batch's memory, valid until the write that was given it settles. */
  get bytes(): Buffer {
    return this.batch.buffer.subarray(this.start, this.end);
  }
}

/**
 * The documents of `items` with a LF each as one view of their batch's
 * memory, when they are consecutive spans of one batch (a whole batch as the
 * pipeline hands it to a sink); undefined otherwise.
 */
export function contiguousLines(items: readonly OutputEvent[]): Buffer | undefined {
  if (items.length === 0) return undefined;
  const first = items[0];
  if (!(first instanceof EncodedEvent)) return undefined;
  let end = first.end;
  for (let i = 1; i < items.length; i++) {
    const e = items[i];
    if (!(e instanceof EncodedEvent) || e.batch !== first.batch || e.start !== end + 1) return undefined;
    end = e.end;
  }
  return first.batch.buffer.subarray(first.start, end + 1);
}

/**
 * Buffers for batches: a released buffer is handed out again, up to `keep`
 * of them are kept (what stays resident is bounded by the batches in flight).
 */
export class EncodedBatchPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly keep: number,
    private readonly initialBytes = 1 << 20,
  ) {}

  acquire(): EncodedBatch {
    return new EncodedBatch(this.free.pop() ?? Buffer.allocUnsafeSlow(this.initialBytes));
  }

  /** Gives the batch's memory back: nothing may read the batch's events after this. */
  release(batch: EncodedBatch): void {
    const b = batch.buffer;
    batch.buffer = EMPTY;
    batch.length = 0;
    if (b.length > 0 && this.free.length < this.keep) this.free.push(b);
  }
}
