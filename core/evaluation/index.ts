/**
 * Quality-and-privacy evaluation of synthetic data, with numbers that agree with SDMetrics 0.32
 * and scipy (see test/fixtures/evaluation and bench/python/evaluation_fixtures.py).
 */
export { evaluateSynthetic } from './evaluate-synthetic.js';
export {
  evaluatePrivacyGate,
  newRowSynthesis,
  dcrComparison,
  evaluatePrivacy,
  NEW_ROW_TOLERANCE,
} from './privacy.js';
export { columnShapes, columnPairTrends, overallQuality, PAIR_TREND_ROW_LIMIT } from './quality-report.js';
export {
  diagnose,
  boundaryAdherence,
  categoryAdherence,
  keyUniqueness,
  tableStructure,
  pandasDtype,
} from './diagnostics.js';
export { evaluateRelationships } from './relational.js';
export {
  ksTest,
  chiSquaredTest,
  chiSquaredSf,
  wassersteinNormalized,
  jensenShannonDivergence,
  categoryJensenShannon,
  histogramJensenShannon,
  compareCorrelations,
  edgeCaseFrequencies,
  JS_HISTOGRAM_BINS,
} from './statistics.js';
export {
  ksTwoSample,
  ksStatistic,
  kolmogorovSf,
  smirnovSf,
  type KsTwoSampleResult,
} from './kolmogorov-smirnov.js';
export { resolveColumns } from './columns.js';
export * from './types.js';
export {
  columnShapesReport,
  evaluationMetadataFromProfile,
  planEvaluationSubsample,
  PIPELINE_PRIVACY_DEFAULTS,
  type PartRead,
} from './pipeline-evaluation.js';
