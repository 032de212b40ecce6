/**
 * Stdin source: one raw event per line, read with backpressure (reading waits
 * while the pipeline has no room). It finishes at end of input; the service
 * stops once every source has finished.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES } from '../../decode/index.js';
import { LineSplitter } from '../../io/lines.js';
import { size } from '../../config/values.js';
import { newComponentCounters, type Health, type Ingest, type RawEvent, type Source, type SourceFactory } from '../../pipeline/types.js';

const stdinSourceSchema = z.object({ max_line_bytes: size(1, DEFAULT_MAX_LINE_BYTES) }).strict();
export type StdinSourceConfig = z.output<typeof stdinSourceSchema>;

export class StdinSource implements Source {
  readonly type = 'stdin';
  readonly counters = newComponentCounters();
  readonly finished: Promise<void>;
  private markFinished!: () => void;
  private reading: Promise<void> | undefined;
  private stopping = false;
  private lastError: string | undefined;

  constructor(
    readonly name: string,
    private readonly config: StdinSourceConfig,
    private readonly input: Readable = process.stdin,
  ) {
    this.finished = new Promise((r) => (this.markFinished = r));
  }

  async start(ingest: Ingest): Promise<void> {
    this.reading ??= this.read(ingest).then(
      () => this.markFinished(),
      (e: Error) => {
        this.counters.errors++;
        this.lastError = e.message;
        this.markFinished();
      },
    );
  }

  private async read(ingest: Ingest): Promise<void> {
    const max = this.config.max_line_bytes;
    let batch: RawEvent[] = [];
    let receivedAt = '';
    const splitter = new LineSplitter(max, {
      line: (raw) => batch.push({ raw, receivedAt }),
      tooLong: (excerpt, bytes) =>
        batch.push({ raw: excerpt, receivedAt, reject: { reason: 'too_long', message: `line of ${bytes} bytes exceeds the limit of ${max} bytes` } }),
    });
    const origin = { source: this.name, detail: 'stdin' };
    const flush = async () => {
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      this.counters.received += events.length;
      await ingest.submit(events, origin);
      this.counters.sent += events.length;
    };
    for await (const chunk of this.input) {
      receivedAt = new Date().toISOString();
      splitter.push(chunk as Buffer);
      await flush();
      if (this.stopping) return;
    }
    splitter.end();
    await flush();
  }

  endpoints(): string[] {
    return ['stdin'];
  }

  health(): Health {
    return this.lastError === undefined ? { ok: true } : { ok: false, detail: this.lastError };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.input.pause();
    this.markFinished();
  }
}

export const stdinSourceFactory: SourceFactory<StdinSourceConfig> = {
  type: 'stdin',
  schema: stdinSourceSchema,
  create: (name, config) => new StdinSource(name, config),
};
