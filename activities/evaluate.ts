/**
 * Stage evaluate: the full quality-and-privacy evaluation (core/evaluation) of a bounded subsample of
 * the synthetic parts, the sensitive-value leak scan of the same rows, the privacy gate's verdict,
 * and the evaluation as JSON and as a self-contained HTML report.
 */
import { randomBytes } from 'node:crypto';
import { heartbeat } from '@temporalio/activity';
import {
  columnShapesReport,
  evaluatePrivacyGate,
  evaluateSynthetic,
  evaluationMetadataFromProfile,
  planEvaluationSubsample,
  type PrivacyThresholds,
} from '../core/evaluation/index.js';
import type { SensitivityReport } from '../core/pii/index.js';
import { computeDcrSummary, type DcrSummary } from '../core/privacy/dcr-summary.js';
import { createLeakIndex, scanForLeaks } from '../core/privacy/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import {
  buildReportJson,
  leakScanReport,
  renderReportData,
  reportInputFromEvaluation,
  type ReportApproval,
  type ReportDcrReference,
  type ReportGate,
} from '../core/report-html/index.js';
import { concatTables, type Table } from '../core/table.js';
import { countParquetRows, readTableFile } from '../integrations/tabular/index.js';
import type { ApprovalAuditEntry, DcrMetrics, PrivacyGateVerdict } from '../workflows/pipeline/contract.js';
import type { ActivityDeps } from './deps.js';
import { partUri, runArtifact } from './paths.js';
import { readJsonArtifact, readTableArtifact } from './sample-cache.js';

/** Bounds of the evaluated subsample: the stage's cost does not grow with the run. */
export const EVALUATION_SUBSAMPLE = {
  /** Synthetic rows evaluated and scanned for leaks (the leak scan, ~25k rows/s per core, dominates). */
  rows: 30_000,
  /** Parts the rows are taken from, evenly spread over the run (each read costs a file open). */
  parts: 64,
} as const;

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
  /** Rows per part (part k starts at row k × chunkSize), to report leaks by global row; read from the parts when absent. */
  chunkSize?: number;
  /** Sensitive cells generation redrew for equalling a sample value, and those still equal to one. */
  sensitiveRedraws?: number;
  sensitiveSampleValues?: number;
  /** The quality gate's threshold, shown with the verdict in the report. */
  qualityThreshold?: number;
  /** Thresholds of the privacy gate; no verdict without them. */
  privacyThresholds?: PrivacyThresholds;
  /** Approvals so far (the sensitivity gate's), shown in the report. */
  approvals?: ApprovalAuditEntry[];
  /**
   * Key columns of a relational run's table (generated primary and foreign keys): evaluated as
   * identifiers, so they are neither scored for shape nor counted in exact copies and distances.
   */
  keyColumns?: string[];
  /** Synthetic rows evaluated, taken from the heads of evenly spread parts. @default 30000 */
  maxShapeRows?: number;
}
/** Output of evaluateQuality. */
export interface EvaluateQualityOutput {
  qualityUri: string;
  /** SDMetrics' overall quality score (Column Shapes and Column Pair Trends) of the non-sensitive columns. */
  score: number;
  exactCopies: number;
  rowsChecked: number;
  /** Distance to closest record of a synthetic subsample, with the holdout reference (absent for tiny samples). */
  dcr?: DcrMetrics;
  /** The full DCR summary (`dcr.json`). */
  dcrUri?: string;
  /** The evaluation as JSON (`evaluation.json`) and as a self-contained HTML report (`evaluation.html`). */
  evaluationJsonUri: string;
  evaluationHtmlUri: string;
  /** SDMetrics NewRowSynthesis match rate of the evaluated rows. */
  exactCopyRate: number;
  /** Sensitive sample values found by the leak scan, and the rows scanned. */
  leaks: number;
  leakRowsScanned: number;
  /** The privacy gate's verdict (absent without thresholds). */
  privacyGate?: PrivacyGateVerdict;
}

/** Creates the evaluate activities. */
export function createEvaluateActivities(deps: ActivityDeps) {
  const { store } = deps;

  /** The evaluated subsample and, per row of it, its global row number in the run. */
  async function readSubsample(
    input: EvaluateQualityInput,
  ): Promise<{ synthetic: Table; rowOf: (r: number) => number }> {
    const plan = planEvaluationSubsample(
      input.partCount,
      input.maxShapeRows ?? EVALUATION_SUBSAMPLE.rows,
      EVALUATION_SUBSAMPLE.parts,
    );
    const slices: Table[] = [];
    const offsets: { first: number; part: number }[] = [];
    let first = 0;
    for (const { part, rows } of plan) {
      const uri = partUri(input.partsPrefix, part);
      const slice = await readTableFile(await store.localCopy(uri), 'parquet', {
        displayName: uri,
        maxRows: rows,
      });
      slices.push(slice);
      offsets.push({ first, part });
      first += slice.rowCount;
      heartbeat({ part });
    }
    const starts = await partStarts(
      input,
      plan.map((p) => p.part),
    );
    const rowOf = (r: number): number => {
      let i = offsets.length - 1;
      while (i > 0 && (offsets[i] as { first: number }).first > r) i--;
      const o = offsets[i] as { first: number; part: number };
      return (starts.get(o.part) ?? 0) + (r - o.first);
    };
    return { synthetic: concatTables(slices), rowOf };
  }

  /** Global first row of each read part: k × chunkSize, or counted from the parts before it. */
  async function partStarts(input: EvaluateQualityInput, parts: number[]): Promise<Map<number, number>> {
    const starts = new Map<number, number>();
    if (input.chunkSize !== undefined) {
      for (const k of parts) starts.set(k, k * input.chunkSize);
      return starts;
    }
    const wanted = new Set(parts);
    let row = 0;
    for (let k = 0; k <= Math.max(-1, ...parts); k++) {
      if (wanted.has(k)) starts.set(k, row);
      const uri = partUri(input.partsPrefix, k);
      row += await countParquetRows(await store.localCopy(uri), uri);
    }
    return starts;
  }

  return {
    /**
     * Evaluates a bounded subsample of the synthetic parts against the sample (SDMetrics' quality
     * and diagnostics, statistical tests, NewRowSynthesis; sensitive columns are left out of the
     * scores because they are faked on purpose), measures distance to closest record, scans every
     * column of the same rows for sensitive sample values, and decides the privacy gate. The
     * leak-check key is drawn here and lives only in this call, so the index can never be matched
     * against guesses later.
     */
    async evaluateQuality(input: EvaluateQualityInput): Promise<EvaluateQualityOutput> {
      const sample = await readTableArtifact(store, input.sampleUri);
      const sensitivity = await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri);
      const profile = await readJsonArtifact<DatasetProfile>(store, input.profileUri);
      const present = new Set(sample.columns.map((c) => c.name));
      const sensitiveFields = sensitivity.fields.filter((f) => f.sensitive && present.has(f.column));
      const sensitive = sensitiveFields.map((f) => f.column);
      const { synthetic, rowOf } = await readSubsample(input);

      heartbeat({ phase: 'evaluate' });
      const result = evaluateSynthetic({
        real: sample,
        synthetic,
        metadata: evaluationMetadataFromProfile(profile, sensitive, input.keyColumns),
      });
      const qualityUri = runArtifact(store, input.runKey, 'quality.json');
      const quality = columnShapesReport(result, input.exactCopies, input.rowsChecked);
      await store.putJson(qualityUri, quality);

      heartbeat({ phase: 'dcr' });
      const dcr = computeDcrSummary(
        { synthetic, sample },
        { excludeColumns: [...sensitive, ...(input.keyColumns ?? [])] },
      );

      heartbeat({ phase: 'leak-scan' });
      const key = randomBytes(32);
      const kinds = Object.fromEntries(sensitiveFields.map((f) => [f.column, f.kind]));
      const index = createLeakIndex(sample, sensitive, key, { kinds });
      const scan = scanForLeaks(index, synthetic, { key, maxLeaks: Number.MAX_SAFE_INTEGER });
      key.fill(0);
      const leakScan = leakScanReport(scan, synthetic, rowOf);

      if (input.privacyThresholds !== undefined) {
        result.privacyGate = evaluatePrivacyGate(result.privacy, input.privacyThresholds, {
          leaks: scan.total,
          sensitiveSampleValues: input.sensitiveSampleValues,
          dcrMedianRatio: dcr?.medianRatio ?? null,
        });
      }

      heartbeat({ phase: 'report' });
      const gates: ReportGate[] =
        input.qualityThreshold === undefined
          ? []
          : [
              {
                gate: 'quality',
                passed: quality.score >= input.qualityThreshold,
                reasons: [`overall ${quality.score.toFixed(4)} against threshold ${input.qualityThreshold}`],
              },
            ];
      const data = buildReportJson(
        reportInputFromEvaluation(result, {
          title: `Understudy run ${input.runKey}`,
          generatedAt: new Date().toISOString(),
          real: sample,
          synthetic,
          sensitivity,
          approvals: (input.approvals ?? []).filter((a) => a.outcome === 'applied').map(reportApproval),
          leakScan,
          gates,
          syntheticRowsTotal: input.rowsChecked,
          ...(dcr === null ? {} : { dcrReference: dcrReferenceOf(dcr) }),
          generation: {
            exactCopies: input.exactCopies,
            rowsChecked: input.rowsChecked,
            sensitiveRedraws: input.sensitiveRedraws ?? 0,
            sensitiveSampleValues: input.sensitiveSampleValues ?? 0,
          },
        }),
      );
      const evaluationJsonUri = runArtifact(store, input.runKey, 'evaluation.json');
      const evaluationHtmlUri = runArtifact(store, input.runKey, 'evaluation.html');
      await store.putJson(evaluationJsonUri, data);
      await store.putBytes(evaluationHtmlUri, renderReportData(data));

      const out: EvaluateQualityOutput = {
        qualityUri,
        score: quality.score,
        exactCopies: input.exactCopies,
        rowsChecked: input.rowsChecked,
        evaluationJsonUri,
        evaluationHtmlUri,
        exactCopyRate: result.privacy?.exactCopyRate ?? 0,
        leaks: scan.total,
        leakRowsScanned: synthetic.rowCount,
      };
      if (result.privacyGate !== null) {
        out.privacyGate = {
          passed: result.privacyGate.pass,
          failures: result.privacyGate.failures.map((f) => ({ ...f })),
        };
      }
      if (dcr !== null) {
        out.dcrUri = runArtifact(store, input.runKey, 'dcr.json');
        await store.putJson(out.dcrUri, dcr);
        out.dcr = dcrMetricsOf(dcr);
      }
      return out;
    },
  };
}

function reportApproval(a: ApprovalAuditEntry): ReportApproval {
  return {
    gate: a.gate,
    approver: a.by,
    at: a.at,
    decision: a.decision,
    ...((a.comment ?? a.reason) ? { comment: a.comment ?? a.reason } : {}),
  };
}

function dcrReferenceOf(dcr: DcrSummary): ReportDcrReference {
  return {
    syntheticRows: dcr.syntheticRows,
    holdoutRows: dcr.holdoutRows,
    columns: dcr.columns.length,
    synthetic: { median: dcr.median, p05: dcr.p05, zeroShare: dcr.zeroShare },
    holdout: { median: dcr.holdout.median, p05: dcr.holdout.p05, zeroShare: dcr.holdout.zeroShare },
    medianRatio: dcr.medianRatio,
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
