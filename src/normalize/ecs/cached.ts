/**
 * Cached forms of pure conversions that repeat from event to event: the
 * canonical text of IP addresses (validation and ipaddr.js parsing), and the
 * ECS date of an EVE value.
 */
import type { JsonValue } from '../../eve/json.js';
import { canonicalIp } from '../ip.js';
import { toUtc } from '../time.js';
import { Lru } from './lru.js';

const NONE = '';

/** An ECS date from an EVE value (RFC 3339 UTC, fractional digits kept). */
export function utcDate(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v.length >= 19 ? toUtc(v) : undefined;
}

const ips = new Lru<string>(4096, 64);
const canonical = (k: string): string => canonicalIp(k) ?? NONE;

/** Canonical IP text (see canonicalIp), cached: a sensor sees the same addresses again and again. */
export function ipText(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const r = ips.get(v, canonical);
  return r === NONE ? undefined : r;
}
