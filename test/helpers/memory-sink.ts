/** An in-memory sink for pipeline tests: slow, failing or refusing on demand. */
import { pino } from 'pino';
import { Pipeline, type PipelineOptions } from '../../src/runtime/runner.js';
import { newComponentCounters, type OutputEvent, type Sink, type WriteResult } from '../../src/component/types.js';

export class MemorySink implements Sink {
  readonly type = 'memory';
  readonly counters = newComponentCounters();
  readonly lines: string[] = [];
  readonly batchSizes: number[] = [];
  /** Delay of every write. */
  delayMs = 0;
  /** The next N writes reject (transient failure). */
  failNext = 0;
  /** Events refused for good: predicate on the JSON text. */
  refuse: (json: string) => boolean = () => false;
  writing = 0;
  maxConcurrentWrites = 0;
  stopped = false;

  constructor(readonly name: string) {}

  async start(): Promise<void> {}

  health() {
    return { ok: !this.stopped };
  }

  async write(batch: OutputEvent[]): Promise<WriteResult> {
    this.writing++;
    this.maxConcurrentWrites = Math.max(this.maxConcurrentWrites, this.writing);
    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      if (this.failNext > 0) {
        this.failNext--;
        this.counters.errors++;
        throw new Error('simulated outage');
      }
      const refused: WriteResult['refused'] = [];
      this.counters.received += batch.length;
      batch.forEach((e, index) => {
        if (this.refuse(e.json)) refused.push({ index, reason: 'mapper_parsing_exception', error: 'simulated mapping error' });
        else this.lines.push(e.json);
      });
      this.batchSizes.push(batch.length);
      this.counters.sent += batch.length - refused.length;
      this.counters.rejected += refused.length;
      return { refused };
    } finally {
      this.writing--;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}

/** A real pipeline (sekoia profile, small fast batches) writing to a memory sink, with a memory dead-letter output. */
export function memoryPipeline(): { pipeline: Pipeline; out: MemorySink; dead: MemorySink } {
  const out = new MemorySink('out');
  const dead = new MemorySink('dl');
  const pipeline = new Pipeline(
    pipelineOptions({ maxEvents: 1000, retryMaxMs: 10 }),
    [out],
    dead,
    pino({ level: 'silent' }),
  );
  return { pipeline, out, dead };
}

/** Pipeline options for tests: the sekoia profile, a large queue, small fast batches, short retries; `o` overrides. */
export function pipelineOptions(o: Partial<PipelineOptions> = {}): PipelineOptions {
  return {
    normalize: { profile: 'sekoia' },
    maxEvents: 10_000,
    maxBytes: 10_000_000,
    batchMaxEvents: 100,
    batchMaxBytes: 1_000_000,
    batchMaxWaitMs: 5,
    maxInFlight: 2,
    retryInitialMs: 5,
    retryMaxMs: 20,
    ...o,
  };
}
