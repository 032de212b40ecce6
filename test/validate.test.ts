import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseJson } from '../src/eve/json.js';
import { Catalog } from '../src/catalog/catalog.js';
import { validateDocument } from '../src/catalog/validate.js';
import { isRfc3339 } from '../src/catalog/values.js';
import { availableProfiles, producedDocuments } from './helpers/documents.js';

const catalog = new Catalog([
  {
    profiles: ['ecs'],
    fields: [
      { name: '@timestamp', type: 'date', description: 'd' },
      { name: 'source.ip', type: 'ip', description: 'd' },
      { name: 'source.port', type: 'long', description: 'd' },
      { name: 'related.ip', type: 'ip', description: 'd', array: true },
      { name: 'network.vlan.id', type: 'keyword', description: 'd' },
      { name: 'jizo.count', type: 'unsigned_long', description: 'd', custom: true },
      { name: 'jizo.small', type: 'integer', description: 'd', custom: true },
      { name: 'jizo.ratio', type: 'float', description: 'd', custom: true },
      { name: 'jizo.flag', type: 'boolean', description: 'd', custom: true },
      { name: 'jizo.other', type: 'flattened', description: 'd', custom: true },
      { name: 'jizo.*', type: 'flattened', description: 'd', custom: true },
      { name: 'dns.answers', type: 'object', description: 'd', array: true },
      { name: 'dns.answers.data', type: 'keyword', description: 'd' },
      { name: 'dns.answers.ttl', type: 'long', description: 'd' },
    ],
  },
  { profiles: ['sekoia'], fields: [{ name: 'message', type: 'match_only_text', description: 'd' }] },
]);

const codes = (doc: unknown) => validateDocument(doc, 'ecs', catalog).map((p) => `${p.field}:${p.code}`);

describe('validateDocument', () => {
  it('accepts a conforming document', () => {
    const doc = {
      '@timestamp': '2024-06-27T12:56:49.920281Z',
      source: { ip: '2001:db8::1', port: 443 },
      related: { ip: ['192.0.2.1', '2001:db8::1'] },
      network: { vlan: { id: '10' } },
      jizo: { count: 18446744073709551615n, small: -5, ratio: 0.5, flag: false, other: { any: { deep: [1, 'x', null] } } },
      dns: { answers: [{ data: 'a', ttl: 60 }, { data: 'b' }] },
    };
    assert.deepEqual(validateDocument(doc, 'ecs', catalog), []);
  });

  it('reports uncatalogued fields, also those of another profile', () => {
    assert.deepEqual(codes({ source: { ip: '192.0.2.1', nat: { ip: '192.0.2.2' } }, message: 'x', extra: 1 }), [
      'source.nat:uncatalogued',
      'message:uncatalogued',
      'extra:uncatalogued',
    ]);
    assert.match(validateDocument({ message: 'x' }, 'ecs', catalog)[0]!.message, /catalogued for sekoia only/);
  });

  it('checks every type', () => {
    assert.deepEqual(
      codes({
        '@timestamp': '2024-06-27T12:56:49.920281',
        source: { ip: '300.1.1.1', port: 1.5 },
        network: { vlan: { id: 10 } },
        jizo: { count: -1, small: 2 ** 31, ratio: '0.5', flag: 'true', other: 'scalar' },
        dns: { answers: [{ data: 'a', ttl: '60' }] },
      }),
      [
        '@timestamp:type',
        'source.ip:type',
        'source.port:type',
        'network.vlan.id:type',
        'jizo.count:type',
        'jizo.small:type',
        'jizo.ratio:type',
        'jizo.flag:type',
        'jizo.other:type',
        'dns.answers.ttl:type',
      ],
    );
  });

  it('keeps long in the signed 64-bit range and refuses inexact numbers', () => {
    assert.deepEqual(codes({ source: { port: 9223372036854775807n } }), []);
    assert.deepEqual(codes({ source: { port: 9223372036854775808n } }), ['source.port:type']);
    assert.deepEqual(codes({ source: { port: 2 ** 60 } }), ['source.port:type']);
    assert.deepEqual(codes({ jizo: { count: 18446744073709551616n } }), ['jizo.count:type']);
  });

  it('resolves pattern fields (jizo.*) for direct children only, and lets flattened fields hold lists of objects', () => {
    assert.deepEqual(codes({ jizo: { futureproto: { a: [1, { b: 2 }] }, other: [{ a: 1 }, { b: 2 }] } }), []);
    assert.deepEqual(codes({ jizo: { futureproto: 'scalar' } }), ['jizo.futureproto:type']);
    assert.deepEqual(codes({ jizo: { other: ['x'] } }), ['jizo.other:type']);
    assert.deepEqual(codes({ network: { vlan: { id: '1', x: { y: 1 } } } }), ['network.vlan.x:uncatalogued']);
  });

  it('allows lists only in array fields', () => {
    assert.deepEqual(codes({ source: { ip: ['192.0.2.1'] }, related: { ip: '192.0.2.1' } }), ['source.ip:array']);
    assert.deepEqual(codes({ related: { ip: ['192.0.2.1', 'nope'] } }), ['related.ip:type']);
  });

  it('checks dates as RFC 3339 with offset', () => {
    assert.ok(isRfc3339('2024-06-27T12:56:49Z'));
    assert.ok(isRfc3339('2024-06-27T12:56:49.123456789+02:00'));
    assert.ok(!isRfc3339('2024-06-27T12:56:49+0000'));
    assert.ok(!isRfc3339('2024-02-30T12:56:49Z'));
    assert.ok(!isRfc3339('2024-06-27 12:56:49Z'));
    assert.ok(!isRfc3339('2024-06-27T24:00:00Z'));
  });

  it('treats __proto__ and constructor keys as data', () => {
    const doc = parseJson('{"__proto__": {"polluted": 1}, "source": {"constructor": 1}}').value;
    assert.deepEqual(codes(doc), ['__proto__:uncatalogued', 'source.constructor:uncatalogued']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const problems = validateDocument(v, 'ecs', catalog);
        assert.ok(Array.isArray(problems));
      }),
      { numRuns: 300 },
    );
  });
});

describe('documents produced from seed, golden and corpus inputs conform to the catalog', () => {
  for (const profile of availableProfiles()) {
    for (const describe of [false, true]) {
      it(`${profile} profile${describe ? ' with --describe' : ''}`, () => {
        const docs = producedDocuments(profile, describe);
        assert.ok(docs.length > 2000, `${docs.length} documents`);
        const failures: string[] = [];
        for (const d of docs) {
          for (const p of validateDocument(d.document, profile)) failures.push(`${d.origin}: ${p.message}`);
        }
        assert.deepEqual(failures.slice(0, 20), [], `${failures.length} problems`);
      });
    }
  }
});
