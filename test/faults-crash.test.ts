/**
 * Fault suite, crash and resume: `jizo-intake serve` tailing a file into a
 * file sink is killed with SIGKILL at random moments and restarted. At the
 * end every input line's event is in the output: none lost, and an event
 * written twice only when its batch was written but not yet checkpointed
 * when the process died (at most twice).
 */
import assert from 'node:assert/strict';
import { closeSync, createReadStream, createWriteStream, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rng, size } from './helpers/fuzz.js';
import { until } from './helpers/ingest.js';
import { CLI } from './helpers/paths.js';
import { startServeChild } from './helpers/serve-child.js';

const line = (i: number) =>
  `{"timestamp":"2024-05-01T10:00:00.${String(i % 1_000_000).padStart(6, '0')}+0000","flow_id":${i},"event_type":"dns","src_ip":"192.0.2.1","dest_ip":"198.51.100.53","proto":"UDP","dns":{"type":"query","rrname":"host${i}.example.org","rrtype":"A"}}\n`;

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

/** The last complete line of the output. */
function lastLine(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  const len = fstatSync(fd).size;
  const buf = Buffer.alloc(Math.min(len, 64 * 1024));
  readSync(fd, buf, 0, buf.length, len - buf.length);
  closeSync(fd);
  const text = buf.toString('utf8').split('\n').filter(Boolean);
  return text[text.length - 1];
}

describe('faults: crash and resume', () => {
  it('file tail killed with SIGKILL at random moments: nothing lost, duplicates only from the last batch of each kill', { timeout: 600_000 }, async () => {
    const n = size(1_000_000, 60_000);
    const kills = size(5, 3);
    const dir = mkdtempSync(join(tmpdir(), 'jizo-crash-'));
    const input = join(dir, 'eve.json');
    const out = join(dir, 'out.ndjson');
    const ws = createWriteStream(input);
    // ends[i]: byte offset just past line i (to turn a checkpoint offset into a line number).
    const ends = new Float64Array(n);
    let offset = 0;
    for (let i = 0; i < n; i += 10_000) {
      let chunk = '';
      for (let j = i; j < Math.min(n, i + 10_000); j++) {
        const l = line(j);
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
      `data_dir: ${dir}\nadmin: { port: 0 }\nlog_level: warn\nsources:\n  tail: { type: file, paths: ["${input}"], poll_interval: 50ms }\nsinks:\n  out: { type: file, path: "${out}", fsync: interval, max_bytes: 0 }\n`,
    );
    const r = rng(Number(process.env.FAULTS_SEED ?? 7));
    const killedAt: number[] = [];
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
    /** Highest line number in the output so far. */
    const highest = () => {
      const l = lastLine(out);
      return l === undefined ? 0 : Number(/"flow":\{"id":"(\d+)"/.exec(l)![1]);
    };
    let peakRss = 0;
    for (let k = 0; k < kills; k++) {
      const serve = await startServeChild(CLI, ['serve', '--config', cfg]);
      const before = highest();
      // A random moment once this run acknowledged past what the previous runs wrote: a crash
      // during the replay of the previous crash's unacknowledged tail could write a third copy.
      await until(() => checkpoint() > before, 60_000, 'the checkpoint to pass the previous output');
      await new Promise((res) => setTimeout(res, Math.floor(r() * 1000)));
      await serve.stop('SIGKILL');
      peakRss = Math.max(peakRss, serve.rss.peak);
      killedAt.push(countLines(out));
    }
    const last = await startServeChild(CLI, ['serve', '--config', cfg]);
    await until(() => countLines(out) >= n && checkpoint() >= n, 500_000, 'all lines written');
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(await last.stop(), 0, last.stderr());
    peakRss = Math.max(peakRss, last.rss.peak);
    const counts = new Uint8Array(n);
    let torn = 0;
    let written = 0;
    for await (const l of createInterface({ input: createReadStream(out), crlfDelay: Infinity })) {
      written++;
      const m = /"flow":\{"id":"(\d+)"/.exec(l);
      if (!m) {
        torn++;
        continue;
      }
      counts[Number(m[1])]!++;
    }
    let lost = 0;
    let duplicated = 0;
    let most = 0;
    for (const c of counts) {
      if (c === 0) lost++;
      if (c > 1) duplicated += c - 1;
      if (c > most) most = c;
    }
    const figures = { lines: n, kills, output_lines_at_each_kill: killedAt, written, lost, duplicated, most_copies: most, torn_lines: torn, peak_rss_mib: +(peakRss / 2 ** 20).toFixed(1) };
    console.log(`faults crash-file: ${JSON.stringify(figures)}`);
    assert.equal(lost, 0);
    assert.equal(torn, 0);
    assert.ok(most <= 2, 'an event is written at most twice');
    // What a crash can double: events written but not yet checkpointed, at most the queue bound (pipeline.max_events, 8000).
    assert.ok(duplicated <= kills * 8000, `${duplicated} duplicates`);
  });
});
