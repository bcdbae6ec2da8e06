/** Stage evaluate: per-column shape similarity and the exact-copy check, part by part. */
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { SensitivityReport } from '../core/pii/index.js';
import { withoutSensitive } from '../core/quality/scoring-profile.js';
import type { DatasetProfile } from '../core/profile/index.js';
import {
  columnShapeScores,
  countExactCopies,
  fingerprintTable,
  summarizeQuality,
  type QualityReport,
} from '../core/quality/index.js';
import { concatTables, takeEvenly, type Table } from '../core/table.js';
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
  /** Synthetic rows compared for shape (taken evenly from every part). @default 200000 */
  maxShapeRows?: number;
}
/** Output of evaluateQuality. */
export interface EvaluateQualityOutput {
  qualityUri: string;
  score: number;
  exactCopies: number;
  rowsChecked: number;
}

interface EvaluateCursor {
  nextPart: number;
  exactCopies: number;
  rowsChecked: number;
}

/** Creates the evaluate activities. */
export function createEvaluateActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /** Scores the synthetic parts against the sample; every synthetic row is checked for exact copies. */
    async evaluateQuality(input: EvaluateQualityInput): Promise<EvaluateQualityOutput> {
      const sample = await readTableArtifact(store, input.sampleUri);
      const profile = withoutSensitive(
        await readJsonArtifact<DatasetProfile>(store, input.profileUri),
        await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri),
      );
      const realFingerprints = fingerprintTable(sample);
      const perPart = Math.max(1, Math.ceil((input.maxShapeRows ?? 200_000) / input.partCount));
      const resumed = activityInfo().heartbeatDetails as EvaluateCursor | undefined;
      const cursor: EvaluateCursor = resumed ?? { nextPart: 0, exactCopies: 0, rowsChecked: 0 };
      const shapeSlices: Table[] = [];
      for (let k = 0; k < input.partCount; k++) {
        const uri = partUri(input.partsPrefix, k);
        const part = await readTableFile(store.localPath(uri), 'parquet', { displayName: uri });
        shapeSlices.push(takeEvenly(part, perPart));
        if (k >= cursor.nextPart) {
          cursor.exactCopies += countExactCopies(realFingerprints, part);
          cursor.rowsChecked += part.rowCount;
          cursor.nextPart = k + 1;
        }
        heartbeat(cursor);
      }
      const scores = columnShapeScores(sample, concatTables(shapeSlices), profile);
      const report: QualityReport = summarizeQuality(scores, cursor.exactCopies, cursor.rowsChecked);
      const qualityUri = runArtifact(store, input.runKey, 'quality.json');
      await store.putJson(qualityUri, report);
      return { qualityUri, score: report.score, exactCopies: report.exactCopies, rowsChecked: cursor.rowsChecked };
    },
  };
}

/** The evaluate activities. */
export type EvaluateActivities = ReturnType<typeof createEvaluateActivities>;
