/**
 * Multi-table (relational) synthesis.
 *
 * - Metadata: tables with primary keys and foreign keys (single or composite), zod-validated with
 *   paths; missing tables/columns, references to non-key columns and cycles are ConfigErrors naming
 *   the tables (metadata.ts). Orphan rows in the sample are a DataError naming table and row, or
 *   dropped and counted (sample-integrity.ts).
 * - Fit (fit-relational.ts): per table a model from a pluggable single-table synthesizer (the
 *   core/synthesizer facade: copula by default, CART, or auto decided once per table) over its non-key columns; per child table, strata of its primary
 *   parent's rows (categories or quartiles of the one or two parent columns that explain the child
 *   best), one child model and one child-count distribution per well-populated stratum; per other
 *   foreign key the children-per-parent (popularity) distribution.
 * - Sample (sample-relational.ts): parents first, in fixed blocks with seeds per (table, block);
 *   children per parent from its stratum's count distribution, data from its stratum's model, keys
 *   generated unique (composite too) and references copied from existing synthetic parents.
 * - Evaluate (evaluate-relational.ts): referential integrity, key uniqueness, child-count KSComplement.
 *
 * Limits: a child is conditioned on its primary parent only (a grandparent acts through the parent's
 * values; other parents set only which row is referenced, not the child's columns); numeric parent
 * columns condition through quartile bins; self-references and other cycles are rejected; row counts
 * are set for root tables only (children follow); memory holds the key columns of every referenced
 * table while leaf tables stream block by block.
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
export {
  createFacadeSynthesizer,
  defaultTableSynthesizer,
  FACADE_SYNTHESIZER_NAME,
  resolveTableSynthesizer,
  type TableSynthesizer,
} from './table-synthesizer.js';
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
export { targetNaming, type ColumnRename, type TableTargetNames, type TargetNaming } from './target-names.js';
