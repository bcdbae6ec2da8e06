/**
 * Retries around jira.js calls: jira.js does not retry, and Jira Cloud answers bursts with 429
 * and a Retry-After header (seconds or an HTTP date). A 429 or 503 means the request was not
 * processed, so even a create is safe to send again; no request leaves before the wait is over.
 */
import { JiraRateLimitedError, JiraRequestError } from './errors.js';
import { parseRetryAfter } from '../http/retry-after.js';

/** Retry policy; every field has a default. */
export interface JiraRetryOptions {
  /** Retries after the first attempt. @default 5 */
  maxRetries?: number;
  /** First backoff when Jira gives no Retry-After; doubles per retry. @default 1000 */
  baseDelayMs?: number;
  /** Longest wait accepted; a longer Retry-After fails at once with the wait in the error. @default 60000 */
  maxDelayMs?: number;
  /** How to wait (tests pass a recorder). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, for Retry-After given as a date. @default Date.now */
  now?: () => number;
}

/** What a failed call told us, read from jira.js's HttpException or axios's error. */
export interface HttpFailure {
  status: number | undefined;
  headers: Record<string, string>;
  data: unknown;
  code: string | undefined;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** Extracts status, headers and body from whatever jira.js threw. */
export function readHttpFailure(error: unknown): HttpFailure {
  // jira.js wraps axios's error (which has the headers) as the cause of its HttpException.
  const candidates = [isObject(error) ? error.cause : undefined, error];
  for (const c of candidates) {
    if (!isObject(c) || !isObject(c.response)) continue;
    const response = c.response;
    if (typeof response.status !== 'number') continue;
    const headers: Record<string, string> = {};
    const raw = response.headers;
    if (isObject(raw)) {
      const entries =
        typeof (raw as { toJSON?: unknown }).toJSON === 'function'
          ? Object.entries((raw as { toJSON: () => Json }).toJSON())
          : Object.entries(raw);
      for (const [k, v] of entries)
        if (typeof v === 'string' || typeof v === 'number') headers[k.toLowerCase()] = String(v);
    }
    return { status: response.status, headers, data: response.data, code: undefined };
  }
  const code = isObject(error) && typeof error.code === 'string' ? error.code : undefined;
  const status =
    isObject(error) && typeof error.status === 'number' && error.status !== 500 ? error.status : undefined;
  return { status, headers: {}, data: undefined, code };
}

/** Field ids named by a Jira 400 body (`{errorMessages, errors: {field: message}}`); messages are dropped. */
export function rejectedFields(data: unknown): string[] {
  if (!isObject(data) || !isObject(data.errors)) return [];
  return Object.keys(data.errors).sort();
}

/**
 * Runs `call`, retrying 429 and 503 answers after Retry-After (or a doubling backoff), and lost
 * connections when `idempotent`; any other failure becomes a {@link JiraRequestError}.
 */
export async function callJira<T>(
  operation: string,
  call: () => Promise<T>,
  options: JiraRetryOptions & { idempotent?: boolean } = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof JiraRequestError) throw error;
      const failure = readHttpFailure(error);
      const retryableStatus = failure.status === 429 || failure.status === 503;
      const lostConnection = failure.status === undefined && options.idempotent === true;
      if (!retryableStatus && !lostConnection) {
        throw new JiraRequestError(operation, failure.status, {
          fields: rejectedFields(failure.data),
          ...(failure.code ? { code: failure.code } : {}),
        });
      }
      const retryAfter = parseRetryAfter(failure.headers['retry-after'], now());
      const delay = retryAfter ?? base * 2 ** attempt;
      if (attempt >= maxRetries || delay > maxDelay) {
        if (failure.status === 429) throw new JiraRateLimitedError(operation, retryAfter, attempt + 1);
        throw new JiraRequestError(operation, failure.status, failure.code ? { code: failure.code } : {});
      }
      await sleep(delay);
    }
  }
}

export { parseRetryAfter };
