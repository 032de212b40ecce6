/**
 * Integer-only duration between two timestamps of the common EVE shape
 * `YYYY-MM-DDTHH:MM:SS[.f]±HHMM` (or `Z`, `±HH:MM`): no Date object, no
 * BigInt on the hot path. Anything else falls back to epochNanos, and a
 * property test checks that both give the same results.
 * Civil-date arithmetic: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
 */
import { DAYS_IN_MONTH, epochNanos } from '../time.js';

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}


function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Results of the last successful parse(): epoch seconds (UTC) and nanoseconds of the fraction. */
let parsedSec = 0;
let parsedNanos = 0;

/**
 * Parses `YYYY-MM-DDTHH:MM:SS[.f](Z|±HHMM|±HH:MM)` (at most 9 fraction digits)
 * into parsedSec/parsedNanos, without allocating; false when `s` has another shape.
 */
function parse(s: string): boolean {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]! || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return false;
  if (mo === 2 && d === 29 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return false;
  let i = 19;
  let nanos = 0;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    let v = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    const n = i - start;
    if (n === 0 || n > 9) return false;
    nanos = v * POW10[9 - n]!;
  }
  let offset: number;
  const rest = s.length - i;
  const c = s.charCodeAt(i);
  if (rest === 1 && c === 90 /* Z */) offset = 0;
  else if ((rest === 5 || rest === 6) && (c === 43 || c === 45)) {
    const oh = digits(s, i + 1, 2);
    const om = rest === 5 ? digits(s, i + 3, 2) : s.charCodeAt(i + 3) === 58 ? digits(s, i + 4, 2) : -1;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset = (oh * 60 + om) * 60 * (c === 45 ? -1 : 1);
  } else return false;
  parsedSec = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
  parsedNanos = nanos;
  return true;
}

/** Nanoseconds from UTC string `a` to UTC string `b` (both from toUtc), exact: a number when safe, else a bigint. */
export function nanosBetween(a: string, b: string): number | bigint | undefined {
  if (parse(a)) {
    const secA = parsedSec;
    const nanosA = parsedNanos;
    if (parse(b)) {
      const ds = parsedSec - secA;
      // |ds| * 1e9 stays below 2^53 for about 104 days.
      if (Math.abs(ds) < 9_000_000) return ds * 1e9 + (parsedNanos - nanosA);
    }
  }
  const na = epochNanos(a);
  const nb = epochNanos(b);
  return na === undefined || nb === undefined ? undefined : nb - na;
}
