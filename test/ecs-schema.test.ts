/**
 * Every document of the `ecs` profile (golden outputs and every corpus line)
 * conforms to ECS and the declared custom fields; the field list itself agrees
 * with ECS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../src/eve/json.js';
import { normalize } from '../src/index.js';
import { ECS_PROFILE_FIELDS } from '../src/catalog/fields/ecs.js';
import { findTestFiles } from '../src/testing/intake-test.js';
import { WHOLE_KEYS } from '../src/normalize/ecs/protocols.js';
import { corpusLines } from './helpers/corpus.js';
import { schemaErrors } from './helpers/ecs-schema.js';
import { GOLDEN, SHARED } from './helpers/paths.js';

const ecs = (JSON.parse(readFileSync(join(SHARED, 'ecs', 'ecs-fields.json'), 'utf8')) as {
  fields: Record<string, { type: string; normalize?: string[] }>;
}).fields;

test('ECS_PROFILE_FIELDS: ECS entries carry their ECS type and array-ness, custom ones are jizo.*, no duplicates', () => {
  const names = new Set<string>();
  for (const f of ECS_PROFILE_FIELDS) {
    assert.ok(!names.has(f.name), `duplicate ${f.name}`);
    names.add(f.name);
    assert.ok(f.description.length > 0 && f.description.length < 160, `${f.name}: one short description`);
    if (f.custom) {
      assert.ok(f.name.startsWith('jizo.'), `${f.name}: custom fields live under jizo.*`);
      assert.equal(ecs[f.name], undefined, `${f.name} is an ECS field, not a custom one`);
      continue;
    }
    const e = ecs[f.name];
    assert.ok(e !== undefined, `${f.name} is not in ECS`);
    assert.equal(f.type, e.type, `${f.name} type`);
    assert.equal(f.array === true, e.normalize?.includes('array') === true, `${f.name} array`);
  }
});

test('every protocol object kept whole is declared as one flattened field', () => {
  const byName = new Map(ECS_PROFILE_FIELDS.map((f) => [f.name, f]));
  for (const k of WHOLE_KEYS) assert.equal(byName.get(`jizo.${k}`)?.type, 'flattened', `jizo.${k}`);
  assert.equal(byName.get('jizo.*')?.type, 'flattened');
});

test('schema check catches what it must (unknown field, wrong type, scalar for an array, illegal category/type pair)', () => {
  const base = { '@timestamp': '2024-01-01T00:00:00Z', event: { kind: 'event', category: ['network'], type: ['connection'] } };
  assert.deepEqual(schemaErrors(base), []);
  assert.match(schemaErrors({ ...base, foo: { bar: 1 } }).join(), /foo\.bar: neither/);
  assert.match(schemaErrors({ ...base, source: { port: '80' } }).join(), /source\.port/);
  assert.match(schemaErrors({ ...base, related: { ip: '192.0.2.1' } }).join(), /related\.ip/);
  assert.match(schemaErrors({ ...base, source: { ip: '2001:0db8::1' } }).join(), /source\.ip/);
  assert.match(schemaErrors({ ...base, event: { kind: 'event', category: ['network'], type: ['access', 'creation'] } }).join(), /creation legal for none/);
  assert.match(schemaErrors({ ...base, jizo: { flow: { id: 5 } } }).join(), /jizo\.flow\.id/);
  assert.match(schemaErrors({ ...base, event: { ...base.event, start: '2024-01-01T00:00:00+0100' } }).join(), /event\.start/);
});

test('every golden output of the ecs profile conforms to ECS and the declared fields', async () => {
  const files = await findTestFiles([join(GOLDEN, 'ecs')]);
  assert.ok(files.length >= 40, `golden files: ${files.length}`);
  for (const file of files) {
    const spec = parseJson(readFileSync(file, 'utf8')).value as { profile: string; input: { message: string }; expected: Record<string, unknown> };
    assert.equal(spec.profile, 'ecs', file);
    assert.deepEqual(schemaErrors(spec.expected), [], `${file} (expected)`);
    const r = normalize(spec.input.message, { profile: 'ecs' });
    assert.ok(r.ok, file);
    assert.deepEqual(schemaErrors(r.document as Record<string, unknown>), [], `${file} (output)`);
  }
});

test('every ecs document of the corpus conforms to ECS and the declared fields', () => {
  let documents = 0;
  const failures: string[] = [];
  for (const { file, line, text } of corpusLines()) {
    const r = normalize(text, { profile: 'ecs', receivedAt: '2025-01-01T00:00:00Z' });
    if (!r.ok) continue;
    documents++;
    const errors = schemaErrors(r.document as Record<string, unknown>);
    if (errors.length > 0 && failures.length < 20) failures.push(`${file}:${line}: ${errors.slice(0, 3).join('; ')}`);
  }
  assert.ok(documents > 2800, `documents: ${documents}`);
  assert.deepEqual(failures, []);
});
