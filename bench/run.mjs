/**
 * The benchmark: generates a Jizo/EVE file, measures the baselines and the
 * real CLI on it in the same run, and prints events/s, MB/s, peak RSS and the
 * ratio of every figure to the yardstick (JSON.parse + JSON.stringify of the
 * documented field set). Every case runs `--runs` times, interleaved with the
 * others, and the median is kept: the machine is shared and noisy, ratios
 * measured side by side are what to compare.
 *
 * Usage: node run.mjs [--lines N] [--runs N] [--seed S] [--workers N]
 *                     [--quick] [--write] [--no-build] [--file F]
 *   --quick      500 lines, 1 run: checks the harness end to end
 *   --write      write the results into docs/benchmarks.md (default unless --quick)
 *   --file F     measure an existing file instead of a generated one
 *   --big-mb M   also normalize a generated file of about M MB once per worker
 *                setting and report peak RSS (the file is deleted afterwards)
 *   --only RE    run only the cases whose name matches RE (and the yardstick)
 *   --serve-pipeline '{ max_events: 4000 }'   pipeline settings of the serve case
 *   --serve-node-options '--max-semi-space-size=4'   adds a serve case run with these Node options
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFile } from './generate.mjs';
import { TIME_BIN, parseTime } from './gnu-time.mjs';
import { findRsyslog, measureRsyslog } from './rsyslog.mjs';
import { measureServe, rfc5424 } from './serve-syslog-tcp.mjs';
import { cli, programArgs } from './program.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function parseArgs(argv) {
  const a = { lines: 200_000, runs: 5, seed: 42, workers: availableParallelism(), quick: false, write: undefined, build: true, file: undefined, bigMb: 0, only: undefined, servePipeline: undefined, serveNodeOptions: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i];
    if (k === '--lines') a.lines = Number(v());
    else if (k === '--runs') a.runs = Number(v());
    else if (k === '--seed') a.seed = Number(v());
    else if (k === '--workers') a.workers = Number(v());
    else if (k === '--file') a.file = v();
    else if (k === '--big-mb') a.bigMb = Number(v());
    else if (k === '--only') a.only = new RegExp(v());
    else if (k === '--serve-pipeline') a.servePipeline = v();
    else if (k === '--serve-node-options') a.serveNodeOptions = v();
    else if (k === '--quick') a.quick = true;
    else if (k === '--write') a.write = true;
    else if (k === '--no-write') a.write = false;
    else if (k === '--no-build') a.build = false;
    else throw new Error(`unknown option ${k}`);
  }
  if (a.quick) {
    a.lines = 500;
    if (!argv.includes('--runs')) a.runs = 1;
  }
  a.write ??= !a.quick;
  if (!Number.isSafeInteger(a.lines) || a.lines < 1 || a.lines > 10_000_000) throw new Error('--lines must be 1..10000000');
  if (!Number.isSafeInteger(a.runs) || a.runs < 1) throw new Error('--runs must be a positive integer');
  return a;
}

/** Runs a command, returning wall seconds, peak RSS (KB, from GNU time) and output. */
function measure(cmd, args) {
  const [bin, argv] = TIME_BIN ? [TIME_BIN, ['-v', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const t = parseTime(err);
      resolve({ seconds, cpu: t.cpu, rssKb: t.rssKb, code: t.status ?? code, stderr: err });
    });
  });
}

/** Runs commands at once; wall seconds until the last ends, largest peak RSS. */
async function measureAll(commands) {
  const t0 = process.hrtime.bigint();
  const rs = await Promise.all(commands.map(([cmd, args]) => measure(cmd, args)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const bad = rs.find((r) => r.code !== 0);
  const cpu = rs.every((r) => r.cpu !== undefined) ? rs.reduce((a, r) => a + r.cpu, 0) : undefined;
  return { seconds, cpu, rssKb: Math.max(...rs.map((r) => r.rssKb ?? 0)) || undefined, code: bad ? bad.code : 0, stderr: bad ? bad.stderr : '' };
}

/** Splits `file` into `n` files of whole lines (for the parallel ceiling). */
function splitFile(file, n) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const per = Math.ceil(lines.length / n);
  const out = [];
  for (let i = 0; i < n; i++) {
    const part = `${file}.part${i}`;
    writeFileSync(part, lines.slice(i * per, (i + 1) * per).join('\n') + (i < n - 1 ? '\n' : ''));
    out.push(part);
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function whichJq() {
  for (const p of ['/usr/bin/jq', '/usr/local/bin/jq']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Input lines that are not blank: the events every case is offered. */
function countEvents(file) {
  const text = readFileSync(file, 'utf8');
  let events = 0;
  for (const line of text.split('\n')) if (line.trim() !== '') events++;
  return events;
}

/** The profiles the CLI accepts and has built in; the others with the reason. */
async function probeProfiles(sample) {
  const { PROFILES } = await import(pathToFileURL(join(root, 'dist/src/normalize/types.js')).href);
  const ok = [];
  const skipped = [];
  for (const p of PROFILES) {
    const r = spawnSync(process.execPath, programArgs(['normalize', '-q', '-w', '1', '--profile', p, '-o', '/dev/null', '--errors', '/dev/null', sample]), { encoding: 'utf8' });
    if (r.status === 2 && /unknown profile/.test(r.stderr)) skipped.push({ profile: p, reason: r.stderr.trim().replace(/^jizo-intake normalize: /, '') });
    else if (r.status !== 0) throw new Error(`profile ${p}: the CLI exited with ${r.status}: ${r.stderr}`);
    else ok.push(p);
  }
  return { ok, skipped };
}

function cases(file, profiles, workers, jq, parts, events, rsyslog, servePipeline, serveNodeOptions, syslogFile) {
  const node = process.execPath;
  const base = join(here, 'baselines.mjs');
  const list = [
    { name: 'read + split lines', kind: 'baseline', cmd: node, args: [base, 'split', file, '/dev/null'] },
    { name: 'JSON.parse', kind: 'baseline', cmd: node, args: [base, 'parse', file, '/dev/null'] },
    { name: 'yardstick: parse + stringify', kind: 'yardstick', cmd: node, args: [base, 'yardstick', file, '/dev/null'] },
    { name: 'yardstick, synchronous I/O: parse + stringify', kind: 'yardstick', cmd: node, args: [base, 'yardstick-sync', file, '/dev/null'] },
  ];
  // jq is ~20x slower than the rest: one run is enough to place it.
  if (jq) list.push({ name: 'jq (documented mapping)', kind: 'jq', once: true, cmd: jq, args: ['-R', '-c', '-f', join(here, 'sekoia.jq'), file] });
  // What the cores give at this moment: N independent single-thread runs on
  // 1/N of the file each, at once. On a shared machine this, not N×, is the
  // ceiling for --workers N.
  for (const p of parts.length > 1 ? profiles : []) {
    list.push({
      name: `ceiling (${p}): ${parts.length} × normalize --workers 1 on 1/${parts.length} each, at once`,
      kind: 'ceiling',
      profile: p,
      commands: parts.map((part) => [node, programArgs(['normalize', '-q', '--profile', p, '--workers', '1', '-o', '/dev/null', '--errors', '/dev/null', part])]),
    });
  }
  for (const p of profiles) {
    const ws = [...new Set([1, workers])];
    for (const w of ws) {
      list.push({
        name: `normalize --profile ${p} --workers ${w}`,
        kind: 'cli',
        profile: p,
        workers: w,
        cmd: node,
        args: programArgs(['normalize', '-q', '--profile', p, '--workers', String(w), '-o', '/dev/null', '--errors', '/dev/null', file]),
      });
    }
  }
  // Cold start: the yardstick script and `normalize` (default settings) on the
  // 12 bundled example events, START_RUNS times each per round, the median kept.
  const example = join(root, 'examples/jizo-events.ndjson');
  // normalize is started as a user starts it: the program's launcher line (sh, then Node.js with its options)
  for (const [name, kind, args, cmd] of [
    ['start: yardstick, synchronous I/O, 12-line example', 'start-yardstick', [base, 'yardstick-sync', example, '/dev/null'], node],
    ['start: normalize, 12-line example', 'start-cli', ['normalize', '-q', '-o', '/dev/null', example], cli],
  ]) {
    list.push({ name, kind, startEvents: 12, run: async () => medianRun(cmd, args, START_RUNS) });
  }
  if (profiles.includes('sekoia')) {
    // The service: the same lines as RFC 5424 messages over 4 TCP connections
    // into a file sink (fsync always, its default), default pipeline settings.
    for (const nodeOptions of [undefined, ...(serveNodeOptions ? [serveNodeOptions] : [])]) {
      list.push({
        name: `serve: syslog TCP -> file sink (sekoia)${servePipeline ? `, pipeline ${servePipeline}` : ''}${nodeOptions ? `, NODE_OPTIONS=${nodeOptions}` : ''}`,
        kind: nodeOptions ? 'serve-variant' : 'serve',
        profile: 'sekoia',
        run: async () => {
          const r = await measureServe({ file, events, connections: 4, fsync: 'always', pipeline: servePipeline, nodeOptions });
          if (r.finished !== r.received) throw new Error(`serve finished ${r.finished} of ${r.received} events`);
          return { seconds: r.seconds, rssKb: r.rssKb, cpu: r.cpu, code: 0 };
        },
      });
    }
    // What the normalization alone costs on the service's input: the same RFC 5424
    // lines read from a file by one thread, no network, no fsync, no queue.
    list.push({
      name: 'serve floor: normalize --profile sekoia --workers 1 on the same RFC 5424 lines, from a file',
      kind: 'serve-floor',
      profile: 'sekoia',
      cmd: node,
      args: programArgs(['normalize', '-q', '--profile', 'sekoia', '--workers', '1', '-o', '/dev/null', '--errors', '/dev/null', syslogFile]),
    });
    // The peer: rsyslog on the same input over the same connections (bench/rsyslog.conf).
    if (rsyslog.bin) {
      list.push({
        name: `rsyslog ${rsyslog.version}: imptcp + mmjsonparse + omfile`,
        kind: 'rsyslog',
        run: async () => ({ ...(await measureRsyslog({ file, events, connections: 4 })), code: 0 }),
      });
    }
  }
  return list;
}

const START_RUNS = 5;

/** The run of median wall time among `n` runs of one command. */
async function medianRun(cmd, args, n) {
  const rs = [];
  for (let i = 0; i < n; i++) {
    const m = await measure(cmd, args);
    if (m.code !== 0) return m;
    rs.push(m);
  }
  rs.sort((a, b) => a.seconds - b.seconds);
  return rs[(n - 1) >> 1];
}

function fmt(n, digits = 0) {
  return n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * How many times faster `a` is than `b`. Both measured in every round: the
 * median of the per-round ratios (the two runs of a round are seconds apart,
 * so a drift of the machine's speed cancels out); otherwise the ratio of the
 * medians. `cpu` compares CPU time instead of wall time.
 */
function speedup(a, b, cpu = false) {
  const t = (s) => (cpu ? s.cpu : s.seconds);
  if (a.samples.length === b.samples.length && a.samples.length > 1 && a.samples.every((s, i) => t(s) && t(b.samples[i]))) {
    return median(a.samples.map((s, i) => t(b.samples[i]) / t(s)));
  }
  if (cpu) return a.cpu && b.cpu ? b.cpu / a.cpu : undefined;
  return a.eventsPerSec / b.eventsPerSec;
}

function table(results, yard) {
  const rows = [
    '| case | events/s | MB/s | peak RSS (MB) | × yardstick | CPU s | × yardstick (CPU) | runs (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const cpuRatio = r.cpu && yard.cpu ? speedup(r, yard, true) : undefined;
    rows.push(
      `| ${r.name} | ${fmt(r.eventsPerSec)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.rssMb, 0)} | ${fmt(speedup(r, yard), 2)} | ${fmt(r.cpu, 2)} | ${fmt(cpuRatio, 2)} | ${r.times.map((t) => t.toFixed(2)).join(' ')} |`,
    );
  }
  return rows.join('\n');
}

function targets(results, yard, big = []) {
  const get = (p, w) => results.find((r) => r.kind === 'cli' && r.profile === p && r.workers === w);
  const ceilingOf = (p) => results.find((r) => r.kind === 'ceiling' && r.profile === p);
  const jq = results.find((r) => r.kind === 'jq');
  const lines = [];
  const check = (label, value, goal) => lines.push(`| ${label} | ${fmt(value, 2)} | ${goal} | ${value === undefined ? 'n/a' : value >= Number(goal.replace(/[^0-9.]/g, '')) ? 'met' : 'not met'} |`);
  const s1 = get('sekoia', 1);
  const e1 = get('ecs', 1);
  for (const [r, label, goal] of [[s1, 'sekoia', '≥ 1.0'], [e1, 'ecs', '≥ 0.75']]) {
    if (!r) continue;
    check(`${label}, 1 thread, × yardstick (wall time)`, speedup(r, yard), goal);
    if (r.cpu && yard.cpu) check(`${label}, 1 thread, × yardstick (CPU time)`, speedup(r, yard, true), goal);
  }
  for (const r of results.filter((x) => x.kind === 'cli' && x.workers > 1)) {
    const one = get(r.profile, 1);
    const ceiling = ceilingOf(r.profile);
    if (ceiling) check(`${r.profile}, --workers ${r.workers} × its ceiling (${ceiling.name.split(':')[1].trim()})`, speedup(r, ceiling), '≥ 0.95');
    if (one) lines.push(`| (${r.profile}, --workers ${r.workers} × --workers 1; the ceiling × --workers 1) | ${fmt(speedup(r, one), 2)}; ${ceiling ? fmt(speedup(ceiling, one), 2) : 'n/a'} | reference | |`);
  }
  const sy = results.find((r) => r.kind === 'start-yardstick');
  const sc = results.find((r) => r.kind === 'start-cli');
  if (sy && sc) {
    // Per round: the CLI's start minus the yardstick script's, in ms; the median.
    const extra = 1000 * median(sc.samples.map((s, i) => s.seconds - sy.samples[i].seconds));
    lines.push(`| cold start, normalize on the 12-line example − the yardstick script's (ms; ${fmt(1000 * sc.seconds, 0)} against ${fmt(1000 * sy.seconds, 0)} ms) | ${fmt(extra, 0)} | ≤ 30 | ${extra <= 30 ? 'met' : 'not met'} |`);
  }
  if (jq && s1) check('sekoia, 1 thread, × jq', speedup(s1, jq), '≥ 5');
  const serve = results.find((r) => r.kind === 'serve');
  if (serve && s1) {
    check('serve syslog TCP -> file × normalize --workers 1 (sekoia)', speedup(serve, s1), '≥ 0.5');
    if (serve.rssMb !== undefined) lines.push(`| serve syslog TCP -> file, peak RSS (MB) | ${fmt(serve.rssMb, 0)} | ≤ 150 | ${serve.rssMb <= 150 ? 'met' : 'not met'} |`);
  }
  const rsyslog = results.find((r) => r.kind === 'rsyslog');
  for (const sv of rsyslog ? results.filter((r) => r.kind === 'serve' || r.kind === 'serve-variant') : []) {
    const label = sv.kind === 'serve' ? 'serve' : `serve (${sv.name.split(', ').pop()})`;
    check(`${label} × rsyslog, events/s (same input, same connections)`, speedup(sv, rsyslog), '≥ 1.0');
    // CPU: lower is better, so this one is serve's CPU time over rsyslog's.
    const cpu = speedup(sv, rsyslog, true);
    const ratio = cpu === undefined ? undefined : 1 / cpu;
    lines.push(`| ${label} × rsyslog, CPU time | ${fmt(ratio, 2)} | ≤ 0.7 | ${ratio === undefined ? 'n/a' : ratio <= 0.7 ? 'met' : 'not met'} |`);
    if (sv.rssMb !== undefined) lines.push(`| ${label}, peak RSS (MB); rsyslog: ${fmt(rsyslog.rssMb, 0)} | ${fmt(sv.rssMb, 0)} | ≤ 150 | ${sv.rssMb <= 150 ? 'met' : 'not met'} |`);
  }
  const floor = results.find((r) => r.kind === 'serve-floor');
  if (floor && rsyslog) {
    // Not a target: the normalization alone, on the same lines, next to the peer.
    const cpu = speedup(floor, rsyslog, true);
    lines.push(`| (normalize --workers 1 on the same RFC 5424 lines from a file × rsyslog: events/s; CPU time) | ${fmt(speedup(floor, rsyslog), 2)}; ${fmt(cpu === undefined ? undefined : 1 / cpu, 2)} | reference | |`);
  }
  for (const b of big) lines.push(`| peak RSS (MB), ${b.name}, ${fmt(b.mb, 0)} MB file | ${fmt(b.rssMb, 0)} | ≤ 150 | ${b.rssMb <= 150 ? 'met' : 'not met'} |`);
  return ['| target | measured | goal | |', '|---|---:|---|---|', ...lines].join('\n');
}

/** Peak RSS normalizing a large generated file: does memory stay flat? */
async function bigFileRss(args, profiles) {
  const file = join(tmpdir(), `jizo-bench-big-${process.pid}.ndjson`);
  try {
    // About 620 bytes per generated line.
    await generateFile(file, Math.min(10_000_000, Math.ceil((args.bigMb * 1e6) / 620)), args.seed + 1);
    const bytes = statSync(file).size;
    const rows = [];
    const data = [];
    for (const [profile, w] of profiles.flatMap((p) => [...new Set([1, args.workers])].map((w) => [p, w]))) {
      const m = await measure(process.execPath, programArgs(['normalize', '-q', '--profile', profile, '--workers', String(w), '-o', '/dev/null', '--errors', '/dev/null', file]));
      if (m.code !== 0) throw new Error(`large file run exited with ${m.code}: ${m.stderr.slice(0, 2000)}`);
      rows.push(`| normalize --profile ${profile} --workers ${w} | ${fmt(bytes / 1e6, 0)} | ${fmt(m.seconds, 1)} | ${fmt(m.rssKb / 1024, 0)} |`);
      data.push({ name: `normalize --profile ${profile} --workers ${w}`, mb: bytes / 1e6, rssMb: m.rssKb / 1024 });
      process.stderr.write(`large file, --profile ${profile} --workers ${w}: ${m.seconds.toFixed(1)} s, ${Math.round(m.rssKb / 1024)} MB\n`);
    }
    return { data, text: `\nPeak RSS on a large generated file (one run each; target ≤ 150 MB, flat in file size):\n\n| case | input (MB) | time (s) | peak RSS (MB) |\n|---|---:|---:|---:|\n${rows.join('\n')}\n` };
  } finally {
    rmSync(file, { force: true });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const loadBefore = os.loadavg()[0].toFixed(2);
  if (args.build) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(cli)) throw new Error(`${cli} not found: run npm run build`);

  let file = args.file;
  let generated = false;
  const cleanup = [];
  if (file === undefined) {
    file = join(tmpdir(), `jizo-bench-${process.pid}-${args.seed}-${args.lines}.ndjson`);
    await generateFile(file, args.lines, args.seed);
    generated = true;
  }
  try {
    const bytes = statSync(file).size;
    const events = countEvents(file);
    const { ok: profiles, skipped } = await probeProfiles(file);
    const jq = whichJq();
    const parts = args.workers > 1 ? splitFile(file, args.workers) : [];
    cleanup.push(...parts);
    const rsyslog = findRsyslog();
    if (rsyslog.skip) process.stderr.write(`rsyslog case skipped: ${rsyslog.skip}\n`);
    const syslogFile = `${file}.rfc5424`;
    writeFileSync(syslogFile, readFileSync(file, 'utf8').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '').map(rfc5424).join(''));
    cleanup.push(syslogFile);
    const list = cases(file, profiles, args.workers, jq, parts, events, rsyslog, args.servePipeline, args.serveNodeOptions, syslogFile).filter((c) => !args.only || c.kind === 'yardstick' || args.only.test(c.name));
    for (const c of list) c.samples = [];
    for (let run = 0; run < args.runs; run++) {
      for (const c of list) {
        if (c.once && run > 0) continue;
        const m = c.run ? await c.run() : c.commands ? await measureAll(c.commands) : await measure(c.cmd, c.args);
        if (m.code !== 0) throw new Error(`${c.name} exited with ${m.code}: ${m.stderr.slice(0, 2000)}`);
        c.samples.push(m);
        process.stderr.write(`run ${run + 1}/${args.runs} ${c.name}: ${m.seconds.toFixed(2)} s\n`);
      }
    }
    const results = list.map((c) => {
      const seconds = median(c.samples.map((s) => s.seconds));
      const rss = c.samples.map((s) => s.rssKb).filter((x) => x !== undefined);
      const cpu = c.samples.map((s) => s.cpu).filter((x) => x !== undefined);
      return {
        ...c,
        times: c.samples.map((s) => s.seconds),
        seconds,
        cpu: cpu.length === c.samples.length ? median(cpu) : undefined,
        eventsPerSec: (c.startEvents ?? events) / seconds,
        mbPerSec: c.startEvents ? undefined : bytes / 1e6 / seconds,
        rssMb: rss.length ? Math.max(...rss) / 1024 : undefined,
      };
    });
    // Two yardsticks, the same work with streams and with synchronous I/O: the faster is the reference.
    const yards = results.filter((r) => r.kind === 'yardstick').sort((a, b) => a.seconds - b.seconds);
    const yard = yards[0];
    const yardNote = yards.length > 1 ? `- reference: \`${yard.name}\`, ${fmt(speedup(yard, yards[1]), 2)}× as fast as \`${yards[1].name}\` (wall time; ${fmt(speedup(yard, yards[1], true), 2)}× in CPU time); every × yardstick is to it` : undefined;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const header = [
      `- date: ${new Date().toISOString()}`,
      `- machine: ${cpu}, ${availableParallelism()} cores; Node ${process.version}${jq ? `; ${spawnSync(jq, ['--version'], { encoding: 'utf8' }).stdout.trim()}` : '; jq not installed'}`,
      `- input: ${generated ? `generated, seed ${args.seed}, ` : ''}${fmt(args.file ? events : args.lines)} lines, ${fmt(bytes / 1e6, 1)} MB, ${fmt(events)} non-blank lines (events/s counts these)`,
      `- ${args.runs} run(s) per case (jq: 1 run), cases interleaved round by round; events/s from the median whole-process wall time (start-up included); CPU s = median user+system time; serve: from the first byte sent to the last event durable, the service started beforehand; every ratio is the median of the per-round ratios (runs of one round are seconds apart, so drifts of the shared machine's speed cancel out); peak RSS is the largest of the runs`,
      ...(yardNote ? [yardNote] : []),
      `- load average (1 min) before the run: ${loadBefore}, after it: ${os.loadavg()[0].toFixed(2)}`,
      ...skipped.map((s) => `- skipped profile \`${s.profile}\`: ${s.reason}`),
      rsyslog.skip ? `- rsyslog case skipped: ${rsyslog.skip}` : `- rsyslog ${rsyslog.version} (bench/rsyslog.conf): no fsync (omfile's default), serve: fsync after every batch (its default)`,
    ].join('\n');
    let big = { data: [], text: '' };
    if (args.bigMb > 0) big = await bigFileRss(args, profiles);
    const report = `${header}\n\n${table(results, yard)}\n\n${targets(results, yard, big.data)}\n${big.text}`;
    process.stdout.write(report);
    if (args.write) {
      const doc = join(root, 'docs/benchmarks.md');
      const begin = '<!-- bench:begin -->';
      const end = '<!-- bench:end -->';
      const block = `${begin}\n${report}${end}`;
      let text = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
      const i = text.indexOf(begin);
      const j = text.indexOf(end);
      text = i !== -1 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text}\n${block}\n`;
      mkdirSync(dirname(doc), { recursive: true });
      writeFileSync(doc, text);
      process.stderr.write(`written to ${relative(process.cwd(), doc)}\n`);
    }
  } finally {
    if (generated) rmSync(file, { force: true });
    for (const f of cleanup) rmSync(f, { force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 1;
});
