/** Edge cases: rules, exact-count injection tagged per row, and data-quality issues reproduced from a sample. */
export {
  EdgeCaseKind,
  EdgeCaseType,
  MalformedKind,
  checkEdgeCaseRules,
  edgeCaseRuleListSchema,
  type EdgeCaseRule,
  type EdgeCaseRuleIssue,
} from './rules.js';
export {
  DUPLICATE_BLOCK_ROWS,
  EDGE_CASE_COLUMN,
  EdgeCaseTagMode,
  edgeCaseRowCounts,
  injectEdgeCases,
  parseEdgeCaseRules,
  validateEdgeCaseRules,
  type EdgeCaseRecord,
  type InjectEdgeCasesOptions,
  type InjectEdgeCasesResult,
} from './inject.js';
export { FAR_FUTURE, FAR_PAST, UNICODE_FRAGMENTS, malformedValue, truncateCodeUnits } from './edge-values.js';
export {
  detectDataQualityIssues,
  isWellFormedPhone,
  type DataQualityIssue,
} from './detect-quality-issues.js';
export { suggestEdgeCaseRules, type SuggestEdgeCaseRulesOptions } from './suggest-rules.js';
