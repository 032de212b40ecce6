import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Runs the benchmark end to end on a tiny generated input. It checks that
// every case ran and printed its ratio to the yardstick; never the timings.
test('bench harness runs on a tiny input and prints ratios to the yardstick', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/run.mjs'), '--quick', '--no-build', '--no-write'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /500 lines/);
  assert.match(out, /\| case \| events\/s \| MB\/s \| peak RSS \(MB\) \| × yardstick \|/);
  for (const name of ['read + split lines', 'JSON.parse', 'yardstick: parse + stringify', 'yardstick, synchronous I/O: parse + stringify', 'normalize --profile sekoia --workers 1', 'serve: syslog TCP -> file sink (sekoia)']) {
    const row = out.split('\n').find((l) => l.startsWith(`| ${name} |`));
    assert.ok(row, `no row for ${name}`);
    const ratio = row.split('|')[5]!.trim();
    assert.match(ratio, /^\d+\.\d\d$/, `${name}: ratio ${ratio}`);
  }
  // The faster of the two yardsticks is the reference (1.00), and the report says which.
  assert.match(out, /\| yardstick(, synchronous I\/O)?: parse \+ stringify \|[^\n]*\| 1\.00 \|/);
  assert.match(out, /^- reference: `yardstick/m);
  assert.match(out, /\| cold start, normalize on the 12-line example − the yardstick script's \(ms; [^|]*\| -?\d+ \| ≤ 30 \|/);
  assert.match(out, /\| sekoia, 1 thread, × yardstick \(wall time\) \| \d+\.\d\d \|/);
  assert.match(out, /\| sekoia, 1 thread, × yardstick \(CPU time\) \| \d+\.\d\d \|/);
  assert.match(out, /\| serve syslog TCP -> file × normalize --workers 1 \(sekoia\) \| \d+\.\d\d \|/);
  assert.match(out, /\| serve syslog TCP -> file, peak RSS \(MB\) \| \d+ \|/);
});

// The single-thread floor script (docs/benchmarks.md, "How far one thread can
// go"): every case runs and prints a time and a ratio; never the timings.
test('bench floor script runs every case on a tiny input', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/floor.mjs'), '300'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ROUNDS: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  const names = ['yardstick', 'yardstick + conversions', 'parse', 'sekoia', 'sekoia, free map', 'sekoia, stringify', 'ecs', 'ecs, free map', 'ecs, stringify'];
  for (const name of names) {
    const row = r.stdout.split('\n').find((l) => l.startsWith(`| ${name} |`));
    assert.ok(row, `no row for ${name}`);
    const [, perLine, ratio] = row.split('|').map((c) => c.trim()).filter((c, i) => i > 0);
    assert.match(perLine!, /^\d+\.\d\d$/, `${name}: µs per line ${perLine}`);
    assert.match(ratio!, /^\d+\.\d\d$/, `${name}: ratio ${ratio}`);
  }
  assert.match(r.stdout, /^\| yardstick \| [\d.]+ \| 1\.00 \|$/m);
});
