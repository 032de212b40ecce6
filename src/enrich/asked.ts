/**
 * Whether options ask for enrichment, apart from the enricher itself: a run
 * that asks for none never loads the enricher and its databases' reader
 * (maxmind, ipaddr.js), which cost the start of every `normalize`.
 */
import type { GeoipOptions, NormalizeOptions } from '../normalize/types.js';

/** The enrichment options of {@link NormalizeOptions}. */
export type EnrichOptions = Pick<NormalizeOptions, 'geoip' | 'internalNetworks' | 'communityId' | 'communityIdSeed'>;

/** True when `options` ask for any enrichment. */
export function enrichmentAsked(o: EnrichOptions): boolean {
  return isGeoipAsked(o.geoip) || (o.internalNetworks !== undefined && o.internalNetworks.length > 0) || o.communityId === true;
}

/** True when `g` asks for geo/AS fields. */
export function isGeoipAsked(g: EnrichOptions['geoip']): g is true | GeoipOptions {
  if (g === undefined || g === false) return false;
  if (g === true) return true;
  return (g.databases?.length ?? 0) > 0 || g.embedded !== false;
}
