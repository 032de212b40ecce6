/** serve configuration: defaults, validation errors with key paths, YAML/JSON files, secrets kept out of errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, validateConfig } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { parseDuration, parseSize } from '../src/config/values.js';

const registry = defaultRegistry();

function issues(doc: unknown): string[] {
  try {
    validateConfig(doc, registry);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.issues;
  }
  assert.fail('expected a ConfigError');
}

describe('serve configuration', () => {
  it('defaults: syslog and http sources, file sink, file dead letters, sekoia, admin on 127.0.0.1:8081', () => {
    const c = validateConfig({}, registry);
    assert.equal(c.profile, 'sekoia');
    assert.equal(c.data_dir, './data');
    assert.deepEqual(c.admin, { host: '127.0.0.1', port: 8081, status_page: true });
    assert.deepEqual(c.sources.map((s) => [s.name, s.type]), [['syslog', 'syslog'], ['http', 'http']]);
    const syslog = c.sources[0]!.config as { host: string; port: number; protocols: string[] };
    assert.deepEqual([syslog.host, syslog.port, syslog.protocols], ['127.0.0.1', 5514, ['tcp', 'udp']]);
    const http = c.sources[1]!.config as { host: string; port: number };
    assert.deepEqual([http.host, http.port], ['127.0.0.1', 8080]);
    assert.deepEqual(c.sinks.map((s) => s.type), ['file']);
    assert.equal(c.deadLetter.type, 'file');
    assert.equal(c.pipeline.max_events, 4000);
    assert.equal(c.pipeline.batch_max_wait, 100);
  });

  it('file, nats, elasticsearch and opensearch: snake_case keys, sizes and durations in the core forms, defaults kept', () => {
    const c = validateConfig(
      {
        sources: {
          tail: { type: 'file', paths: ['/var/log/suricata/eve.json'], max_line_bytes: '2MiB', poll_interval: '1s', rotate_grace: 250 },
          bus: { type: 'nats', stream: 'EVE', ack_wait: '1m' },
        },
        sinks: {
          es: { type: 'elasticsearch', max_batch_bytes: '10MB', request_timeout: '45s', retry: { initial: '50ms', max: '1m' } },
          os: { type: 'opensearch' },
          out: { type: 'nats', subject: 'jizo.ecs', ack_timeout: '2s' },
        },
      },
      registry,
    );
    const cfg = (name: string) => [...c.sources, ...c.sinks].find((x) => x.name === name)!.config as Record<string, unknown>;
    assert.deepEqual(
      [cfg('tail').max_line_bytes, cfg('tail').poll_interval, cfg('tail').rotate_grace, cfg('tail').stop_timeout, cfg('tail').read_chunk_bytes],
      [2 * 1024 * 1024, 1000, 250, 10_000, 256 * 1024],
    );
    assert.deepEqual([cfg('bus').ack_wait, cfg('bus').batch_size, cfg('bus').stop_timeout], [60_000, 500, 10_000]);
    assert.deepEqual([cfg('es').max_batch_bytes, cfg('es').request_timeout, cfg('es').retry], [10_000_000, 45_000, { initial: 50, max: 60_000, max_attempts: 0 }]);
    assert.deepEqual([cfg('os').max_batch_bytes, cfg('os').request_timeout, cfg('os').op_type], [5 * 1024 * 1024, 30_000, 'create']);
    assert.deepEqual([cfg('out').ack_timeout, cfg('out').max_in_flight], [2000, 1000]);
    assert.deepEqual(
      issues({
        sources: { tail: { type: 'file', paths: ['x'], pollIntervalMs: 100, poll_interval: 'soon' } },
        sinks: { es: { type: 'elasticsearch', retry: { maxMs: 5 }, max_batch_bytes: '12 parsecs' } },
      }),
      [
        'sources.tail.poll_interval: expected a duration of at least 10 ms: a number of milliseconds or a string such as "5s"',
        'sources.tail.pollIntervalMs: unknown key',
        'sinks.es.max_batch_bytes: expected a size of at least 1024 bytes: a number of bytes or a string such as "64MiB"',
        'sinks.es.retry.maxMs: unknown key',
      ],
    );
  });

  it('names the bad key path and what is expected', () => {
    assert.deepEqual(issues({ sources: { syslog: { type: 'syslog', port: 70000 } } }), ['sources.syslog.port: expected a number from 1 to 65535']);
    assert.deepEqual(issues({ sources: { syslog: { type: 'syslog', port: 'x' } } }), ['sources.syslog.port: expected a number from 1 to 65535']);
    assert.deepEqual(issues({ sources: { s: { type: 'carrier-pigeon' } } }), ['sources.s.type: expected one of syslog, http, stdin, file, nats']);
    assert.deepEqual(issues({ sinks: { f: { type: 'file', fsync: 'sometimes' } } }), ['sinks.f.fsync: expected one of always, interval, never']);
    assert.deepEqual(issues({ sinks: { f: { type: 'file', max_bytes: '12 parsecs' } } }), [
      'sinks.f.max_bytes: expected a size of at least 0 bytes: a number of bytes or a string such as "64MiB"',
    ]);
    assert.deepEqual(issues({ pipeline: { batch_max_wait: 'soon' } }), [
      'pipeline.batch_max_wait: expected a duration of at least 1 ms: a number of milliseconds or a string such as "5s"',
    ]);
    assert.deepEqual(issues({ profile: 'elastic' }), ['profile: expected one of sekoia, ecs']);
    assert.deepEqual(issues({ sources: { syslog: { type: 'syslog', protocols: ['tcp', 'sctp'] } } }), ['sources.syslog.protocols[1]: expected "tcp" or "udp"']);
    assert.deepEqual(issues({ sources: { syslog: { type: 'syslog', tls: { cert_file: 'c.pem' } } } }), ['sources.syslog.tls.key_file: required: expected string']);
  });

  it('reports unknown keys, empty component maps and several problems at once', () => {
    assert.deepEqual(issues({ colour: 'blue' }), ['colour: unknown key']);
    assert.deepEqual(issues({ sources: { syslog: { type: 'syslog', prot: 1 } } }), ['sources.syslog.prot: unknown key']);
    assert.deepEqual(issues({ sources: {} }), ['sources: expected at least one component']);
    assert.deepEqual(issues({ sources: [] }), ['sources: expected a map of component names to components']);
    const many = issues({ sources: { a: { type: 'http', port: -1 } }, sinks: { b: { type: 'stdout', x: 1 } } });
    assert.deepEqual(many, ['sources.a.port: expected a number from 1 to 65535', 'sinks.b.x: unknown key']);
  });

  it('never echoes a secret in an error', () => {
    const token = 'Sup3rS3cretT0ken';
    const all = issues({ sources: { h: { type: 'http', token, token_env: 'X', port: token } } }).join('\n');
    assert.doesNotMatch(all, /Sup3r/);
    assert.match(all, /sources\.h\.port/);
  });

  it('treats __proto__ and constructor as plain names and types', () => {
    assert.deepEqual(issues(JSON.parse('{"sources": {"s": {"type": "constructor"}}}')), ['sources.s.type: expected one of syslog, http, stdin, file, nats']);
    assert.deepEqual(issues(JSON.parse('{"sources": {"s": {"type": "__proto__"}}}')), ['sources.s.type: expected one of syslog, http, stdin, file, nats']);
    const c = validateConfig(JSON.parse('{"sources": {"__proto__": {"type": "stdin"}}}'), registry);
    assert.deepEqual(c.sources.map((s) => s.name), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).type, undefined, 'no prototype pollution');
  });

  it('loads YAML and JSON files and says which file is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jizo-cfg-'));
    const yaml = join(dir, 'serve.yaml');
    writeFileSync(
      yaml,
      ['profile: sekoia', 'pipeline:', '  max_bytes: 64MiB', 'sources:', '  in:', '    type: syslog', '    port: 6514', 'sinks:', '  out:', '    type: stdout', ''].join('\n'),
    );
    const c = await loadConfig(yaml, registry);
    assert.equal(c.pipeline.max_bytes, 64 * 1024 * 1024);
    assert.deepEqual(c.sinks.map((s) => s.name), ['out']);
    const json = join(dir, 'serve.json');
    writeFileSync(json, JSON.stringify({ sources: { in: { type: 'stdin' } } }));
    assert.equal((await loadConfig(json, registry)).sources[0]!.type, 'stdin');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'sources:\n  in:\n    type: syslog\n    port: 99999\n');
    await assert.rejects(loadConfig(bad, registry), (e: Error) => e.message.includes(`in ${bad}`) && e.message.includes('sources.in.port: expected a number from 1 to 65535'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'sources: [\n');
    await assert.rejects(loadConfig(broken, registry), /not valid YAML or JSON/);
    const dup = join(dir, 'dup.yaml');
    writeFileSync(dup, 'profile: sekoia\nprofile: ecs\n');
    await assert.rejects(loadConfig(dup, registry), /not valid YAML or JSON/);
    await assert.rejects(loadConfig(join(dir, 'missing.yaml'), registry), /cannot read the file/);
  });

  it('parses sizes and durations with units', () => {
    assert.equal(parseSize('64MiB'), 64 * 1024 * 1024);
    assert.equal(parseSize('10 MB'), 10_000_000);
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize('1.5KiB'), 1536);
    assert.equal(parseSize('5 lightyears'), undefined);
    assert.equal(parseSize('toString'), undefined);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('5'), undefined);
  });
});
