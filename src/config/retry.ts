/** The `retry` block shared by the sinks that retry on their own (NATS, Elasticsearch/OpenSearch). */
import { z } from 'zod';
import { duration, intRange } from './values.js';

export const retrySchema = z
  .object({
    /** First backoff delay; it doubles up to `max`. */
    initial: duration(1, '200ms'),
    /** Longest backoff delay. */
    max: duration(1, '30s'),
    /** Attempts per batch before write() gives the batch back to the pipeline (0: retry until stopped). */
    max_attempts: intRange(0, 1_000_000, 0),
  })
  .strict();

export type RetryConfig = z.output<typeof retrySchema>;

/** The backoff options of a `retry` block. */
export const backoffOf = (r: RetryConfig) => ({ initialMs: r.initial, maxMs: r.max });
