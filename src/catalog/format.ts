/** The field catalog as text: Markdown (docs/fields.md) or JSON. */
import type { ProfileName } from '../normalize/types.js';
import { profileFields } from './catalog.js';
import { mappedType } from './template.js';
import type { CatalogField } from './types.js';

import type { FieldsFormat } from './choices.js';
export type { FieldsFormat } from './choices.js';

/** Escapes a table cell. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function row(f: CatalogField): string {
  const os = mappedType(f, 'opensearch');
  return (
    `| \`${f.name}\` | ${f.type} | ${os === f.type ? '' : os} | ${f.array === true ? 'yes' : ''} | ` +
    `${f.custom === true ? 'custom' : 'ECS'} | ${f.profiles.join(', ')} | ${cell(f.description)} |`
  );
}

/** The catalog (or one profile's part of it) as a Markdown page. */
export function fieldsMarkdown(profile?: ProfileName): string {
  const fields = profileFields(profile);
  const title = profile === undefined ? 'Fields' : `Fields of the \`${profile}\` profile`;
  return [
    `# ${title}`,
    '',
    '<!-- Generated from src/catalog/catalog.ts by `npm run docs:fields`: do not edit by hand. -->',
    '',
    'Every field jizo-intake can emit, from the field catalog (`src/catalog/catalog.ts`). **Type** is the',
    'Elasticsearch type (the ECS type for ECS fields); **OpenSearch** is the type used instead by',
    '`jizo-intake template --target opensearch` when it differs (see [index-templates.md](index-templates.md)).',
    '**Array** marks fields whose value is a list (ECS `normalize: array`). **Origin** is `ECS` for fields of',
    'the Elastic Common Schema and `custom` for fields of this intake (`jizo.*`) and of the documented',
    'integration (`action.properties.*`).',
    '',
    `${fields.length} fields.`,
    '',
    '| Field | Type | OpenSearch | Array | Origin | Profiles | Description |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...fields.map(row),
    '',
  ].join('\n');
}

/** The catalog (or one profile's part of it) as a JSON array. */
function fieldsJson(profile?: ProfileName): string {
  const fields = profileFields(profile).map((f) => ({
    name: f.name,
    type: f.type,
    description: f.description,
    array: f.array === true,
    custom: f.custom === true,
    profiles: f.profiles,
  }));
  return JSON.stringify(fields, null, 2) + '\n';
}

/** The catalog in a format. */
export function formatFields(format: FieldsFormat, profile?: ProfileName): string {
  return format === 'json' ? fieldsJson(profile) : fieldsMarkdown(profile);
}
