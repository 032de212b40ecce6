import type { ProfileName } from '../normalize/types.js';

/** Index types a catalogued field may have (Elasticsearch names; see docs for OpenSearch). */
export type FieldType =
  | 'keyword'
  | 'constant_keyword'
  | 'wildcard'
  | 'match_only_text'
  | 'text'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'unsigned_long'
  | 'float'
  | 'double'
  | 'scaled_float'
  | 'boolean'
  | 'date'
  | 'date_nanos'
  | 'ip'
  | 'geo_point'
  | 'object'
  | 'nested'
  | 'flattened';

export interface FieldDef {
  /** Dotted field name. */
  name: string;
  type: FieldType;
  /** One short sentence. */
  description: string;
  /** The value is a list (ECS "normalize: array"). */
  array?: boolean;
  /** A field of this intake, not of ECS (`jizo.*`, and `action.*` of the documented integration). */
  custom?: boolean;
}

/** A catalogued field with the profiles that emit it. */
export interface CatalogField extends FieldDef {
  profiles: ProfileName[];
}
