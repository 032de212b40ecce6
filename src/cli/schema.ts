import type { ProfileName } from '../normalize/types.js';
import { formatFields, type FieldsFormat } from '../schema/format.js';
import { buildIndexTemplate, type TemplateTarget } from '../schema/template.js';
import { EXIT } from './exit.js';

export function runFields(opts: { profile?: ProfileName; format: FieldsFormat }): number {
  process.stdout.write(formatFields(opts.format, opts.profile));
  return EXIT.ok;
}

export interface TemplateCliOptions {
  target: TemplateTarget;
  profile?: ProfileName;
  indexPattern?: string;
  dataStream?: boolean;
  dateNanos?: boolean;
  name?: string;
}

export function runTemplate(opts: TemplateCliOptions): number {
  const template = buildIndexTemplate(opts);
  process.stdout.write(JSON.stringify(template, null, 2) + '\n');
  return EXIT.ok;
}
