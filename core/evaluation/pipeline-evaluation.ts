/**
 * What the pipeline's evaluate stage needs around {@link evaluateSynthetic}: metadata from the run's
 * profile (sensitive columns left out: they are faked on purpose, so their shapes differ by design)
 * and the default thresholds of the privacy gate.
 */
import type { ColumnProfile, DatasetProfile } from '../profile/types.js';
import type { EvaluationMetadata, EvaluationResult, EvaluationSdtype, PrivacyThresholds } from './types.js';

/**
 * Default thresholds of the pipeline's privacy gate. The pipeline fits on the whole sample, so it
 * has no holdout the model never saw: the holdout-based thresholds of {@link PrivacyThresholds}
 * (overfitting protection, closer-to-training share, NNDR, DCR p05) would never be computed, and
 * the DCR check uses the real-vs-real median ratio of core/privacy/dcr-summary.ts instead.
 */
export const PIPELINE_PRIVACY_DEFAULTS = {
  /** SDMetrics NewRowSynthesis matches (numbers within 1 %) over the non-sensitive columns. */
  maxExactCopyRate: 0.01,
  maxLeaks: 0,
  maxSensitiveSampleValues: 0,
  /** Synthetic rows at less than half the real rows' own spacing from the sample point to memorised records. */
  minDcrMedianRatio: 0.5,
} as const satisfies PrivacyThresholds;

const SDTYPE_OF: Record<ColumnProfile['semanticType'], EvaluationSdtype> = {
  integer: 'numerical',
  float: 'numerical',
  datetime: 'datetime',
  boolean: 'boolean',
  categorical: 'categorical',
  identifier: 'id',
  text: 'other',
};

/**
 * Evaluation metadata from a run's profile: every non-sensitive column with the sdtype of its
 * semantic type (`id` for the given key columns), and the first complete, unique identifier column as
 * the primary key.
 */
export function evaluationMetadataFromProfile(
  profile: DatasetProfile,
  sensitiveColumns: readonly string[],
  keyColumns: readonly string[] = [],
): EvaluationMetadata {
  const sensitive = new Set(sensitiveColumns);
  const keys = new Set(keyColumns);
  const columns: EvaluationMetadata['columns'] = {};
  let primaryKey: string | undefined;
  for (const c of profile.columns) {
    if (sensitive.has(c.name)) continue;
    // Keys a relational run generated (primary and foreign) are identifiers: not scored, never a copy.
    const sdtype = keys.has(c.name) ? 'id' : SDTYPE_OF[c.semanticType];
    columns[c.name] = { sdtype };
    if (primaryKey === undefined && sdtype === 'id' && c.unique && c.nullCount === 0) primaryKey = c.name;
  }
  return primaryKey === undefined ? { columns } : { columns, primaryKey };
}

/** Rows to read from one synthetic part. */
export interface PartRead {
  part: number;
  rows: number;
}

/**
 * Which synthetic parts to read, and how many rows from the head of each, so that at most `maxRows`
 * rows from at most `maxParts` evenly spread parts are evaluated (each part is an independent sample
 * with its own seed, so heads of many parts spread the subsample over the whole run).
 */
export function planEvaluationSubsample(partCount: number, maxRows: number, maxParts: number): PartRead[] {
  const parts = Math.min(partCount, Math.max(1, maxParts));
  if (partCount <= 0) return [];
  const rows = Math.max(1, Math.ceil(maxRows / parts));
  const step = partCount / parts;
  return Array.from({ length: parts }, (_, i) => ({ part: Math.floor(i * step), rows }));
}

/** The shape of core/quality's QualityReport (`quality.json`) from an evaluation's Column Shapes. */
export function columnShapesReport(
  result: Pick<EvaluationResult, 'quality'>,
  exactCopies: number,
  syntheticRowsChecked: number,
): {
  score: number;
  columns: { column: string; metric: 'ks_complement' | 'tv_complement'; score: number }[];
  exactCopies: number;
  syntheticRowsChecked: number;
  exactCopyRate: number;
} {
  return {
    // As before the full evaluation: nothing scorable means nothing was found wrong.
    score: result.quality.score ?? 1,
    columns: result.quality.columnShapes.columns
      .filter((c) => c.score !== null)
      .map((c) => ({
        column: c.column,
        metric: c.metric === 'KSComplement' ? 'ks_complement' : 'tv_complement',
        score: c.score as number,
      })),
    exactCopies,
    syntheticRowsChecked,
    exactCopyRate: syntheticRowsChecked === 0 ? 0 : exactCopies / syntheticRowsChecked,
  };
}
