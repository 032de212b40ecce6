import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIp } from '../src/normalize/ip.js';

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
