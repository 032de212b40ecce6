/** Exponential backoff with jitter, shared by the sinks that retry. */
export interface BackoffOptions {
  /** First delay in ms. */
  initialMs: number;
  /** Longest delay in ms. */
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): the exponential delay capped at
 * `maxMs`, then "equal jitter" (a random point in its upper half) so that many
 * writers do not retry in step after a shared outage.
 */
export function backoffDelay(attempt: number, o: BackoffOptions): number {
  const exp = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt - 1, 30));
  return exp / 2 + Math.random() * (exp / 2);
}

/** Sleeps `ms`, or less when `signal` aborts (then rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('stopping'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('stopping'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
