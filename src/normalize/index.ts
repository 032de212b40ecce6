import { addDescription } from '../describe/index.js';
import { ecsProfile } from './ecs/index.js';
import { sekoiaProfile } from './sekoia.js';
import { normalizeWith } from './core.js';
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
 * Normalizes one raw line (bare EVE JSON, syslog line carrying it, or an
 * intake envelope `{"message": ...}`) to an ECS document.
 *
 * Never throws on any input string: a line that cannot be used is returned as
 * a rejection `{ ok: false, reason, message }`. Only an unknown profile name in
 * `options` throws (a programming error, not bad input).
 */
export function normalize(raw: string, options: NormalizeOptions = {}): NormalizeResult {
  return normalizeWith(getProfile(options.profile ?? 'sekoia'), raw, options, options.describe === true ? addDescription : undefined);
}
