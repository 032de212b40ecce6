/**
 * The status page's data and access, in process: GET /status.json after a
 * known mix over syslog and HTTP, the page's files and headers, the admin
 * token (Bearer, or a browser's Basic password; /healthz stays open), and no
 * secret anywhere in what the page shows. The page itself, in a browser:
 * serve-status-page.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describe as describeDoc } from '../src/describe/index.js';
import { normalize } from '../src/index.js';
import { validateConfig, ConfigError } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import type { Service } from '../src/serve/service.js';
import { endpoint, httpRequest } from './helpers/net.js';
import { serveFromYaml } from './helpers/service.js';
import { knownMix, sendMix, POLICY, SCAN } from './helpers/status-traffic.js';

const TOKEN = 'admin-t0ken-never-shown';
const HTTP_TOKEN = 'http-t0ken-never-shown';

function adminPort(service: Service): number {
  const line = service.summary().find((l) => l.startsWith('metrics:'))!;
  return Number(/:(\d+)\/metrics/.exec(line)![1]);
}

const get = (port: number, path: string, headers: Record<string, string> = {}) => httpRequest(port, { method: 'GET', path, headers });

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Status {
  service: { version: string; profile: string; ok: boolean };
  pipeline: { received: number; normalized: number; rejected: number; finished: number; rates: { in: number[]; rejected: number[] } };
  queue: { events: number; max_events: number; backpressure: boolean };
  components: { name: string; kind: string; ok: boolean; counters: { received: number; sent: number }; connections: { open: number } | null; rates: { in: number[] } }[];
  window: { signatures: { key: string; count: number; severity: number }[]; types: { key: string; count: number }[]; recent: { at: string; text: string; source: string }[] };
  rejections: { by_reason: { key: string; count: number }[]; recent: { reason: string; excerpt: string; source: string }[] };
  config: { profile: string; admin_token: boolean };
}

describe('serve: the status page data, with an admin token', () => {
  let service: Service;
  let port: number;
  const auth = { authorization: `Bearer ${TOKEN}` };
  before(async () => {
    process.env.JIZO_TEST_ADMIN_TOKEN = TOKEN;
    const dir = mkdtempSync(join(tmpdir(), 'jizo-status-'));
    service = await serveFromYaml(
      dir,
      `data_dir: ${dir}
admin: { port: 0, token_env: JIZO_TEST_ADMIN_TOKEN }
pipeline: { batch_max_wait: 10ms }
sources:
  syslog: { type: syslog, port: 0, protocols: [tcp] }
  http: { type: http, port: 0, token: ${HTTP_TOKEN} }
sinks:
  file: { type: file, fsync: never }
`,
    );
    port = adminPort(service);
    await sendMix(knownMix(), { syslog: endpoint(service.sources.get('syslog')!, 'tcp').port, http: endpoint(service.sources.get('http')!, 'http').port }, { authorization: `Bearer ${HTTP_TOKEN}` });
  });
  after(async () => {
    await service.stop();
    delete process.env.JIZO_TEST_ADMIN_TOKEN;
  });

  const status = async () => JSON.parse((await get(port, '/status.json', auth)).body) as Status;

  it('counts, rates, rejections by reason with their lines, the window of signatures and types, described events', async () => {
    // everything durable, and sampled into the per-second rates (once a second)
    const s = await until(status, (s) => s.pipeline.finished === 21 && s.pipeline.rates.in.reduce((a, b) => a + b, 0) === 21);
    assert.deepEqual([s.pipeline.received, s.pipeline.normalized, s.pipeline.rejected], [21, 18, 3]);
    assert.equal(s.pipeline.rates.rejected.reduce((a, b) => a + b, 0), 3);
    const by = new Map(s.components.map((c) => [`${c.kind}/${c.name}`, c]));
    assert.equal(by.get('source/syslog')!.counters.received, 13);
    assert.equal(by.get('source/http')!.counters.received, 8);
    assert.equal(by.get('sink/file')!.counters.sent, 18);
    assert.equal(by.get('dead_letter/dead_letter')!.counters.sent, 3);
    assert.equal(by.get('source/syslog')!.rates.in.reduce((a, b) => a + b, 0), 13);
    assert.equal(typeof by.get('source/http')!.connections!.open, 'number');
    assert.deepEqual(s.rejections.by_reason, [{ key: 'not_json', count: 2 }, { key: 'truncated_json', count: 1 }]);
    assert.deepEqual(s.rejections.recent.map((r) => [r.source, r.reason]).sort(), [['http', 'truncated_json'], ['syslog', 'not_json'], ['syslog', 'not_json']]);
    assert.ok(s.rejections.recent.some((r) => r.excerpt.endsWith('this is not json at all')), JSON.stringify(s.rejections.recent));
    assert.deepEqual(s.window.signatures, [{ key: SCAN, count: 6, severity: 2 }, { key: POLICY, count: 3, severity: 1 }]);
    assert.deepEqual(s.window.types, [{ key: 'alert', count: 9 }, { key: 'flow', count: 9 }]);
    assert.equal(s.window.recent.length, 18);
    const last = knownMix().http[6]!;
    const r = normalize(last);
    assert.ok(r.ok);
    assert.deepEqual(s.window.recent[0], { at: s.window.recent[0]!.at, source: 'http', text: describeDoc(r.document).text });
    assert.deepEqual([s.queue.events, s.queue.max_events, s.queue.backpressure], [0, 4000, false]);
    assert.deepEqual([s.service.ok, s.service.profile, s.config.admin_token], [true, 'sekoia', true]);
  });

  it('the token: asked for on every path but /healthz, as Bearer or as the password of Basic; never shown', async () => {
    for (const path of ['/', '/status.json', '/status.js', '/metrics']) {
      const r = await get(port, path);
      assert.equal(r.status, 401, path);
      assert.ok(String(r.headers['www-authenticate']).startsWith('Basic realm='), path);
      assert.equal((await get(port, path, { authorization: 'Bearer wrong' })).status, 401, path);
      assert.equal((await get(port, path, auth)).status, 200, path);
      const basic = `Basic ${Buffer.from(`operator:${TOKEN}`).toString('base64')}`;
      assert.equal((await get(port, path, { authorization: basic })).status, 200, path);
      const wrongBasic = `Basic ${Buffer.from(`${TOKEN}:x`).toString('base64')}`;
      assert.equal((await get(port, path, { authorization: wrongBasic })).status, 401, path);
    }
    assert.equal((await get(port, '/healthz')).status, 200);
    for (const path of ['/', '/status.json', '/status.js', '/healthz', '/metrics']) {
      const body = (await get(port, path, auth)).body;
      assert.ok(!body.includes(TOKEN) && !body.includes(HTTP_TOKEN), `${path} shows a token`);
    }
  });

  it('the page: its files with a Content-Security-Policy that allows its own script only; unknown paths 404', async () => {
    const page = await get(port, '/', auth);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self';/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.body, /<script src="status.js" defer><\/script>/);
    assert.doesNotMatch(page.body, /<script>|\son\w+=/, 'no inline script or handler');
    assert.equal((await get(port, '/status.js', auth)).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await get(port, '/status.css', auth)).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await get(port, '/nope', auth)).status, 404);
    assert.equal((await httpRequest(port, { method: 'POST', path: '/', headers: auth })).status, 405);
  });
});

describe('serve: admin configuration', () => {
  it('status_page: false serves /metrics and /healthz, no page, no statistics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-status-'));
    const service = await serveFromYaml(dir, `data_dir: ${dir}\nadmin: { port: 0, status_page: false }\nsources:\n  syslog: { type: syslog, port: 0, protocols: [tcp] }\n`);
    try {
      const port = adminPort(service);
      assert.equal(service.status, undefined);
      assert.equal((await get(port, '/')).status, 404);
      assert.equal((await get(port, '/status.json')).status, 404);
      assert.equal((await get(port, '/metrics')).status, 200);
      assert.doesNotMatch(service.summary().join('\n'), /status page/);
    } finally {
      await service.stop();
    }
  });

  it('token and token_env together are refused; a token_env that is not set stops the start', async () => {
    const registry = defaultRegistry();
    assert.throws(
      () => validateConfig({ admin: { token: 'a', token_env: 'B' } }, registry),
      (e: unknown) => e instanceof ConfigError && e.issues.includes('admin.token_env: set either token or token_env, not both') && !e.message.includes("'a'"),
    );
    assert.throws(() => validateConfig({ admin: { status_page: 'yes' } }, registry), /admin.status_page: expected true or false/);
    const dir = mkdtempSync(join(tmpdir(), 'jizo-status-'));
    await assert.rejects(
      serveFromYaml(dir, `data_dir: ${dir}\nadmin: { port: 0, token_env: JIZO_TEST_UNSET_VARIABLE }\nsources:\n  syslog: { type: syslog, port: 0, protocols: [tcp] }\n`),
      /admin: environment variable JIZO_TEST_UNSET_VARIABLE \(token_env\) is not set/,
    );
  });
});
