/** Finished synthetic chunks: sampling plus copy resampling, constraints and edge cases. */
export { generateChunk, type GenerateChunkOptions, type GenerateChunkReport } from './generate-chunk.js';
export {
  carriesSampleValue,
  countSampleValues,
  createSampleValueGuard,
  MAX_SENSITIVE_REDRAWS,
  redrawRowsWithSampleValues,
  redrawSampleValues,
  sensitiveColumnKinds,
  type SampleValueGuard,
  type SampleValueGuardReport,
} from './sample-value-guard.js';
