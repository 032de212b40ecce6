import type { FileHandle } from 'node:fs/promises';
import { LineSplitter } from '../../io/lines.js';
import type { RawEvent, Submission } from '../../pipeline/types.js';

/** What a tailer needs from its source. */
export interface TailerHooks {
  /** Submits the lines of a batch that ends at byte offset `end`. */
  submit(events: RawEvent[], t: Tailer, end: number): Promise<Submission>;
  /** The durable offset of the tailer advanced. */
  committed(t: Tailer): void;
  /**
   * A line over the size limit was cut to an excerpt; returns the message of
   * its rejection (the pipeline dead-letters it as `too_long`).
   */
  tooLong(t: Tailer, endOffset: number, bytes: number, excerpt: string): string;
  /** A submission's durability failed: its lines stay uncommitted (re-read after a restart). */
  failed(t: Tailer, err: unknown): void;
}

export interface TailerOptions {
  maxLineBytes: number;
  readChunkBytes: number;
  maxBatchEvents: number;
}

interface Pending {
  end: number;
  done: boolean;
  failed?: boolean;
  durable?: Promise<void>;
}

/**
 * Reads one file from an offset: splits it into lines with a bounded buffer,
 * submits them in batches and tracks which byte offset is durable. Offsets of
 * lines come from the newline bytes of each chunk (the splitter reports exactly
 * one line per LF), so they stay exact whatever the text encoding holds.
 */
export class Tailer {
  /** Bytes read (and fed to the splitter). */
  readOffset: number;
  /** Every line before this offset is durable downstream. */
  committed: number;
  /** Last time the file grew (ms since epoch). */
  lastGrowth = Date.now();
  closed = false;

  private readonly splitter: LineSplitter;
  private readonly buf: Buffer;
  private chunkStart = 0;
  private newlines: number[] = [];
  private nlIndex = 0;
  private receivedAt = '';
  private batch: RawEvent[] = [];
  /** Full batches cut while splitting a chunk, waiting to be submitted. */
  private ready: { events: RawEvent[]; end: number }[] = [];
  /** Offset after the last line taken (in the batch or skipped). */
  private batchEnd: number;
  private submittedEnd: number;
  private readonly pending: Pending[] = [];

  constructor(
    public fh: FileHandle,
    public path: string,
    public dev: number,
    public ino: number,
    public readonly fingerprint: string,
    offset: number,
    private readonly opts: TailerOptions,
    private readonly hooks: TailerHooks,
  ) {
    this.readOffset = offset;
    this.committed = offset;
    this.batchEnd = offset;
    this.submittedEnd = offset;
    this.buf = Buffer.allocUnsafe(opts.readChunkBytes);
    this.splitter = new LineSplitter(opts.maxLineBytes, {
      line: (text) => {
        this.batch.push({ raw: text, receivedAt: this.receivedAt });
        this.batchEnd = this.lineEnd();
        if (this.batch.length >= this.opts.maxBatchEvents) this.cut();
      },
      tooLong: (excerpt, bytes) => {
        this.batchEnd = this.lineEnd();
        const message = this.hooks.tooLong(this, this.batchEnd, bytes, excerpt);
        this.batch.push({ raw: excerpt, receivedAt: this.receivedAt, reject: { reason: 'too_long', message } });
        if (this.batch.length >= this.opts.maxBatchEvents) this.cut();
      },
    });
  }

  /** Offset just past the line the splitter is reporting. */
  private lineEnd(): number {
    const i = this.nlIndex++;
    return i < this.newlines.length ? this.chunkStart + this.newlines[i]! + 1 : this.readOffset;
  }

  /**
   * Reads what the file holds beyond `readOffset`, up to `budget` bytes.
   * Returns true when it stopped on the budget (more to read).
   */
  async readAvailable(budget: number): Promise<boolean> {
    let total = 0;
    while (!this.closed) {
      const { bytesRead } = await this.fh.read(this.buf, 0, this.buf.length, this.readOffset);
      if (bytesRead === 0) break;
      this.lastGrowth = Date.now();
      const chunk = this.buf.subarray(0, bytesRead);
      this.newlines = [];
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines.push(i);
      this.nlIndex = 0;
      this.chunkStart = this.readOffset;
      this.receivedAt = new Date().toISOString();
      this.splitter.push(chunk);
      this.readOffset += bytesRead;
      total += bytesRead;
      await this.submitReady();
      if (total >= budget) {
        await this.flush();
        return true;
      }
    }
    await this.flush();
    return false;
  }

  /** Emits a last line that has no terminator (the file will not grow any more). */
  async finish(): Promise<void> {
    this.newlines = [];
    this.nlIndex = 0;
    this.splitter.end();
    await this.flush();
  }

  private cut(): void {
    this.ready.push({ events: this.batch, end: this.batchEnd });
    this.batch = [];
    this.submittedEnd = this.batchEnd;
  }

  private async submitReady(): Promise<void> {
    while (this.ready.length > 0) {
      const { events, end } = this.ready.shift()!;
      await this.submitBatch(events, end);
    }
  }

  /** Submits the lines taken so far. */
  async flush(): Promise<void> {
    if (this.batchEnd !== this.submittedEnd) this.cut();
    await this.submitReady();
  }

  private async submitBatch(events: RawEvent[], end: number): Promise<void> {
    const entry: Pending = { end, done: false };
    this.pending.push(entry);
    if (events.length === 0) {
      entry.done = true; // only skipped lines: nothing to wait for
      this.advance();
      return;
    }
    const sub = await this.hooks.submit(events, this, end);
    entry.durable = sub.durable.then(
      () => {
        entry.done = true;
        this.advance();
      },
      (err: unknown) => {
        entry.failed = true;
        this.hooks.failed(this, err);
      },
    );
  }

  private advance(): void {
    const before = this.committed;
    while (this.pending.length > 0 && this.pending[0]!.done) this.committed = this.pending.shift()!.end;
    if (this.committed !== before) this.hooks.committed(this);
  }

  /** True while a submission is still waiting to become durable. */
  get busy(): boolean {
    return this.pending.some((p) => !p.done && !p.failed);
  }

  /** Resolves when every submission made so far settled. */
  async settled(): Promise<void> {
    await Promise.all(this.pending.map((p) => p.durable));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close().catch(() => undefined);
  }
}
