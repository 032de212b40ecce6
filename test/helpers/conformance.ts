/**
 * Shared conformance tests of the component contract (src/component/types.ts),
 * run against every source and sink: configuration through the factory
 * schema, start/stop idempotence, counters, health, delivery of exactly the
 * events sent (sources) and durability of written batches (sinks).
 *
 * A component is plugged in with a case: its factory, a configuration, and how
 * to feed it (sources) or read back what it made durable (sinks).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import {
  rawText,
  type ComponentDeps,
  type Ingest,
  type Origin,
  type OutputEvent,
  type RawEvent,
  type Sink,
  type SinkFactory,
  type Source,
  type SourceFactory,
  type Submission,
} from '../../src/component/types.js';

export function testDeps(): ComponentDeps {
  return { logger: pino({ level: 'silent' }), dataDir: mkdtempSync(join(tmpdir(), 'jizo-conf-')) };
}

/** An Ingest that records what it is given and acknowledges when told. */
export class RecordingIngest implements Ingest {
  readonly events: { event: RawEvent; origin: Origin }[] = [];
  /** When true, `durable` stays pending until release(). */
  hold = false;
  /** When true, trySubmit refuses (saturated) and submit waits for unsaturate(). */
  saturated = false;
  private held: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];

  get raws(): string[] {
    return this.events.map((e) => rawText(e.event));
  }

  private take(events: RawEvent[], origin: Origin): Submission {
    for (const event of events) this.events.push({ event, origin });
    const counts = { received: events.length, normalized: events.length, rejected: 0, blank: 0 };
    if (!this.hold) return { durable: Promise.resolve(), counts };
    return { durable: new Promise<void>((r) => this.held.push(r)), counts };
  }

  async submit(events: RawEvent[], origin: Origin): Promise<Submission> {
    while (this.saturated) await new Promise<void>((r) => this.roomWaiters.push(r));
    return this.take(events, origin);
  }

  trySubmit(events: RawEvent[], origin: Origin): Submission | undefined {
    return this.saturated ? undefined : this.take(events, origin);
  }

  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }

  unsaturate(): void {
    this.saturated = false;
    for (const r of this.roomWaiters.splice(0)) r();
  }

  /** Waits until at least `n` events were taken. */
  async waitFor(n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out: ${this.events.length} of ${n} events arrived`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

export interface SourceCase {
  factory: SourceFactory<unknown>;
  /** Configuration as a user writes it (parsed with the factory schema). */
  config: Record<string, unknown>;
  /** Builds the source when it needs more than the factory (an injected stream); default factory.create. */
  create?(name: string, config: unknown, deps: ComponentDeps): Source;
  /** Feeds `lines` to a started source through its real transport. */
  send(source: Source, lines: string[]): Promise<void>;
  /** The source must keep lines in order (false for UDP). Default true. */
  ordered?: boolean;
  /**
   * The source acknowledges to its sender (HTTP answer, checkpoint, NATS ack):
   * `send` must then resolve only once the sender saw the acknowledgement,
   * and the conformance test checks it never comes before `durable`.
   */
  acknowledges?: boolean;
  /**
   * Puts lines where the source would find them without waiting for any
   * acknowledgement (file append, NATS publish). When set, the test checks
   * that a stopped source takes nothing more.
   */
  feed?(source: Source, lines: string[]): Promise<void>;
  /** Why the suite cannot run here (a server missing), shown as the skip message. */
  skip?: string | false;
}

function sampleLines(n: number, tag: string): string[] {
  return Array.from(
    { length: n },
    (_, i) => `{"timestamp":"2024-05-01T10:00:00.${String(i).padStart(6, '0')}+0000","event_type":"dns","src_ip":"192.0.2.${i % 250}","tag":"${tag}-${i}"}`,
  );
}

/** Registers the conformance tests of a source. */
export function sourceConformance(label: string, c: SourceCase): void {
  const build = (deps: ComponentDeps) => {
    const parsed = c.factory.schema.safeParse(c.config);
    assert.ok(parsed.success, `config is valid: ${JSON.stringify(parsed.success ? '' : parsed.error.issues)}`);
    return (c.create ?? c.factory.create)('conf', parsed.data, deps);
  };
  describe(`source conformance: ${label}`, { skip: c.skip }, () => {
    it('has a type, a name and the standard counters; stops before start', async () => {
      const s = build(testDeps());
      assert.equal(s.name, 'conf');
      assert.equal(s.type, c.factory.type);
      assert.deepEqual(Object.keys(s.counters).sort(), ['dropped', 'duplicates', 'errors', 'received', 'rejected', 'retried', 'sent']);
      assert.ok(Object.values(s.counters).every((v) => v === 0), 'counters start at zero');
      await s.stop();
      await s.stop();
    });

    it('delivers exactly the events sent, counts them, and stops idempotently', async () => {
      const ingest = new RecordingIngest();
      const s = build(testDeps());
      try {
        await deliverCheck(s, ingest);
      } finally {
        await s.stop();
      }
      await s.stop();
      if (c.feed) {
        const before = ingest.events.length;
        await c.feed(s, sampleLines(3, `${label}-late`));
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(ingest.events.length, before, 'nothing taken after stop');
      }
    });

    if (c.acknowledges) {
      it('acknowledges to the sender only after the submission is durable', async () => {
        const ingest = new RecordingIngest();
        ingest.hold = true;
        const s = build(testDeps());
        try {
          await s.start(ingest);
          let acked = false;
          const sending = c.send(s, sampleLines(5, `${label}-ack`)).then(() => (acked = true));
          await ingest.waitFor(5);
          await new Promise((r) => setTimeout(r, 100));
          assert.equal(acked, false, 'no acknowledgement while durable is pending');
          ingest.release();
          await sending;
          assert.equal(acked, true);
        } finally {
          await s.stop();
        }
      });
    }
  });

  async function deliverCheck(s: Source, ingest: RecordingIngest): Promise<void> {
    await s.start(ingest);
    await s.start(ingest); // a second start is a no-op
    assert.equal(s.health().ok, true, `healthy after start: ${s.health().detail}`);
    const lines = sampleLines(50, label);
    await c.send(s, lines);
    await ingest.waitFor(lines.length);
    const got = ingest.raws.map((r) => r.replace(/\r?\n$/, ''));
    if (c.ordered === false) assert.deepEqual([...got].sort(), [...lines].sort());
    else assert.deepEqual(got, lines);
    for (const e of ingest.events) {
      assert.equal(e.origin.source, 'conf');
      assert.match(e.event.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    assert.equal(s.counters.received, lines.length);
    assert.equal(s.counters.sent, lines.length);
    assert.equal(s.counters.dropped, 0);
    assert.equal(s.counters.sent + s.counters.rejected + s.counters.dropped, s.counters.received, 'counters add up');
  }
}

export interface SinkCase {
  factory: SinkFactory<unknown>;
  config: Record<string, unknown>;
  create?(name: string, config: unknown, deps: ComponentDeps): Sink;
  /** What the sink has made durable, one JSON document per entry, in order. */
  readBack(sink: Sink, deps: ComponentDeps): Promise<string[]>;
  /** Why the suite cannot run here (a server missing), shown as the skip message. */
  skip?: string | false;
}

export function outputEvents(n: number, tag: string): OutputEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const json = `{"@timestamp":"2024-05-01T10:00:00.123456Z","event":{"kind":"event"},"tag":"${tag}-${i}","big":18446744073709551615}`;
    return { json, timestamp: '2024-05-01T10:00:00.123456Z' };
  });
}

/** Registers the conformance tests of a sink. */
export function sinkConformance(label: string, c: SinkCase): void {
  describe(`sink conformance: ${label}`, { skip: c.skip }, () => {
    const build = (deps: ComponentDeps) => {
      const parsed = c.factory.schema.safeParse(c.config);
      assert.ok(parsed.success, `config is valid: ${JSON.stringify(parsed.success ? '' : parsed.error.issues)}`);
      return (c.create ?? c.factory.create)('conf', parsed.data, deps);
    };

    it('makes each batch durable before write resolves, in order, and counts it', async () => {
      const deps = testDeps();
      const s = build(deps);
      assert.equal(s.type, c.factory.type);
      await s.start();
      await s.start();
      assert.equal(s.health().ok, true, `healthy after start: ${s.health().detail}`);
      const a = outputEvents(3, 'a');
      const b = outputEvents(2, 'b');
      const ra = await s.write(a);
      assert.deepEqual(ra.refused, []);
      // Durable means readable back as soon as write resolved, before stop.
      assert.deepEqual(await c.readBack(s, deps), a.map((e) => e.json));
      await s.write(b);
      assert.deepEqual(await c.readBack(s, deps), [...a, ...b].map((e) => e.json));
      assert.equal(s.counters.received, 5);
      assert.equal(s.counters.sent, 5);
      assert.equal(s.counters.errors, 0);
      await s.stop();
      await s.stop();
      assert.deepEqual(await c.readBack(s, deps), [...a, ...b].map((e) => e.json));
    });

    it('refuses writes once stopped (the pipeline keeps the batch)', async () => {
      const deps = testDeps();
      const idle = build(deps);
      assert.ok(Object.values(idle.counters).every((v) => v === 0), 'counters start at zero');
      await idle.stop(); // stop before start is fine
      await assert.rejects(idle.write(outputEvents(1, 'idle')));
      const s = build(deps);
      await s.start();
      await s.stop();
      await assert.rejects(s.write(outputEvents(1, 'late')));
    });
  });
}
