/** Option values of the catalog commands, kept apart so the CLI can list them without loading the catalog. */
export type FieldsFormat = 'markdown' | 'json';
export const FIELDS_FORMATS: readonly FieldsFormat[] = ['markdown', 'json'];

export type TemplateTarget = 'elasticsearch' | 'opensearch';
export const TEMPLATE_TARGETS: readonly TemplateTarget[] = ['elasticsearch', 'opensearch'];
