/**
 * Schema-driven generation without a sample: a YAML or JSON config of tables, columns and rules
 * (ranges, weighted choices, choice files, regex, Faker, sequences, dates, conditional rules, keys
 * and foreign keys) is validated into a plan, then generated table by table in chunks.
 */
export { parseSchemaConfigText } from './parse-config-text.js';
export {
  validateSchemaConfig,
  buildSchemaPlan,
  listChoiceFiles,
  DEFAULT_NULL_RATE,
  DEFAULT_REFERENCE_DATE,
  type ValidateSchemaOptions,
  type SchemaValidation,
  type ChoiceFileRef,
} from './build-plan.js';
export { choiceFileKey, type ChoiceList, type LoadedChoiceFile } from './compile-rule.js';
export {
  createTableGenerator,
  generateSchemaChunk,
  referencedKeyColumns,
  SCHEMA_BLOCK_SIZE,
  MAX_UNIQUE_ATTEMPTS,
  type ParentKeys,
  type TableGenerator,
  type TableGeneratorOptions,
} from './generate-table.js';
export { SchemaConfigError, formatConfigPath, type SchemaProblem } from './problems.js';
export { FAKER_ALIASES } from './faker-provider.js';
export { RULE_TYPES, COLUMN_TYPES } from './config-schema.js';
export type {
  SchemaPlan,
  TablePlan,
  ColumnPlan,
  ForeignKeyPlan,
  ValueRule,
  Condition,
  ConditionalRule,
  ScalarValue,
} from './plan.js';
export { ConditionOp } from './plan.js';
