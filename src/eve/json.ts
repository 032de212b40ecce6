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

/**
 * True when `text` holds a run of 16 or more ASCII digits that may be an
 * integer beyond 2^53-1 (more than 16 digits, or 16 digits above MAX_SAFE).
 *
 * Runs on every line, so it avoids a regex scan of every character: a run of
 * 16 digits always covers two probe positions 8 apart (i % 8 === 7), so only
 * every 8th character is looked at, and a run is measured only where two
 * consecutive probes and everything between them are digits.
 */
export function mayHoldUnsafeInteger(text: string): boolean {
  const n = text.length;
  let i = 7;
  while (i + 8 < n) {
    // Probes i and i + 8 must both be digits, and all between them.
    if (!isDigit(text.charCodeAt(i + 8))) {
      i += 16; // the pair (i + 8, i + 16) cannot match either
      continue;
    }
    let j = i + 7;
    while (j >= i && isDigit(text.charCodeAt(j))) j--;
    if (j >= i) {
      i += 8;
      continue;
    }
    let start = i;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = i + 9;
    while (end < n && isDigit(text.charCodeAt(end))) end++;
    const len = end - start;
    if (len > 16 || (len === 16 && aboveMaxSafe(text, start))) return true;
    // Resume at the first probe position at or after the run's end.
    i = end + ((15 - (end % 8)) % 8);
  }
  return false;
}

/** True when the 16 digits at `start` read more than MAX_SAFE (compared in place: no substring). */
function aboveMaxSafe(text: string, start: number): boolean {
  for (let k = 0; k < 16; k++) {
    const d = text.charCodeAt(start + k) - MAX_SAFE.charCodeAt(k);
    if (d !== 0) return d > 0;
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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
 * How integers beyond 2^53 are handled: `scan` (the default) looks for them in
 * the text and parses losslessly only when it may hold one; `fast` is plain
 * JSON.parse (for a caller that checks the values it reads and asks again with
 * `lossless` when one of them is beyond 2^53); `lossless` always keeps every digit.
 */
export type IntegerMode = 'scan' | 'fast' | 'lossless';

/**
 * Parses JSON text, keeping every digit of integers beyond 2^53 (unless mode
 * is `fast`). Throws a SyntaxError on invalid JSON, like JSON.parse.
 */
export function parseJson(text: string, mode: IntegerMode = 'scan'): ParsedJson {
  if (mode === 'fast' || (mode === 'scan' && !mayHoldUnsafeInteger(text))) return { value: JSON.parse(text) as JsonValue, lossless: false };
  const value = losslessParse(text, undefined, losslessOptions as never) as JsonValue;
  return { value, lossless: true };
}

/**
 * True when `v` is a number that may have lost digits: an integer-valued
 * double beyond 2^53-1 (JSON.parse rounds such integer literals).
 */
export function isUnsafeNumber(v: unknown): boolean {
  return typeof v === 'number' && (v > Number.MAX_SAFE_INTEGER || v < -Number.MAX_SAFE_INTEGER) && Number.isInteger(v);
}

/** True when `v` is a non-null, non-array object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
