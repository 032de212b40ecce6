/**
 * End to end through `serve` with a configuration file (loaded by the same
 * code as `jizo-intake serve --config`): the file, Elasticsearch and NATS
 * components wired by the registry, on loopback.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, StringCodec } from 'nats';
import { serveFromYaml as serve } from './helpers/service.js';
import { FakeBulk } from './helpers/fake-bulk.js';
import { tempDir, until } from './helpers/ingest.js';
import { natsSkip, startNatsServer, type NatsServer } from './helpers/nats-server.js';
import { endpoint, tcpSend } from './helpers/net.js';

const eve = (i: number, extra = '') =>
  `{"timestamp":"2024-05-01T10:00:00.${String(i).padStart(6, '0')}+0000","event_type":"alert","src_ip":"192.0.2.1","dest_ip":"198.51.100.7","alert":{"signature_id":${2000000 + i},"signature":"ET TEST ${i}${extra}","severity":2}}`;
const syslog = (i: number, extra = '') => `<134>1 2024-05-01T10:00:00.000000Z sensor-1 suricata 1234 - - ${eve(i, extra)}\n`;
const numbers = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Number(/ET TEST (\d+)/.exec(l)![1]));
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('serve end to end with the file, elasticsearch and nats components', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('jizo-e2e-io-')));
  after(() => cleanup());

  it('tails a file into the file sink and resumes from its checkpoint after a restart', { timeout: 15_000 }, async () => {
    const d = join(dir, 'tail');
    const eveFile = join(d, 'eve.json');
    const out = join(d, 'out.ndjson');
    mkdirSync(d, { recursive: true });
    writeFileSync(eveFile, range(0, 2000).map((i) => eve(i) + '\n').join(''));
    const yaml = `
data_dir: ${d}
admin: false
sources:
  tail: { type: file, paths: ["${eveFile}"], poll_interval: 50ms, checkpoint_min_interval: 0s }
sinks:
  out: { type: file, path: "${out}", fsync: always }
dead_letter: { type: file, path: "${join(d, 'dead.ndjson')}" }
`;
    let service = await serve(d, yaml);
    assert.ok(service.summary().includes(`source tail (file): ${eveFile}`), service.summary().join('\n'));
    await until(() => service.pipeline.stats.finished === 2000, 10_000, 'the first 2000 lines');
    // more lines arrive while the service runs, then it stops
    appendFileSync(eveFile, range(2000, 500).map((i) => eve(i) + '\n').join(''));
    await until(() => service.pipeline.stats.finished >= 2100, 5_000, 'some appended lines');
    assert.deepEqual(await service.stop(), { clean: true, unfinished: 0 });
    const firstRun = service.pipeline.stats.finished;
    // lines written while it is down are read after the restart, from the checkpoint
    appendFileSync(eveFile, range(2500, 500).map((i) => eve(i) + '\n').join(''));
    service = await serve(d, yaml);
    await until(() => numbers(readFileSync(out, 'utf8')).length >= 3000, 10_000, 'every line in the output');
    assert.deepEqual(await service.stop(), { clean: true, unfinished: 0 });
    assert.equal(service.pipeline.stats.finished, 3000 - firstRun, 'the second run reads only what the first did not deliver');
    assert.deepEqual(numbers(readFileSync(out, 'utf8')), range(0, 3000), 'every line once, in order');
  });

  it('stops without waiting for a batch timer: the last tailed lines are delivered and checkpointed', { timeout: 15_000 }, async () => {
    const d = join(dir, 'stop');
    mkdirSync(d, { recursive: true });
    const eveFile = join(d, 'eve.json');
    const out = join(d, 'out.ndjson');
    writeFileSync(eveFile, range(0, 10).map((i) => eve(i) + '\n').join(''));
    // a batch that is not full would wait an hour; stop must not wait for it
    const service = await serve(
      d,
      `
data_dir: ${d}
admin: false
pipeline: { batch_max_wait: 1h }
sources:
  tail: { type: file, paths: ["${eveFile}"], poll_interval: 20ms }
sinks:
  out: { type: file, path: "${out}" }
dead_letter: { type: file, path: "${join(d, 'dead.ndjson')}" }
`,
    );
    await until(() => service.pipeline.stats.received === 10, 5_000, 'the lines to be read');
    const started = Date.now();
    assert.deepEqual(await service.stop(), { clean: true, unfinished: 0 });
    assert.ok(Date.now() - started < 3000, `stopped in ${Date.now() - started} ms (the file source's stop_timeout is 10 s)`);
    assert.deepEqual(numbers(readFileSync(out, 'utf8')), range(0, 10));
    const cp = JSON.parse(readFileSync(join(d, 'checkpoints', 'file-tail.json'), 'utf8')) as { files: { offset: number }[] };
    assert.equal(cp.files[0]!.offset, readFileSync(eveFile).length, 'checkpoint covers every delivered line');
  });

  it('syslog TCP into elasticsearch: item-level 429s retried, a mapping error dead-lettered with its reason', { timeout: 15_000 }, async (t) => {
    const d = join(dir, 'es');
    mkdirSync(d, { recursive: true });
    const fake = await new FakeBulk().start();
    t.after(() => fake.stop());
    fake.switches.itemFailEvery = 7;
    fake.switches.itemFailStatus = 429;
    fake.switches.mappingErrorMarker = 'MAPPING-BREAKER';
    const dead = join(d, 'dead.ndjson');
    const service = await serve(
      d,
      `
data_dir: ${d}
admin: false
sources:
  syslog: { type: syslog, host: 127.0.0.1, port: 0, protocols: [tcp] }
sinks:
  es: { type: elasticsearch, nodes: ["${fake.url}"], index: "jizo-%{+yyyy.MM.dd}", max_batch_events: 50, retry: { initial: 5ms, max: 20ms } }
dead_letter: { type: file, path: "${dead}" }
`,
    );
    t.after(() => service.stop());
    const port = endpoint(service.sources.get('syslog')!, 'tcp').port;
    await tcpSend(port, range(0, 300).map((i) => syslog(i, i === 123 ? ' MAPPING-BREAKER' : '')).join(''));
    await until(() => service.pipeline.stats.finished === 300, 10_000, 'every event delivered or dead-lettered');
    assert.deepEqual(await service.stop(), { clean: true, unfinished: 0 });

    const docs = fake.docs.get('jizo-2024.05.01') ?? [];
    assert.deepEqual(numbers(docs.join('\n')).sort((a, b) => a - b), range(0, 300).filter((i) => i !== 123), 'each accepted event indexed once');
    const es = service.sinks.get('es')!;
    assert.ok(es.counters.retried > 0, 'item-level 429s were retried');
    assert.equal(es.counters.rejected, 1);
    const letters = readFileSync(dead, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(letters.length, 1);
    assert.equal(letters[0]!.kind, 'refused');
    assert.equal(letters[0]!.sink, 'es');
    assert.equal(letters[0]!.source, 'syslog');
    assert.equal(letters[0]!.reason, 'document_parsing_exception');
    assert.match(letters[0]!.error, /failed to parse field \[source\.port\]/);
    assert.match(letters[0]!.raw, /ET TEST 123 MAPPING-BREAKER/);
  });

  describe('with a real nats-server', { skip: natsSkip() }, () => {
    let server: NatsServer;
    before(async () => (server = await startNatsServer()));
    after(() => server?.stop());

    it('nats source and syslog into the file sink and the nats sink', { timeout: 15_000 }, async (t) => {
      const d = join(dir, 'nats');
      mkdirSync(d, { recursive: true });
      const sc = StringCodec();
      const nc = await connect({ servers: server.url });
      t.after(() => nc.close());
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'IN', subjects: ['in.>'] });
      await jsm.streams.add({ name: 'OUT', subjects: ['out.>'] });
      const js = nc.jetstream();
      for (const i of range(0, 200)) await js.publish('in.eve', sc.encode(eve(i)));
      const out = join(d, 'out.ndjson');
      const service = await serve(
        d,
        `
data_dir: ${d}
admin: false
sources:
  bus: { type: nats, servers: ["${server.url}"], stream: IN, consumer: e2e, batch_size: 50 }
  syslog: { type: syslog, host: 127.0.0.1, port: 0, protocols: [tcp] }
sinks:
  file: { type: file, path: "${out}" }
  bus_out: { type: nats, servers: ["${server.url}"], subject: out.ecs, expect_stream: OUT, ack_timeout: 5s }
dead_letter: { type: file, path: "${join(d, 'dead.ndjson')}" }
`,
      );
      t.after(() => service.stop());
      const port = endpoint(service.sources.get('syslog')!, 'tcp').port;
      await tcpSend(port, range(200, 100).map((i) => syslog(i)).join(''));
      await until(() => service.pipeline.stats.finished === 300, 10_000, 'every event delivered');
      assert.deepEqual(await service.stop(), { clean: true, unfinished: 0 });

      assert.deepEqual(numbers(readFileSync(out, 'utf8')).sort((a, b) => a - b), range(0, 300));
      assert.equal((await jsm.streams.info('OUT')).state.messages, 300);
      const published: number[] = [];
      const consumer = await js.consumers.get('OUT');
      const batch = await consumer.fetch({ max_messages: 300, expires: 2000 });
      for await (const m of batch) {
        published.push(Number(/ET TEST (\d+)/.exec(sc.decode(m.data))![1]));
        if (published.length === 300) break;
      }
      assert.deepEqual(published.sort((a, b) => a - b), range(0, 300));
      const info = await jsm.consumers.info('IN', 'e2e');
      assert.equal(info.num_ack_pending, 0, 'every consumed message acknowledged');
      assert.equal(info.num_pending, 0);
    });
  });
});

