/**
 * The enrichment step: after a profile has built a document and before the
 * sinks, adds GeoIP/ASN (`*.geo.*`, `*.as.*`), `network.direction` and
 * `network.community_id`, each only when asked for. Loading checks every
 * database and network at once (a missing or corrupt file is an error at
 * start); applying never throws (an unexpected failure is counted and the
 * document goes on without that enrichment).
 */
import type { JsonObject } from '../eve/json.js';
import type { GeoipOptions, JizoDocument } from '../normalize/types.js';
import { isGeoipAsked, type EnrichOptions } from './asked.js';
import { communityId } from './community-id.js';
import { eventFlowTuple } from './flow-tuple.js';
import type { GeoFields } from './geo-record.js';
import { GeoLookup, openDatabase, openEmbedded, type GeoSource } from './geoip.js';
import { direction, InternalNetworks, parseAddress } from './networks.js';
import { newEnrichStats, type EnrichStats } from './stats.js';

export { enrichmentAsked, type EnrichOptions } from './asked.js';

/** Addresses remembered by the direction step before its memo is cleared. */
const MEMO_MAX = 10_000;

const SIDES = ['source', 'destination', 'client', 'server'] as const;

export class Enricher {
  readonly stats: EnrichStats = newEnrichStats();
  private geo: GeoLookup | undefined;
  private readonly networks: InternalNetworks | undefined;
  private readonly communityId: boolean;
  private readonly seed: number;
  /**
   * Whether an address is internal (null: not an address), by text: a plain
   * map cleared when full (as the IPv6 texts of normalize/ip.ts), a lookup
   * per event costs less than parsing the address again.
   */
  private readonly internal = new Map<string, boolean | null>();

  /** Loads every database and parses the networks; throws an Error saying which one is wrong. */
  constructor(readonly options: EnrichOptions) {
    if (isGeoipAsked(options.geoip)) this.geo = this.openGeo(options.geoip);
    const nets = options.internalNetworks;
    this.networks = nets !== undefined && nets.length > 0 ? new InternalNetworks(nets) : undefined;
    this.communityId = options.communityId === true;
    const seed = options.communityIdSeed ?? 0;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff) throw new TypeError(`community ID seed ${seed}: expected an integer from 0 to 65535`);
    this.seed = seed;
  }

  /** Which enrichments run. */
  get enabled(): { geoip: boolean; direction: boolean; communityId: boolean } {
    return { geoip: this.geo !== undefined, direction: this.networks !== undefined, communityId: this.communityId };
  }

  /** Labels of the GeoIP sources, first answering first. */
  get geoSources(): string[] {
    return this.geo?.sources.map((s) => `${s.kind}: ${s.label}`) ?? [];
  }

  private openGeo(g: true | GeoipOptions): GeoLookup {
    const o: GeoipOptions = g === true ? {} : g;
    const files = o.databases ?? [];
    const sources: GeoSource[] = files.map((f) => openDatabase(f));
    if (o.embedded ?? files.length === 0) sources.push(...openEmbedded());
    return new GeoLookup(sources, this.stats.geoip, o.cacheSize);
  }

  /**
   * Reads the GeoIP databases again (SIGHUP: files replaced by an update).
   * On an error the databases in use stay, and the error is thrown.
   */
  reload(): void {
    if (this.geo === undefined || !isGeoipAsked(this.options.geoip)) return;
    this.geo = this.openGeo(this.options.geoip);
  }

  /** The counts since the last call, zeroed (a worker sends them with each chunk). */
  takeStats(): EnrichStats {
    const copy = structuredClone(this.stats);
    const zero = newEnrichStats();
    Object.assign(this.stats.geoip, zero.geoip);
    Object.assign(this.stats.direction, zero.direction);
    Object.assign(this.stats.communityId, zero.communityId);
    this.stats.errors = 0;
    return copy;
  }

  /** Enriches a document built from `event`. Never throws. */
  apply(doc: JizoDocument, event: JsonObject): void {
    try {
      if (this.geo !== undefined) this.addGeo(doc, this.geo);
      if (this.networks !== undefined) this.addDirection(doc, this.networks);
      if (this.communityId) this.addCommunityId(doc, event);
    } catch {
      this.stats.errors++;
    }
  }

  private addGeo(doc: JizoDocument, geo: GeoLookup): void {
    for (const side of SIDES) {
      const o = doc[side];
      const ip = o?.ip;
      if (typeof ip !== 'string') continue;
      const a = geo.lookup(ip);
      // copies: the cached answer is shared, a document is the caller's to change
      if (a.geo !== undefined) o!.geo = copyGeo(a.geo);
      if (a.as !== undefined) o!.as = a.as.name === undefined ? { number: a.as.number } : { number: a.as.number, organization: { name: a.as.name } };
    }
  }

  private addDirection(doc: JizoDocument, networks: InternalNetworks): void {
    const s = doc.source?.ip;
    const d = doc.destination?.ip;
    const src = typeof s === 'string' ? this.isInternal(s, networks) : null;
    const dst = typeof d === 'string' ? this.isInternal(d, networks) : null;
    if (src === null || dst === null) {
      this.stats.direction.missing++;
      return;
    }
    (doc.network ??= {}).direction = direction(src, dst);
    this.stats.direction.set++;
  }

  private isInternal(ip: string, networks: InternalNetworks): boolean | null {
    let v = this.internal.get(ip);
    if (v === undefined) {
      const a = parseAddress(ip);
      v = a === undefined ? null : networks.contains(a);
      if (this.internal.size >= MEMO_MAX) this.internal.clear();
      if (ip.length <= 64) this.internal.set(ip, v);
    }
    return v;
  }

  private addCommunityId(doc: JizoDocument, event: JsonObject): void {
    const own = event.community_id;
    if (typeof own === 'string' && own !== '') {
      // never overwritten; a profile that does not map it (sekoia) gets the sensor's own
      (doc.network ??= {}).community_id ??= own;
      this.stats.communityId.kept++;
      return;
    }
    const t = eventFlowTuple(event);
    const id = t === undefined ? undefined : communityId(t, this.seed);
    if (id === undefined) {
      this.stats.communityId.unsupported++;
      return;
    }
    (doc.network ??= {}).community_id = id;
    this.stats.communityId.computed++;
  }
}

function copyGeo(g: GeoFields): GeoFields {
  const c = { ...g };
  if (g.location !== undefined) c.location = { ...g.location };
  return c;
}
