/**
 * Raw line -> EVE payload. A line is one of: a bare EVE JSON object, a syslog
 * line (RFC 5424 / RFC 3164) whose MSG is the EVE JSON, or an intake envelope
 * `{"message": "<EVE JSON>"}`. Never throws: anything else is a rejection.
 */
import { isObject, parseJson, type IntegerMode, type JsonObject } from '../eve/json.js';
import { parseSyslog, type StructuredData, type SyslogHeader } from './syslog.js';

export type { SyslogHeader, StructuredData } from './syslog.js';

/** Stable reason codes of a rejection. */
export type RejectReason =
  | 'empty'
  | 'too_long'
  | 'not_json'
  | 'truncated_json'
  | 'not_object'
  | 'not_eve'
  | 'internal_error';

export const REJECT_REASONS: readonly RejectReason[] = [
  'empty',
  'too_long',
  'not_json',
  'truncated_json',
  'not_object',
  'not_eve',
  'internal_error',
];

export interface Rejection {
  ok: false;
  reason: RejectReason;
  /** A human sentence saying what was wrong. */
  message: string;
}

export type EnvelopeKind = 'eve' | 'message' | 'syslog';

export interface Decoded {
  ok: true;
  /** The EVE JSON text as carried (syslog MSG, envelope string, or the line). */
  payload: string;
  /** The parsed EVE object. */
  event: JsonObject;
  /** The event holds integers beyond 2^53 as bigints. */
  lossless: boolean;
  envelope: EnvelopeKind;
  syslog?: SyslogHeader;
}

export interface DecodeOptions {
  /** Longest accepted line in UTF-8 bytes (default 1 MiB). */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

function reject(reason: RejectReason, message: string): Rejection {
  return { ok: false, reason, message };
}

/** Removes one trailing line terminator (LF, CRLF or CR). */
function stripTerminator(raw: string): string {
  let end = raw.length;
  if (end > 0 && raw.charCodeAt(end - 1) === 10) end--;
  if (end > 0 && raw.charCodeAt(end - 1) === 13) end--;
  return end === raw.length ? raw : raw.slice(0, end);
}

function firstNonSpace(s: string): number {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return i;
    i++;
  }
  return -1;
}

/**
 * `text` from its first non-blank character, unless that is `{` (EVE JSON) or
 * there is none: what may be a syslog line carried in a syslog MSG or an envelope.
 */
function unlessJson(text: string): string | undefined {
  const j = firstNonSpace(text);
  if (j === -1 || text.charCodeAt(j) === 123 /* { */) return undefined;
  return j === 0 ? text : text.slice(j);
}

/** True when a JSON object looks like an EVE event. */
function isEve(o: JsonObject): boolean {
  return o.event_type !== undefined || o.timestamp !== undefined;
}

function parseObject(text: string, where: string, mode: IntegerMode): { obj: JsonObject; lossless: boolean } | Rejection {
  let parsed;
  try {
    parsed = parseJson(text, mode);
  } catch (e) {
    const msg = (e as Error).message;
    if (isTruncation(text, msg)) return reject('truncated_json', `${where} is truncated JSON: ${msg}`);
    return reject('not_json', `${where} is not valid JSON: ${msg}`);
  }
  if (!isObject(parsed.value)) {
    const kind = Array.isArray(parsed.value) ? 'a JSON array' : parsed.value === null ? 'JSON null' : `a JSON ${typeof parsed.value}`;
    return reject('not_object', `${where} is ${kind}, not an object`);
  }
  return { obj: parsed.value, lossless: parsed.lossless };
}

/**
 * True when a JSON syntax error comes from text that stops early (a line cut
 * by a buffer limit or a crashed writer): V8 reports the end of input, an
 * unterminated string, or an error at the very end of the text.
 */
function isTruncation(text: string, msg: string): boolean {
  if (/end of JSON input|Unterminated string/i.test(msg)) return true;
  const m = /at position (\d+)/.exec(msg);
  return m !== null && +m[1]! >= text.trimEnd().length;
}

/** Decodes an EVE payload that may start with whitespace. */
function decodeEve(text: string, where: string, mode: IntegerMode): { obj: JsonObject; lossless: boolean } | Rejection {
  if (firstNonSpace(text) === -1) return reject('empty', `${where} is empty`);
  return parseObject(text, where, mode);
}

/** Decodes one raw line (a trailing LF/CRLF is ignored). */
export function decode(rawLine: string, options: DecodeOptions = {}): Decoded | Rejection {
  return decodeLine(rawLine, options, 'scan');
}

/**
 * {@link decode} with the handling of integers beyond 2^53 chosen by the
 * caller (see IntegerMode): `normalize` parses with `fast` for a profile that
 * checks the values it reads, and again with `lossless` when one needs it.
 */
export function decodeLine(rawLine: string, options: DecodeOptions, mode: IntegerMode): Decoded | Rejection {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const raw = stripTerminator(rawLine);
  if (raw.length > max || (raw.length * 3 > max && Buffer.byteLength(raw, 'utf8') > max)) {
    return reject('too_long', `line of ${Buffer.byteLength(raw, 'utf8')} bytes exceeds the limit of ${max} bytes`);
  }
  const i = firstNonSpace(raw);
  if (i === -1) return reject('empty', 'line is blank');
  const c = raw.charCodeAt(i);

  if (c === 123 /* { */) {
    const r = parseObject(raw, 'line', mode);
    if (!('obj' in r)) return r;
    if (isEve(r.obj)) return { ok: true, payload: raw, event: r.obj, lossless: r.lossless, envelope: 'eve' };
    const message = r.obj.message;
    if (typeof message !== 'string') {
      return reject('not_eve', 'JSON object is not an EVE event (no event_type nor timestamp) and has no "message" string');
    }
    return decodeEnvelopeMessage(message, mode);
  }

  const sys = decodeSyslog(i === 0 ? raw : raw.slice(i), 'syslog message', mode);
  if (sys !== undefined) return sys;
  // Not an object and not syslog: say what it is (not JSON, or JSON of another kind).
  const r = parseObject(raw, 'line', mode);
  return 'obj' in r ? reject('not_eve', 'line is not an EVE event') : r;
}

/** Syslog headers read one inside the other at most (a chain of relays that each forward the whole line). */
const MAX_SYSLOG_HEADERS = 4;

/**
 * Decodes a syslog line whose MSG is EVE JSON; undefined when the line is not
 * syslog. A relay that forwards the whole line it received (a shipper tailing
 * the file the sensor's syslog daemon writes, a template of the raw message)
 * puts the sensor's syslog line in the MSG of its own: such headers are read
 * one inside the other, and the header kept is the sensor's ({@link nestedHeader}).
 */
function decodeSyslog(line: string, where: string, mode: IntegerMode): Decoded | Rejection | undefined {
  let sys = parseSyslog(line);
  if (sys === undefined) return undefined;
  let outer: SyslogHeader[] | undefined;
  while ((outer?.length ?? 0) < MAX_SYSLOG_HEADERS - 1) {
    const text = unlessJson(sys.msg);
    const inner = text === undefined ? undefined : parseSyslog(text);
    if (inner === undefined) break;
    (outer ??= []).push(sys.header);
    sys = inner;
  }
  const r = decodeEve(sys.msg, where, mode);
  if (!('obj' in r)) return r;
  if (!isEve(r.obj)) return reject('not_eve', `${where} is a JSON object but not an EVE event (no event_type nor timestamp)`);
  const header = outer === undefined ? sys.header : nestedHeader(outer, sys.header);
  return { ok: true, payload: sys.msg, event: r.obj, lossless: r.lossless, envelope: 'syslog', syslog: header };
}

/**
 * The header of a syslog line carried in other syslog lines (`outer`, the
 * outermost first): the sensor's own (the innermost), with the priority of
 * the nearest header around it when it has none (a line written to a file
 * has none), and the structured data of every header, an SD-ID of an inner
 * header replacing the same SD-ID of an outer one (a relay may add its own,
 * for example a tenant or an intake key).
 */
function nestedHeader(outer: SyslogHeader[], inner: SyslogHeader): SyslogHeader {
  const h: SyslogHeader = { ...inner };
  if (h.priority === undefined) {
    for (let i = outer.length - 1; i >= 0; i--) {
      const o = outer[i]!;
      if (o.priority === undefined) continue;
      h.priority = o.priority;
      h.facility = o.facility;
      h.severity = o.severity;
      break;
    }
  }
  let sd: StructuredData | undefined;
  for (const o of [...outer, inner]) {
    if (o.structuredData === undefined) continue;
    sd ??= Object.create(null) as StructuredData;
    Object.assign(sd, o.structuredData);
  }
  if (sd !== undefined) h.structuredData = sd;
  return h;
}

function decodeEnvelopeMessage(message: string, mode: IntegerMode): Decoded | Rejection {
  // A relay may wrap a whole syslog line in the envelope.
  const text = unlessJson(message);
  if (text !== undefined) {
    const sys = decodeSyslog(text, 'envelope syslog message', mode);
    if (sys !== undefined) return sys;
  }
  const r = decodeEve(message, 'envelope message', mode);
  if (!('obj' in r)) return r;
  if (!isEve(r.obj)) return reject('not_eve', 'envelope message is a JSON object but not an EVE event (no event_type nor timestamp)');
  return { ok: true, payload: message, event: r.obj, lossless: r.lossless, envelope: 'message' };
}
