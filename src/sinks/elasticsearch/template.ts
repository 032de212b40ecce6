import { buildIndexTemplate, type TemplateTarget } from '../../schema/template.js';
import type { TemplateProvider } from './sink.js';

/** The index template of the field catalog (src/schema/template.ts) for a target engine. */
export function catalogTemplate(target: TemplateTarget): TemplateProvider {
  return (o) =>
    buildIndexTemplate({
      target,
      name: o.name,
      indexPattern: o.indexPatterns[0],
      dataStream: o.dataStream,
      profile: o.profile,
      dateNanos: o.dateNanos,
    });
}
