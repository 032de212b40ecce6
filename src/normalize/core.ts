/**
 * The normalization of one line with a given profile: what `normalize()` does
 * once it has looked the profile up. Kept apart from the profile registry so
 * that a pipeline can load only the profile it runs (./load.ts).
 */
import { decodeLine } from '../decode/index.js';
import type { JsonObject } from '../eve/json.js';
import type { Context, JizoDocument, NormalizeOptions, NormalizeResult, Profile } from './types.js';

/**
 * Adds `jizo.description` to a document. The describe module sits above this
 * one (it reads normalized documents): callers that want descriptions pass
 * its `addDescription` in.
 */
export type DescriptionAdder = (doc: JizoDocument) => void;

/**
 * Enriches a document built from an event (GeoIP, direction, Community ID):
 * the enrich module sits above this one and is passed in like the describer.
 * Never throws.
 */
export interface EnrichStep {
  apply(doc: JizoDocument, event: JsonObject): void;
}

/** {@link normalize} with the profile (and the description adder and enricher, when asked for) given. */
export function normalizeWith(profile: Profile, raw: string, options: NormalizeOptions, describe?: DescriptionAdder, enrich?: EnrichStep): NormalizeResult {
  const checks = profile.readsUnsafeInteger;
  let decoded = decodeLine(raw, options, checks === undefined ? 'scan' : 'fast');
  if (!decoded.ok) return decoded;
  if (checks !== undefined && checks(decoded.event)) {
    // A value the profile reads was rounded by JSON.parse: parse again, keeping every digit.
    decoded = decodeLine(raw, options, 'lossless');
    if (!decoded.ok) return decoded;
  }
  if (options.describe === true && describe === undefined) {
    throw new TypeError('describe: true needs the description adder (addDescription of the describe module)');
  }
  const ctx: Context = { decoded, options, warnings: [] };
  try {
    const document = profile(ctx);
    if (enrich !== undefined) enrich.apply(document, decoded.event);
    if (describe !== undefined) describe(document);
    return { ok: true, document, warnings: ctx.warnings, lossless: decoded.lossless, envelope: decoded.envelope, eve: decoded.event };
  } catch (e) {
    // A bug in a mapping must not take the pipeline down: the line is kept as a rejection.
    return { ok: false, reason: 'internal_error', message: `normalization failed: ${(e as Error).message}` };
  }
}
