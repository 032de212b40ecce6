import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { normalizeLines, type BatchCounters, type RejectionRecord } from '../src/batch/normalize-lines.js';
import { normalizeLinesParallel } from '../src/batch/parallel.js';

/** The repository root (tests run from dist/test/). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The whole public corpus as one input, like `cat ../shared/corpus/*.ndjson`. */
function corpusBytes(): Buffer {
  const dir = join(ROOT, '..', 'shared', 'corpus');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort();
  return Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
}

const RECEIVED = '2024-01-01T00:00:00Z';

async function* pieces(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

interface Run {
  out: Buffer;
  rejections: RejectionRecord[];
  counters: BatchCounters;
}

async function single(buf: Buffer, read: number, maxLineBytes?: number): Promise<Run> {
  const out: string[] = [];
  const rejections: RejectionRecord[] = [];
  const counters = await normalizeLines(pieces(buf, read), {
    input: 'in.ndjson',
    receivedAt: RECEIVED,
    maxLineBytes,
    onDocument: (j) => out.push(j + '\n'),
    onRejection: (r) => rejections.push(r),
  });
  return { out: Buffer.from(out.join('')), rejections, counters };
}

async function parallel(buf: Buffer, read: number, workers: number, chunkBytes?: number, maxLineBytes?: number): Promise<Run> {
  const out: Uint8Array[] = [];
  const rejections: RejectionRecord[] = [];
  const counters = await normalizeLinesParallel(pieces(buf, read), {
    workers,
    chunkBytes,
    input: 'in.ndjson',
    receivedAt: RECEIVED,
    maxLineBytes,
    onDocuments: (b) => out.push(b),
    onRejection: (r) => rejections.push(r),
  });
  return { out: Buffer.concat(out), rejections, counters };
}

function assertSame(a: Run, b: Run): void {
  assert.deepEqual(b.counters, a.counters);
  assert.deepEqual(b.rejections, a.rejections);
  assert.ok(a.out.equals(b.out), 'outputs differ');
}

test('workers: corpus output, counters and rejection records identical to one thread', async () => {
  const corpus = corpusBytes();
  const one = await single(corpus, 1 << 20);
  assert.ok(one.counters.documents > 2000 && one.counters.rejected > 0 && one.counters.blank > 0);
  assertSame(one, await parallel(corpus, 1 << 20, 2));
  // Many small chunks over three workers: results come back out of order.
  assertSame(one, await parallel(corpus, 1000, 3, 4096));
});

test('workers: generated traffic with odd lines identical to one thread', async () => {
  const { createGenerator } = (await import(pathToFileURL(join(ROOT, 'bench/generate.mjs')).href)) as {
    createGenerator(seed: number): () => string;
  };
  const next = createGenerator(7);
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) lines.push(next());
  const buf = Buffer.from(lines.join('\n') + '\n');
  const one = await single(buf, 65536);
  assert.ok(one.rejections.some((r) => r.reason === 'truncated_json' || r.reason === 'not_json'));
  assert.ok(one.counters.blank > 0);
  assertSame(one, await parallel(buf, 65536, 2, 64 * 1024));
});

test('workers: long lines across chunks, CRLF, bad UTF-8 and a last line without LF', async () => {
  const eve = '{"timestamp":"2024-06-27T12:56:49.920281+0000","event_type":"flow","src_ip":"192.0.2.1","flow_id":18446744073709551615}';
  const long = '{"x":"' + 'é'.repeat(3000) + '"}';
  const parts = [
    Buffer.from(`${eve}\r\n\n${long}\n${eve}\n`),
    Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
    Buffer.from(`${long}${long}\n   \n${eve}\n<14>Jun 27 12:56:49 host suricata[1]: ${eve}\n${long}`),
  ];
  const buf = Buffer.concat(parts);
  for (const read of [5, 333, 1 << 16]) {
    const one = await single(buf, read, 2000);
    assert.equal(one.rejections.filter((r) => r.reason === 'too_long').length, 3);
    assert.equal(one.counters.documents, 4);
    for (const chunk of [64, 1000, 1 << 20]) assertSame(one, await parallel(buf, read, 2, chunk, 2000));
  }
});

test('CLI: --workers 2 writes the same files as --workers 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-workers-'));
  try {
    const input = join(dir, 'corpus.ndjson');
    writeFileSync(input, corpusBytes());
    const run = (w: number) => {
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'dist/cli/jizo-intake.js'), 'normalize', '-q', '--workers', String(w), '--received-at', RECEIVED, input, '-o', join(dir, `out${w}`), '--errors', join(dir, `err${w}`)],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      return [readFileSync(join(dir, `out${w}`)), readFileSync(join(dir, `err${w}`))] as const;
    };
    const [out1, err1] = run(1);
    const [out2, err2] = run(2);
    assert.ok(out1.length > 1_000_000);
    assert.ok(out1.equals(out2));
    assert.ok(err1.equals(err2));
    assert.match(err1.toString().split('\n')[0]!, /^\{"input":".*corpus\.ndjson","line":\d+,"reason":"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workers: the first serialBytes on this thread, the rest on workers, output identical to one thread', async () => {
  const corpus = corpusBytes();
  const one = await single(corpus, 65536);
  const out: Uint8Array[] = [];
  const rejections: RejectionRecord[] = [];
  const counters = await normalizeLinesParallel(pieces(corpus, 65536), {
    workers: 2,
    chunkBytes: 64 * 1024,
    serialBytes: Math.floor(corpus.length / 3),
    input: 'in.ndjson',
    receivedAt: RECEIVED,
    onDocuments: (b) => out.push(b),
    onRejection: (r) => rejections.push(r),
  });
  assertSame(one, { out: Buffer.concat(out), rejections, counters });
});

/** Runs the CLI with a preload that reports each worker thread started on stderr. */
function runCountingWorkers(dir: string, args: string[]) {
  const preload = join(dir, 'count-workers.mjs');
  writeFileSync(
    preload,
    `import { createRequire, syncBuiltinESMExports } from 'node:module';
const wt = createRequire(import.meta.url)('node:worker_threads');
const Worker = wt.Worker;
wt.Worker = class extends Worker { constructor(...a) { super(...a); process.stderr.write('worker thread started\\n'); } };
syncBuiltinESMExports();
`,
  );
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, join(ROOT, 'dist/cli/jizo-intake.js'), 'normalize', ...args], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, workers: r.stderr.split('\n').filter((l) => l === 'worker thread started').length };
}

test('CLI: default workers start only for input large enough to pay for them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-workers-'));
  try {
    const example = join(ROOT, 'examples', 'jizo-events.ndjson');
    const small = runCountingWorkers(dir, ['-q', '--received-at', RECEIVED, example]);
    assert.equal(small.workers, 0, 'no worker for 12 lines');
    assert.equal(small.stdout.trim().split('\n').length, 12);
    // --workers asks for them whatever the size
    assert.equal(runCountingWorkers(dir, ['-q', '--workers', '2', '--received-at', RECEIVED, example]).workers, 2);
    // past 4 MiB the default workers (one per core) start
    if (availableParallelism() < 2) return;
    const big = join(dir, 'big.ndjson');
    const text = readFileSync(example);
    writeFileSync(big, Buffer.concat(Array.from({ length: Math.ceil((5 << 20) / text.length) }, () => text)));
    assert.ok(runCountingWorkers(dir, ['-q', '--received-at', RECEIVED, big, '-o', join(dir, 'out')]).workers > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
