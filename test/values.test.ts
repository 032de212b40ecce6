import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flowIdKeyword, keyword } from '../src/normalize/values.js';

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

test('flowIdKeyword: the digits of the text when they are the parsed value, else keyword()', () => {
  const check = (json: string) => {
    const e = JSON.parse(json) as { flow_id?: number };
    assert.equal(flowIdKeyword(e.flow_id, json), keyword(e.flow_id), json);
  };
  check('{"flow_id":1017644745558273,"x":1}');
  check('{"flow_id": 2034611182659864}');
  check('{"app":{"flow_id":123},"flow_id":2034611182659864}');
  check('{"url":"/?\\"flow_id\\":99","flow_id":5}');
  check('{"flow_id":-42}');
  check('{"flow_id":1.5}');
  check('{"flow_id":1e3}');
  check('{"flow_id":9007199254740991}');
  check('{"flow_id":"abc"}');
  check('{}');
  // A nested key of the same name with another value is not taken.
  assert.equal(flowIdKeyword(7, '{"a":{"flow_id":8},"flow_id":7}'), '7');
  for (let i = 0; i < 2000; i++) {
    const id = Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
    check(`{"timestamp":"x","flow_id":${id},"n":{"flow_id":${id + 1}}}`);
  }
});
