/**
 * Runs intake test files: `{ "input": { "message": "..." }, "expected": {...} }`,
 * the shape of the documented samples. An optional top-level `"profile"` picks
 * the profile for that file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isObject, parseJson, type JsonValue } from '../eve/json.js';
import { addDescription } from '../describe/index.js';
import { normalizeLine } from '../normalize/index.js';
import type { NormalizeOptions, ProfileName } from '../normalize/types.js';

export interface FieldDiff {
  /** Dotted field path. */
  path: string;
  kind: 'missing' | 'unexpected' | 'changed';
  expected?: string;
  actual?: string;
}

export interface IntakeTestResult {
  file: string;
  ok: boolean;
  profile: ProfileName;
  diffs: FieldDiff[];
  /** Set when the file could not be run (unreadable, wrong shape, rejected input). */
  error?: string;
}

/** Expands files and directories (recursively) to the sorted list of `.json` test files. */
export async function findTestFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const entries = await readdir(p, { withFileTypes: true });
      const children = entries
        .filter((e) => e.isDirectory() || e.name.endsWith('.json'))
        .map((e) => join(p, e.name))
        .sort();
      out.push(...(await findTestFiles(children)));
    } else {
      out.push(p);
    }
  }
  return out;
}

/** Canonical comparable text of a leaf value (numbers and bigints alike). */
function leaf(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return '[' + v.map(leaf).join(',') + ']';
  if (isObject(v)) {
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + leaf(v[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

/** Flattens a document to dotted paths; `related.*` lists are sorted (their order carries no meaning). */
function flatten(doc: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (isObject(doc)) {
    for (const k of Object.keys(doc)) flatten(doc[k], prefix === '' ? k : `${prefix}.${k}`, out);
    return out;
  }
  if (Array.isArray(doc) && prefix.startsWith('related.')) {
    out.set(prefix, leaf([...doc].map(leaf).sort().map((s) => JSON.parse(s) as unknown)));
    return out;
  }
  out.set(prefix, leaf(doc));
  return out;
}

/** Field-level differences between an expected and an actual document. */
export function diffDocuments(expected: unknown, actual: unknown): FieldDiff[] {
  const e = flatten(expected);
  const a = flatten(actual);
  const diffs: FieldDiff[] = [];
  for (const [path, ev] of e) {
    const av = a.get(path);
    if (av === undefined) diffs.push({ path, kind: 'missing', expected: ev });
    else if (av !== ev) diffs.push({ path, kind: 'changed', expected: ev, actual: av });
  }
  for (const [path, av] of a) if (!e.has(path)) diffs.push({ path, kind: 'unexpected', actual: av });
  return diffs.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

/** Runs one test file's content. */
export function runIntakeTest(file: string, text: string, options: NormalizeOptions = {}): IntakeTestResult {
  let parsed: JsonValue;
  try {
    parsed = parseJson(text).value;
  } catch (e) {
    return { file, ok: false, profile: options.profile ?? 'sekoia', diffs: [], error: `not JSON: ${(e as Error).message}` };
  }
  const profile = (isObject(parsed) && typeof parsed.profile === 'string' ? parsed.profile : options.profile ?? 'sekoia') as ProfileName;
  const input = isObject(parsed) ? parsed.input : undefined;
  const message = isObject(input) ? input.message : undefined;
  if (!isObject(parsed) || typeof message !== 'string' || !isObject(parsed.expected)) {
    return { file, ok: false, profile, diffs: [], error: 'not an intake test file: expected {"input": {"message": "..."}, "expected": {...}}' };
  }
  let r;
  try {
    r = normalizeLine(message, { ...options, profile }, addDescription);
  } catch (e) {
    return { file, ok: false, profile, diffs: [], error: (e as Error).message };
  }
  if (!r.ok) return { file, ok: false, profile, diffs: [], error: `input rejected (${r.reason}): ${r.message}` };
  const diffs = diffDocuments(parsed.expected, r.document);
  return { file, ok: diffs.length === 0, profile, diffs };
}

/** Runs every test file found under `paths`. */
export async function runIntakeTests(paths: string[], options: NormalizeOptions = {}): Promise<IntakeTestResult[]> {
  const files = await findTestFiles(paths);
  const results: IntakeTestResult[] = [];
  for (const f of files) results.push(runIntakeTest(f, await readFile(f, 'utf8'), options));
  return results;
}
