/**
 * What the `ecs` profile keeps of the values it does not map: input keys set
 * prototype-safely, empty values dropped at any depth, and the keys a mapper
 * does not read (or holding a value of another kind than it maps) kept under
 * `jizo.unmapped.<eve key>`.
 */
import type { JsonObject, JsonValue } from '../../eve/json.js';
import { canonicalIp } from '../ip.js';
import type { Ecs } from './build.js';

/**
 * Sets a property whose name comes from the input. `__proto__` as a key is
 * data: a plain assignment would change the object's prototype instead.
 */
export function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Copy of `o` without the keys of `skip`; undefined when nothing is left. Prototype-safe; empty values dropped ({@link pruned}). */
export function without(o: JsonObject, skip: ReadonlySet<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    if (skip.has(k)) continue;
    const v = pruned(o[k]!);
    if (v === undefined) continue;
    out ??= {};
    setKey(out, k, v);
  }
  return out;
}

/**
 * Copy of the keys of `o` the mapper does not map: unknown keys, and known
 * keys holding a value of another kind than the one it maps (a counter
 * written as text, a flag as "yes"); undefined when nothing is left.
 */
function unread(o: JsonObject, known: KnownKeys): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const v = o[k]!;
    const kind = known.get(k);
    if (kind !== undefined && fits(v, kind)) continue;
    const x = pruned(v);
    if (x === undefined) continue;
    out ??= {};
    setKey(out, k, x);
  }
  return out;
}

/** True when `v` is null, "", or an object or array holding no value at any depth. */
function isVoid(v: JsonValue): boolean {
  if (v === null || v === '') return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!isVoid(x)) return false;
    return true;
  }
  for (const k in v) if (!isVoid(v[k]!)) return false;
  return true;
}

/** True when `v` holds an empty value (null, "", {} or []) at some depth. */
function holdsVoid(v: JsonValue): boolean {
  if (v === null || v === '') return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    if (v.length === 0) return true;
    for (const x of v) if (holdsVoid(x)) return true;
    return false;
  }
  let n = 0;
  for (const k in v) {
    n++;
    if (holdsVoid(v[k]!)) return true;
  }
  return n === 0;
}

/** Sets `o[k]` to {@link pruned}(v) when something is left (an EVE object or list kept as logged); `k` may come from the input. */
export function putPruned(o: Record<string, unknown>, k: string, v: JsonValue | undefined): void {
  if (v === undefined) return;
  const x = pruned(v);
  if (x !== undefined) setKey(o, k, x);
}

/**
 * `v` without its empty values (null, "", {} and [] at any depth), undefined
 * when nothing is left: docs/ecs-profile.md, "empty values produce no field",
 * holds inside the objects kept whole under jizo.* too. The value itself when
 * it holds none (the usual case: one walk, no copy).
 */
export function pruned(v: JsonValue): JsonValue | undefined {
  if (!holdsVoid(v)) return v;
  if (isVoid(v)) return undefined;
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const y = pruned(x);
      if (y !== undefined) out.push(y);
    }
    return out;
  }
  const o = v as JsonObject;
  const out: JsonObject = {};
  for (const k of Object.keys(o)) {
    const y = pruned(o[k]!);
    if (y !== undefined) setKey(out as Record<string, unknown>, k, y);
  }
  return out;
}

/**
 * The kind of value a mapper maps from a key: `int` (an integer, or its
 * digits as a string), `str`, `ip` (an IP address), `scalar` (read as a keyword), `bool`, `obj`,
 * `words` (a keyword or a list of them), `list`, `any`; `none` for a key it does not read.
 */
export type Kind = 'int' | 'str' | 'ip' | 'scalar' | 'bool' | 'obj' | 'words' | 'list' | 'any' | 'none';

/** The keys a mapper reads, with the kind of value it maps from each. */
export type KnownKeys = ReadonlyMap<string, Kind>;

export function knownKeys(spec: Readonly<Record<string, Kind>>): KnownKeys {
  return new Map(Object.entries(spec));
}

const INTEGER_TEXT = /^-?\d{1,20}$/;

/** True when the mapper of a key of kind `kind` maps `v` (else `v` is kept unmapped). */
export function fits(v: JsonValue, kind: Kind): boolean {
  switch (kind) {
    case 'int':
      return typeof v === 'number' ? Number.isInteger(v) : typeof v === 'bigint' || (typeof v === 'string' && INTEGER_TEXT.test(v));
    case 'str':
      return typeof v === 'string';
    case 'ip':
      return typeof v === 'string' && canonicalIp(v) !== undefined;
    case 'scalar':
      return typeof v !== 'object' || v === null;
    case 'bool':
      return typeof v === 'boolean';
    case 'obj':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'words':
      return typeof v !== 'object' || v === null || (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null));
    case 'list':
      return Array.isArray(v);
    case 'none':
      return false;
    default:
      return true;
  }
}

/**
 * Keeps the keys of an EVE object that a mapper does not know under
 * `jizo.unmapped.<eveKey>` (a flattened field), so that a field added by a
 * future Suricata version is never lost.
 */
export function keepUnmapped(s: Ecs, eveKey: string, o: JsonObject, known: ReadonlySet<string> | KnownKeys): void {
  const rest = known instanceof Map ? unread(o, known) : without(o, known as ReadonlySet<string>);
  if (rest === undefined) return;
  const j = (s.doc.jizo ??= {}) as Record<string, unknown>;
  const u = (j.unmapped ??= {}) as Record<string, unknown>;
  // The same EVE key may be read at two levels (dns of an alert and its answer{}): merged.
  const cur = Object.hasOwn(u, eveKey) ? u[eveKey] : undefined;
  if (typeof cur === 'object' && cur !== null && !Array.isArray(cur)) Object.assign(cur, rest);
  else setKey(u, eveKey, rest);
}

