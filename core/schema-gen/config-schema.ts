/**
 * The schema config file format (YAML or JSON), shaped like the syndata configs users already
 * have: a list of tables with `table_name`, `rows`, `columns` (each with `name`, `type`, `rule`,
 * `constraints`, `conditional_rules`) and `foreign_keys`. Shorthands and syndata spellings are
 * normalised before validation (`rule: first_name`, `type: choice, value: [...]`,
 * `condition: {operator: "=="}`), so the strict schema below sees one canonical form and reports
 * unknown fields (typos) instead of ignoring them.
 */
import { z } from 'zod';
import { FAKER_ALIASES } from './faker-provider.js';
import { isRecord } from './problems.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const nonEmpty = z.string().min(1, { error: 'must not be empty' });

/** Rule types after normalisation. */
export const RULE_TYPES = [
  'range',
  'choice',
  'choice_file',
  'regex',
  'faker',
  'sequence',
  'date_range',
  'datetime_range',
  'uuid',
  'boolean',
  'constant',
] as const;

const TYPE_ALIASES: Readonly<Record<string, (typeof RULE_TYPES)[number]>> = {
  random_choice: 'choice',
  choices: 'choice',
  weighted_choice: 'choice',
  choice_from_file: 'choice_file',
  file_choice: 'choice_file',
  choices_file: 'choice_file',
  pattern: 'regex',
  seq: 'sequence',
  serial: 'sequence',
  auto_increment: 'sequence',
  date: 'date_range',
  datetime: 'datetime_range',
  timestamp: 'datetime_range',
  timestamp_range: 'datetime_range',
  uuid4: 'uuid',
  bool: 'boolean',
  fixed: 'constant',
};

/** Rewrites the shorthands and syndata spellings of a rule into the canonical object form. */
export function normalizeRule(raw: unknown): unknown {
  if (typeof raw === 'string') {
    if (FAKER_ALIASES[raw]) return { type: 'faker', method: FAKER_ALIASES[raw] };
    if (raw.includes('.')) return { type: 'faker', method: raw };
    return { type: TYPE_ALIASES[raw] ?? raw };
  }
  if (!isRecord(raw)) return raw;
  const rule: Record<string, unknown> = { ...raw };
  rename(rule, 'value', 'values', (r) => Array.isArray(r.value));
  rename(rule, 'choices', 'values');
  rename(rule, 'regex', 'pattern');
  rename(rule, 'faker', 'method');
  rename(rule, 'path', 'file');
  rename(rule, 'file_path', 'file');
  rename(rule, 'value_column', 'column');
  rename(rule, 'probabilities', 'weights');
  if (rule.type === undefined) rule.type = inferRuleType(rule);
  if (typeof rule.type === 'string') {
    const type = rule.type;
    if (TYPE_ALIASES[type]) rule.type = TYPE_ALIASES[type];
    else if (FAKER_ALIASES[type] && rule.pattern !== undefined)
      rule.type = 'regex'; // syndata `type: email, regex: ...`
    else if (FAKER_ALIASES[type]) {
      rule.type = 'faker';
      rule.method ??= FAKER_ALIASES[type];
    }
  }
  return rule;
}

function inferRuleType(rule: Record<string, unknown>): string | undefined {
  if (rule.method !== undefined) return 'faker';
  if (rule.pattern !== undefined) return 'regex';
  if (rule.file !== undefined) return 'choice_file';
  if (rule.values !== undefined) return 'choice';
  if (rule.min !== undefined || rule.max !== undefined) return 'range';
  return undefined;
}

function rename(
  obj: Record<string, unknown>,
  from: string,
  to: string,
  when: (o: Record<string, unknown>) => boolean = () => true,
): void {
  if (obj[from] !== undefined && obj[to] === undefined && when(obj)) {
    obj[to] = obj[from];
    delete obj[from];
  }
}

const OP_ALIASES: Readonly<Record<string, string>> = {
  '==': 'eq',
  '=': 'eq',
  equals: 'eq',
  '!=': 'ne',
  '<>': 'ne',
  not_equals: 'ne',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
  'not in': 'not_in',
  notin: 'not_in',
};

function normalizeConditional(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  rename(out, 'condition', 'when');
  rename(out, 'if', 'when');
  rename(out, 'then', 'rule');
  if (isRecord(out.when)) {
    const when: Record<string, unknown> = { ...out.when };
    rename(when, 'operator', 'op');
    if (typeof when.op === 'string') when.op = OP_ALIASES[when.op.toLowerCase()] ?? when.op.toLowerCase();
    out.when = when;
  }
  return out;
}

const CONSTRAINT_ALIASES: Readonly<Record<string, string>> = {
  pk: 'primary_key',
  primary_key: 'primary_key',
  'primary key': 'primary_key',
  primarykey: 'primary_key',
  unique: 'unique',
  uq: 'unique',
  not_null: 'not_null',
  'not null': 'not_null',
  notnull: 'not_null',
  required: 'not_null',
  fk: 'foreign_key',
  foreign_key: 'foreign_key',
  'foreign key': 'foreign_key',
};

function normalizeConstraint(raw: unknown): unknown {
  return typeof raw === 'string' ? (CONSTRAINT_ALIASES[raw.trim().toLowerCase()] ?? raw) : raw;
}

function normalizeForeignKey(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  rename(out, 'references', 'parent_table');
  rename(out, 'table', 'parent_table');
  for (const side of ['parent', 'child'] as const) {
    const one = out[`${side}_column`];
    if (one !== undefined && out[`${side}_columns`] === undefined) {
      out[`${side}_columns`] = [one];
      delete out[`${side}_column`];
    }
  }
  return out;
}

function normalizeTable(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  rename(out, 'name', 'table_name');
  rename(out, 'row_count', 'rows');
  rename(out, 'count', 'rows');
  if (typeof out.primary_key === 'string') out.primary_key = [out.primary_key];
  return out;
}

const rangeRule = z.strictObject({
  type: z.literal('range'),
  min: z.number(),
  max: z.number(),
  decimals: z.number().int().min(0).max(12).optional(),
});
const choiceRule = z.strictObject({
  type: z.literal('choice'),
  values: z.array(scalar).min(1, { error: 'needs at least one value' }),
  weights: z.array(z.number().min(0, { error: 'weights must not be negative' })).optional(),
});
const choiceFileRule = z.strictObject({
  type: z.literal('choice_file'),
  file: nonEmpty,
  column: nonEmpty.optional(),
  weight_column: nonEmpty.optional(),
  sheet: z.union([nonEmpty, z.number().int().min(1)]).optional(),
  delimiter: z.string().length(1).optional(),
});
const regexRule = z.strictObject({
  type: z.literal('regex'),
  pattern: z.string(),
  max_repeat: z.number().int().min(0).max(1000).optional(),
});
const fakerRule = z.strictObject({
  type: z.literal('faker'),
  method: nonEmpty,
  args: z.array(z.unknown()).optional(),
  locale: nonEmpty.optional(),
});
const sequenceRule = z.strictObject({
  type: z.literal('sequence'),
  start: z.number().int().optional(),
  step: z
    .number()
    .int()
    .refine((n) => n !== 0, { error: 'must not be 0' })
    .optional(),
  format: z.string().optional(),
});
const dateRangeRule = z.strictObject({
  type: z.literal('date_range'),
  start: z.union([z.string(), z.date()]),
  end: z.union([z.string(), z.date()]),
  format: nonEmpty.optional(),
});
const datetimeRangeRule = z.strictObject({
  type: z.literal('datetime_range'),
  start: z.union([z.string(), z.date()]),
  end: z.union([z.string(), z.date()]),
  format: nonEmpty.optional(),
});
const uuidRule = z.strictObject({ type: z.literal('uuid') });
const booleanRule = z.strictObject({
  type: z.literal('boolean'),
  probability: z.number().min(0).max(1).optional(),
});
const constantRule = z.strictObject({ type: z.literal('constant'), value: scalar });

const ruleSchema = z.preprocess(
  normalizeRule,
  z.discriminatedUnion('type', [
    rangeRule,
    choiceRule,
    choiceFileRule,
    regexRule,
    fakerRule,
    sequenceRule,
    dateRangeRule,
    datetimeRangeRule,
    uuidRule,
    booleanRule,
    constantRule,
  ]),
);

/** Column types a config may name, with their aliases. */
export const COLUMN_TYPES = [
  'int',
  'integer',
  'bigint',
  'float',
  'double',
  'decimal',
  'number',
  'str',
  'string',
  'text',
  'bool',
  'boolean',
  'date',
  'datetime',
  'timestamp',
] as const;

const conditionSchema = z.strictObject({
  column: nonEmpty,
  op: z.enum(['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte']),
  value: z.union([scalar, z.array(scalar)]),
});

const conditionalRuleSchema = z.preprocess(
  normalizeConditional,
  z.strictObject({ when: conditionSchema, rule: ruleSchema }),
);

/** One column. */
export const columnSchema = z.strictObject({
  name: nonEmpty,
  type: z.preprocess((t) => (typeof t === 'string' ? t.toLowerCase() : t), z.enum(COLUMN_TYPES)).optional(),
  rule: ruleSchema.optional(),
  conditional_rules: z.array(conditionalRuleSchema).optional(),
  constraints: z
    .array(z.preprocess(normalizeConstraint, z.enum(['primary_key', 'unique', 'not_null', 'foreign_key'])))
    .optional(),
  nullable: z.boolean().optional(),
  null_rate: z.number().min(0).max(1).optional(),
  unique: z.boolean().optional(),
  primary_key: z.boolean().optional(),
  not_null: z.boolean().optional(),
  locale: nonEmpty.optional(),
  // Accepted for syndata compatibility and documentation; generation does not use them.
  sensitivity: z.string().optional(),
  description: z.string().optional(),
});

const foreignKeySchema = z.preprocess(
  normalizeForeignKey,
  z.strictObject({
    parent_table: nonEmpty,
    parent_columns: z.array(nonEmpty).min(1),
    child_columns: z.array(nonEmpty).min(1),
  }),
);

/** One table with its columns left unchecked, so each column is validated on its own (see build-plan.ts). */
export const tableSchema = z.preprocess(
  normalizeTable,
  z.strictObject({
    table_name: nonEmpty,
    rows: z.number().int().min(0).optional(),
    locale: nonEmpty.optional(),
    columns: z.array(z.unknown()).min(1, { error: 'needs at least one column' }),
    foreign_keys: z.array(foreignKeySchema).optional(),
    primary_key: z.array(nonEmpty).min(1).optional(),
    description: z.string().optional(),
  }),
);

/** The document with its tables left unchecked, so each table is validated on its own. */
export const documentSchema = z.strictObject({
  version: z.literal(1).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  locale: nonEmpty.optional(),
  rows: z.number().int().min(0).optional(),
  reference_date: z.union([z.string(), z.date()]).optional(),
  output_format: z.enum(['csv', 'json', 'jsonl', 'parquet']).optional(),
  tables: z.array(z.unknown()).min(1, { error: 'needs at least one table' }),
  description: z.string().optional(),
});

/** The top level of a config that passed the structural schema. */
export type DocumentConfig = z.infer<typeof documentSchema>;
/** One table (normalised form), columns not yet checked. */
export type TableConfig = z.infer<typeof tableSchema>;
/** One column (normalised form). */
export type ColumnConfig = z.infer<typeof columnSchema>;
/** A rule of a column (normalised form). */
export type RuleConfig = NonNullable<ColumnConfig['rule']>;
/** A conditional rule of a column (normalised form). */
export type ConditionalRuleConfig = NonNullable<ColumnConfig['conditional_rules']>[number];
