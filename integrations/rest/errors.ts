/** Errors of the REST target; messages name the target and batch, never record contents. */

/** The API kept failing a batch (5xx, 429, network) past the allowed attempts: retry the activity later. */
export class RestRetryableError extends Error {
  override readonly name = 'RestRetryableError';
  /** Delay the server asked for, when it asked (Retry-After). */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The API refused the credentials (401/403) or the request shape in a way no retry can fix. */
export class RestRejectedError extends Error {
  override readonly name = 'RestRejectedError';
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}
