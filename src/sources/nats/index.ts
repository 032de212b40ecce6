import type { SourceFactory } from '../../pipeline/types.js';
import { natsSourceSchema, type NatsSourceConfig } from './config.js';
import { NatsSource } from './source.js';

export type { NatsSourceConfig } from './config.js';
export { NatsSource } from './source.js';

/** The `nats` source type: a durable JetStream pull consumer. */
export const natsSourceFactory: SourceFactory<NatsSourceConfig> = {
  type: 'nats',
  schema: natsSourceSchema,
  create: (name, config, deps) => new NatsSource(name, config, deps),
};
