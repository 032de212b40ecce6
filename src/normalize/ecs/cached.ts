/**
 * Cached forms of pure conversions that repeat from event to event: the UTC
 * form of a timestamp's seconds (events of the same second share it: memo of
 * the last few) and the
 * canonical text of IP addresses (validation and ipaddr.js parsing).
 */
import type { JsonValue } from '../../eve/json.js';
import { canonicalIp } from '../ip.js';
import { fastUtc } from './fasttime.js';
import { Lru } from './lru.js';

const NONE = '';

// Events come in time order: the few seconds last seen are nearly always the
// next ones asked for. A 4-slot round-robin memo, checked without allocating:
// same date-time-to-the-second (prefix) and same offset (suffix).
const SLOTS = 4;
const memoPrefix: string[] = new Array<string>(SLOTS).fill('');
const memoSuffix: string[] = new Array<string>(SLOTS).fill('');
const memoBase: string[] = new Array<string>(SLOTS).fill(NONE);
let memoNext = 0;

/**
 * {@link toUtc} (through its integer-only twin) with the UTC date-time of the
 * second memoized; the fractional digits are carried over as text, as toUtc does.
 */
export function utc(s: string): string | undefined {
  if (s.length < 19) return fastUtc(s);
  let end = 19;
  const sep = s.charCodeAt(19);
  if (sep === 46 /* . */ || sep === 44 /* , */) {
    end = 20;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c < 48 || c > 57) break;
      end++;
    }
    if (end === 20) return fastUtc(s);
  }
  const suffixLength = s.length - end;
  for (let i = 0; i < SLOTS; i++) {
    const suffix = memoSuffix[i]!;
    if (suffix.length === suffixLength && s.startsWith(memoPrefix[i]!) && s.endsWith(suffix) && memoPrefix[i] !== '') {
      const base = memoBase[i]!;
      return end === 19 ? base + 'Z' : base + '.' + s.slice(20, end) + 'Z';
    }
  }
  const r = fastUtc(s);
  if (r === undefined) return undefined;
  memoPrefix[memoNext] = s.slice(0, 19);
  memoSuffix[memoNext] = s.slice(end);
  memoBase[memoNext] = r.slice(0, 19);
  memoNext = (memoNext + 1) % SLOTS;
  return r;
}

/** An ECS date from an EVE value (RFC 3339 UTC, fractional digits kept). */
export function utcDate(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v.length >= 19 ? utc(v) : undefined;
}

const ips = new Lru<string>(4096, 64);
const canonical = (k: string): string => canonicalIp(k) ?? NONE;

/** Canonical IP text (see canonicalIp), cached: a sensor sees the same addresses again and again. */
export function ipText(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const r = ips.get(v, canonical);
  return r === NONE ? undefined : r;
}
