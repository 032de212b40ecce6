/**
 * The file and NATS sources and the NATS, Elasticsearch and OpenSearch sinks
 * through the shared conformance tests: a real `nats-server` on loopback and
 * the in-process fake of `_bulk` (test/helpers/fake-bulk.ts, not Elasticsearch).
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { connect, StringCodec, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import type { Source } from '../src/component/types.js';
import { elasticsearchSinkFactory, opensearchSinkFactory, type ElasticsearchSinkConfig } from '../src/sinks/elasticsearch/index.js';
import { natsSinkFactory, type NatsSinkConfig } from '../src/sinks/nats/index.js';
import { fileSourceFactory, type FileSourceConfig } from '../src/sources/file/index.js';
import { natsSourceFactory, type NatsSourceConfig } from '../src/sources/nats/index.js';
import { sinkConformance, sourceConformance } from './helpers/conformance.js';
import { FakeBulk } from './helpers/fake-bulk.js';
import { checkpointOffsets } from './helpers/file-source.js';
import { until } from './helpers/ingest.js';
import { natsSkip, startNatsServer, type NatsServer } from './helpers/nats-server.js';

const sc = StringCodec();
let server: NatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;
let js: JetStreamClient;
let fake: FakeBulk;

// Without nats-server only the NATS suites are skipped: the file and
// Elasticsearch suites share this hook and still run.
const skipNats = natsSkip();
before(async () => {
  fake = await new FakeBulk().start();
  if (skipNats) return;
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await nc.jetstreamManager();
  js = nc.jetstream();
  await jsm.streams.add({ name: 'CONF', subjects: ['conf.>'] });
  await jsm.streams.add({ name: 'CSINK', subjects: ['csink.>'] });
});
after(async () => {
  await nc?.close();
  await server?.stop();
  await fake?.stop();
});

const text = (lines: string[]) => lines.map((l) => l + '\n').join('');

// Each instance tails its own file under its own data directory.
const tailed = new Map<Source, { file: string; dataDir: string }>();
sourceConformance('file', {
  factory: fileSourceFactory,
  config: { paths: ['set-per-instance'], poll_interval: '20ms', checkpoint_min_interval: 0 },
  acknowledges: true,
  create(name, config, deps) {
    const file = join(deps.dataDir, 'eve.json');
    const s = fileSourceFactory.create(name, { ...(config as FileSourceConfig), paths: [file] }, deps);
    tailed.set(s, { file, dataDir: deps.dataDir });
    return s;
  },
  async feed(s, lines) {
    await appendFile(tailed.get(s)!.file, text(lines));
  },
  // acknowledged = the checkpoint on disk covers every byte appended
  async send(s, lines) {
    const { file, dataDir } = tailed.get(s)!;
    await appendFile(file, text(lines));
    const size = Buffer.byteLength(text(lines));
    await until(async () => (await checkpointOffsets(dataDir, s.name))[file] === size, 5000, 'the checkpoint');
  },
});

// Each instance consumes its own subject of one stream with its own durable consumer.
let natsInstances = 0;
const consumers = new Map<Source, string>();
sourceConformance('nats', {
  skip: skipNats,
  factory: natsSourceFactory,
  get config() {
    return { servers: [server.url], stream: 'CONF', consumer: 'placeholder' };
  },
  acknowledges: true,
  create(name, config, deps) {
    const k = `c${++natsInstances}`;
    const s = natsSourceFactory.create(name, { ...(config as NatsSourceConfig), consumer: k, filter_subject: `conf.${k}` }, deps);
    consumers.set(s, k);
    return s;
  },
  async feed(s, lines) {
    for (const l of lines) await js.publish(`conf.${consumers.get(s)!}`, sc.encode(l));
  },
  // acknowledged = the server holds no pending or unacknowledged message for the consumer
  async send(s, lines) {
    const k = consumers.get(s)!;
    let last = 0;
    for (const l of lines) last = (await js.publish(`conf.${k}`, sc.encode(l))).seq;
    await until(
      async () => {
        const info = await jsm.consumers.info('CONF', k).catch(() => undefined);
        return info !== undefined && info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= last;
      },
      5000,
      'the acknowledgements',
    );
  },
});

// Each sink instance publishes to its own subject; read back in stream order.
let sinkInstances = 0;
const subjects = new Map<object, string>();
sinkConformance('nats', {
  skip: skipNats,
  factory: natsSinkFactory,
  get config() {
    return { servers: [server.url], subject: 'placeholder', expect_stream: 'CSINK' };
  },
  create(name, config, deps) {
    const subject = `csink.${++sinkInstances}`;
    const s = natsSinkFactory.create(name, { ...(config as NatsSinkConfig), subject }, deps);
    subjects.set(s, subject);
    return s;
  },
  async readBack(s) {
    const subject = subjects.get(s)!;
    const out: string[] = [];
    const last = (await jsm.streams.info('CSINK')).state.last_seq;
    for (let seq = 1; seq <= last; seq++) {
      const m = await jsm.streams.getMessage('CSINK', { seq }).catch(() => undefined);
      if (m?.subject === subject) out.push(sc.decode(m.data));
    }
    return out;
  },
});

// Each sink instance writes to its own index of the fake.
for (const factory of [elasticsearchSinkFactory, opensearchSinkFactory]) {
  let n = 0;
  const indices = new Map<object, string>();
  sinkConformance(`${factory.type} (fake _bulk)`, {
    factory,
    get config() {
      return { nodes: [fake.url], index: 'placeholder', retry: { initial: '5ms', max: '20ms' } };
    },
    create(name, config, deps) {
      const index = `${factory.type}-${++n}`;
      const s = factory.create(name, { ...(config as ElasticsearchSinkConfig), index }, deps);
      indices.set(s, index);
      return s;
    },
    readBack: async (s) => [...(fake.docs.get(indices.get(s)!) ?? [])],
  });
}
