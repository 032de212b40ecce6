import { z } from 'zod';
import { natsConnectionSchema } from '../../nats/connection.js';

/** Configuration of a `nats` sink (see docs/nats.md). */
export const natsSinkSchema = z
  .object({
    /** The component type, when the configuration carries it. */
    type: z.literal('nats').optional(),
    ...natsConnectionSchema,
    /** Subject the normalized events are published to; a JetStream stream must capture it. */
    subject: z.string().min(1),
    /** When set, the publish acknowledgement must come from this stream. */
    expectStream: z.string().min(1).optional(),
    /** How long to wait for one publish acknowledgement. */
    ackTimeoutMs: z.number().int().min(100).default(10000),
    /** Publishes awaiting their acknowledgement at once. */
    maxInFlight: z.number().int().min(1).default(1000),
    retry: z
      .object({
        initialMs: z.number().int().min(1).default(200),
        maxMs: z.number().int().min(1).default(30000),
        /** Attempts before write() gives the batch back to the pipeline (0: retry until stopped). */
        maxAttempts: z.number().int().min(0).default(0),
      })
      .strict()
      .default({}),
  })
  .strict();

export type NatsSinkConfig = z.output<typeof natsSinkSchema>;
