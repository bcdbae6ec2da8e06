/** Column profiling: statistics and semantic types that drive synthesis and PII classification. */
export { SemanticType } from './types.js';
export type {
  CategoryCount,
  ColumnProfile,
  DatasetProfile,
  NumericSummary,
  ProfileOptions,
} from './types.js';
export { profileColumn, profileTable } from './profile-table.js';
export { isIdentifierName, tokenizeColumnName } from './column-name.js';
export { categoricalLimit, inferNumericType, inferStringType, parseBooleanWord } from './infer-type.js';
export { DateFormat, detectDateFormat, isoToEpochMs, parseIsoDate } from './datetime-parse.js';
export { ScratchBuffers } from './scratch-buffers.js';
export type { ParsedDate } from './datetime-parse.js';
export { detectPattern, matchesShape, shapeOf } from './pattern.js';
export { quantileSorted, summarizeSorted } from './numeric-stats.js';
