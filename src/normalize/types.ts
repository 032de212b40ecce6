import type { Decoded, EnvelopeKind, Rejection } from '../decode/index.js';
import type { JsonObject } from '../eve/json.js';

/** The profiles: `sekoia` is the documented Jizo intake, `ecs` the full mapping. */
export type ProfileName = 'sekoia' | 'ecs';
export const PROFILES: readonly ProfileName[] = ['sekoia', 'ecs'];

/**
 * An ECS document as produced by jizo-intake: ECS field sets (nested objects,
 * see `jizo-intake fields` for every field and its type) plus the declared
 * custom ones. Written here rather than taken from `@elastic/ecs`, whose 14 MB
 * of types a caller would otherwise have to install for this one type.
 */
export type JizoDocument = {
  '@timestamp'?: string;
  ecs?: { version: string };
  message?: string;
  tags?: string[];
  labels?: Record<string, unknown>;
  event?: EcsEventFields;
} & { [S in EcsFieldSetName]?: EcsFieldSet } & {
  /** Custom fields of this intake (flow id, EVE fields ECS has no place for). */
  jizo?: Record<string, unknown>;
  /** Custom fields of the documented Jizo integration (`sekoia` profile). */
  action?: { properties?: Record<string, string> };
  [field: string]: unknown;
};

/** A nested ECS field set (`source`, `dns`, ...): its fields are listed by `jizo-intake fields`. */
export interface EcsFieldSet {
  [field: string]: unknown;
}

/** The categorization fields of `event` (ECS "Event fields"), typed; the rest as in any field set. */
export interface EcsEventFields extends EcsFieldSet {
  kind?: string;
  category?: string[];
  type?: string[];
  action?: string;
  severity?: number;
  start?: string;
  end?: string;
  created?: string;
  original?: string;
}

/** The ECS field sets of the field catalog (top level of a document, `event` aside). */
export type EcsFieldSetName =
  | 'client' | 'destination' | 'dns' | 'email' | 'file' | 'host' | 'http' | 'log' | 'network' | 'observer'
  | 'related' | 'rule' | 'server' | 'source' | 'threat' | 'tls' | 'url' | 'user' | 'user_agent' | 'vulnerability';

export interface NormalizeOptions {
  /** `sekoia` (default) or `ecs`. */
  profile?: ProfileName;
  /** Longest accepted line in UTF-8 bytes (default 1 MiB). */
  maxLineBytes?: number;
  /**
   * Time of reception as RFC 3339 UTC, used for `@timestamp` when the event has
   * no valid `timestamp`. Default: now.
   */
  receivedAt?: string;
  /**
   * `ecs` profile: keep the raw payload in `event.original` (default false:
   * every EVE value is mapped, so the copy only doubles the document; Elastic's
   * Suricata integration keeps it only with `preserve_original_event`).
   */
  keepOriginal?: boolean;
  /** `ecs` profile: `observer.vendor` / `observer.product` (default Sesame IT / Jizo). */
  observer?: ObserverOptions;
  /** Add a one-sentence description under the custom field `jizo.description` (default false). */
  describe?: boolean;
  /**
   * GeoIP and ASN of public addresses (`source`, `destination`, `client`,
   * `server`: `*.geo.*`, `*.as.*`): `true` for the embedded country and ASN
   * data, or the MaxMind DB files to read. Default off. See docs/enrichment.md.
   */
  geoip?: boolean | GeoipOptions;
  /**
   * Internal networks: CIDR ranges, addresses and the named networks of
   * Elasticsearch's network_direction processor (`private`, `loopback`,
   * `unicast` ...). Given, `network.direction` is set from source and
   * destination. Default: none, no direction.
   */
  internalNetworks?: readonly string[];
  /** Compute `network.community_id` (Community ID v1, seed 0) for events that carry none (default false). */
  communityId?: boolean;
  /**
   * Seed of the computed Community IDs (0 to 65535, default 0): the sensor's
   * `community-id-seed` when it was set, so that computed and sensor IDs agree.
   */
  communityIdSeed?: number;
}

/** GeoIP databases. */
export interface GeoipOptions {
  /** MaxMind DB files (City, Country or ASN, the kind read from each file's metadata); earlier files answer first. */
  databases?: readonly string[];
  /** Use the embedded country and ASN data after the databases (default: only when no database is given). */
  embedded?: boolean;
  /** Addresses whose answers are kept in memory (default 10000). */
  cacheSize?: number;
}

/** Who the sensor is, for `observer.*`: the same intake then serves any Suricata. */
export interface ObserverOptions {
  vendor?: string;
  product?: string;
}

export interface Normalized {
  ok: true;
  document: JizoDocument;
  /** What was odd but not fatal (for example a timestamp that could not be read). */
  warnings: string[];
  /** The document holds integers beyond 2^53 (as bigint): serialize with {@link toJson}. */
  lossless: boolean;
  envelope: EnvelopeKind;
  /** The decoded EVE event the document was made from (read it, do not change it). */
  eve: JsonObject;
}

export type NormalizeResult = Normalized | Rejection;

/** Per-event state handed to a profile. */
export interface Context {
  decoded: Decoded;
  options: NormalizeOptions;
  warnings: string[];
}

export interface Profile {
  (ctx: Context): JizoDocument;
  /**
   * Set by a profile that reads a known set of numeric values: the event is
   * then parsed with plain JSON.parse (no scan of the text for long digit
   * runs), and parsed again losslessly only when this finds one of those
   * values beyond 2^53. Without it, every event holding a digit run that may
   * be such an integer is parsed losslessly.
   */
  readsUnsafeInteger?(event: JsonObject): boolean;
}
