import { buildIndexTemplate, type TemplateTarget } from '../../catalog/template.js';
import type { TemplateProvider } from './sink.js';

/** The index template of the field catalog (src/catalog/template.ts) for a target engine. */
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
