/**
 * Whether a JSON value is acceptable for an index field type, as Elasticsearch
 * or OpenSearch would index it without `ignore_malformed`. Type names of both
 * engines are understood (`flat_object` is OpenSearch's `flattened`).
 */
import { isIP } from 'node:net';
import { isObject } from '../eve/json.js';
import { DAYS_IN_MONTH } from '../normalize/time.js';

/**
 * RFC 3339 date-time with a mandatory offset or `Z`, 1 to 9 fractional digits:
 * what `strict_date_optional_time` accepts for `date` and `date_nanos`.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

const LIMITS: Record<string, [bigint, bigint]> = {
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-32768n, 32767n],
  byte: [-128n, 127n],
  unsigned_long: [0n, 2n ** 64n - 1n],
};


/** True for an RFC 3339 date-time with offset whose fields are in range. */
export function isRfc3339(v: string): boolean {
  const m = RFC3339.exec(v);
  if (m === null) return false;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

function integerProblem(type: string, v: unknown): string | undefined {
  const [min, max] = LIMITS[type]!;
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isInteger(v)) {
    // A number past 2^53 has already lost digits: the lossless decoder gives a bigint for those.
    if (!Number.isSafeInteger(v)) return `${v} is past 2^53 and not exact`;
    b = BigInt(v);
  } else return `${describeValue(v)} is not an integer`;
  return b < min || b > max ? `${b} is out of the ${type} range` : undefined;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return v.toString();
  if (v === null) return 'null';
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

/**
 * Why the scalar `v` is not acceptable for a field of `type`, or undefined when
 * it is. Container types (object, nested, flattened) are checked by the caller.
 */
export function valueProblem(type: string, v: unknown): string | undefined {
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'match_only_text':
    case 'text':
      return typeof v === 'string' ? undefined : `${describeValue(v)} is not a string`;
    case 'ip':
      return typeof v === 'string' && isIP(v) !== 0 ? undefined : `${describeValue(v)} is not an IP address`;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return integerProblem(type, v);
    case 'float':
    case 'double':
    case 'scaled_float':
    case 'half_float':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `${describeValue(v)} is not a number`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `${describeValue(v)} is not a boolean`;
    case 'date':
    case 'date_nanos':
      return typeof v === 'string' && isRfc3339(v) ? undefined : `${describeValue(v)} is not an RFC 3339 date with offset`;
    case 'geo_point':
      return isGeoPoint(v) ? undefined : `${describeValue(v)} is not a geo point`;
    default:
      return `no scalar value fits type ${type}`;
  }
}

function isGeoPoint(v: unknown): boolean {
  if (isObject(v)) {
    const { lat, lon } = v as { lat?: unknown; lon?: unknown };
    return typeof lat === 'number' && typeof lon === 'number' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  }
  return typeof v === 'string' && /^-?\d+(\.\d+)?,\s*-?\d+(\.\d+)?$/.test(v);
}

/** Types whose value is a whole object subtree indexed as one field. */
export function isFlattened(type: string): boolean {
  return type === 'flattened' || type === 'flat_object';
}

/** Types whose children are fields of their own. */
export function isContainer(type: string): boolean {
  return type === 'object' || type === 'nested';
}

