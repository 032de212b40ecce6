/**
 * Request bodies of the HTTP source -> raw events. A body whose first
 * non-blank character is `[` is a JSON array, of events (objects, re-written
 * as JSON text with every digit of large integers kept) or of raw lines
 * (strings); anything else is newline-delimited (one raw event per line).
 */
import { parseJson, type JsonValue } from '../../eve/json.js';
import { LineSplitter } from '../../io/lines.js';
import { toJson } from '../../serialize.js';
import type { RawEvent } from '../../pipeline/types.js';

export type BodyResult = { ok: true; events: RawEvent[] } | { ok: false; error: string };

function firstNonBlank(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return c;
  }
  return -1;
}

export function parseBody(text: string, receivedAt: string, maxLineBytes: number): BodyResult {
  if (firstNonBlank(text) === 91 /* [ */) return parseArray(text, receivedAt, maxLineBytes);
  const events: RawEvent[] = [];
  const splitter = new LineSplitter(maxLineBytes, {
    // Blank lines are handed on too: the pipeline counts them.
    line: (raw) => events.push({ raw, receivedAt }),
    tooLong: (excerpt, bytes) =>
      events.push({
        raw: excerpt,
        receivedAt,
        reject: { reason: 'too_long', message: `line of ${bytes} bytes exceeds the limit of ${maxLineBytes} bytes` },
      }),
  });
  splitter.push(text);
  splitter.end();
  return { ok: true, events };
}

function parseArray(text: string, receivedAt: string, maxLineBytes: number): BodyResult {
  let value: JsonValue;
  let lossless: boolean;
  try {
    ({ value, lossless } = parseJson(text));
  } catch (e) {
    return { ok: false, error: `body starts with "[" but is not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value)) return { ok: false, error: 'body is not a JSON array' };
  const events: RawEvent[] = [];
  for (const item of value) {
    // Strings are raw lines (syslog, EVE JSON, envelope); anything else is re-serialized and left to the decoder to judge.
    const raw = typeof item === 'string' ? item : toJson(item, lossless);
    if (raw.length * 3 > maxLineBytes && Buffer.byteLength(raw, 'utf8') > maxLineBytes) {
      const bytes = Buffer.byteLength(raw, 'utf8');
      events.push({
        raw: raw.slice(0, 4096),
        receivedAt,
        reject: { reason: 'too_long', message: `event of ${bytes} bytes exceeds the limit of ${maxLineBytes} bytes` },
      });
    } else {
      events.push({ raw, receivedAt });
    }
  }
  return { ok: true, events };
}
