/**
 * The batch loop of a load: each batch through DatabaseTarget.loadBatch (its own transaction with the lease
 * check and the ledger row), the next batch read while the current one is written.
 */
import type { Table } from '../../core/table.js';
import type { CsvRows, DatabaseTarget, LoadBatchResult, LoadStrategy } from './port.js';

/** One batch of rows with its stable id. */
export interface SourceBatch {
  /** Stable across retries and re-runs: the ledger key of the batch. */
  batchId: string;
  /** 0-based index of the batch's first row in its source. */
  startRow: number;
  rows: Table | CsvRows;
}

/** What every batch of one load shares. */
export interface LoadBatchesRequest {
  runId: string;
  table: string;
  token: string;
  strategy: LoadStrategy;
  /** Upsert key (strategy `upsert`). */
  upsertKey?: readonly string[];
}

/** Rows and batches a load wrote, and those an earlier attempt had already committed. */
export interface LoadBatchesOutput {
  loadedRows: number;
  skippedRows: number;
  batches: number;
  skippedBatches: number;
}

/**
 * Loads `batches` in order. Reading (parsing) batch k+1 overlaps the write of batch k, so a CPU-bound
 * reader and the database work at the same time. `onBatch` runs after each batch commits or is skipped;
 * `onError` may translate an error of a batch (e.g. to name the source row).
 */
export async function loadBatches(
  db: DatabaseTarget,
  req: LoadBatchesRequest,
  batches: AsyncIterable<SourceBatch>,
  hooks: {
    onBatch?: (batch: SourceBatch, result: LoadBatchResult) => void;
    onError?: (batch: SourceBatch, err: unknown) => unknown;
    signal?: AbortSignal;
  } = {},
): Promise<LoadBatchesOutput> {
  const out: LoadBatchesOutput = { loadedRows: 0, skippedRows: 0, batches: 0, skippedBatches: 0 };
  const iterator = batches[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<SourceBatch>> | undefined = iterator.next();
  try {
    for (;;) {
      const current = await pending;
      pending = undefined;
      if (current.done) return out;
      hooks.signal?.throwIfAborted();
      const batch = current.value;
      pending = iterator.next();
      // Observed now: if the write fails first, a failed read must not become an unhandled rejection.
      pending.catch(() => undefined);
      let result: LoadBatchResult;
      try {
        result = await db.loadBatch({
          runId: req.runId,
          table: req.table,
          token: req.token,
          batchId: batch.batchId,
          rows: batch.rows,
          strategy: req.strategy,
          ...(req.upsertKey !== undefined ? { upsertKey: req.upsertKey } : {}),
        });
      } catch (err) {
        throw hooks.onError ? hooks.onError(batch, err) : err;
      }
      out.batches += 1;
      if (result.status === 'loaded') out.loadedRows += result.rows;
      else {
        out.skippedBatches += 1;
        out.skippedRows += result.rows;
      }
      hooks.onBatch?.(batch, result);
    }
  } finally {
    if (pending !== undefined) await pending.catch(() => undefined);
    await iterator.return?.();
  }
}
