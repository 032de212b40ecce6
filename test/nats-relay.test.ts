/**
 * The edge -> JetStream -> workers topology of docs/nats.md, in process with a
 * real nats-server: an edge service (syslog -> nats sink, payload raw) and a
 * worker service (nats source -> file sink, profile ecs). Every document the
 * worker writes must be what normalizing the received line directly gives,
 * with the edge's reception time.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, StringCodec } from 'nats';
import { normalizeLine } from '../src/normalize/index.js';
import { toJson } from '../src/serialize.js';
import { loadConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { serveFromYaml as serve } from './helpers/service.js';
import { tempDir, until } from './helpers/ingest.js';
import { natsSkip, startNatsServer, type NatsServer } from './helpers/nats-server.js';
import { endpoint, tcpSend } from './helpers/net.js';

const sc = StringCodec();
const eve = (i: number) =>
  `{"timestamp":"2024-05-01T10:00:00.${String(i).padStart(6, '0')}+0000","event_type":"alert","src_ip":"192.0.2.1","dest_ip":"198.51.100.7","alert":{"signature_id":${2000000 + i},"signature":"ET TEST ${i}","severity":2}}`;
/** No valid timestamp: its @timestamp falls back to the reception time. */
const undated = `{"timestamp":"not a time","event_type":"alert","src_ip":"192.0.2.9","dest_ip":"198.51.100.9","alert":{"signature_id":2999999,"signature":"ET TEST undated","severity":1}}`;
const syslog = (payload: string) => `<134>1 2024-05-01T10:00:00.000000Z sensor-1 suricata 1234 - - ${payload}`;

describe('edge relay (payload raw) -> JetStream -> worker (profile ecs)', { skip: natsSkip() }, () => {
  let server: NatsServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    server = await startNatsServer();
    ({ dir, cleanup } = await tempDir('jizo-nats-relay-'));
  });
  after(async () => {
    await server?.stop();
    await cleanup?.();
  });

  it('gives the documents normalizing each received line gives, with the edge reception time', { timeout: 30_000 }, async (t) => {
    const nc = await connect({ servers: server.url });
    t.after(() => nc.close());
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'RAW', subjects: ['raw.>'] });
    const lines = [...Array.from({ length: 300 }, (_, i) => syslog(eve(i))), syslog(undated), eve(300)];
    const N = lines.length;

    const e = join(dir, 'edge');
    mkdirSync(e, { recursive: true });
    const edge = await serve(
      e,
      `
data_dir: ${e}
admin: false
profile: ecs
sources:
  sensors: { type: syslog, host: 127.0.0.1, port: 0, protocols: [tcp] }
sinks:
  relay: { type: nats, servers: ["${server.url}"], subject: raw.sensors, expect_stream: RAW, payload: raw }
dead_letter: { type: file, path: "${join(e, 'dead.ndjson')}" }
`,
    );
    t.after(() => edge.stop());
    // the startup summary says where the edge publishes, and what
    assert.ok(edge.summary().includes(`sink relay (nats): ${server.url} publish raw lines to raw.sensors, Nats-Msg-Id from event hashes`), edge.summary().join('\n'));
    await tcpSend(endpoint(edge.sources.get('sensors')!, 'tcp').port, lines.map((l) => l + '\n').join(''));
    await until(() => edge.pipeline.stats.finished === N, 10_000, 'edge relayed every event');
    assert.deepEqual(await edge.stop(), { clean: true, unfinished: 0 });
    assert.equal((await jsm.streams.info('RAW')).state.messages, N);

    // what the edge published: the exact lines, with their reception time and origin as headers
    const received = new Map<string, string>();
    const peek = await jsm.consumers.add('RAW', { durable_name: 'peek' });
    const msgs = await (await nc.jetstream().consumers.get('RAW', peek.name)).fetch({ max_messages: N, expires: 2000 });
    for await (const m of msgs) {
      const at = m.headers?.get('Jizo-Received-At') ?? '';
      assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(m.headers?.get('Jizo-Source'), 'sensors');
      assert.match(m.headers?.get('Jizo-Origin') ?? '', /^tcp:\/\/127\.0\.0\.1:\d+$/);
      received.set(sc.decode(m.data), at);
      m.ack();
      if (received.size === N) break;
    }
    assert.deepEqual([...received.keys()].sort(), [...lines].sort(), 'the message bodies are the received lines');

    const w = join(dir, 'worker');
    mkdirSync(w, { recursive: true });
    const out = join(w, 'out.ndjson');
    const worker = await serve(
      w,
      `
data_dir: ${w}
admin: false
profile: ecs
sources:
  bus: { type: nats, servers: ["${server.url}"], stream: RAW, consumer: workers, batch_size: 64 }
sinks:
  out: { type: file, path: "${out}" }
dead_letter: { type: file, path: "${join(w, 'dead.ndjson')}" }
`,
    );
    t.after(() => worker.stop());
    assert.ok(worker.summary().includes(`source bus (nats): ${server.url} stream RAW, consumer workers`), worker.summary().join('\n'));
    assert.ok(worker.summary().includes(`sink out (file): ${out}`), worker.summary().join('\n'));
    await until(() => worker.pipeline.stats.finished === N, 10_000, 'worker wrote every event');
    assert.deepEqual(await worker.stop(), { clean: true, unfinished: 0 });
    assert.equal(worker.pipeline.stats.rejected, 0, 'nothing dead-lettered at the worker');

    const docs = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(docs.length, N);
    const expected = lines.map((l) => {
      const r = normalizeLine(l, { profile: 'ecs', receivedAt: received.get(l)! });
      assert.ok(r.ok);
      return JSON.parse(toJson(r.document, r.lossless)) as Record<string, unknown>;
    });
    const key = (d: Record<string, unknown>) => JSON.stringify(d);
    assert.deepEqual(docs.map(key).sort(), expected.map(key).sort());
    const late = docs.find((d) => JSON.stringify(d).includes('ET TEST undated'))!;
    assert.equal(late['@timestamp'], received.get(syslog(undated)), "no valid timestamp: the edge's reception time");
    const info = await jsm.consumers.info('RAW', 'workers');
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
  });
});

describe('docs/nats.md edge and worker configurations', () => {
  it('are valid serve configurations', async () => {
    const doc = readFileSync(new URL('../../docs/nats.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Edge relays and workers'), doc.indexOf('## Tests and CI'));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.equal(blocks.length, 2);
    const { dir, cleanup } = await tempDir('jizo-nats-doc-');
    try {
      const registry = defaultRegistry();
      const [edge, worker] = await Promise.all(
        blocks.map(async (yaml, i) => {
          const file = join(dir, `c${i}.yaml`);
          writeFileSync(file, yaml);
          return loadConfig(file, registry);
        }),
      );
      assert.equal((edge!.sinks[0]!.config as { payload: string }).payload, 'raw');
      assert.equal(worker!.profile, 'ecs');
    } finally {
      await cleanup();
    }
  });
});
