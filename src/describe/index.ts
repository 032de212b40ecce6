/** Human one-line descriptions of normalized events. */
import type { JizoDocument } from '../normalize/types.js';
import { Describer, type Description } from './engine.js';
import { DESCRIPTION_TEMPLATES } from './templates.js';

export { Describer } from './engine.js';
export type { Condition, Description, DescriptionTemplate, Relationship, RelationshipTemplate, Scalar } from './engine.js';
export { DESCRIPTION_TEMPLATES } from './templates.js';

/** Compiled once, at first use. */
let standard: Describer | undefined;

/** The describer of the built-in templates. */
export function standardDescriber(): Describer {
  standard ??= new Describer(DESCRIPTION_TEMPLATES);
  return standard;
}

/**
 * One readable sentence for a normalized document (either profile), the id of
 * the template used, and the relationships (source, verb, target) it names.
 * Never throws on any document.
 */
export function describe(doc: unknown): Description {
  return standardDescriber().describe(doc);
}

/** Adds the description sentence to `doc` as `jizo.description` (the custom field of `--describe`). */
export function addDescription(doc: JizoDocument): void {
  const text = describe(doc).text;
  const jizo = doc.jizo;
  if (typeof jizo === 'object' && jizo !== null && !Array.isArray(jizo)) jizo.description = text;
  else doc.jizo = { description: text };
}
