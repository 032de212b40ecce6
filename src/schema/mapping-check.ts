/**
 * Whether a document agrees with an index mapping: every leaf field mapped,
 * every value acceptable for its mapped type (what a `dynamic: false` index
 * would silently leave unindexed, or reject, is reported).
 */
import type { FieldMapping } from './template.js';
import { isFlattened, isPlainObject, valueProblem } from './values.js';

/** Every disagreement between `doc` and the `properties` of a mapping, as messages. */
export function mappingProblems(doc: unknown, properties: Record<string, FieldMapping>): string[] {
  const out: string[] = [];
  if (!isPlainObject(doc)) return ['the document is not an object'];
  walk(doc, properties, '', out);
  return out;
}

function walk(o: Record<string, unknown>, props: Record<string, FieldMapping>, prefix: string, out: string[]): void {
  for (const key of Object.keys(o)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    const node = Object.hasOwn(props, key) ? props[key] : undefined;
    if (node === undefined) {
      out.push(`${name} is not mapped`);
      continue;
    }
    const value = o[key];
    // Both engines index a list as several values of the field's type.
    for (const v of Array.isArray(value) ? value : [value]) {
      if (node.properties !== undefined) {
        if (isPlainObject(v)) walk(v, node.properties, name, out);
        else out.push(`${name} is mapped as an object but holds a scalar`);
      } else if (isFlattened(node.type ?? '')) {
        if (!isPlainObject(v)) out.push(`${name} is mapped as ${node.type} but holds a scalar`);
      } else {
        const problem = valueProblem(node.type ?? 'object', v);
        if (problem !== undefined) out.push(`${name} (${node.type}): ${problem}`);
      }
    }
  }
}
