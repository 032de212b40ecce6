import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toUtc } from '../src/normalize/time.js';

/**
 * The regex-based conversion toUtc replaced, kept as the oracle: the
 * character-level parser and its offset cache must give the same answer for
 * every string.
 */
const TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z|z)|([+-])(\d{2}):?(\d{2}))?$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function reference(s: string): string | undefined {
  const m = TS.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => +m[i]!) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (month === 2 && day === 29 && !isLeap(year)) return undefined;
  const frac = m[7] === undefined ? '' : '.' + m[7];
  let off = 0;
  if (m[9] !== undefined) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return undefined;
    off = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
  }
  if (off === 0) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac}Z`;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute - off, second, 0);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) return undefined;
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())}${frac}Z`;
}

test('toUtc: documented shapes', () => {
  assert.equal(toUtc('2024-06-27T12:56:49.920281+0000'), '2024-06-27T12:56:49.920281Z');
  assert.equal(toUtc('2024-06-27T14:56:49.920281+0200'), '2024-06-27T12:56:49.920281Z');
  assert.equal(toUtc('2024-01-01T00:30:00.5-01:00'), '2024-01-01T01:30:00.5Z');
  assert.equal(toUtc('2024-01-01 00:00:00,123456789Z'), '2024-01-01T00:00:00.123456789Z');
  assert.equal(toUtc('2024-03-01T00:10:00+0100'), '2024-02-29T23:10:00Z');
  assert.equal(toUtc('2023-02-29T00:00:00Z'), undefined);
  assert.equal(toUtc('2024-06-27T12:56:49.+0000'), undefined);
  assert.equal(toUtc('2024-06-27T12:56:49+01'), undefined);
  assert.equal(toUtc('0000-01-01T00:00:00+0100'), undefined);
});

test('toUtc: same answer as the regex conversion on random near-timestamps', () => {
  const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
  const num = (max: number) => fc.integer({ min: 0, max }).map(pad2);
  const stamp = fc
    .record({
      y: fc.oneof(digits(4), fc.constantFrom('2024', '2023', '0000', '9999', '2000', '1900')),
      mo: fc.oneof(num(13), digits(2)),
      d: fc.oneof(num(32), digits(2)),
      sep: fc.constantFrom('T', ' ', 't', 'X'),
      h: fc.oneof(num(24), digits(2)),
      mi: fc.oneof(num(60), digits(2)),
      s: fc.oneof(num(60), digits(2)),
      frac: fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 10 }).map((f) => '.' + f), fc.constant(',5'), fc.constant('.')),
      off: fc.oneof(
        fc.constantFrom('', 'Z', 'z', '+0000', '-00:00', '+0200', '-0430', '+05:45', '+2400', '+0160', '+01', '+01:0', 'Q', 'Z '),
        fc.tuple(fc.constantFrom('+', '-'), num(25), fc.constantFrom('', ':'), num(61)).map((t) => t.join('')),
      ),
      junk: fc.constantFrom('', '', '', '\n', 'x'),
    })
    .map((r) => `${r.y}-${r.mo}-${r.d}${r.sep}${r.h}:${r.mi}:${r.s}${r.frac}${r.off}${r.junk}`);
  fc.assert(
    fc.property(fc.oneof(stamp, fc.string()), (s) => {
      assert.equal(toUtc(s), reference(s), s);
    }),
    { numRuns: 20000 },
  );
});

test('toUtc: the offset cache gives the same answer on repeats', () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(toUtc('2024-12-31T23:59:59.999999-0100'), '2025-01-01T00:59:59.999999Z');
    assert.equal(toUtc('2024-12-31T23:59:58.1-0100'), '2025-01-01T00:59:58.1Z');
  }
});

test('toUtc: runs of events in the same local minute, offsets and separators mixed, match the regex conversion', () => {
  // The last shifted minute is reused: consecutive stamps of a sensor on local time hit it, any change must miss it.
  const offsets = ['+0200', '+02:00', '-0430', '+0000', 'Z', '+0100', ''];
  const seps = ['T', ' '];
  let checked = 0;
  for (let i = 0; i < 5000; i++) {
    const minute = Math.floor(i / 7) % 60;
    const hour = Math.floor(i / 420) % 24;
    const off = offsets[(i * 5) % offsets.length]!;
    const sep = seps[i % 11 === 0 ? 1 : 0]!;
    const s = `2024-02-29${sep}${pad2(hour)}:${pad2(minute)}:${pad2(i % 60)}.${String(i).padStart(6, '0')}${off}`;
    assert.equal(toUtc(s), reference(s), s);
    // The same stamp again, and once more with another offset: the memo must not answer for it.
    assert.equal(toUtc(s), reference(s), s);
    const other = s.replace(/[+-]\d\d:?\d\d$|Z$/, '') + '-0100';
    assert.equal(toUtc(other), reference(other), other);
    checked += 3;
  }
  assert.equal(checked, 15000);
});

test('toUtc: a stamp already in RFC 3339 UTC comes back as is', () => {
  const s = '2024-06-27T12:56:49.920281Z';
  assert.equal(toUtc(s), s);
  assert.equal(toUtc('2024-06-27T12:56:49.920281z'), s);
  assert.equal(toUtc('2024-06-27 12:56:49.920281Z'), '2024-06-27T12:56:49.920281Z');
  assert.equal(toUtc('2024-06-27T12:56:49,920281Z'), s);
});
