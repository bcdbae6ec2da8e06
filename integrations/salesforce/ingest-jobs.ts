/**
 * The Bulk API 2.0 ingest-job lifecycle, one call per step, through jsforce's IngestJobV2: create, upload,
 * close, check, results, abort, delete. jsforce's `bulk2.loadAndWaitForResults` is not used: when its poll
 * times out it compares the error's name with `'JobPollingTimeoutError'` while the error is named
 * `'JobPollingTimeout'`, so it deletes the job (results and all) on a timeout as on any other error.
 * Polling is ours too (`IngestJobV2.poll` throws on a Failed job before its results can be read), with our
 * interval and timeout, and a timeout leaves the job alone for the next attempt to poll.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'jsforce';
import {
  isRateLimit,
  SalesforceTransientError,
  toSalesforceError,
  type SalesforceErrorContext,
} from './errors.js';
import { JobState, type ObjectSpec } from './port.js';

/** The job fields this target reads. */
export interface IngestJobInfo {
  id: string;
  state: JobState;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string | null;
}

/** Result sets of a finished job. */
export const JobResultKind = {
  Successful: 'successfulResults',
  Failed: 'failedResults',
  Unprocessed: 'unprocessedrecords',
} as const;
/** One of {@link JobResultKind}. */
export type JobResultKind = (typeof JobResultKind)[keyof typeof JobResultKind];

/** One ingest-job call per method; every error is already mapped (see errors.ts). */
export interface BulkIngestClient {
  /** POST /jobs/ingest: a new Open job. */
  createJob(spec: ObjectSpec): Promise<IngestJobInfo>;
  /** PUT /jobs/ingest/{id}/batches: the job's only upload. */
  uploadCsv(jobId: string, csv: string): Promise<void>;
  /** PATCH state UploadComplete: Salesforce starts processing. */
  closeJob(jobId: string): Promise<IngestJobInfo>;
  /** PATCH state Aborted: an Open job's data is never processed. */
  abortJob(jobId: string): Promise<void>;
  /** GET /jobs/ingest/{id}. */
  jobInfo(jobId: string): Promise<IngestJobInfo>;
  /** GET one result set as CSV text. */
  jobResults(jobId: string, kind: JobResultKind): Promise<string>;
  /** DELETE /jobs/ingest/{id}; a job already gone counts as deleted. */
  deleteJob(jobId: string): Promise<void>;
}

/** Options of {@link createBulkIngestClient}. */
export interface BulkIngestClientOptions {
  /** Extra tries on a request-limit refusal before it surfaces as SalesforceRateLimitError. @default 4 */
  rateLimitRetries?: number;
  /** First backoff on a request-limit refusal; doubles, with jitter, per try. @default 2000 */
  rateLimitDelayMs?: number;
  /** Stops backoff waits early when the activity is cancelled. */
  signal?: AbortSignal;
}

/** A BulkIngestClient over a jsforce Connection. */
export function createBulkIngestClient(
  conn: Connection,
  options: BulkIngestClientOptions = {},
): BulkIngestClient {
  const retries = options.rateLimitRetries ?? 4;
  const baseDelay = options.rateLimitDelayMs ?? 2000;

  async function call<T>(ctx: SalesforceErrorContext, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const delay = baseDelay * 2 ** attempt * (0.75 + Math.random() * 0.5);
        if (isRateLimit(err) && attempt < retries) {
          await sleep(delay, undefined, options.signal ? { signal: options.signal } : undefined);
          continue;
        }
        throw toSalesforceError(err, ctx, Math.max(delay, 30_000));
      }
    }
  }

  const job = (id: string) => conn.bulk2.job('ingest', { id });

  return {
    async createJob(spec) {
      return call({ operation: 'create ingest job', object: spec.object }, async () => {
        const created = conn.bulk2.createJob({
          object: spec.object,
          operation: spec.operation,
          ...(spec.operation === 'upsert' && spec.externalIdField !== undefined
            ? { externalIdFieldName: spec.externalIdField }
            : {}),
          contentType: 'CSV',
          lineEnding: 'LF',
          columnDelimiter: 'COMMA',
        });
        return toInfo(await created.open());
      });
    },
    async uploadCsv(jobId, csv) {
      // A plain string body (not jsforce's streaming uploadData) so that a retried PUT resends every byte.
      await call({ operation: 'upload job data', jobId }, () =>
        conn.request({
          method: 'PUT',
          url: `/services/data/v${conn.version}/jobs/ingest/${jobId}/batches`,
          body: csv,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
    },
    async closeJob(jobId) {
      return call({ operation: 'close ingest job', jobId }, async () => {
        const j = job(jobId);
        await j.close();
        return toInfo(j.getInfo());
      });
    },
    async abortJob(jobId) {
      await call({ operation: 'abort ingest job', jobId }, () => job(jobId).abort());
    },
    async jobInfo(jobId) {
      return call({ operation: 'get ingest job', jobId }, async () => toInfo(await job(jobId).check()));
    },
    async jobResults(jobId, kind) {
      return call({ operation: `get ${kind}`, jobId }, async () => {
        const j = job(jobId);
        const raw =
          kind === JobResultKind.Successful
            ? await j.getSuccessfulResults(true)
            : kind === JobResultKind.Failed
              ? await j.getFailedResults(true)
              : await j.getUnprocessedRecords(true);
        return typeof raw === 'string' ? raw : '';
      });
    },
    async deleteJob(jobId) {
      try {
        await call({ operation: 'delete ingest job', jobId }, () => job(jobId).delete());
      } catch (err) {
        if ((err as Error).name === 'SalesforceJobNotFoundError') return;
        throw err;
      }
    },
  };
}

/** Options of {@link pollJobUntilFinished}. */
export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called after every poll (heartbeat). */
  onPoll?(info: IngestJobInfo): void;
}

/** Job states after which nothing changes. */
export const FINISHED_STATES: ReadonlySet<JobState> = new Set([
  JobState.JobComplete,
  JobState.Failed,
  JobState.Aborted,
]);

/**
 * Polls a closed job until JobComplete, Failed or Aborted and returns its info; past the timeout it throws
 * SalesforceTransientError and leaves the job untouched, so the next attempt polls the same job.
 */
export async function pollJobUntilFinished(
  client: BulkIngestClient,
  jobId: string,
  options: PollOptions,
): Promise<IngestJobInfo> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const info = await client.jobInfo(jobId);
    options.onPoll?.(info);
    if (FINISHED_STATES.has(info.state)) return info;
    if (Date.now() + options.intervalMs > deadline) {
      throw new SalesforceTransientError(
        `ingest job ${jobId} still ${info.state} after ${Math.round(options.timeoutMs / 1000)} s; the next attempt polls it again`,
      );
    }
    await sleep(options.intervalMs, undefined, options.signal ? { signal: options.signal } : undefined);
  }
}

function toInfo(raw: unknown): IngestJobInfo {
  const r = raw as Partial<IngestJobInfo> & { id?: unknown; state?: unknown };
  if (typeof r.id !== 'string' || typeof r.state !== 'string') {
    throw new SalesforceTransientError('Salesforce answered a job call without an id or state');
  }
  return {
    id: r.id,
    state: r.state as JobState,
    ...(typeof r.numberRecordsProcessed === 'number'
      ? { numberRecordsProcessed: r.numberRecordsProcessed }
      : {}),
    ...(typeof r.numberRecordsFailed === 'number' ? { numberRecordsFailed: r.numberRecordsFailed } : {}),
    ...(r.errorMessage !== undefined ? { errorMessage: r.errorMessage } : {}),
  };
}
