import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, StringCodec, type JetStreamManager, type NatsConnection } from 'nats';
import type { OutputEvent } from '../src/component/types.js';
import { natsSinkFactory, type NatsSink } from '../src/sinks/nats/index.js';
import { natsSourceFactory } from '../src/sources/nats/index.js';
import { tempDir, testDeps, TestIngest } from './helpers/ingest.js';
import { natsSkip, startNatsServer, type NatsServer } from './helpers/nats-server.js';

const sc = StringCodec();

function events(n: number, tag = 'x'): OutputEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: '2024-01-01T00:00:00.000001Z',
    json: `{"@timestamp":"2024-01-01T00:00:00.000001Z","tag":"${tag}","n":${i},"flow_id":1234567890123456789}`,
  }));
}

describe('nats sink (real nats-server)', { skip: natsSkip() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let dataDir: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await nc.jetstreamManager();
    ({ dir: dataDir, cleanup } = await tempDir('jizo-nats-sink-'));
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
    await cleanup?.();
  });

  function sink(config: Record<string, unknown>) {
    const parsed = natsSinkFactory.schema.parse({ servers: [server.url], retry: { initial: 10, max: 100 }, ...config });
    return natsSinkFactory.create('nats-out', parsed, testDeps(dataDir)) as NatsSink;
  }

  async function stored(stream: string): Promise<string[]> {
    const info = await jsm.streams.info(stream);
    const out: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      out.push(sc.decode((await jsm.streams.getMessage(stream, { seq })).data));
    }
    return out;
  }

  it('source and sink stop promptly while the server cannot be reached', async () => {
    const down = { servers: ['nats://127.0.0.1:1'] };
    const s = natsSinkFactory.create('down', natsSinkFactory.schema.parse({ ...down, subject: 'x' }), testDeps(dataDir));
    await s.start();
    const writing = s.write(events(1)).then(
      () => undefined,
      (e: Error) => e,
    );
    const src = natsSourceFactory.create('down', natsSourceFactory.schema.parse({ ...down, stream: 'X' }), testDeps(dataDir));
    await src.start(new TestIngest(true));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.health().ok, false);
    assert.match(s.health().detail ?? '', /cannot connect/);
    assert.match(src.health().detail ?? '', /cannot connect/);
    const t0 = Date.now();
    await Promise.all([s.stop(), src.stop()]);
    assert.ok(Date.now() - t0 < 1000, 'stopped within a second');
    assert.match(String(await writing), /stopping/);
  });

  it('validates its config', () => {
    const c = natsSinkFactory.schema.parse({ subject: 'jizo.ecs' });
    assert.equal(c.ack_timeout, 10000);
    assert.deepEqual(c.servers, ['nats://127.0.0.1:4222']);
    const bad = natsSinkFactory.schema.safeParse({ subject: 'a', retry: { max: 0 } });
    assert.deepEqual(bad.error!.issues[0]!.path, ['retry', 'max']);
  });

  it('publishes every event and resolves only once the stream acknowledged them all', async () => {
    await jsm.streams.add({ name: 'OUT', subjects: ['jizo.ecs'] });
    const s = sink({ subject: 'jizo.ecs', expect_stream: 'OUT', max_in_flight: 64 });
    await s.start();
    await s.start();
    const batch = events(300);
    const r = await s.write(batch);
    assert.deepEqual(r.refused, []);
    // resolved => already stored: no waiting here
    assert.deepEqual(await stored('OUT'), batch.map((e) => e.json));
    assert.deepEqual({ ...s.counters }, { received: 300, sent: 300, rejected: 0, dropped: 0, errors: 0, retried: 0, duplicates: 0 });
    assert.equal(s.health().ok, true);
    await s.stop();
    await s.stop();
    await assert.rejects(s.write(events(1)), /not running/);
  });

  it('publishes each event under its id (Nats-Msg-Id): a redelivered batch is dropped by the duplicate window and counted', async () => {
    await jsm.streams.add({ name: 'IDS', subjects: ['ids.ecs'] });
    const s = sink({ subject: 'ids.ecs' });
    await s.start();
    assert.equal(s.wantsIds, true);
    const batch = events(50).map((e, i) => ({ ...e, id: `id-${i}` }));
    assert.deepEqual((await s.write(batch)).refused, []);
    // the same events again (a crash before the source's checkpoint) and one new one
    const again = [...batch, { json: '{"n":"new"}', timestamp: undefined, id: 'id-new' }];
    assert.deepEqual((await s.write(again)).refused, []);
    assert.deepEqual(await stored('IDS'), [...batch.map((e) => e.json), '{"n":"new"}']);
    assert.equal(s.counters.sent, 51);
    assert.equal(s.counters.duplicates, 50);
    const msg = await jsm.streams.getMessage('IDS', { seq: 1 });
    assert.equal(msg.header.get('Nats-Msg-Id'), 'id-0');
    await s.stop();
  });

  it('with id: none, publishes without an id: a redelivery is stored again', async () => {
    await jsm.streams.add({ name: 'NOIDS', subjects: ['noids.ecs'] });
    const s = sink({ subject: 'noids.ecs', id: 'none' });
    await s.start();
    assert.equal(s.wantsIds, false);
    const batch = events(5).map((e, i) => ({ ...e, id: `id-${i}` }));
    await s.write(batch);
    await s.write(batch);
    assert.equal((await stored('NOIDS')).length, 10);
    await s.stop();
  });

  it('retries while no stream captures the subject, then delivers once it exists', async () => {
    const s = sink({ subject: 'late.ecs', ack_timeout: 500 });
    await s.start();
    const writing = s.write(events(20, 'late'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.health().ok, false);
    assert.ok(s.counters.retried >= 20);
    await jsm.streams.add({ name: 'LATE', subjects: ['late.ecs'] });
    assert.deepEqual((await writing).refused, []);
    assert.deepEqual((await stored('LATE')).sort(), events(20, 'late').map((e) => e.json).sort());
    assert.equal(s.health().ok, true);
    await s.stop();
  });

  it('a stream deleted in the middle of a batch: the unacknowledged events are retried and delivered once it is back', async () => {
    await jsm.streams.add({ name: 'GONE', subjects: ['gone.ecs'] });
    const s = sink({ subject: 'gone.ecs', ack_timeout: 500, max_in_flight: 200 });
    await s.start();
    const batch = events(20_000, 'gone').map((e, i) => ({ ...e, id: `gone-${i}` }));
    const writing = s.write(batch);
    while ((await jsm.streams.info('GONE')).state.messages < 1000) await new Promise((r) => setTimeout(r, 1));
    await jsm.streams.delete('GONE');
    while (s.counters.retried === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(s.health().ok, false);
    // the first round has settled (a retry is due): no acknowledgement from the old stream is still coming
    const sentAtRecreate = s.counters.sent;
    await jsm.streams.add({ name: 'GONE', subjects: ['gone.ecs'] });
    assert.deepEqual((await writing).refused, []);
    // every event was acknowledged once: before the deletion (gone with the stream) or by the new stream
    assert.equal(s.counters.sent + s.counters.duplicates, batch.length);
    const again = await stored('GONE');
    assert.equal(new Set(again).size, again.length, 'no event stored twice');
    assert.equal(again.length, batch.length - sentAtRecreate, 'the new stream holds exactly what the old one had not acknowledged');
    assert.equal(s.health().ok, true);
    await s.stop();
  });

  it('a server killed and restarted in the middle of a batch: every event is stored exactly once', { timeout: 60_000 }, async () => {
    await jsm.streams.add({ name: 'CRASH', subjects: ['crash.ecs'] });
    const s = sink({ subject: 'crash.ecs', ack_timeout: 1000 });
    await s.start();
    const batch = events(100_000, 'crash').map((e, i) => ({ ...e, id: `crash-${i}` }));
    const writing = s.write(batch);
    while ((await jsm.streams.info('CRASH')).state.messages < 5_000) await new Promise((r) => setTimeout(r, 1));
    await server.restart();
    assert.deepEqual((await writing).refused, []);
    assert.ok(s.counters.retried > 0, 'some publishes were not acknowledged and were sent again');
    await nc.flush().catch(() => undefined);
    const fresh = await connect({ servers: server.url });
    const m = await fresh.jetstreamManager();
    const info = await m.streams.info('CRASH');
    assert.equal(info.state.messages, batch.length);
    assert.equal(s.counters.sent + s.counters.duplicates, batch.length);
    await m.streams.delete('CRASH');
    await fresh.close();
    await s.stop();
  });

  it('refuses an event larger than the stream accepts, and delivers the others', async () => {
    await jsm.streams.add({ name: 'SMALL', subjects: ['small.ecs'], max_msg_size: 4096 });
    const s = sink({ subject: 'small.ecs' });
    await s.start();
    const batch = events(5, 'small');
    batch.splice(2, 0, { timestamp: '2024-01-01T00:00:00Z', json: `{"big":"${'z'.repeat(10000)}"}` });
    const r = await s.write(batch);
    assert.equal(r.refused.length, 1);
    assert.equal(r.refused[0]!.index, 2);
    assert.equal(r.refused[0]!.reason, 'message_too_large');
    assert.equal((await stored('SMALL')).length, 5);
    assert.equal(s.counters.sent + s.counters.rejected, s.counters.received);
    await s.stop();
  });

  it('gives the batch back after max_attempts, and at once when stopped', async () => {
    const s = sink({ subject: 'nowhere.ecs', ack_timeout: 200, retry: { initial: 5, max: 10, max_attempts: 2 } });
    await s.start();
    await assert.rejects(s.write(events(3)), /not acknowledged after 2 attempts/);
    const s2 = sink({ subject: 'nowhere.ecs', ack_timeout: 200, retry: { initial: 60000, max: 60000 } });
    await s2.start();
    const pending = s2.write(events(1)).then(
      () => undefined,
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 400));
    await s2.stop();
    assert.match(String(await pending), /stopping/);
    await s.stop();
  });
});

describe('without nats-server', () => {
  it('the NATS tests are skipped with the install command, unless JIZO_REQUIRE_SERVICES=1 requires the server', () => {
    const missing = '/nonexistent/nats-server';
    assert.match(String(natsSkip(missing, {})), /^\/nonexistent\/nats-server not found: the NATS tests are skipped \(install it with: apt-get update && apt-get install -y nats-server; JIZO_REQUIRE_SERVICES=1 makes this a failure\)$/);
    assert.equal(natsSkip(missing, { JIZO_REQUIRE_SERVICES: '1' }), false);
  });

  it('starting the test server fails with the install command when the binary is missing', async () => {
    await assert.rejects(startNatsServer('/nonexistent/nats-server'), /apt-get update && apt-get install -y nats-server/);
  });
});

describe('nats startup lines (no server needed)', () => {
  it('source and sink name their servers (without credentials) and what they read or publish', async () => {
    const { dir, cleanup } = await tempDir('jizo-nats-endpoints-');
    try {
      const servers = ['nats://user:secret@192.0.2.1:4222', 'nats://192.0.2.2:4222'];
      const sink = natsSinkFactory.create('out', natsSinkFactory.schema.parse({ servers, subject: 'jizo.events', id: 'hash' }), testDeps(dir));
      assert.deepEqual(sink.endpoints?.(), [
        'nats://***@192.0.2.1:4222 publish to jizo.events, Nats-Msg-Id from event hashes',
        'nats://192.0.2.2:4222 publish to jizo.events, Nats-Msg-Id from event hashes',
      ]);
      const source = natsSourceFactory.create(
        'in',
        natsSourceFactory.schema.parse({ servers: servers.slice(1), stream: 'EVE', filter_subject: 'eve.>' }),
        testDeps(dir),
      );
      assert.deepEqual(source.endpoints?.(), ['nats://192.0.2.2:4222 stream EVE, consumer jizo-intake, subjects eve.>']);
    } finally {
      await cleanup();
    }
  });
});
