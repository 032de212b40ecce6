/**
 * Deterministic event ids, so that a redelivered event (at-least-once: a
 * crash before a checkpoint, a lost acknowledgement) lands on the document or
 * message it already created instead of a second one.
 *
 * The id is the first 128 bits of SHA-256 over the source's name and the
 * exact bytes received, in base64url (22 characters). The same bytes read
 * again by the same source give the same id; the same bytes arriving through
 * two differently named sources are two events. SHA-256 rather than a faster
 * non-cryptographic hash: the bytes carry attacker-influenced text (URLs,
 * user agents), and a crafted collision would let one event hide another.
 */
import { createHash } from 'node:crypto';
import type { RawEvent } from '../component/types.js';

export function eventId(source: string, ev: RawEvent): string {
  const h = createHash('sha256');
  h.update(source);
  // a separator that a source name cannot end with keeps "a"+"bc" apart from "ab"+"c"
  h.update('\0');
  h.update(ev.bytes ?? ev.raw);
  return h.digest().toString('base64url', 0, 16);
}
