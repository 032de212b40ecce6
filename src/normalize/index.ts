import { ecsProfile } from './ecs/index.js';
import { sekoiaProfile } from './sekoia.js';
import { normalizeWith, type DescriptionAdder, type EnrichStep } from './core.js';
import { checkProfileName } from './load.js';
import type { NormalizeOptions, NormalizeResult, Profile, ProfileName } from './types.js';

const profiles: Record<ProfileName, Profile> = {
  sekoia: sekoiaProfile,
  ecs: ecsProfile,
};

/** The profile function of a name; throws a TypeError for an unknown profile. */
export function getProfile(name: ProfileName): Profile {
  checkProfileName(name);
  return profiles[name];
}

/**
 * Normalizes one raw line with every profile at hand. `options.describe`
 * needs `addDescription` (the library's `normalize` passes it; see
 * src/index.ts); enrichment needs `enrich`. Never throws on any input string.
 */
export function normalizeLine(raw: string, options: NormalizeOptions = {}, addDescription?: DescriptionAdder, enrich?: EnrichStep): NormalizeResult {
  return normalizeWith(getProfile(options.profile ?? 'sekoia'), raw, options, options.describe === true ? addDescription : undefined, enrich);
}
