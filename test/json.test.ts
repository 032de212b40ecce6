import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayHoldUnsafeInteger, parseJson } from '../src/eve/json.js';
import { toJson } from '../src/serialize.js';

test('integers beyond 2^53 keep every digit as bigint; safe ones stay numbers', () => {
  const r = parseJson('{"a":18446744073709551615,"b":9007199254740993,"c":1017644745558273,"d":1.5,"e":-9223372036854775808}');
  assert.equal(r.lossless, true);
  const v = r.value as Record<string, unknown>;
  assert.equal(v.a, 18446744073709551615n);
  assert.equal(v.b, 9007199254740993n);
  assert.equal(v.c, 1017644745558273);
  assert.equal(v.d, 1.5);
  assert.equal(v.e, -9223372036854775808n);
  assert.equal(toJson(v, true), '{"a":18446744073709551615,"b":9007199254740993,"c":1017644745558273,"d":1.5,"e":-9223372036854775808}');
});

test('the lossless path is taken only when a long digit run may be unsafe', () => {
  assert.equal(mayHoldUnsafeInteger('{"flow_id":1017644745558273}'), false);
  assert.equal(mayHoldUnsafeInteger('{"flow_id":9007199254740991}'), false);
  assert.equal(mayHoldUnsafeInteger('{"flow_id":9007199254740992}'), true);
  assert.equal(mayHoldUnsafeInteger('{"x":12345678901234567}'), true);
  assert.equal(parseJson('{"flow_id":1017644745558273}').lossless, false);
});

test('duplicate keys: the last one wins on both paths, like JSON.parse', () => {
  assert.deepEqual(parseJson('{"a":1,"a":2}').value, { a: 2 });
  assert.deepEqual(parseJson('{"a":1,"a":2,"big":18446744073709551615}').value, { a: 2, big: 18446744073709551615n });
});

test('__proto__ keys are plain data on both paths', () => {
  for (const text of ['{"__proto__":{"polluted":1}}', '{"__proto__":{"polluted":1},"n":18446744073709551615}']) {
    const v = parseJson(text).value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.ok(Object.hasOwn(v, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});
