/**
 * Batch normalization spread over worker threads, with the output in input
 * order and every counter and rejection record (line numbers included)
 * exactly as {@link normalizeLines} gives them.
 *
 * The main thread only cuts the input into chunks of whole lines at LF bytes
 * (no decoding), hands each chunk to the least busy worker and writes the
 * workers' UTF-8 output in chunk order. At most `maxInFlight` chunks are out
 * at once, so memory stays flat whatever the input size; the reader waits
 * for room, and `afterChunk` lets the caller wait for the output to drain.
 * A line longer than the limit is never held whole: from the point it passes
 * the limit it goes through a line splitter on the main thread, which keeps
 * its excerpt and counts its bytes.
 */
import type { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_LINE_BYTES } from '../decode/index.js';
import { LineSplitter } from '../io/lines.js';
import { loadEnricher } from '../enrich/load.js';
import { lineHandler, loadDescriptionAdder, newCounters, takeEnrichStats, type BatchCounters, type BatchOptions } from './normalize-lines.js';
import type { Enricher } from '../enrich/enricher.js';
import { addEnrichStats, newEnrichStats } from '../enrich/stats.js';
import { loadNormalizer, type LineNormalizer } from '../normalize/load.js';
import type { ChunkRequest, ChunkResult, WorkerSetup } from './parallel-protocol.js';
import { normalizeChunk } from './chunk.js';

export interface ParallelOptions extends Omit<BatchOptions, 'onDocument'> {
  /** Worker threads (at least 1). */
  workers: number;
  /**
   * Output documents of one chunk: JSON lines, UTF-8, in input order. A
   * caller that calls `written` once it no longer needs `data` lets its memory
   * be used again for a later chunk.
   */
  onDocuments(data: Uint8Array, written?: () => void): void;
  /** Called once every worker thread of the pool runs (never when the input is too small to start them). */
  onWorkersRunning?: () => void;
  /**
   * Bytes of input per chunk handed to a worker (default 256 KiB, ~400
   * lines: measured as fast as 1 MiB, with a lower peak RSS).
   */
  chunkBytes?: number;
  /** Chunks handed out and not yet written (default 2 per worker, at least 3). */
  maxInFlight?: number;
  /**
   * Input normalized on this thread before any worker starts (default 0):
   * starting a worker and loading a profile into it costs ~0.2 s, more than
   * a few MiB of input takes on one thread, so input that ends within this
   * many bytes never starts one.
   */
  serialBytes?: number;
}

const WORKER_YOUNG_MB = 8;

interface Pending {
  worker: PoolWorker;
  result?: ChunkResult;
}

interface PoolWorker {
  thread: Worker;
  busy: number;
}

/** Normalizes every line of `input` on worker threads, adding to `counters`. */
export async function normalizeLinesParallel(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: ParallelOptions,
  counters: BatchCounters = newCounters(),
): Promise<BatchCounters> {
  const run = new ParallelRun(options, counters);
  try {
    // Workers asked for at once start before anything else: each takes ~60 ms
    // to boot, spent while this thread reads its first chunk.
    if ((options.serialBytes ?? 0) === 0) await run.startPool();
    for await (const chunk of input) {
      counters.bytes += chunk.length;
      await run.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      if (options.afterChunk) await options.afterChunk();
    }
    await run.end();
  } finally {
    await run.close();
  }
  return counters;
}

class ParallelRun {
  private readonly pool: PoolWorker[] = [];
  private readonly max: number;
  private readonly chunkBytes: number;
  private readonly maxInFlight: number;
  /** Chunks by sequence number, from `nextOut` on. */
  private readonly pending = new Map<number, Pending | { local: ChunkResult }>();
  private nextSeq = 0;
  private nextOut = 0;
  /** Lines of the chunks already written. */
  private lineBase = 0;
  /** Input not yet handed out (copied: the reader reuses its buffers), and the bytes since its last LF. */
  private held: Buffer = Buffer.alloc(0);
  private size = 0;
  private tail = 0;
  /** Input and output buffers back from the workers, for later chunks. */
  private readonly freeInputs: ArrayBuffer[] = [];
  private readonly freeOutputs: ArrayBuffer[] = [];
  /** Set while a line over the limit is being skipped. */
  private longLine: LineSplitter | undefined;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly setup: WorkerSetup;
  private readonly workers: number;
  /** Bytes handed out so far (on this thread until serialBytes is passed). */
  private handedBytes = 0;
  /**
   * This thread's normalizer (and enricher), loaded when first needed: for the
   * chunks before serialBytes, and to count a line it skips (same code as the
   * workers). A run whose workers start at once and meets no long line never
   * loads a profile here.
   */
  private normalize: LineNormalizer | undefined;
  private enricher: Enricher | undefined;

  constructor(
    private readonly options: ParallelOptions,
    private readonly counters: BatchCounters,
  ) {
    this.max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.chunkBytes = options.chunkBytes ?? 256 * 1024;
    const workers = Math.max(1, Math.floor(options.workers));
    this.maxInFlight = options.maxInFlight ?? Math.max(3, 2 * workers);
    this.setup = { options: plainOptions(options), pretty: options.pretty };
    this.workers = workers;
  }

  /**
   * Starts the workers (once the input has shown it is large enough to pay
   * for them). `node:worker_threads` is loaded here: a small input never
   * needs it, and loading it cost every start ~1 ms.
   */
  async startPool(): Promise<void> {
    if (this.pool.length > 0) return;
    const { Worker } = await import('node:worker_threads');
    const online: Promise<unknown>[] = [];
    for (let i = 0; i < this.workers; i++) {
      const thread = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: this.setup,
        // A worker's garbage dies young (one chunk); V8's default 48 MB young
        // generation per isolate only adds to peak RSS (measured: same speed).
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      const w: PoolWorker = { thread, busy: 0 };
      thread.on('message', (r: ChunkResult) => this.done(w, r));
      thread.on('error', (e) => this.fail(e));
      thread.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`normalization worker exited with code ${code}`));
      });
      this.pool.push(w);
      online.push(new Promise((resolve) => thread.once('online', resolve)));
    }
    const running = this.options.onWorkersRunning;
    if (running) void Promise.all(online).then(() => running());
  }

  private async localNormalizer(): Promise<LineNormalizer> {
    if (this.normalize === undefined) {
      this.enricher = this.options.enricher ?? (await loadEnricher(this.options));
      this.normalize = await loadNormalizer(this.options, loadDescriptionAdder, this.enricher);
    }
    return this.normalize;
  }

  async push(chunk: Buffer): Promise<void> {
    if (this.longLine !== undefined) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.longLine.push(chunk);
        return;
      }
      this.longLine.push(chunk.subarray(0, nl + 1));
      this.longLine = undefined;
      chunk = chunk.subarray(nl + 1);
      if (chunk.length === 0) return;
    }
    const nl = chunk.lastIndexOf(10);
    this.tail = nl === -1 ? this.tail + chunk.length : chunk.length - nl - 1;
    this.hold(chunk);
    if (this.tail > this.max) {
      // The unfinished line is over the limit: hand out the lines before it,
      // then skip it on this thread.
      await this.handOut(this.size - this.tail);
      this.startLongLine(await this.localNormalizer());
    } else if (this.size >= this.chunkBytes && this.size > this.tail) {
      await this.handOut(this.size - this.tail);
    }
  }

  async end(): Promise<void> {
    if (this.longLine !== undefined) {
      this.longLine.end();
      this.longLine = undefined;
    } else if (this.size > 0) {
      // The last line has no LF: the worker's splitter ends it.
      await this.handOut(this.size);
    }
    while (this.nextOut < this.nextSeq) {
      this.check();
      await this.waitForProgress();
    }
    this.check();
  }

  async close(): Promise<void> {
    await Promise.all(this.pool.map((w) => w.thread.terminate()));
  }

  /** Hands the first `n` bytes of the held input to a worker. */
  private async handOut(n: number): Promise<void> {
    if (n === 0) return;
    while (this.nextSeq - this.nextOut >= this.maxInFlight) {
      this.check();
      await this.waitForProgress();
    }
    this.check();
    if (this.pool.length === 0 && this.handedBytes + n <= (this.options.serialBytes ?? 0)) {
      // Small input so far: this thread does the chunk, in order with the rest.
      const normalize = await this.localNormalizer();
      this.handedBytes += n;
      const seq = this.nextSeq++;
      const result: ChunkResult = { seq, ...normalizeChunk(this.held.subarray(0, n), this.setup, normalize, undefined, this.enricher) };
      this.held.copyWithin(0, n, this.size);
      this.size -= n;
      this.pending.set(seq, { local: result });
      this.flushInOrder();
      return;
    }
    if (this.pool.length === 0) await this.startPool();
    this.handedBytes += n;
    const data = new Uint8Array(this.inputBuffer(n), 0, n);
    data.set(this.held.subarray(0, n));
    this.held.copyWithin(0, n, this.size);
    this.size -= n;
    let w = this.pool[0]!;
    for (const c of this.pool) if (c.busy < w.busy) w = c;
    w.busy++;
    const seq = this.nextSeq++;
    this.pending.set(seq, { worker: w });
    const output = this.freeOutputs.pop();
    const req: ChunkRequest = { seq, data, output };
    w.thread.postMessage(req, output === undefined ? [data.buffer] : [data.buffer, output]);
  }

  /** Appends input to the held bytes (growing the holding buffer when needed). */
  private hold(chunk: Buffer): void {
    const need = this.size + chunk.length;
    if (need > this.held.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.held.length, this.chunkBytes + 2 * chunk.length));
      this.held.copy(bigger, 0, 0, this.size);
      this.held = bigger;
    }
    chunk.copy(this.held, this.size);
    this.size = need;
  }

  /** A buffer of at least `n` bytes for a chunk: one handed back by a worker, or a new one. */
  private inputBuffer(n: number): ArrayBuffer {
    for (let i = 0; i < this.freeInputs.length; i++) {
      const b = this.freeInputs[i]!;
      if (b.byteLength >= n) {
        this.freeInputs.splice(i, 1);
        return b;
      }
    }
    // Room for the usual chunk plus the end of a line, so that it can be used again.
    return new ArrayBuffer(Math.max(n, this.chunkBytes + 128 * 1024));
  }

  /** Moves the held unfinished line into a splitter that skips it. */
  private startLongLine(normalize: LineNormalizer): void {
    const seq = this.nextSeq++;
    const counters = newCounters();
    const result: ChunkResult = { seq, data: new Uint8Array(0), counters, rejections: [], warnings: [] };
    const sink = lineHandler(
      { onDocument() {}, onRejection: (r) => result.rejections.push(r) },
      { ...plainOptions(this.options), maxLineBytes: this.max },
      counters,
      normalize,
    );
    const splitter = new LineSplitter(this.max, {
      line: (text, lineNo) => sink.line(text, lineNo),
      tooLong: (excerpt, bytes, lineNo) => {
        sink.tooLong(excerpt, bytes, lineNo);
        takeEnrichStats(counters, this.enricher);
        this.pending.set(seq, { local: result });
        this.flushInOrder();
      },
    });
    splitter.push(this.held.subarray(0, this.size));
    this.size = 0;
    this.tail = 0;
    this.longLine = splitter;
  }

  private done(w: PoolWorker, r: ChunkResult): void {
    w.busy--;
    if (r.input !== undefined && this.freeInputs.length < this.maxInFlight) this.freeInputs.push(r.input);
    const p = this.pending.get(r.seq);
    if (p !== undefined && 'worker' in p) p.result = r;
    this.flushInOrder();
  }

  /** Writes the finished chunks that are next in input order. */
  private flushInOrder(): void {
    for (;;) {
      const p = this.pending.get(this.nextOut);
      if (p === undefined) break;
      const r = 'local' in p ? p.local : p.result;
      if (r === undefined) break;
      this.pending.delete(this.nextOut);
      this.nextOut++;
      this.write(r);
    }
    this.wakeUp();
  }

  private write(r: ChunkResult): void {
    const c = this.counters;
    c.lines += r.counters.lines;
    c.documents += r.counters.documents;
    c.rejected += r.counters.rejected;
    c.blank += r.counters.blank;
    c.warned += r.counters.warned;
    if (r.counters.enrich !== undefined) addEnrichStats((c.enrich ??= newEnrichStats()), r.counters.enrich);
    const output = r.data.buffer as ArrayBuffer;
    const recycle = () => {
      if (this.freeOutputs.length < this.maxInFlight) this.freeOutputs.push(output);
    };
    if (r.data.length > 0) this.options.onDocuments(r.data, recycle);
    else if (output.byteLength > 0) recycle();
    for (const rec of r.rejections) {
      this.options.onRejection({
        input: this.options.input,
        line: this.lineBase + rec.line,
        reason: rec.reason,
        error: rec.error,
        raw: rec.raw,
      });
    }
    for (const rec of r.warnings) this.options.onWarnings?.({ input: this.options.input, line: this.lineBase + rec.line, warnings: rec.warnings });
    this.lineBase += r.counters.lines;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wakeUp();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private waitForProgress(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }
}

/** The options without functions, for a worker (structured clone). */
function plainOptions(options: ParallelOptions): WorkerSetup['options'] {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    // the enricher holds databases: each worker loads its own from the plain options
    if (typeof v !== 'function' && k !== 'enricher') Object.defineProperty(plain, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return plain as WorkerSetup['options'];
}
