/** Stage evaluate: per-column shape similarity of the synthetic parts against the sample. */
import { heartbeat } from '@temporalio/activity';
import type { SensitivityReport } from '../core/pii/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import { columnShapeScores, summarizeQuality, type QualityReport } from '../core/quality/index.js';
import { withoutSensitive } from '../core/quality/scoring-profile.js';
import { concatTables, type Table } from '../core/table.js';
import { readTableFile } from '../integrations/tabular/index.js';
import type { ActivityDeps } from './deps.js';
import { partUri, runArtifact } from './paths.js';
import { readJsonArtifact, readTableArtifact } from './sample-cache.js';

/** Input of evaluateQuality. */
export interface EvaluateQualityInput {
  runKey: string;
  sampleUri: string;
  profileUri: string;
  /** The (approved) sensitivity report: faked columns are replaced on purpose, so they are not scored for shape. */
  sensitivityUri: string;
  partsPrefix: string;
  partCount: number;
  /** Exact copies of sample rows, counted by the chunks while they were in memory. */
  exactCopies: number;
  /** Synthetic rows those chunks checked. */
  rowsChecked: number;
  /** Synthetic rows compared for shape, taken from the head of every part (each part is an independent sample). @default 200000 */
  maxShapeRows?: number;
}
/** Output of evaluateQuality. */
export interface EvaluateQualityOutput {
  qualityUri: string;
  score: number;
  exactCopies: number;
  rowsChecked: number;
}

/** Creates the evaluate activities. */
export function createEvaluateActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /** Scores the synthetic parts against the sample (KS complement for numbers and dates, TV complement for categories). */
    async evaluateQuality(input: EvaluateQualityInput): Promise<EvaluateQualityOutput> {
      const sample = await readTableArtifact(store, input.sampleUri);
      const profile = withoutSensitive(
        await readJsonArtifact<DatasetProfile>(store, input.profileUri),
        await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri),
      );
      const perPart = Math.max(1, Math.ceil((input.maxShapeRows ?? 200_000) / input.partCount));
      const slices: Table[] = [];
      for (let k = 0; k < input.partCount; k++) {
        const uri = partUri(input.partsPrefix, k);
        slices.push(await readTableFile(store.localPath(uri), 'parquet', { displayName: uri, maxRows: perPart }));
        heartbeat({ part: k });
      }
      const scores = columnShapeScores(sample, concatTables(slices), profile);
      const report: QualityReport = summarizeQuality(scores, input.exactCopies, input.rowsChecked);
      const qualityUri = runArtifact(store, input.runKey, 'quality.json');
      await store.putJson(qualityUri, report);
      return { qualityUri, score: report.score, exactCopies: report.exactCopies, rowsChecked: input.rowsChecked };
    },
  };
}

/** The evaluate activities. */
export type EvaluateActivities = ReturnType<typeof createEvaluateActivities>;
