/** Quality metrics: SDMetrics-compatible column shapes and the exact-copy check. */
export { ksComplement, ksStatisticSorted } from './ks-complement.js';
export { tvComplement, tvComplementOf, NullHandling, type TvOptions } from './tv-complement.js';
export { columnShapeScores, type ColumnShapeScore, type ColumnShapeOptions } from './column-shapes.js';
export {
  rowFingerprint,
  tableRowFingerprint,
  fingerprintTable,
  countExactCopies,
  createExactCopyDetector,
  type ExactCopyDetector,
} from './fingerprint.js';
export { summarizeQuality, type QualityReport } from './summarize.js';
export {
  columnPairTrendScores,
  pairKindsFromProfile,
  PairColumnKind,
  PAIR_TREND_THRESHOLDS,
  type PairTrendOptions,
  type PairTrendResult,
  type PairTrendScore,
} from './pair-trends.js';
