/** Constraints on synthetic output: the spec, its validation, and applyConstraints with cross-chunk uniqueness. */
export {
  ConstraintKind,
  InequalityOperator,
  checkConstraintList,
  constraintListSchema,
  describeConstraint,
  formatConstraintPath,
} from './spec.js';
export type {
  Constraint,
  ConstraintIssue,
  CustomConstraint,
  FixedCombinationsConstraint,
  InequalityConstraint,
  JsonConstraint,
  NegativeConstraint,
  PositiveConstraint,
  PrimaryKeyConstraint,
  RangeConstraint,
  RegexConstraint,
  RowRecord,
  UniqueConstraint,
} from './spec.js';
export { parseConstraints } from './parse-constraints.js';
export { compileConstraints } from './compile.js';
export type { CompiledConstraintSet } from './compile.js';
export { learnFixedCombinations } from './combination-index.js';
export {
  applyConstraints,
  type ApplyConstraintsContext,
  type ApplyConstraintsReport,
  type ApplyConstraintsResult,
  type ConstraintOutcome,
  type ResampleRows,
} from './apply-constraints.js';
export {
  DEFAULT_MAX_UNIQUE_KEYS,
  UNIQUENESS_TRACKER_BYTES_PER_KEY,
  UniquenessTracker,
  type UniquenessTrackerOptions,
} from './uniqueness-tracker.js';
export { UniquenessState, createUniquenessState } from './uniqueness-state.js';
