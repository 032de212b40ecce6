import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROFILES, type ProfileName } from '../src/normalize/types.js';
import { profileFields } from '../src/catalog/catalog.js';
import { mappingProblems } from '../src/catalog/mapping-check.js';
import { buildIndexTemplate, buildProperties, patternTemplates, TEMPLATE_TARGETS, type FieldMapping } from '../src/catalog/template.js';
import { availableProfiles, producedDocuments, ROOT } from './helpers/documents.js';

/** Dotted names of every mapped field (leaves, and object nodes). */
function mappedNames(props: Record<string, FieldMapping>, prefix = '', out = new Map<string, FieldMapping>()): Map<string, FieldMapping> {
  for (const [k, node] of Object.entries(props)) {
    const name = prefix === '' ? k : `${prefix}.${k}`;
    out.set(name, node);
    if (node.properties !== undefined) mappedNames(node.properties, name, out);
  }
  return out;
}

const ES_ONLY = new Set(['wildcard', 'match_only_text', 'constant_keyword', 'flattened']);

describe('index templates', () => {
  for (const target of TEMPLATE_TARGETS) {
    for (const profile of [undefined, ...PROFILES] as (ProfileName | undefined)[]) {
      it(`${target}, ${profile ?? 'all profiles'}: documented shape, every catalogued field mapped`, () => {
        const t = JSON.parse(JSON.stringify(buildIndexTemplate({ target, profile }))) as ReturnType<typeof buildIndexTemplate>;
        assert.deepEqual(Object.keys(t).sort(), ['index_patterns', 'priority', 'template']);
        assert.deepEqual(t.index_patterns, [profile === undefined ? 'jizo-*' : `jizo-${profile}-*`]);
        assert.ok(Number.isInteger(t.priority) && t.priority > 100);
        assert.deepEqual(Object.keys(t.template).sort(), ['mappings', 'settings']);
        assert.equal(t.template.settings.index.codec, 'best_compression');
        const limit = (t.template.settings.index.mapping as { total_fields: { limit: number } }).total_fields.limit;
        const fields = profileFields(profile);
        assert.ok(limit >= fields.length && limit >= 1000);
        assert.equal(t.template.mappings.dynamic, false);
        const mapped = mappedNames(t.template.mappings.properties);
        for (const f of fields) {
          if (f.name.endsWith('.*')) continue; // pattern fields: see the dynamic templates test
          const node = mapped.get(f.name);
          assert.ok(node !== undefined, `${f.name} not mapped`);
          if (f.type === 'object') assert.ok(node.properties !== undefined, f.name);
          else if (f.type === 'nested') assert.equal(node.type, 'nested', f.name);
          else assert.ok(node.properties === undefined && typeof node.type === 'string', f.name);
        }
        // Nothing but catalogued fields and their parents.
        const parents = new Set(fields.flatMap((f) => f.name.split('.').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('.'))));
        for (const name of mapped.keys()) assert.ok(fields.some((f) => f.name === name) || parents.has(name), `${name} is not catalogued`);
        for (const node of mapped.values()) {
          if (target === 'opensearch') assert.ok(!ES_ONLY.has(node.type ?? ''), `${node.type} does not exist in OpenSearch`);
        }
      });
    }
  }

  it('maps the Elasticsearch-only types to their OpenSearch counterparts', () => {
    const fields = [
      { name: 'a', type: 'wildcard', description: '' },
      { name: 'b', type: 'match_only_text', description: '' },
      { name: 'c', type: 'constant_keyword', description: '' },
      { name: 'd', type: 'flattened', description: '' },
      { name: 'e', type: 'unsigned_long', description: '' },
      { name: 'f', type: 'scaled_float', description: '' },
    ] as const;
    const os = buildProperties(fields, 'opensearch');
    assert.deepEqual(
      Object.values(os).map((n) => n.type),
      ['keyword', 'text', 'keyword', 'flat_object', 'unsigned_long', 'scaled_float'],
    );
    assert.equal(os.f!.scaling_factor, 1000);
    const es = buildProperties(fields, 'elasticsearch');
    assert.deepEqual(
      Object.values(es).map((n) => n.type),
      ['wildcard', 'match_only_text', 'constant_keyword', 'flattened', 'unsigned_long', 'scaled_float'],
    );
  });

  it('builds nested properties and refuses a field under a leaf', () => {
    const props = buildProperties(
      [
        { name: 'dns.answers.data', type: 'keyword', description: '' },
        { name: 'dns.answers', type: 'nested', description: '' },
      ],
      'elasticsearch',
    );
    assert.deepEqual(props, { dns: { properties: { answers: { type: 'nested', properties: { data: { type: 'keyword', ignore_above: 1024 } } } } } });
    assert.throws(
      () =>
        buildProperties(
          [
            { name: 'a', type: 'keyword', description: '' },
            { name: 'a.b', type: 'keyword', description: '' },
          ],
          'elasticsearch',
        ),
      /a\.b is under a/,
    );
  });

  it('maps pattern fields (jizo.*) with dynamic templates under an open parent, everything else closed', () => {
    const fields = [
      { name: 'jizo.*', type: 'flattened', description: '' },
      { name: 'jizo.flow.id', type: 'keyword', description: '' },
      { name: 'source.ip', type: 'ip', description: '' },
    ] as const;
    for (const target of TEMPLATE_TARGETS) {
      const props = buildProperties(fields, target);
      assert.equal(props.jizo!.dynamic, true);
      assert.equal(props.jizo!.properties!.flow!.dynamic, false);
      assert.equal(props.source!.dynamic, undefined);
      const templates = patternTemplates(fields, target);
      const flat = target === 'opensearch' ? 'flat_object' : 'flattened';
      assert.deepEqual(templates[0], { jizo_objects: { path_match: 'jizo.*', path_unmatch: 'jizo.*.*', match_mapping_type: 'object', mapping: { type: flat } } });
      const mappings = { dynamic: false, dynamic_templates: templates, properties: props };
      assert.deepEqual(mappingProblems({ jizo: { futureproto: { a: { b: 1 } }, flow: { id: '1' }, note: 'x' } }, mappings), []);
      assert.deepEqual(mappingProblems({ jizo: { flow: { id: '1', extra: { a: 1 } } }, source: { port: 1 } }, mappings), [
        'jizo.flow.extra is not mapped',
        'source.port is not mapped',
      ]);
    }
  });

  it('offers date_nanos for @timestamp and event.* dates, data streams, patterns and names', () => {
    const plain = buildIndexTemplate({ target: 'elasticsearch', profile: 'sekoia' }).template.mappings.properties;
    assert.equal(plain['@timestamp']!.type, 'date');
    const t = buildIndexTemplate({ target: 'opensearch', profile: 'sekoia', dateNanos: true, dataStream: true, indexPattern: 'logs-jizo-*', name: 'x' });
    const props = t.template.mappings.properties;
    assert.equal(props['@timestamp']!.type, 'date_nanos');
    assert.equal(props.event!.properties!.start!.type, 'date_nanos');
    assert.deepEqual(t.data_stream, {});
    assert.deepEqual(t.index_patterns, ['logs-jizo-*']);
    assert.equal(t.template.mappings._meta.template, 'x');
  });

  for (const profile of availableProfiles()) {
    for (const target of TEMPLATE_TARGETS) {
      it(`${target}: every ${profile} document agrees with the template (mapped, value fits the type)`, () => {
        for (const dateNanos of [false, true]) {
          const mappings = buildIndexTemplate({ target, profile, dateNanos }).template.mappings;
          const failures: string[] = [];
          for (const d of producedDocuments(profile, true)) {
            for (const p of mappingProblems(d.document, mappings)) failures.push(`${d.origin}: ${p}`);
          }
          assert.deepEqual(failures.slice(0, 20), [], `${failures.length} problems`);
        }
      });
    }
  }

  it('reports unmapped fields and values the mapping refuses', () => {
    const props = buildProperties(
      [
        { name: 'source.ip', type: 'ip', description: '' },
        { name: 'source.port', type: 'long', description: '' },
        { name: '@timestamp', type: 'date', description: '' },
      ],
      'elasticsearch',
    );
    assert.deepEqual(mappingProblems({ source: { ip: 'x', port: 1, mac: 'm' }, '@timestamp': '2024-01-01T00:00:00Z' }, { properties: props }), [
      'source.ip (ip): "x" is not an IP address',
      'source.mac is not mapped',
    ]);
    assert.deepEqual(mappingProblems({ source: 'flat' }, { properties: props }), ['source is mapped as an object but holds a scalar']);
  });

  it('jizo-intake template prints the template as JSON', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'dist/cli/jizo-intake.js'), 'template', '--target', 'opensearch', '--profile', 'sekoia', '--data-stream', '--date-nanos'], {
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(buildIndexTemplate({ target: 'opensearch', profile: 'sekoia', dataStream: true, dateNanos: true }))));
  });
});
