#!/usr/bin/env node
/**
 * rsyslog as a baseline of `serve`: the same input over the same TCP
 * connections, rsyslog's imptcp + mmjsonparse + omfile (bench/rsyslog.conf)
 * under GNU time, measured as measureServe measures `serve`: from the first
 * byte sent to the last line in the output file.
 *
 *   node bench/rsyslog.mjs [file] [--lines N] [--connections 4]
 *
 * `findRsyslog()` uses the installed rsyslogd, installs Debian's `rsyslog`
 * package with apt-get when it is missing and this runs as root, and
 * otherwise says why the case is skipped. Not part of the test suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIME_BIN, parseTime, timedPid } from './gnu-time.mjs';
import { payloads, send } from './serve-syslog-tcp.mjs';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const CONF = fileURLToPath(new URL('./rsyslog.conf', import.meta.url));
const POLL_MS = 50;

function config(workDir, port, output) {
  return readFileSync(CONF, 'utf8').replaceAll('@WORKDIR@', workDir).replaceAll('@PORT@', String(port)).replaceAll('@OUTPUT@', output);
}

/** `{ bin, version }` of a usable rsyslogd, or `{ skip: reason }`. */
export function findRsyslog() {
  if (!existsSync(RSYSLOGD)) {
    if (process.getuid?.() !== 0) return { skip: `${RSYSLOGD} not found and not root: install the Debian package rsyslog` };
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'rsyslog'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0 || !existsSync(RSYSLOGD)) return { skip: `apt-get install rsyslog failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
  }
  // -N1 checks the configuration, loading every module it names.
  const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-rsyslog-'));
  try {
    writeFileSync(join(dir, 'rsyslog.conf'), config(dir, 10514, join(dir, 'out')));
    const check = spawnSync(RSYSLOGD, ['-N1', '-f', join(dir, 'rsyslog.conf')], { encoding: 'utf8' });
    if (check.status !== 0) return { skip: `rsyslogd cannot load bench/rsyslog.conf: ${(check.stderr || check.stdout).trim().split('\n')[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const version = /rsyslogd\s+(\S+)/.exec(spawnSync(RSYSLOGD, ['-v'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
  return { bin: RSYSLOGD, version };
}

/** A port free on loopback at this moment (rsyslog cannot report the port it got for 0). */
async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function accepting(port, deadline) {
  for (;;) {
    const ok = await new Promise((r) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('rsyslogd did not listen');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Counts the lines of a growing file from where the last call stopped. */
function lineCounter(path) {
  let offset = 0;
  let lines = 0;
  const buf = Buffer.alloc(1 << 20);
  return () => {
    if (!existsSync(path)) return 0;
    const fd = openSync(path, 'r');
    try {
      for (let n; (n = readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
    } finally {
      closeSync(fd);
    }
    return lines;
  };
}

/** One measure; resolves with { seconds, rssKb, cpu, written, eventsPerSec }. */
export async function measureRsyslog({ file, events, connections = 4 }) {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-rsyslog-'));
  try {
    const port = await freePort();
    const out = join(dir, 'out.ndjson');
    writeFileSync(join(dir, 'rsyslog.conf'), config(dir, port, out));
    const bufs = payloads(file, connections);
    const argv = [RSYSLOGD, '-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')];
    const server = TIME_BIN ? spawn(TIME_BIN, ['-v', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const closed = new Promise((r) => server.on('close', r));
    await accepting(port, Date.now() + 30_000);
    const count = lineCounter(out);
    const t0 = process.hrtime.bigint();
    let sent = false;
    const sending = Promise.all(bufs.map((b) => send(port, b))).then(() => (sent = true));
    // The end is when the output last grew, once everything was sent and it stopped growing for
    // 300 ms (rsyslog writes a line for every message, including the ones serve dead-letters).
    let written = 0;
    let tLast = t0;
    let still = 0;
    const deadline = Date.now() + 600_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const n = count();
      if (n !== written) tLast = process.hrtime.bigint();
      still = n === written ? still + 1 : 0;
      written = n;
      if (sent && written > 0 && still * POLL_MS >= 300) break;
      if (Date.now() > deadline) throw new Error(`rsyslog wrote ${written} lines, then timed out`);
    }
    await sending;
    const seconds = Number(tLast - t0) / 1e9;
    process.kill(timedPid(server.pid), 'SIGTERM');
    await closed;
    const { rssKb, cpu } = parseTime(stderr);
    return { seconds, rssKb, cpu, written, eventsPerSec: events / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findRsyslog();
  if (found.skip) {
    console.log(`rsyslog skipped: ${found.skip}`);
    process.exit(0);
  }
  const { benchInput } = await import('./generate.mjs');
  const { file, events, opt, cleanup } = await benchInput('jizo-bench-rsyslog');
  try {
    const r = await measureRsyslog({ file, events, connections: Number(opt('--connections', 4)) });
    console.log(JSON.stringify({ rsyslog: found.version, events, ...r, seconds: +r.seconds.toFixed(2), eventsPerSec: Math.round(r.eventsPerSec), peakRssMiB: r.rssKb ? +(r.rssKb / 1024).toFixed(1) : null }));
  } finally {
    cleanup();
  }
}
