/**
 * Whether a document agrees with an index mapping: every leaf field mapped
 * (by name, or by a dynamic template under a `dynamic: true` object), every
 * value acceptable for its mapped type. What a `dynamic: false` index would
 * silently leave unindexed, or reject, is reported.
 */
import type { DynamicTemplate, FieldMapping } from './template.js';
import { isObject } from '../eve/json.js';
import { isFlattened, valueProblem } from './values.js';

/** The parts of `mappings` the check reads. */
export interface MappingsLike {
  dynamic?: boolean | string;
  dynamic_templates?: Record<string, DynamicTemplate>[];
  properties: Record<string, FieldMapping>;
}

/** Every disagreement between `doc` and a mapping, as messages. */
export function mappingProblems(doc: unknown, mappings: MappingsLike): string[] {
  const out: string[] = [];
  if (!isObject(doc)) return ['the document is not an object'];
  const templates = (mappings.dynamic_templates ?? []).map((t) => Object.values(t)[0]!).map(compile);
  walk(doc, mappings.properties, '', mappings.dynamic === true, templates, out);
  return out;
}

interface CompiledTemplate {
  match: RegExp;
  unmatch?: RegExp;
  kind: string;
  mapping: FieldMapping;
}

/** `path_match` patterns: `*` matches any characters, dots included. */
function glob(p: string): RegExp {
  return new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

function compile(t: DynamicTemplate): CompiledTemplate {
  return { match: glob(t.path_match), unmatch: t.path_unmatch === undefined ? undefined : glob(t.path_unmatch), kind: t.match_mapping_type, mapping: t.mapping };
}

/** The JSON kind dynamic templates match on (`match_mapping_type`). */
function jsonKind(v: unknown): string {
  if (isObject(v)) return 'object';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return 'long';
  return 'double';
}

function dynamicMapping(name: string, v: unknown, templates: CompiledTemplate[]): FieldMapping | undefined {
  const kind = jsonKind(Array.isArray(v) ? v[0] : v);
  for (const t of templates) {
    if ((t.kind === kind || t.kind === '*') && t.match.test(name) && !(t.unmatch?.test(name) ?? false)) return t.mapping;
  }
  return undefined;
}

function walk(o: Record<string, unknown>, props: Record<string, FieldMapping>, prefix: string, dynamic: boolean, templates: CompiledTemplate[], out: string[]): void {
  for (const key of Object.keys(o)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    const value = o[key];
    let node = Object.hasOwn(props, key) ? props[key] : undefined;
    if (node === undefined && dynamic) node = dynamicMapping(name, value, templates);
    if (node === undefined) {
      out.push(`${name} is not mapped`);
      continue;
    }
    const childDynamic = typeof node.dynamic === 'boolean' ? node.dynamic : dynamic;
    // Both engines index a list as several values of the field's type.
    for (const v of Array.isArray(value) ? value : [value]) {
      if (node.properties !== undefined) {
        if (isObject(v)) walk(v, node.properties, name, childDynamic, templates, out);
        else out.push(`${name} is mapped as an object but holds a scalar`);
      } else if (isFlattened(node.type ?? '')) {
        if (!isObject(v)) out.push(`${name} is mapped as ${node.type} but holds a scalar`);
      } else {
        const problem = valueProblem(node.type ?? 'object', v);
        if (problem !== undefined) out.push(`${name} (${node.type}): ${problem}`);
      }
    }
  }
}
