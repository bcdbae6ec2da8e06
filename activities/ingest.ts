/** Stage ingest: validate the source file strictly and store it as the run's Parquet sample. */
import { heartbeat } from '@temporalio/activity';
import {
  detectFormat,
  readTableFile,
  validateSourceFile,
  writeTableFile,
} from '../integrations/tabular/index.js';
import type { ActivityDeps } from './deps.js';
import { resolveSourcePath, runArtifact } from './paths.js';

/** Input of {@link IngestActivities.ingestSource}. */
export interface IngestSourceInput {
  runKey: string;
  source: { uri: string; format?: 'csv' | 'json' | 'jsonl' | 'parquet'; maxRows?: number };
}

/** Output of {@link IngestActivities.ingestSource}. */
export interface IngestSourceOutput {
  sampleUri: string;
  schema: { name: string; type: string }[];
  rows: number;
  sha256: string;
}

/** Creates the ingest activities. */
export function createIngestActivities(deps: ActivityDeps) {
  return {
    /** Reads CSV, JSON, JSONL or Parquet; malformed input fails with a DataError naming file, line and column. */
    async ingestSource({ runKey, source }: IngestSourceInput): Promise<IngestSourceOutput> {
      const file = resolveSourcePath(source.uri, deps.baseDir);
      const format = detectFormat(file, source.format);
      heartbeat({ phase: 'validate' });
      await validateSourceFile(file, format, { displayName: source.uri });
      heartbeat({ phase: 'read' });
      const table = await readTableFile(file, format, { displayName: source.uri, maxRows: source.maxRows });
      const sampleUri = runArtifact(deps.store, runKey, 'sample.parquet');
      const ref = await deps.store.writeWith(sampleUri, async (tmp) => {
        await writeTableFile(table, tmp, 'parquet');
      });
      return {
        sampleUri,
        schema: table.columns.map((c) => ({ name: c.name, type: c.type })),
        rows: table.rowCount,
        sha256: ref.sha256,
      };
    },
  };
}

/** The ingest activities. */
export type IngestActivities = ReturnType<typeof createIngestActivities>;
