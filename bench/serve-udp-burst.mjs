#!/usr/bin/env node
/**
 * How large a burst of syslog UDP datagrams `serve` takes without loss.
 *
 *   node bench/serve-udp-burst.mjs [file] [--bursts 2000,5000,10000,20000] [--pipeline '{ max_events: 4000 }']
 *                                  [--node-options '--max-semi-space-size=4']
 *
 * Starts `jizo-intake serve` with a syslog source (UDP only) and a file sink
 * (`fsync: always`, its default), then, for each burst size N in turn, sends
 * the first N lines of `file` (or of a generated file, the benchmark's traffic
 * mix) wrapped in RFC 5424 headers, one datagram each, from one socket as
 * fast as the loopback takes them, and waits until the service is idle again.
 * UDP has no flow control: what arrives while the queue is full is dropped by
 * the service (and counted), what arrives while the socket's receive buffer
 * is full is dropped by the kernel (never seen). Prints, per burst: datagrams
 * sent, written to the file, dropped and counted by the service, and lost in
 * the kernel (sent - read by the service), with the time the burst took to
 * send. Not part of the test suite.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rfc5424, startServe } from './serve-syslog-tcp.mjs';

async function counters(url) {
  const body = await (await fetch(url)).text();
  const sum = (re) => {
    let n = 0;
    for (const m of body.matchAll(re)) n += Number(m[1]);
    return n;
  };
  return {
    read: sum(/^jizo_intake_component_received_total\{[^}]*kind="source"[^}]*\} (\d+)$/gm),
    dropped: sum(/^jizo_intake_component_dropped_total\{[^}]*kind="source"[^}]*\} (\d+)$/gm),
    finished: sum(/^jizo_intake_pipeline_finished_total (\d+)$/gm),
  };
}

/** Sends each datagram without waiting for the previous one (the socket queues them); resolves once all are handed to the kernel. */
function blast(sock, port, datagrams) {
  return new Promise((resolve) => {
    let left = datagrams.length;
    let failed = 0;
    for (const d of datagrams) {
      sock.send(d, port, '127.0.0.1', (e) => {
        if (e) failed++;
        if (--left === 0) resolve(failed);
      });
    }
  });
}

async function idle(url) {
  let last = await counters(url);
  for (let still = 0; still < 6; ) {
    await new Promise((r) => setTimeout(r, 50));
    const c = await counters(url);
    still = c.read === last.read && c.finished === last.finished ? still + 1 : 0;
    last = c;
  }
  return last;
}

export async function measureUdpBursts({ file, bursts, pipeline, nodeOptions }) {
  const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-udp-'));
  try {
    writeFileSync(
      join(dir, 'serve.yaml'),
      `data_dir: ${dir}/data\nlog_level: warn\n${pipeline ? `pipeline: ${pipeline}\n` : ''}admin: { port: 0 }\nsources:\n  syslog: { type: syslog, port: 0, protocols: [udp] }\nsinks:\n  file: { type: file, max_bytes: 0 }\n`,
    );
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const serve = await startServe(join(dir, 'serve.yaml'), { nodeOptions });
    try {
      const port = Number(/udp:\/\/[^:\s]+:(\d+)/.exec(serve.stderr)[1]);
      const metrics = serve.metrics;
      const sock = createSocket('udp4');
      const results = [];
      let before = await idle(metrics);
      for (const n of bursts) {
        const datagrams = [];
        for (let i = 0; i < n; i++) datagrams.push(Buffer.from(rfc5424(lines[i % lines.length]).slice(0, -1)));
        const t0 = process.hrtime.bigint();
        const sendErrors = await blast(sock, port, datagrams);
        const sendMs = Number(process.hrtime.bigint() - t0) / 1e6;
        const after = await idle(metrics);
        const read = after.read - before.read;
        const dropped = after.dropped - before.dropped;
        results.push({ burst: n, send_ms: +sendMs.toFixed(1), send_errors: sendErrors, written: after.finished - before.finished, dropped_counted: dropped, lost_in_kernel: n - read });
        before = after;
      }
      sock.close();
      return results;
    } finally {
      await serve.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { benchInput } = await import('./generate.mjs');
  const { file, opt, cleanup } = await benchInput('jizo-bench-udp');
  try {
    const bursts = String(opt('--bursts', '2000,5000,10000,20000,40000')).split(',').map(Number);
    const r = await measureUdpBursts({ file, bursts, pipeline: opt('--pipeline'), nodeOptions: opt('--node-options') });
    for (const x of r) console.log(JSON.stringify(x));
  } finally {
    cleanup();
  }
}
