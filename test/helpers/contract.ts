/**
 * Contract checks for sources and sinks (start/stop idempotence, counters,
 * health, durability semantics). A source is driven with a TestIngest; a
 * component-specific probe says what the outside world has seen.
 */
import assert from 'node:assert/strict';
import type { OutputEvent, Sink, Source } from '../../src/pipeline/types.js';
import { TestIngest, until } from './ingest.js';

const COUNTERS = ['received', 'sent', 'rejected', 'dropped', 'errors', 'retried'];

function checkShape(c: Source | Sink, type: string): void {
  assert.equal(c.type, type);
  assert.equal(typeof c.name, 'string');
  assert.deepEqual(Object.keys(c.counters).sort(), [...COUNTERS].sort());
  assert.ok(Object.values(c.counters).every((v) => v === 0), 'counters start at zero');
  const h = c.health();
  assert.equal(typeof h.ok, 'boolean');
}

export interface SourceProbe {
  /** Makes `n` events available to the source (append lines, publish messages). */
  feed(n: number): Promise<void>;
  /** How many events the source has "forgotten" (checkpointed, acknowledged). */
  forgotten(): Promise<number>;
}

export async function checkSourceContract(make: () => Source, type: string, probe: SourceProbe, n = 30): Promise<void> {
  const idle = make();
  checkShape(idle, type);
  await idle.stop(); // stop before start is fine
  await idle.stop();

  const src = make();
  const ingest = new TestIngest(false);
  try {
    await src.start(ingest);
    await src.start(ingest); // idempotent
    await probe.feed(n);
    await ingest.waitFor(n);
    assert.equal(ingest.events.length, n, 'each event submitted once');
    for (const e of ingest.events) {
      assert.equal(typeof e.raw, 'string');
      assert.match(e.receivedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(await probe.forgotten(), 0, 'nothing forgotten before it is durable');
    ingest.resolveAll();
    await until(async () => (await probe.forgotten()) === n, 5000, 'every event forgotten once durable');
    const c = src.counters;
    assert.equal(c.received, n);
    assert.equal(c.sent + c.rejected + c.dropped, c.received, 'counters add up');
    assert.equal(src.health().ok, true, `healthy: ${src.health().detail}`);
  } finally {
    await src.stop();
  }
  await src.stop(); // idempotent
  const before = ingest.events.length;
  await probe.feed(3);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(ingest.events.length, before, 'nothing submitted after stop');
}

export interface SinkProbe {
  /** Events the destination holds now. */
  stored(): Promise<number>;
}

export async function checkSinkContract(make: () => Sink, type: string, probe: SinkProbe, batch: OutputEvent[]): Promise<void> {
  const idle = make();
  checkShape(idle, type);
  await idle.stop();
  await idle.stop();
  await assert.rejects(idle.write(batch), 'write after stop rejects');

  const sink = make();
  await sink.start();
  await sink.start();
  const before = await probe.stored();
  const r = await sink.write(batch);
  assert.deepEqual(r.refused, []);
  assert.equal((await probe.stored()) - before, batch.length, 'durable when write resolves');
  assert.equal(sink.counters.received, batch.length);
  assert.equal(sink.counters.sent + sink.counters.rejected, sink.counters.received, 'counters add up');
  assert.equal(sink.health().ok, true);
  await sink.stop();
  await sink.stop();
  await assert.rejects(sink.write(batch), 'write after stop rejects');
}
