/**
 * Enrichment for the library's `normalize()`: the enricher of a set of
 * options, loaded on first use and kept (a run normalizes many lines with the
 * same options). Callers that want errors before the first line (the CLI,
 * `serve`) construct an {@link Enricher} themselves.
 */
import type { NormalizeOptions } from '../normalize/types.js';
import { Enricher, enrichmentAsked } from './enricher.js';

const byOptions = new WeakMap<object, Enricher>();
const byKey = new Map<string, Enricher>();
/** Distinct enrichment settings kept at once (each may hold databases). */
const MAX_KEPT = 4;

/** The enricher of `options`, or undefined when they ask for no enrichment. Throws when a database or network is wrong. */
export function enricherFor(options: NormalizeOptions): Enricher | undefined {
  if (options.geoip === undefined && options.internalNetworks === undefined && options.communityId === undefined) return undefined;
  const known = byOptions.get(options);
  if (known !== undefined) return known;
  if (!enrichmentAsked(options)) return undefined;
  const key = JSON.stringify([options.geoip, options.internalNetworks, options.communityId, options.communityIdSeed]);
  let e = byKey.get(key);
  if (e === undefined) {
    e = new Enricher({ geoip: options.geoip, internalNetworks: options.internalNetworks, communityId: options.communityId, communityIdSeed: options.communityIdSeed });
    if (byKey.size >= MAX_KEPT) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, e);
  }
  byOptions.set(options, e);
  return e;
}
