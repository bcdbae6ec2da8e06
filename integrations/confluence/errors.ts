/**
 * Errors of the Confluence integration. Messages name the operation and the HTTP status, never
 * the CQL, page bodies or field values.
 */

/** A Confluence REST call failed (after retries, when the failure was a rate limit). */
export class ConfluenceRequestError extends Error {
  override readonly name = 'ConfluenceRequestError';
  /** Which call failed, e.g. `search` or `get page`. */
  readonly operation: string;
  /** HTTP status when Confluence answered (undefined when no answer arrived). */
  readonly status: number | undefined;
  /** True for rate limits and server errors: trying again later may succeed. */
  readonly retryable: boolean;
  constructor(operation: string, status: number | undefined, options?: { cause?: unknown }) {
    const what = status === undefined ? 'no HTTP answer' : `HTTP ${status}${describeStatus(status)}`;
    super(`Confluence ${operation} failed: ${what}`, options);
    this.operation = operation;
    this.status = status;
    this.retryable = status === undefined || status === 429 || status >= 500;
  }
}

function describeStatus(status: number): string {
  if (status === 401) return ' (check UNDERSTUDY_CONFLUENCE_EMAIL and UNDERSTUDY_CONFLUENCE_API_TOKEN)';
  if (status === 403) return ' (the account may not read this space)';
  if (status === 429) return ' (rate limited)';
  return '';
}
