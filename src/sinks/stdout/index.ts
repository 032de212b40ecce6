/**
 * Stdout sink: NDJSON to standard output. A write is done when the data was
 * handed to the operating system (stdout has no fsync).
 */
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { newComponentCounters, type Health, type OutputEvent, type Sink, type SinkFactory, type WriteResult } from '../../component/types.js';
import { encodeLines } from '../../io/utf8-chunks.js';
import { contiguousLines } from '../../component/encoded-batch.js';

const stdoutSinkSchema = z.object({}).strict();
export type StdoutSinkConfig = z.output<typeof stdoutSinkSchema>;

export class StdoutSink implements Sink {
  readonly type = 'stdout';
  readonly counters = newComponentCounters();
  private lastError: string | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly out: Writable = process.stdout,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
  }

  endpoints(): string[] {
    return ['stdout'];
  }

  health(): Health {
    if (this.stopped) return { ok: false, detail: 'stopped' };
    return this.lastError === undefined ? { ok: true } : { ok: false, detail: this.lastError };
  }

  write(batch: OutputEvent[]): Promise<WriteResult> {
    if (this.stopped) return Promise.reject(new Error(`sink ${this.name} is stopped`));
    this.counters.received += batch.length;
    const data = contiguousLines(batch) ?? encodeLines(batch);
    return new Promise((resolve, reject) => {
      this.out.write(data, (err) => {
        if (err) {
          this.counters.errors++;
          this.lastError = err.message;
          reject(err);
          return;
        }
        this.lastError = undefined;
        this.counters.sent += batch.length;
        resolve({ refused: [] });
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}

export const stdoutSinkFactory: SinkFactory<StdoutSinkConfig> = {
  type: 'stdout',
  schema: stdoutSinkSchema,
  create: (name) => new StdoutSink(name),
};
