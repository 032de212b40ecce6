/**
 * The field catalog: the single source of truth for every field a profile can
 * emit. Docs (`docs/fields.md`), index templates and document validation are
 * all derived from it.
 */
import { PROFILES, type ProfileName } from '../normalize/types.js';
import { ECS_PROFILE_FIELDS } from './fields/ecs.js';
import { SEKOIA_FIELDS } from './fields/sekoia.js';
import { ENRICH_FIELDS } from './fields/enrich.js';
import type { CatalogField, FieldDef } from './types.js';

/** Added to documents of every profile by `normalize --describe` (off by default). */
export const DESCRIPTION_FIELD: FieldDef = {
  name: 'jizo.description',
  type: 'match_only_text',
  description: 'One-sentence human description of the event (only with `normalize --describe`).',
  custom: true,
};

/** One input list of the catalog: the fields a set of profiles emits. */
export interface FieldSource {
  profiles: readonly ProfileName[];
  fields: readonly FieldDef[];
}

/** The lists the catalog is built from. */
const FIELD_SOURCES: readonly FieldSource[] = [
  { profiles: ['sekoia'], fields: SEKOIA_FIELDS },
  { profiles: ['ecs'], fields: ECS_PROFILE_FIELDS },
  { profiles: PROFILES, fields: [DESCRIPTION_FIELD] },
  { profiles: PROFILES, fields: ENRICH_FIELDS },
];

/** Types whose children are catalogued fields of their own. */
const CONTAINERS = new Set(['object', 'nested']);

/** A merged, checked field catalog with its lookups. */
export class Catalog {
  /** Every field, sorted by name. */
  readonly fields: readonly CatalogField[];
  private readonly byName = new Map<string, CatalogField>();
  /** Pattern fields (`jizo.*`): the parent name -> the field standing for any child not catalogued by name. */
  private readonly patterns = new Map<string, CatalogField>();
  private readonly byProfile = new Map<ProfileName, CatalogField[]>();
  /** Per profile: dotted names that are parents of catalogued fields (implicit objects). */
  private readonly parents = new Map<ProfileName, Set<string>>();

  /** Merges the lists; throws an Error when two lists disagree on a field's type or the tree is inconsistent. */
  constructor(sources: readonly FieldSource[]) {
    for (const src of sources) {
      for (const def of src.fields) {
        const known = this.byName.get(def.name);
        if (known === undefined) {
          this.byName.set(def.name, { ...def, profiles: [...src.profiles] });
          continue;
        }
        if (known.type !== def.type) {
          throw new Error(
            `field catalog: ${def.name} is ${known.type} for ${known.profiles.join(', ')} but ${def.type} for ${src.profiles.join(', ')}`,
          );
        }
        // ECS "normalize: array" is a property of the field, not of a profile: either list saying so wins.
        if (def.array === true) known.array = true;
        if (def.custom === true) known.custom = true;
        if (known.description === '') known.description = def.description;
        for (const p of src.profiles) if (!known.profiles.includes(p)) known.profiles.push(p);
      }
    }
    this.fields = [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const f of this.fields) {
      f.profiles.sort((a, b) => PROFILES.indexOf(a) - PROFILES.indexOf(b));
      if (isPattern(f.name)) this.patterns.set(f.name.slice(0, -2), f);
      this.checkParents(f);
      for (const p of f.profiles) {
        let list = this.byProfile.get(p);
        if (list === undefined) this.byProfile.set(p, (list = []));
        list.push(f);
        let parents = this.parents.get(p);
        if (parents === undefined) this.parents.set(p, (parents = new Set()));
        for (let i = f.name.indexOf('.'); i > 0; i = f.name.indexOf('.', i + 1)) parents.add(f.name.slice(0, i));
      }
    }
  }

  /** A field nested under a catalogued field must sit under an object or nested field. */
  private checkParents(f: CatalogField): void {
    for (let i = f.name.indexOf('.'); i > 0; i = f.name.indexOf('.', i + 1)) {
      const parent = this.byName.get(f.name.slice(0, i));
      if (parent !== undefined && !CONTAINERS.has(parent.type)) {
        throw new Error(`field catalog: ${f.name} is under ${parent.name}, which is ${parent.type}, not an object`);
      }
    }
  }

  /** The catalogued field of a dotted name (a pattern field only under its own name, such as `jizo.*`). */
  get(name: string): CatalogField | undefined {
    return this.byName.get(name);
  }

  /** The field a document's dotted name falls under: catalogued by name, else by a pattern (`jizo.x` by `jizo.*`). */
  resolve(name: string): CatalogField | undefined {
    const f = this.byName.get(name);
    if (f !== undefined || this.patterns.size === 0) return f;
    const dot = name.lastIndexOf('.');
    return dot > 0 ? this.patterns.get(name.slice(0, dot)) : undefined;
  }

  /** The fields a profile emits, sorted by name. */
  ofProfile(profile: ProfileName): readonly CatalogField[] {
    return this.byProfile.get(profile) ?? [];
  }

  /** True when `name` is an object holding catalogued fields of `profile` (for example `source`). */
  isParent(name: string, profile: ProfileName): boolean {
    return this.parents.get(profile)?.has(name) ?? false;
  }
}

/**
 * A pattern field (`jizo.*`) stands for any direct child of its parent that is
 * not catalogued by name: the `ecs` profile keeps the whole object of an event
 * type it does not know under `jizo.<event_type>`.
 */
export function isPattern(name: string): boolean {
  return name.endsWith('.*');
}

/** The catalog of this intake (built at load: a type conflict between the lists fails the import). */
export const CATALOG = new Catalog(FIELD_SOURCES);

/** The catalogued field of a dotted name. */
export function catalogField(name: string): CatalogField | undefined {
  return CATALOG.get(name);
}

/** The fields a profile emits (all fields when no profile is given), sorted by name. */
export function profileFields(profile?: ProfileName): readonly CatalogField[] {
  return profile === undefined ? CATALOG.fields : CATALOG.ofProfile(profile);
}
