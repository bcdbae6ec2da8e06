/**
 * Errors of the Jira integration. Messages name the operation, the issue key, the HTTP status and
 * the fields Jira rejected, never Jira's own error text (it quotes the values it refused).
 */

/** Error type names, for mapping to Temporal failures once in the activity layer. */
export const JiraErrorType = {
  request: 'JiraRequestError',
  rateLimited: 'JiraRateLimited',
  transitionNotFound: 'JiraTransitionNotFound',
} as const;
/** One of {@link JiraErrorType}. */
export type JiraErrorType = (typeof JiraErrorType)[keyof typeof JiraErrorType];

/** A Jira REST call failed (after retries, when the failure was a rate limit or an outage). */
export class JiraRequestError extends Error {
  override readonly name: string = 'JiraRequestError';
  /** The error type for failure mapping. */
  readonly type: JiraErrorType = JiraErrorType.request;
  /** Which call failed, e.g. `search`, `create issue`. */
  readonly operation: string;
  /** HTTP status when Jira answered (undefined when no answer arrived). */
  readonly status: number | undefined;
  /** Field ids Jira named in its 400 answer (e.g. `summary`, `labels`), never their values. */
  readonly fields: readonly string[];
  /** True for rate limits, outages and lost connections: trying again later may succeed. */
  readonly retryable: boolean;
  constructor(
    operation: string,
    status: number | undefined,
    options: { fields?: readonly string[]; code?: string; message?: string } = {},
  ) {
    const fields = options.fields ?? [];
    const what =
      status === undefined
        ? `no HTTP answer${options.code ? ` (${options.code})` : ''}`
        : `HTTP ${status}${hint(status)}`;
    const fieldText = fields.length > 0 ? `; fields rejected: ${fields.join(', ')}` : '';
    super(options.message ?? `Jira ${operation} failed: ${what}${fieldText}`);
    this.operation = operation;
    this.status = status;
    this.fields = fields;
    this.retryable = status === undefined || status === 429 || status >= 500;
  }
}

/** Jira kept answering 429 (or asked to wait longer than allowed): try again after `retryAfterMs`. */
export class JiraRateLimitedError extends JiraRequestError {
  override readonly name = 'JiraRateLimitedError';
  override readonly type = JiraErrorType.rateLimited;
  /** How long Jira asked to wait before the next request (ms), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(operation: string, retryAfterMs: number | undefined, attempts: number) {
    const wait = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    super(operation, 429, { message: `Jira ${operation} rate limited after ${attempts} attempt(s)${wait}` });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The issue's workflow offers no transition of that name from its current status. */
export class JiraTransitionNotFoundError extends Error {
  override readonly name = 'JiraTransitionNotFoundError';
  /** The error type for failure mapping. */
  readonly type = JiraErrorType.transitionNotFound;
  /** The transition asked for. */
  readonly transition: string;
  /** Transition names the issue does offer. */
  readonly available: readonly string[];
  constructor(
    issueKey: string,
    transition: string,
    status: string | undefined,
    available: readonly string[],
  ) {
    const from = status ? ` from status "${status}"` : '';
    const offered = available.length > 0 ? available.map((n) => `"${n}"`).join(', ') : 'none';
    super(`Jira issue ${issueKey} has no transition "${transition}"${from} (available: ${offered})`);
    this.transition = transition;
    this.available = available;
  }
}

function hint(status: number): string {
  if (status === 401)
    return ' (check UNDERSTUDY_JIRA_EMAIL and UNDERSTUDY_JIRA_API_TOKEN, or UNDERSTUDY_JIRA_PAT)';
  if (status === 403) return ' (the account lacks permission, or the XSRF check failed)';
  if (status === 404) return ' (not found, or not visible to this account)';
  if (status === 429) return ' (rate limited)';
  if (status === 503) return ' (Jira unavailable)';
  return '';
}
