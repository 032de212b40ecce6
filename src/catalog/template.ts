/**
 * Composable index templates (`PUT _index_template/<name>`) for Elasticsearch
 * and OpenSearch, built from the field catalog. Type choices for OpenSearch and
 * the settings are explained in docs/index-templates.md.
 */
import type { ProfileName } from '../normalize/types.js';
import { isPattern, profileFields } from './catalog.js';
import type { FieldDef, FieldType } from './types.js';

import type { TemplateTarget } from './choices.js';
export { TEMPLATE_TARGETS, type TemplateTarget } from './choices.js';

export interface IndexTemplateOptions {
  target: TemplateTarget;
  /** Only the fields of this profile (default: every catalogued field). */
  profile?: ProfileName;
  /** Default `jizo-<profile>-*`, or `jizo-*` without a profile. */
  indexPattern?: string;
  /** Add `data_stream: {}` (indices are then created by writing to a data stream). */
  dataStream?: boolean;
  /** Map `@timestamp` and the `event.*` dates as `date_nanos` (keeps microseconds and nanoseconds). */
  dateNanos?: boolean;
  /** Template name, recorded in `_meta` (default `jizo-<profile>` or `jizo`). */
  name?: string;
}

/** A mapping of one field (or object, with `properties`). */
export interface FieldMapping {
  type?: string;
  properties?: Record<string, FieldMapping>;
  [parameter: string]: unknown;
}

/** A dynamic template: how a field that is not mapped by name gets mapped under a `dynamic: true` object. */
export interface DynamicTemplate {
  path_match: string;
  path_unmatch?: string;
  match_mapping_type: string;
  mapping: FieldMapping;
}

export interface IndexTemplate {
  index_patterns: string[];
  priority: number;
  template: {
    settings: { index: Record<string, unknown> };
    mappings: {
      dynamic: false;
      _meta: Record<string, string>;
      dynamic_templates?: Record<string, DynamicTemplate>[];
      properties: Record<string, FieldMapping>;
    };
  };
  data_stream?: Record<string, never>;
}

/**
 * OpenSearch has no `wildcard` (before 2.15), `match_only_text`,
 * `constant_keyword` nor `flattened`: the closest type of each. `unsigned_long`
 * exists since OpenSearch 2.8 and is kept.
 */
const OPENSEARCH_TYPES: Partial<Record<FieldType, string>> = {
  wildcard: 'keyword',
  match_only_text: 'text',
  constant_keyword: 'keyword',
  flattened: 'flat_object',
};

/** ECS maps keywords with `ignore_above: 1024` (longer values stay in `_source`, unindexed). */
const KEYWORD_IGNORE_ABOVE = 1024;
/** A `wildcard` field indexes long values (URLs): keep more of them when it becomes a keyword. */
const WILDCARD_AS_KEYWORD_IGNORE_ABOVE = 8191;

/** The index type of a catalogued field for a target. */
export function mappedType(field: FieldDef, target: TemplateTarget, dateNanos = false): string {
  if (field.type === 'date' && dateNanos && isEventDate(field.name)) return 'date_nanos';
  if (target === 'opensearch') return OPENSEARCH_TYPES[field.type] ?? field.type;
  return field.type;
}

/** `@timestamp` and the `event.*` dates: the fields `dateNanos` switches to `date_nanos`. */
function isEventDate(name: string): boolean {
  return name === '@timestamp' || name.startsWith('event.');
}

function leafMapping(field: FieldDef, target: TemplateTarget, dateNanos: boolean): FieldMapping {
  const type = mappedType(field, target, dateNanos);
  // event.original is kept for reprocessing, not searched (ECS maps it index: false, doc_values: false).
  if (field.name === 'event.original') return { type: 'keyword', index: false, doc_values: false };
  if (type === 'keyword') {
    return { type, ignore_above: field.type === 'wildcard' ? WILDCARD_AS_KEYWORD_IGNORE_ABOVE : KEYWORD_IGNORE_ABOVE };
  }
  if (type === 'scaled_float') return { type, scaling_factor: 1000 };
  return { type };
}

/** The `properties` tree of a list of fields (dotted names become nested objects). */
export function buildProperties(fields: readonly FieldDef[], target: TemplateTarget, dateNanos = false): Record<string, FieldMapping> {
  const root: Record<string, FieldMapping> = Object.create(null) as Record<string, FieldMapping>;
  // Parents before children, whatever the input order.
  const sorted = [...fields].sort((a, b) => a.name.split('.').length - b.name.split('.').length);
  const open: FieldMapping[] = [];
  for (const f of sorted) {
    const parts = f.name.split('.');
    let props = root;
    let parent: FieldMapping | undefined;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i]!;
      let node = props[key];
      if (node === undefined) {
        node = { properties: Object.create(null) as Record<string, FieldMapping> };
        props[key] = node;
      } else if (node.properties === undefined) {
        throw new Error(`index template: ${f.name} is under ${parts.slice(0, i + 1).join('.')}, which is mapped as ${node.type}`);
      }
      parent = node;
      props = node.properties!;
    }
    if (isPattern(f.name)) {
      // Mapped by the dynamic templates of patternTemplates(): the parent takes new children.
      if (parent !== undefined) open.push(parent);
      continue;
    }
    const last = parts[parts.length - 1]!;
    const existing = props[last];
    if (f.type === 'object' || f.type === 'nested') {
      const node = existing ?? { properties: Object.create(null) as Record<string, FieldMapping> };
      if (f.type === 'nested') node.type = 'nested';
      props[last] = node;
    } else if (existing !== undefined) {
      throw new Error(`index template: ${f.name} is catalogued twice`);
    } else {
      props[last] = leafMapping(f, target, dateNanos);
    }
  }
  for (const node of open) {
    // Only the parent of a pattern takes new fields; objects below it keep to the catalog.
    for (const child of Object.values(node.properties!)) closeObjects(child);
    node.dynamic = true;
  }
  return toPlain(root);
}

function closeObjects(node: FieldMapping): void {
  if (node.properties === undefined) return;
  node.dynamic = false;
  for (const child of Object.values(node.properties)) closeObjects(child);
}

/**
 * Dynamic templates for the pattern fields (`jizo.*`): an object appearing
 * directly under the parent gets the pattern's type (flattened), a string a
 * keyword; deeper fields stay unmapped.
 */
export function patternTemplates(fields: readonly FieldDef[], target: TemplateTarget): Record<string, DynamicTemplate>[] {
  const out: Record<string, DynamicTemplate>[] = [];
  for (const f of fields) {
    if (!isPattern(f.name)) continue;
    const key = f.name.slice(0, -2).replace(/\./g, '_');
    const path = { path_match: f.name, path_unmatch: `${f.name}.*` };
    out.push({ [`${key}_objects`]: { ...path, match_mapping_type: 'object', mapping: leafMapping(f, target, false) } });
    out.push({ [`${key}_strings`]: { ...path, match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } } });
  }
  return out;
}

/** Copies the null-prototype tree into plain objects with sorted keys (stable, JSON-friendly output). */
function toPlain(props: Record<string, FieldMapping>): Record<string, FieldMapping> {
  const out: Record<string, FieldMapping> = {};
  for (const key of Object.keys(props).sort()) {
    const node = props[key]!;
    const copy: FieldMapping = { ...node };
    if (node.properties !== undefined) copy.properties = toPlain(node.properties);
    Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The body of a composable index template for the catalogued fields, ready for
 * `PUT _index_template/<name>` on Elasticsearch 8+/9 or OpenSearch 2.x.
 */
export function buildIndexTemplate(opts: IndexTemplateOptions): IndexTemplate {
  const fields = profileFields(opts.profile);
  const suffix = opts.profile === undefined ? '' : `-${opts.profile}`;
  const name = opts.name ?? `jizo${suffix}`;
  const properties = buildProperties(fields, opts.target, opts.dateNanos === true);
  const template: IndexTemplate = {
    index_patterns: [opts.indexPattern ?? `jizo${suffix}-*`],
    // Above the built-in `logs-*-*` template (100), profile templates above the catch-all one.
    priority: opts.profile === undefined ? 200 : 210,
    template: {
      settings: {
        index: {
          // Supported by both engines; trades a little CPU at merge time for ~20-30% less disk on logs.
          codec: 'best_compression',
          refresh_interval: '5s',
          mapping: { total_fields: { limit: Math.max(1000, Math.ceil((fields.length * 1.5) / 100) * 100) } },
        },
      },
      mappings: {
        // Unknown fields stay in _source but are never mapped: no mapping explosion, no type conflicts.
        dynamic: false,
        _meta: {
          managed_by: 'jizo-intake',
          template: name,
          profile: opts.profile ?? 'all',
          target: opts.target,
        },
        properties,
      },
    },
  };
  const dynamicTemplates = patternTemplates(fields, opts.target);
  if (dynamicTemplates.length > 0) template.template.mappings.dynamic_templates = dynamicTemplates;
  if (opts.dataStream === true) template.data_stream = {};
  return template;
}
