/**
 * Loads the enricher when options ask for it: a run that asks for none never
 * imports it (see asked.ts).
 */
import { enrichmentAsked, type EnrichOptions } from './asked.js';
import type { Enricher } from './enricher.js';

/**
 * The enricher asked for by `options` (imported only then), or undefined.
 * Throws when a database or network is wrong.
 */
export async function loadEnricher(options: EnrichOptions): Promise<Enricher | undefined> {
  if (!enrichmentAsked(options)) return undefined;
  const { Enricher: E } = await import('./enricher.js');
  return new E(options);
}
