#!/usr/bin/env node
/**
 * Figures for sizing the edge -> JetStream -> workers topology
 * (docs/scaling.md), measured on this machine with a real nats-server:
 *
 * - edge: `serve --exit-on-eof` reading the input file and publishing each
 *   line raw (`payload: raw`) to a stream: events/s (wall) and events per
 *   CPU-second of the edge process;
 * - worker, per profile (and enrichment, with --enrich): `serve` consuming
 *   the stream through a durable consumer, normalizing and writing to a
 *   file, until the consumer has nothing pending: events per CPU-second of
 *   the worker (its capacity per core);
 * - nats-server: CPU seconds per 100,000 messages while the edge publishes
 *   and while a worker consumes.
 *
 *   node bench/topology.mjs [FILE | --lines N] [--rounds R] [--profiles sekoia,ecs] [--enrich '{"community_id":true}']
 *
 * Medians over the rounds. CPU times come from /proc/<pid>/stat (Linux).
 * Needs nats-server on the PATH. Not part of the test suite.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { benchInput } from './generate.mjs';
import { startNatsServer } from './nats-server.mjs';
import { programArgs } from './program.mjs';

const input = await benchInput('jizo-bench-topology');
const rounds = Number(input.opt('--rounds', 3));
const profiles = input.opt('--profiles', 'sekoia,ecs').split(',');
const enrich = input.opt('--enrich', undefined);
const dir = mkdtempSync(join(tmpdir(), 'jizo-bench-topology-'));

/** CPU seconds (user + system) a process has used so far. */
function cpu(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

function run(args) {
  const child = spawn(process.execPath, programArgs(args), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  return { child, exited, err: () => err };
}

const nats = await startNatsServer(join(dir, 'js'), 15222);
const { server, url } = nats;
const nc = await connect({ servers: url });
const jsm = await nc.jetstreamManager();

const results = { edge: [], edgeCpu: [], natsPublish: [] };
for (const p of profiles) results[p] = { perCpu: [], nats: [] };
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

for (let r = 0; r < rounds; r++) {
  // a new stream each round: the same lines carry the same ids, which a purged stream's duplicate window still remembers
  await jsm.streams.delete('RAW').catch(() => undefined);
  await jsm.streams.add({ name: 'RAW', subjects: ['raw.>'] });
  // the edge: file -> nats (raw)
  const edgeCfg = join(dir, 'edge.yaml');
  rmSync(join(dir, 'edge'), { recursive: true, force: true });
  writeFileSync(
    edgeCfg,
    `data_dir: ${join(dir, 'edge')}\nadmin: false\nlog_level: warn\nsources:\n  sensors: { type: file, paths: ["${input.file}"] }\nsinks:\n  relay: { type: nats, servers: ["${url}"], subject: raw.bench, payload: raw }\ndead_letter: { type: file, path: "${join(dir, 'edge-dead.ndjson')}" }\n`,
  );
  const n0 = cpu(server.pid);
  const t0 = process.hrtime.bigint();
  const edge = run(['serve', '--config', edgeCfg, '--exit-on-eof']);
  let edgeCpu = 0;
  const sampler = setInterval(() => {
    try {
      edgeCpu = cpu(edge.child.pid);
    } catch {
      /* exited */
    }
  }, 20);
  const code = await edge.exited;
  clearInterval(sampler);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`edge exited ${code}: ${edge.err()}`);
  // the edge dead-letters what does not normalize (the generated input holds a few broken lines)
  const stored = (await jsm.streams.info('RAW')).state.messages;
  const dead = readFileSync(join(dir, 'edge-dead.ndjson'), 'utf8').split('\n').filter(Boolean).length;
  rmSync(join(dir, 'edge-dead.ndjson'));
  if (stored + dead !== input.events) throw new Error(`edge: ${stored} stored + ${dead} dead letters of ${input.events}`);
  results.edge.push(input.events / wall);
  results.edgeCpu.push(input.events / edgeCpu);
  results.natsPublish.push(((cpu(server.pid) - n0) / input.events) * 1e5);

  // a worker per profile, each with its own consumer of the whole stream
  for (const profile of profiles) {
    const consumer = `w-${profile}-${r}`;
    const cfg = join(dir, `${consumer}.yaml`);
    const out = join(dir, `${consumer}.ndjson`);
    writeFileSync(
      cfg,
      `data_dir: ${join(dir, consumer)}\nadmin: false\nlog_level: warn\nprofile: ${profile}\n${enrich ? `enrich: ${enrich}\n` : ''}sources:\n  bus: { type: nats, servers: ["${url}"], stream: RAW, consumer: ${consumer} }\nsinks:\n  out: { type: file, path: "${out}", max_bytes: 0 }\ndead_letter: { type: file, path: "${join(dir, consumer + '-dead.ndjson')}" }\n`,
    );
    const m0 = cpu(server.pid);
    const worker = run(['serve', '--config', cfg]);
    let last = 0;
    for (;;) {
      await new Promise((res) => setTimeout(res, 20));
      if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.err()}`);
      last = cpu(worker.child.pid);
      const info = await jsm.consumers.info('RAW', consumer).catch(() => undefined);
      if (info && info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0) break;
    }
    results[profile].perCpu.push(input.events / last);
    results[profile].nats.push(((cpu(server.pid) - m0) / input.events) * 1e5);
    worker.child.kill('SIGTERM');
    await worker.exited;
    rmSync(out, { force: true });
    await jsm.consumers.delete('RAW', consumer);
  }
}

const fmt = (x) => Math.round(x).toLocaleString('en');
console.log(`topology: ${input.events} events, ${rounds} rounds (median)${enrich ? `, enrich ${enrich}` : ''}`);
console.log(`edge (file -> nats raw)     ${fmt(median(results.edge))} events/s wall, ${fmt(median(results.edgeCpu))} events per CPU-second`);
console.log(`nats-server while publishing ${median(results.natsPublish).toFixed(2)} CPU-s per 100k messages`);
for (const p of profiles) {
  console.log(`worker ${p.padEnd(7)} (nats -> file) ${fmt(median(results[p].perCpu))} events per CPU-second; nats-server ${median(results[p].nats).toFixed(2)} CPU-s per 100k messages delivered`);
}
await nc.close();
await nats.stop();
rmSync(dir, { recursive: true, force: true });
input.cleanup();
