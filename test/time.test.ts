import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochNanos, toUtc } from '../src/normalize/time.js';

test('offsets +HHMM, +HH:MM, -HHMM and Z convert to UTC keeping the fraction as given', () => {
  assert.equal(toUtc('2024-06-27T12:56:49.920281+0200'), '2024-06-27T10:56:49.920281Z');
  assert.equal(toUtc('2024-06-27T12:56:49.920281+02:00'), '2024-06-27T10:56:49.920281Z');
  assert.equal(toUtc('2024-06-27T12:56:49.920281-0530'), '2024-06-27T18:26:49.920281Z');
  assert.equal(toUtc('2024-06-27T12:56:49.920281+0000'), '2024-06-27T12:56:49.920281Z');
  assert.equal(toUtc('2024-06-27T12:56:49.920281Z'), '2024-06-27T12:56:49.920281Z');
});

test('nanoseconds stay nanoseconds, no fraction stays no fraction, trailing zeros are kept', () => {
  assert.equal(toUtc('2024-06-27T12:56:49.452515999+0100'), '2024-06-27T11:56:49.452515999Z');
  assert.equal(toUtc('2024-06-27T12:56:49+0100'), '2024-06-27T11:56:49Z');
  assert.equal(toUtc('2024-06-27T12:56:49.100000+0000'), '2024-06-27T12:56:49.100000Z');
  assert.equal(toUtc('2024-06-27T12:56:49.1+0000'), '2024-06-27T12:56:49.1Z');
});

test('conversion crosses day, month, year and leap-day boundaries', () => {
  assert.equal(toUtc('2024-01-01T00:30:00.000001+0100'), '2023-12-31T23:30:00.000001Z');
  assert.equal(toUtc('2023-12-31T23:30:00-0100'), '2024-01-01T00:30:00Z');
  assert.equal(toUtc('2024-03-01T00:00:00.5+0000'), '2024-03-01T00:00:00.5Z');
  assert.equal(toUtc('2024-03-01T01:00:00.5+0200'), '2024-02-29T23:00:00.5Z');
});

test('no offset is read as UTC (tls notbefore/notafter)', () => {
  assert.equal(toUtc('2017-01-04T10:48:43'), '2017-01-04T10:48:43Z');
});

test('invalid date-times are refused', () => {
  for (const s of [
    '',
    'now',
    '2017-01-30T16:12:26.985026+0100asloefbnjhowebfg',
    '2024-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-06-31T00:00:00Z',
    '2024-06-27T24:00:00Z',
    '2024-06-27T12:60:00Z',
    '2024-06-27T12:56:49.920281+2500',
    '2024-06-27',
  ]) {
    assert.equal(toUtc(s), undefined, s);
  }
});

test('epochNanos is exact to the nanosecond', () => {
  assert.equal(epochNanos('1970-01-01T00:00:01.000000001Z'), 1_000_000_001n);
  assert.equal(epochNanos('2024-06-27T10:56:49.920281Z'), 1719485809920281000n);
  assert.equal(epochNanos('2024-06-27T10:56:49Z'), 1719485809000000000n);
});
