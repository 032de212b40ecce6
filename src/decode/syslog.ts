/**
 * Syslog header parsing: RFC 5424 (with structured data) and RFC 3164 (BSD),
 * including the PRI-less form that syslog daemons write to files.
 *
 * Written for this intake rather than taken from a library: it runs once per
 * event on the hot path, must never throw, must return the MSG part exactly as
 * carried (no trimming), and must expose the structured data that relays add
 * (for example `[SEKOIA@53288 intake_key="..."]`).
 */

/** Structured data: SD-ID to its parameters (a repeated parameter keeps the last value). */
export type StructuredData = Record<string, Record<string, string>>;

export interface SyslogHeader {
  format: 'rfc5424' | 'rfc3164';
  priority?: number;
  facility?: number;
  severity?: number;
  version?: number;
  /** The header timestamp as written. */
  timestamp?: string;
  hostname?: string;
  appname?: string;
  procid?: string;
  msgid?: string;
  structuredData?: StructuredData;
}

export interface SyslogMessage {
  header: SyslogHeader;
  /** The MSG part, exactly as carried (a leading UTF-8 BOM removed). */
  msg: string;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const BSD_TS = /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?= )/;
const ISO_TS = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?(?= )/;

/** Parses a syslog line; undefined when the line does not start like one. */
export function parseSyslog(line: string): SyslogMessage | undefined {
  let pos = 0;
  let priority: number | undefined;
  if (line.charCodeAt(0) === 60 /* < */) {
    const close = line.indexOf('>', 1);
    if (close < 2 || close > 4) return undefined;
    const digits = line.slice(1, close);
    if (!/^\d+$/.test(digits)) return undefined;
    priority = +digits;
    if (priority > 191) return undefined;
    pos = close + 1;
    // RFC 5424: VERSION SP (a non-zero digit run, "1" today).
    const c = line.charCodeAt(pos);
    if (c >= 49 && c <= 57) {
      const sp = line.indexOf(' ', pos);
      if (sp > pos && sp - pos <= 2 && /^\d+$/.test(line.slice(pos, sp))) {
        const r = parse5424(line, sp + 1, priority, +line.slice(pos, sp));
        if (r !== undefined) return r;
      }
    }
  }
  return parse3164(line, pos, priority);
}

function withPri(h: SyslogHeader, priority: number | undefined): SyslogHeader {
  if (priority !== undefined) {
    h.priority = priority;
    h.facility = priority >> 3;
    h.severity = priority & 7;
  }
  return h;
}

function parse5424(line: string, start: number, priority: number, version: number): SyslogMessage | undefined {
  let pos = start;
  const fields: string[] = [];
  for (let i = 0; i < 5; i++) {
    const sp = line.indexOf(' ', pos);
    if (sp <= pos) return undefined;
    fields.push(line.slice(pos, sp));
    pos = sp + 1;
  }
  const header: SyslogHeader = withPri({ format: 'rfc5424', version }, priority);
  const [ts, host, app, procid, msgid] = fields as [string, string, string, string, string];
  if (ts !== '-') header.timestamp = ts;
  if (host !== '-') header.hostname = host;
  if (app !== '-') header.appname = app;
  if (procid !== '-') header.procid = procid;
  if (msgid !== '-') header.msgid = msgid;
  if (line.charCodeAt(pos) === 45 /* - */) {
    pos++;
  } else if (line.charCodeAt(pos) === 91 /* [ */) {
    const sd: StructuredData = Object.create(null) as StructuredData;
    const end = parseStructuredData(line, pos, sd);
    if (end < 0) return undefined;
    header.structuredData = sd;
    pos = end;
  } else {
    return undefined;
  }
  let msg = '';
  if (pos < line.length) {
    if (line.charCodeAt(pos) !== 32) return undefined;
    msg = line.slice(pos + 1);
    if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  }
  return { header, msg };
}

/** Parses one or more SD-ELEMENTs from `pos`; returns the index after them, or -1. */
function parseStructuredData(line: string, pos: number, out: StructuredData): number {
  const n = line.length;
  while (pos < n && line.charCodeAt(pos) === 91) {
    pos++;
    let idEnd = pos;
    while (idEnd < n && line.charCodeAt(idEnd) !== 32 && line.charCodeAt(idEnd) !== 93) idEnd++;
    if (idEnd === pos || idEnd >= n) return -1;
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    out[line.slice(pos, idEnd)] = params;
    pos = idEnd;
    while (line.charCodeAt(pos) === 32) {
      pos++;
      const eq = line.indexOf('=', pos);
      if (eq <= pos || line.charCodeAt(eq + 1) !== 34) return -1;
      const name = line.slice(pos, eq);
      pos = eq + 2;
      let value = '';
      for (;;) {
        if (pos >= n) return -1;
        const c = line.charCodeAt(pos);
        if (c === 92 /* \ */ && pos + 1 < n) {
          const next = line[pos + 1]!;
          // RFC 5424 §6.3.3: only \" \\ \] are escapes; any other backslash is literal.
          if (next === '"' || next === '\\' || next === ']') {
            value += next;
            pos += 2;
            continue;
          }
        }
        if (c === 34) break;
        value += line[pos];
        pos++;
      }
      params[name] = value;
      pos++;
    }
    if (line.charCodeAt(pos) !== 93) return -1;
    pos++;
  }
  return pos;
}

function parse3164(line: string, start: number, priority: number | undefined): SyslogMessage | undefined {
  let pos = start;
  const rest = line.slice(pos, pos + 40);
  let timestamp: string | undefined;
  let m = BSD_TS.exec(rest);
  if (m !== null && MONTHS.includes(m[0].slice(0, 3))) {
    timestamp = m[0];
  } else if ((m = ISO_TS.exec(rest)) !== null) {
    timestamp = m[0];
  }
  // Without PRI, a timestamp is what tells a syslog line from anything else.
  if (timestamp === undefined && priority === undefined) return undefined;
  const header: SyslogHeader = withPri({ format: 'rfc3164' }, priority);
  if (timestamp !== undefined) {
    header.timestamp = timestamp;
    pos += timestamp.length + 1;
  }
  // HOSTNAME SP TAG[PID]: SP MSG, where HOSTNAME may be missing.
  for (let token = 0; token < 2; token++) {
    const c = line.charCodeAt(pos);
    if (c === 123 /* { */ || c === 91 /* [ */ || Number.isNaN(c)) break;
    const sp = line.indexOf(' ', pos);
    const word = sp === -1 ? line.slice(pos) : line.slice(pos, sp);
    const tag = /^([^\s[\]:]+)(?:\[([^\]]*)\])?:$/.exec(word);
    if (tag !== null) {
      header.appname = tag[1];
      if (tag[2] !== undefined && tag[2] !== '') header.procid = tag[2];
      pos = sp === -1 ? line.length : sp + 1;
      break;
    }
    if (token === 1 || sp === -1) break;
    header.hostname = word;
    pos = sp + 1;
  }
  return { header, msg: line.slice(pos) };
}
