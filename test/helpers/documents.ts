/** Inputs of the data-driven tests: seed samples, golden files and every corpus line, normalized per profile. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, parseJson } from '../../src/eve/json.js';
import { getProfile, normalize } from '../../src/index.js';
import { PROFILES, type JizoDocument, type ProfileName } from '../../src/normalize/types.js';
import { corpusLines } from './corpus.js';
import { GOLDEN, ROOT, SEED, SHARED } from './paths.js';

export { ROOT, SHARED };

/** Profiles `getProfile` accepts: the tests cover a profile as soon as it is registered. */
export function availableProfiles(): ProfileName[] {
  return PROFILES.filter((p) => {
    try {
      getProfile(p);
      return true;
    } catch {
      return false;
    }
  });
}

interface Input {
  origin: string;
  message: string;
}

function jsonFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Messages of intake test files (`{input: {message}}`) in the seed and golden directories. */
function testFileInputs(): Input[] {
  const files = [...jsonFiles(SEED), ...jsonFiles(GOLDEN)];
  const out: Input[] = [];
  for (const f of files) {
    const v = parseJson(readFileSync(f, 'utf8')).value;
    const input = isObject(v) ? v.input : undefined;
    if (isObject(input) && typeof input.message === 'string') out.push({ origin: f, message: input.message });
  }
  return out;
}

/** Every non-blank line of the shared corpus. */
function corpusInputs(): Input[] {
  return corpusLines()
    .filter((l) => l.text.trim() !== '')
    .map((l) => ({ origin: `${l.file}:${l.line}`, message: l.text }));
}

export interface Produced {
  origin: string;
  /** The raw input. */
  message: string;
  document: JizoDocument;
}

const cache = new Map<string, Produced[]>();

/** Documents produced from the seed, golden and corpus inputs by a profile (rejected lines skipped). */
export function producedDocuments(profile: ProfileName, describe = false): Produced[] {
  const key = `${profile}/${describe}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const out: Produced[] = [];
  for (const input of [...testFileInputs(), ...corpusInputs()]) {
    const r = normalize(input.message, { profile, describe, receivedAt: '2026-01-01T00:00:00.000000Z' });
    if (r.ok) out.push({ origin: input.origin, message: input.message, document: r.document });
  }
  cache.set(key, out);
  return out;
}
