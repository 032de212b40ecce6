import type { Ecs, EcsEcs } from '@elastic/ecs';
import type { Decoded, EnvelopeKind, Rejection } from '../decode/index.js';
import type { JsonObject } from '../eve/json.js';

/** The profiles: `sekoia` is the documented Jizo intake, `ecs` the full mapping. */
export type ProfileName = 'sekoia' | 'ecs';
export const PROFILES: readonly ProfileName[] = ['sekoia', 'ecs'];

/** An ECS document as produced by jizo-intake: ECS fields plus the declared custom ones. */
export type JizoDocument = Omit<Ecs, 'ecs'> & {
  ecs?: EcsEcs;
  /** Custom fields of this intake (flow id, EVE fields ECS has no place for). */
  jizo?: Record<string, unknown>;
  /** Custom fields of the documented Jizo integration (`sekoia` profile). */
  action?: { properties?: Record<string, string> };
  [field: string]: unknown;
};

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
