/** Stage evaluate: per-column shape similarity of the synthetic parts against the sample. */
import { heartbeat } from '@temporalio/activity';
import type { SensitivityReport } from '../core/pii/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import { computeDcrSummary, type DcrSummary } from '../core/privacy/dcr-summary.js';
import { columnShapeScores, summarizeQuality, type QualityReport } from '../core/quality/index.js';
import { withoutSensitive } from '../core/quality/scoring-profile.js';
import { concatTables, type Table } from '../core/table.js';
import { readTableFile } from '../integrations/tabular/index.js';
import type { DcrMetrics } from '../workflows/pipeline/contract.js';
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
  /** Distance to closest record of a synthetic subsample, with the holdout reference (absent for tiny samples). */
  dcr?: DcrMetrics;
  /** The full DCR summary (`dcr.json`). */
  dcrUri?: string;
}

/** Creates the evaluate activities. */
export function createEvaluateActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /**
     * Scores the synthetic parts against the sample (KS complement for numbers and dates, TV complement
     * for categories) and measures their distance to closest record on the non-sensitive columns
     * (at most 2,000 synthetic rows, see core/privacy/dcr-summary.ts).
     */
    async evaluateQuality(input: EvaluateQualityInput): Promise<EvaluateQualityOutput> {
      const sample = await readTableArtifact(store, input.sampleUri);
      const sensitivity = await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri);
      const profile = withoutSensitive(
        await readJsonArtifact<DatasetProfile>(store, input.profileUri),
        sensitivity,
      );
      const perPart = Math.max(1, Math.ceil((input.maxShapeRows ?? 200_000) / input.partCount));
      const slices: Table[] = [];
      for (let k = 0; k < input.partCount; k++) {
        const uri = partUri(input.partsPrefix, k);
        slices.push(
          await readTableFile(store.localPath(uri), 'parquet', { displayName: uri, maxRows: perPart }),
        );
        heartbeat({ part: k });
      }
      const synthetic = concatTables(slices);
      const scores = columnShapeScores(sample, synthetic, profile);
      const report: QualityReport = summarizeQuality(scores, input.exactCopies, input.rowsChecked);
      const qualityUri = runArtifact(store, input.runKey, 'quality.json');
      await store.putJson(qualityUri, report);
      const out: EvaluateQualityOutput = {
        qualityUri,
        score: report.score,
        exactCopies: report.exactCopies,
        rowsChecked: input.rowsChecked,
      };
      heartbeat({ phase: 'dcr' });
      const sensitive = sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column);
      const dcr = computeDcrSummary({ synthetic, sample }, { excludeColumns: sensitive });
      if (dcr !== null) {
        out.dcrUri = runArtifact(store, input.runKey, 'dcr.json');
        await store.putJson(out.dcrUri, dcr);
        out.dcr = dcrMetricsOf(dcr);
      }
      return out;
    },
  };
}

/** The headline DCR figures (non-finite ones as null, which JSON can carry). */
export function dcrMetricsOf(dcr: DcrSummary): DcrMetrics {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    median: finite(dcr.median),
    p05: finite(dcr.p05),
    zeroShare: finite(dcr.zeroShare),
    holdoutMedian: finite(dcr.holdout.median),
    holdoutP05: finite(dcr.holdout.p05),
    holdoutZeroShare: finite(dcr.holdout.zeroShare),
    medianRatio: finite(dcr.medianRatio),
    syntheticRows: dcr.syntheticRows,
    holdoutRows: dcr.holdoutRows,
    columns: dcr.columns.length,
  };
}

/** The evaluate activities. */
export type EvaluateActivities = ReturnType<typeof createEvaluateActivities>;
