/** The Gaussian copula synthesizer: fit a model on a sample, then sample chunks from it. */
export { fitSynthModel, DEFAULT_MAX_FIT_ROWS, type FitOptions } from './fit-model.js';
export { sampleChunk, sampleIndependentColumn, type SampleRequest } from './sample-chunk.js';
export { assertModel } from './assert-model.js';
export { normalCdf, normalQuantile } from './normal-distribution.js';
export {
  choleskyLower,
  regularizeCorrelation,
  pearsonComplete,
  type RegularizedCorrelation,
} from './linear-algebra.js';
export { isLuhnValid, isIbanValid } from './fake-values.js';
export {
  ColumnModelKind,
  MODEL_VERSION,
  type CategoricalColumnModel,
  type ColumnModel,
  type CopulaDimension,
  type DatetimeColumnModel,
  type EmptyColumnModel,
  type FakeColumnModel,
  type IdentifierColumnModel,
  type LengthStats,
  type NumericColumnModel,
  type SynthModel,
  type TextColumnModel,
} from './model.js';
