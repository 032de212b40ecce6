/** Exponential backoff with jitter, abortable: the one used by every component that retries. */
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

/**
 * Sleeps `ms`, or less when `signal` aborts (shutdown must not wait out a long
 * delay): then rejects with the abort's reason when it is an error of its own,
 * else with "stopping".
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const reason = () => (signal!.reason instanceof Error && signal!.reason.name !== 'AbortError' ? signal!.reason : new Error('stopping'));
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(reason());
    const onAbort = () => {
      clearTimeout(timer);
      reject(reason());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
