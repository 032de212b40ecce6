import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from '../src/index.js';
import { loadNormalizer } from '../src/normalize/load.js';
import { loadDescriptionAdder } from '../src/pipeline/batch.js';
import { corpusLines } from './helpers/corpus.js';
import type { Normalized } from '../src/normalize/types.js';
import { toJson } from '../src/serialize.js';

function doc(raw: string, opts = {}): Normalized {
  const r = normalize(raw, opts);
  assert.ok(r.ok, `rejected: ${!r.ok ? r.message : ''}`);
  return r;
}

function leaves(o: unknown, path = '', out: [string, unknown][] = []): [string, unknown][] {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.push([path, o]);
  return out;
}

test('absent, null and empty source fields yield no output field', () => {
  const r = doc('{"timestamp":"2024-06-27T12:56:49.920281+0000","event_type":"alert","src_ip":"","dest_ip":null,"in_iface":"","alert":{"signature":"","category":null,"metadata":{"signature_severity":[]}},"http":{"url":""}}');
  for (const [path, v] of leaves(r.document)) {
    assert.notEqual(v, null, path);
    assert.notEqual(v, '', path);
    assert.notEqual(v, undefined, path);
  }
  assert.deepEqual(Object.keys(r.document).sort(), ['@timestamp', 'event', 'message']);
});

test('event.kind is alert only for alerts; category and type always network/connection', () => {
  const a = doc('{"timestamp":"2024-06-27T12:56:49Z","event_type":"alert"}').document;
  assert.equal(a.event?.kind, 'alert');
  const f = doc('{"timestamp":"2024-06-27T12:56:49Z","event_type":"flow"}').document;
  assert.equal(f.event?.kind, undefined);
  assert.deepEqual(f.event?.category, ['network']);
  assert.deepEqual(f.event?.type, ['connection']);
});

test('flow_id beyond 2^53 keeps every digit in jizo.flow.id', () => {
  const r = doc('{"timestamp":"2024-06-27T12:56:49Z","event_type":"flow","flow_id":18446744073709551615,"flow":{"bytes_toserver":9007199254740993}}');
  assert.deepEqual(r.document.jizo, { flow: { id: '18446744073709551615' } });
  assert.equal(r.lossless, true);
  assert.match(toJson(r.document, r.lossless), /"bytes":9007199254740993/);
});

test('IP addresses are canonical; an invalid IP yields no ip field and a warning', () => {
  const r = doc('{"timestamp":"2024-06-27T12:56:49Z","event_type":"flow","src_ip":"FE80:0000:0000:0000:0202:B3FF:FE1E:8329","dest_ip":"not-an-ip"}');
  assert.equal(r.document.source?.ip, 'fe80::202:b3ff:fe1e:8329');
  assert.equal(r.document.destination, undefined);
  assert.deepEqual(r.document.related?.ip, ['fe80::202:b3ff:fe1e:8329']);
  assert.ok(r.warnings.some((w) => w.includes('dest_ip')));
});

test('a missing or unreadable timestamp falls back to reception time with a warning', () => {
  const receivedAt = '2025-01-01T00:00:00.000Z';
  const a = doc('{"event_type":"alert","src_ip":"192.0.2.1"}', { receivedAt });
  assert.equal(a.document['@timestamp'], receivedAt);
  assert.ok(a.warnings.length > 0);
  const b = doc('{"timestamp":"2017-01-30T16:12:26.985026+0100garbage","event_type":"dns"}', { receivedAt });
  assert.equal(b.document['@timestamp'], receivedAt);
  assert.ok(b.warnings.some((w) => w.includes('unreadable timestamp')));
  const c = doc('{"timestamp":"bad","@timestamp":"2024-06-27T12:56:49.123456+02:00","event_type":"dns"}', { receivedAt });
  assert.equal(c.document['@timestamp'], '2024-06-27T10:56:49.123456Z');
});

test('numbers given as strings are read as numbers for long fields; junk is dropped', () => {
  const r = doc('{"timestamp":"2024-06-27T12:56:49Z","event_type":"alert","src_port":"8080","dest_port":"http","alert":{"severity":"2","signature_id":2000001}}');
  assert.equal(r.document.source?.port, 8080);
  assert.equal(r.document.destination, undefined);
  assert.equal(r.document.event?.severity, 2);
  assert.equal(r.document.action?.properties?.signature_id, '2000001');
});

test('input keys such as __proto__ and constructor do not touch any prototype', () => {
  const raw = '{"timestamp":"2024-06-27T12:56:49Z","event_type":"alert","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"alert":{"__proto__":{"signature":"x"}},"flow":{"__proto__":{"start":"2024-06-27T12:56:49Z"}}}';
  const r = doc(raw);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(r.document.action, undefined);
  assert.equal(r.document.event?.start, undefined);
});

test('descriptions asked for without the describe module passed in are a clear error, not a silent omission', async () => {
  const loaded = await loadNormalizer({ describe: true });
  assert.throws(() => loaded('{"timestamp":"2024-01-01T00:00:00Z","event_type":"flow"}', { describe: true }), /needs the description adder/);
});

test('an unknown profile is a clear error', () => {
  assert.throws(() => normalize('{}', { profile: 'nope' as never }), /unknown profile "nope"/);
});

test('loadNormalizer (the CLI and worker path) gives what normalize() gives, for every profile, with and without descriptions', async () => {
  const lines = corpusLines().slice(0, 400).map((l) => l.text);
  for (const profile of ['sekoia', 'ecs'] as const) {
    for (const describe of [false, true]) {
      const options = { profile, describe, receivedAt: '2026-01-01T00:00:00.000Z' };
      const loaded = await loadNormalizer(options, loadDescriptionAdder);
      let documents = 0;
      for (const line of lines) {
        const a = loaded(line, options);
        const b = normalize(line, options);
        assert.deepEqual(a, b, `${profile} describe=${describe}: ${line.slice(0, 80)}`);
        if (!a.ok) continue;
        documents++;
        const described = typeof (a.document.jizo as { description?: unknown } | undefined)?.description === 'string';
        assert.equal(described, describe, `${profile}: a description only when asked for`);
      }
      assert.ok(documents > 100, `${profile}: ${documents} documents`);
    }
  }
  await assert.rejects(loadNormalizer({ profile: 'nope' as never }), /unknown profile "nope": available profiles are sekoia, ecs/);
});
