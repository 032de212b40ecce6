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
import { rawSize, type RawEvent } from '../component/types.js';
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
  private readonly freeInputs: ArrayBuffer[] = [];
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

  /** Normalizes `events` (none already rejected by its source) on the least busy thread. */
  normalize(events: readonly RawEvent[], sampling: number, recent: number, output?: ArrayBuffer): Promise<NormalizeReply> {
    if (this.broken || this.closed || this.threads.length === 0) return Promise.reject(new Error('no normalization thread'));
    const req = this.request(events, sampling, recent, output);
    let t = this.threads[0]!;
    for (const c of this.threads) if (c.busy < t.busy) t = c;
    t.busy++;
    const transfer: ArrayBuffer[] = [req.data.buffer as ArrayBuffer];
    if (output !== undefined) transfer.push(output);
    return new Promise<NormalizeReply>((resolve, reject) => {
      this.waiting.set(req.seq, { thread: t, resolve, reject });
      t.worker.postMessage(req, transfer);
    });
  }

  /** The events' received texts in one buffer, with their ends and their reception times as runs. */
  private request(events: readonly RawEvent[], sampling: number, recent: number, output?: ArrayBuffer): NormalizeRequest {
    let worst = 0;
    for (const ev of events) worst += ev.bytes !== undefined ? ev.bytes.length : 3 * rawSize(ev);
    let free = this.freeInputs.pop();
    if (free === undefined || free.byteLength < worst) free = new ArrayBuffer(Math.max(worst, 256 * 1024));
    const buf = Buffer.from(free);
    const ends = new Int32Array(events.length);
    const receivedAt: string[] = [];
    const runEnds: number[] = [];
    let off = 0;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      off += ev.bytes !== undefined ? ev.bytes.copy(buf, off) : buf.write(ev.raw, off, 'utf8');
      ends[i] = off;
      if (receivedAt.length === 0 || receivedAt[receivedAt.length - 1] !== ev.receivedAt) {
        if (receivedAt.length > 0) runEnds.push(i);
        receivedAt.push(ev.receivedAt);
      }
    }
    runEnds.push(events.length);
    const req: NormalizeRequest = { type: 'batch', seq: this.seq++, data: new Uint8Array(free, 0, off), ends, receivedAt, runEnds: Int32Array.from(runEnds), sampling, recent };
    if (output !== undefined) req.output = output;
    return req;
  }

  private settle(t: Thread, r: NormalizeReply): void {
    const w = this.waiting.get(r.seq);
    if (w === undefined) return;
    this.waiting.delete(r.seq);
    t.busy--;
    this.freeInputs.push(r.input);
    if (this.freeInputs.length > this.size * 2) this.freeInputs.shift();
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
