/**
 * The REST target: a part's rows go out as batched JSON POST/PUT requests with bounded concurrency.
 * Each batch carries an `Idempotency-Key` derived from (run, target, part, batch), so a batch sent again
 * after a lost answer, a retry or a restarted worker is recognisable to the API; 5xx, 408 and 429 are
 * retried honouring Retry-After (jittered exponential backoff when absent); per-record results are
 * read from the answer when the API gives them.
 *
 * Per-record results: a 2xx (or 207) answer may carry
 * `{"results": [{"index": 0, "status": "ok"}, {"index": 1, "status": "error", "error": {"code": "...", "message": "..."}}]}`
 * — `index` is the record's position in the batch (the entry's own position when absent); a record failed
 * when `status` is "error"/"failed"/"rejected" or a number ≥ 400, when `ok` is false, or when it has an
 * `error` (a string or `{code, message}`) and no success status. Records not listed count as loaded.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import type { Table } from '../../core/table.js';
import { compileRowTemplate, type JsonValue, type RowRenderer } from './body-template.js';
import { RestRejectedError, RestRetryableError } from './errors.js';
import { checkTargetUrl, type HostAllowlist } from './host-guard.js';
import { createHttpSender, type HttpAnswer, type HttpSender } from './http-send.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

/** How a batch is laid out in the request body. */
export type BatchBody = 'array' | 'single' | { field: string };

/** Options of a REST target. */
export interface RestTargetOptions {
  url: string;
  /** @default "POST" */
  method?: 'POST' | 'PUT';
  /** Operator allowlist of hosts (worker configuration). */
  allowlist: HostAllowlist;
  /** Extra request headers from the run config (not secrets). */
  headers?: Record<string, string>;
  /** Value of the Authorization header, from the worker's environment. */
  authorization?: string;
  /** `array`: `[r1, r2]`; `single`: one record per request (batch size 1); `{field}`: `{"<field>": [r1, r2]}`. @default "array" */
  body?: BatchBody;
  /** Row-to-record template; every column by name when absent. */
  template?: JsonValue;
  /** @default 100 */
  batchSize?: number;
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Attempts per batch within one call, before giving the batch back as retryable. @default 6 */
  maxAttempts?: number;
  /** @default 30000 */
  timeoutMs?: number;
  /** @default 500 */
  backoffBaseMs?: number;
  /** @default 30000 */
  backoffCapMs?: number;
  /** A Retry-After longer than this is not waited out here but handed back (RestRetryableError.retryAfterMs). @default 60000 */
  maxRetryAfterMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** One record the API refused. */
export interface RecordFailure {
  /** Row index within the part. */
  row: number;
  batch: number;
  status?: number;
  code?: string;
  /** The API's message, shortened; it is stored as a run artifact, never put into errors or logs. */
  message?: string;
}

/** Progress through a part, kept in heartbeat details: batches below `nextBatch` and those in `done` are acknowledged. */
export interface RestPartCursor {
  nextBatch: number;
  done: number[];
  /** Records loaded and failed so far in this part, over every attempt. */
  loaded: number;
  failed: number;
}

/** What one batch came to. */
export interface BatchOutcome {
  batch: number;
  rows: number;
  loaded: number;
  failed: number;
  failures: RecordFailure[];
}

/** Counts for a part: loaded in this call, skipped (acknowledged by an earlier attempt), failed over all attempts. */
export interface RestPartResult {
  loaded: number;
  skipped: number;
  failed: number;
  batches: number;
  cursor: RestPartCursor;
}

/** A REST target bound to its URL and options. */
export interface RestTarget {
  /** Sends every not-yet-acknowledged batch of a part; `onBatch` runs after each acknowledged batch, in any order. */
  sendPart(
    part: Table,
    context: {
      idempotencyKey(batch: number): string;
      cursor?: RestPartCursor;
      onBatch?(outcome: BatchOutcome, cursor: RestPartCursor): void | Promise<void>;
      signal?: AbortSignal;
    },
  ): Promise<RestPartResult>;
  close(): void;
}

/** The Idempotency-Key of a batch: stable across attempts, workers and runs of the same activity. */
export function idempotencyKeyFor(parts: {
  run: string;
  target: string;
  part: number;
  batch: number;
}): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.run, parts.target, parts.part, parts.batch]))
    .digest('hex');
  return `understudy-${digest.slice(0, 40)}`;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'idempotency-key',
  'connection',
  'transfer-encoding',
  'authorization',
]);

/** Creates a REST target; the URL is checked against the allowlist now (ConfigError naming `url`). */
export function createRestTarget(options: RestTargetOptions): RestTarget {
  const permit = checkTargetUrl(options.url, options.allowlist, 'url');
  const body = options.body ?? 'array';
  const batchSize = body === 'single' ? 1 : (options.batchSize ?? 100);
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase()))
      throw new ConfigError('is not a header the run may set', `headers.${name}`);
    if (/[\r\n\0]/.test(value)) throw new ConfigError('contains a line break', `headers.${name}`);
    headers[name] = value;
  }
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  headers['content-type'] = 'application/json';
  headers['user-agent'] = 'understudy-rest-target';
  const sender: HttpSender = createHttpSender(permit, concurrency);
  let renderer: { schemaKey: string; render: RowRenderer } | undefined;

  const renderFor = (part: Table): RowRenderer => {
    const schemaKey = JSON.stringify(part.columns.map((c) => c.name));
    if (renderer?.schemaKey !== schemaKey) {
      renderer = {
        schemaKey,
        render: compileRowTemplate(options.template, {
          columns: part.columns.map((c) => ({ name: c.name, type: c.type })),
        }),
      };
    }
    return renderer.render;
  };

  const encode = (records: JsonValue[]): Buffer => {
    const payload =
      body === 'array' ? records : body === 'single' ? (records[0] ?? null) : { [body.field]: records };
    return Buffer.from(JSON.stringify(payload), 'utf8');
  };

  const sendBatch = async (
    payload: Buffer,
    key: string,
    rows: number,
    first: number,
    batch: number,
    signal?: AbortSignal,
  ): Promise<BatchOutcome> => {
    let lastRetryAfter: number | undefined;
    let lastProblem = '';
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
      let answer: HttpAnswer;
      try {
        answer = await sender.send({
          method: options.method ?? 'POST',
          headers: { ...headers, 'idempotency-key': key },
          body: payload,
          timeoutMs: options.timeoutMs ?? 30_000,
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        if (error instanceof ConfigError) throw error;
        if ((error as { name?: string }).name === 'AbortError') throw error;
        lastProblem = `network error ${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
        lastRetryAfter = undefined;
        await sleep(
          backoffDelay(attempt, options.backoffBaseMs ?? 500, options.backoffCapMs ?? 30_000, random),
        );
        continue;
      }
      const { status } = answer;
      if (status >= 200 && status < 300) return outcomeOf(answer, rows, first, batch);
      if (status === 401 || status === 403)
        throw new RestRejectedError(
          `the API refused the credentials (HTTP ${status}) for batch ${batch}`,
          status,
        );
      if (status >= 300 && status < 400)
        throw new RestRejectedError(
          `the API answered a redirect (HTTP ${status}); redirects are not followed`,
          status,
        );
      if (!isRetryableStatus(status)) {
        // The API refused the whole batch (400, 409, 413, 422…): every record in it failed, and sending it again cannot help.
        const detail = errorDetail(parseJson(answer.body));
        return {
          batch,
          rows,
          loaded: 0,
          failed: rows,
          failures: Array.from({ length: rows }, (_, i) => ({ row: first + i, batch, status, ...detail })),
        };
      }
      const retryAfter = parseRetryAfter(headerText(answer.headers['retry-after']));
      lastRetryAfter = retryAfter;
      lastProblem = `HTTP ${status}`;
      if (retryAfter !== undefined && retryAfter > (options.maxRetryAfterMs ?? 60_000)) {
        throw new RestRetryableError(
          `batch ${batch}: HTTP ${status} with a Retry-After longer than this attempt waits`,
          retryAfter,
        );
      }
      if (attempt + 1 < maxAttempts) {
        await sleep(
          retryAfter ??
            backoffDelay(attempt, options.backoffBaseMs ?? 500, options.backoffCapMs ?? 30_000, random),
        );
      }
    }
    throw new RestRetryableError(
      `batch ${batch} still failing after ${maxAttempts} attempts (${lastProblem})`,
      lastRetryAfter,
    );
  };

  return {
    async sendPart(part, context) {
      const render = renderFor(part);
      const batches = Math.ceil(part.rowCount / batchSize);
      const cursor: RestPartCursor = context.cursor
        ? { ...context.cursor, done: [...context.cursor.done] }
        : { nextBatch: 0, done: [], loaded: 0, failed: 0 };
      const acknowledged = new Set(cursor.done);
      const isDone = (b: number) => b < cursor.nextBatch || acknowledged.has(b);
      const rowsOf = (b: number) => Math.min(batchSize, part.rowCount - b * batchSize);
      let skipped = 0;
      for (let b = 0; b < batches; b++) if (isDone(b)) skipped += rowsOf(b);
      const loadedBefore = cursor.loaded;
      let next = 0;
      let failure: unknown;
      const worker = async (): Promise<void> => {
        while (failure === undefined) {
          while (next < batches && isDone(next)) next++;
          if (next >= batches) return;
          const b = next++;
          const first = b * batchSize;
          const rows = rowsOf(b);
          const records: JsonValue[] = [];
          for (let r = first; r < first + rows; r++) records.push(render(part, r));
          let outcome: BatchOutcome;
          try {
            outcome = await sendBatch(
              encode(records),
              context.idempotencyKey(b),
              rows,
              first,
              b,
              context.signal,
            );
          } catch (error) {
            failure ??= error;
            return;
          }
          acknowledged.add(b);
          while (acknowledged.has(cursor.nextBatch)) acknowledged.delete(cursor.nextBatch++);
          cursor.done = [...acknowledged].sort((x, y) => x - y);
          cursor.loaded += outcome.loaded;
          cursor.failed += outcome.failed;
          await context.onBatch?.(outcome, { ...cursor, done: [...cursor.done] });
        }
      };
      // Every worker finishes its batch in flight before the first failure is rethrown, so the cursor holds every acknowledged batch.
      await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, batches)) }, worker));
      if (failure !== undefined) throw failure;
      return { loaded: cursor.loaded - loadedBefore, skipped, failed: cursor.failed, batches, cursor };
    },
    close: () => sender.close(),
  };
}

function outcomeOf(answer: HttpAnswer, rows: number, first: number, batch: number): BatchOutcome {
  const parsed = parseJson(answer.body) as { results?: unknown } | undefined;
  const results =
    parsed !== undefined && typeof parsed === 'object' && parsed !== null && Array.isArray(parsed.results)
      ? parsed.results
      : [];
  const failures: RecordFailure[] = [];
  const seen = new Set<number>();
  results.forEach((entry: unknown, position: number) => {
    if (entry === null || typeof entry !== 'object') return;
    const e = entry as { index?: unknown; status?: unknown; ok?: unknown; error?: unknown };
    const index = typeof e.index === 'number' && Number.isInteger(e.index) ? e.index : position;
    if (index < 0 || index >= rows || seen.has(index)) return;
    const statusText = typeof e.status === 'string' ? e.status.toLowerCase() : undefined;
    const statusCode = typeof e.status === 'number' ? e.status : undefined;
    const succeeded =
      e.ok === true ||
      statusText === 'ok' ||
      statusText === 'success' ||
      statusText === 'created' ||
      (statusCode !== undefined && statusCode < 400);
    const failedRecord =
      e.ok === false ||
      statusText === 'error' ||
      statusText === 'failed' ||
      statusText === 'rejected' ||
      (statusCode !== undefined && statusCode >= 400) ||
      (e.error !== undefined && e.error !== null && !succeeded);
    if (!failedRecord) return;
    seen.add(index);
    failures.push({
      row: first + index,
      batch,
      ...(statusCode === undefined ? {} : { status: statusCode }),
      ...errorDetail({ error: e.error }),
    });
  });
  failures.sort((a, b) => a.row - b.row);
  return { batch, rows, loaded: rows - failures.length, failed: failures.length, failures };
}

function errorDetail(parsed: unknown): { code?: string; message?: string } {
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return { message: error.slice(0, 300) };
  if (error !== null && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code).slice(0, 100) } : {}),
      ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}),
    };
  }
  return {};
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
