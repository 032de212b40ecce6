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
// next ones asked for. A 4-slot round-robin memo costs a few string compares.
const SLOTS = 4;
const memoKeys: string[] = new Array<string>(SLOTS).fill('');
const memoValues: string[] = new Array<string>(SLOTS).fill(NONE);
let memoNext = 0;

function secondsUtc(key: string): string {
  for (let i = 0; i < SLOTS; i++) if (memoKeys[i] === key) return memoValues[i]!;
  const v = fastUtc(key) ?? NONE;
  memoKeys[memoNext] = key;
  memoValues[memoNext] = v;
  memoNext = (memoNext + 1) % SLOTS;
  return v;
}

/**
 * {@link toUtc} with the date-time-to-the-second and offset part cached: the
 * fractional digits are carried over as text, exactly as toUtc does.
 */
export function utc(s: string): string | undefined {
  let end = 19;
  if (s.length > 20 && (s.charCodeAt(19) === 46 /* . */ || s.charCodeAt(19) === 44) /* , */) {
    end = 20;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c < 48 || c > 57) break;
      end++;
    }
    if (end === 20) return fastUtc(s);
  }
  const key = end === 19 ? s : s.slice(0, 19) + s.slice(end);
  const base = secondsUtc(key);
  if (base === NONE) return undefined;
  return end === 19 ? base : base.slice(0, -1) + '.' + s.slice(20, end) + 'Z';
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
