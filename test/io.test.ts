import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EXCERPT_CHARS, LineSplitter, isBlank } from '../src/io/lines.js';
import { LineBuffers, Utf8Chunks, encodeLines } from '../src/io/utf8-chunks.js';

function split(input: (Buffer | string)[], max: number) {
  const events: string[] = [];
  const s = new LineSplitter(max, {
    line: (text, n) => events.push(`line ${n} ${text}`),
    tooLong: (excerpt, bytes, n) => events.push(`long ${n} ${bytes} ${excerpt}`),
  });
  for (const c of input) s.push(c);
  s.end();
  return events;
}

test('LineSplitter: the excerpt of a long line is its first 4096 chars whatever the chunking', () => {
  const long = 'a'.repeat(3000) + 'é'.repeat(3000);
  const text = `short\n${long}\nafter\n${long}`;
  const whole = split([text], 100);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 64) pieces.push(text.slice(i, i + 64));
  assert.deepEqual(split(pieces, 100), whole);
  const bytes = Buffer.from(text);
  const bytePieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 7) bytePieces.push(bytes.subarray(i, i + 7));
  assert.deepEqual(split(bytePieces, 100), whole);
  const first = whole[1]!.split(' ');
  assert.equal(first[0], 'long');
  assert.equal(first[2], String(Buffer.byteLength(long)));
  assert.equal(whole[1]!.slice(whole[1]!.indexOf(first[3]!)).length, EXCERPT_CHARS);
});

test('LineSplitter: a large read is decoded in slices without splitting characters', () => {
  // 300 KB of 3-byte characters: slice boundaries fall inside characters.
  const line = '€'.repeat(100_000);
  const buf = Buffer.from(`${line}\n${line}\n`);
  assert.deepEqual(split([buf], 1 << 20), [`line 1 ${line}`, `line 2 ${line}`]);
});

test('Utf8Chunks: bytes equal the UTF-8 encoding of the joined lines', () => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.string({ unit: anyUnit, maxLength: 50 }), fc.string({ maxLength: 3000 })), { maxLength: 60 }),
      fc.integer({ min: 1, max: 300 }),
      (lines, chunk) => {
        const c = new Utf8Chunks(chunk);
        const expected: Buffer[] = [];
        for (const [i, l] of lines.entries()) {
          if (i % 7 === 3) {
            const b = Buffer.from(`raw${i}\n`);
            c.bytes(b);
            expected.push(b);
          } else {
            c.line(l);
            expected.push(Buffer.from(l + '\n'));
          }
        }
        const total = Buffer.concat(expected);
        assert.equal(c.size, total.length);
        assert.deepEqual(Buffer.concat(c.take()), total);
        assert.equal(c.size, 0);
        assert.equal(c.take().length, 0);
      },
    ),
    { numRuns: 300 },
  );
});

/** What splitting must give: the whole input decoded, cut at LF, the limit in bytes as received. */
/** `all` in chunks of the sizes of `cuts`, used in turn. */
function cut(all: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0, k = 0; i < all.length; ) {
    const size = cuts[k++ % cuts.length]!;
    chunks.push(all.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

function referenceSplit(all: Buffer, max: number): string[] {
  const out: string[] = [];
  let n = 0;
  let start = 0;
  while (start < all.length) {
    let nl = all.indexOf(10, start);
    if (nl === -1) nl = all.length;
    const line = all.subarray(start, nl);
    n++;
    if (line.length > max) out.push(`long ${n} ${line.length} ${line.toString('utf8').slice(0, EXCERPT_CHARS)}`);
    else out.push(`line ${n} ${line.toString('utf8')}`);
    start = nl + 1;
  }
  return out;
}

test('LineSplitter: any bytes in any chunking give the lines of the whole input decoded at once', () => {
  const piece = fc.oneof(
    fc.constantFrom('\n', '\r\n', 'é', '€', '𝄞', '{"a":1}', '\u0000'),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a).toString('latin1')),
  );
  const input = fc.array(fc.oneof(piece, fc.uint8Array({ maxLength: 6 })), { maxLength: 40 }).map((parts) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))),
  );
  fc.assert(
    fc.property(input, fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 60 }), (all, cuts, max) => {
      assert.deepEqual(split(cut(all, cuts), max), referenceSplit(all, max));
    }),
    { numRuns: 3000 },
  );
});

test('LineSplitter: an excerpt of a long line is exact up to EXCERPT_CHARS, in one chunk or many', () => {
  const line = Buffer.from('€'.repeat(EXCERPT_CHARS) + 'x'.repeat(50_000));
  const whole = split([Buffer.concat([line, Buffer.from('\nnext')])], 1000);
  assert.deepEqual(whole, [`long 1 ${line.length} ${'€'.repeat(EXCERPT_CHARS)}`, 'line 2 next']);
  const pieces: Buffer[] = [];
  for (let i = 0; i < line.length; i += 333) pieces.push(line.subarray(i, i + 333));
  assert.deepEqual(split([...pieces, Buffer.from('\nnext')], 1000), whole);
});

test('LineSplitter: a read buffer reused by the caller does not change a held line', () => {
  const events: string[] = [];
  const s = new LineSplitter(1 << 20, { line: (t) => events.push(t), tooLong: () => assert.fail('not long') });
  const buf = Buffer.from('abc');
  s.push(buf);
  buf.write('xyz');
  s.push(Buffer.from('def\n'));
  s.end();
  assert.deepEqual(events, ['abcdef']);
});

test('isBlank: same answer as the blank-line pattern', () => {
  const BLANK = /^[ \t\r\n\uFEFF]*$/;
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(' ', '\t', '\r', '\n', '\uFEFF', 'x', '{', '\u00a0') }), fc.string()), (s) => {
      assert.equal(isBlank(s), BLANK.test(s), JSON.stringify(s));
    }),
    { numRuns: 5000 },
  );
});

test('encodeLines: bytes equal the UTF-8 encoding of the texts joined with LFs, whatever their characters', () => {
  // Any UTF-16 unit (lone surrogates included), long ASCII texts, and texts of
  // 2-, 3- and 4-byte characters that overflow the ASCII-sized first buffer.
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const wide = fc.constantFrom('é', '€', '😀', '\ud800', 'a');
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(fc.string({ unit: anyUnit, maxLength: 40 }), fc.string({ maxLength: 2000 }), fc.string({ unit: wide, maxLength: 300 })),
        { maxLength: 40 },
      ),
      (texts) => {
        const got = encodeLines(texts.map((json) => ({ json })));
        const want = Buffer.from(texts.map((t) => t + '\n').join(''), 'utf8');
        assert.deepEqual(got, want);
      },
    ),
    { numRuns: 500 },
  );
  assert.equal(encodeLines([]).length, 0);
  // Wide characters only, at the end of the batch: the buffer grows more than once.
  const emoji = '😀'.repeat(1000);
  assert.equal(encodeLines([{ json: 'a' }, { json: emoji }, { json: emoji }]).toString('utf8'), `a\n${emoji}\n${emoji}\n`);
});

test('LineSplitter with lineBytes: every line comes as its exact bytes (views or copies), whatever the chunking', () => {
  const input = fc
    .array(fc.oneof(fc.constantFrom('\n', '\r\n', 'é', '𝄞', '{"a":1}'), fc.uint8Array({ maxLength: 8 })), { maxLength: 40 })
    .map((parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))));
  fc.assert(
    fc.property(input, fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 60 }), (all, cuts, max) => {
      const got: string[] = [];
      const s = new LineSplitter(max, {
        line: () => assert.fail('bytes input goes to lineBytes'),
        lineBytes: (bytes, n) => got.push(`line ${n} ${bytes.toString('hex')}`),
        tooLong: (_excerpt, bytes, n) => got.push(`long ${n} ${bytes}`),
      });
      for (const c of cut(all, cuts)) s.push(c);
      s.end();
      const want: string[] = [];
      let n = 0;
      for (let start = 0; start < all.length; ) {
        let nl = all.indexOf(10, start);
        if (nl === -1) nl = all.length;
        const line = all.subarray(start, nl);
        n++;
        want.push(line.length > max ? `long ${n} ${line.length}` : `line ${n} ${line.toString('hex')}`);
        start = nl + 1;
      }
      assert.deepEqual(got, want);
    }),
    { numRuns: 2000 },
  );
});

test('LineBuffers: lines encoded into reused memory; a buffer is handed out again only once released', () => {
  const emoji = '\u{1F600}';
  const pool = new LineBuffers(1, 16);
  const a = pool.encode([{ json: 'a' }, { json: emoji }]);
  assert.equal(a.data.toString('utf8'), `a\n${emoji}\n`);
  const b = pool.encode([{ json: 'b'.repeat(40) }]);
  assert.notEqual(b.data.buffer, a.data.buffer, 'a is still in use');
  a.release();
  a.release(); // a second release is ignored
  const c = pool.encode([{ json: 'c' }]);
  assert.equal(c.data.buffer, a.data.buffer);
  assert.equal(c.data.toString('utf8'), 'c\n');
  assert.equal(b.data.toString('utf8'), `${'b'.repeat(40)}\n`);
});
