/** The HTTP Retry-After header, shared by every client that honours it (REST targets, Jira, …). */

/**
 * Milliseconds to wait that a Retry-After header asks for: delay-seconds (decimals tolerated) or an
 * HTTP date relative to `now`; undefined when absent or unreadable, 0 for a date in the past.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
