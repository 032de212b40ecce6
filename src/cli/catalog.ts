import type { ProfileName } from '../normalize/types.js';
import { formatFields, type FieldsFormat } from '../catalog/format.js';
import { buildIndexTemplate, type IndexTemplateOptions } from '../catalog/template.js';
import { EXIT } from './exit.js';

export function runFields(opts: { profile?: ProfileName; format: FieldsFormat }): number {
  process.stdout.write(formatFields(opts.format, opts.profile));
  return EXIT.ok;
}

export function runTemplate(opts: IndexTemplateOptions): number {
  const template = buildIndexTemplate(opts);
  process.stdout.write(JSON.stringify(template, null, 2) + '\n');
  return EXIT.ok;
}
