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
  test: (values: unknown[]) => boolean;
}

interface Compiled {
  template: DescriptionTemplate;
  conditions: CompiledCondition[];
  parts: Part[];
  relationships: { source: Path; target: Path; verb: string }[];
}

/** Values at a dotted path; lists (also lists of objects, such as `dns.answers`) are flattened. */
function valuesAt(doc: unknown, path: Path): unknown[] {
  let current: unknown[] = [doc];
  for (const key of path) {
    const next: unknown[] = [];
    for (const c of current) {
      if (Array.isArray(c)) {
        for (const el of c) if (typeof el === 'object' && el !== null && Object.hasOwn(el, key)) next.push((el as Record<string, unknown>)[key]);
      } else if (typeof c === 'object' && c !== null && Object.hasOwn(c, key)) next.push((c as Record<string, unknown>)[key]);
    }
    if (next.length === 0) return next;
    current = next;
  }
  const out: unknown[] = [];
  for (const v of current) {
    if (Array.isArray(v)) {
      for (const el of v) if (isText(el)) out.push(el);
    } else if (isText(v)) out.push(v);
  }
  return out;
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
  if ('exists' in c) return { path, test: (v) => v.length > 0 };
  if ('absent' in c) return { path, test: (v) => v.length === 0 };
  if ('equals' in c) {
    const want = String(c.equals);
    return { path, test: (v) => v.some((x) => String(x) === want) };
  }
  if ('oneOf' in c) {
    const want = new Set(c.oneOf.map(String));
    return { path, test: (v) => v.some((x) => want.has(String(x))) };
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
      const values = valuesAt(doc, p.path);
      if (values.length === 0) return undefined;
      const s = render(values);
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
      if (!c.conditions.every((cond) => cond.test(valuesAt(doc, cond.path)))) continue;
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
