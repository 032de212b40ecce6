/**
 * Validation of a normalized document against the field catalog: every field
 * catalogued for the profile, every value of its catalogued type.
 */
import type { ProfileName } from '../normalize/types.js';
import { isObject } from '../eve/json.js';
import { CATALOG, type Catalog } from './catalog.js';
import type { CatalogField } from './types.js';
import { isContainer, isFlattened, valueProblem } from './values.js';

/** One thing wrong with a document. */
export interface DocumentProblem {
  /** Dotted field name. */
  field: string;
  /** `uncatalogued`: not a field of the profile; `type`: value not of the field's type; `array`: a list where one value is expected. */
  code: 'uncatalogued' | 'type' | 'array';
  message: string;
}

/**
 * Every problem of `doc` for `profile` (an empty list when it conforms).
 * Never throws on any JSON-like input.
 */
export function validateDocument(doc: unknown, profile: ProfileName, catalog: Catalog = CATALOG): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  if (!isObject(doc)) {
    problems.push({ field: '', code: 'type', message: 'the document is not an object' });
    return problems;
  }
  walkObject(doc, '', profile, catalog, problems);
  return problems;
}

function walkObject(o: Record<string, unknown>, prefix: string, profile: ProfileName, catalog: Catalog, out: DocumentProblem[]): void {
  for (const key of Object.keys(o)) {
    checkField(prefix === '' ? key : `${prefix}.${key}`, o[key], profile, catalog, out);
  }
}

function checkField(name: string, value: unknown, profile: ProfileName, catalog: Catalog, out: DocumentProblem[]): void {
  const f = catalog.resolve(name);
  if (f === undefined || !f.profiles.includes(profile)) {
    if (isObject(value) && catalog.isParent(name, profile)) {
      walkObject(value, name, profile, catalog, out);
      return;
    }
    const other = f === undefined ? '' : ` (catalogued for ${f.profiles.join(', ')} only)`;
    out.push({ field: name, code: 'uncatalogued', message: `${name} is not a catalogued field of the ${profile} profile${other}` });
    return;
  }
  if (Array.isArray(value)) {
    // A flattened field indexes a list of objects as it does one object (the list is the subtree's business).
    if (f.array !== true && !isFlattened(f.type)) out.push({ field: name, code: 'array', message: `${name} holds a list but is a single-valued field` });
    for (const v of value) checkValue(name, f, v, profile, catalog, out);
  } else {
    checkValue(name, f, value, profile, catalog, out);
  }
}

/** Checks one value of the document field `name`, catalogued as `f` (by name or by pattern). */
function checkValue(name: string, f: CatalogField, v: unknown, profile: ProfileName, catalog: Catalog, out: DocumentProblem[]): void {
  if (isFlattened(f.type) || isContainer(f.type)) {
    if (!isObject(v)) out.push({ field: name, code: 'type', message: `${name} (${f.type}) holds a value that is not an object` });
    // A flattened field indexes any subtree; an object's children are fields of their own.
    else if (isContainer(f.type)) walkObject(v, name, profile, catalog, out);
    return;
  }
  const problem = valueProblem(f.type, v);
  if (problem !== undefined) out.push({ field: name, code: 'type', message: `${name} (${f.type}): ${problem}` });
}
