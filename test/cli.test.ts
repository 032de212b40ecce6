import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, SEED } from './helpers/paths.js';

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'jizo-cli-'));
const seed = ['event.json', 'http_event.json', 'rule.json'].map(
  (f) => JSON.parse(readFileSync(join(SEED, f), 'utf8')) as { input: { message: string }; expected: Record<string, unknown> },
);

test('normalize: stdin to stdout, one document per line in input order, summary on stderr', () => {
  const r = run(['normalize'], seed.map((s) => s.input.message).join('\r\n') + '\r\n');
  assert.equal(r.code, 0, r.stderr);
  const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(docs.length, 3);
  docs.forEach((d, i) => assert.equal(d.message, seed[i]!.input.message));
  assert.deepEqual(docs[1]!.url, seed[1]!.expected.url);
  assert.match(r.stderr, /3 lines: 3 documents, 0 rejected, 0 blank, 0 with warnings in [\d.]+ s \(\d+ events\/s\)/);
});

test('normalize: files, --errors records with line numbers, -o, blank lines counted, exit 0', () => {
  const input = join(tmp, 'in.ndjson');
  writeFileSync(input, [seed[0]!.input.message, '', 'not json', '   ', '[1]', seed[1]!.input.message, '{"a":'].join('\n'));
  const out = join(tmp, 'out.ndjson');
  const errors = join(tmp, 'errors.ndjson');
  const r = run(['normalize', input, '-o', out, '--errors', errors]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 2);
  const recs = readFileSync(errors, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    recs.map((x) => [x.line, x.reason, x.raw, x.input]),
    [
      [3, 'not_json', 'not json', input],
      [5, 'not_object', '[1]', input],
      [7, 'truncated_json', '{"a":', input],
    ],
  );
  assert.ok(recs.every((x) => typeof x.error === 'string' && (x.error as string).length > 0));
  assert.match(r.stderr, /7 lines: 2 documents, 3 rejected, 2 blank/);
});

test('normalize: without --errors rejections go to stderr; --strict exits 3', () => {
  const r = run(['normalize', '--strict'], 'nope\n');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /-:1: not_json: /);
});

test('normalize: an over-long line is rejected as too_long and the next lines still go through', () => {
  const input = join(tmp, 'long.ndjson');
  writeFileSync(input, 'x'.repeat(3 * 1024 * 1024) + '\n' + seed[0]!.input.message + '\n');
  const errors = join(tmp, 'long-errors.ndjson');
  const r = run(['normalize', input, '--errors', errors, '--max-line-bytes', '1048576']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const rec = JSON.parse(readFileSync(errors, 'utf8')) as Record<string, unknown>;
  assert.equal(rec.reason, 'too_long');
  assert.equal(rec.line, 1);
  assert.ok((rec.raw as string).length <= 4096);
});

test('normalize: usage errors exit 2, unreadable input exits 1', () => {
  assert.equal(run(['normalize', '--bogus']).code, 2);
  assert.equal(run(['normalize', '--profile', 'nope']).code, 2);
  assert.equal(run(['normalize', '--max-line-bytes', '-1']).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  const missing = run(['normalize', join(tmp, 'does-not-exist')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ENOENT|no such file/);
  assert.equal(run(['--help']).code, 0);
});

test('normalize --pretty indents documents', () => {
  const r = run(['normalize', '--pretty'], seed[0]!.input.message);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\{\n {2}"message"/);
});

test('test: passes on the documented samples, fails with a field-level diff otherwise', () => {
  const pass = run(['test', SEED]);
  assert.equal(pass.code, 0, pass.stdout + pass.stderr);
  assert.match(pass.stdout, /3 passed, 0 failed/);
  const bad = structuredClone(seed[0]!);
  (bad.expected.event as Record<string, unknown>).severity = 1;
  delete (bad.expected as Record<string, unknown>).host;
  (bad.expected as Record<string, unknown>).extra = 'x';
  const file = join(tmp, 'bad.json');
  writeFileSync(file, JSON.stringify(bad));
  const fail = run(['test', file]);
  assert.equal(fail.code, 1);
  assert.match(fail.stdout, /FAIL .*bad\.json/);
  assert.match(fail.stdout, /~ event\.severity: expected 1, got 3/);
  assert.match(fail.stdout, /\+ host\.ip: "1\.2\.3\.4"/);
  assert.match(fail.stdout, /- extra: "x"/);
  assert.match(fail.stdout, /0 passed, 1 failed/);
});

test('normalize: documents without a valid timestamp are counted in the summary and listed by --warnings', () => {
  const file = join(tmp, 'warnings.ndjson');
  const lines = [
    '{"event_type":"dns","src_ip":"192.0.2.1","timestamp":"garbage"}',
    '{"event_type":"dns","src_ip":"192.0.2.1","timestamp":"2024-06-27T12:00:00Z"}',
    '{"event_type":"dns","src_ip":"192.0.2.1"}',
  ];
  writeFileSync(file, lines.join('\n') + '\n');
  for (const workers of ['1', '2']) {
    const warnings = join(tmp, `warnings-${workers}.jsonl`);
    const r = run(['normalize', '-w', workers, file, '--warnings', warnings]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /3 lines: 3 documents, 0 rejected, 0 blank, 2 with warnings in /);
    const records = readFileSync(warnings, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(records.map((rec) => [rec.input, rec.line]), [[file, 1], [file, 3]]);
    assert.match(records[0].warnings[0], /unreadable timestamp "garbage"/);
    assert.match(records[1].warnings[0], /no timestamp/);
  }
});

test('normalize: a directory given as input is an I/O error that names it', () => {
  const r = run(['normalize', tmp]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `jizo-intake normalize: ${tmp}: EISDIR: illegal operation on a directory, read\n`);
  const missing = join(tmp, 'missing.ndjson');
  const m = run(['normalize', missing]);
  assert.equal(m.code, 1);
  // ENOENT names the path itself: not twice
  assert.equal(m.stderr.split(missing).length, 2, m.stderr);
});

// What a run loads, seen from inside the process: Node's built-ins and the packages of node_modules.
const probe = join(tmp, 'probe.cjs');
writeFileSync(
  probe,
  `process.on('exit', () => {
  const packages = Object.keys(require('module')._cache).filter((k) => k.includes('/node_modules/')).map((k) => k.split('/node_modules/').pop().split('/')[0]);
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  require('fs').writeSync(2, 'LOADED ' + JSON.stringify({ packages: [...new Set(packages)], builtins }) + '\\n');
});`,
);
function loaded(args: string[], input?: string): { packages: string[]; builtins: string[] } {
  // The program as installed (package.json "bin"): the bundle, where these loads are decided.
  const r = spawnSync(process.execPath, ['-r', probe, join(ROOT, 'dist', 'cli', 'jizo-intake.js'), ...args], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]!) as { packages: string[]; builtins: string[] };
}

const EXAMPLE = join(ROOT, 'examples', 'jizo-events.ndjson');

test('normalize start: a small run loads no enricher, no IPv6 parser, no worker threads, no child processes, no node:v8', () => {
  const small = loaded(['normalize', '-q', '-o', join(tmp, 'small.ndjson'), EXAMPLE]);
  for (const p of ['maxmind', 'mmdb-lib', 'ipaddr.js']) assert.ok(!small.packages.includes(p), `${p} loaded`);
  for (const b of ['worker_threads', 'child_process', 'v8', 'dgram']) assert.ok(!small.builtins.includes(b), `node:${b} loaded`);
  // The probe sees them when they are needed.
  const geo = loaded(['normalize', '-q', '--geoip', '-o', join(tmp, 'geo.ndjson'), EXAMPLE]);
  assert.ok(geo.packages.includes('maxmind'), JSON.stringify(geo.packages));
  const line = readFileSync(EXAMPLE, 'utf8').split('\n').find((l) => l.includes('"src_ip":"'))!;
  const v6 = loaded(['normalize', '-q'], line.replace(/"src_ip":"[^"]+"/, '"src_ip":"2001:DB8::1"') + '\n');
  assert.equal(v6.packages.includes('ipaddr.js'), true, JSON.stringify(v6.packages));
});
