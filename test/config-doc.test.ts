/**
 * Every configuration key is documented: the keys are read from the zod
 * schemas themselves (serve settings, pipeline, every registered source and
 * sink), so a new key cannot go undocumented. A key counts as documented when
 * docs/configuration.md, or the component's own page, names it in backquotes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { serveSchema } from '../src/serve/config.js';
import { defaultRegistry } from '../src/serve/registry.js';
import { ROOT } from './helpers/paths.js';

/** The object schema under defaults, optionals, refinements and unions (the object members of a union). */
function objects(t: z.ZodTypeAny): z.AnyZodObject[] {
  if (t instanceof z.ZodObject) return [t];
  if (t instanceof z.ZodDefault) return objects(t._def.innerType as z.ZodTypeAny);
  if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) return objects(t.unwrap() as z.ZodTypeAny);
  if (t instanceof z.ZodEffects) return objects(t.innerType() as z.ZodTypeAny);
  if (t instanceof z.ZodUnion) return (t.options as z.ZodTypeAny[]).flatMap(objects);
  if (t instanceof z.ZodArray) return objects(t.element as z.ZodTypeAny);
  return [];
}

/** Dotted key paths of a schema (`retry.initial`, `template.install` ...). */
function keyPaths(t: z.ZodTypeAny, prefix = ''): string[] {
  const out: string[] = [];
  for (const o of objects(t)) {
    for (const [k, v] of Object.entries(o.shape as Record<string, z.ZodTypeAny>)) {
      const path = prefix + k;
      const inner = keyPaths(v, `${path}.`);
      out.push(path, ...inner);
    }
  }
  return [...new Set(out)];
}

const doc = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');
/** Components documented on a page of their own, by `kind type`. */
const PAGES: Record<string, string[]> = {
  'source file': ['sources-file.md'],
  'source nats': ['nats.md'],
  'sink nats': ['nats.md'],
  'sink elasticsearch': ['elasticsearch.md'],
  'sink opensearch': ['elasticsearch.md'],
};

/**
 * Documented: the dotted path in backquotes (`retry.initial`), or a member
 * named in the line that documents its parent (the row of `auth` saying
 * `{username, password}`) or in a section headed by its parent, or an object
 * whose members are all documented.
 */
function documented(text: string, path: string, all: string[]): boolean {
  if (text.includes('`' + path + '`')) return true;
  const dot = path.lastIndexOf('.');
  if (dot !== -1) {
    const parent = path.slice(0, dot);
    const last = path.slice(dot + 1);
    const word = new RegExp(`\\b${last}\\b`);
    if (text.split('\n').some((l) => l.includes('`' + parent + '`') && word.test(l))) return true;
    // a section headed by the parent (## `pipeline`) that names the member
    const sections = text.split(/\n(?=#+ )/);
    if (sections.some((sec) => sec.split('\n', 1)[0]!.includes('`' + parent + '`') && sec.includes('`' + last + '`'))) return true;
  }
  const children = all.filter((p) => p.startsWith(path + '.') && !p.slice(path.length + 1).includes('.'));
  return children.length > 0 && children.every((c) => documented(text, c, all));
}

function undocumented(t: z.ZodTypeAny, text: string): string[] {
  const all = keyPaths(t).filter((p) => p !== 'type');
  return all.filter((p) => !documented(text, p, all));
}

describe('configuration docs', () => {
  const config = doc('configuration.md');
  it('name every key of the serve settings and of the pipeline', () => {
    const missing = undocumented(serveSchema, config);
    assert.deepEqual(missing, []);
  });
  const registry = defaultRegistry();
  /** The `### \`type\`` section of configuration.md under `## Sources` or `## Sinks`. */
  const section = (kind: string, type: string): string => {
    const part = config.split(/\n(?=## )/).find((p) => p.startsWith(kind === 'source' ? '## Sources' : '## Sinks')) ?? '';
    return part.split(/\n(?=### )/).find((p) => p.split('\n', 1)[0]!.includes('`' + type + '`')) ?? '';
  };
  for (const [kind, factories] of [['source', registry.sources], ['sink', registry.sinks]] as const) {
    for (const [type, f] of factories) {
      it(`name every key of the ${type} ${kind}`, () => {
        const own = section(kind, type);
        assert.ok(own.length > 0, `configuration.md has a section for the ${type} ${kind}`);
        const text = own + (PAGES[`${kind} ${type}`] ?? []).map(doc).join('\n');
        const missing = undocumented(f.schema as z.ZodTypeAny, text);
        assert.deepEqual(missing, [], `undocumented ${type} ${kind} keys`);
      });
    }
  }
});
