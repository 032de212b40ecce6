/**
 * Profiles loaded on demand. `normalizeLine()` (./index.ts) holds every
 * profile; the batch pipeline and its worker threads load only the one they
 * run (and the describe module only when descriptions are asked for, through
 * the loader they pass): fewer modules to load at start, which every
 * `normalize` run and every worker pays.
 */
import { normalizeWith, type DescriptionAdder, type EnrichStep } from './core.js';
import { PROFILES, type NormalizeOptions, type NormalizeResult, type Profile, type ProfileName } from './types.js';

const loaders: Record<ProfileName, () => Promise<Profile>> = {
  sekoia: async () => (await import('./sekoia.js')).sekoiaProfile,
  ecs: async () => (await import('./ecs/index.js')).ecsProfile,
};

/** Throws the TypeError of an unknown profile name (a usage error, not bad input). */
export function checkProfileName(name: string): asserts name is ProfileName {
  if (!(PROFILES as readonly string[]).includes(name)) {
    throw new TypeError(`unknown profile ${JSON.stringify(name)}: available profiles are ${PROFILES.join(', ')}`);
  }
}

/** normalize() with its profile loaded. */
export type LineNormalizer = (raw: string, options: NormalizeOptions) => NormalizeResult;

/**
 * normalize(raw, options) with the profile of `options` (default sekoia)
 * loaded first, and, when `options.describe` is set, the description adder
 * that `loadDescriptionAdder` gives; `enrich` runs on every document.
 */
export async function loadNormalizer(
  options: NormalizeOptions,
  loadDescriptionAdder?: () => Promise<DescriptionAdder>,
  enrich?: EnrichStep,
): Promise<LineNormalizer> {
  const name = options.profile ?? 'sekoia';
  checkProfileName(name);
  const profile = await loaders[name]();
  const describe = options.describe === true && loadDescriptionAdder !== undefined ? await loadDescriptionAdder() : undefined;
  return (raw, opts) => normalizeWith(profile, raw, opts, describe, enrich);
}
