/** The service: registry extension, health while a sink fails, shutdown timeout, stdin to stdout through the CLI. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { z } from 'zod';
import { validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { Service } from '../src/serve/service.js';
import { MemorySink } from './helpers/memory-sink.js';
import { endpoint, httpRequest } from './helpers/net.js';

const dns = '{"timestamp":"2024-05-01T10:00:00.000001+0000","event_type":"dns","src_ip":"192.0.2.1"}';

function withMemorySink() {
  const registry = defaultRegistry();
  const made: MemorySink[] = [];
  registry.sinks.set('memory', {
    type: 'memory',
    schema: z.object({ fail: z.boolean().default(false) }).strict(),
    create(name, config: { fail: boolean }) {
      const s = new MemorySink(name);
      if (config.fail) s.failNext = Infinity;
      made.push(s);
      return s;
    },
  });
  return { registry, made };
}

describe('serve service', () => {
  it('takes a new sink type from the registry; reports a failing sink in /healthz; stops after shutdown_timeout', async () => {
    const { registry, made } = withMemorySink();
    const config = validateConfig(
      {
        data_dir: mkdtempSync(join(tmpdir(), 'jizo-svc-')),
        admin: { port: 0 },
        shutdown_timeout: '300ms',
        pipeline: { retry_initial: '10ms', retry_max: '20ms', batch_max_wait: '5ms' },
        sources: { http: { type: 'http', port: 0 } },
        sinks: { ok: { type: 'memory' }, broken: { type: 'memory', fail: true } },
      },
      registry,
    );
    const service = new Service(config, registry, pino({ level: 'silent' }));
    await service.start();
    const port = endpoint(service.sources.get('http')!, 'http').port;
    let answered = false;
    const client = new AbortController();
    void httpRequest(port, { body: dns, signal: client.signal }).then(() => (answered = true), () => undefined);
    const deadline = Date.now() + 3000;
    while ((service.pipeline.stats.retries.get('broken') ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const adminPort = Number(/:(\d+)\/metrics/.exec(service.summary().at(-1)!)![1]);
    const health = await httpRequest(adminPort, { method: 'GET', path: '/healthz' });
    assert.equal(health.status, 503);
    const broken = JSON.parse(health.body).components.find((c: { name: string }) => c.name === 'broken');
    assert.deepEqual([broken.ok, broken.detail], [false, 'writes failing, retrying']);
    const metrics = (await httpRequest(adminPort, { method: 'GET', path: '/metrics' })).body;
    assert.match(metrics, /^jizo_intake_sink_write_retries_total\{sink="broken"\} [1-9]/m);
    assert.equal(made.find((s) => s.name === 'ok')!.lines.length, 1, 'the healthy sink got the event');
    const t = Date.now();
    const result = await service.stop();
    assert.deepEqual(result, { clean: false, unfinished: 1 });
    assert.ok(Date.now() - t < 3000);
    assert.equal(answered, false, 'the HTTP sender got no 202 for an undelivered event');
    client.abort();
  });

  it('refuses to start when a port is taken, and releases what it had started', async () => {
    const registry = defaultRegistry();
    const dir = mkdtempSync(join(tmpdir(), 'jizo-svc-'));
    const first = new Service(validateConfig({ data_dir: dir, admin: false, sources: { h: { type: 'http', port: 0 } } }, registry), registry, pino({ level: 'silent' }));
    await first.start();
    const port = endpoint(first.sources.get('h')!, 'http').port;
    try {
      const second = new Service(
        validateConfig({ data_dir: dir, admin: false, sources: { s: { type: 'syslog', port: 0 }, h: { type: 'http', port } } }, registry),
        registry,
        pino({ level: 'silent' }),
      );
      await assert.rejects(second.start(), /cannot start http h: .*EADDRINUSE/);
      assert.equal(second.sources.get('s')!.health().ok, false, 'the syslog source was stopped again');
    } finally {
      await first.stop();
    }
  });

  it('CLI: stdin to stdout, stops at end of input, dead letters to a file', { timeout: 20_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-cli-'));
    const cfg = join(dir, 'serve.yaml');
    writeFileSync(cfg, `data_dir: ${dir}\nadmin: false\nsources:\n  in: { type: stdin }\nsinks:\n  out: { type: stdout }\n`);
    const main = fileURLToPath(new URL('../cli/jizo-intake.js', import.meta.url));
    const child = spawn(process.execPath, [main, 'serve', '--config', cfg], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdin.end(`${dns}\nnot an event\n\n${dns}\n`);
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0, stderr);
    const docs = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(docs.length, 2);
    assert.equal(docs[0]['@timestamp'], '2024-05-01T10:00:00.000001Z');
    const dead = readFileSync(join(dir, 'dead-letter.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(dead.map((d) => [d.kind, d.source, d.raw]), [['rejected', 'in', 'not an event']]);
    assert.match(stderr, /"received":4,"normalized":2,"rejected":1,"blank":1/);
  });

  it('CLI: a bad configuration exits 2 naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-cli-'));
    const cfg = join(dir, 'serve.yaml');
    writeFileSync(cfg, 'sources:\n  syslog: { type: syslog, port: 0x1FFFF }\n');
    const main = fileURLToPath(new URL('../cli/jizo-intake.js', import.meta.url));
    const child = spawn(process.execPath, [main, 'serve', '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 2);
    assert.match(stderr, /sources\.syslog\.port: expected a number from 1 to 65535/);
  });
});
