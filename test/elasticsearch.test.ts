import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutputEvent } from '../src/component/types.js';
import {
  createElasticsearchSinkFactory,
  elasticsearchSinkFactory,
  opensearchSinkFactory,
  type ElasticsearchSink,
} from '../src/sinks/elasticsearch/index.js';
import { IndexNamer } from '../src/sinks/elasticsearch/index-name.js';
import { FakeBulk } from './helpers/fake-bulk.js';
import { tempDir, testDeps } from './helpers/ingest.js';
import { makeTestCert } from './helpers/tls-cert.js';

/** `n` events; the JSON keeps an integer beyond 2^53 as written. */
function events(n: number, day = '2024-03-05', mark?: (i: number) => boolean): OutputEvent[] {
  const out: OutputEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ts = `${day}T23:59:59.${String(i).padStart(6, '0')}Z`;
    const bad = mark?.(i) ? ',"marker":"MAPPING_ERROR"' : '';
    out.push({ timestamp: ts, json: `{"@timestamp":"${ts}","n":${i},"flow_id":1234567890123456789${bad}}` });
  }
  return out;
}

const fast = { retry: { initial: 5, max: 40 } };

for (const factory of [elasticsearchSinkFactory, opensearchSinkFactory]) {
  describe(`${factory.type} sink against the fake _bulk server`, () => {
    let fake: FakeBulk;
    let dataDir: string;
    let cleanup: () => Promise<void>;
    before(async () => ({ dir: dataDir, cleanup } = await tempDir('jizo-es-')));
    after(() => cleanup());

    async function sink(config: Record<string, unknown> = {}, deps = testDeps(dataDir)) {
      fake = await new FakeBulk().start();
      const s = factory.create('es', factory.schema.parse({ nodes: [fake.url], ...fast, ...config }), deps) as ElasticsearchSink;
      await s.start();
      return s;
    }
    const done = async (s: ElasticsearchSink) => {
      await s.stop();
      await fake.stop();
    };

    it('writes every event to its dated index with its exact JSON, in bulk requests split by count', async () => {
      const s = await sink({ max_batch_events: 10 });
      const batch = [...events(15, '2024-03-05'), ...events(10, '2024-03-06')];
      const r = await s.write(batch);
      assert.deepEqual(r.refused, []);
      assert.deepEqual([...fake.docs.keys()].sort(), ['jizo-2024.03.05', 'jizo-2024.03.06']);
      assert.deepEqual(fake.docs.get('jizo-2024.03.05'), batch.slice(0, 15).map((e) => e.json));
      assert.ok(fake.all[0]!.includes('1234567890123456789'));
      assert.equal(fake.bulkRequests, 3);
      assert.ok(fake.ops.every((op) => op === 'create'));
      assert.deepEqual({ ...s.counters }, { received: 25, sent: 25, rejected: 0, dropped: 0, errors: 0, retried: 0, duplicates: 0 });
      assert.deepEqual(s.health(), { ok: true, detail: 'ready' });
      await done(s);
    });

    it('gzips request bodies when asked', async () => {
      const s = await sink({ compression: true });
      const batch = events(50);
      assert.deepEqual((await s.write(batch)).refused, []);
      assert.equal(fake.gzipRequests, fake.bulkRequests);
      assert.ok(fake.bulkRequests > 0);
      assert.deepEqual(fake.all, batch.map((e) => e.json));
      await done(s);
    });

    it('retries whole-request 503 and 429 until accepted, without duplicates', async () => {
      const s = await sink();
      fake.switches.failRequests = 2;
      fake.switches.failStatus = 503;
      const batch = events(20);
      assert.deepEqual((await s.write(batch)).refused, []);
      fake.switches.failRequests = 1;
      fake.switches.failStatus = 429;
      const batch2 = events(5, '2024-03-07');
      assert.deepEqual((await s.write(batch2)).refused, []);
      assert.deepEqual(fake.all.sort(), [...batch, ...batch2].map((e) => e.json).sort());
      assert.equal(s.counters.retried, 45);
      assert.equal(s.counters.errors, 3);
      assert.equal(s.counters.sent, 25);
      await done(s);
    });

    it('retries item-level 429 and 503 until every item is accepted; only retried items are sent twice', async () => {
      const s = await sink();
      fake.switches.itemFailEvery = 3;
      const batch = events(100);
      assert.deepEqual((await s.write(batch)).refused, []);
      fake.switches.itemFailStatus = 503;
      const batch2 = events(30, '2024-03-08');
      assert.deepEqual((await s.write(batch2)).refused, []);
      const stored = fake.all;
      assert.equal(stored.length, 130);
      assert.equal(new Set(stored).size, 130, 'no document stored twice');
      assert.ok(s.counters.retried > 40);
      assert.equal(fake.ops.length, 130 + s.counters.retried, 'items sent = events + retried items');
      assert.equal(s.counters.sent, 130);
      await done(s);
    });

    it('refuses mapping errors with the reason and error text, and keeps the rest', async () => {
      const s = await sink();
      fake.switches.mappingErrorMarker = 'MAPPING_ERROR';
      fake.switches.itemFailEvery = 4; // mixed with transient item failures
      const batch = events(40, '2024-03-05', (i) => i % 10 === 7);
      const r = await s.write(batch);
      assert.deepEqual(r.refused.map((x) => x.index).sort((a, b) => a - b), [7, 17, 27, 37]);
      for (const x of r.refused) {
        assert.equal(x.reason, 'document_parsing_exception');
        assert.match(x.error, /failed to parse field \[source\.port\].*caused by mapper_parsing_exception/);
      }
      assert.equal(fake.all.length, 36);
      assert.equal(s.counters.sent + s.counters.rejected, s.counters.received);
      assert.equal(s.counters.rejected, 4);
      await done(s);
    });

    it('halves requests the cluster finds too large (413) and refuses a single event that is', async () => {
      const s = await sink();
      fake.switches.maxBodyBytes = 2000;
      const batch = events(20);
      batch.splice(5, 0, { timestamp: '2024-03-05T00:00:00Z', json: `{"big":"${'b'.repeat(3000)}"}` });
      const r = await s.write(batch);
      assert.deepEqual(r.refused.map((x) => [x.index, x.reason]), [[5, 'request_too_large']]);
      assert.deepEqual(fake.all.sort(), batch.filter((_, i) => i !== 5).map((e) => e.json).sort());
      assert.equal(s.counters.sent + s.counters.rejected, s.counters.received);
      await done(s);
    });

    it('rides out an outage (connection errors), unhealthy meanwhile', async () => {
      const s = await sink();
      fake.switches.outageUntil = Date.now() + 300;
      const writing = s.write(events(10));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(s.health().ok, false);
      assert.deepEqual((await writing).refused, []);
      assert.ok(fake.refusedConnections > 0);
      assert.equal(fake.all.length, 10);
      assert.equal(s.health().ok, true);
      await done(s);
    });

    it('writes concurrent batches with at most max_in_flight _bulk requests at once, every event delivered', async () => {
      const s = await sink({ max_in_flight: 3 });
      assert.equal(s.pipelined, true);
      fake.switches.bulkDelayMs = 50;
      const batches = Array.from({ length: 8 }, (_, k) => events(20, `2024-03-${String(k + 1).padStart(2, '0')}`));
      const results = await Promise.all(batches.map((b) => s.write(b)));
      assert.ok(results.every((r) => r.refused.length === 0));
      assert.equal(fake.bulkInFlightPeak, 3, 'the window fills and never overflows');
      assert.equal(s.counters.sent, 160);
      await done(s);
    });

    it('gives the batch back after max_attempts, and at once when stopped', async () => {
      const s = await sink({ retry: { initial: 5, max: 10, max_attempts: 3 } });
      fake.switches.failRequests = 100;
      await assert.rejects(s.write(events(2)), /not accepted after 3 attempts/);
      const s2 = factory.create('es2', factory.schema.parse({ nodes: [fake.url], retry: { initial: 60000, max: 60000 } }), testDeps(dataDir));
      await s2.start();
      const pending = s2.write(events(2)).then(
        () => undefined,
        (e: Error) => e,
      );
      await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      await s2.stop();
      assert.match(String(await pending), /stopping/);
      assert.ok(Date.now() - t0 < 1000);
      await assert.rejects(s2.write(events(1)), /not running/);
      await done(s);
    });

    it('installs the index template on start when asked', async () => {
      fake = await new FakeBulk().start();
      const f = createElasticsearchSinkFactory(factory.type as 'elasticsearch', (o) => ({
        index_patterns: o.indexPatterns,
        template: { mappings: { properties: { '@timestamp': { type: 'date_nanos' } } } },
      }));
      const s = f.create('es', f.schema.parse({ nodes: [fake.url], template: { install: true, name: 'jizo-test' } }), testDeps(dataDir));
      await s.start();
      await s.start();
      assert.deepEqual(fake.templates.get('jizo-test'), {
        index_patterns: ['jizo-*'],
        template: { mappings: { properties: { '@timestamp': { type: 'date_nanos' } } } },
      });
      await s.stop();
      const noBuilder = createElasticsearchSinkFactory(factory.type as 'elasticsearch');
      const bare = noBuilder.create('es', factory.schema.parse({ nodes: [fake.url], template: { install: true } }), testDeps(dataDir));
      await assert.rejects(bare.start(), /template\.install is true but no index template builder/);
      await assert.rejects(bare.write(events(1)), /not running/);
      (bare as ElasticsearchSink).setTemplateProvider(() => ({ index_patterns: ['y-*'] }));
      await bare.start(); // a failed start can be tried again
      assert.deepEqual(fake.templates.get('jizo'), { index_patterns: ['y-*'] });
      const late = noBuilder.create('es', factory.schema.parse({ nodes: [fake.url], template: { install: true, name: 'late' } }), testDeps(dataDir)) as ElasticsearchSink;
      late.setTemplateProvider(() => ({ index_patterns: ['x-*'] }));
      await late.start();
      assert.deepEqual(fake.templates.get('late'), { index_patterns: ['x-*'] });
      await late.stop();
      await bare.stop();
      await fake.stop();
    });

    it('installs the field catalog template by default, for its engine and profile', async () => {
      fake = await new FakeBulk().start();
      const config = factory.schema.parse({ nodes: [fake.url], index: 'soc-%{+yyyy.MM}', template: { install: true, name: 'jizo-soc', profile: 'sekoia' } });
      const s = factory.create('es', config, testDeps(dataDir));
      await s.start();
      const t = fake.templates.get('jizo-soc') as {
        index_patterns: string[];
        template: { mappings: { _meta: Record<string, string>; properties: Record<string, { type?: string }> } };
      };
      assert.deepEqual(t.index_patterns, ['soc-*']);
      assert.equal(t.template.mappings._meta.target, factory.type);
      assert.equal(t.template.mappings._meta.profile, 'sekoia');
      assert.equal(t.template.mappings._meta.template, 'jizo-soc');
      assert.equal(t.template.mappings.properties['@timestamp']!.type, 'date_nanos');
      await s.stop();
      await fake.stop();
    });

    const auths: ({ username: string; password: string } | { api_key: string })[] = [
      { username: 'elastic', password: 'pw-S3CRET-1' },
      { api_key: 'S3CRET-api-key-2' },
    ];
    it('speaks TLS: trusts the configured CA, refuses an unknown certificate unless told not to verify', async () => {
      const cert = await makeTestCert(dataDir);
      const tlsFake = await new FakeBulk({ cert: cert.cert, key: cert.key }).start();
      const make = (tls: object) =>
        factory.create('tls', factory.schema.parse({ nodes: [tlsFake.url], tls, retry: { initial: 5, max: 10, max_attempts: 1 } }), testDeps(dataDir));
      try {
        const trusted = make({ ca_file: cert.certFile });
        await trusted.start();
        assert.deepEqual((await trusted.write(events(3))).refused, []);
        await trusted.stop();
        const strict = make({});
        await strict.start();
        await assert.rejects(strict.write(events(1)), /not accepted after 1 attempts.*(self[- ]signed|certificate)/i);
        await strict.stop();
        const lax = make({ reject_unauthorized: false });
        await lax.start();
        assert.deepEqual((await lax.write(events(2))).refused, []);
        await lax.stop();
        assert.equal(tlsFake.all.length, 5);
      } finally {
        await tlsFake.stop();
      }
    });

    for (const auth of auths) {
      it(`never shows the ${'api_key' in auth ? 'API key' : 'password'} in errors, health or logs`, async () => {
        const deps = testDeps(dataDir);
        const s = await sink({ auth, retry: { initial: 5, max: 10, max_attempts: 2 } }, deps);
        fake.switches.requireAuthorization = 'Basic nope';
        const err = await s.write(events(1)).then(
          () => assert.fail('write should fail'),
          (e: Error) => e,
        );
        const texts = [err.message, s.health().detail ?? '', ...deps.logs];
        assert.match(s.health().detail ?? '', /401.*security_exception/);
        const secret = 'api_key' in auth ? auth.api_key : auth.password;
        const basic = 'api_key' in auth ? auth.api_key : Buffer.from(`elastic:${auth.password}`).toString('base64');
        for (const t of texts) {
          assert.ok(!t.includes(secret) && !t.includes(basic), `secret leaked in: ${t}`);
        }
        // and the credentials did reach the server
        fake.switches.requireAuthorization = 'api_key' in auth ? `ApiKey ${auth.api_key}` : `Basic ${basic}`;
        assert.deepEqual((await s.write(events(1))).refused, []);
        await done(s);
      });
    }
  });
}

describe('elasticsearch sink config and index names', () => {
  it('has defaults and names bad keys', () => {
    const c = elasticsearchSinkFactory.schema.parse({});
    assert.equal(c.index, 'jizo-%{+yyyy.MM.dd}');
    assert.equal(c.op_type, 'create');
    assert.deepEqual(c.retry, { initial: 200, max: 30000, max_attempts: 0 });
    assert.deepEqual(c.template, { install: false, name: 'jizo', date_nanos: true });
    assert.deepEqual(elasticsearchSinkFactory.schema.safeParse({ template: { profile: 'nope' } }).error!.issues[0]!.path, ['template', 'profile']);
    const bad = elasticsearchSinkFactory.schema.safeParse({ data_stream: true, op_type: 'index' });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues[0]!.path, ['op_type']);
    const bad2 = elasticsearchSinkFactory.schema.safeParse({ nodes: ['not a url'] });
    assert.deepEqual(bad2.error!.issues[0]!.path, ['nodes', 0]);
  });

  it('fills date patterns from @timestamp only, and keeps fixed names', () => {
    const n = new IndexNamer('jizo-%{+yyyy.MM.dd}');
    assert.equal(n.name('2024-03-05T23:59:59.999999999Z'), 'jizo-2024.03.05');
    assert.equal(n.name('1999-12-31T00:00:00Z'), 'jizo-1999.12.31');
    assert.equal(new IndexNamer('x-%{+yy}-%{+MM}-%{+HH}').name('2024-03-05T07:00:00Z'), 'x-24-03-07');
    assert.equal(n.wildcard, 'jizo-*');
    assert.match(n.name(undefined), /^jizo-\d{4}\.\d{2}\.\d{2}$/);
    assert.equal(n.name(undefined), `jizo-${new Date().toISOString().slice(0, 10).replace(/-/g, '.')}`);
    assert.equal(new IndexNamer('logs-jizo-default').name('2024-01-01T00:00:00Z'), 'logs-jizo-default');
    assert.throws(() => new IndexNamer('jizo-%{[host]}'), /only %\{\+date\}/);
  });
});
