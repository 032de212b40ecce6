import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { canonicalIp, isDottedQuad } from '../src/normalize/ip.js';

test('canonicalIp: cached answers equal first answers, valid or not', () => {
  const cases: [string, string | undefined][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['FE80:0000:0000:0000:0202:B3FF:FE1E:8329%eth0', 'fe80::202:b3ff:fe1e:8329'],
    ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'],
    ['2001:db8::g', undefined],
    ['1:2:3', undefined],
    ['192.0.2.1', '192.0.2.1'],
    ['::' + '0'.repeat(200), undefined],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [input, want] of cases) assert.equal(canonicalIp(input), want, `${input} (round ${round})`);
  }
});

test('canonicalIp: the cache stays right past its bound', () => {
  for (let i = 1; i < 10_000; i++) {
    const hex = i.toString(16).padStart(4, '0');
    assert.equal(canonicalIp(`2001:0db8:0000:0000:0000:0000:0000:${hex}`), `2001:db8::${i.toString(16)}`);
  }
  assert.equal(canonicalIp('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
});

test('isDottedQuad: same answer as net.isIPv4 on near-addresses and random strings', () => {
  const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '010', '255', '256', '', '1a', '-1', ' 1', '0000'));
  const quad = fc.array(octet, { minLength: 1, maxLength: 6 }).chain((parts) =>
    fc.constantFrom('.', '.', '.', '.', '..', ':', ',').map((sep) => parts.join(sep)),
  );
  const junk = fc.tuple(quad, fc.constantFrom('', '', '.', ' ', '\n', '/24', '%eth0')).map(([q, j]) => q + j);
  fc.assert(
    fc.property(fc.oneof(quad, junk, fc.string({ maxLength: 20 }), fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 17 })), (s) => {
      assert.equal(isDottedQuad(s), isIPv4(s), JSON.stringify(s));
    }),
    { numRuns: 50000 },
  );
  for (const s of ['0.0.0.0', '255.255.255.255', '192.0.2.1', '1.2.3.04', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '.1.2.3', '1.2.3.']) {
    assert.equal(isDottedQuad(s), isIPv4(s), s);
  }
});
