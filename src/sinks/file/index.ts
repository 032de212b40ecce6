/**
 * File sink: NDJSON, one document per line, with rotation by size and age.
 * `fsync` says when a write counts as durable: `always` (fsync after each
 * batch), `interval` (group commit: writes wait for the next periodic fsync),
 * `never` (written to the OS, no fsync: fast, may lose the last seconds on a
 * power cut). Also the default dead-letter output.
 */
import { z } from 'zod';
import { duration, path, size } from '../../config/values.js';
import { newComponentCounters, type ComponentDeps, type Health, type OutputEvent, type Sink, type SinkFactory, type WriteResult } from '../../component/types.js';
import { RotatingFile } from './rotating.js';
import { LineBuffers, type EncodedLines } from '../../io/utf8-chunks.js';
import { contiguousLines } from '../../component/encoded-batch.js';
import { resolve } from 'node:path';

export const fileSinkSchema = z
  .object({
    /** File written to; rotated files are put beside it. Default: `<data_dir>/events.ndjson`. */
    path: path().optional(),
    /** Rotate when the file would exceed this size (0: never). */
    max_bytes: size(0, '256MiB'),
    /** Rotate when the file is older than this (0: never). */
    max_age: duration(0, '1h'),
    fsync: z.enum(['always', 'interval', 'never'], { errorMap: () => ({ message: 'expected one of always, interval, never' }) }).default('always'),
    /** Period of the `interval` fsync policy. */
    fsync_interval: duration(1, '200ms'),
  })
  .strict();
export type FileSinkConfig = z.output<typeof fileSinkSchema>;

const NO_REFUSALS: WriteResult = Object.freeze({ refused: [] }) as WriteResult;

export class FileSink implements Sink {
  readonly type = 'file';
  /** Appends are ordered by `serial`; with `interval`, many batches wait for one fsync. */
  readonly pipelined = true;
  readonly counters = newComponentCounters();
  private readonly file: RotatingFile;
  private lock: Promise<unknown> = Promise.resolve();
  private lastError: string | undefined;
  private nextSync: Promise<void> | undefined;
  private stopped = false;
  /** Memory the batches are encoded into, given back once appended. */
  private readonly buffers = new LineBuffers();

  constructor(
    readonly name: string,
    private readonly config: FileSinkConfig,
    filePath: string,
  ) {
    this.file = new RotatingFile({ path: filePath, maxBytes: config.max_bytes, maxAgeMs: config.max_age });
  }

  get path(): string {
    return this.file.path;
  }

  /** Files rotated away so far. */
  get rotated(): readonly string[] {
    return this.file.rotated;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.serial(() => this.file.open());
  }

  endpoints(): string[] {
    return [this.file.path];
  }

  health(): Health {
    if (this.stopped) return { ok: false, detail: 'stopped' };
    return this.lastError === undefined ? { ok: true } : { ok: false, detail: this.lastError };
  }

  write(batch: OutputEvent[]): Promise<WriteResult> {
    if (this.stopped) return Promise.reject(new Error(`sink ${this.name} is stopped`));
    this.counters.received += batch.length;
    // A batch of the pipeline is already one span of UTF-8 lines; other lines are encoded at once.
    const span = contiguousLines(batch);
    return this.appendEncoded(span !== undefined ? { data: span, release() {} } : this.buffers.encode(batch), batch.length);
  }

  private async appendEncoded(encoded: EncodedLines, events: number): Promise<WriteResult> {
    try {
      await this.serial(async () => {
        try {
          await this.file.append(encoded.data);
        } finally {
          encoded.release();
        }
        if (this.config.fsync === 'always') await this.file.sync();
      });
      if (this.config.fsync === 'interval') await this.groupSync();
    } catch (e) {
      this.counters.errors++;
      this.lastError = `${this.file.path}: ${(e as Error).message}`;
      throw e;
    }
    this.lastError = undefined;
    this.counters.sent += events;
    return NO_REFUSALS;
  }

  /** Waits for the next periodic fsync, which covers every byte appended before it starts. */
  private groupSync(): Promise<void> {
    this.nextSync ??= new Promise<void>((r) => setTimeout(r, this.config.fsync_interval)).then(() => {
      this.nextSync = undefined;
      return this.serial(() => this.file.sync());
    });
    return this.nextSync;
  }

  async reopen(): Promise<void> {
    await this.serial(() => this.file.reopen());
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.serial(() => this.file.close());
  }

  /** After stop(): removes the file and directories start() created, when nothing was written (a failed service start). */
  async discardIfUnused(): Promise<void> {
    await this.serial(() => this.file.discardIfUnused());
  }

  /** File operations run one at a time, in call order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.lock.then(fn);
    this.lock = p.catch(() => undefined);
    return p;
  }
}

function makeFactory(type: string, defaultName: string): SinkFactory<FileSinkConfig> {
  return {
    type,
    schema: fileSinkSchema,
    create(name: string, config: FileSinkConfig, deps: ComponentDeps): Sink {
      return new FileSink(name, config, resolve(config.path ?? `${deps.dataDir}/${defaultName}`));
    },
  };
}

export const fileSinkFactory = makeFactory('file', 'events.ndjson');
/** The dead-letter output: a file sink whose default path is `<data_dir>/dead-letter.ndjson`. */
export const deadLetterFileFactory = makeFactory('file', 'dead-letter.ndjson');
