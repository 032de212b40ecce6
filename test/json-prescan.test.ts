import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mayHoldUnsafeInteger, parseJson } from '../src/eve/json.js';

/** The regex scan mayHoldUnsafeInteger replaced, kept as the oracle. */
function reference(text: string): boolean {
  const re = /\d{16,}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) if (m[0].length > 16 || m[0] > '9007199254740991') return true;
  return false;
}

test('mayHoldUnsafeInteger: same answer as the regex scan', () => {
  const unit = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...'0123456789') }, { weight: 1, arbitrary: fc.constantFrom('a', ',', '"', ':', '-', '.') });
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 80 }), (s) => {
      assert.equal(mayHoldUnsafeInteger(s), reference(s), s);
    }),
    { numRuns: 50000 },
  );
});

test('mayHoldUnsafeInteger: edges of 2^53 at every alignment', () => {
  for (let pad = 0; pad < 9; pad++) {
    const p = 'x'.repeat(pad);
    assert.equal(mayHoldUnsafeInteger(`${p}{"flow_id":9007199254740991}`), false);
    assert.equal(mayHoldUnsafeInteger(`${p}{"flow_id":9007199254740992}`), true);
    assert.equal(mayHoldUnsafeInteger(`${p}{"flow_id":10000000000000000}`), true);
    assert.equal(mayHoldUnsafeInteger(`${p}{"flow_id":1017644745558273}`), false);
    assert.equal(mayHoldUnsafeInteger(`${p}12345678901234567`), true);
  }
});

test('parseJson keeps every digit of a large flow id and takes the fast path otherwise', () => {
  const big = parseJson('{"flow_id":18446744073709551615,"x":1.5}');
  assert.equal(big.lossless, true);
  assert.equal((big.value as Record<string, unknown>).flow_id, 18446744073709551615n);
  const small = parseJson('{"flow_id":1017644745558273}');
  assert.equal(small.lossless, false);
  assert.equal((small.value as Record<string, unknown>).flow_id, 1017644745558273);
});
