import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { eventId } from '../src/runtime/event-id.js';

describe('event ids', () => {
  const at = '2024-01-01T00:00:00Z';
  it('are the first 128 bits of SHA-256 over the source name, a NUL and the received bytes, in base64url', () => {
    const raw = '{"timestamp":"2024-01-01T00:00:00.000001+0000","event_type":"flow"}';
    const expected = createHash('sha256').update(`syslog\0${raw}`).digest().subarray(0, 16).toString('base64url');
    assert.equal(eventId('syslog', { raw, receivedAt: at }), expected);
    assert.match(expected, /^[A-Za-z0-9_-]{22}$/);
  });
  it('are the same for the same bytes, given as text or as received bytes, whatever the time of reception', () => {
    const raw = '<134>1 2024-06-27T12:56:49Z sensor jizo - - - {"a":"é"}';
    const a = eventId('s', { raw, receivedAt: at });
    assert.equal(eventId('s', { raw: '', bytes: Buffer.from(raw, 'utf8'), receivedAt: '2030-01-01T00:00:00Z' }), a);
  });
  it('differ with the source name and with any byte, and do not run names and bytes together', () => {
    const a = eventId('s', { raw: 'x', receivedAt: at });
    assert.notEqual(eventId('t', { raw: 'x', receivedAt: at }), a);
    assert.notEqual(eventId('s', { raw: 'x ', receivedAt: at }), a);
    assert.notEqual(eventId('ab', { raw: 'c', receivedAt: at }), eventId('a', { raw: 'bc', receivedAt: at }));
  });
});
