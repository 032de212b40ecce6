#!/usr/bin/env node
/**
 * Throughput of `serve`, syslog over TCP -> file sink, on loopback.
 *
 *   node bench/serve-syslog-tcp.mjs [lines=1000000] [connections=4] [fsync=interval]
 *
 * Starts `jizo-intake serve` as a child process under /usr/bin/time -v (for its
 * peak RSS), sends `lines` RFC 5424 lines carrying EVE alerts over
 * `connections` TCP connections, and waits until the pipeline reports every
 * event written. Prints events/s (first byte sent -> last event durable) and
 * the server's peak RSS. Not part of the test suite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const total = Number(process.argv[2] ?? 1_000_000);
const conns = Number(process.argv[3] ?? 4);
const fsync = process.argv[4] ?? 'interval';
const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-'));
const port = 25514;
const adminPort = 28081;
writeFileSync(
  join(dir, 'serve.yaml'),
  `data_dir: ${dir}/data\nlog_level: warn\nadmin: { port: ${adminPort} }\nsources:\n  syslog: { type: syslog, port: ${port}, protocols: [tcp] }\nsinks:\n  file: { type: file, fsync: ${fsync}, max_bytes: 1GiB }\n`,
);
const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const server = spawn('/usr/bin/time', ['-v', process.execPath, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), main, 'serve', '--config', join(dir, 'serve.yaml')], { stdio: ['ignore', 'inherit', 'pipe'] });
let stderr = '';
server.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
while (!stderr.includes('metrics:')) await new Promise((r) => setTimeout(r, 50));

const line = (i) =>
  `<134>1 2024-05-01T10:00:00.${String(i % 1e6).padStart(6, '0')}Z sensor-1 suricata 1234 - - {"timestamp":"2024-05-01T10:00:00.${String(i % 1e6).padStart(6, '0')}+0000","flow_id":${1e15 + i},"in_iface":"eth0","event_type":"alert","src_ip":"192.0.2.${i % 250}","src_port":${1024 + (i % 60000)},"dest_ip":"198.51.100.7","dest_port":443,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":${2000000 + (i % 1000)},"rev":3,"signature":"ET POLICY test ${i % 1000}","category":"Potential Corporate Privacy Violation","severity":2}}\n`;

async function metric(name) {
  const res = await fetch(`http://127.0.0.1:${adminPort}/metrics`);
  const body = await res.text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(body)?.[1] ?? 0);
}

async function send(from, to) {
  const sock = connect({ host: '127.0.0.1', port });
  await new Promise((r) => sock.once('connect', r));
  let parts = [];
  for (let i = from; i < to; i++) {
    parts.push(line(i));
    if (parts.length === 500 || i === to - 1) {
      if (!sock.write(parts.join(''))) await new Promise((r) => sock.once('drain', r));
      parts = [];
    }
  }
  await new Promise((r) => sock.end(r));
}

const t0 = process.hrtime.bigint();
const per = Math.ceil(total / conns);
await Promise.all(Array.from({ length: conns }, (_, c) => send(c * per, Math.min(total, (c + 1) * per))));
const sent = Number(process.hrtime.bigint() - t0) / 1e9;
while ((await metric('jizo_intake_pipeline_finished_total')) < total) await new Promise((r) => setTimeout(r, 20));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const written = await metric('jizo_intake_component_sent_total\\{component="file",type="file",kind="sink"\\}');
// SIGTERM goes to serve itself (the child of /usr/bin/time), which then reports.
const child = Number(readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim().split(' ')[0]);
process.kill(child, 'SIGTERM');
await new Promise((r) => server.on('close', r));
const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
console.log(
  JSON.stringify({ lines: total, connections: conns, fsync, written, sendSeconds: +sent.toFixed(2), seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(total / seconds), peakRssMiB: rss ? +(Number(rss) / 1024).toFixed(1) : null }),
);
