import type { SinkFactory } from '../../pipeline/types.js';
import { natsSinkSchema, type NatsSinkConfig } from './config.js';
import { NatsSink } from './sink.js';

export type { NatsSinkConfig } from './config.js';
export { NatsSink } from './sink.js';

/** The `nats` sink type: JetStream publish with acknowledgement. */
export const natsSinkFactory: SinkFactory<NatsSinkConfig> = {
  type: 'nats',
  schema: natsSinkSchema,
  create: (name, config, deps) => new NatsSink(name, config, deps),
};
