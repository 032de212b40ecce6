/**
 * Typed readers of EVE values. Each returns undefined for an absent, empty or
 * ill-typed value, so that a missing source field never yields an output field
 * (no null, no "").
 */
import type { JsonObject, JsonValue } from '../eve/json.js';
import { canonicalIp } from './ip.js';
import { toUtc } from './time.js';

const INTEGER = /^-?\d+$/;

/** An ECS `long`: a JSON integer (bigint beyond 2^53); integer strings are accepted. */
export function long(v: JsonValue | undefined): number | bigint | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string' && v.length > 0 && v.length < 21 && INTEGER.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  return undefined;
}

/** An ECS `keyword`: strings as they are, numbers and booleans as their text. */
export function keyword(v: JsonValue | undefined): string | undefined {
  switch (typeof v) {
    case 'string':
      return v === '' ? undefined : v;
    case 'number':
      return numberText(v);
    case 'bigint':
    case 'boolean':
      return String(v);
    default:
      return undefined;
  }
}

/**
 * `String(v)` of a number. Flow ids (15-16 digits) are above the range V8
 * prints fast (small integers); printing them as two 8-digit halves is faster
 * and gives the same digits for every safe integer.
 */
function numberText(v: number): string {
  if (v >= 1e8 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) {
    const hi = Math.floor(v / 1e8);
    return String(hi) + String(v - hi * 1e8 + 1e8).slice(1);
  }
  return String(v);
}

/**
 * keyword() of the top-level `flow_id`, taken from the digits of the JSON text
 * it was parsed from when they are there: printing a 16-digit double costs
 * more than finding it. `"flow_id":` can only occur in JSON text as a key
 * (inside a string its quotes are escaped); the digits are used only when they
 * read back as the parsed value, so a nested key of the same name is harmless.
 */
export function flowIdKeyword(v: JsonValue | undefined, json: string): string | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return keyword(v);
  const at = json.indexOf('"flow_id":');
  if (at !== -1) {
    let i = at + 10;
    while (json.charCodeAt(i) === 32) i++;
    const start = i;
    let n = 0;
    let c = json.charCodeAt(i);
    // 16 digits at most: below 2^53 every step of n is exact.
    while (c >= 48 && c <= 57 && i - start < 16) {
      n = n * 10 + (c - 48);
      c = json.charCodeAt(++i);
    }
    if (n === v && i > start && !(c >= 48 && c <= 57)) return json.slice(start, i);
  }
  return keyword(v);
}

/** A string value as is, or undefined (empty strings dropped). */
export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An ECS `ip` in canonical text. */
export function ip(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? canonicalIp(v) : undefined;
}

/** An ECS `date` as RFC 3339 UTC, fractional digits kept. */
export function date(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? toUtc(v) : undefined;
}

/** `v` when it is an object (not null, not an array), else undefined. */
export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

/** The object under `key`, or undefined. */
export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  if (o === undefined) return undefined;
  const v = o[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

/** The first element of an array value, or the value itself when scalar. */
export function first(v: JsonValue | undefined): JsonValue | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Sets `o[k] = v` only when v is defined. */
export function put<T extends object>(o: T, k: string, v: unknown): void {
  if (v !== undefined) (o as Record<string, unknown>)[k] = v;
}
