/**
 * Stage distribute: loads the synthetic parts into database targets exactly once (load ledger + lease
 * fencing, one transaction per batch) and writes file targets.
 */
import { activityInfo, cancellationSignal, CancelledFailure, heartbeat } from '@temporalio/activity';
import type { PhysicalType } from '../core/table.js';
import {
  createDatabaseTarget,
  mapColumns,
  mapSchema,
  redactUrl,
  type DatabaseTarget,
} from '../integrations/database/index.js';
import { exportParts } from '../integrations/tabular/export-parts.js';
import { detectFormat, readParquetBatches } from '../integrations/tabular/index.js';
import type { DatabaseTargetConfig } from '../workflows/pipeline/config-schema.js';
import { databaseTargetUrl, tableOf } from './database-url.js';
import type { ActivityDeps } from './deps.js';
import { whileHeartbeating } from './heartbeat.js';
import { partUri, resolveOutputPath } from './paths.js';

/** Input of prepareDatabaseTarget. */
export interface PrepareDatabaseTargetInput {
  runKey: string;
  target: DatabaseTargetConfig;
  schema: { name: string; type: string }[];
}
/** Input of loadPart. */
export interface LoadPartInput {
  runKey: string;
  target: DatabaseTargetConfig;
  partsPrefix: string;
  partIndex: number;
}
/** Output of loadPart. */
export interface LoadPartOutput {
  loadedRows: number;
  skippedBatches: number;
  /** Rows of the skipped batches (committed by an earlier attempt); absent in outputs recorded before it was counted. */
  skippedRows?: number;
  batches: number;
}
/** Input of verifyDatabaseTarget. */
export interface VerifyDatabaseTargetInput {
  runKey: string;
  target: DatabaseTargetConfig;
}
/** Output of verifyDatabaseTarget. */
export interface VerifyDatabaseTargetOutput {
  /** Rows this run loaded, according to the ledger. */
  ledgerRows: number;
  /** Rows in the table now (other writers included). */
  tableRows: number;
  /** Where the data went, with credentials redacted. */
  target: string;
}
/**
 * A file target as runs started before the file, S3 and REST targets existed gave it (their histories
 * replay through exportFile; newer runs use writeFileTarget in distribute-targets.ts).
 */
export interface LegacyFileTarget {
  type: 'file';
  path: string;
  format?: 'csv' | 'json' | 'jsonl' | 'parquet';
}
/** Input of exportFile. */
export interface ExportFileInput {
  runKey: string;
  target: LegacyFileTarget;
  partsPrefix: string;
  partCount: number;
}
/** Output of exportFile. */
export interface ExportFileOutput {
  uri: string;
  rows: number;
  sha256: string;
}

interface LoadCursor {
  nextBatch: number;
}

/** Creates the distribute activities. */
export function createDistributeActivities(deps: ActivityDeps) {
  const targetUrl = (target: DatabaseTargetConfig): string => databaseTargetUrl(target, deps);

  async function withTarget<T>(
    target: DatabaseTargetConfig,
    use: (db: DatabaseTarget) => Promise<T>,
  ): Promise<T> {
    const db = createDatabaseTarget(targetUrl(target), { baseDir: deps.baseDir });
    try {
      return await use(db);
    } finally {
      await db.close();
    }
  }

  /** A token unique to this attempt: a retry takes the lease over and fences the attempt before it. */
  function attemptToken(): string {
    const info = activityInfo();
    return `${info.workflowExecution?.runId ?? 'standalone'}:${info.activityId}:${info.attempt}`;
  }

  return {
    /**
     * Creates the table if absent (with its configured primary key) or checks the live table against the
     * synthetic schema (columns mapped as configured), then applies the strategy: truncate_insert empties
     * the table exactly once per run, upsert checks its key, replace_swap creates the staging table.
     */
    async prepareDatabaseTarget(input: PrepareDatabaseTargetInput): Promise<void> {
      const { target } = input;
      const table = tableOf(target);
      const schema = mapSchema(
        { columns: input.schema.map((c) => ({ name: c.name, type: c.type as PhysicalType })) },
        target.columns,
        'targets[].columns',
      );
      await withTarget(target, async (db) => {
        const token = attemptToken();
        await db.ensureTable(table, schema, target.primaryKey ? { primaryKey: target.primaryKey } : {});
        await db.acquireLease({ runId: input.runKey, table, token });
        await db.prepareLoad({
          runId: input.runKey,
          table,
          strategy: target.strategy,
          token,
          ...(target.key ? { key: target.key } : {}),
        });
      });
    },

    /** Loads one synthetic part batch by batch, heartbeating the batch cursor and resuming from it. */
    async loadPart(input: LoadPartInput): Promise<LoadPartOutput> {
      const uri = partUri(input.partsPrefix, input.partIndex);
      const path = await deps.store.localCopy(uri);
      const { batchSize } = input.target;
      const table = tableOf(input.target);
      const cursor: LoadCursor = (activityInfo().heartbeatDetails as LoadCursor | undefined) ?? {
        nextBatch: 0,
      };
      const cancelled = cancellationSignal();
      return withTarget(input.target, async (db) => {
        const token = attemptToken();
        await db.acquireLease({ runId: input.runKey, table, token });
        const out: LoadPartOutput = { loadedRows: 0, skippedBatches: 0, skippedRows: 0, batches: 0 };
        let b = cursor.nextBatch;
        for await (const batch of readParquetBatches(path, { batchSize, startRow: b * batchSize })) {
          // Stop between batches: every committed batch is whole, and the next attempt resumes here.
          if (cancelled.aborted) throw new CancelledFailure('load cancelled between batches');
          const result = await db.loadBatch({
            runId: input.runKey,
            table,
            batchId: `part-${String(input.partIndex).padStart(6, '0')}/batch-${String(b).padStart(6, '0')}`,
            token,
            rows: mapColumns(batch.table, input.target.columns),
            strategy: input.target.strategy,
            ...(input.target.strategy === 'upsert' && input.target.key
              ? { upsertKey: input.target.key }
              : {}),
          });
          out.batches += 1;
          if (result.status === 'loaded') out.loadedRows += result.rows;
          else {
            out.skippedBatches += 1;
            out.skippedRows = (out.skippedRows ?? 0) + result.rows;
          }
          b += 1;
          heartbeat({ nextBatch: b } satisfies LoadCursor);
        }
        return out;
      });
    },

    /**
     * Finishes the load (replace_swap: swaps the staging table in, exactly once) and reconciles the
     * target: rows per the ledger and rows in the table.
     */
    async verifyDatabaseTarget(input: VerifyDatabaseTargetInput): Promise<VerifyDatabaseTargetOutput> {
      const table = tableOf(input.target);
      return withTarget(input.target, async (db) => {
        const token = attemptToken();
        await db.acquireLease({ runId: input.runKey, table, token });
        // A swap (replace_swap) copies or renames the whole table: heartbeat while it runs.
        await whileHeartbeating(
          db.finishLoad({
            runId: input.runKey,
            table,
            token,
            strategy: input.target.strategy,
          }),
          { phase: 'finish-load' },
        );
        const ledger = await db.ledger({ runId: input.runKey, table });
        const tableRows = await db.countRows(table);
        return {
          ledgerRows: ledger.rows,
          tableRows,
          target: `${redactUrl(targetUrl(input.target))}#${table}`,
        };
      });
    },

    /** Writes all parts, in order, to one CSV, JSON, JSONL or Parquet file inside the output root. */
    async exportFile(input: ExportFileInput): Promise<ExportFileOutput> {
      const out = resolveOutputPath(deps.outputRoot, input.target.path, 'targets[].path');
      const format = detectFormat(out, input.target.format);
      const parts = Array.from({ length: input.partCount }, (_, k) =>
        deps.store.localPath(partUri(input.partsPrefix, k)),
      );
      const written = await exportParts(parts, out, format, () => heartbeat());
      return { uri: `file://${out}`, rows: written.rows, sha256: written.sha256 };
    },
  };
}

/** The distribute activities. */
export type DistributeActivities = ReturnType<typeof createDistributeActivities>;
