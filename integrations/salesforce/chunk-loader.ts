/**
 * Loads one chunk of an object's rows through as few ingest jobs as possible and resumes from a
 * {@link ChunkCursor}: the cursor is saved (heartbeat, journal) after every step that creates, closes or
 * counts a job, before the next step, so a restarted attempt never creates a second job for records a
 * job already holds, never counts a job twice, and deletes a job only after its results are counted.
 */
import { parseBulkCsv, toBulkCsv } from './bulk-csv.js';
import { JobResultKind, pollJobUntilFinished, type BulkIngestClient } from './ingest-jobs.js';
import { ChunkPhase, JobState, type ChunkCursor, type ObjectSpec, type RecordFailure } from './port.js';
import { sanitizeJobError, sanitizeRecordError } from './record-errors.js';

/** Status code reported for records that no job processed, after every allowed resubmission. */
export const UNPROCESSED_STATUS = 'UNPROCESSED';

/** Tunables of {@link loadChunk}. */
export interface ChunkLoadOptions {
  pollIntervalMs: number;
  pollTimeoutMs: number;
  /** How many times unprocessed records are sent again in a new job. */
  maxResubmits: number;
  /** Delete each job once its results are counted and saved. */
  deleteJobs: boolean;
  /** Failures kept with row and fields (the count per status code is always complete). */
  maxReportedFailures: number;
  signal?: AbortSignal;
}

/** One chunk: the rows, already encoded, and how to persist progress. */
export interface ChunkLoad {
  client: BulkIngestClient;
  spec: ObjectSpec;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Row number of `rows[0]` in the object's table, so failures name table rows. */
  rowOffset: number;
  options: ChunkLoadOptions;
  /** Persists the cursor (heartbeat details and journal); awaited before the next call to Salesforce. */
  save(cursor: ChunkCursor): Promise<void>;
  /** Called on every poll, to heartbeat while Salesforce works. */
  onPoll?(cursor: ChunkCursor): void;
}

/** Drives the chunk from `start` to phase `done` and returns the final cursor. */
export async function loadChunk(load: ChunkLoad, start: ChunkCursor): Promise<ChunkCursor> {
  const cursor: ChunkCursor = structuredClone(start);
  const { client, spec, options } = load;
  // Jobs this attempt created: only those are known to have had no upload yet.
  const createdHere = new Set<string>();

  for (;;) {
    options.signal?.throwIfAborted();
    switch (cursor.phase) {
      case ChunkPhase.Creating: {
        if (pendingRows(cursor, load.rows.length).length === 0) {
          cursor.phase = ChunkPhase.Counted;
          break;
        }
        const info = await client.createJob(spec);
        createdHere.add(info.id);
        if (cursor.resubmits > 0 || cursor.jobId !== undefined) cursor.resubmittedJobs.push(info.id);
        cursor.jobId = info.id;
        cursor.phase = ChunkPhase.Uploading;
        await load.save(cursor);
        break;
      }
      case ChunkPhase.Uploading: {
        const jobId = required(cursor.jobId);
        if (!createdHere.has(jobId)) {
          // An earlier attempt stopped between create and close: if the job was closed it is Salesforce's now
          // and is polled; if still Open its upload may be partial, so it is aborted (never processed) and replaced.
          const info = await client.jobInfo(jobId);
          if (info.state === JobState.Open) {
            await client.abortJob(jobId);
            replaceJob(cursor, jobId);
          } else if (info.state === JobState.Aborted) {
            replaceJob(cursor, jobId);
          } else {
            cursor.phase = ChunkPhase.Polling;
          }
          await load.save(cursor);
          break;
        }
        const rows = pendingRows(cursor, load.rows.length);
        try {
          await client.uploadCsv(
            jobId,
            toBulkCsv(
              load.header,
              rows.map((r) => load.rows[r] ?? []),
            ),
          );
        } catch (err) {
          // A job takes one upload only; after a failed one the job is abandoned, not uploaded again.
          await client.abortJob(jobId).catch(() => undefined);
          replaceJob(cursor, jobId);
          await load.save(cursor);
          throw err;
        }
        await client.closeJob(jobId);
        cursor.phase = ChunkPhase.Polling;
        await load.save(cursor);
        break;
      }
      case ChunkPhase.Polling: {
        const jobId = required(cursor.jobId);
        const info = await pollJobUntilFinished(client, jobId, {
          intervalMs: options.pollIntervalMs,
          timeoutMs: options.pollTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          onPoll: () => load.onPoll?.(cursor),
        });
        await countResults(
          load,
          cursor,
          jobId,
          info.state === JobState.Failed ? sanitizeJobError(info.errorMessage) : undefined,
        );
        await load.save(cursor);
        break;
      }
      case ChunkPhase.Counted: {
        if (options.deleteJobs) {
          for (const jobId of [...cursor.undeletedJobs]) {
            await client.deleteJob(jobId);
            cursor.undeletedJobs = cursor.undeletedJobs.filter((j) => j !== jobId);
          }
        }
        cursor.phase = ChunkPhase.Done;
        await load.save(cursor);
        break;
      }
      case ChunkPhase.Done:
        return cursor;
    }
  }
}

/** Reads a finished job's three result sets and folds them into the cursor; unprocessed rows go to a new job or are reported. */
async function countResults(
  load: ChunkLoad,
  cursor: ChunkCursor,
  jobId: string,
  jobError: string | undefined,
): Promise<void> {
  const { client, header, options } = load;
  const pending = pendingRows(cursor, load.rows.length);
  const rowOf = rowMatcher(
    header,
    pending.map((r) => [r, load.rows[r] ?? []] as const),
  );
  const [ok, failed, unprocessed] = await Promise.all([
    client.jobResults(jobId, JobResultKind.Successful),
    client.jobResults(jobId, JobResultKind.Failed),
    client.jobResults(jobId, JobResultKind.Unprocessed),
  ]);
  const okRows = parseBulkCsv(ok).rows.length;
  cursor.counts.loaded += okRows;

  const failedCsv = parseBulkCsv(failed);
  const errorAt = failedCsv.header.indexOf('sf__Error');
  for (const rec of failedCsv.rows) {
    const row = rowOf(failedCsv.header, rec);
    const { statusCode, fields } = sanitizeRecordError(rec[errorAt] ?? '', header);
    addFailure(
      cursor,
      { row: row < 0 ? -1 : row + load.rowOffset, statusCode, fields },
      options.maxReportedFailures,
    );
  }

  const unprocessedCsv = parseBulkCsv(unprocessed);
  const again: number[] = [];
  for (const rec of unprocessedCsv.rows) {
    const row = rowOf(unprocessedCsv.header, rec);
    if (row >= 0) again.push(row);
    else
      addFailure(
        cursor,
        { row: -1, statusCode: UNPROCESSED_STATUS, fields: [] },
        options.maxReportedFailures,
      );
  }
  if (jobError !== undefined && !cursor.jobErrors.includes(jobError)) cursor.jobErrors.push(jobError);
  cursor.undeletedJobs.push(jobId);

  // A malformed upload (InvalidBatch) fails the same way every time; anything else is worth sending again.
  const resubmit = again.length > 0 && cursor.resubmits < options.maxResubmits && jobError !== 'InvalidBatch';
  if (resubmit) {
    cursor.resubmits += 1;
    cursor.pendingRanges = toRanges(again);
    cursor.phase = ChunkPhase.Creating;
  } else {
    for (const r of again) {
      addFailure(
        cursor,
        { row: r + load.rowOffset, statusCode: jobError ?? UNPROCESSED_STATUS, fields: [] },
        options.maxReportedFailures,
      );
    }
    cursor.pendingRanges = [];
    cursor.phase = ChunkPhase.Counted;
  }
}

function addFailure(cursor: ChunkCursor, failure: RecordFailure, cap: number): void {
  cursor.counts.failed += 1;
  cursor.failuresByStatus[failure.statusCode] = (cursor.failuresByStatus[failure.statusCode] ?? 0) + 1;
  if (cursor.failures.length < cap) cursor.failures.push(failure);
}

/** Marks a job as abandoned and sends the chunk's pending rows to a new job. */
function replaceJob(cursor: ChunkCursor, jobId: string): void {
  cursor.undeletedJobs.push(jobId);
  cursor.phase = ChunkPhase.Creating;
}

function required(jobId: string | undefined): string {
  if (jobId === undefined) throw new Error('chunk cursor has no job id in a phase that needs one');
  return jobId;
}

/**
 * Result records carry the fields exactly as uploaded, but in no guaranteed order: a record is matched to
 * its row by the row's cells in header order (identical rows are handed out one by one). Returns -1 when unmatched.
 */
function rowMatcher(header: readonly string[], rows: readonly (readonly [number, readonly string[]])[]) {
  const byKey = new Map<string, number[]>();
  for (const [r, cells] of rows) {
    const key = cells.join('\u0000');
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  return (resultHeader: readonly string[], rec: readonly string[]): number => {
    const at = header.map((h) => resultHeader.indexOf(h));
    if (at.some((i) => i < 0)) return -1;
    const key = at.map((i) => rec[i] ?? '').join('\u0000');
    const list = byKey.get(key);
    return list === undefined || list.length === 0 ? -1 : (list.shift() as number);
  };
}

/** Chunk rows still waiting for a job. */
export function pendingRows(cursor: ChunkCursor, rowCount: number): number[] {
  if (cursor.pendingRanges === undefined) return Array.from({ length: rowCount }, (_, i) => i);
  const out: number[] = [];
  for (const [a, b] of cursor.pendingRanges) for (let r = a; r < b; r++) out.push(r);
  return out;
}

/** Sorted row numbers as [start, end) ranges, which keep heartbeat details small. */
export function toRanges(rows: readonly number[]): [number, number][] {
  const sorted = [...rows].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] === r) last[1] = r + 1;
    else if (!last || last[1] < r) out.push([r, r + 1]);
  }
  return out;
}
