/**
 * Validation of a whole schema config into a {@link SchemaPlan}. Every table and column is checked
 * on its own, so one broken column does not hide the problems of the others; then keys, foreign
 * keys and the table order are checked across tables. All problems come back at once, each with
 * its path in the document.
 */
import type { z } from 'zod';
import { PhysicalType } from '../table.js';
import {
  columnSchema,
  documentSchema,
  normalizeRule,
  tableSchema,
  type ColumnConfig,
  type DocumentConfig,
  type RuleConfig,
  type TableConfig,
} from './config-schema.js';
import {
  choiceFileKey,
  compileRule,
  convertChoiceValue,
  fitsColumnType,
  joinKinds,
  type CompiledRule,
  type LoadedChoiceFile,
  type ValueKind,
} from './compile-rule.js';
import { parseDateTimeMs } from './date-format.js';
import { resolveFakerLocale } from './faker-provider.js';
import type {
  ColumnPlan,
  ConditionalRule,
  ForeignKeyPlan,
  SchemaPlan,
  ScalarValue,
  TablePlan,
  ValueRule,
} from './plan.js';
import { isRecord, ProblemList, type SchemaProblem } from './problems.js';
import { orderTables } from './table-order.js';

/** Options of {@link validateSchemaConfig}. */
export interface ValidateSchemaOptions {
  /**
   * Multiplies every table's row count (rounded).
   * @default 1
   */
  rowsScale?: number;
  /** Choice files read by the caller, keyed by {@link ChoiceFileRef.key}; core reads no files. */
  choiceFiles?: ReadonlyMap<string, LoadedChoiceFile>;
}

/** Outcome of validation: a plan when there are no problems. */
export interface SchemaValidation {
  plan: SchemaPlan | null;
  problems: SchemaProblem[];
}

/** A choice file a config refers to, for the caller to read before validation. */
export interface ChoiceFileRef {
  /** Key under which to pass the loaded list in {@link ValidateSchemaOptions.choiceFiles}. */
  key: string;
  /** As written in the config (relative to the config file). */
  file: string;
  /** Column holding the values; the first column if not named. */
  column: string | undefined;
  /** Column holding the weights, if any. */
  weightColumn: string | undefined;
  /** Excel sheet by name or 1-based number; the first sheet if not named. */
  sheet: string | number | undefined;
  /** CSV delimiter; detected if not named. */
  delimiter: string | undefined;
}

/** Nullable columns without an explicit null_rate get this share of nulls. */
export const DEFAULT_NULL_RATE = 0.1;
/** Fixed "now" for relative Faker methods unless the config sets reference_date. */
export const DEFAULT_REFERENCE_DATE = '2025-01-01T00:00:00.000Z';
const DEFAULT_LOCALE = 'en_US';

type Path = (string | number)[];

const COLUMN_TYPE_MAP: Readonly<Record<string, PhysicalType>> = {
  int: PhysicalType.Integer,
  integer: PhysicalType.Integer,
  bigint: PhysicalType.Integer,
  float: PhysicalType.Float,
  double: PhysicalType.Float,
  decimal: PhysicalType.Float,
  number: PhysicalType.Float,
  str: PhysicalType.String,
  string: PhysicalType.String,
  text: PhysicalType.String,
  bool: PhysicalType.Boolean,
  boolean: PhysicalType.Boolean,
  date: PhysicalType.Date,
  datetime: PhysicalType.Timestamp,
  timestamp: PhysicalType.Timestamp,
};

/** Every choice file the config refers to (from any rule that names one, even in otherwise broken parts). */
export function listChoiceFiles(raw: unknown): ChoiceFileRef[] {
  const refs: ChoiceFileRef[] = [];
  if (!isRecord(raw) || !Array.isArray(raw.tables)) return refs;
  raw.tables.forEach((table: unknown, t) => {
    if (!isRecord(table) || !Array.isArray(table.columns)) return;
    table.columns.forEach((column: unknown, c) => {
      if (!isRecord(column)) return;
      const rules: [unknown, Path][] = [[column.rule, ['tables', t, 'columns', c, 'rule']]];
      if (Array.isArray(column.conditional_rules)) {
        column.conditional_rules.forEach((cr: unknown, k) => {
          if (isRecord(cr))
            rules.push([cr.rule ?? cr.then, ['tables', t, 'columns', c, 'conditional_rules', k, 'rule']]);
        });
      }
      for (const [ruleRaw, at] of rules) {
        const rule = normalizeRule(ruleRaw);
        if (!isRecord(rule) || rule.type !== 'choice_file' || typeof rule.file !== 'string') continue;
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        refs.push({
          key: choiceFileKey(at),
          file: rule.file,
          column: str(rule.column),
          weightColumn: str(rule.weight_column),
          sheet: typeof rule.sheet === 'number' || typeof rule.sheet === 'string' ? rule.sheet : undefined,
          delimiter: str(rule.delimiter),
        });
      }
    });
  });
  return refs;
}

/** Validates a parsed config document; returns every problem, and the plan when there are none. */
export function validateSchemaConfig(raw: unknown, options: ValidateSchemaOptions = {}): SchemaValidation {
  const problems = new ProblemList(raw);
  const rowsScale = options.rowsScale ?? 1;
  const doc = parseWith(documentSchema, raw, [], problems);
  if (doc === null) {
    // Tables can still be checked one by one when only a top-level field is wrong.
    if (isRecord(raw) && Array.isArray(raw.tables)) checkTablesAlone(raw.tables, problems, options);
    return { plan: null, problems: problems.items };
  }
  const referenceDate = checkReferenceDate(doc, problems);
  const locale = doc.locale ?? DEFAULT_LOCALE;
  if (doc.locale !== undefined && resolveFakerLocale(doc.locale) === null) {
    problems.add(['locale'], 'is not a locale Faker knows (e.g. en_US, de_DE, fr)');
  }
  const drafts: TableDraft[] = [];
  doc.tables.forEach((rawTable, t) => {
    const draft = checkTable(rawTable, ['tables', t], {
      doc,
      locale,
      referenceDate,
      rowsScale,
      problems,
      options,
    });
    if (draft) drafts.push(draft);
  });
  const tableCount = new Map<string, number>();
  for (const d of drafts) tableCount.set(d.name, (tableCount.get(d.name) ?? 0) + 1);
  for (const d of drafts) {
    if ((tableCount.get(d.name) ?? 0) > 1)
      problems.add([...d.at, 'table_name'], 'another table has the same name');
  }
  const byName = new Map(drafts.map((d) => [d.name, d]));
  const invalidTableNames = namesOf(doc.tables, 'table_name', 'name');
  for (const d of drafts) checkForeignKeys(d, byName, invalidTableNames, problems);
  const ordered = orderTables(
    drafts.map((d) => d.name),
    (name) => byName.get(name)?.plan.foreignKeys.map((fk) => fk.parentTable) ?? [],
  );
  if (ordered.cycle) {
    const first = byName.get(ordered.cycle[0] as string) as TableDraft;
    problems.add([...first.at, 'foreign_keys'], `foreign keys form a cycle: ${ordered.cycle.join(' → ')}`);
  }
  if (problems.items.length > 0 || !ordered.order) return { plan: null, problems: problems.items };
  return {
    plan: {
      seed: doc.seed ?? null,
      locale,
      referenceDate,
      outputFormat: doc.output_format ?? null,
      tables: ordered.order.map((name) => (byName.get(name) as TableDraft).plan),
    },
    problems: [],
  };
}

/** Like {@link validateSchemaConfig}, but throws a SchemaConfigError listing every problem. */
export function buildSchemaPlan(raw: unknown, options: ValidateSchemaOptions = {}): SchemaPlan {
  const { plan, problems } = validateSchemaConfig(raw, options);
  if (plan === null) {
    const list = new ProblemList(raw);
    list.items.push(...problems);
    list.throwIfAny();
  }
  return plan as SchemaPlan;
}

interface TableContext {
  doc: DocumentConfig;
  locale: string;
  referenceDate: string;
  rowsScale: number;
  problems: ProblemList;
  options: ValidateSchemaOptions;
}

interface TableDraft {
  name: string;
  at: Path;
  config: TableConfig;
  plan: TablePlan;
  /** Column names that exist but failed validation (so references to them are not reported twice). */
  invalidColumns: Set<string>;
}

function checkTablesAlone(tables: unknown[], problems: ProblemList, options: ValidateSchemaOptions): void {
  const doc: DocumentConfig = { tables };
  tables.forEach((rawTable, t) => {
    checkTable(rawTable, ['tables', t], {
      doc,
      locale: DEFAULT_LOCALE,
      referenceDate: DEFAULT_REFERENCE_DATE,
      rowsScale: options.rowsScale ?? 1,
      problems,
      options,
    });
  });
}

function checkReferenceDate(doc: DocumentConfig, problems: ProblemList): string {
  if (doc.reference_date === undefined) return DEFAULT_REFERENCE_DATE;
  const ms = parseDateTimeMs(doc.reference_date);
  if (ms === null) {
    problems.add(['reference_date'], 'must be a date or an ISO datetime');
    return DEFAULT_REFERENCE_DATE;
  }
  return new Date(ms).toISOString();
}

function checkTable(rawTable: unknown, at: Path, ctx: TableContext): TableDraft | null {
  const { problems } = ctx;
  const table = parseWith(tableSchema, rawTable, at, problems);
  if (table === null) return null;
  const rowsBase = table.rows ?? ctx.doc.rows;
  if (rowsBase === undefined)
    problems.add([...at, 'rows'], 'is required (set rows on the table or at the top level)');
  const rows = Math.round((rowsBase ?? 0) * ctx.rowsScale);
  const locale = table.locale ?? ctx.locale;
  const localeAt: Path = table.locale !== undefined ? [...at, 'locale'] : ['locale'];
  if (table.locale !== undefined && resolveFakerLocale(table.locale) === null) {
    problems.add(localeAt, 'is not a locale Faker knows (e.g. en_US, de_DE, fr)');
  }
  const allNames = namesOf(table.columns, 'name');
  // Columns that exist but failed their own checks: references to them are not reported again.
  const invalidColumns = new Set<string>();
  const fkColumns = new Map<string, { key: number; parentTable: string; parentColumn: string }>();
  (table.foreign_keys ?? []).forEach((fk, k) => {
    fk.child_columns.forEach((child, i) => {
      if (fkColumns.has(child)) {
        problems.add(
          [...at, 'foreign_keys', k, 'child_columns', i],
          'column is already part of another foreign key',
        );
        return;
      }
      fkColumns.set(child, {
        key: k,
        parentTable: fk.parent_table,
        parentColumn: fk.parent_columns[i] ?? '',
      });
    });
  });
  const pkList = new Set(table.primary_key ?? []);
  const columns: ColumnPlan[] = [];
  const columnConfigs: ColumnConfig[] = [];
  const seen = new Set<string>();
  table.columns.forEach((rawColumn, c) => {
    const colAt: Path = [...at, 'columns', c];
    const column = parseWith(columnSchema, rawColumn, colAt, problems);
    if (column === null) {
      if (isRecord(rawColumn) && typeof rawColumn.name === 'string') invalidColumns.add(rawColumn.name);
      return;
    }
    if (seen.has(column.name)) {
      problems.add([...colAt, 'name'], 'another column of this table has the same name');
      return;
    }
    const plan = checkColumn(column, colAt, {
      ...ctx,
      table,
      tableAt: at,
      rows,
      locale: column.locale ?? locale,
      localeAt: column.locale !== undefined ? [...colAt, 'locale'] : localeAt,
      earlier: new Map(columns.map((p) => [p.name, p])),
      earlierInvalid: new Set(invalidColumns),
      inPrimaryKeyList: pkList.has(column.name),
      foreignKey: fkColumns.get(column.name) ?? null,
    });
    seen.add(column.name);
    if (plan) {
      columns.push(plan);
      columnConfigs.push(column);
    } else invalidColumns.add(column.name);
  });
  const names = allNames;
  [...pkList].forEach((name) => {
    if (!names.has(name))
      problems.add(
        [...at, 'primary_key', (table.primary_key ?? []).indexOf(name)],
        'names no column of this table',
      );
  });
  const primaryKey = columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (primaryKey.length === 1) {
    const pk = columns.find((c) => c.primaryKey) as ColumnPlan;
    pk.unique = true;
  }
  const foreignKeys: ForeignKeyPlan[] = (table.foreign_keys ?? []).map((fk) => {
    const childPlans = fk.child_columns.map((n) => columns.find((c) => c.name === n));
    const samePrimaryKey =
      primaryKey.length > 0 &&
      primaryKey.length === fk.child_columns.length &&
      fk.child_columns.every((n) => primaryKey.includes(n));
    return {
      parentTable: fk.parent_table,
      parentColumns: fk.parent_columns,
      childColumns: fk.child_columns,
      oneToOne: samePrimaryKey || (childPlans.length === 1 && childPlans[0]?.unique === true),
    };
  });
  (table.foreign_keys ?? []).forEach((fk, k) => {
    const fkAt: Path = [...at, 'foreign_keys', k];
    if (fk.parent_columns.length !== fk.child_columns.length) {
      problems.add(
        [...fkAt, 'child_columns'],
        `names ${fk.child_columns.length} columns but parent_columns names ${fk.parent_columns.length}`,
      );
    }
    fk.child_columns.forEach((child, i) => {
      if (!names.has(child)) problems.add([...fkAt, 'child_columns', i], 'names no column of this table');
    });
  });
  columnConfigs.forEach((config, i) => {
    if (config.constraints?.includes('foreign_key') && !fkColumns.has(config.name)) {
      const c = table.columns.findIndex((rc) => isRecord(rc) && rc.name === config.name);
      problems.add(
        [...at, 'columns', c, 'constraints'],
        'is marked as a foreign key, but no foreign_keys entry of the table names this column',
      );
      void i;
    }
  });
  return {
    name: table.table_name,
    at,
    config: table,
    invalidColumns,
    plan: { name: table.table_name, rows, columns, primaryKey, foreignKeys, path: pathOf(ctx.problems, at) },
  };
}

interface ColumnContext extends TableContext {
  table: TableConfig;
  tableAt: Path;
  rows: number;
  locale: string;
  localeAt: Path;
  earlier: Map<string, ColumnPlan>;
  earlierInvalid: Set<string>;
  inPrimaryKeyList: boolean;
  foreignKey: { key: number; parentTable: string; parentColumn: string } | null;
}

function checkColumn(column: ColumnConfig, at: Path, ctx: ColumnContext): ColumnPlan | null {
  const { problems } = ctx;
  const before = problems.items.length;
  const constraints = new Set(column.constraints ?? []);
  const primaryKey = constraints.has('primary_key') || column.primary_key === true || ctx.inPrimaryKeyList;
  const unique = primaryKey ? !isCompositeKey(ctx) : constraints.has('unique') || column.unique === true;
  const notNull =
    primaryKey || constraints.has('not_null') || column.not_null === true || column.nullable === false;
  if (notNull && column.nullable === true) {
    problems.add(
      [...at, 'nullable'],
      primaryKey ? 'a primary key column cannot be nullable' : 'contradicts the not-null constraint',
    );
  }
  if (notNull && (column.null_rate ?? 0) > 0) {
    problems.add(
      [...at, 'null_rate'],
      primaryKey ? 'a primary key column cannot have nulls' : 'a not-null column cannot have nulls',
    );
  }
  const nullRate = notNull ? 0 : (column.null_rate ?? (column.nullable === true ? DEFAULT_NULL_RATE : 0));
  const declaredType = column.type === undefined ? undefined : COLUMN_TYPE_MAP[column.type];

  if (ctx.foreignKey !== null) {
    if (column.rule !== undefined)
      problems.add([...at, 'rule'], 'takes its values from the foreign key; remove the rule');
    if (column.conditional_rules !== undefined) {
      problems.add(
        [...at, 'conditional_rules'],
        'takes its values from the foreign key; remove the conditional rules',
      );
    }
    if (problems.items.length > before) return null;
    return {
      name: column.name,
      // Resolved from the parent column once all tables are known (checkForeignKeys).
      type: declaredType ?? PhysicalType.String,
      rule: null,
      conditionalRules: [],
      nullRate,
      unique,
      primaryKey,
      foreignKey: {
        key: ctx.foreignKey.key,
        parentTable: ctx.foreignKey.parentTable,
        parentColumn: ctx.foreignKey.parentColumn,
      },
      path: pathOf(problems, at),
      ...(declaredType === undefined ? { [UNTYPED]: true } : {}),
    };
  }

  if (column.rule === undefined && column.conditional_rules === undefined) {
    problems.add(at, 'needs a rule (or a foreign_keys entry of its table)');
    return null;
  }
  if (column.rule === undefined && notNull) {
    problems.add(
      [...at, 'rule'],
      'is required for a not-null column: rows that match no conditional rule would be null',
    );
  }
  const ruleCtx = (ruleAt: Path) => ({
    problems,
    at: ruleAt,
    declaredType,
    locale: { value: ctx.locale, at: ctx.localeAt },
    referenceDate: ctx.referenceDate,
    choiceFiles: ctx.options.choiceFiles,
  });
  const compiled: { rule: CompiledRule; at: Path }[] = [];
  let defaultRule: CompiledRule | null = null;
  if (column.rule !== undefined) {
    defaultRule = compileRule(column.rule as RuleConfig, ruleCtx([...at, 'rule']));
    if (defaultRule) compiled.push({ rule: defaultRule, at: [...at, 'rule'] });
  }
  const conditionals: { when: ConditionalRule['when']; compiled: CompiledRule | null; at: Path }[] = [];
  (column.conditional_rules ?? []).forEach((cr, k) => {
    const crAt: Path = [...at, 'conditional_rules', k];
    const when = checkCondition(cr.when, [...crAt, 'when'], ctx);
    const rule = compileRule(cr.rule as RuleConfig, ruleCtx([...crAt, 'rule']));
    if (rule) compiled.push({ rule, at: [...crAt, 'rule'] });
    if (when) conditionals.push({ when, compiled: rule, at: crAt });
  });
  if (problems.items.length > before) return null;

  const inferred = compiled.reduce<ValueKind>((k, c) => joinKinds(k, c.rule.kind), 'null');
  const type = declaredType ?? (inferred === 'null' ? PhysicalType.String : inferred);
  const typeLabel = column.type ?? type;
  const finalize = (c: CompiledRule, ruleAt: Path): ValueRule | null =>
    finalizeRule(c, type, typeLabel, notNull, ruleAt, problems);
  const rule = defaultRule ? finalize(defaultRule, [...at, 'rule']) : null;
  const conditionalRules: ConditionalRule[] = [];
  for (const c of conditionals) {
    const r = c.compiled ? finalize(c.compiled, [...c.at, 'rule']) : null;
    if (r) conditionalRules.push({ when: c.when, rule: r });
  }
  if (problems.items.length > before) return null;

  if (
    unique &&
    conditionalRules.length === 0 &&
    defaultRule?.domainSize != null &&
    defaultRule.domainSize < ctx.rows
  ) {
    const rule0 = defaultRule.rule;
    const hint = rule0.kind === 'choice' ? 'distinct choice values' : 'distinct values';
    problems.add(
      [...at, 'rule'],
      `can give only ${defaultRule.domainSize} ${hint}, but the column is unique and the table has ${ctx.rows} rows`,
    );
    return null;
  }
  if (unique && rule?.kind === 'constant' && ctx.rows > 1) {
    problems.add(
      [...at, 'rule'],
      `gives one value, but the column is unique and the table has ${ctx.rows} rows`,
    );
    return null;
  }
  return {
    name: column.name,
    type,
    rule,
    conditionalRules,
    nullRate,
    unique,
    primaryKey,
    foreignKey: null,
    path: pathOf(problems, at),
  };
}

/** Marks FK columns whose type comes from the parent column (not serialised: set and cleared during validation). */
const UNTYPED = Symbol('untyped');

function isCompositeKey(ctx: ColumnContext): boolean {
  const fromList = ctx.table.primary_key?.length ?? 0;
  const fromColumns = ctx.table.columns.filter(
    (c) =>
      isRecord(c) &&
      ((Array.isArray(c.constraints) &&
        c.constraints.some(
          (k) =>
            typeof k === 'string' &&
            ['pk', 'primary_key', 'primary key', 'primarykey'].includes(k.trim().toLowerCase()),
        )) ||
        c.primary_key === true) &&
      !(ctx.table.primary_key ?? []).includes(String(c.name)),
  ).length;
  return fromList + fromColumns > 1;
}

/** The rule with choice values converted to the column type; null after recording a value or kind that does not fit. */
function finalizeRule(
  compiled: CompiledRule,
  type: PhysicalType,
  typeLabel: string,
  notNull: boolean,
  at: Path,
  problems: ProblemList,
): ValueRule | null {
  const rule = compiled.rule;
  if (rule.kind === 'choice') {
    const values: ScalarValue[] = [];
    for (let i = 0; i < rule.values.length; i++) {
      const converted = convertChoiceValue(rule.values[i] as ScalarValue, type);
      // File values are located by their position in the file (the loader numbered lines); never quoted.
      const where: Path = compiled.textChoices ? ['file'] : ['values', i];
      const which = compiled.textChoices ? `value ${i + 1} of the choice file` : 'value';
      if (converted === undefined) {
        problems.add([...at, ...where], `${which} does not fit the column type ${typeLabel}`);
        return null;
      }
      if (converted === null && notNull) {
        problems.add([...at, ...where], `${which} is null, but the column is not-null`);
        return null;
      }
      values.push(converted);
    }
    return { ...rule, values };
  }
  if (!fitsColumnType(compiled.kind, type)) {
    problems.add(at, `gives ${kindLabel(compiled.kind)} values, but the column type is ${typeLabel}`);
    return null;
  }
  if (rule.kind === 'constant' && rule.value === null && notNull) {
    problems.add([...at, 'value'], 'is null, but the column is not-null');
    return null;
  }
  return rule;
}

function kindLabel(kind: ValueKind): string {
  const labels: Record<ValueKind, string> = {
    integer: 'integer',
    float: 'decimal',
    string: 'text',
    boolean: 'boolean',
    date: 'date',
    timestamp: 'datetime',
    null: 'null',
  };
  return labels[kind];
}

function checkCondition(
  when: ConditionalRule['when'],
  at: Path,
  ctx: ColumnContext,
): ConditionalRule['when'] | null {
  const { problems } = ctx;
  let ok = true;
  if (!ctx.earlier.has(when.column) && !ctx.earlierInvalid.has(when.column)) {
    problems.add([...at, 'column'], 'must name an earlier column of this table');
    ok = false;
  }
  const list = when.op === 'in' || when.op === 'not_in';
  if (list && !Array.isArray(when.value)) {
    problems.add([...at, 'value'], `must be a list for op ${when.op}`);
    ok = false;
  }
  if (!list && Array.isArray(when.value)) {
    problems.add([...at, 'value'], `must be a single value for op ${when.op} (use op in for a list)`);
    ok = false;
  }
  if (
    ['gt', 'gte', 'lt', 'lte'].includes(when.op) &&
    (when.value === null || typeof when.value === 'boolean')
  ) {
    problems.add([...at, 'value'], `must be a number, a date or text for op ${when.op}`);
    ok = false;
  }
  return ok ? when : null;
}

function checkForeignKeys(
  draft: TableDraft,
  byName: Map<string, TableDraft>,
  invalidTables: Set<string>,
  problems: ProblemList,
): void {
  draft.plan.foreignKeys.forEach((fk, k) => {
    const fkAt: Path = [...draft.at, 'foreign_keys', k];
    const parent = byName.get(fk.parentTable);
    if (!parent) {
      if (!invalidTables.has(fk.parentTable))
        problems.add([...fkAt, 'parent_table'], `names no table of this config (${fk.parentTable})`);
      return;
    }
    const parentPlans = fk.parentColumns.map((name, i) => {
      const plan = parent.plan.columns.find((c) => c.name === name);
      if (!plan && !parent.invalidColumns.has(name)) {
        problems.add([...fkAt, 'parent_columns', i], `names no column of table ${parent.name}`);
      }
      return plan;
    });
    if (parentPlans.some((p) => p === undefined)) return;
    const plans = parentPlans as ColumnPlan[];
    const isKey =
      (plans.length === 1 && plans[0]?.unique === true) ||
      (plans.length === parent.plan.primaryKey.length && plans.every((p) => p.primaryKey));
    if (!isKey) {
      problems.add(
        [...fkAt, 'parent_columns'],
        `must be the primary key or a unique column of table ${parent.name}`,
      );
    } else if (plans.some((p) => p.nullRate > 0)) {
      problems.add([...fkAt, 'parent_columns'], `must be not-null in table ${parent.name}`);
    }
    fk.childColumns.forEach((childName, i) => {
      const child = draft.plan.columns.find((c) => c.name === childName) as
        (ColumnPlan & { [UNTYPED]?: boolean }) | undefined;
      const parentColumn = plans[i];
      if (!child || !parentColumn) return;
      if (child[UNTYPED]) {
        child.type = parentColumn.type;
        delete child[UNTYPED];
      } else if (!fitsColumnType(parentColumn.type, child.type)) {
        const c = draft.config.columns.findIndex((rc) => isRecord(rc) && rc.name === childName);
        problems.add(
          [...draft.at, 'columns', c, 'type'],
          `does not fit the type of ${parent.name}.${parentColumn.name} (${parentColumn.type})`,
        );
      }
    });
    const nullable = fk.childColumns.some(
      (n) => (draft.plan.columns.find((c) => c.name === n)?.nullRate ?? 0) > 0,
    );
    if (parent.plan.rows === 0 && draft.plan.rows > 0 && !nullable) {
      problems.add([...fkAt, 'parent_table'], `table ${parent.name} has no rows to refer to`);
    }
    if (fk.oneToOne && draft.plan.rows > parent.plan.rows) {
      problems.add(
        [...fkAt, 'child_columns'],
        `are unique, so each ${parent.name} row is used at most once, but the table has more rows (${draft.plan.rows}) than ${parent.name} (${parent.plan.rows})`,
      );
    }
  });
}

function namesOf(items: readonly unknown[], ...keys: string[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    if (!isRecord(item)) continue;
    for (const key of keys) if (typeof item[key] === 'string') out.add(item[key]);
  }
  return out;
}

function pathOf(problems: ProblemList, at: Path): string {
  return problems.pathOf(at);
}

/** Parses `value` with `schema`, recording each issue as a problem under `at`; null if any. */
function parseWith<T>(schema: z.ZodType<T>, value: unknown, at: Path, problems: ProblemList): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path: Path = [...at, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.add([...path, key], 'unknown field');
      continue;
    }
    problems.add(path, issueMessage(issue));
  }
  return null;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'type') {
    const options = (issue as { options?: unknown[] }).options ?? [];
    return `unknown rule type (expected one of: ${options.join(', ')}; or a Faker method such as person.firstName)`;
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  if (issue.code === 'invalid_type') return issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_value') return issue.message.replace(/^Invalid option: /, '');
  return issue.message.replace(/^(Too big|Too small): /, '');
}
