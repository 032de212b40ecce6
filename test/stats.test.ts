/** The status page's statistics: space-saving top-k, its window, the per-second rings, the event observer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { describe as describeDoc } from '../src/describe/index.js';
import { normalize } from '../src/index.js';
import type { Normalized } from '../src/normalize/types.js';
import { EventStats, excerpt } from '../src/runtime/stats/event-stats.js';
import { RateSeries, Recent } from '../src/runtime/stats/ring.js';
import { TopK, WindowTopK } from '../src/runtime/stats/top-k.js';
import { alert, flow, POLICY, SCAN } from './helpers/status-traffic.js';

function exactCounts(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function normalized(line: string): Normalized {
  const r = normalize(line);
  assert.ok(r.ok, line);
  return r;
}

describe('space-saving top-k', () => {
  it('counts exactly while fewer keys than its capacity were seen, most counted first, ties by key', () => {
    const t = new TopK(4);
    for (const k of ['b', 'a', 'c', 'a', 'b', 'a']) t.add(k);
    assert.deepEqual(t.entries().map((e) => [e.key, e.count, e.error]), [['a', 3, 0], ['b', 2, 0], ['c', 1, 0]]);
  });

  it('never holds more than its capacity; counts bound the true counts (count - error <= true <= count); frequent keys are kept', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 600 }), fc.integer({ min: 1, max: 12 }), (stream, capacity) => {
        const keys = stream.map((n) => `k${n}`);
        const t = new TopK(capacity);
        for (const k of keys) t.add(k);
        const truth = exactCounts(keys);
        const entries = t.entries();
        assert.ok(entries.length <= capacity);
        for (const e of entries) {
          const real = truth.get(e.key) ?? 0;
          assert.ok(e.count >= real && e.count - e.error <= real, `${e.key}: ${e.count} (error ${e.error}) for ${real}`);
        }
        const kept = new Set(entries.map((e) => e.key));
        for (const [k, n] of truth) if (n > keys.length / capacity) assert.ok(kept.has(k), `${k} seen ${n} times of ${keys.length}`);
      }),
    );
  });

  it('keeps the last tag of a key, and cuts long keys', () => {
    const t = new TopK(2, 5);
    t.add('abcdefgh', 1, 3);
    t.add('abcdeXYZ', 1, 1);
    assert.deepEqual(t.entries().map((e) => [e.key, e.count, e.tag]), [['abcde', 2, 1]]);
  });

  it('a window forgets what is older than its slices, and merges the slices it holds', () => {
    const w = new WindowTopK(3, 8);
    w.add('old', 1, 1);
    w.rotate();
    w.add('old', 1, 2);
    w.add('new');
    assert.deepEqual(w.top(5).map((e) => [e.key, e.count]), [['old', 2], ['new', 1]]);
    assert.equal(w.top(5)[0]!.tag, 2, 'the newest slice gives the tag');
    w.rotate();
    w.rotate();
    assert.deepEqual(w.top(5).map((e) => [e.key, e.count]), [['new', 1], ['old', 1]]);
    w.rotate();
    assert.deepEqual(w.top(5), []);
  });
});

describe('rings', () => {
  it('a rate series keeps the per-second differences of a counter, the last `length` of them, oldest first', () => {
    const r = new RateSeries(3);
    r.sample(10);
    assert.deepEqual(r.toArray(), []);
    for (const total of [12, 12, 20, 21]) r.sample(total);
    assert.deepEqual(r.toArray(), [0, 8, 1]);
  });

  it('recent keeps the last items, oldest first', () => {
    const r = new Recent<number>(3);
    for (const n of [1, 2, 3, 4, 5]) r.push(n);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
  });
});

describe('event statistics', () => {
  it('counts types, signatures with severity, addresses; keeps the last documents and describes them when read', () => {
    const s = new EventStats({ recentDocuments: 3 });
    const lines = [alert(0, SCAN, 2), alert(1, SCAN, 2), alert(2, POLICY, 1), flow(3), flow(4)];
    lines.forEach((l, i) => s.document(normalized(l), i < 3 ? 'syslog' : 'http', `2024-05-01T10:00:0${i}Z`));
    const snap = s.snapshot();
    assert.deepEqual(snap.types, [{ key: 'alert', count: 3 }, { key: 'flow', count: 2 }]);
    assert.deepEqual(snap.signatures, [{ key: SCAN, count: 2, severity: 2 }, { key: POLICY, count: 1, severity: 1 }]);
    assert.deepEqual(snap.destinations, [{ key: '198.51.100.20', count: 3 }, { key: '198.51.100.1', count: 2 }]);
    assert.equal(snap.sources.length, 5);
    // newest first, the last three only, each its describe() sentence
    assert.deepEqual(
      snap.recent,
      [4, 3, 2].map((i) => ({ at: `2024-05-01T10:00:0${i}Z`, source: i < 3 ? 'syslog' : 'http', text: describeDoc(normalized(lines[i]!).document).text })),
    );
  });

  it('past samplesPerSecond events a second, counts one in N, each for N: estimates close to the truth, and says so', () => {
    const s = new EventStats({ samplesPerSecond: 100 });
    const a = normalized(alert(0, SCAN, 2));
    const f = normalized(flow(1));
    const second = () => {
      for (let i = 0; i < 4000; i++) s.document(i % 4 === 0 ? a : f, 'syslog', 't');
      s.tick();
    };
    second();
    assert.deepEqual(s.snapshot().types, [{ key: 'flow', count: 3000 }, { key: 'alert', count: 1000 }], 'exact in the first second');
    assert.equal(s.snapshot().sampling, 40);
    s.rotate();
    for (let k = 0; k < 15; k++) s.rotate(); // an empty window, sampled from now on
    for (let k = 0; k < 10; k++) second();
    const types = new Map(s.snapshot().types.map((t) => [t.key, t.count]));
    assert.ok(Math.abs(types.get('flow')! - 30_000) < 30_000 * 0.15, `flow: ${types.get('flow')}`);
    assert.ok(Math.abs(types.get('alert')! - 10_000) < 10_000 * 0.3, `alert: ${types.get('alert')}`);
  });

  it('an IPv6 address is counted in its canonical form (from the document, not the raw event)', () => {
    const s = new EventStats();
    s.document(normalized(JSON.stringify({ timestamp: '2024-05-01T10:00:00Z', event_type: 'flow', src_ip: '2001:0db8:0000:0000:0000:0000:0000:0001', dest_ip: '2001:db8::2' })), 'x', 't');
    assert.deepEqual(s.snapshot().sources, [{ key: '2001:db8::1', count: 1 }]);
  });

  it('rejections: counted by reason since start; the last ones kept newest first, cut and escaped', () => {
    const s = new EventStats({ recentRejections: 2, excerptChars: 10 });
    s.deadLetter({ kind: 'rejected', source: 'syslog', reason: 'not_json', error: 'e1', raw: 'first', at: 't1' });
    s.deadLetter({ kind: 'rejected', source: 'http', reason: 'not_json', error: 'e2', raw: 'a\nb\u0000c\u001b[31m-and more', at: 't2' });
    s.deadLetter({ kind: 'refused', source: 'http', sink: 'es', reason: 'mapper_parsing_exception', error: 'e3', raw: '{}', at: 't3' });
    const r = s.snapshot().rejections;
    assert.deepEqual(r.byReason, [{ key: 'not_json', count: 2 }, { key: 'mapper_parsing_exception', count: 1 }]);
    assert.deepEqual(r.recent, [
      { kind: 'refused', at: 't3', source: 'http', sink: 'es', reason: 'mapper_parsing_exception', error: 'e3', excerpt: '{}' },
      { kind: 'rejected', at: 't2', source: 'http', reason: 'not_json', error: 'e2', excerpt: 'a\\nb\\u0000c\\u001b[31m…' },
    ]);
  });

  it('excerpt: control characters and line separators become visible escapes; markup stays as it is (it is shown as text)', () => {
    assert.equal(excerpt('<img src=x onerror=alert(1)>\t\r\u2028', 100), '<img src=x onerror=alert(1)>\\t\\r\\u2028');
    assert.equal(excerpt('abcdef', 3), 'abc…');
  });
});
