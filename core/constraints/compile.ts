/**
 * Binds a constraint list to a table's columns: resolves names to positions, decides whether
 * compared columns hold numbers or dates, parses bounds and compiles patterns, and rejects what
 * can never hold (unknown columns, a range on text, a bound of the wrong kind) with a ConfigError
 * at the constraint's path. What comes out is checked row by row by {@link satisfiesConstraint}.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../random/index.js';
import { parseDatetimeMs } from '../synth/datetime-codec.js';
import type { CellValue, PhysicalType, TableSchema } from '../table.js';
import { createRegexSampler } from '../text/regex-sample.js';
import { readComparable, ValueDomain } from './cell-domain.js';
import { CombinationIndex } from './combination-index.js';
import type { Constraint, CustomConstraint, InequalityOperator, RowRecord } from './spec.js';
import { describeConstraint } from './spec.js';

interface CompiledBase {
  /** Position in the caller's list. */
  index: number;
  label: string;
  /** Config path, e.g. `constraints[2]`. */
  field: string;
}

/** A compiled `range`, `positive` or `negative`: bounds in the column's comparable domain. */
export interface CompiledBounds extends CompiledBase {
  kind: 'range' | 'positive' | 'negative';
  column: number;
  domain: ValueDomain;
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

/** A compiled `regex`; the sampler is made on first use because some checkable patterns cannot be generated. */
export interface CompiledRegex extends CompiledBase {
  kind: 'regex';
  column: number;
  regex: RegExp;
  pattern: string;
  sampler: () => (rng: Rng) => string;
}

/** A compiled `unique` or `primaryKey`. */
export interface CompiledKey extends CompiledBase {
  kind: 'unique' | 'primaryKey';
  columns: number[];
  /** Key column changed to make a duplicate unique. */
  bumpColumn: number;
}

/** A compiled inequality, normalised to `big ≥ small` (or `>` when strict). */
export interface CompiledInequality extends CompiledBase {
  kind: 'inequality';
  big: number;
  small: number;
  strict: boolean;
  domain: ValueDomain;
}

/** A compiled `fixedCombinations`. */
export interface CompiledCombinations extends CompiledBase {
  kind: 'fixedCombinations';
  columns: number[];
  combos: CombinationIndex;
}

/** A compiled custom predicate. */
export interface CompiledCustom extends CompiledBase {
  kind: 'custom';
  predicate: CustomConstraint['predicate'];
  repair: CustomConstraint['repair'];
}

/** Any compiled constraint. */
export type CompiledConstraint =
  CompiledBounds | CompiledRegex | CompiledKey | CompiledInequality | CompiledCombinations | CompiledCustom;

/** A constraint list bound to one table schema. */
export interface CompiledConstraintSet {
  schema: TableSchema;
  constraints: CompiledConstraint[];
  /** Constraints decidable from one row alone (everything but uniqueness; a primary key's not-null part is row-local). */
  rowLocal: CompiledConstraint[];
  keys: CompiledKey[];
}

const NUMERIC_TYPES: ReadonlySet<PhysicalType> = new Set(['integer', 'float']);
const DATE_TYPES: ReadonlySet<PhysicalType> = new Set(['date', 'timestamp']);

/** Compiles `constraints` for tables of `schema`; throws a ConfigError at the first problem's path under `root`. */
export function compileConstraints(
  constraints: readonly Constraint[],
  schema: TableSchema,
  root = 'constraints',
): CompiledConstraintSet {
  const positions = new Map(schema.columns.map((c, i) => [c.name, i]));
  const compiled = constraints.map((c, index) =>
    compileOne(c, index, `${root}[${index}]`, schema, positions),
  );
  const combinationColumns = new Set<number>();
  for (const c of compiled)
    if (c.kind === 'fixedCombinations') for (const col of c.columns) combinationColumns.add(col);
  const keys = compiled.filter((c): c is CompiledKey => c.kind === 'unique' || c.kind === 'primaryKey');
  for (const key of keys) key.bumpColumn = chooseBumpColumn(key, schema, combinationColumns);
  return {
    schema,
    constraints: compiled,
    rowLocal: compiled.filter((c) => c.kind !== 'unique'),
    keys,
  };
}

function compileOne(
  c: Constraint,
  index: number,
  field: string,
  schema: TableSchema,
  positions: Map<string, number>,
): CompiledConstraint {
  const base = { index, label: describeConstraint(c), field };
  const resolve = (name: string, path: string): number => {
    const at = positions.get(name);
    if (at === undefined) throw new ConfigError('names a column the table does not have', `${field}.${path}`);
    return at;
  };
  const typeOf = (col: number): PhysicalType => (schema.columns[col] as { type: PhysicalType }).type;
  switch (c.kind) {
    case 'range': {
      const column = resolve(c.column, 'column');
      const domain = boundsDomain(typeOf(column), [c.min, c.max], field);
      const min = c.min === undefined ? Number.NEGATIVE_INFINITY : readBound(c.min, domain, `${field}.min`);
      const max = c.max === undefined ? Number.POSITIVE_INFINITY : readBound(c.max, domain, `${field}.max`);
      const minExclusive = c.minExclusive ?? false;
      const maxExclusive = c.maxExclusive ?? false;
      if (min > max || (min === max && (minExclusive || maxExclusive)))
        throw new ConfigError('leaves no value between min and max', `${field}.max`);
      return { ...base, kind: 'range', column, domain, min, max, minExclusive, maxExclusive };
    }
    case 'positive':
    case 'negative': {
      const column = resolve(c.column, 'column');
      if (!NUMERIC_TYPES.has(typeOf(column)))
        throw new ConfigError('needs a numeric column', `${field}.column`);
      const strict = c.strict ?? true;
      return {
        ...base,
        kind: c.kind,
        column,
        domain: ValueDomain.Number,
        min: c.kind === 'positive' ? 0 : Number.NEGATIVE_INFINITY,
        max: c.kind === 'negative' ? 0 : Number.POSITIVE_INFINITY,
        minExclusive: c.kind === 'positive' && strict,
        maxExclusive: c.kind === 'negative' && strict,
      };
    }
    case 'regex': {
      const column = resolve(c.column, 'column');
      if (typeOf(column) !== 'string') throw new ConfigError('needs a string column', `${field}.column`);
      const regex = compileAnchored(c.pattern, `${field}.pattern`);
      let sampler: ((rng: Rng) => string) | undefined;
      return {
        ...base,
        kind: 'regex',
        column,
        regex,
        pattern: c.pattern,
        sampler: () => (sampler ??= createRegexSampler(c.pattern, { field: `${field}.pattern` })),
      };
    }
    case 'unique':
    case 'primaryKey': {
      if (c.columns.length === 0) throw new ConfigError('needs at least one column', `${field}.columns`);
      const columns = c.columns.map((name, i) => resolve(name, `columns[${i}]`));
      if (new Set(columns).size !== columns.length)
        throw new ConfigError('lists a column twice', `${field}.columns`);
      if (columns.every((col) => typeOf(col) === 'boolean'))
        throw new ConfigError('needs a non-boolean column to keep values distinct', `${field}.columns`);
      return { ...base, kind: c.kind, columns, bumpColumn: columns[columns.length - 1] as number };
    }
    case 'inequality': {
      const left = resolve(c.left, 'left');
      const right = resolve(c.right, 'right');
      if (left === right) throw new ConfigError('compares a column with itself', `${field}.right`);
      const domain = pairDomain(typeOf(left), typeOf(right), field);
      const { big, small, strict } = orient(left, right, c.op);
      return { ...base, kind: 'inequality', big, small, strict, domain };
    }
    case 'fixedCombinations': {
      const columns = c.columns.map((name, i) => resolve(name, `columns[${i}]`));
      if (new Set(columns).size !== columns.length)
        throw new ConfigError('lists a column twice', `${field}.columns`);
      c.allowed.forEach((tuple, i) => {
        if (tuple.length !== columns.length)
          throw new ConfigError('must have one value per column', `${field}.allowed[${i}]`);
      });
      return {
        ...base,
        kind: 'fixedCombinations',
        columns,
        combos: new CombinationIndex(
          columns.map((col) => typeOf(col)),
          c.allowed,
        ),
      };
    }
    case 'custom':
      if (typeof c.predicate !== 'function')
        throw new ConfigError('needs a predicate function', `${field}.predicate`);
      return { ...base, kind: 'custom', predicate: c.predicate, repair: c.repair };
  }
}

function orient(
  left: number,
  right: number,
  op: InequalityOperator,
): { big: number; small: number; strict: boolean } {
  switch (op) {
    case '>=':
      return { big: left, small: right, strict: false };
    case '>':
      return { big: left, small: right, strict: true };
    case '<=':
      return { big: right, small: left, strict: false };
    case '<':
      return { big: right, small: left, strict: true };
  }
}

/** Numbers for numeric columns; dates for date columns and for string columns bounded by ISO strings. */
function boundsDomain(
  type: PhysicalType,
  bounds: (number | string | undefined)[],
  field: string,
): ValueDomain {
  if (NUMERIC_TYPES.has(type)) return ValueDomain.Number;
  if (DATE_TYPES.has(type)) return ValueDomain.Datetime;
  if (type === 'string' && bounds.some((b) => typeof b === 'string')) return ValueDomain.Datetime;
  throw new ConfigError('needs a numeric or date column', `${field}.column`);
}

function pairDomain(a: PhysicalType, b: PhysicalType, field: string): ValueDomain {
  if (NUMERIC_TYPES.has(a) && NUMERIC_TYPES.has(b)) return ValueDomain.Number;
  const dateLike = (t: PhysicalType) => DATE_TYPES.has(t) || t === 'string';
  if (dateLike(a) && dateLike(b)) return ValueDomain.Datetime;
  throw new ConfigError('compares columns that are not both numeric or both dates', `${field}.right`);
}

function readBound(value: number | string, domain: ValueDomain, field: string): number {
  if (domain === ValueDomain.Number) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new ConfigError('must be a finite number', field);
    return value;
  }
  if (typeof value !== 'string')
    throw new ConfigError('must be an ISO date or timestamp for a date column', field);
  const ms = parseDatetimeMs(value);
  if (Number.isNaN(ms)) throw new ConfigError('must be an ISO date or timestamp', field);
  return ms;
}

/** The pattern anchored at both ends, in unicode mode where it parses there (as the generator reads it) and plain mode otherwise. */
function compileAnchored(pattern: string, field: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    try {
      return new RegExp(`^(?:${pattern})$`);
    } catch (cause) {
      throw new ConfigError('is not a valid regular expression', field, { cause });
    }
  }
}

/** The key column a repair changes: the last that is neither boolean nor held by a fixed combination, if any. */
function chooseBumpColumn(key: CompiledKey, schema: TableSchema, combinationColumns: Set<number>): number {
  const usable = key.columns.filter((col) => schema.columns[col]?.type !== 'boolean');
  const free = usable.filter((col) => !combinationColumns.has(col));
  return (free[free.length - 1] ?? usable[usable.length - 1]) as number;
}

/** The row at `i` of columnar `arrays` as a record, for custom predicates. */
export function rowRecordAt(schema: TableSchema, arrays: readonly CellValue[][], i: number): RowRecord {
  const row: RowRecord = {};
  schema.columns.forEach((c, j) => {
    row[c.name] = (arrays[j] as CellValue[])[i] ?? null;
  });
  return row;
}

/** Whether a row-local constraint holds for row `i` of `arrays` (a primary key's uniqueness is checked elsewhere). */
export function satisfiesConstraint(
  c: CompiledConstraint,
  set: CompiledConstraintSet,
  arrays: readonly CellValue[][],
  i: number,
): boolean {
  switch (c.kind) {
    case 'range':
    case 'positive':
    case 'negative': {
      const v = (arrays[c.column] as CellValue[])[i] ?? null;
      if (v === null) return true;
      return withinBounds(readComparable(v, c.domain), c);
    }
    case 'regex': {
      const v = (arrays[c.column] as CellValue[])[i] ?? null;
      if (v === null) return true;
      return c.regex.test(typeof v === 'string' ? v : String(v));
    }
    case 'inequality': {
      const a = (arrays[c.big] as CellValue[])[i] ?? null;
      const b = (arrays[c.small] as CellValue[])[i] ?? null;
      if (a === null || b === null) return true;
      const x = readComparable(a, c.domain);
      const y = readComparable(b, c.domain);
      // NaN fails both comparisons, so unreadable values count as violations and get repaired.
      return c.strict ? x > y : x >= y;
    }
    case 'fixedCombinations':
      return c.combos.allowsRow(arrays, c.columns, i);
    case 'primaryKey':
      for (const col of c.columns) if (((arrays[col] as CellValue[])[i] ?? null) === null) return false;
      return true;
    case 'unique':
      return true;
    case 'custom':
      return c.predicate(rowRecordAt(set.schema, arrays, i));
  }
}

/** Whether comparable value `x` lies within the bounds (NaN never does). */
export function withinBounds(x: number, c: CompiledBounds): boolean {
  if (c.minExclusive ? !(x > c.min) : !(x >= c.min)) return false;
  return c.maxExclusive ? x < c.max : x <= c.max;
}

/** The columns a constraint reads, or undefined when it may read any (custom predicates). */
export function constraintColumns(c: CompiledConstraint): readonly number[] | undefined {
  switch (c.kind) {
    case 'range':
    case 'positive':
    case 'negative':
    case 'regex':
      return [c.column];
    case 'inequality':
      return [c.big, c.small];
    case 'unique':
    case 'primaryKey':
    case 'fixedCombinations':
      return c.columns;
    case 'custom':
      return undefined;
  }
}
