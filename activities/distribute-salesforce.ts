/**
 * Stage distribute, Salesforce target: loads synthetic tables into Salesforce objects through Bulk API 2.0
 * ingest jobs, parents before children. Progress (object, job id, phase, resubmitted jobs, counts) is kept
 * in heartbeat details and, because the SDK throttles heartbeats, also in a journal in the artifact store;
 * a restarted attempt resumes from the newer of the two and polls the job it finds there.
 */
import {
  activityInfo,
  ApplicationFailure,
  cancellationSignal,
  CancelledFailure,
  heartbeat,
} from '@temporalio/activity';
import type { Connection } from 'jsforce';
import { ConfigError } from '../core/errors.js';
import { ArtifactNotFoundError } from '../integrations/storage/index.js';
import {
  connectSalesforce,
  createBulkIngestClient,
  createTargetCursor,
  loadSalesforceTarget,
  readSalesforceCredentials,
  resumeTargetCursor,
  SalesforceApiError,
  SalesforceJobNotFoundError,
  SalesforceRateLimitError,
  type ChunkPhase,
  type ObjectLoadReport,
  type ObjectSource,
  type ObjectSpec,
  type SalesforceCredentials,
  type TargetCursor,
} from '../integrations/salesforce/index.js';
import { countParquetRows, readParquetBatches, readParquetSchema } from '../integrations/tabular/index.js';
import type { SalesforceTargetConfig } from '../workflows/pipeline/salesforce-target-schema.js';
import type { ActivityDeps } from './deps.js';
import { partUri, runArtifact } from './paths.js';

/** Failure types of this target (ApplicationFailure.type), beside the shared ones in workflows/common/errors.ts. */
export const SalesforceFailureType = {
  /** Salesforce's request limits were hit; the failure carries nextRetryDelay. */
  RateLimited: 'SalesforceRateLimited',
  /** The job named in the heartbeat or journal is gone; retrying cannot find it again. */
  JobNotFound: 'SalesforceJobNotFound',
  /** Salesforce refused a call for a reason retrying cannot cure (unsupported object, invalid job). */
  ApiError: 'SalesforceApiError',
} as const;

/** Where one table's synthetic parts are. */
export interface SalesforceTableParts {
  partsPrefix: string;
  partCount: number;
}

/** Input of loadSalesforceTarget. */
export interface LoadSalesforceTargetInput {
  runKey: string;
  target: SalesforceTargetConfig;
  /** Parts of each synthetic table, by table name (an object reads `table`, or its own name). */
  tables: Record<string, SalesforceTableParts>;
  /** Config path of the target, named in errors. @default "target" */
  field?: string;
}

/** Output of loadSalesforceTarget: per-object counts and the target's totals. */
export interface LoadSalesforceTargetOutput {
  target: string;
  objects: ObjectLoadReport[];
  totals: { loaded: number; skipped: number; failed: number; durationMs: number };
}

/** Heartbeat details: what the Temporal UI shows, and everything a restarted attempt needs. */
export interface SalesforceHeartbeat {
  object?: string;
  jobId?: string;
  phase: ChunkPhase | 'starting' | 'finished';
  resubmittedJobs: string[];
  cursor: TargetCursor;
}

/** What the Salesforce activities need beyond the shared dependencies (all optional, for tests and benches). */
export interface SalesforceActivityDeps extends ActivityDeps {
  /** Credentials of a connection; reads `UNDERSTUDY_SF_*` from the worker's environment by default. */
  salesforceCredentials?(connection: string | undefined): SalesforceCredentials;
  /** Request-limit backoff inside one attempt. @default { retries: 4, delayMs: 2000 } */
  salesforceRateLimit?: { retries: number; delayMs: number };
  /** Heartbeat period while uploads and result downloads run. @default 5000 */
  salesforceHeartbeatMs?: number;
}

/** Creates the Salesforce distribute activities. */
export function createSalesforceActivities(deps: SalesforceActivityDeps) {
  const credentialsOf =
    deps.salesforceCredentials ?? ((c: string | undefined) => readSalesforceCredentials(process.env, c));

  function journalUri(runKey: string, target: string): string {
    return runArtifact(deps.store, runKey, 'salesforce', target, 'cursor.json');
  }

  async function readJournal(uri: string): Promise<TargetCursor | undefined> {
    try {
      return await deps.store.getJson<TargetCursor>(uri);
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) return undefined;
      throw err;
    }
  }

  function sourceOf(input: LoadSalesforceTargetInput, spec: ObjectSpec & { table?: string }): ObjectSource {
    const tableName = spec.table ?? spec.object;
    const parts = input.tables[tableName];
    if (parts === undefined) {
      const i = input.target.objects.findIndex((o) => o.object === spec.object);
      throw new ConfigError(
        `no synthetic table "${tableName}" for object ${spec.object}`,
        `${input.field ?? 'target'}.objects[${i}].table`,
      );
    }
    const perJob = input.target.recordsPerJob;
    const paths = async () =>
      Promise.all(
        Array.from({ length: parts.partCount }, (_, k) =>
          deps.store.localCopy(partUri(parts.partsPrefix, k)),
        ),
      );
    return {
      async columns() {
        const [first] = await paths();
        return first === undefined ? [] : (await readParquetSchema(first)).columns.map((c) => c.name);
      },
      async *chunks(from) {
        // Chunks never span parts, so chunk k is the same rows on every attempt.
        let k = 0;
        let before = 0;
        for (const path of await paths()) {
          const rows = await countParquetRows(path);
          const inPart = Math.ceil(rows / perJob);
          if (k + inPart <= from) {
            k += inPart;
            before += rows;
            continue;
          }
          const skip = Math.max(0, from - k);
          k += skip;
          for await (const batch of readParquetBatches(path, {
            batchSize: perJob,
            startRow: skip * perJob,
          })) {
            yield { startRow: before + batch.startRow, table: batch.table };
            k += 1;
          }
          before += rows;
        }
      },
    };
  }

  return {
    /** Loads a target's objects through Bulk API 2.0 ingest jobs, resuming the job an earlier attempt left. */
    async loadSalesforceTarget(input: LoadSalesforceTargetInput): Promise<LoadSalesforceTargetOutput> {
      const { target } = input;
      const journal = journalUri(input.runKey, target.name);
      const fromHeartbeat = (activityInfo().heartbeatDetails as SalesforceHeartbeat | undefined)?.cursor;
      const fromJournal = await readJournal(journal);
      const newest = [fromHeartbeat, fromJournal].reduce<TargetCursor | undefined>(
        (a, b) => (b !== undefined && (a === undefined || b.seq > a.seq) ? b : a),
        undefined,
      );
      const start = newest === undefined ? createTargetCursor() : resumeTargetCursor(newest);

      const signal = cancellationSignal();
      let details: SalesforceHeartbeat = toHeartbeat(start, 'starting');
      heartbeat(details);
      const timer = setInterval(() => heartbeat(details), deps.salesforceHeartbeatMs ?? 5000);
      const objects = target.objects.map((o) => ({ ...o, lookups: o.lookups ?? [] }));
      try {
        const conn: Connection = await connectSalesforce(credentialsOf(target.connection), {
          apiVersion: target.apiVersion,
        });
        const client = createBulkIngestClient(conn, {
          rateLimitRetries: deps.salesforceRateLimit?.retries ?? 4,
          rateLimitDelayMs: deps.salesforceRateLimit?.delayMs ?? 2000,
          signal,
        });
        const reports = await loadSalesforceTarget(
          {
            conn,
            client,
            objects,
            field: input.field ?? 'target',
            source: (object) =>
              sourceOf(
                input,
                objects.find((o) => o.object === object) ?? { object, operation: 'insert', lookups: [] },
              ),
            options: {
              pollIntervalMs: target.pollInterval,
              pollTimeoutMs: target.pollTimeout,
              maxResubmits: target.maxResubmits,
              deleteJobs: target.deleteJobs,
              maxReportedFailures: target.maxReportedFailures,
              signal,
            },
            save: async (cursor) => {
              // The journal is written first: it is durable at once, while heartbeats may be throttled.
              await deps.store.putJson(journal, cursor);
              details = toHeartbeat(
                cursor,
                cursor.current?.chunk.phase ?? (cursor.done.length > 0 ? 'done' : 'starting'),
              );
              heartbeat(details);
            },
            onPoll: () => heartbeat(details),
          },
          start,
        );
        details = { ...details, phase: 'finished' };
        heartbeat(details);
        return {
          target: target.name,
          objects: reports,
          totals: reports.reduce(
            (t, r) => ({
              loaded: t.loaded + r.loaded,
              skipped: t.skipped + r.skipped,
              failed: t.failed + r.failed,
              durationMs: t.durationMs + r.durationMs,
            }),
            { loaded: 0, skipped: 0, failed: 0, durationMs: 0 },
          ),
        };
      } catch (err) {
        if (signal.aborted)
          throw new CancelledFailure(
            'Salesforce load cancelled; the next attempt resumes from the heartbeat',
          );
        throw toSalesforceFailure(err);
      } finally {
        clearInterval(timer);
      }
    },
  };
}

/** The Salesforce distribute activities. */
export type SalesforceActivities = ReturnType<typeof createSalesforceActivities>;

function toHeartbeat(cursor: TargetCursor, phase: SalesforceHeartbeat['phase']): SalesforceHeartbeat {
  const chunk = cursor.current?.chunk;
  return {
    ...(cursor.current ? { object: cursor.current.report.object } : {}),
    ...(chunk?.jobId !== undefined ? { jobId: chunk.jobId } : {}),
    phase,
    resubmittedJobs: cursor.current?.report.resubmittedJobs ?? [],
    cursor,
  };
}

/** Salesforce-specific errors become typed failures; shared domain errors are left to activities/failures.ts. */
function toSalesforceFailure(err: unknown): unknown {
  if (err instanceof SalesforceRateLimitError) {
    return ApplicationFailure.create({
      message: err.message,
      type: SalesforceFailureType.RateLimited,
      nextRetryDelay: err.retryAfterMs,
    });
  }
  if (err instanceof SalesforceJobNotFoundError) {
    return ApplicationFailure.create({
      message: err.message,
      type: SalesforceFailureType.JobNotFound,
      nonRetryable: true,
    });
  }
  if (err instanceof SalesforceApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: SalesforceFailureType.ApiError,
      nonRetryable: true,
      details: [{ errorCode: err.errorCode }],
    });
  }
  return err;
}
