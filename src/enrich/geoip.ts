/**
 * GeoIP and ASN lookups: a user's MaxMind DB files (GeoLite2/GeoIP2 City,
 * Country, ASN, or any database of those shapes, the kind of each read from
 * its metadata `database_type`) and the embedded data (country and AS of
 * public addresses, built into dist/geo by `npm run build`), behind a cache.
 * Only public unicast addresses are looked up: private, loopback, link-local,
 * multicast, documentation, benchmarking and other reserved ranges (IANA
 * special-purpose registries, as ipaddr.js classifies them) get nothing and
 * cost no lookup.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Reader } from 'maxmind';
import ipaddr from 'ipaddr.js';
import { AsnTable, type AsRecord } from './asn-table.js';
import { asFields, geoFields, type GeoFields } from './geo-record.js';

export type DatabaseKind = 'city' | 'country' | 'asn';

/** A loaded database: what it answers and how it was found. */
export interface GeoSource {
  kind: DatabaseKind;
  /** File name and database type, for logs and errors. */
  label: string;
  /** `ip`: the address as text (an IPv4-mapped IPv6 address as its IPv4 one); `bytes`: its 4 or 16 bytes. */
  geo?(ip: string, bytes: number[]): GeoFields | undefined;
  as?(ip: string, bytes: number[]): AsRecord | undefined;
}

/** What one address gives. */
export interface GeoAnswer {
  geo?: GeoFields;
  as?: AsRecord;
}

/** The kind of a MaxMind DB from its metadata `database_type` (GeoLite2-City, GeoIP2-Country, GeoLite2-ASN, DBIP-City-Lite ...). */
export function databaseKind(type: string): DatabaseKind | undefined {
  if (/asn|\bisp\b/i.test(type)) return 'asn';
  if (/city|enterprise/i.test(type)) return 'city';
  if (/country/i.test(type)) return 'country';
  return undefined;
}

/** Opens a MaxMind DB file; throws an Error naming the file when it is missing, not a MaxMind DB, or of a kind not read here. */
export function openDatabase(file: string): GeoSource {
  let reader: Reader<Record<string, unknown>>;
  try {
    reader = new Reader<Record<string, unknown>>(readFileSync(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code !== undefined ? err.message : `not a MaxMind DB file (${err.message})`;
    throw new Error(`GeoIP database ${file}: ${why}`, { cause: e });
  }
  const type = String(reader.metadata.databaseType);
  const kind = databaseKind(type);
  if (kind === undefined) throw new Error(`GeoIP database ${file}: database type ${JSON.stringify(type)} is neither a City, Country nor ASN database`);
  const label = `${file} (${type})`;
  const record = (ip: string) => reader.get(ip) ?? undefined;
  if (kind === 'asn') return { kind, label, as: (ip) => mapped(record(ip), asFields) };
  return { kind, label, geo: (ip) => mapped(record(ip), geoFields) };
}

function mapped<T>(r: Record<string, unknown> | undefined, f: (r: Record<string, unknown>) => T | undefined): T | undefined {
  return r === undefined ? undefined : f(r);
}

/** The directory of the embedded data: dist/geo, found upward from this module (compiled in dist/src/enrich, bundled in dist/cli). */
function embeddedDir(): string | undefined {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    const geo = new URL('geo/', dir);
    if (existsSync(new URL('asn.bin', geo)) && existsSync(new URL('country.mmdb', geo))) return geo.pathname;
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return undefined;
    dir = parent;
  }
}

/** The embedded country database and ASN table. */
export function openEmbedded(): GeoSource[] {
  const dir = embeddedDir();
  if (dir === undefined) throw new Error('the embedded GeoIP data (dist/geo) is missing: run npm run build');
  const country = openDatabase(`${dir}country.mmdb`);
  let table: AsnTable;
  try {
    table = new AsnTable(readFileSync(`${dir}asn.bin`));
  } catch (e) {
    throw new Error(`embedded ASN table ${dir}asn.bin: ${(e as Error).message}`, { cause: e });
  }
  return [
    { ...country, label: 'embedded country database' },
    { kind: 'asn', label: 'embedded ASN table', as: (_ip, bytes) => table.lookup(bytes) },
  ];
}

/** Counters of the lookups (cumulative). */
export interface GeoipCounts {
  /** Public addresses looked up (cache hits included). */
  lookups: number;
  /** Of those, answered by the cache. */
  cacheHits: number;
  /** Of those, found in no database (no geo, no AS). */
  misses: number;
  /** Addresses not looked up: not public (private, loopback, documentation ...). */
  skipped: number;
}

/** The answer of an address that is not public: nothing, and nothing cached. */
const NONE: GeoAnswer = {};

export class GeoLookup {
  /**
   * Answers by address: a plain map cleared when full. (The two-generation
   * cache of the profiles, normalize/ecs/lru.ts, measured slower here: one
   * more value shape through its shared get() slowed every caller.)
   */
  private readonly cache = new Map<string, GeoAnswer>();
  private readonly cacheSize: number;
  private readonly geoSources: GeoSource[];
  private readonly asSources: GeoSource[];
  /** `sources` in order of precedence: the first that answers wins, for geo and for AS separately; `counts` is added to. */
  constructor(
    readonly sources: readonly GeoSource[],
    private readonly counts: GeoipCounts,
    cacheSize = 10_000,
  ) {
    this.cacheSize = Math.max(1, cacheSize);
    // A City database answers before a Country one.
    this.geoSources = sources.filter((s) => s.geo !== undefined).sort((a, b) => rank(a) - rank(b));
    this.asSources = sources.filter((s) => s.as !== undefined);
  }

  /** geo and AS of an address (canonical text); nothing for addresses that are not public. */
  lookup(ip: string): GeoAnswer {
    let answer = this.cache.get(ip);
    const computed = answer === undefined;
    if (answer === undefined) {
      answer = this.compute(ip);
      if (this.cache.size >= this.cacheSize) this.cache.clear();
      if (ip.length <= 64) this.cache.set(ip, answer);
    }
    if (answer === NONE) {
      this.counts.skipped++;
      return answer;
    }
    this.counts.lookups++;
    if (!computed) this.counts.cacheHits++;
    if (answer.geo === undefined && answer.as === undefined) this.counts.misses++;
    return answer;
  }

  private compute(ip: string): GeoAnswer {
    const p = publicAddress(ip);
    if (p === undefined) return NONE;
    const [text, bytes] = p;
    const a: GeoAnswer = {};
    for (const s of this.geoSources) {
      const g = s.geo!(text, bytes);
      if (g !== undefined) {
        a.geo = g;
        break;
      }
    }
    for (const s of this.asSources) {
      const r = s.as!(text, bytes);
      if (r !== undefined) {
        a.as = r;
        break;
      }
    }
    return a;
  }
}

const rank = (s: GeoSource): number => (s.kind === 'city' ? 0 : 1);

/** The text and bytes of a public unicast address (an IPv4-mapped IPv6 address as its IPv4 one), or undefined. */
export function publicAddress(ip: string): [string, number[]] | undefined {
  if (!ipaddr.isValid(ip)) return undefined;
  let a = ipaddr.parse(ip);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  return a.range() === 'unicast' ? [a.toString(), a.toByteArray()] : undefined;
}
