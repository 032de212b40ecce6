/**
 * Nothing lost: for every line of the public corpus and every golden input,
 * each leaf value of the raw EVE object is found in the `ecs` document with
 * event.original off (test/helpers/loss.ts lists the renderings allowed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decode } from '../src/decode/index.js';
import { normalize } from '../src/index.js';
import { findTestFiles } from '../src/testing/intake-test.js';
import { corpusLines } from './helpers/corpus.js';
import { lostValues, leaves } from './helpers/loss.js';
import { GOLDEN } from './helpers/paths.js';

const receivedAt = '2025-01-01T00:00:00.000Z';

async function inputs(): Promise<{ where: string; text: string }[]> {
  const out = corpusLines().map(({ file, line, text }) => ({ where: `${file}:${line}`, text }));
  for (const f of await findTestFiles([GOLDEN])) {
    const spec = JSON.parse(readFileSync(f, 'utf8')) as { input: { message: string } };
    out.push({ where: f.slice(f.indexOf('/golden/') + 1), text: spec.input.message });
  }
  return out;
}

test('ecs profile, event.original off: no raw value is lost (corpus and goldens)', async (t) => {
  let lines = 0;
  let checked = 0;
  const lost: string[] = [];
  for (const { where, text } of await inputs()) {
    const d = decode(text);
    if (!d.ok) continue;
    const r = normalize(text, { profile: 'ecs', receivedAt, keepOriginal: false });
    assert.ok(r.ok, where);
    assert.equal((r.document.event as Record<string, unknown>).original, undefined, `${where}: event.original is off`);
    lines++;
    checked += leaves(d.event).length;
    for (const l of lostValues(d.event, r.document)) lost.push(`${where}: ${l.path} = ${JSON.stringify(String(l.value)).slice(0, 80)}`);
  }
  t.diagnostic(`loss check: ${lines} lines, ${checked} values checked, ${lost.length} lost`);
  assert.ok(lines > 2800 && checked > 50_000, `${lines} lines, ${checked} values`);
  assert.deepEqual(lost.slice(0, 50), [], `${lost.length} values lost`);
});

/** Paths of empty values (null, "", [] or {}) anywhere in a document. */
function emptyPaths(v: unknown, path: string, out: string[]): string[] {
  if (v === null || v === '') out.push(path);
  else if (Array.isArray(v)) {
    if (v.length === 0) out.push(path);
    v.forEach((x, i) => emptyPaths(x, `${path}.${i}`, out));
  } else if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    if (keys.length === 0) out.push(path);
    for (const k of keys) emptyPaths((v as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`, out);
  }
  return out;
}

test('ecs profile: no empty value anywhere in a document, jizo.* included (corpus and goldens)', async () => {
  const found: string[] = [];
  for (const { where, text } of await inputs()) {
    const r = normalize(text, { profile: 'ecs', receivedAt });
    if (r.ok) for (const p of emptyPaths(r.document, '', [])) found.push(`${where}: ${p}`);
  }
  assert.deepEqual(found.slice(0, 20), []);
});

test('the loss check sees a value that is dropped', () => {
  const event = { event_type: 'dns', dns: { type: 'query', rrname: 'a.example.com', extra: 'kept?' } };
  assert.deepEqual(lostValues(event, { dns: { question: { name: 'a.example.com' } }, jizo: { event_type: 'dns' } }).map((l) => l.path), ['dns.type', 'dns.extra']);
  // A boolean is found only under its own key, not as any `true` of the document.
  assert.deepEqual(lostValues({ flow: { alerted: true } }, { jizo: { tls: { resumed: true } } }).map((l) => l.path), ['flow.alerted']);
  // Renderings: UTC time with digits kept, canonical IP, hex without colons.
  assert.deepEqual(lostValues({ t: '2024-01-01T01:00:00.123456+0100', ip: '2001:0db8::0001', fp: 'ab:cd' }, { a: '2024-01-01T00:00:00.123456Z', b: '2001:db8::1', c: 'ABCD' }), []);
});
