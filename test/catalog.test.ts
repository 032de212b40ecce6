import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG, Catalog, catalogField, DESCRIPTION_FIELD, profileFields } from '../src/catalog/catalog.js';
import { ECS_PROFILE_FIELDS } from '../src/catalog/fields/ecs.js';
import { SEKOIA_FIELDS } from '../src/catalog/fields/sekoia.js';
import { ENRICH_FIELDS } from '../src/catalog/fields/enrich.js';
import { PROFILES } from '../src/normalize/types.js';
import { SHARED } from './helpers/documents.js';

interface EcsField {
  type: string;
  normalize?: string[];
}
const ECS = (JSON.parse(readFileSync(join(SHARED, 'ecs/ecs-fields.json'), 'utf8')) as { fields: Record<string, EcsField> }).fields;

/** Rows of the spec's "Extracted Fields" table: name -> type. */
function specTable(): Map<string, string> {
  const text = readFileSync(join(SHARED, 'spec/jizo-integration.md'), 'utf8');
  const section = text.slice(text.indexOf('## Extracted Fields'));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|/gm)) rows.set(m[1]!, m[2]!);
  return rows;
}

/** Fields the sekoia samples show but the table does not list ("infered fields are not listed"). */
const SEKOIA_INFERRED = ['message', 'source.address', 'destination.address', 'related.ip', 'url.path', 'url.query'];

describe('field catalog', () => {
  it('merges the lists: a field of both gets both profiles, each list is fully present', () => {
    for (const f of SEKOIA_FIELDS) assert.ok(catalogField(f.name)?.profiles.includes('sekoia'), f.name);
    for (const f of ECS_PROFILE_FIELDS) assert.ok(catalogField(f.name)?.profiles.includes('ecs'), f.name);
    assert.deepEqual(catalogField('@timestamp')?.profiles, ['sekoia', 'ecs']);
    assert.deepEqual(catalogField(DESCRIPTION_FIELD.name)?.profiles, [...PROFILES]);
    assert.equal(catalogField('no.such.field'), undefined);
  });

  it('resolves a dotted name by name first, then by a pattern field of its parent', () => {
    const c = new Catalog([
      {
        profiles: ['ecs'],
        fields: [
          { name: 'jizo.*', type: 'flattened', description: '' },
          { name: 'jizo.arp', type: 'object', description: '' },
          { name: 'jizo.arp.op', type: 'long', description: '' },
        ],
      },
    ]);
    assert.equal(c.resolve('jizo.arp')?.name, 'jizo.arp');
    assert.equal(c.resolve('jizo.future')?.name, 'jizo.*');
    assert.equal(c.resolve('jizo.future.x'), undefined);
    assert.equal(c.resolve('other'), undefined);
    assert.equal(c.get('jizo.future'), undefined);
  });

  it('fails at build time when two lists disagree on a type', () => {
    assert.throws(
      () =>
        new Catalog([
          { profiles: ['sekoia'], fields: [{ name: 'a.b', type: 'long', description: '' }] },
          { profiles: ['ecs'], fields: [{ name: 'a.b', type: 'keyword', description: '' }] },
        ]),
      /a\.b is long for sekoia but keyword for ecs/,
    );
  });

  it('fails at build time when a field sits under a non-object field', () => {
    assert.throws(
      () =>
        new Catalog([
          {
            profiles: ['ecs'],
            fields: [
              { name: 'jizo.x', type: 'flattened', description: '' },
              { name: 'jizo.x.y', type: 'keyword', description: '' },
            ],
          },
        ]),
      /jizo\.x\.y is under jizo\.x, which is flattened/,
    );
  });

  it('lists each profile\'s fields sorted, and all fields without a profile', () => {
    for (const p of PROFILES) {
      const names = profileFields(p).map((f) => f.name);
      assert.deepEqual(names, [...names].sort());
      assert.ok(profileFields(p).every((f) => f.profiles.includes(p)));
    }
    assert.equal(profileFields().length, CATALOG.fields.length);
    assert.ok(CATALOG.isParent('source', 'sekoia'));
    assert.ok(!CATALOG.isParent('source.ip', 'sekoia'));
  });

  it('gives every ECS field its ECS type and array flag', () => {
    for (const f of CATALOG.fields) {
      if (f.custom === true) continue;
      const ecs = ECS[f.name];
      assert.ok(ecs !== undefined, `${f.name} is not an ECS field: mark it custom (jizo.*) or fix the name`);
      assert.equal(f.type, ecs.type, `${f.name}: catalog type ${f.type}, ECS type ${ecs.type}`);
      assert.equal(f.array === true, ecs.normalize?.includes('array') === true, `${f.name}: array flag differs from ECS normalize`);
    }
  });

  it('declares custom fields under jizo.*, or action.properties.* for the documented integration', () => {
    for (const f of CATALOG.fields) {
      if (f.custom !== true) {
        assert.ok(!f.name.startsWith('jizo.'), `${f.name} must be custom`);
        continue;
      }
      const ok = f.name.startsWith('jizo.') || (f.name.startsWith('action.properties.') && f.profiles.join() === 'sekoia');
      assert.ok(ok, `custom field ${f.name} is outside jizo.*`);
      assert.equal(ECS[f.name], undefined, `${f.name} is an ECS field but marked custom`);
    }
  });

  it('lists for the sekoia profile exactly the spec table, the inferred fields, jizo.description and the enrichment fields, with the spec types', () => {
    const table = specTable();
    assert.ok(table.size >= 27, `spec table parsed: ${table.size} rows`);
    // jizo.description and the enrichment fields appear only when asked for (--describe, --geoip ...)
    const expected = new Set([...table.keys(), ...SEKOIA_INFERRED, DESCRIPTION_FIELD.name, ...ENRICH_FIELDS.map((f) => f.name)]);
    const actual = new Set(profileFields('sekoia').map((f) => f.name));
    assert.deepEqual([...actual].sort(), [...expected].sort());
    for (const [name, type] of table) assert.equal(catalogField(name)?.type, type, name);
    for (const name of SEKOIA_INFERRED) assert.equal(catalogField(name)?.type, ECS[name]?.type, name);
  });

  it('has a description for every field', () => {
    for (const f of CATALOG.fields) assert.ok(f.description.trim().length > 0, f.name);
  });
});
