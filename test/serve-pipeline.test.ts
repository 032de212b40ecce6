/** The pipeline runner: batching, fan-out, acknowledgements, retries, dead letters, bounded memory. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Pipeline } from '../src/runtime/runner.js';
import type { OutputEvent, RawEvent, WriteResult } from '../src/component/types.js';
import { MemorySink, pipelineOptions } from './helpers/memory-sink.js';

const logger = pino({ level: 'silent' });

const options = pipelineOptions;

const at = '2024-05-01T10:00:00.000Z';
function eve(i: number): RawEvent {
  return { raw: `{"timestamp":"2024-05-01T10:00:00.${String(i).padStart(6, '0')}+0000","event_type":"dns","src_ip":"192.0.2.1","n":${i}}`, receivedAt: at };
}
const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => eve(from + i));
const origin = { source: 'test' };
const nOf = (json: string) => Number(/"n":(\d+)/.exec(json)?.[1] ?? /\\"n\\":(\d+)/.exec(json)?.[1]);

describe('pipeline', () => {
  it('normalizes, fans out to every sink in order, and acknowledges once durable everywhere', async () => {
    const a = new MemorySink('a');
    const b = new MemorySink('b');
    b.delayMs = 3;
    const dl = new MemorySink('dl');
    const p = new Pipeline(options({ batchMaxEvents: 7 }), [a, b], dl, logger);
    const subs = [];
    for (let i = 0; i < 10; i++) subs.push(await p.submit(events(i * 20, 20), origin));
    await Promise.all(subs.map((s) => s.durable));
    for (const sink of [a, b]) {
      assert.equal(sink.lines.length, 200);
      assert.deepEqual(sink.lines.map(nOf), Array.from({ length: 200 }, (_, i) => i), `${sink.name} keeps order`);
      assert.ok(sink.batchSizes.every((n) => n <= 7), 'batches never exceed batch_max_events');
    }
    assert.match(a.lines[0]!, /"@timestamp":"2024-05-01T10:00:00.000000Z"/);
    assert.equal(p.stats.received, 200);
    assert.equal(p.stats.normalized, 200);
    assert.equal(p.stats.finished, 200);
    assert.deepEqual(p.depth, { events: 0, bytes: 0 });
    assert.deepEqual(subs[0]!.counts, { received: 20, normalized: 20, rejected: 0, blank: 0 });
  });

  it('resolves durable only after the slowest sink has written, and in submission order', async () => {
    const fast = new MemorySink('fast');
    const slow = new MemorySink('slow');
    slow.delayMs = 60;
    const p = new Pipeline(options({ batchMaxEvents: 5, maxInFlight: 4 }), [fast, slow], new MemorySink('dl'), logger);
    const order: number[] = [];
    const s1 = await p.submit(events(0, 5), origin);
    const s2 = await p.submit(events(5, 5), origin);
    void s1.durable.then(() => order.push(1));
    void s2.durable.then(() => order.push(2));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(fast.lines.length, 10, 'the fast sink has both batches');
    assert.deepEqual(order, [], 'not acknowledged while the slow sink writes');
    await s2.durable;
    assert.deepEqual(order, [1, 2]);
    assert.equal(slow.lines.length, 10);
  });

  it('dead-letters rejected lines and refused events, counts blanks, one outcome per event', async () => {
    const sink = new MemorySink('es');
    sink.refuse = (json) => nOf(json) === 3;
    const dl = new MemorySink('dl');
    const p = new Pipeline(options(), [sink], dl, logger);
    const input: RawEvent[] = [
      ...events(0, 5),
      { raw: 'not json at all', receivedAt: at },
      { raw: '   ', receivedAt: at },
      { raw: 'x'.repeat(10), receivedAt: at, reject: { reason: 'too_long', message: 'message of 99 bytes exceeds the limit' } },
    ];
    const sub = await p.submit(input, { source: 'syslog', detail: 'tcp://127.0.0.1:1' });
    await sub.durable;
    assert.deepEqual(sub.counts, { received: 8, normalized: 5, rejected: 2, blank: 1 });
    assert.deepEqual(sink.lines.map(nOf), [0, 1, 2, 4]);
    const dead = dl.lines.map((l) => JSON.parse(l));
    assert.equal(dead.length, 3);
    const byKind = (k: string) => dead.filter((d) => d.kind === k);
    assert.deepEqual(byKind('rejected').map((d) => d.reason).sort(), ['not_json', 'too_long']);
    assert.equal(byKind('rejected').find((d) => d.reason === 'not_json').raw, 'not json at all');
    assert.equal(byKind('rejected')[0].source, 'syslog');
    assert.equal(byKind('rejected')[0].detail, 'tcp://127.0.0.1:1');
    const refused = byKind('refused')[0];
    assert.equal(refused.sink, 'es');
    assert.equal(refused.reason, 'mapper_parsing_exception');
    assert.equal(refused.source, 'syslog');
    assert.equal(nOf(refused.raw), 3, 'the refused document is kept whole');
    const s = p.stats;
    assert.equal(s.normalized + s.rejected + s.blank, s.received);
    assert.equal(s.refused, 1);
    assert.equal(s.deadLettered, 3);
  });

  it('a sink that forwards the received lines: no document is serialized when every sink does, and a refusal dead-letters the line it was given', async () => {
    class RawSink extends MemorySink {
      readonly wantsRaw = true;
      readonly got: OutputEvent[] = [];
      override async write(batch: OutputEvent[]): Promise<WriteResult> {
        this.got.push(...batch);
        return { refused: batch.flatMap((e, index) => (String(e.raw?.data).includes('"n":3') ? [{ index, reason: 'message_too_large', error: 'too big' }] : [])) };
      }
    }
    const relay = new RawSink('relay');
    const dl = new MemorySink('dl');
    const p = new Pipeline(options(), [relay], dl, logger);
    const input = events(0, 5);
    await (await p.submit(input, origin)).durable;
    assert.deepEqual(relay.got.map((e) => e.json), ['', '', '', '', ''], 'no document serialized: nothing reads it');
    assert.deepEqual(relay.got.map((e) => e.raw?.data), input.map((e) => e.raw));
    const dead = dl.lines.map((l) => JSON.parse(l));
    assert.equal(dead.length, 1);
    assert.equal(dead[0].kind, 'refused');
    assert.equal(dead[0].raw, input[3]!.raw, 'the dead letter holds the line the sink refused');

    // beside a sink that writes documents, they are serialized again
    const both = new RawSink('relay2');
    const docs = new MemorySink('docs');
    const p2 = new Pipeline(options(), [both, docs], new MemorySink('dl2'), logger);
    await (await p2.submit(events(0, 2), origin)).durable;
    assert.deepEqual(docs.lines.map(nOf), [0, 1]);
    assert.equal(both.got.length, 2);
  });

  it('retries a failing sink with backoff and never drops the batch', async () => {
    const sink = new MemorySink('flaky');
    sink.failNext = 4;
    const p = new Pipeline(options(), [sink], new MemorySink('dl'), logger);
    const sub = await p.submit(events(0, 50), origin);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(p.failing.has('flaky'), 'marked failing while retrying');
    await sub.durable;
    assert.deepEqual(sink.lines.map(nOf), Array.from({ length: 50 }, (_, i) => i));
    assert.equal(p.stats.retries.get('flaky'), 4);
    assert.equal(p.failing.has('flaky'), false);
  });

  it('applies backpressure and keeps memory bounded with a slow sink', async () => {
    const sink = new MemorySink('slow');
    sink.delayMs = 5;
    const p = new Pipeline(options({ maxEvents: 100, batchMaxEvents: 20 }), [sink], new MemorySink('dl'), logger);
    let maxDepth = 0;
    let waited = 0;
    const subs = [];
    for (let i = 0; i < 50; i++) {
      const t = Date.now();
      assert.equal(p.trySubmit(events(0, 0), origin) !== undefined, true, 'an empty submission always fits');
      subs.push(await p.submit(events(i * 10, 10), origin));
      if (Date.now() - t >= 2) waited++;
      maxDepth = Math.max(maxDepth, p.depth.events);
    }
    await Promise.all(subs.map((s) => s.durable));
    assert.ok(maxDepth <= 100, `depth stayed within the bound (max ${maxDepth})`);
    assert.ok(waited > 0, 'submit waited for room');
    assert.equal(sink.lines.length, 500);
    assert.deepEqual(sink.lines.map(nOf), Array.from({ length: 500 }, (_, i) => i));
  });

  it('trySubmit refuses when saturated and accepts again once there is room', async () => {
    const sink = new MemorySink('slow');
    sink.delayMs = 30;
    const p = new Pipeline(options({ maxEvents: 10, maxBytes: 1e9 }), [sink], new MemorySink('dl'), logger);
    const first = p.trySubmit(events(0, 10), origin);
    assert.ok(first);
    assert.equal(p.trySubmit(events(10, 1), origin), undefined);
    await first.durable;
    assert.ok(p.trySubmit(events(10, 1), origin));
  });

  it('bounds bytes as well as events', async () => {
    const sink = new MemorySink('slow');
    sink.delayMs = 20;
    const one = eve(0).raw.length;
    const p = new Pipeline(options({ maxEvents: 1000, maxBytes: one * 3 }), [sink], new MemorySink('dl'), logger);
    assert.ok(p.trySubmit(events(0, 3), origin));
    assert.equal(p.trySubmit(events(3, 1), origin), undefined, 'bytes bound reached');
  });

  it('drain flushes a partial batch at once and refuses new submissions', async () => {
    const sink = new MemorySink('s');
    const p = new Pipeline(options({ batchMaxWaitMs: 60_000 }), [sink], new MemorySink('dl'), logger);
    const sub = await p.submit(events(0, 3), origin);
    await p.drain();
    await sub.durable;
    assert.equal(sink.lines.length, 3);
    await assert.rejects(p.submit(events(3, 1), origin), /stopping/);
    assert.equal(p.trySubmit(events(3, 1), origin), undefined);
  });

  it('overlaps writes to a pipelined sink (group commit) and still acknowledges in order', async () => {
    const sink = new MemorySink('grouped');
    Object.defineProperty(sink, 'pipelined', { value: true });
    sink.delayMs = 40;
    const plain = new MemorySink('plain');
    const p = new Pipeline(options({ batchMaxEvents: 10, maxInFlight: 8 }), [sink, plain], new MemorySink('dl'), logger);
    const order: number[] = [];
    const subs = [];
    for (let i = 0; i < 6; i++) {
      const sub = await p.submit(events(i * 10, 10), origin);
      void sub.durable.then(() => order.push(i));
      subs.push(sub);
    }
    await Promise.all(subs.map((s) => s.durable));
    assert.ok(sink.maxConcurrentWrites > 1, `writes overlapped (${sink.maxConcurrentWrites})`);
    assert.equal(plain.maxConcurrentWrites, 1, 'a plain sink gets one write at a time');
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(plain.lines.map(nOf), Array.from({ length: 60 }, (_, i) => i));
  });

  it('keeps integers beyond 2^53 exact through the pipeline', async () => {
    const sink = new MemorySink('s');
    const p = new Pipeline(options(), [sink], new MemorySink('dl'), logger);
    const raw = '{"timestamp":"2024-05-01T10:00:00.123456+0000","event_type":"flow","flow_id":1234567890123456789,"src_ip":"192.0.2.1"}';
    await (await p.submit([{ raw, receivedAt: at }], origin)).durable;
    assert.equal(sink.lines.length, 1);
    // Outside the raw copy in `message`, the normalized field keeps every digit too.
    const withoutMessage = sink.lines[0]!.replace(/"message":"(?:[^"\\]|\\.)*",?/, '');
    assert.doesNotMatch(withoutMessage, /"message"/);
    assert.match(withoutMessage, /1234567890123456789/);
  });
});
