/**
 * Exact timestamp conversion to UTC.
 *
 * Suricata writes `timestamp`, `flow.start` ... as local time with a `+HHMM`
 * offset and microseconds (strftime `%z`), re-serializers give `Z` or `+HH:MM`
 * and sometimes nanoseconds. `Date` keeps milliseconds only, so the date-time
 * part is shifted with `Date` at whole-second precision and the fractional
 * digits are carried over as text, unchanged.
 */

const TS =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:(Z|z)|([+-])(\d{2}):?(\d{2}))?$/;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Converts a date-time string to RFC 3339 UTC (`...Z`), keeping the fractional
 * digits as given. A string without offset is taken as UTC. Returns undefined
 * when the string is not a valid date-time.
 */
export function toUtc(s: string): string | undefined {
  // Fast path: Suricata's own UTC format, 2024-06-27T12:56:49.920281+0000.
  if (s.length === 31 && s.endsWith('+0000') && s.charCodeAt(10) === 84 /* T */ && s.charCodeAt(19) === 46) {
    if (TS.test(s)) return validDate(s) ? s.slice(0, 26) + 'Z' : undefined;
    return undefined;
  }
  const m = TS.exec(s);
  if (m === null) return undefined;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = +m[6]!;
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (month === 2 && day === 29 && !isLeap(year)) return undefined;
  const frac = m[7] === undefined ? '' : '.' + m[7];
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
  }
  if (offsetMinutes === 0) {
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac}Z`;
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) return undefined;
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${frac}Z`;
}

function validDate(s: string): boolean {
  const month = +s.slice(5, 7);
  const day = +s.slice(8, 10);
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return false;
  if (month === 2 && day === 29 && !isLeap(+s.slice(0, 4))) return false;
  return +s.slice(11, 13) <= 23 && +s.slice(14, 16) <= 59 && +s.slice(17, 19) <= 59;
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
