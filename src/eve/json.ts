/**
 * Lossless JSON decoding of EVE payloads.
 *
 * `JSON.parse` is the fast path. It is exact for every integer up to 2^53-1,
 * which covers Suricata's 51-bit flow ids and nearly every counter. Only when
 * the raw text holds a run of digits that could be a larger integer do we pay
 * for a lossless parse, in which such integers become `bigint`s.
 */
import { parse as losslessParse } from 'lossless-json';

/** Any decoded JSON value; integers beyond 2^53 are `bigint`. */
export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const MAX_SAFE = '9007199254740991';
const LONG_DIGITS = /\d{16,}/g;

/** True when `text` holds a digit run that may be an integer beyond 2^53-1. */
export function mayHoldUnsafeInteger(text: string): boolean {
  LONG_DIGITS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = LONG_DIGITS.exec(text)) !== null) {
    const d = m[0];
    if (d.length > 16 || d > MAX_SAFE) return true;
  }
  return false;
}

const INTEGER = /^-?\d+$/;

function parseNumber(s: string): number | bigint {
  if (INTEGER.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : BigInt(s);
  }
  return Number(s);
}

const losslessOptions = {
  parseNumber,
  // Same semantics as JSON.parse: the last occurrence of a key wins.
  onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
};

export interface ParsedJson {
  value: JsonValue;
  /** The value holds at least one `bigint`. */
  lossless: boolean;
}

/**
 * Parses JSON text, keeping every digit of integers beyond 2^53.
 * Throws a SyntaxError on invalid JSON, like JSON.parse.
 */
export function parseJson(text: string): ParsedJson {
  if (!mayHoldUnsafeInteger(text)) return { value: JSON.parse(text) as JsonValue, lossless: false };
  const value = losslessParse(text, undefined, losslessOptions as never) as JsonValue;
  return { value, lossless: true };
}

/** True when `v` is a non-null, non-array object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
