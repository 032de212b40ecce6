/**
 * Building blocks of the `ecs` profile: the per-event state (document,
 * related.* sets) and small converters shared by the event-type modules.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import type { Context, JizoDocument } from '../types.js';

/** Per-event state handed to every mapper of the `ecs` profile. */
export interface Ecs {
  ctx: Context;
  doc: JizoDocument;
  /** The EVE event. */
  e: JsonObject;
  /** event_type of the event (lowercase as Suricata writes it), '' when absent. */
  type: string;
  /** related.* values, deduplicated when the document is finished (created on first use but ips). */
  ips: string[];
  hosts: string[] | undefined;
  hashes: string[] | undefined;
  users: string[] | undefined;
}

/** The document seen as objects by name: `(d(s).source ??= {})` is a named access, faster than {@link sub}. */
export type Objects = Record<string, Record<string, unknown> | undefined>;

/** A nested object of the document, created on first use (`path` is a constant of the mapper). */
export function sub(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = parent[key];
  if (v !== undefined) return v as Record<string, unknown>;
  const o: Record<string, unknown> = {};
  parent[key] = o;
  return o;
}

/** `jizo.<key>` object of the document. */
export function jizo(s: Ecs, key: string): Record<string, unknown> {
  const j = (s.doc.jizo ??= {}) as Record<string, unknown>;
  return sub(j, key);
}

/**
 * Puts `fields` (built by a mapper, constant keys) under `jizo.<key>`: the
 * object itself when there is none yet, else its fields copied in. Mappers
 * that may have nothing to put build their object first, so that no empty
 * object is created and deleted again (a delete makes the parent slow).
 */
export function attachJizo(s: Ecs, key: string, fields: Record<string, unknown>): void {
  const j = (s.doc.jizo ??= {}) as Record<string, unknown>;
  const cur = j[key] as Record<string, unknown> | undefined;
  if (cur === undefined) j[key] = fields;
  else Object.assign(cur, fields);
}

const HEX = '0123456789ABCDEF';

/**
 * A MAC address in ECS format: six upper-case hex pairs joined by dashes
 * (ECS `source.mac`: "RFC 7042 ... uppercase hexadecimal, separated by hyphens").
 */
export function mac(v: JsonValue | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (v.length !== 17) return undefined;
  let out = '';
  for (let i = 0; i < 17; i++) {
    const c = v.charCodeAt(i);
    if (i % 3 === 2) {
      if (c !== 58 /* : */ && c !== 45 /* - */) return undefined;
      out += '-';
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return undefined;
    out += HEX[d];
  }
  return out;
}

/** Sum of two counters; bigint as soon as one of them is. */
export function sum(a: number | bigint | undefined, b: number | bigint | undefined): number | bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (typeof a === 'number' && typeof b === 'number') {
    const n = a + b;
    return Number.isSafeInteger(n) ? n : BigInt(a) + BigInt(b);
  }
  return BigInt(a) + BigInt(b);
}

/** A bigint result as a number when exact, else as a bigint (the document then needs lossless output). */
export function exact(s: Ecs, n: bigint): number | bigint {
  if (n <= 9007199254740991n && n >= -9007199254740991n) return Number(n);
  // normalize() reads the flag after the profile ran: the document is then serialized losslessly.
  s.ctx.decoded.lossless = true;
  return n;
}

/**
 * Array of non-empty keyword strings of an EVE value (a scalar becomes a
 * one-element list). An input array that is already that is returned as is:
 * the parsed event belongs to this call, and sharing it saves a copy.
 */
export function keywords(v: JsonValue | undefined): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    let clean = v.length > 0;
    for (let i = 0; clean && i < v.length; i++) {
      const x = v[i];
      clean = typeof x === 'string' && x !== '';
    }
    if (clean) return v as string[];
  }
  const list = Array.isArray(v) ? v : [v];
  let out: string[] | undefined;
  for (const x of list) {
    const t = typeof x;
    if (t === 'string' ? x !== '' : t === 'number' || t === 'bigint' || t === 'boolean') (out ??= []).push(String(x));
  }
  return out;
}

/** The last path segment of a file name (`/` or `\` separated). */
export function basename(p: string): string {
  let i = p.length - 1;
  while (i >= 0) {
    const c = p.charCodeAt(i);
    if (c === 47 || c === 92) break;
    i--;
  }
  return i < 0 ? p : p.slice(i + 1);
}

/** Extension of a file name without the dot (ECS `file.extension`), or undefined. */
export function extension(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : undefined;
}

/** A boolean value, or undefined. */
export function bool(v: JsonValue | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}
