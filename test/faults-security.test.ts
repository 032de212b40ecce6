/**
 * Fault suite, security: the bearer token is compared with
 * crypto.timingSafeEqual on every path; tokens and sink passwords never show
 * in logs, answers, health or metrics; index and file names never come from
 * event content; input keys cannot pollute prototypes, end to end.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as Crypto from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { Service } from '../src/serve/service.js';
import { elasticsearchSinkFactory } from '../src/sinks/elasticsearch/index.js';
import { BearerAuth } from '../src/io/token-auth.js';
import { FakeBulk } from './helpers/fake-bulk.js';
import { endpoint, httpRequest } from './helpers/net.js';
import { until } from './helpers/ingest.js';

const TOKEN = 'tok-Zq81-SECRET-never-shown';
const PASSWORD = 'pw-7Hx2-SECRET-never-shown';

function registry() {
  const r = defaultRegistry();
  // Registered by default once the service knows the type; added here for older registries.
  if (!r.sinks.has('elasticsearch')) r.sinks.set('elasticsearch', elasticsearchSinkFactory);
  return r;
}

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

function adminPort(service: Service): number {
  return Number(/:(\d+)\/metrics/.exec(service.summary().join('\n'))![1]);
}

describe('faults: security', () => {
  it('bearer token: timingSafeEqual on every path (missing, short, long, right), no early exit on length', () => {
    const crypto = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
    const real = crypto.timingSafeEqual;
    const calls: number[] = [];
    crypto.timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push(a.byteLength, b.byteLength);
      return real(a, b);
    };
    syncBuiltinESMExports();
    try {
      const auth = new BearerAuth(TOKEN);
      const results = [undefined, '', 'Bearer', 'Bearer x', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${'x'.repeat(10_000)}`, `Bearer ${TOKEN}`].map((h) =>
        auth.check(h),
      );
      assert.deepEqual(results, [false, false, false, false, false, false, false, false, true]);
      // One comparison per check, always of two 32-byte digests: the time does not depend on where or whether the token differs.
      assert.deepEqual(calls, Array(18).fill(32));
    } finally {
      crypto.timingSafeEqual = real;
      syncBuiltinESMExports();
    }
  });

  it('the token and a sink password never appear in logs, answers, health or metrics (sink refusing the credentials)', async () => {
    const fake = await new FakeBulk().start();
    fake.switches.requireAuthorization = 'Basic something-else';
    const { logger, lines } = capture();
    const dir = mkdtempSync(join(tmpdir(), 'jizo-sec-'));
    const reg = registry();
    const config = validateConfig(
      {
        data_dir: dir,
        admin: { port: 0 },
        shutdown_timeout: '300ms',
        log_level: 'trace',
        pipeline: { retry_initial: '10ms', retry_max: '50ms', batch_max_wait: '5ms' },
        sources: { http: { type: 'http', port: 0, token: TOKEN } },
        sinks: { es: { type: 'elasticsearch', nodes: [fake.url], auth: { username: 'intake', password: PASSWORD } } },
      },
      reg,
    );
    const service = new Service(config, reg, logger);
    await service.start();
    const seen: string[] = [];
    const client = new AbortController();
    try {
      const port = endpoint(service.sources.get('http')!, 'http').port;
      for (const auth of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
        const r = await httpRequest(port, { body: '{}', headers: auth ? { authorization: auth } : {} });
        assert.equal(r.status, 401);
        seen.push(r.body, JSON.stringify(r.headers));
      }
      void httpRequest(port, { body: '{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns"}', headers: { authorization: `Bearer ${TOKEN}` }, signal: client.signal }).catch(() => undefined);
      await until(() => (service.pipeline.stats.retries.get("es") ?? 0) + service.sinks.get("es")!.counters.retried >= 3, 10_000, "failed writes to the sink");
      const admin = adminPort(service);
      for (const path of ['/healthz', '/metrics']) seen.push((await httpRequest(admin, { method: 'GET', path })).body);
      assert.match(seen.join('\n'), /"name":"es","type":"elasticsearch","kind":"sink","ok":false/, 'health shows the failing sink');
    } finally {
      await service.stop();
      client.abort();
      await fake.stop();
    }
    seen.push(...lines, readFileSync(join(dir, 'dead-letter.ndjson'), 'utf8'));
    const all = seen.join('\n');
    assert.match(all, /401/, 'the failure is reported');
    const b64 = Buffer.from(`intake:${PASSWORD}`).toString('base64');
    for (const secret of [TOKEN, PASSWORD, b64, TOKEN.slice(4, 16), PASSWORD.slice(4, 16)]) assert.ok(!all.includes(secret), `a secret leaked: ${secret}`);
  });

  it('configuration errors name the key, never the value given', () => {
    const reg = registry();
    assert.throws(
      () => validateConfig({ sources: { http: { type: 'http', token: 12345678, port: TOKEN } }, sinks: { es: { type: 'elasticsearch', auth: { username: 'u', password: 99, extra: PASSWORD } } } }, reg),
      (e: Error) => {
        assert.ok(!e.message.includes(TOKEN) && !e.message.includes(PASSWORD) && !e.message.includes('12345678'), e.message);
        assert.match(e.message, /sources\.http/);
        return true;
      },
    );
  });

  it('end to end: hostile keys and index-looking fields do not pollute prototypes nor choose the index or the file', async () => {
    const fake = await new FakeBulk().start();
    const dir = mkdtempSync(join(tmpdir(), 'jizo-sec-'));
    const reg = registry();
    const config = validateConfig(
      {
        data_dir: dir,
        admin: false,
        pipeline: { batch_max_wait: '5ms' },
        sources: { http: { type: 'http', port: 0 } },
        sinks: { es: { type: 'elasticsearch', nodes: [fake.url] }, file: { type: 'file' } },
      },
      reg,
    );
    const service = new Service(config, reg, pino({ level: 'silent' }));
    await service.start();
    const hostile = [
      '{"timestamp":"2024-05-01T10:00:00Z","event_type":"alert","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"_index":"evil","index":"../../evil","alert":{"__proto__":{"polluted":"yes"},"signature":"x"}}',
      '{"timestamp":"2024-05-01T10:00:00Z","event_type":"__proto__","__proto__":"x","@timestamp":"../evil/%{+yyyy}","path":"/tmp/evil.ndjson"}',
      '{"timestamp":"2024-05-01T10:00:00Z","event_type":"http","http":{"hostname":"evil","__proto__":{"toString":"x"}},"tenant":"evil","data_stream":{"namespace":"evil"}}',
      '<14>1 2024-05-01T10:00:00Z evil-index ../../evil - - [x@1 __proto__="y" constructor="z"] {"timestamp":"2024-05-01T10:00:00Z","event_type":"dns"}',
    ];
    try {
      const port = endpoint(service.sources.get('http')!, 'http').port;
      const r = await httpRequest(port, { body: hostile.join('\n') });
      assert.equal(r.status, 202, r.body);
      assert.equal(JSON.parse(r.body).normalized, 4);
    } finally {
      await service.stop();
      await fake.stop();
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.toString.call([]), '[object Array]');
    assert.deepEqual([...fake.docs.keys()], ['jizo-2024.05.01']);
    assert.equal(fake.all.length, 4);
    assert.deepEqual(readdirSync(dir).sort(), ['dead-letter.ndjson', 'events.ndjson']);
    const docs = readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n');
    assert.equal(docs.length, 4);
    for (const d of docs) assert.equal(Object.getPrototypeOf(JSON.parse(d)), Object.prototype);
  });
});

after(() => assert.equal(({} as Record<string, unknown>).polluted, undefined));
