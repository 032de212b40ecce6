/**
 * Component types known to `serve`: the `type` of a source or sink in the
 * configuration names one of these factories. Adding a type is one line.
 */
import type { SinkFactory, SourceFactory } from '../pipeline/types.js';
import { elasticsearchSinkFactory, opensearchSinkFactory } from '../sinks/elasticsearch/index.js';
import { deadLetterFileFactory, fileSinkFactory } from '../sinks/file/index.js';
import { natsSinkFactory } from '../sinks/nats/index.js';
import { stdoutSinkFactory } from '../sinks/stdout/index.js';
import { fileSourceFactory } from '../sources/file/index.js';
import { httpSourceFactory } from '../sources/http/index.js';
import { natsSourceFactory } from '../sources/nats/index.js';
import { stdinSourceFactory } from '../sources/stdin/index.js';
import { syslogSourceFactory } from '../sources/syslog/index.js';

export interface Registry {
  sources: Map<string, SourceFactory<unknown>>;
  sinks: Map<string, SinkFactory<unknown>>;
  /** Factory of a `file` dead-letter output (its default path differs from the file sink's). */
  deadLetterFile?: SinkFactory<unknown>;
}

function byType<F extends { type: string }>(factories: F[]): Map<string, F> {
  return new Map(factories.map((f) => [f.type, f]));
}

/** The built-in component types. */
export function defaultRegistry(): Registry {
  return {
    sources: byType<SourceFactory<unknown>>([
      syslogSourceFactory,
      httpSourceFactory,
      stdinSourceFactory,
      fileSourceFactory,
      natsSourceFactory,
    ]),
    sinks: byType<SinkFactory<unknown>>([
      fileSinkFactory,
      stdoutSinkFactory,
      elasticsearchSinkFactory,
      opensearchSinkFactory,
      natsSinkFactory,
    ]),
    deadLetterFile: deadLetterFileFactory,
  };
}
