/**
 * The canonical forms the ecs profile writes: the ECS date of an EVE value
 * and the canonical text of an IP address (whose IPv6 texts canonicalIp
 * caches; nothing is cached here).
 */
import type { JsonValue } from '../../eve/json.js';
import { canonicalIp } from '../ip.js';
import { toUtc } from '../time.js';

/** An ECS date from an EVE value (RFC 3339 UTC, fractional digits kept). */
export function utcDate(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v.length >= 19 ? toUtc(v) : undefined;
}

/**
 * Canonical IP text (see canonicalIp). Not cached here: an IPv4 text is
 * checked in place faster than a cache lookup hashes it, and canonicalIp
 * caches the IPv6 texts it parses.
 */
export function ipText(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  return canonicalIp(v);
}
