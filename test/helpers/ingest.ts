import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { rawText, type ComponentDeps, type Ingest, type Origin, type RawEvent, type Submission } from '../../src/component/types.js';

export interface Recorded {
  events: RawEvent[];
  origin: Origin;
  /** Makes this submission durable. */
  resolve(): void;
  reject(err: Error): void;
  settled: boolean;
}

/**
 * An Ingest that records what sources submit. Submissions become durable only
 * when the test says so (or at once with `auto`), to check that sources
 * acknowledge and checkpoint only after durability.
 */
export class TestIngest implements Ingest {
  readonly submissions: Recorded[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(public auto = false) {}

  get events(): RawEvent[] {
    return this.submissions.flatMap((s) => s.events);
  }

  get lines(): string[] {
    return this.events.map(rawText);
  }

  async submit(events: RawEvent[], origin: Origin): Promise<Submission> {
    return this.record(events, origin);
  }

  trySubmit(events: RawEvent[], origin: Origin): Submission | undefined {
    return this.record(events, origin);
  }

  private record(events: RawEvent[], origin: Origin): Submission {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const durable = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    durable.catch(() => undefined);
    const rec: Recorded = {
      events: [...events],
      origin,
      settled: false,
      resolve: () => {
        rec.settled = true;
        resolve();
      },
      reject: (e) => {
        rec.settled = true;
        reject(e);
      },
    };
    this.submissions.push(rec);
    if (this.auto) rec.resolve();
    const total = this.events.length;
    this.waiters = this.waiters.filter((w) => (total >= w.n ? (w.resolve(), false) : true));
    return { durable };
  }

  /** Makes every submission so far durable. */
  resolveAll(): void {
    for (const s of this.submissions) if (!s.settled) s.resolve();
  }

  /** Waits until at least `n` events were submitted. */
  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`timed out waiting for ${n} events, got ${this.events.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }
}

/** Component deps with a logger whose JSON lines are kept in `logs`. */
export function testDeps(dataDir: string): ComponentDeps & { logs: string[] } {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), dataDir, logs };
}

export async function tempDir(prefix = 'jizo-test-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
