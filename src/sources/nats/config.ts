import { z } from 'zod';
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
    createConsumer: z.boolean().default(true),
    /** Subject filter of a created consumer (all of the stream when unset). */
    filterSubject: z.string().min(1).optional(),
    /** Ack wait of a created consumer: an unacknowledged message is redelivered after it. */
    ackWaitMs: z.number().int().min(1000).default(30000),
    /** Deliveries of one message before the server gives up on it (-1: unlimited). */
    maxDeliver: z.number().int().min(-1).default(-1),
    /** Unacknowledged messages the server lets this consumer have at once (bounds memory). */
    maxAckPending: z.number().int().min(1).default(10000),
    /** Most messages in one submission to the pipeline. */
    batchSize: z.number().int().min(1).max(10000).default(500),
    /** How long stop() waits for submitted messages to become durable; the rest are handed back (nak). */
    stopTimeoutMs: z.number().int().min(0).default(10000),
  })
  .strict();

export type NatsSourceConfig = z.output<typeof natsSourceSchema>;
