/** What the enrichment did: counted per run, summed over worker threads, shown by `normalize` and `serve`. */
import type { GeoipCounts } from './geoip.js';

export interface EnrichStats {
  geoip: GeoipCounts;
  direction: {
    /** Events given network.direction. */
    set: number;
    /** Events without a source and a destination address: no direction. */
    missing: number;
  };
  communityId: {
    /** Events given a computed network.community_id. */
    computed: number;
    /** Events that carried the sensor's own (kept as it is). */
    kept: number;
    /** Events without a usable 5-tuple (no addresses, unknown protocol, missing ports). */
    unsupported: number;
  };
  /** Events an enrichment failed on unexpectedly (the document is written without it). */
  errors: number;
}

export function newEnrichStats(): EnrichStats {
  return {
    geoip: { lookups: 0, cacheHits: 0, misses: 0, skipped: 0 },
    direction: { set: 0, missing: 0 },
    communityId: { computed: 0, kept: 0, unsupported: 0 },
    errors: 0,
  };
}

/** Adds `from` into `to`. */
export function addEnrichStats(to: EnrichStats, from: EnrichStats): void {
  for (const k of ['lookups', 'cacheHits', 'misses', 'skipped'] as const) to.geoip[k] += from.geoip[k];
  to.direction.set += from.direction.set;
  to.direction.missing += from.direction.missing;
  for (const k of ['computed', 'kept', 'unsupported'] as const) to.communityId[k] += from.communityId[k];
  to.errors += from.errors;
}

/** One line for a summary: only the enrichments that ran. */
export function formatEnrichStats(s: EnrichStats, ran: { geoip: boolean; direction: boolean; communityId: boolean }): string {
  const parts: string[] = [];
  if (ran.geoip) {
    const g = s.geoip;
    const ratio = g.lookups > 0 ? ((100 * g.cacheHits) / g.lookups).toFixed(1) : '0.0';
    parts.push(`geoip ${g.lookups} lookups (${ratio} % from cache), ${g.misses} not found, ${g.skipped} not public`);
  }
  if (ran.direction) parts.push(`direction ${s.direction.set} set, ${s.direction.missing} without both addresses`);
  if (ran.communityId) {
    const c = s.communityId;
    parts.push(`community_id ${c.computed} computed, ${c.kept} kept from the sensor, ${c.unsupported} without a 5-tuple`);
  }
  if (s.errors > 0) parts.push(`${s.errors} enrichment errors`);
  return parts.join('; ');
}
