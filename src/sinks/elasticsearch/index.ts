import type { SinkFactory } from '../../pipeline/types.js';
import { elasticsearchSinkSchema, type ElasticsearchSinkConfig } from './config.js';
import { ElasticsearchSink, type TemplateProvider } from './sink.js';
import { catalogTemplate } from './template.js';

export type { ElasticsearchSinkConfig } from './config.js';
export { ElasticsearchSink, type TemplateProvider } from './sink.js';

/**
 * A sink factory for `elasticsearch` or `opensearch`; `provider` builds the
 * index template installed on start when `template.install` is true.
 */
export function createElasticsearchSinkFactory(
  type: 'elasticsearch' | 'opensearch',
  provider?: TemplateProvider,
): SinkFactory<ElasticsearchSinkConfig> {
  return {
    type,
    schema: elasticsearchSinkSchema,
    create: (name, config, deps) => new ElasticsearchSink(name, type, config, deps, provider),
  };
}

/** The `elasticsearch` sink type (official @elastic/elasticsearch client, catalog index template). */
export const elasticsearchSinkFactory = createElasticsearchSinkFactory('elasticsearch', catalogTemplate('elasticsearch'));
/** The `opensearch` sink type (official @opensearch-project/opensearch client, catalog index template). */
export const opensearchSinkFactory = createElasticsearchSinkFactory('opensearch', catalogTemplate('opensearch'));
