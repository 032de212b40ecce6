import { decodeLine } from '../decode/index.js';
import { addDescription } from '../describe/index.js';
import { ecsProfile } from './ecs/index.js';
import { sekoiaProfile } from './sekoia.js';
import type { Context, NormalizeOptions, NormalizeResult, Profile, ProfileName } from './types.js';

const profiles: Partial<Record<ProfileName, Profile>> = {
  sekoia: sekoiaProfile,
  ecs: ecsProfile,
};

/** The profile function of a name; throws a TypeError for an unknown or unavailable profile. */
export function getProfile(name: ProfileName): Profile {
  const p = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (p === undefined) {
    throw new TypeError(`unknown profile ${JSON.stringify(name)}: available profiles are ${Object.keys(profiles).join(', ')}`);
  }
  return p;
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
  const profile = getProfile(options.profile ?? 'sekoia');
  const checks = profile.readsUnsafeInteger;
  let decoded = decodeLine(raw, options, checks === undefined ? 'scan' : 'fast');
  if (!decoded.ok) return decoded;
  if (checks !== undefined && checks(decoded.event)) {
    // A value the profile reads was rounded by JSON.parse: parse again, keeping every digit.
    decoded = decodeLine(raw, options, 'lossless');
    if (!decoded.ok) return decoded;
  }
  const ctx: Context = { decoded, options, warnings: [] };
  try {
    const document = profile(ctx);
    if (options.describe === true) addDescription(document);
    return { ok: true, document, warnings: ctx.warnings, lossless: decoded.lossless, envelope: decoded.envelope };
  } catch (e) {
    // A bug in a mapping must not take the pipeline down: the line is kept as a rejection.
    return { ok: false, reason: 'internal_error', message: `normalization failed: ${(e as Error).message}` };
  }
}
