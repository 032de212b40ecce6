import { z } from 'zod';
import { duration, intRange } from '../../config/values.js';
import { retrySchema } from '../../config/retry.js';
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
    expect_stream: z.string().min(1).optional(),
    /** How long to wait for one publish acknowledgement. */
    ack_timeout: duration(100, '10s'),
    /**
     * `hash`: each message carries the event's deterministic id as
     * `Nats-Msg-Id`, so the stream's duplicate window drops a redelivery of
     * the same bytes; `none`: no id.
     */
    id: z.enum(['hash', 'none']).default('hash'),
    /**
     * `document`: publish the normalized document (its JSON); `raw`: publish
     * the exact line received, with its reception time and origin as headers
     * (Jizo-Received-At, Jizo-Source, Jizo-Origin), for workers that
     * normalize it behind JetStream (see docs/nats.md).
     */
    payload: z.enum(['document', 'raw']).default('document'),
    /** Publishes awaiting their acknowledgement at once. */
    max_in_flight: intRange(1, 100_000, 1000),
    retry: retrySchema.default({}),
  })
  .strict();

export type NatsSinkConfig = z.output<typeof natsSinkSchema>;
