import { z } from 'zod';
import { duration, intRange } from '../../config/values.js';
import { natsConnectionSchema } from '../../nats/connection.js';

/** Configuration of a `nats` source (see docs/nats.md). */
export const natsSourceSchema = z
  .object({
    /** The component type, when the configuration carries it. */
    type: z.literal('nats').optional(),
    ...natsConnectionSchema,
    /** JetStream stream holding the raw events. */
    stream: z.string().min(1),
    /** Durable pull consumer name; instances sharing it share the work. */
    consumer: z.string().min(1).default('jizo-intake'),
    /** Create the durable consumer when it does not exist (otherwise it must). */
    create_consumer: z.boolean().default(true),
    /** Subject filter of a created consumer (all of the stream when unset). */
    filter_subject: z.string().min(1).optional(),
    /** Ack wait of a created consumer: an unacknowledged message is redelivered after it. */
    ack_wait: duration(1000, '30s'),
    /** Deliveries of one message before the server gives up on it (-1: unlimited). */
    max_deliver: intRange(-1, 1_000_000, -1),
    /** Unacknowledged messages the server lets this consumer have at once (bounds memory). */
    max_ack_pending: intRange(1, 10_000_000, 10000),
    /** Most messages in one submission to the pipeline. */
    batch_size: intRange(1, 10000, 500),
    /** How long stop() waits for submitted messages to become durable; the rest are handed back (nak). */
    stop_timeout: duration(0, '10s'),
  })
  .strict();

export type NatsSourceConfig = z.output<typeof natsSourceSchema>;
