/** When to retry a REST batch and how long to wait: Retry-After when the server says, jittered backoff otherwise. */

export { parseRetryAfter } from '../http/retry-after.js';

/** "Full jitter" exponential backoff: a uniform wait in [0, min(cap, base·2^attempt)). */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** Whether an HTTP status is worth retrying: 408, 429 and every 5xx except 501 and 505. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}
