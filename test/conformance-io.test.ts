import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, StringCodec, type JetStreamManager, type NatsConnection } from 'nats';
import type { OutputEvent } from '../src/pipeline/types.js';
import { elasticsearchSinkFactory, opensearchSinkFactory } from '../src/sinks/elasticsearch/index.js';
import { natsSinkFactory } from '../src/sinks/nats/index.js';
import { natsSourceFactory } from '../src/sources/nats/index.js';
import { checkSinkContract, checkSourceContract } from './helpers/contract.js';
import { FakeBulk } from './helpers/fake-bulk.js';
import { checkpointOffsets, eveLines, makeFileSource } from './helpers/file-source.js';
import { tempDir, testDeps } from './helpers/ingest.js';
import { startNatsServer, type NatsServer } from './helpers/nats-server.js';

const sc = StringCodec();
const batch: OutputEvent[] = Array.from({ length: 25 }, (_, i) => ({
  document: { '@timestamp': `2024-05-0${1 + (i % 3)}T10:00:00.000000123Z` },
  json: `{"@timestamp":"2024-05-0${1 + (i % 3)}T10:00:00.000000123Z","n":${i}}`,
}));

describe('component contract', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  before(async () => {
    ({ dir, cleanup } = await tempDir('jizo-contract-'));
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await nc.jetstreamManager();
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
    await cleanup();
  });

  it('file source', async () => {
    const file = join(dir, 'logs', 'eve.json');
    await mkdir(join(dir, 'logs'), { recursive: true });
    await writeFile(file, '');
    let fed = 0;
    let size = 0;
    /** checkpoint offset -> lines before it, at each feed boundary */
    const marks = new Map<number, number>([[0, 0]]);
    await checkSourceContract(() => makeFileSource(join(dir, 'state'), { paths: [join(dir, 'logs', '*.json')] }), 'file', {
      async feed(n) {
        const text = eveLines(n, fed).map((l) => l + '\n').join('');
        fed += n;
        size += Buffer.byteLength(text);
        marks.set(size, fed);
        await appendFile(file, text);
      },
      async forgotten() {
        return marks.get((await checkpointOffsets(join(dir, 'state')))[file] ?? 0) ?? -1;
      },
    });
  });

  it('nats source', async () => {
    await jsm.streams.add({ name: 'CONTRACT', subjects: ['contract.>'] });
    const js = nc.jetstream();
    await checkSourceContract(
      () => natsSourceFactory.create('nats', natsSourceFactory.schema.parse({ servers: [server.url], stream: 'CONTRACT', consumer: 'k' }), testDeps(dir)),
      'nats',
      {
        async feed(n) {
          for (let i = 0; i < n; i++) await js.publish('contract.eve', sc.encode(`{"event_type":"flow","n":${i}}`));
        },
        async forgotten() {
          const info = await jsm.consumers.info('CONTRACT', 'k').catch(() => undefined);
          return info ? info.ack_floor.stream_seq : 0;
        },
      },
    );
  });

  it('nats sink', async () => {
    await jsm.streams.add({ name: 'CSINK', subjects: ['csink'] });
    await checkSinkContract(
      () => natsSinkFactory.create('out', natsSinkFactory.schema.parse({ servers: [server.url], subject: 'csink' }), testDeps(dir)),
      'nats',
      { stored: async () => (await jsm.streams.info('CSINK')).state.messages },
      batch,
    );
  });

  for (const factory of [elasticsearchSinkFactory, opensearchSinkFactory]) {
    it(`${factory.type} sink`, async () => {
      const fake = await new FakeBulk().start();
      try {
        await checkSinkContract(
          () => factory.create('es', factory.schema.parse({ nodes: [fake.url] }), testDeps(dir)),
          factory.type,
          { stored: async () => fake.all.length },
          batch,
        );
      } finally {
        await fake.stop();
      }
    });
  }
});
