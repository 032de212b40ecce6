/**
 * jizo-intake: decode, normalize to ECS and describe the EVE events of Jizo NDR
 * sensors. Importing this module has no side effects.
 */
import { addDescription } from './describe/index.js';
import { enricherFor } from './enrich/index.js';
import { normalizeLine } from './normalize/index.js';
import type { NormalizeOptions, NormalizeResult } from './normalize/types.js';

export { getProfile } from './normalize/index.js';

/**
 * Normalizes one raw line (bare EVE JSON, syslog line carrying it, or an
 * intake envelope `{"message": ...}`) to an ECS document, with a one-sentence
 * description when `options.describe` is set.
 *
 * With `geoip`, `internalNetworks` or `communityId`, documents are enriched
 * (docs/enrichment.md); the databases are loaded at the first call with those
 * options and kept.
 *
 * Never throws on any input string: a line that cannot be used is returned as
 * a rejection `{ ok: false, reason, message }`. Only wrong `options` throw (an
 * unknown profile, a GeoIP database that cannot be read, an internal network
 * that is not one): a programming or configuration error, not bad input.
 */
export function normalize(raw: string, options: NormalizeOptions = {}): NormalizeResult {
  return normalizeLine(raw, options, addDescription, enricherFor(options));
}
export type {
  JizoDocument,
  NormalizeOptions,
  NormalizeResult,
  Normalized,
  ObserverOptions,
  GeoipOptions,
  ProfileName,
  EcsEventFields,
  EcsFieldSet,
  EcsFieldSetName,
} from './normalize/types.js';
export { PROFILES } from './normalize/types.js';
export { decode, DEFAULT_MAX_LINE_BYTES, REJECT_REASONS } from './decode/index.js';
export type { Decoded, DecodeOptions, EnvelopeKind, Rejection, RejectReason, SyslogHeader, StructuredData } from './decode/index.js';
export { parseSyslog } from './decode/syslog.js';
export { toUtc } from './normalize/time.js';
export { canonicalIp } from './normalize/ip.js';
export { Enricher, type EnrichOptions } from './enrich/enricher.js';
export type { EnrichStats } from './enrich/stats.js';
export { communityId, type FlowTuple } from './enrich/community-id.js';
export { toJson, resultToJson } from './serialize.js';
export { runIntakeTests, type IntakeTestResult } from './testing/intake-test.js';
export { describe, addDescription, Describer, DESCRIPTION_TEMPLATES } from './describe/index.js';
export type { Condition, Description, DescriptionTemplate, Relationship, RelationshipTemplate } from './describe/index.js';
export { CATALOG, Catalog, catalogField, profileFields, DESCRIPTION_FIELD } from './catalog/catalog.js';
export type { CatalogField, FieldDef, FieldType } from './catalog/types.js';
export { validateDocument, type DocumentProblem } from './catalog/validate.js';
export { buildIndexTemplate, mappedType, TEMPLATE_TARGETS } from './catalog/template.js';
export type { IndexTemplate, IndexTemplateOptions, TemplateTarget, FieldMapping } from './catalog/template.js';
export { formatFields } from './catalog/format.js';
export { mappingProblems } from './catalog/mapping-check.js';
export { describeLine, type DescribedLine, type DescribeLineOptions } from './describe/line.js';
