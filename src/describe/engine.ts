/**
 * The description engine: compiles templates (data, see templates.ts) once and
 * picks, per document, the eligible template with the most matching conditions.
 *
 * Text syntax: `{dotted.field}` or `{dotted.field|filter}` is replaced by the
 * field's value; `[ ... ]` is an optional segment, dropped when a placeholder
 * inside it has no value (segments nest); `\` escapes the next character. A
 * placeholder outside any segment is required: a template whose required
 * placeholder has no value is not eligible. Nothing ever prints `undefined`.
 */

/** A value a condition compares with. */
export type Scalar = string | number | boolean;

/**
 * A condition on one field: it has a value (`exists`), has none (`absent`),
 * equals a value (for a list: contains it), or equals one of several values.
 */
export type Condition =
  | { field: string; exists: true }
  | { field: string; absent: true }
  | { field: string; equals: Scalar }
  | { field: string; oneOf: readonly Scalar[] };

/** "source verb target" between two fields of the event, for graph views. */
export interface RelationshipTemplate {
  source: string;
  verb: string;
  target: string;
}

export interface DescriptionTemplate {
  /** Unique, stable identifier (reported with each description). */
  id: string;
  /** EVE event types the template is written for (documentation and coverage tests). */
  eventTypes: readonly string[];
  /** All must hold; among eligible templates the one with the most conditions wins, the earliest on a tie. */
  when: readonly Condition[];
  text: string;
  relationships?: readonly RelationshipTemplate[];
}

export interface Relationship {
  source: { field: string; value: string };
  verb: string;
  target: { field: string; value: string };
}

export interface Description {
  text: string;
  /** Id of the template used. */
  template: string;
  relationships: Relationship[];
}

/** Filters a placeholder may apply: `host` puts an IPv6 address in brackets (for `{ip|host}:{port}`). */
const FILTERS: Record<string, (s: string) => string> = {
  host: (s) => (s.includes(':') ? `[${s}]` : s),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
};

/** Lists longer than this are cut ("a, b, c and 4 more"). */
const MAX_LIST = 3;

type Path = readonly string[];
type Part = { kind: 'text'; text: string } | { kind: 'field'; path: Path; filter?: (s: string) => string } | { kind: 'optional'; parts: Part[] };

interface CompiledCondition {
  path: Path;
  /** Tests the raw value at `path`. */
  test: (value: unknown) => boolean;
}

interface Compiled {
  template: DescriptionTemplate;
  conditions: CompiledCondition[];
  parts: Part[];
  relationships: { source: Path; target: Path; verb: string }[];
}

/**
 * The value at a dotted path, or undefined. Crossing a list (a list of objects
 * such as `dns.answers`) yields the list of the values found in its elements.
 * Only own properties are read: `__proto__` or `constructor` keys are data.
 */
function valueAt(doc: unknown, path: Path): unknown {
  let cur: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    if (Array.isArray(cur)) return collect(cur, path, i);
    if (!Object.hasOwn(cur, path[i]!)) return undefined;
    cur = (cur as Record<string, unknown>)[path[i]!];
  }
  return cur;
}

/** Values of `path[from..]` in each element of a list (the slow path, rare). */
function collect(list: unknown[], path: Path, from: number): unknown[] {
  const out: unknown[] = [];
  const rest = path.slice(from);
  for (const el of list) {
    const v = valueAt(el, rest);
    if (Array.isArray(v)) out.push(...v);
    else if (v !== undefined) out.push(v);
  }
  return out;
}

/** The printable values at a path (scalars; lists flattened). */
function valuesAt(doc: unknown, path: Path): unknown[] {
  const v = valueAt(doc, path);
  if (Array.isArray(v)) return v.filter(isText);
  return isText(v) ? [v] : [];
}

/** A printable value, or a list or object holding one (an object such as `jizo.diameter` exists when it has content). */
function present(v: unknown): boolean {
  if (isText(v)) return true;
  if (Array.isArray(v)) return v.some(present);
  if (typeof v === 'object' && v !== null) {
    for (const k in v) if (Object.hasOwn(v, k) && present((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/** True when `v` is, or is a list holding, a value that passes `test`. */
function some(v: unknown, test: (x: unknown) => boolean): boolean {
  return Array.isArray(v) ? v.some((x) => isText(x) && test(x)) : isText(v) && test(v);
}

/** Values that print as text (objects and empty strings do not). */
function isText(v: unknown): boolean {
  return (typeof v === 'string' && v !== '') || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

function render(values: unknown[]): string {
  const unique = [...new Set(values.map(String))];
  if (unique.length <= MAX_LIST + 1) return unique.join(', ');
  return `${unique.slice(0, MAX_LIST).join(', ')} and ${unique.length - MAX_LIST} more`;
}

function compileCondition(c: Condition, id: string): CompiledCondition {
  const path = c.field.split('.');
  if ('exists' in c) return { path, test: present };
  if ('absent' in c) return { path, test: (v) => !present(v) };
  if ('equals' in c) {
    const want = String(c.equals);
    return { path, test: (v) => some(v, (x) => String(x) === want) };
  }
  if ('oneOf' in c) {
    const want = new Set(c.oneOf.map(String));
    return { path, test: (v) => some(v, (x) => want.has(String(x))) };
  }
  throw new Error(`description template ${id}: unknown condition ${JSON.stringify(c)}`);
}

/** Parses template text into parts; throws on unbalanced brackets, unknown filters or empty placeholders. */
function parseText(text: string, id: string): Part[] {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`description template ${id}: ${why} at offset ${pos} of ${JSON.stringify(text)}`);
  };
  const parseParts = (depth: number): Part[] => {
    const parts: Part[] = [];
    let literal = '';
    const flush = () => {
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
    };
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === '\\') {
        if (pos + 1 >= text.length) fail('dangling escape');
        literal += text[pos + 1];
        pos += 2;
      } else if (ch === '[') {
        flush();
        pos++;
        parts.push({ kind: 'optional', parts: parseParts(depth + 1) });
      } else if (ch === ']') {
        if (depth === 0) fail('unbalanced ]');
        pos++;
        flush();
        return parts;
      } else if (ch === '{') {
        flush();
        const end = text.indexOf('}', pos);
        if (end < 0) fail('unclosed {');
        const [field, filterName, extra] = text.slice(pos + 1, end).split('|');
        if (field === undefined || !/^[@\w.-]+$/.test(field) || extra !== undefined) fail('bad placeholder');
        let filter: ((s: string) => string) | undefined;
        if (filterName !== undefined) {
          filter = Object.hasOwn(FILTERS, filterName) ? FILTERS[filterName] : undefined;
          if (filter === undefined) fail(`unknown filter ${filterName}`);
        }
        parts.push({ kind: 'field', path: field!.split('.'), filter });
        pos = end + 1;
      } else if (ch === '}') {
        fail('unbalanced }');
      } else {
        literal += ch;
        pos++;
      }
    }
    if (depth > 0) fail('unclosed [');
    flush();
    return parts;
  };
  return parseParts(0);
}

/** Renders parts; undefined when a placeholder (outside optional segments) has no value. */
function renderParts(parts: Part[], doc: unknown): string | undefined {
  let out = '';
  for (const p of parts) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'optional') out += renderParts(p.parts, doc) ?? '';
    else {
      const v = valueAt(doc, p.path);
      let s: string;
      if (isText(v)) s = String(v);
      else {
        const values = Array.isArray(v) ? v.filter(isText) : [];
        if (values.length === 0) return undefined;
        s = render(values);
      }
      out += p.filter === undefined ? s : p.filter(s);
    }
  }
  return out;
}

/** A compiled list of templates: build once, then describe any number of documents. */
export class Describer {
  /** Sorted by number of conditions, most first (a stable sort: list order breaks ties). */
  private readonly compiled: Compiled[];
  private readonly inOrder: readonly DescriptionTemplate[];

  constructor(templates: readonly DescriptionTemplate[]) {
    const ids = new Set<string>();
    this.inOrder = [...templates];
    const compiled = templates.map((t): Compiled => {
      if (ids.has(t.id)) throw new Error(`description template ${t.id}: duplicate id`);
      ids.add(t.id);
      return {
        template: t,
        conditions: t.when.map((c) => compileCondition(c, t.id)),
        parts: parseText(t.text, t.id),
        relationships: (t.relationships ?? []).map((r) => ({ source: r.source.split('.'), target: r.target.split('.'), verb: r.verb })),
      };
    });
    this.compiled = compiled.sort((a, b) => b.conditions.length - a.conditions.length);
  }

  /** The templates, in list order. */
  get templates(): readonly DescriptionTemplate[] {
    return this.inOrder;
  }

  /** One sentence for `doc`, the template used and the relationships it declares that the event fills. */
  describe(doc: unknown): Description {
    // The first eligible template in this order has the most conditions, and is the earliest listed among equals.
    for (const c of this.compiled) {
      if (!c.conditions.every((cond) => cond.test(valueAt(doc, cond.path)))) continue;
      const text = renderParts(c.parts, doc);
      if (text === undefined) continue;
      return { text, template: c.template.id, relationships: relationshipsOf(c, doc) };
    }
    return { text: 'Event.', template: 'none', relationships: [] };
  }
}

function relationshipsOf(c: Compiled, doc: unknown): Relationship[] {
  const out: Relationship[] = [];
  for (const r of c.relationships) {
    const sources = valuesAt(doc, r.source);
    if (sources.length === 0) continue;
    const targets = valuesAt(doc, r.target);
    for (const s of sources) {
      for (const t of targets) {
        out.push({ source: { field: r.source.join('.'), value: String(s) }, verb: r.verb, target: { field: r.target.join('.'), value: String(t) } });
      }
    }
  }
  return out;
}
