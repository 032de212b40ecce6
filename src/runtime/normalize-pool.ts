/**
 * The pipeline's normalization threads: a sealed batch's events go to the
 * least busy thread as one buffer of received bytes, and come back as one
 * buffer of documents with what became of each event. The event loop's
 * thread keeps the sources, the queue and the sinks; the parsing, mapping
 * and serializing of every event (most of the service's work) runs beside it.
 *
 * A thread that fails (an exception, an exit) fails the batches it held: the
 * pipeline normalizes those on its own thread, and a new thread takes the
 * failed one's place, up to {@link MAX_RESTARTS} times; past that the pool
 * says it is broken and the pipeline normalizes everything itself.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { RawEvent } from '../component/types.js';
import type { NormalizeReply, NormalizeRequest, NormalizeWorkerSetup } from './normalize-protocol.js';

/** Threads started again after failures before the pool gives up on them. */
const MAX_RESTARTS = 5;

/** Young generation of a normalization thread: its garbage dies with each event (measured: same speed as V8's default, less memory). */
const THREAD_YOUNG_MB = 8;

interface Thread {
  worker: Worker;
  busy: number;
}

interface Waiting {
  thread: Thread;
  resolve(r: NormalizeReply): void;
  reject(e: Error): void;
}

export class NormalizePool {
  private readonly threads: Thread[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly freeInputs: SharedArrayBuffer[] = [];
  private seq = 0;
  private restarts = 0;
  private closed = false;
  /** Set once threads failed more than MAX_RESTARTS times: the pipeline then normalizes on its own thread. */
  broken = false;

  constructor(
    readonly size: number,
    private readonly setup: NormalizeWorkerSetup,
    private readonly logger: Logger,
  ) {}

  /** Starts the threads; resolves once each has loaded its profile (rejects when one cannot). */
  async start(): Promise<void> {
    const { Worker } = await import('node:worker_threads');
    const ready: Promise<void>[] = [];
    for (let i = 0; i < this.size; i++) ready.push(this.spawn(Worker));
    try {
      await Promise.all(ready);
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  private spawn(W: typeof Worker): Promise<void> {
    const worker = new W(new URL('./normalize-worker.js', import.meta.url), {
      workerData: this.setup,
      resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_MB },
    });
    const t: Thread = { worker, busy: 0 };
    this.threads.push(t);
    return new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (m: NormalizeReply | 'ready') => {
        if (m === 'ready') {
          started = true;
          resolve();
          return;
        }
        this.settle(t, m);
      });
      const fail = (e: Error) => {
        if (!started) {
          started = true;
          reject(e);
        }
        this.failed(t, e, W);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!this.closed) fail(new Error(`normalization thread exited with code ${code}`));
      });
    });
  }

  /** Memory for a batch's received bytes (one that a finished batch gave back, when there is one). */
  input(): BatchInput {
    return new BatchInput(this.freeInputs.pop());
  }

  /** Takes back the memory of a batch whose events are finished with. */
  recycle(input: BatchInput): void {
    if (this.freeInputs.length < 2 * this.size + 2) this.freeInputs.push(input.memory);
  }

  /** Normalizes the events of `input` on the least busy thread. */
  normalize(input: BatchInput, asked: Pick<NormalizeRequest, 'sampling' | 'recent' | 'timestamps'>, output?: ArrayBuffer): Promise<NormalizeReply> {
    if (this.broken || this.closed || this.threads.length === 0) return Promise.reject(new Error('no normalization thread'));
    const req: NormalizeRequest = { type: 'batch', seq: this.seq++, ...input.request(), ...asked };
    if (output !== undefined) req.output = output;
    let t = this.threads[0]!;
    for (const c of this.threads) if (c.busy < t.busy) t = c;
    t.busy++;
    return new Promise<NormalizeReply>((resolve, reject) => {
      this.waiting.set(req.seq, { thread: t, resolve, reject });
      t.worker.postMessage(req, output === undefined ? [] : [output]);
    });
  }

  private settle(t: Thread, r: NormalizeReply): void {
    const w = this.waiting.get(r.seq);
    if (w === undefined) return;
    this.waiting.delete(r.seq);
    t.busy--;
    w.resolve(r);
  }

  /** A thread failed: the batches it held fail (the pipeline normalizes them itself) and another thread takes its place. */
  private failed(t: Thread, e: Error, W: typeof Worker): void {
    const i = this.threads.indexOf(t);
    if (i === -1) return;
    this.threads.splice(i, 1);
    void t.worker.terminate();
    for (const [seq, w] of this.waiting) {
      if (w.thread !== t) continue;
      this.waiting.delete(seq);
      w.reject(e);
    }
    if (this.closed) return;
    if (++this.restarts > MAX_RESTARTS) {
      this.broken = true;
      this.logger.error({ error: e.message, restarts: this.restarts - 1 }, 'normalization threads keep failing: the pipeline normalizes on its own thread from now on');
      return;
    }
    this.logger.error({ error: e.message }, 'a normalization thread failed: its batches are normalized on the main thread, and a new thread starts');
    this.spawn(W).catch(() => undefined);
  }

  /** Reads the GeoIP databases again in every thread. */
  reload(): void {
    for (const t of this.threads) t.worker.postMessage({ type: 'reload' });
  }

  /** Stops the threads (batches still out fail). */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    for (const [seq, w] of this.waiting) {
      this.waiting.delete(seq);
      w.reject(new Error('the normalization threads were stopped'));
    }
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

/**
 * A batch's received bytes, copied in as its events are admitted (the event
 * objects die young; what waits for a thread is bytes outside the heap), in
 * shared memory: a thread reads them without a copy, and they stay readable
 * here if it fails (the batch is then normalized on this thread from them)
 * and for the events' ids once normalized.
 */
export class BatchInput {
  length = 0;
  readonly ends: number[] = [];
  readonly receivedAt: string[] = [];
  readonly runEnds: number[] = [];
  private bytes: Buffer;

  constructor(public memory: SharedArrayBuffer = new SharedArrayBuffer(256 * 1024)) {
    this.bytes = Buffer.from(memory);
  }

  get count(): number {
    return this.ends.length;
  }

  add(ev: RawEvent): void {
    const b = ev.bytes;
    const worst = b !== undefined ? b.length : 3 * ev.raw.length;
    if (this.length + worst > this.bytes.length) this.grow(this.length + worst);
    if (b !== undefined) {
      this.bytes.set(b, this.length);
      this.length += b.length;
    } else {
      this.length += this.bytes.write(ev.raw, this.length, 'utf8');
    }
    const n = this.ends.length;
    this.ends.push(this.length);
    const runs = this.receivedAt.length;
    if (runs === 0 || this.receivedAt[runs - 1] !== ev.receivedAt) {
      if (runs > 0) this.runEnds.push(n);
      this.receivedAt.push(ev.receivedAt);
    }
  }

  /** Event `i` as received (a view of the memory). */
  event(i: number): Buffer {
    return this.bytes.subarray(i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }

  /** When event `i` was received. */
  receivedAtOf(i: number): string {
    let run = 0;
    while (run < this.runEnds.length && i >= this.runEnds[run]!) run++;
    return this.receivedAt[run]!;
  }

  /** The events again, as the source handed them on (bytes), for this thread to normalize. */
  events(): RawEvent[] {
    return this.ends.map((_, i) => ({ raw: '', bytes: this.event(i), receivedAt: this.receivedAtOf(i) }));
  }

  request(): Pick<NormalizeRequest, 'data' | 'ends' | 'receivedAt' | 'runEnds'> {
    return {
      data: new Uint8Array(this.memory, 0, this.length),
      ends: Int32Array.from(this.ends),
      receivedAt: this.receivedAt,
      runEnds: Int32Array.from([...this.runEnds, this.count]),
    };
  }

  private grow(need: number): void {
    const bigger = new SharedArrayBuffer(Math.max(need, 2 * this.memory.byteLength));
    const bytes = Buffer.from(bigger);
    bytes.set(this.bytes.subarray(0, this.length));
    this.memory = bigger;
    this.bytes = bytes;
  }
}
