/**
 * Checks a document of the `ecs` profile against ECS (../shared/ecs/ecs-fields.json)
 * and the declared custom fields (ECS_PROFILE_FIELDS): field names, value types,
 * arrays where ECS normalizes to arrays, allowed event.kind/category/type values
 * and legal category/type pairs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalIp } from '../../src/normalize/ip.js';
import { ECS_PROFILE_FIELDS } from '../../src/catalog/fields/ecs.js';
import type { FieldDef } from '../../src/catalog/types.js';
import { SHARED } from './paths.js';

interface EcsField {
  type: string;
  normalize?: string[];
  allowed_values?: Record<string, string[]>;
}

const ecs = (JSON.parse(readFileSync(join(SHARED, 'ecs', 'ecs-fields.json'), 'utf8')) as { fields: Record<string, EcsField> }).fields;
const catalog = new Map<string, FieldDef>(ECS_PROFILE_FIELDS.map((f) => [f.name, f]));
const customPrefixes = new Set<string>();
for (const f of ECS_PROFILE_FIELDS) {
  if (!f.custom) continue;
  const parts = f.name.split('.');
  for (let i = 1; i < parts.length; i++) customPrefixes.add(parts.slice(0, i).join('.'));
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'keyword':
    case 'wildcard':
    case 'match_only_text':
    case 'constant_keyword':
    case 'text':
      return typeof v === 'string' && v !== '';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'float':
    case 'double':
    case 'scaled_float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v));
    case 'ip':
      return typeof v === 'string' && canonicalIp(v) === v;
    case 'flattened':
      return typeof v === 'object' && v !== null;
    default:
      return false;
  }
}

function valueOk(type: string, array: boolean, v: unknown, errors: string[], name: string): void {
  if (array) {
    if (!Array.isArray(v) || v.length === 0) {
      errors.push(`${name}: expected a non-empty array of ${type}, got ${show(v)}`);
      return;
    }
    for (const x of v) if (!scalarOk(type, x)) errors.push(`${name}: element ${show(x)} is not a ${type}`);
    return;
  }
  if (Array.isArray(v) && type !== 'flattened') {
    errors.push(`${name}: ECS ${type} field given an array`);
    return;
  }
  if (!scalarOk(type, v)) errors.push(`${name}: ${show(v)} is not a ${type}`);
}

function show(v: unknown): string {
  const s = typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

function walk(o: Record<string, unknown>, prefix: string, errors: string[], seen: Set<string>): void {
  for (const k of Object.keys(o)) {
    const name = prefix === '' ? k : `${prefix}.${k}`;
    const v = o[k];
    const declared = catalog.get(name);
    const e = ecs[name];
    if (declared?.custom) {
      seen.add(name);
      valueOk(declared.type, declared.array === true, v, errors, name);
      continue;
    }
    if (e !== undefined) {
      const array = e.normalize?.includes('array') === true;
      if (e.type === 'object' && !array) {
        // A plain ECS grouping (observer.ingress, log.syslog): its leaves are checked.
        if (isPlainObject(v)) walk(v, name, errors, seen);
        else errors.push(`${name}: ${show(v)} is not an object`);
        continue;
      }
      seen.add(name);
      if (declared === undefined) errors.push(`${name}: ECS field emitted but missing from ECS_PROFILE_FIELDS`);
      else if (declared.type !== e.type || (declared.array === true) !== (e.normalize?.includes('array') === true)) {
        errors.push(`${name}: catalog says ${declared.type}${declared.array ? '[]' : ''}, ECS says ${e.type}`);
      }
      if (e.type === 'object' || e.type === 'nested') {
        const items = array ? (Array.isArray(v) ? v : null) : [v];
        if (items === null || items.length === 0) {
          errors.push(`${name}: expected a non-empty array of objects`);
          continue;
        }
        for (const item of items) {
          if (isPlainObject(item)) walk(item, name, errors, seen);
          else errors.push(`${name}: element ${show(item)} is not an object`);
        }
        continue;
      }
      valueOk(e.type, array, v, errors, name);
      continue;
    }
    // jizo.<event_type>: the whole object of an event type no module maps (declared as `jizo.*`).
    if (prefix === 'jizo' && !customPrefixes.has(name) && catalog.get('jizo.*')?.type === 'flattened') {
      seen.add('jizo.*');
      if (!isPlainObject(v)) errors.push(`${name}: unknown event type object is not an object`);
      continue;
    }
    if (isPlainObject(v)) {
      if (Object.keys(v).length === 0) errors.push(`${name}: empty object`);
      walk(v, name, errors, seen);
      continue;
    }
    errors.push(`${name}: neither an ECS field nor a declared custom field (value ${show(v)})`);
  }
}

const kinds = ecs['event.kind']!.allowed_values!;
const categories = ecs['event.category']!.allowed_values!;
const types = ecs['event.type']!.allowed_values!;

/** Every problem of a document; empty when it conforms. `seen` collects the catalog names met. */
export function schemaErrors(doc: Record<string, unknown>, seen: Set<string> = new Set()): string[] {
  const errors: string[] = [];
  walk(doc, '', errors, seen);
  const event = doc.event as Record<string, unknown> | undefined;
  if (event === undefined) return [...errors, 'event: missing'];
  if (typeof event.kind !== 'string' || !Object.hasOwn(kinds, event.kind)) errors.push(`event.kind ${show(event.kind)} not allowed`);
  const cats = Array.isArray(event.category) ? (event.category as string[]) : [];
  if (cats.length === 0) errors.push('event.category: missing');
  for (const c of cats) if (!Object.hasOwn(categories, c)) errors.push(`event.category ${c} not allowed`);
  for (const t of Array.isArray(event.type) ? (event.type as string[]) : []) {
    if (!Object.hasOwn(types, t)) errors.push(`event.type ${t} not allowed`);
    else if (!cats.some((c) => categories[c]?.includes(t))) errors.push(`event.type ${t} legal for none of ${cats.join(', ')}`);
  }
  return errors;
}
