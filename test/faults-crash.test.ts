/**
 * Fault suite, crash and resume: `jizo-intake serve` tailing a file into a
 * file sink is killed with SIGKILL at random moments and restarted. At the
 * end every input line's event is in the output: none lost, no line torn,
 * and an event written twice only when its batch was written but not yet
 * checkpointed when the process died (at most twice, and no more than the
 * bound documented in docs/delivery.md).
 */
import assert from 'node:assert/strict';
import { closeSync, createReadStream, createWriteStream, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rng, size } from './helpers/fuzz.js';
import { until } from './helpers/ingest.js';
import { CLI } from './helpers/paths.js';
import { startServeChild } from './helpers/serve-child.js';

const line = (i: number, pad: string) =>
  `{"timestamp":"2024-05-01T10:00:00.${String(i % 1_000_000).padStart(6, '0')}+0000","flow_id":${i},"event_type":"dns","src_ip":"192.0.2.1","dest_ip":"198.51.100.53","proto":"UDP","dns":{"type":"query","rrname":"host${i}.${pad}example.org","rrtype":"A"}}\n`;

/** Lines in the output (counted in bytes: the full run's output passes the largest string). */
function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  let n = 0;
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  for (let r; (r = readSync(fd, buf, 0, buf.length, null)) > 0; ) for (let i = 0; i < r; i++) if (buf[i] === 10) n++;
  closeSync(fd);
  return n;
}

/** The last 64 KiB of a file. */
function tail(path: string): string {
  if (!existsSync(path)) return '';
  const fd = openSync(path, 'r');
  const len = fstatSync(fd).size;
  const buf = Buffer.alloc(Math.min(len, 64 * 1024));
  readSync(fd, buf, 0, buf.length, len - buf.length);
  closeSync(fd);
  return buf.toString('utf8');
}

interface CrashOptions {
  lines: number;
  kills: number;
  /** Bytes added to each input line (larger writes make a kill more likely to land inside one). */
  pad: number;
  /** YAML flow mappings of the file sink and of the pipeline settings; extra keys of the file source. */
  sink: string;
  source?: string;
  pipeline: string;
  /** A kill lands at a random moment up to this long after the run passed the previous output. */
  maxKillDelayMs: number;
  /** After a kill that left whole lines, cut the last line when it was not acknowledged. */
  cutUnacknowledged?: boolean;
}

/** Kills and restarts `serve` `kills` times, lets the last run finish, and counts each input line's copies. */
async function crashRun(o: CrashOptions) {
  const { lines: n, kills } = o;
  const dir = mkdtempSync(join(tmpdir(), 'jizo-crash-'));
  try {
    const input = join(dir, 'eve.json');
    const out = join(dir, 'out.ndjson');
    const ws = createWriteStream(input);
    const pad = 'p'.repeat(o.pad) + (o.pad > 0 ? '.' : '');
    // ends[i]: byte offset just past line i (to turn a checkpoint offset into a line number).
    const ends = new Float64Array(n);
    let offset = 0;
    for (let i = 0; i < n; i += 10_000) {
      let chunk = '';
      for (let j = i; j < Math.min(n, i + 10_000); j++) {
        const l = line(j, pad);
        chunk += l;
        offset += l.length;
        ends[j] = offset;
      }
      if (!ws.write(chunk)) await new Promise<void>((r) => ws.once('drain', () => r()));
    }
    await new Promise<void>((r) => ws.end(r));
    const cfg = join(dir, 'serve.yaml');
    writeFileSync(
      cfg,
      `data_dir: ${dir}\nadmin: { port: 0 }\nlog_level: warn\npipeline: ${o.pipeline}\nsources:\n  tail: { type: file, paths: ["${input}"], poll_interval: 50ms${o.source ? `, ${o.source}` : ''} }\nsinks:\n  out: ${o.sink.replace('{', `{ type: file, path: "${out}", max_bytes: 0,`)}\n`,
    );
    const r = rng(Number(process.env.FAULTS_SEED ?? 7));
    const killedAt: number[] = [];
    let tornAtKill = 0;
    let cutByTest = 0;
    const cpFile = join(dir, 'checkpoints', 'file-tail.json');
    const checkpointBytes = () => (existsSync(cpFile) ? Number(/"offset":\s*(\d+)/.exec(readFileSync(cpFile, 'utf8'))?.[1] ?? 0) : 0);
    /** Lines the checkpoint covers. */
    const checkpoint = () => {
      const b = checkpointBytes();
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ends[mid]! <= b) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    /** Highest line number in the output so far (from its last complete line). */
    const highest = () => {
      const ls = tail(out).split('\n').slice(0, -1).filter(Boolean);
      const m = ls.length ? /"flow":\{"id":"(\d+)"/.exec(ls[ls.length - 1]!) : null;
      return m ? Number(m[1]) : 0;
    };
    let peakRss = 0;
    for (let k = 0; k < kills; k++) {
      const serve = await startServeChild(CLI, ['serve', '--config', cfg]);
      const before = highest();
      const sizeBefore = existsSync(out) ? statSync(out).size : 0;
      // A random moment once this run wrote and acknowledged past what the previous runs wrote: a crash
      // during the replay of the previous crash's unacknowledged tail could write a third copy.
      await until(() => checkpoint() > before && existsSync(out) && statSync(out).size > sizeBefore, 60_000, 'the checkpoint to pass the previous output');
      await new Promise((res) => setTimeout(res, Math.floor(r() * o.maxKillDelayMs)));
      await serve.stop('SIGKILL');
      peakRss = Math.max(peakRss, serve.rss.peak);
      killedAt.push(countLines(out));
      const t = tail(out);
      if (t !== '' && !t.endsWith('\n')) tornAtKill++;
      else if (o.cutUnacknowledged && highest() >= checkpoint()) {
        // The kill fell between two writes: leave what a kill inside the write of the last
        // (unacknowledged) line leaves, its first half, so every run exercises the repair.
        const len = statSync(out).size;
        truncateSync(out, len - Math.ceil((t.length - t.lastIndexOf('\n', t.length - 2) - 1) / 2));
        cutByTest++;
      }
    }
    const last = await startServeChild(CLI, ['serve', '--config', cfg]);
    await until(() => checkpoint() >= n, 500_000, 'all lines written');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(await last.stop(), 0, last.stderr());
    peakRss = Math.max(peakRss, last.rss.peak);
    const counts = new Uint8Array(n);
    let torn = 0;
    let written = 0;
    for await (const l of createInterface({ input: createReadStream(out), crlfDelay: Infinity })) {
      written++;
      try {
        JSON.parse(l);
      } catch {
        torn++;
        continue;
      }
      counts[Number(/"flow":\{"id":"(\d+)"/.exec(l)![1])]!++;
    }
    let lost = 0;
    let duplicated = 0;
    let most = 0;
    for (const c of counts) {
      if (c === 0) lost++;
      if (c > 1) duplicated += c - 1;
      if (c > most) most = c;
    }
    return { lines: n, kills, output_lines_at_each_kill: killedAt, torn_at_kill: tornAtKill, cut_by_test: cutByTest, written, lost, duplicated, most_copies: most, torn_lines: torn, peak_rss_mib: +(peakRss / 2 ** 20).toFixed(1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('faults: crash and resume', () => {
  it('file tail killed with SIGKILL at random moments: nothing lost, duplicates bounded by max_replay_events', { timeout: 600_000 }, async () => {
    // The sink's default fsync (always); the file source may run at most `replay` lines ahead of its saved checkpoint.
    const replay = 1500;
    const f = await crashRun({
      lines: size(1_000_000, 100_000),
      kills: size(5, 3),
      pad: 0,
      sink: '{ fsync: always }',
      source: `max_replay_events: ${replay}`,
      pipeline: '{ max_in_flight: 2, batch_max_events: 500 }',
      maxKillDelayMs: 1000,
    });
    console.log(`faults crash-file: ${JSON.stringify(f)}`);
    assert.equal(f.lost, 0);
    assert.equal(f.torn_lines, 0);
    assert.ok(f.most_copies <= 2, 'an event is written at most twice');
    // docs/delivery.md: a crash repeats at most max(max_replay_events, max_batch_events) lines.
    assert.ok(f.duplicated <= f.kills * replay, `${f.duplicated} duplicates, more than ${f.kills} x ${replay}`);
  });

  it('SIGKILL during large writes, 10 times: no torn line in the output', { timeout: 600_000 }, async () => {
    const f = await crashRun({
      lines: size(200_000, 60_000),
      kills: 10,
      pad: 2000,
      sink: '{ fsync: never }',
      pipeline: '{ batch_max_events: 4000, batch_max_bytes: 16MiB, max_bytes: 64MiB }',
      maxKillDelayMs: 300,
      cutUnacknowledged: true,
    });
    console.log(`faults crash-torn: ${JSON.stringify(f)}`);
    assert.equal(f.lost, 0);
    assert.equal(f.torn_lines, 0, `${f.torn_lines} torn lines (${f.torn_at_kill} kills left a cut last line, the test cut ${f.cut_by_test})`);
    assert.ok(f.most_copies <= 2, 'an event is written at most twice');
  });
});
