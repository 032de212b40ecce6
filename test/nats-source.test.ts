import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, headers, StringCodec, type JetStreamManager, type NatsConnection } from 'nats';
import { natsSourceFactory, type NatsSource } from '../src/sources/nats/index.js';
import { tempDir, testDeps, TestIngest, until } from './helpers/ingest.js';
import { natsSkip, startNatsServer, type NatsServer } from './helpers/nats-server.js';

const sc = StringCodec();

describe('nats source (real nats-server)', { skip: natsSkip() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let dataDir: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await nc.jetstreamManager();
    ({ dir: dataDir, cleanup } = await tempDir('jizo-nats-src-'));
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
    await cleanup?.();
  });

  async function stream(name: string, n: number, from = 0): Promise<string[]> {
    await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`] }).catch(() => undefined);
    const js = nc.jetstream();
    const sent: string[] = [];
    for (let i = from; i < from + n; i++) {
      const line = `{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"dns","n":${i}}`;
      await js.publish(`${name.toLowerCase()}.eve`, sc.encode(line));
      sent.push(line);
    }
    return sent;
  }

  function source(config: Record<string, unknown>, name = 'nats') {
    return natsSourceFactory.create(name, natsSourceFactory.schema.parse({ servers: [server.url], ...config }), testDeps(dataDir)) as NatsSource;
  }

  const ackPending = async (s: string, c: string) => (await jsm.consumers.info(s, c)).num_ack_pending;

  it('validates its config', () => {
    const c = natsSourceFactory.schema.parse({ stream: 'EVE' });
    assert.equal(c.consumer, 'jizo-intake');
    assert.equal(c.ack_wait, 30000);
    const bad = natsSourceFactory.schema.safeParse({ stream: 'EVE', ack_wait: 10 });
    assert.deepEqual(bad.error!.issues[0]!.path, ['ack_wait']);
    assert.equal(natsSourceFactory.schema.safeParse({}).success, false);
  });

  it('acknowledges each message only after its submission is durable', async (t) => {
    const sent = await stream('ONE', 50);
    const ingest = new TestIngest(false);
    const src = source({ stream: 'ONE', consumer: 'c1', batch_size: 20 });
    t.after(() => src.stop());
    await src.start(ingest);
    await src.start(ingest);
    await ingest.waitFor(50);
    assert.deepEqual(ingest.lines, sent);
    assert.ok(ingest.submissions.every((s) => s.events.length <= 20));
    assert.deepEqual(ingest.submissions[0]!.origin, { source: 'nats', detail: 'ONE/c1' });
    assert.equal(await ackPending('ONE', 'c1'), 50);
    ingest.submissions[0]!.resolve();
    const first = ingest.submissions[0]!.events.length;
    await until(async () => (await ackPending('ONE', 'c1')) === 50 - first, 10_000, 'first batch acked');
    ingest.resolveAll();
    await until(async () => (await ackPending('ONE', 'c1')) === 0, 10_000, 'all acked');
    const info = await jsm.consumers.info('ONE', 'c1');
    assert.equal(info.num_pending, 0);
    assert.equal(info.num_redelivered, 0);
    assert.deepEqual({ ...src.counters }, { received: 50, sent: 50, rejected: 0, dropped: 0, errors: 0, retried: 0, duplicates: 0 });
    assert.equal(src.health().ok, true);
    await src.stop();
    await src.stop();
  });

  it('hands back messages that were not durable at stop; the next instance gets them again', async (t) => {
    const sent = await stream('TWO', 10);
    const ingest = new TestIngest(false);
    const src = source({ stream: 'TWO', consumer: 'c2', stop_timeout: 50 });
    await src.start(ingest);
    await ingest.waitFor(10);
    ingest.submissions[0]!.resolve(); // only the first submission becomes durable
    const durable = ingest.submissions[0]!.events.map((e) => e.raw);
    await until(async () => (await ackPending('TWO', 'c2')) === 10 - durable.length, 10_000, 'first batch acked');
    await src.stop();
    const again = new TestIngest(true);
    const src2 = source({ stream: 'TWO', consumer: 'c2' });
    t.after(() => src2.stop());
    await src2.start(again);
    await again.waitFor(10 - durable.length);
    await until(async () => (await ackPending('TWO', 'c2')) === 0, 10_000, 'all acked');
    assert.deepEqual([...durable, ...again.lines].sort(), [...sent].sort());
  });

  it('hands back the messages of a failed submission for redelivery', async (t) => {
    const sent = await stream('FAIL', 4);
    const ingest = new TestIngest(false);
    const src = source({ stream: 'FAIL', consumer: 'f' });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(4);
    for (const s of ingest.submissions) s.reject(new Error('sink exploded'));
    await ingest.waitFor(8);
    ingest.resolveAll();
    await until(async () => (await ackPending('FAIL', 'f')) === 0, 10_000, 'all acked');
    assert.deepEqual(ingest.lines.slice(4).sort(), [...sent].sort());
    assert.ok(src.counters.errors >= 1);
  });

  it('shares one durable consumer between instances: every message once', async (t) => {
    const sent = await stream('SHARE', 300);
    const a = new TestIngest(true);
    const b = new TestIngest(true);
    const sa = source({ stream: 'SHARE', consumer: 'shared', batch_size: 10 }, 'a');
    const sb = source({ stream: 'SHARE', consumer: 'shared', batch_size: 10 }, 'b');
    t.after(() => Promise.all([sa.stop(), sb.stop()]));
    await Promise.all([sa.start(a), sb.start(b)]);
    await until(() => a.events.length + b.events.length >= 300, 5000, '300 events');
    await until(async () => (await ackPending('SHARE', 'shared')) === 0, 10_000, 'all acked');
    await new Promise((r) => setTimeout(r, 100));
    const got = [...a.lines, ...b.lines];
    assert.equal(got.length, 300);
    assert.deepEqual(got.sort(), [...sent].sort());
  });

  it('keeps slow submissions alive past ack-wait (no redelivery while waiting)', async (t) => {
    await stream('SLOW', 5);
    const ingest = new TestIngest(false);
    const src = source({ stream: 'SLOW', consumer: 'slow', ack_wait: 1000 });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(5);
    await new Promise((r) => setTimeout(r, 2500)); // 2.5 ack-waits
    assert.equal(ingest.events.length, 5, 'nothing redelivered');
    assert.equal((await jsm.consumers.info('SLOW', 'slow')).num_redelivered, 0);
    ingest.resolveAll();
    await until(async () => (await ackPending('SLOW', 'slow')) === 0, 10_000, 'all acked');
  });

  it('without in-progress signals, a message not acked within ack-wait is redelivered (what ack-wait means)', async () => {
    await stream('RAW', 1);
    await jsm.consumers.add('RAW', { durable_name: 'raw', ack_policy: 'explicit' as never, ack_wait: 1_000_000_000 });
    const js = nc.jetstream();
    const c = await js.consumers.get('RAW', 'raw');
    const m1 = await c.next({ expires: 2000 });
    assert.ok(m1);
    const m2 = await c.next({ expires: 4000 });
    assert.ok(m2, 'redelivered after ack-wait');
    assert.equal(m2.info.redeliveryCount, 2);
    m2.ack();
  });

  it('refuses an existing consumer whose ack policy is not explicit, and consumes nothing', async (t) => {
    await stream('NOACK', 5);
    for (const policy of ['none', 'all']) {
      const name = `ack-${policy}`;
      await jsm.consumers.add('NOACK', { durable_name: name, ack_policy: policy as never });
      const ingest = new TestIngest(true);
      const src = source({ stream: 'NOACK', consumer: name });
      t.after(() => src.stop());
      await src.start(ingest);
      await until(() => src.health().ok === false, 5000, 'refused');
      const detail = src.health().detail!;
      assert.match(detail, new RegExp(`consumer "${name}" of stream "NOACK" has ack policy "${policy}": refused`));
      assert.match(detail, /ack policy "explicit"/);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(ingest.submissions.length, 0);
      const info = await jsm.consumers.info('NOACK', name);
      assert.equal(info.delivered.stream_seq, 0, 'nothing delivered to the refused consumer');
      assert.equal(info.config.ack_policy, policy, 'the consumer is left as it is');
      await src.stop();
    }
  });

  it('uses an existing consumer as it is, reporting an ack_wait and max_ack_pending other than configured', async (t) => {
    const sent = await stream('DIFF', 10);
    await jsm.consumers.add('DIFF', { durable_name: 'd', ack_policy: 'explicit' as never, ack_wait: 5_000_000_000, max_ack_pending: 77 });
    const ingest = new TestIngest(true);
    const src = source({ stream: 'DIFF', consumer: 'd', ack_wait: '30s', max_ack_pending: 100 });
    t.after(() => src.stop());
    await src.start(ingest);
    await ingest.waitFor(10);
    assert.deepEqual(ingest.lines, sent);
    const h = src.health();
    assert.equal(h.ok, true);
    assert.equal(h.detail, 'consuming DIFF/d (existing consumer used as it is: ack_wait 5000ms, configured 30000ms; max_ack_pending 77, configured 100)');
    const info = await jsm.consumers.info('DIFF', 'd');
    assert.equal(info.config.ack_wait, 5_000_000_000);
    assert.equal(info.config.max_ack_pending, 77);
    await src.stop();

    // the same settings as configured: nothing to report
    const same = source({ stream: 'DIFF', consumer: 'd', ack_wait: '5s', max_ack_pending: 77 });
    t.after(() => same.stop());
    await same.start(new TestIngest(true));
    await until(() => same.health().detail !== 'connecting', 5000, 'consuming');
    assert.equal(same.health().detail, 'consuming DIFF/d');
  });

  it('takes the reception time, source name and origin of a relayed message from its headers', async (t) => {
    await jsm.streams.add({ name: 'HDR', subjects: ['hdr.>'] });
    const js = nc.jetstream();
    const relayed = (line: string, at: string, origin: string) => {
      const h = headers();
      h.set('Jizo-Received-At', at);
      h.set('Jizo-Source', 'sensors');
      h.set('Jizo-Origin', origin);
      return js.publish('hdr.eve', sc.encode(line), { headers: h });
    };
    await relayed('a', '2024-05-01T10:00:00.123Z', 'tcp://192.0.2.10:5000');
    await js.publish('hdr.eve', sc.encode('b'));
    await relayed('c', '2024-05-01T10:00:01.000Z', 'tcp://192.0.2.11:5000');
    await relayed('d', 'yesterday', 'tcp://192.0.2.10:5000');
    const ingest = new TestIngest(true);
    const src = source({ stream: 'HDR', consumer: 'h', batch_size: 10 });
    t.after(() => src.stop());
    const before = new Date().toISOString();
    await src.start(ingest);
    await ingest.waitFor(4);
    const got = ingest.submissions.flatMap((s) => s.events.map((e) => ({ line: e.raw, at: e.receivedAt, origin: s.origin })));
    got.sort((x, y) => x.line.localeCompare(y.line));
    assert.deepEqual(got.map((g) => [g.line, g.origin]), [
      ['a', { source: 'sensors', detail: 'tcp://192.0.2.10:5000 via HDR/h' }],
      ['b', { source: 'nats', detail: 'HDR/h' }],
      ['c', { source: 'sensors', detail: 'tcp://192.0.2.11:5000 via HDR/h' }],
      ['d', { source: 'sensors', detail: 'tcp://192.0.2.10:5000 via HDR/h' }],
    ]);
    assert.equal(got[0]!.at, '2024-05-01T10:00:00.123Z');
    assert.equal(got[2]!.at, '2024-05-01T10:00:01.000Z');
    assert.ok(got[1]!.at >= before, 'no header: the time the source received it');
    assert.ok(got[3]!.at >= before, 'a header that is not an RFC 3339 UTC time is ignored');
    await until(async () => (await ackPending('HDR', 'h')) === 0, 10_000, 'all acked');
  });
});
