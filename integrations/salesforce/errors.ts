/**
 * Maps jsforce and network errors to the errors the activity layer understands. Salesforce messages are
 * never passed on: a record or job error message may quote the value that was rejected, so only the
 * error code, the operation and the object or job id reach a message.
 */
import { ConfigError } from '../../core/errors.js';

/** Salesforce refused a call for its request limits (HTTP 429 or REQUEST_LIMIT_EXCEEDED); retry later. */
export class SalesforceRateLimitError extends Error {
  override readonly name = 'SalesforceRateLimitError';
  constructor(
    message: string,
    /** How long to wait before the next attempt. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure a retry may cure: network trouble, a 5xx, or a job still running when the poll timeout passed. */
export class SalesforceTransientError extends Error {
  override readonly name = 'SalesforceTransientError';
}

/** The job the cursor names no longer exists (deleted, or older than Salesforce keeps jobs). */
export class SalesforceJobNotFoundError extends Error {
  override readonly name = 'SalesforceJobNotFoundError';
  constructor(
    readonly jobId: string,
    options?: { cause?: unknown },
  ) {
    super(`ingest job ${jobId} was not found`, options);
  }
}

/** Salesforce answered with an error this target does not expect; only its error code is kept. */
export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  constructor(
    message: string,
    readonly errorCode: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What was being done when an error happened, for the message. */
export interface SalesforceErrorContext {
  operation: string;
  object?: string;
  jobId?: string;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

const AUTH_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'INVALID_LOGIN',
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
]);

/** The error code jsforce carries (HttpApiError.errorCode or `name`), or a network code. */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { errorCode?: unknown; code?: unknown; name?: unknown; error?: unknown };
  if (typeof e.errorCode === 'string') return e.errorCode;
  if (typeof e.error === 'string') return e.error;
  if (typeof e.code === 'string') return e.code;
  // jsforce's OAuth2 errors carry the OAuth error (`invalid_grant`) as their name.
  if (typeof e.name === 'string' && /^(?:[a-z]+(?:_[a-z]+)+|[A-Z]+(?:_[A-Z0-9]+)+)$/.test(e.name))
    return e.name;
  return undefined;
}

/** HTTP status from jsforce's `ERROR_HTTP_<status>` codes, when that is what the error carries. */
function httpStatusOf(code: string | undefined): number | undefined {
  const m = code === undefined ? null : /^ERROR_HTTP_(\d{3})$/.exec(code);
  return m ? Number(m[1]) : undefined;
}

/** Whether an error is Salesforce's request-limit refusal. */
export function isRateLimit(err: unknown): boolean {
  const code = errorCodeOf(err);
  return code === 'REQUEST_LIMIT_EXCEEDED' || httpStatusOf(code) === 429;
}

/**
 * Turns an error from a jsforce call into SalesforceRateLimitError, SalesforceTransientError,
 * SalesforceJobNotFoundError, ConfigError (authentication) or SalesforceApiError; errors that are
 * already ours pass through, and programming errors are returned as they are.
 */
export function toSalesforceError(err: unknown, ctx: SalesforceErrorContext, retryAfterMs = 30_000): Error {
  if (
    err instanceof SalesforceRateLimitError ||
    err instanceof SalesforceTransientError ||
    err instanceof SalesforceJobNotFoundError ||
    err instanceof SalesforceApiError ||
    err instanceof ConfigError
  ) {
    return err;
  }
  const where = describe(ctx);
  const code = errorCodeOf(err);
  const status = httpStatusOf(code);
  if (isRateLimit(err)) {
    return new SalesforceRateLimitError(
      `${where}: Salesforce request limit reached (${code})`,
      retryAfterMs,
      { cause: err },
    );
  }
  if (code !== undefined && (AUTH_CODES.has(code) || status === 401)) {
    return new ConfigError(`${where}: Salesforce rejected the credentials (${code})`, 'credentials', {
      cause: err,
    });
  }
  if ((code === 'NOT_FOUND' || status === 404) && ctx.jobId !== undefined) {
    return new SalesforceJobNotFoundError(ctx.jobId, { cause: err });
  }
  if (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    (status !== undefined && status >= 500) ||
    (err instanceof Error && (err.name === 'FetchError' || err.name === 'AbortError'))
  ) {
    return new SalesforceTransientError(`${where}: ${code ?? 'network error'}; retrying may succeed`, {
      cause: err,
    });
  }
  if (code !== undefined) {
    return new SalesforceApiError(`${where}: Salesforce answered ${code}`, code, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

function describe(ctx: SalesforceErrorContext): string {
  const parts = [ctx.operation];
  if (ctx.object !== undefined) parts.push(`object ${ctx.object}`);
  if (ctx.jobId !== undefined) parts.push(`job ${ctx.jobId}`);
  return parts.join(', ');
}
