/** The Gaussian copula synthesizer: fit a model on a sample, then sample chunks (or conditional rows) from it. */
export { fitSynthModel, DEFAULT_MAX_FIT_ROWS, type FitOptions } from './fit-model.js';
export {
  sampleChunk,
  sampleChunkDetailed,
  sampleIndependentColumn,
  BLOCK_ROWS,
  MAX_REDRAWS,
  type DetailedChunk,
  type FingerprintSet,
  type SampleOptions,
  type SampleRequest,
} from './sample-chunk.js';
export {
  sampleConditional,
  sampleConditionalDetailed,
  type ColumnCondition,
  type ConditionalRequest,
  type DetailedConditionalSample,
} from './conditional.js';
export { assertModel } from './assert-model.js';
export { createSensitiveCellRedrawer } from './independent-columns.js';
export { normalCdf, normalQuantile } from './normal-distribution.js';
export {
  choleskyLower,
  regularizeCorrelation,
  pearsonComplete,
  type RegularizedCorrelation,
} from './linear-algebra.js';
export { isLuhnValid, isIbanValid } from './fake-values.js';
export {
  DEFAULT_PARAMETRIC_TOLERANCE,
  PARAMETRIC_FAMILIES,
  selectMarginal,
  type MarginalChoice,
  type MarginalSelection,
} from './marginal-families.js';
export { inferDatetimeLayout, parseWithLayout, createLayoutFormatter } from './datetime-layout.js';
export {
  CharClass,
  ColumnModelKind,
  MarginalFamily,
  MODEL_VERSION,
  isCopulaColumn,
  type CategoricalColumnModel,
  type ColumnModel,
  type CopulaColumnModel,
  type CopulaDimension,
  type DatetimeColumnModel,
  type DatetimeLayout,
  type EmptyColumnModel,
  type FakeColumnModel,
  type IdentifierColumnModel,
  type LengthStats,
  type Marginal,
  type NumericColumnModel,
  type SynthModel,
  type TextColumnModel,
  type TextProfile,
} from './model.js';
