import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../src/io/lines.js';

function split(chunks: (string | Buffer)[], max = 1 << 20) {
  const out: string[] = [];
  const long: [string, number, number][] = [];
  const s = new LineSplitter(max, {
    line: (t, n) => out.push(`${n}:${t}`),
    tooLong: (e, b, n) => long.push([e, b, n]),
  });
  for (const c of chunks) s.push(c);
  s.end();
  return { out, long };
}

test('lines split across chunks, multibyte characters split across chunks, last line without newline', () => {
  const text = Buffer.from('ab\ncdé€\r\n\nlast');
  const chunks = [...text].map((b) => Buffer.from([b]));
  assert.deepEqual(split(chunks).out, ['1:ab', '2:cdé€\r', '3:', '4:last']);
  assert.deepEqual(split([text]).out, ['1:ab', '2:cdé€\r', '3:', '4:last']);
});

test('an over-long line is reported with an excerpt and its size, without holding it whole', () => {
  const big = 'x'.repeat(10_000);
  const chunks = ['ok\n', ...Array.from({ length: 100 }, () => big), '\nnext\n'];
  const r = split(chunks, 5000);
  assert.deepEqual(r.out, ['1:ok', '3:next']);
  assert.equal(r.long.length, 1);
  const [excerpt, bytes, lineNo] = r.long[0]!;
  assert.equal(bytes, 1_000_000);
  assert.equal(lineNo, 2);
  assert.ok(excerpt.length <= 4096);
});

test('a line exactly at the limit passes; one byte more does not', () => {
  assert.deepEqual(split(['abcd\n'], 4).out, ['1:abcd']);
  assert.equal(split(['abcde\n'], 4).long.length, 1);
  assert.equal(split(['éé\n'], 4).out.length, 1);
  assert.equal(split(['ééé\n'], 4).long.length, 1);
});
