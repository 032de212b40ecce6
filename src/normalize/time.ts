/**
 * Exact timestamp conversion to UTC.
 *
 * Suricata writes `timestamp`, `flow.start` ... as local time with a `+HHMM`
 * offset and microseconds (strftime `%z`), re-serializers give `Z` or `+HH:MM`
 * and sometimes nanoseconds. `Date` keeps milliseconds only, so the date-time
 * part is shifted with `Date` at whole-second precision and the fractional
 * digits are carried over as text, unchanged.
 */

/** Most days in each month (February 29: a leap day is checked where it matters). */
export const DAYS_IN_MONTH: readonly number[] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Converted `YYYY-MM-DDTHH:MM` prefixes by (local minute, offset), as one
 * number: events come in time order from few sensors, so nearly every
 * shifted timestamp is a hit. Offsets are whole minutes, so seconds and
 * fractions never carry. Bounded: cleared when full.
 */
const shifted = new Map<number, string | null>();
const SHIFTED_MAX = 1024;

/**
 * Converts a date-time string to RFC 3339 UTC (`...Z`), keeping the fractional
 * digits as given. A string without offset is taken as UTC. Returns undefined
 * when the string is not a valid date-time.
 *
 * Accepted: `YYYY-MM-DD[T ]HH:MM:SS[(.|,)digits][Z|z|(+|-)HH[:]MM]`. Read
 * character by character (no regex, no Date unless the offset is new): this
 * runs for every `timestamp` and `flow.start`.
 */
export function toUtc(s: string): string | undefined {
  const n = s.length;
  if (n < 19) return undefined;
  const year = d4(s, 0);
  const month = d2(s, 5);
  const day = d2(s, 8);
  const hour = d2(s, 11);
  const minute = d2(s, 14);
  const second = d2(s, 17);
  const sep = s.charCodeAt(10);
  if (
    (year | month | day | hour | minute | second) < 0 ||
    s.charCodeAt(4) !== 45 /* - */ ||
    s.charCodeAt(7) !== 45 ||
    (sep !== 84 /* T */ && sep !== 32) ||
    s.charCodeAt(13) !== 58 /* : */ ||
    s.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (month === 2 && day === 29 && !isLeap(year)) return undefined;

  let p = 19;
  let c = s.charCodeAt(p);
  // A comma before the fraction (ISO 8601 allows it) is written as a dot.
  const comma = c === 44;
  if (c === 46 /* . */ || comma) {
    const from = ++p;
    while (p < n && isDigit(s.charCodeAt(p))) p++;
    if (p === from) return undefined;
    c = s.charCodeAt(p);
  }
  let offsetMinutes = 0;
  if (p === n) {
    // no offset: UTC
  } else if (c === 90 /* Z */ || c === 122 /* z */) {
    if (p + 1 !== n) return undefined;
    // Already RFC 3339 UTC as wanted: the same string, nothing built.
    if (c === 90 && sep === 84 && !comma) return s;
  } else if (c === 43 /* + */ || c === 45 /* - */) {
    const oh = d2(s, p + 1);
    const colon = s.charCodeAt(p + 3) === 58 ? 1 : 0;
    const om = d2(s, p + 3 + colon);
    if (oh < 0 || om < 0 || p + 5 + colon !== n) return undefined;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (oh * 60 + om) * (c === 45 ? -1 : 1);
  } else {
    return undefined;
  }

  // Seconds and fraction as written (offsets are whole minutes: they never carry into them).
  const secs = comma ? s.slice(16, 19) + '.' + s.slice(20, p) : s.slice(16, p);
  if (offsetMinutes === 0) {
    if (sep === 84 && !comma) return s.slice(0, p) + 'Z';
    return s.slice(0, 10) + 'T' + s.slice(11, 16) + secs + 'Z';
  }
  // The local minute and the offset as one number (offsets are at most
  // ±23:59, 12 bits; the whole key stays below 2^53).
  const key = ((((year * 16 + month) * 32 + day) * 24 + hour) * 60 + minute) * 4096 + offsetMinutes + 2048;
  // Consecutive events of a sensor on local time share their minute, and a
  // flow's start is often the minute before: the last two shifts are reused.
  let prefix: string | null | undefined;
  if (key === lastKey) prefix = lastPrefix;
  else if (key === prevKey) prefix = prevPrefix;
  else {
    prefix = shifted.get(key);
    if (prefix === undefined) {
      prefix = shiftPrefix(year, month, day, hour, minute - offsetMinutes);
      if (shifted.size >= SHIFTED_MAX) shifted.clear();
      shifted.set(key, prefix);
    }
    prevKey = lastKey;
    prevPrefix = lastPrefix;
    lastKey = key;
    lastPrefix = prefix;
  }
  return prefix === null ? undefined : prefix + secs + 'Z';
}

/** The last two shifted minutes: their keys (see toUtc) and UTC prefixes (null: out of range). */
let lastKey = -1;
let lastPrefix: string | null = null;
let prevKey = -1;
let prevPrefix: string | null = null;

/** `YYYY-MM-DDTHH:MM` in UTC of a local date-time shifted by minutes, or null out of range. */
function shiftPrefix(year: number, month: number, day: number, hour: number, minute: number): string | null {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, 0, 0);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) return null;
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Value of the two ASCII digits at `i`, or -1. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Value of the four ASCII digits at `i`, or -1. */
function d4(s: string, i: number): number {
  const hi = d2(s, i);
  const lo = d2(s, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** RFC 3339 UTC text of a JS time value, in microseconds (for reception times). */
export function nowUtc(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}

/**
 * Nanoseconds since the epoch of a UTC string produced by {@link toUtc}, as a
 * bigint (exact for any number of fractional digits up to 9).
 */
export function epochNanos(utc: string): bigint | undefined {
  const dot = utc.indexOf('.', 19);
  const base = Date.parse(utc.slice(0, 19) + 'Z');
  if (Number.isNaN(base)) return undefined;
  let frac = dot === -1 ? '' : utc.slice(dot + 1, utc.length - 1);
  frac = (frac + '000000000').slice(0, 9);
  return BigInt(base) * 1_000_000n + BigInt(frac);
}
