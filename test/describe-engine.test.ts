import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Describer, type DescriptionTemplate } from '../src/describe/engine.js';
import { parseJson } from '../src/eve/json.js';

const t = (id: string, when: DescriptionTemplate['when'], text: string, relationships?: DescriptionTemplate['relationships']): DescriptionTemplate => ({
  id,
  eventTypes: [],
  when,
  text,
  relationships,
});

describe('description engine', () => {
  it('fills placeholders, drops optional segments whose values are missing, nests segments', () => {
    const d = new Describer([t('x', [], '{a.b}[ and {a.c}][ ({a.d}[ / {a.e}])]!')]);
    assert.equal(d.describe({ a: { b: 'B', c: 'C' } }).text, 'B and C!');
    assert.equal(d.describe({ a: { b: 'B', d: 4 } }).text, 'B (4)!');
    assert.equal(d.describe({ a: { b: 'B', d: 4, e: true } }).text, 'B (4 / true)!');
    assert.equal(d.describe({ a: { b: 'B', e: 1 } }).text, 'B!');
  });

  it('makes a template whose required placeholder is missing ineligible', () => {
    const d = new Describer([t('needs-b', [], 'has {b}'), t('fallback', [], 'fallback')]);
    assert.equal(d.describe({ b: 1 }).template, 'needs-b');
    const r = d.describe({ c: 1 });
    assert.equal(r.template, 'fallback');
    assert.equal(r.text, 'fallback');
  });

  it('picks the eligible template with the most conditions, the earliest on a tie', () => {
    const d = new Describer([
      t('one', [{ field: 'k', equals: 'alert' }], 'one'),
      t('one-bis', [{ field: 'k', exists: true }], 'one-bis'),
      t('two', [{ field: 'k', equals: 'alert' }, { field: 'r', exists: true }], 'two'),
      t('oneof', [{ field: 'k', oneOf: ['x', 'y'] }, { field: 'z', absent: true }], 'oneof'),
      t('none', [], 'none'),
    ]);
    assert.equal(d.describe({ k: 'alert', r: 1 }).template, 'two');
    assert.equal(d.describe({ k: 'alert' }).template, 'one');
    assert.equal(d.describe({ k: 'other' }).template, 'one-bis');
    assert.equal(d.describe({ k: 'y' }).template, 'oneof');
    assert.equal(d.describe({ k: 'y', z: 1 }).template, 'one-bis');
    assert.equal(d.describe({}).template, 'none');
  });

  it('matches equals against any element of a list, and reads lists of objects', () => {
    const d = new Describer([t('x', [{ field: 'event.type', equals: 'protocol' }], '{dns.answers.data}')]);
    const doc = { event: { type: ['connection', 'protocol'] }, dns: { answers: [{ data: 'a' }, { data: 'b' }, { ttl: 3 }] } };
    assert.equal(d.describe(doc).text, 'a, b');
    const many = { event: { type: 'protocol' }, dns: { answers: ['1', '2', '3', '4', '5', '6'].map((data) => ({ data })) } };
    assert.equal(d.describe(many).text, '1, 2, 3 and 3 more');
  });

  it('counts an object as existing when it holds a printable value', () => {
    const d = new Describer([t('obj', [{ field: 'o', exists: true }], 'obj'), t('none', [], 'none')]);
    assert.equal(d.describe({ o: { a: { b: [0] } } }).template, 'obj');
    assert.equal(d.describe({ o: { a: {}, b: [], c: '' } }).template, 'none');
  });

  it('applies filters and escapes', () => {
    const d = new Describer([t('x', [], '{ip|host}:{port} \\[{p|upper}\\]')]);
    assert.equal(d.describe({ ip: '2001:db8::1', port: 443, p: 'tcp' }).text, '[2001:db8::1]:443 [TCP]');
    assert.equal(d.describe({ ip: '192.0.2.1', port: 80, p: 'udp' }).text, '192.0.2.1:80 [UDP]');
  });

  it('prints bigints with every digit and never prints objects, null or empty strings', () => {
    const d = new Describer([t('x', [], '{a}[ {b}][ {c}][ {e}]')]);
    assert.equal(d.describe({ a: 18446744073709551615n, b: { x: 1 }, c: null, e: '' }).text, '18446744073709551615');
  });

  it('outputs the relationships whose fields the event fills', () => {
    const d = new Describer([
      t('x', [], '{s}', [
        { source: 's', verb: 'resolved to', target: 'ips' },
        { source: 's', verb: 'served', target: 'missing' },
      ]),
    ]);
    assert.deepEqual(d.describe({ s: 'example.com', ips: ['192.0.2.1', '192.0.2.2'] }).relationships, [
      { source: { field: 's', value: 'example.com' }, verb: 'resolved to', target: { field: 'ips', value: '192.0.2.1' } },
      { source: { field: 's', value: 'example.com' }, verb: 'resolved to', target: { field: 'ips', value: '192.0.2.2' } },
    ]);
  });

  it('refuses bad templates when compiling', () => {
    assert.throws(() => new Describer([t('a', [], 'x'), t('a', [], 'y')]), /duplicate id/);
    assert.throws(() => new Describer([t('a', [], '[{x}')]), /unclosed \[/);
    assert.throws(() => new Describer([t('a', [], '{x}]')]), /unbalanced \]/);
    assert.throws(() => new Describer([t('a', [], '{x')]), /unclosed \{/);
    assert.throws(() => new Describer([t('a', [], '{x|nope}')]), /unknown filter nope/);
    assert.throws(() => new Describer([t('a', [], '{}')]), /bad placeholder/);
  });

  it('treats __proto__ and constructor keys as data', () => {
    const d = new Describer([t('x', [{ field: 'constructor', absent: true }], '[{__proto__.x}]-[{a.constructor}]')]);
    const doc = parseJson('{"__proto__": {"x": "own"}, "a": {}}').value;
    assert.equal(d.describe(doc).text, 'own-');
    assert.equal(d.describe({}).text, '-');
  });

  it('never throws and never prints undefined on any JSON value', () => {
    const d = new Describer([t('x', [{ field: 'a', exists: true }], '{a}[ {b.c}]'), t('y', [], '[{a}]{b}'), t('z', [], 'z')]);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = d.describe(v);
        assert.ok(!r.text.includes('undefined'));
      }),
      { numRuns: 300 },
    );
  });
});
