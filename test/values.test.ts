import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keyword } from '../src/normalize/values.js';

test('keyword of a number is String(number), flow ids included', () => {
  for (const v of [0, -0, 1, 99_999_999, 100_000_000, 1017644745558273, Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, -1e9, 1.5, 1e15 + 0.5, NaN, Infinity]) {
    assert.equal(keyword(v), String(v), String(v));
  }
  fc.assert(
    fc.property(fc.oneof(fc.maxSafeInteger(), fc.double()), (v) => {
      assert.equal(keyword(v), String(v));
    }),
    { numRuns: 20000 },
  );
});
