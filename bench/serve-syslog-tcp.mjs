#!/usr/bin/env node
/**
 * Throughput of `serve`, syslog over TCP -> file sink, on loopback.
 *
 *   node bench/serve-syslog-tcp.mjs [file] [--connections N] [--fsync always|interval|never] [--lines N]
 *                                   [--pipeline '{ max_events: 4000 }'] [--node-options '--max-semi-space-size=4']
 *
 * Starts `jizo-intake serve` (its default pipeline settings; file sink with
 * the given fsync policy, default `always`, the sink's own default) as a child
 * process under GNU time (for its peak RSS). The EVE lines of `file` (or of a
 * generated file of `--lines` lines) are wrapped in RFC 5424 headers, as a
 * sensor sends them, and cut into per-connection buffers before the clock
 * starts, so that the sender costs as little as possible. The clock runs from
 * the first byte sent to the moment the pipeline has made the last event
 * durable (its `finished` counter stops at the number of events received).
 * Prints events/s over the file's non-blank lines and the server's peak RSS.
 * run.mjs runs the same measure next to the other cases. Not part of the test
 * suite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { TIME_BIN, parseTime, timedPid } from './gnu-time.mjs';
import { programArgs } from './program.mjs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How often the service's metrics are read once the sender is done (the end
 * time is known to this precision), and before that. Each read costs the
 * service ~1.3 ms (prom-client collects its process metrics from /proc): at
 * 50 ms through a whole run that was 2 % of the service's CPU time, a cost of
 * the benchmark, not of the service (a scraper reads every 15 s or so).
 */
const POLL_MS = 50;
const SLOW_POLL_MS = 500;

/** One EVE line as the RFC 5424 message a sensor sends (the header every case of the service uses). */
export const rfc5424 = (line) => `<134>1 2024-05-01T10:00:00.000000Z sensor-1 suricata 1234 - - ${line}\n`;

/** The lines of `file` as RFC 5424 messages, in `conns` groups of ~64 KiB buffers. */
export function payloads(file, conns) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const per = Math.ceil(lines.length / conns);
  const out = [];
  for (let c = 0; c < conns; c++) {
    const bufs = [];
    let text = '';
    for (let i = c * per; i < Math.min(lines.length, (c + 1) * per); i++) {
      text += rfc5424(lines[i]);
      if (text.length >= 65536) {
        bufs.push(Buffer.from(text));
        text = '';
      }
    }
    if (text) bufs.push(Buffer.from(text));
    out.push(bufs);
  }
  return out;
}

export function send(port, bufs) {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port }, async () => {
      for (const b of bufs) if (!sock.write(b)) await new Promise((r) => sock.once('drain', r));
      sock.end(resolve);
    });
    sock.on('error', reject);
  });
}

async function pipelineCounters(url) {
  const body = await (await fetch(url)).text();
  const get = (name) => Number(new RegExp(`^jizo_intake_pipeline_${name}_total (\\d+)$`, 'm').exec(body)?.[1] ?? NaN);
  return { received: get('received'), finished: get('finished') };
}

/**
 * Starts `jizo-intake serve --config FILE` (under GNU time when `timed` and
 * installed, for its peak RSS and CPU time) and resolves once it listens:
 * `stderr` holds what it printed so far (where it listens), `metrics` is its
 * /metrics URL, `stop()` sends it SIGTERM and waits for it (and GNU time's
 * report) to end. Node options go on the command line: NODE_OPTIONS refuses
 * some, e.g. --cpu-prof.
 */
export async function startServe(configFile, { nodeOptions, timed = false } = {}) {
  const argv = [process.execPath, ...programArgs(['serve', '--config', configFile], nodeOptions ? nodeOptions.split(' ') : [])];
  const opts = { stdio: ['ignore', process.env.BENCH_SERVE_STDOUT ? 'inherit' : 'ignore', 'pipe'] };
  const underTime = timed && TIME_BIN !== undefined;
  const server = underTime ? spawn(TIME_BIN, ['-v', ...argv], opts) : spawn(argv[0], argv.slice(1), opts);
  const closed = new Promise((r) => server.on('close', r));
  const serve = {
    stderr: '',
    metrics: '',
    async stop() {
      // SIGTERM to serve itself (under GNU time: its child), which then reports.
      if (server.exitCode === null) process.kill(underTime ? timedPid(server.pid) : server.pid, 'SIGTERM');
      await closed;
    },
  };
  server.stderr.setEncoding('utf8').on('data', (d) => (serve.stderr += d));
  const deadline = Date.now() + 30_000;
  while (!/metrics: http/.test(serve.stderr)) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`serve did not start: ${serve.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  serve.metrics = /metrics: (http:\/\/\S+\/metrics)/.exec(serve.stderr)[1].replace(/,$/, '');
  return serve;
}

/**
 * One measure. `events` is what events/s counts (the file's non-blank lines,
 * as for the other cases). Resolves with { seconds, rssKb, received, finished }.
 */
export async function measureServe({ file, events, connections = 4, fsync = 'always', pipeline, nodeOptions, admin = '{ port: 0 }' }) {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-serve-'));
  try {
    writeFileSync(
      join(dir, 'serve.yaml'),
      `data_dir: ${dir}/data\nlog_level: warn\n${pipeline ? `pipeline: ${pipeline}\n` : ''}admin: ${admin}\nsources:\n  syslog: { type: syslog, port: 0, protocols: [tcp] }\nsinks:\n  file: { type: file, fsync: ${fsync}, max_bytes: 0 }\n`,
    );
    const bufs = payloads(file, connections);
    const serve = await startServe(join(dir, 'serve.yaml'), { nodeOptions, timed: true });
    const port = Number(/source syslog \(syslog\): tcp:\/\/[^:\s]+:(\d+)/.exec(serve.stderr)[1]);
    const metrics = serve.metrics;

    const t0 = process.hrtime.bigint();
    let sent = false;
    const sending = Promise.all(bufs.map((b) => send(port, b))).then(() => (sent = true));
    // Poll the pipeline; the end is when `finished` last moved, once everything was sent and it caught up
    // (the sender is done when the kernel holds its last bytes: well before the service has read them).
    let last = { received: 0, finished: 0 };
    let tLast = t0;
    let still = 0;
    for (;;) {
      if (sent) await new Promise((r) => setTimeout(r, POLL_MS));
      else await Promise.race([new Promise((r) => setTimeout(r, SLOW_POLL_MS)), sending]);
      const c = await pipelineCounters(metrics);
      if (c.finished !== last.finished) tLast = process.hrtime.bigint();
      still = c.finished === last.finished && c.received === last.received ? still + 1 : 0;
      last = c;
      if (sent && c.finished === c.received && still * POLL_MS >= 300) break;
    }
    await sending;
    const seconds = Number(tLast - t0) / 1e9;
    await serve.stop();
    const { rssKb, cpu, user, sys } = parseTime(serve.stderr);
    return { seconds, rssKb, cpu, user, sys, received: last.received, finished: last.finished, eventsPerSec: events / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { benchInput } = await import('./generate.mjs');
  const { file, events, opt, cleanup } = await benchInput('jizo-bench-serve');
  try {
    const r = await measureServe({ file, events, connections: Number(opt('--connections', 4)), fsync: opt('--fsync', 'always'), pipeline: opt('--pipeline'), nodeOptions: opt('--node-options') });
    console.log(JSON.stringify({ events, ...r, seconds: +r.seconds.toFixed(2), eventsPerSec: Math.round(r.eventsPerSec), peakRssMiB: r.rssKb ? +(r.rssKb / 1024).toFixed(1) : null }));
  } finally {
    cleanup();
  }
}
