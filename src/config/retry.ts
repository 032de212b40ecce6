/** The `retry` block shared by the sinks that retry on their own (NATS, Elasticsearch/OpenSearch). */
import { z } from 'zod';
import { backoffDelay, sleep } from '../io/backoff.js';
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

/**
 * What a sink does before attempt `attempt` (1-based) of sending `pending`
 * events: nothing before the first; past `max_attempts` it gives the batch
 * back (throws the error `giveUp` makes of the count and the limit); else it
 * counts the events as retried and waits the backoff (aborted by `signal`).
 */
export async function beforeAttempt(
  attempt: number,
  pending: number,
  retry: RetryConfig,
  counters: { retried: number },
  signal: AbortSignal,
  giveUp: (pending: number, maxAttempts: number) => string,
): Promise<void> {
  if (attempt === 1) return;
  const max = retry.max_attempts;
  if (max > 0 && attempt > max) throw new Error(giveUp(pending, max));
  counters.retried += pending;
  await sleep(backoffDelay(attempt - 1, backoffOf(retry)), signal);
}
