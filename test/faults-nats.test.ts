/**
 * Fault suite, crash with a shared NATS consumer: two `jizo-intake serve`
 * processes share one durable JetStream consumer; one is killed with SIGKILL
 * mid-stream. The messages it had taken and not acknowledged are redelivered
 * (after ack_wait) to the survivor: nothing lost, duplicates only from what
 * the killed process wrote but had not acknowledged.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect, StringCodec } from 'nats';
import { rng, size } from './helpers/fuzz.js';
import { until } from './helpers/ingest.js';
import { natsSkip, startNatsServer } from './helpers/nats-server.js';
import { CLI } from './helpers/paths.js';
import { startServeChild } from './helpers/serve-child.js';

const event = (i: number) => `{"timestamp":"2024-05-01T10:00:00.000001+0000","flow_id":${i},"event_type":"dns","src_ip":"192.0.2.1","dns":{"type":"query","rrname":"n${i}.example.org"}}`;
const lines = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean) : []);

describe('faults: crash with a shared nats consumer', { skip: natsSkip() }, () => {
  it('two serve processes share a consumer; one is killed: nothing lost', { timeout: 300_000 }, async () => {
    const n = size(200_000, 20_000);
    const server = await startNatsServer();
    const dir = mkdtempSync(join(tmpdir(), 'jizo-natscrash-'));
    const children: Awaited<ReturnType<typeof startServeChild>>[] = [];
    try {
      const nc = await connect({ servers: server.url });
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'IN', subjects: ['in.>'] });
      const js = nc.jetstream();
      const sc = StringCodec();
      const outs = ['a', 'b'].map((x) => join(dir, `${x}.ndjson`));
      for (const [k, x] of ['a', 'b'].entries()) {
        const cfg = join(dir, `${x}.yaml`);
        writeFileSync(
          cfg,
          `data_dir: ${join(dir, x)}\nadmin: { port: 0 }\nlog_level: warn\nsources:\n  bus: { type: nats, servers: ["${server.url}"], stream: IN, consumer: shared, ack_wait: 2s, batch_size: 200 }\nsinks:\n  out: { type: file, path: "${outs[k]}", fsync: interval, max_bytes: 0 }\n`,
        );
        children.push(await startServeChild(CLI, ['serve', '--config', cfg]));
      }
      const r = rng(Number(process.env.FAULTS_SEED ?? 11));
      // Published while both instances consume; A is killed at a random point of the stream.
      const killAfter = Math.floor(n * (0.2 + 0.5 * r()));
      for (let i = 0; i < n; i += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, n - i) }, (_, j) => js.publish('in.eve', sc.encode(event(i + j)))));
        if (i <= killAfter && killAfter < i + 1000) {
          await until(() => lines(outs[0]!).length > 0, 30_000, 'the first instance writing');
          await children[0]!.stop('SIGKILL');
        }
      }
      await nc.close();
      const writtenByKilled = lines(outs[0]!).length;
      const count = () => new Set([...lines(outs[0]!), ...lines(outs[1]!)].map((l) => /"flow":\{"id":"(\d+)"/.exec(l)![1])).size;
      await until(() => count() >= n, 240_000, 'every message written');
      await new Promise((res) => setTimeout(res, 3000)); // redeliveries still due would show as duplicates
      assert.equal(await children[1]!.stop(), 0, children[1]!.stderr());
      const ids = [...lines(outs[0]!), ...lines(outs[1]!)].map((l) => Number(/"flow":\{"id":"(\d+)"/.exec(l)![1]));
      const unique = new Set(ids);
      let lost = 0;
      for (let i = 0; i < n; i++) if (!unique.has(i)) lost++;
      const figures = { messages: n, written_by_killed: writtenByKilled, written_by_survivor: lines(outs[1]!).length, lost, duplicated: ids.length - unique.size, peak_rss_mib: +(Math.max(children[0]!.rss.peak, children[1]!.rss.peak) / 2 ** 20).toFixed(1) };
      console.log(`faults crash-nats: ${JSON.stringify(figures)}`);
      assert.equal(lost, 0);
      // Duplicates can only be what the killed process wrote and had not acknowledged: at most its max_ack_pending.
      assert.ok(figures.duplicated <= 10_000, `${figures.duplicated} duplicates`);
    } finally {
      for (const c of children) await c.stop('SIGKILL');
      await server.stop();
    }
  });
});
