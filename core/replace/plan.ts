/**
 * Replacement plans: the default strategy per kind of personal data, merging the run config's
 * per-column overrides into those defaults, and checking that each strategy fits its column.
 */
import { ConfigError } from '../errors.js';
import { sensitiveColumns, type SensitivityReport } from '../pii/index.js';
import type { PhysicalType, TableSchema } from '../table.js';
import { DEFAULT_LOCALE, getLocaleData } from './locale-data.js';
import {
  replacementPlanSchema,
  StrategyName,
  type ReplacementPlan,
  type ReplacementStrategy,
} from './strategy.js';

/** Root of the plan in the run config; error fields are reported below it (`replacements.email.strategy`). */
export const PLAN_ROOT = 'replacements';

/** Options of {@link defaultReplacementPlan} and {@link resolvePlan}. */
export interface PlanOptions {
  /** Locale of default fakes. @default 'en_US' */
  locale?: string;
  /** Column types, to reject strategies that cannot fit a column (e.g. `generalize: month` on a string of names). */
  schema?: TableSchema;
}

/** The default strategy for a kind of personal data; kinds without a rule (including kinds added later) get `fake`. */
export function defaultStrategyFor(kind: string, locale: string = DEFAULT_LOCALE): ReplacementStrategy {
  switch (kind) {
    // Checksummed numbers: a new valid number in the same layout keeps validation code paths working.
    case 'credit_card':
    case 'iban':
    case 'ssn':
    case 'ip_address':
    case 'identifier':
      return { strategy: StrategyName.FormatPreserving, kind };
    // Prose keeps its words; only the personal data inside it is rewritten.
    case 'free_text':
      return { strategy: StrategyName.ScrubText, spans: 'fake', locale };
    default:
      return { strategy: StrategyName.Fake, kind, locale };
  }
}

/** The default plan of a table: one strategy per sensitive column (by confidence or reviewer override), chosen by its kind. */
export function defaultReplacementPlan(
  report: SensitivityReport,
  options: PlanOptions = {},
): ReplacementPlan {
  const plan: ReplacementPlan = {};
  for (const field of sensitiveColumns(report)) {
    plan[field.column] = defaultStrategyFor(field.kind, options.locale ?? DEFAULT_LOCALE);
  }
  return plan;
}

/**
 * Validates the `replacements` section of a run config against {@link replacementPlanSchema}.
 * @throws ConfigError whose field is the path at fault, e.g. `replacements.email.strategy`.
 */
export function parseReplacementPlan(input: unknown, root: string = PLAN_ROOT): ReplacementPlan {
  const parsed = replacementPlanSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  let field = root;
  for (const part of issue?.path ?? []) field += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
  throw new ConfigError(`${issue?.message ?? 'is invalid'}${more}`, field);
}

/**
 * The plan a run uses: defaults for every sensitive column, with the configured strategies
 * replacing them column by column (a configured column need not be sensitive: users may replace
 * any column). `kind` is filled in from the report where a strategy leaves it out.
 * @throws ConfigError naming `replacements.<column>` for a column the table does not have, or
 *   `replacements.<column>.<option>` for a strategy that does not fit the column or a malformed entry.
 */
export function resolvePlan(
  configured: unknown,
  report: SensitivityReport,
  options: PlanOptions = {},
): ReplacementPlan {
  const overrides = configured === undefined || configured === null ? {} : parseReplacementPlan(configured);
  const kinds = new Map(report.fields.map((f) => [f.column, f.kind as string] as const));
  const types = new Map(options.schema?.columns.map((c) => [c.name, c.type] as const) ?? []);
  const known = (column: string): boolean =>
    kinds.has(column) || (options.schema !== undefined && types.has(column));
  const plan = defaultReplacementPlan(report, options);
  for (const [column, strategy] of Object.entries(overrides)) {
    if (!known(column))
      throw new ConfigError('no column of that name in the table', `${PLAN_ROOT}.${column}`);
    plan[column] = withKind(strategy, kinds.get(column) ?? 'none');
  }
  for (const [column, strategy] of Object.entries(plan)) {
    const field = `${PLAN_ROOT}.${column}`;
    if ('locale' in strategy && strategy.locale !== undefined)
      getLocaleData(strategy.locale, `${field}.locale`);
    const type = types.get(column);
    if (type !== undefined) assertStrategyFits(strategy, type, field);
  }
  return plan;
}

function withKind(strategy: ReplacementStrategy, kind: string): ReplacementStrategy {
  switch (strategy.strategy) {
    case StrategyName.Fake:
    case StrategyName.FormatPreserving:
    case StrategyName.Pseudonymize:
      return strategy.kind === undefined ? { ...strategy, kind } : strategy;
    default:
      return strategy;
  }
}

/** Fake kinds that can be written into an integer column (they are digit strings at heart). */
const NUMERIC_KINDS: ReadonlySet<string> = new Set([
  'phone',
  'credit_card',
  'ssn',
  'postal_code',
  'identifier',
  'none',
]);

/**
 * Why a strategy cannot be applied to a column of `type` (null when it fits).
 * Mask and null fit everything; the others need a column whose values they can produce.
 */
export function strategyMisfit(strategy: ReplacementStrategy, type: PhysicalType): string | null {
  const numeric = type === 'integer' || type === 'float';
  const dated = type === 'date' || type === 'timestamp';
  switch (strategy.strategy) {
    case StrategyName.Mask:
    case StrategyName.Null:
      return null;
    case StrategyName.ScrubText:
      return type === 'string' ? null : `scrub_text needs a string column, not ${type}`;
    case StrategyName.GenerateText:
      return type === 'string' ? null : `generate_text needs a string column, not ${type}`;
    case StrategyName.Generalize:
      if (strategy.method === 'band' || strategy.method === 'round')
        return numeric ? null : `generalize ${strategy.method} needs a numeric column, not ${type}`;
      if (strategy.method === 'prefix')
        return type === 'string' ? null : `generalize prefix needs a string column, not ${type}`;
      return dated || type === 'string'
        ? null
        : `generalize ${strategy.method} needs a date column, not ${type}`;
    case StrategyName.Pseudonymize:
      return type === 'string' || type === 'integer'
        ? null
        : `pseudonymize needs a string or integer column, not ${type}`;
    case StrategyName.Fake:
    case StrategyName.FormatPreserving: {
      if (type === 'boolean') return `${strategy.strategy} cannot replace a boolean column`;
      const kind = strategy.kind ?? 'none';
      if (dated && kind !== 'date_of_birth' && kind !== 'none' && strategy.strategy === StrategyName.Fake)
        return `fake ${kind} values are not dates (the column is ${type})`;
      if (numeric && strategy.strategy === StrategyName.Fake && !NUMERIC_KINDS.has(kind))
        return `fake ${kind} values are not numbers (the column is ${type})`;
      return null;
    }
  }
}

/** Throws a ConfigError at `<field>.strategy` when the strategy does not fit the column type. */
export function assertStrategyFits(strategy: ReplacementStrategy, type: PhysicalType, field: string): void {
  const misfit = strategyMisfit(strategy, type);
  if (misfit !== null) throw new ConfigError(misfit, `${field}.strategy`);
}

/** The key names a plan needs (the worker resolves each from `UNDERSTUDY_PSEUDONYM_KEY_<NAME>`). */
export function requiredKeyNames(plan: ReplacementPlan): string[] {
  const names = new Set<string>();
  for (const s of Object.values(plan)) {
    if (s.strategy === StrategyName.Pseudonymize) names.add(s.key);
    if (s.strategy === StrategyName.ScrubText && s.spans === 'pseudonymize' && s.key !== undefined)
      names.add(s.key);
  }
  return [...names].sort();
}

/** The environment variable that holds a pseudonymization key (`customer` → `UNDERSTUDY_PSEUDONYM_KEY_CUSTOMER`). */
export function pseudonymKeyEnvName(keyName: string): string {
  return `UNDERSTUDY_PSEUDONYM_KEY_${keyName.toUpperCase()}`;
}
