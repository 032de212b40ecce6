/**
 * The edge -> JetStream -> workers topology of docs/nats.md on separate
 * hosts: nats-server, the edge relay and two workers each run in their own
 * network namespace on a private bridge (test/helpers/netns.ts), from the
 * documented configurations in examples/topology/ (only addresses, paths and
 * the ack wait changed). The test sends syslog to the edge from the console
 * (the root namespace), then:
 *
 * 1. cuts the first worker's link while it consumes (no reset, no close: its
 *    packets vanish): the second worker takes over, nothing is lost;
 * 2. plugs it back in, sends more, and kills the second worker with SIGKILL:
 *    the first takes over, nothing is lost.
 *
 * Duplicates are allowed (at-least-once): what a worker wrote and could not
 * acknowledge is redelivered to the other.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect } from 'nats';
import { parse, stringify } from 'yaml';
import { until } from './helpers/ingest.js';
import { natsSkip, startNatsServer, type NatsServer } from './helpers/nats-server.js';
import { createLab, netnsSkip } from './helpers/netns.js';
import { CLI, ROOT } from './helpers/paths.js';
import { startServeChild, type ServeChild } from './helpers/serve-child.js';

const N = 20_000;
const ACK_WAIT = '3s';
const event = (i: number) =>
  `<134>1 2024-05-01T10:00:00.000000Z sensor-1 suricata 1234 - - {"timestamp":"2024-05-01T10:00:00.000001+0000","flow_id":${i},"event_type":"dns","src_ip":"192.0.2.1","dest_ip":"198.51.100.53","proto":"UDP","dns":{"type":"query","rrname":"n${i}.example.org"}}\n`;
/** The complete lines of a file being written (a last line without its newline is still being written). */
const lines = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').slice(0, -1).filter(Boolean) : []);
const flowIds = (p: string) => lines(p).map((l) => Number(/"flow":\{"id":"(\d+)"/.exec(l)![1]));

/** A documented example configuration with the given changes (key paths as arrays). */
function example(name: string, changes: [string[], unknown][]): string {
  const doc = parse(readFileSync(join(ROOT, 'examples', 'topology', name), 'utf8')) as Record<string, unknown>;
  for (const [path, value] of changes) {
    let o = doc as Record<string, unknown>;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
    o[path.at(-1)!] = value;
  }
  return stringify(doc);
}

async function send(host: string, port: number, from: number, to: number): Promise<void> {
  const socket = tcpConnect({ host, port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (let i = from; i < to; i += 1000) {
    let chunk = '';
    for (let j = i; j < Math.min(to, i + 1000); j++) chunk += event(j);
    if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
  }
  await new Promise<void>((r) => socket.end(r));
}

describe('topology on separate hosts (network namespaces)', { skip: netnsSkip() || natsSkip() }, () => {
  it('edge -> JetStream -> two ecs workers: a cut link and a kill -9 of a worker lose nothing', { timeout: 240_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-topology-'));
    const lab = createLab(['nats', 'edge', 'w1', 'w2']);
    const children: ServeChild[] = [];
    const servers: NatsServer[] = [];
    t.after(async () => {
      // also after a timeout: no process, namespace or bridge outlives the test
      for (const c of children) await c.stop('SIGKILL');
      for (const s of servers) await s.stop();
      lab.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
    // the server notices a silent peer within about 3 s, and ends its pull requests
    const nats = await startNatsServer(undefined, { host: lab.addr('nats'), prefix: lab.on('nats'), config: 'ping_interval: "1s"\nping_max: 2\n' });
    servers.push(nats);
    const nc = await connect({ servers: nats.url });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'EVE_RAW', subjects: ['eve.raw.>'], duplicate_window: 120e9 });
    await nc.close();

    const start = async (host: string, file: string, changes: [string[], unknown][]) => {
      mkdirSync(join(dir, host));
      const cfg = join(dir, `${host}.yaml`);
      writeFileSync(cfg, example(file, [[['data_dir'], join(dir, host)], [['admin'], false], [['dead_letter', 'path'], join(dir, host, 'dead.ndjson')], ...changes]));
      const child = await startServeChild(CLI, ['serve', '--config', cfg], /jizo-intake serve: dead letters/, process.env, lab.on(host));
      children.push(child);
      return child;
    };
    await start('edge', 'edge.yaml', [[['sinks', 'relay', 'servers'], [nats.url]]]);
    const out = { w1: join(dir, 'w1', 'ecs.ndjson'), w2: join(dir, 'w2', 'ecs.ndjson') };
    const worker = (w: 'w1' | 'w2') =>
      start(w, 'worker.yaml', [
        [['sources', 'bus', 'servers'], [nats.url]],
        [['sources', 'bus', 'ack_wait'], ACK_WAIT],
        [['sinks', 'archive', 'path'], out[w]],
      ]);
    const w1 = await worker('w1');
    const w2 = await worker('w2');
    const seen = () => new Set([...flowIds(out.w1), ...flowIds(out.w2)]);

    // 1. the first worker's link is cut while both consume
    await send(lab.addr('edge'), 6514, 0, N);
    await until(() => lines(out.w1).length >= N / 10, 60_000, 'the first worker writing');
    lab.cut('w1');
    const w2AtCut = lines(out.w2).length;
    await until(() => seen().size >= N, 120_000, `every event of the first half written (${seen().size} of ${N})`);
    const w1AfterCut = lines(out.w1).length;
    assert.ok(lines(out.w2).length > w2AtCut, 'the second worker took over');

    // 2. the link is back; more traffic; the second worker is killed with SIGKILL
    lab.restore('w1');
    await send(lab.addr('edge'), 6514, N, 2 * N);
    await until(() => flowIds(out.w2).some((id) => id >= N), 60_000, 'the second worker writing the second half');
    await w2.stop('SIGKILL');
    await until(() => seen().size >= 2 * N, 120_000, `every event written (${seen().size} of ${2 * N})`);
    assert.ok(lines(out.w1).length > w1AfterCut, 'the first worker, back on the network, took over');

    const all = [...flowIds(out.w1), ...flowIds(out.w2)];
    const unique = new Set(all);
    let lost = 0;
    for (let i = 0; i < 2 * N; i++) if (!unique.has(i)) lost++;
    const figures = { events: 2 * N, lost, duplicated: all.length - unique.size, w1: flowIds(out.w1).length, w2: flowIds(out.w2).length };
    console.log(`topology netns: ${JSON.stringify(figures)}`);
    assert.equal(lost, 0);
    // nothing is rejected anywhere: every line was EVE
    for (const h of ['edge', 'w1', 'w2']) assert.equal(lines(join(dir, h, 'dead.ndjson')).length, 0, `${h} dead letters`);
    assert.equal(await w1.stop(), 0, w1.stderr());
  });
});
