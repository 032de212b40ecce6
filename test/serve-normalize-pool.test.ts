/** The pipeline's normalization threads (`pipeline.workers`): same output as the event loop's thread, in order, surviving a thread's death. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Pipeline, type PipelineOptions } from '../src/runtime/runner.js';
import { NormalizePool } from '../src/runtime/normalize-pool.js';
import type { NormalizeWorkerSetup } from '../src/runtime/normalize-protocol.js';
import { EventStats } from '../src/runtime/stats/event-stats.js';
import { Enricher } from '../src/enrich/enricher.js';
import type { RawEvent, Submission } from '../src/component/types.js';
import { normalizationThreads } from '../src/serve/service.js';
import type { OutputEvent, WriteResult } from '../src/component/types.js';
import { MemorySink, pipelineOptions } from './helpers/memory-sink.js';

/** A sink that routes by time (as an index with a date pattern does): it records each event's timestamp. */
class TimedSink extends MemorySink {
  readonly wantsTimestamps = true;
  readonly timestamps: (string | undefined)[] = [];
  override write(batch: OutputEvent[]): Promise<WriteResult> {
    for (const e of batch) this.timestamps.push(e.timestamp);
    return super.write(batch);
  }
}

const logger = pino({ level: 'silent' });

/** Large queue, many small batches, several in flight. */
const options = (o: Partial<PipelineOptions> = {}) => pipelineOptions({ maxEvents: 100_000, maxBytes: 100_000_000, batchMaxEvents: 7, maxInFlight: 4, ...o });

/** Every kind of line a source hands on: documents (bytes and text, wrapped or not, with a flow id past 2^53), bad JSON, blank, one the source refused. */
function mixed(i: number, receivedAt: string): RawEvent {
  const eve = `{"timestamp":"2024-05-01T10:00:00.${String(i).padStart(6, '0')}+0200","flow_id":${i % 5 === 0 ? '9007199254740993' : String(1000 + i)},"event_type":"${i % 3 ? 'dns' : 'alert'}","src_ip":"192.0.2.${i % 250}","dest_ip":"${i % 2 ? `198.51.100.${i % 10}` : `2001:0db8:0000:0000:0000:0000:0000:000${i % 10}`}","src_port":${1000 + i},"dest_port":53,"proto":"UDP","alert":{"signature":"sig ${i % 4}","severity":${1 + (i % 3)}},"n":${i}}`;
  switch (i % 9) {
    case 1:
      return { raw: '', bytes: Buffer.from(`<134>1 2024-05-01T10:00:00Z sensor suricata - - - ${eve}`), receivedAt };
    case 2:
      return { raw: JSON.stringify({ message: eve }), receivedAt };
    case 3:
      return { raw: `{"timestamp": "2024-05-01T10:00:00Z", "event_type": "dns", "n": ${i}`, receivedAt };
    case 4:
      return { raw: '   ', receivedAt };
    case 5:
      return { raw: `line ${i} was too long`, receivedAt, reject: { reason: 'too_long', message: `message ${i} exceeds the limit` } };
    case 6:
      return { raw: '', bytes: Buffer.from(`é ${eve}`), receivedAt };
    default:
      return { raw: '', bytes: Buffer.from(eve), receivedAt };
  }
}

interface Run {
  lines: string[];
  timestamps: (string | undefined)[];
  dead: { reason: string; error: string; raw: string; source: string }[];
  counts: Submission['counts'][];
  stats: Record<string, unknown>;
}

async function run(pool: NormalizePool | undefined, extra: Partial<PipelineOptions> = {}): Promise<Run> {
  const out = new TimedSink('out');
  const dl = new MemorySink('dl');
  const p = new Pipeline(options({ pool, ...extra }), [out], dl, logger);
  const subs: Submission[] = [];
  for (let s = 0; s < 40; s++) {
    const at = `2024-05-01T10:00:${String(s).padStart(2, '0')}.000Z`;
    const events = Array.from({ length: 3 + (s % 11) }, (_, k) => mixed(s * 20 + k, k < 4 ? at : `${at.slice(0, -4)}500Z`));
    subs.push(await p.submit(events, { source: s % 2 ? 'syslog' : 'http', detail: `peer-${s % 3}` }));
  }
  await Promise.all(subs.map((s) => s.durable));
  await p.drain();
  const { retries: _, ...stats } = p.stats;
  return {
    lines: out.lines,
    timestamps: out.timestamps,
    dead: dl.lines.map((l) => JSON.parse(l) as Run['dead'][number]).map(({ reason, error, raw, source }) => ({ reason, error, raw, source })),
    counts: subs.map((s) => s.counts),
    stats,
  };
}

function setup(o: Partial<NormalizeWorkerSetup['options']> = {}): NormalizeWorkerSetup {
  return { options: { profile: 'sekoia', ...o } };
}

describe('normalization threads', () => {
  it('give the same documents, dead letters and counts as the event loop thread, in input order', async () => {
    const here = await run(undefined);
    const pool = new NormalizePool(2, setup(), logger);
    await pool.start();
    try {
      const threads = await run(pool);
      assert.ok(here.lines.length > 150, `documents made: ${here.lines.length}`);
      assert.ok(here.dead.some((d) => d.reason === 'too_long') && here.dead.some((d) => d.reason === 'truncated_json'));
      assert.deepEqual(threads.lines, here.lines);
      assert.deepEqual(threads.timestamps, here.timestamps);
      assert.ok(here.timestamps.every((t) => typeof t === 'string' && t.endsWith('Z')));
      assert.deepEqual(threads.counts, here.counts);
      assert.deepEqual(threads.stats, here.stats);
      // dead letters: the same records (a batch's refused-by-source lines and normalizer rejections interleave alike)
      assert.deepEqual(threads.dead, here.dead);
      assert.match(threads.lines.find((l) => l.includes('9007199254740993'))!, /"flow_id":"9007199254740993"|9007199254740993/);
    } finally {
      await pool.close();
    }
  });

  it('a thread that dies: its batches are normalized on the event loop thread, another thread starts, nothing is lost or repeated', async () => {
    const logged: string[] = [];
    const pool = new NormalizePool(1, setup(), pino({ level: 'error' }, { write: (l: string) => void logged.push(l) }));
    await pool.start();
    try {
      const out = new MemorySink('out');
      const dl = new MemorySink('dl');
      const p = new Pipeline(options({ pool, batchMaxEvents: 50 }), [out], dl, logger);
      const subs: Submission[] = [];
      const at = '2024-05-01T10:00:00.000Z';
      const good = (i: number): RawEvent => ({ raw: '', bytes: Buffer.from(`{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns","n":${i}}`), receivedAt: at });
      for (let s = 0; s < 20; s++) {
        subs.push(await p.submit(Array.from({ length: 100 }, (_, k) => good(s * 100 + k)), { source: 't' }));
        if (s === 5) {
          // what an uncaught failure inside the thread does: the thread exits
          const threads = (pool as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads;
          await threads[0]!.worker.terminate();
        }
      }
      await Promise.all(subs.map((s) => s.durable));
      const ns = out.lines.map((l) => Number(/\\?"n\\?":(\d+)/.exec(l)![1]));
      assert.deepEqual(ns, Array.from({ length: 2000 }, (_, i) => i), 'every event once, in order');
      assert.equal(p.stats.normalized, 2000);
      assert.equal(dl.lines.length, 0);
      assert.equal(pool.broken, false);
      const deadline = Date.now() + 5000;
      while ((pool as unknown as { threads: unknown[] }).threads.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal((pool as unknown as { threads: unknown[] }).threads.length, 1, 'a new thread took its place');
      assert.equal(logged.length, 1);
      assert.match(logged[0]!, /a normalization thread failed: its batches are normalized on the main thread/);
      // and it normalizes again
      const sub = await p.submit([good(2000)], { source: 't' });
      await sub.durable;
      assert.equal(sub.counts?.normalized, 1);
    } finally {
      await pool.close();
    }
  });

  it('threads that cannot load their profile fail the start, with the reason', async () => {
    const pool = new NormalizePool(2, setup({ profile: 'nope' as 'sekoia' }), logger);
    await assert.rejects(pool.start(), /nope/);
  });

  it('enrichment runs in the threads, and its counts reach the service enricher', async () => {
    const o = { communityId: true, internalNetworks: ['192.0.2.0/24'] };
    const pool = new NormalizePool(2, setup(o), logger);
    await pool.start();
    try {
      const counters = new Enricher(o);
      const r = await run(pool, { enrichStats: counters });
      const withId = r.lines.filter((l) => /"community_id":"1:/.test(l)).length;
      assert.ok(withId > 50, `documents with a community ID: ${withId}`);
      assert.equal(counters.stats.communityId.computed, withId);
      assert.equal(counters.stats.direction.set, r.lines.filter((l) => /"direction":"(outbound|internal)"/.test(l)).length);
      assert.ok(counters.stats.direction.set > 150);
    } finally {
      await pool.close();
    }
  });

  it('the status page statistics: samples drawn by the threads and their last documents', async () => {
    const pool = new NormalizePool(2, setup(), logger);
    await pool.start();
    try {
      const stats = new EventStats();
      const r = await run(pool, { observer: stats });
      const snap = stats.snapshot();
      const byType = Object.fromEntries(snap.types.map((t) => [t.key, t.count]));
      const dns = r.lines.filter((l) => l.includes('"event_type":"dns"') || l.includes('\\"event_type\\":\\"dns\\"')).length;
      assert.equal(snap.sampling, 1);
      assert.equal((byType.dns ?? 0) + (byType.alert ?? 0), r.lines.length, 'at one in one, every document is counted');
      assert.ok(dns > 0);
      assert.ok(snap.signatures.length > 0 && snap.sources.length > 0 && snap.destinations.length > 0);
      assert.equal(snap.recent.length, 20);
      assert.ok(snap.recent.every((d) => d.text.length > 10 && (d.source === 'http' || d.source === 'syslog')));
    } finally {
      await pool.close();
    }
  });

  it('auto: one thread per core, at least one', () => {
    assert.equal(normalizationThreads('auto', 1), 1);
    assert.equal(normalizationThreads('auto', 2), 2);
    assert.equal(normalizationThreads('auto', 8), 8);
    assert.equal(normalizationThreads(0, 8), 0);
    assert.equal(normalizationThreads(3, 2), 3);
  });
});
