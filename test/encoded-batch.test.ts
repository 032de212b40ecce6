import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncodedBatch, EncodedBatchPool, EncodedEvent, contiguousLines } from '../src/component/encoded-batch.js';

const emoji = '\u{1F600}';

function eventsOf(batch: EncodedBatch, texts: string[]): EncodedEvent[] {
  return texts.map((t) => {
    const start = batch.line(t);
    return new EncodedEvent(batch, start, batch.length - 1, undefined);
  });
}

test('encoded batch: each text and a LF, multi-byte text and growth past the first buffer keep every byte', () => {
  const batch = new EncodedBatch(Buffer.alloc(8));
  const texts = ['{"a":1}', `{"e":"${emoji}é"}`, `{"long":"${'x'.repeat(100_000)}"}`, '{}'];
  const events = eventsOf(batch, texts);
  assert.deepEqual(events.map((e) => e.json), texts);
  assert.deepEqual(events.map((e) => e.bytes.toString('utf8')), texts);
  assert.equal(batch.buffer.toString('utf8', 0, batch.length), texts.map((t) => `${t}\n`).join(''));
});

test('contiguousLines: the span of consecutive events of one batch; undefined for anything else', () => {
  const batch = new EncodedBatch();
  const events = eventsOf(batch, ['{"n":1}', '{"n":2}', '{"n":3}']);
  assert.equal(contiguousLines(events)?.toString('utf8'), '{"n":1}\n{"n":2}\n{"n":3}\n');
  assert.equal(contiguousLines(events.slice(1))?.toString('utf8'), '{"n":2}\n{"n":3}\n');
  assert.equal(contiguousLines([events[0]!, events[2]!]), undefined, 'a gap');
  assert.equal(contiguousLines([events[1]!, events[0]!]), undefined, 'out of order');
  const other = eventsOf(new EncodedBatch(), ['{"n":4}']);
  assert.equal(contiguousLines([...events, ...other]), undefined, 'two batches');
  assert.equal(contiguousLines([{ json: '{"n":5}', timestamp: undefined }]), undefined, 'a plain event');
  assert.equal(contiguousLines([]), undefined);
});

test('encoded batch pool: a released buffer is handed out again, at most `keep` are kept', () => {
  const pool = new EncodedBatchPool(1, 1024);
  const a = pool.acquire();
  const b = pool.acquire();
  a.line('{"a":1}');
  const memoryOfA = a.buffer;
  pool.release(a);
  assert.equal(a.length, 0);
  pool.release(b); // beyond keep: dropped
  const c = pool.acquire();
  assert.equal(c.buffer, memoryOfA);
  assert.equal(c.length, 0);
  assert.notEqual(pool.acquire().buffer, memoryOfA);
});
