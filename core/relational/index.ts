/**
 * Multi-table (relational) synthesis: metadata with primary and foreign keys (composite too),
 * validation of the metadata and of the sample's referential integrity, a fitted model per table
 * with child counts and child columns conditioned on the primary parent, and parents-first,
 * block-wise, deterministic sampling with 100% referential integrity.
 */
export {
  parseRelationalMetadata,
  relationalMetadataSchema,
  validateRelationalMetadata,
  type ForeignKeyMetadata,
  type MetadataIssue,
  type RelationalMetadata,
  type RelationalMetadataInput,
  type ResolvedForeignKey,
  type ResolvedMetadata,
  type TableMetadata,
} from './metadata.js';
export { findCycle } from './table-graph.js';
export { checkSampleIntegrity, OrphanPolicy, type CheckedSample } from './sample-integrity.js';
export { fitRelationalModel, RELATIONAL_FIT_DEFAULTS, type RelationalFitOptions } from './fit-relational.js';
export {
  generateRelationalChunks,
  sampleRelational,
  RELATIONAL_BLOCK_ROWS,
  type RelationalChunk,
  type RelationalSample,
  type RelationalSampleOptions,
  type RelationalSampleSummary,
} from './sample-relational.js';
export { copulaTableSynthesizer, type TableSynthesizer } from './table-synthesizer.js';
export { cramerVSquared, omegaSquared, type StratumColumn } from './strata.js';
export { tallyCounts, type CountDistribution } from './count-distribution.js';
export {
  RELATIONAL_MODEL_VERSION,
  type KeyColumnPlan,
  type PrimaryParentPlan,
  type RelationalModel,
  type RelationalTableModel,
  type SecondaryParentPlan,
} from './model.js';
export {
  evaluateRelational,
  type ForeignKeyEvaluation,
  type RelationalEvaluation,
} from './evaluate-relational.js';
