/**
 * Generation of one table of a {@link SchemaPlan}, chunk by chunk. Rows are made in fixed blocks
 * of {@link SCHEMA_BLOCK_SIZE}; every column of every block draws from its own stream seeded by
 * (seed, table, column, block), so a chunk's rows are the same whatever the chunk size or order.
 * Uniqueness is exact: sequences and UUIDs are unique by construction, rules with a countable domain
 * (ranges, choices, dates) take value perm(row) of a keyed permutation, and the rest (regex, Faker,
 * conditional rules, composite keys) retry against the values already used, which is why such
 * tables are generated block after block from the start and keep those values in memory.
 */
import { ConfigError } from '../errors.js';
import { createPermutation, MAX_PERMUTATION_DOMAIN, type Permutation } from '../synth/keyed-permutation.js';
import { createRng, deriveSeed, type Rng } from '../random/index.js';
import type { CellValue, ColumnData, Table } from '../table.js';
import type { ColumnPlan, Condition, ForeignKeyPlan, SchemaPlan, TablePlan } from './plan.js';
import { createIndexedValue, createRuleSampler, uuidFromIndex, type RuleSampler } from './rule-sampler.js';

/** Rows per internal block: the unit of seeding, independent of the caller's chunk size. */
export const SCHEMA_BLOCK_SIZE = 1024;

/** Attempts to find an unused value for a unique column (or key) before giving up with a ConfigError. */
export const MAX_UNIQUE_ATTEMPTS = 1000;

/** Key values of already generated parent tables: table → column → value per parent row. */
export type ParentKeys = Readonly<Record<string, Readonly<Record<string, readonly CellValue[]>>>>;

/** Options of {@link createTableGenerator}. */
export interface TableGeneratorOptions {
  seed: number;
  /** Key columns of every parent table this table refers to (see {@link referencedKeyColumns}). */
  parentKeys?: ParentKeys;
}

/** Makes the rows of one table, chunk by chunk. */
export interface TableGenerator {
  readonly table: TablePlan;
  /** Rows [startRow, startRow + rowCount) of the table (clipped to its row count). */
  generateChunk(startRow: number, rowCount: number): Table;
}

const STREAM_VALUE = 1;
const STREAM_NULL = 2;
const STREAM_FOREIGN_KEY = 3;
const STREAM_PERMUTATION = 4;

/** Columns of `tableName` that child tables take foreign-key values from (keep these while generating it). */
export function referencedKeyColumns(plan: SchemaPlan, tableName: string): string[] {
  const out = new Set<string>();
  for (const t of plan.tables) {
    for (const fk of t.foreignKeys)
      if (fk.parentTable === tableName) fk.parentColumns.forEach((c) => out.add(c));
  }
  return [...out];
}

/** Rows [startRow, startRow + rowCount) of one table; for many chunks of one table prefer {@link createTableGenerator}. */
export function generateSchemaChunk(
  plan: SchemaPlan,
  tableName: string,
  options: TableGeneratorOptions & { startRow: number; rowCount: number },
): Table {
  return createTableGenerator(plan, tableName, options).generateChunk(options.startRow, options.rowCount);
}

/** A generator for the table named `tableName` of `plan`. */
export function createTableGenerator(
  plan: SchemaPlan,
  tableName: string,
  options: TableGeneratorOptions,
): TableGenerator {
  const table = plan.tables.find((t) => t.name === tableName);
  if (!table) throw new ConfigError(`no table named ${tableName} in the schema`, 'table');
  return new BlockGenerator(plan, table, options);
}

/** How a column gets its value. */
interface ColumnState {
  plan: ColumnPlan;
  hash: number;
  defaultSampler: RuleSampler | null;
  conditionals: { holds: (row: CellValue[]) => boolean; sampler: RuleSampler }[];
  /** Value at a row for columns unique by construction (permutation or sequence), else null. */
  exact: ((row: number, rng: Rng) => CellValue) | null;
  /** Values used so far, for unique columns that retry. */
  used: Set<CellValue> | null;
  foreignKey: ForeignKeyState | null;
  /** True for every foreign-key column but the first of its key (filled together with the first). */
  filledByKey: boolean;
}

interface ForeignKeyState {
  plan: ForeignKeyPlan;
  index: number;
  /** Positions of the child columns in the row. */
  childPositions: number[];
  /** Parent key values, one array per child column. */
  parentValues: (readonly CellValue[])[];
  parentRows: number;
  permutation: Permutation | null;
}

class BlockGenerator implements TableGenerator {
  readonly table: TablePlan;
  private readonly seed: number;
  private readonly tableHash: number;
  private readonly columns: ColumnState[];
  /** Composite primary key positions when no single key column is unique by itself. */
  private readonly compositeKey: number[] | null;
  private compositeUsed: Set<string> | null;
  private readonly sequential: boolean;
  private nextBlock = 0;
  private cache: { block: number; columns: CellValue[][] } | null = null;

  constructor(plan: SchemaPlan, table: TablePlan, options: TableGeneratorOptions) {
    this.table = table;
    this.seed = options.seed >>> 0;
    this.tableHash = hashName(table.name);
    const positions = new Map(table.columns.map((c, i) => [c.name, i]));
    const foreignKeys = table.foreignKeys.map((fk, index) =>
      this.foreignKeyState(fk, index, positions, options.parentKeys),
    );
    this.columns = table.columns.map((column) => this.columnState(column, plan, foreignKeys));
    const keyColumns = table.primaryKey.map((name) => positions.get(name) as number);
    const anyUnique = keyColumns.some(
      (i) => this.columns[i]?.plan.unique || this.columns[i]?.foreignKey?.plan.oneToOne,
    );
    this.compositeKey = keyColumns.length > 1 && !anyUnique ? keyColumns : null;
    this.compositeUsed = this.compositeKey ? new Set() : null;
    this.sequential = this.compositeKey !== null || this.columns.some((c) => c.used !== null);
  }

  generateChunk(startRow: number, rowCount: number): Table {
    const start = Math.max(0, Math.min(startRow, this.table.rows));
    const end = Math.max(start, Math.min(startRow + rowCount, this.table.rows));
    const out: CellValue[][] = this.table.columns.map(() => []);
    for (let block = Math.floor(start / SCHEMA_BLOCK_SIZE); block * SCHEMA_BLOCK_SIZE < end; block++) {
      const values = this.block(block);
      const blockStart = block * SCHEMA_BLOCK_SIZE;
      const from = Math.max(start, blockStart) - blockStart;
      const to = Math.min(end, blockStart + SCHEMA_BLOCK_SIZE) - blockStart;
      values.forEach((column, j) => {
        const target = out[j] as CellValue[];
        for (let i = from; i < to; i++) target.push(column[i] as CellValue);
      });
    }
    const columns: ColumnData[] = this.table.columns.map((c, j) => ({
      name: c.name,
      type: c.type,
      values: out[j] as CellValue[],
    }));
    return { columns, rowCount: end - start };
  }

  private block(block: number): CellValue[][] {
    if (this.cache?.block === block) return this.cache.columns;
    if (this.sequential) {
      // Retrying columns depend on every value before them: replay from the start when asked to go back.
      if (block < this.nextBlock) this.reset();
      while (this.nextBlock < block) this.makeBlock(this.nextBlock++);
    }
    const columns = this.makeBlock(block);
    this.nextBlock = block + 1;
    this.cache = { block, columns };
    return columns;
  }

  private reset(): void {
    this.nextBlock = 0;
    for (const c of this.columns) c.used?.clear();
    this.compositeUsed?.clear();
  }

  private makeBlock(block: number): CellValue[][] {
    const first = block * SCHEMA_BLOCK_SIZE;
    const count = Math.min(SCHEMA_BLOCK_SIZE, this.table.rows - first);
    const width = this.columns.length;
    const out: CellValue[][] = this.columns.map(() => new Array<CellValue>(count));
    const valueRngs = this.columns.map((c) =>
      createRng(deriveSeed(this.seed, this.tableHash, c.hash, STREAM_VALUE, block)),
    );
    const nullRngs = this.columns.map((c) =>
      createRng(deriveSeed(this.seed, this.tableHash, c.hash, STREAM_NULL, block)),
    );
    const fkRngs = this.table.foreignKeys.map((_, k) =>
      createRng(deriveSeed(this.seed, this.tableHash, STREAM_FOREIGN_KEY, k, block)),
    );
    const row = new Array<CellValue>(width);
    const added: [Set<CellValue>, CellValue][] = [];
    for (let i = 0; i < count; i++) {
      const rowNumber = first + i;
      for (let attempt = 0; ; attempt++) {
        added.length = 0;
        for (let j = 0; j < width; j++) {
          const c = this.columns[j] as ColumnState;
          if (c.filledByKey) continue;
          if (c.foreignKey) {
            this.fillForeignKey(c, row, rowNumber, nullRngs[j] as Rng, fkRngs[c.foreignKey.index] as Rng);
            continue;
          }
          row[j] = this.cellValue(c, row, rowNumber, valueRngs[j] as Rng, nullRngs[j] as Rng, added);
        }
        if (this.compositeKey === null) break;
        const key = JSON.stringify(this.compositeKey.map((j) => row[j]));
        if (!(this.compositeUsed as Set<string>).has(key)) {
          (this.compositeUsed as Set<string>).add(key);
          break;
        }
        // Undo this attempt's unique values before drawing the whole row again.
        for (const [set, value] of added) set.delete(value);
        if (attempt + 1 >= MAX_UNIQUE_ATTEMPTS) {
          throw new ConfigError(
            `could not find an unused primary key after ${MAX_UNIQUE_ATTEMPTS} attempts at row ${rowNumber}: the key columns give too few distinct combinations for ${this.table.rows} rows`,
            `${this.table.path}.primary_key`,
          );
        }
      }
      for (let j = 0; j < width; j++) (out[j] as CellValue[])[i] = row[j] as CellValue;
    }
    return out;
  }

  private cellValue(
    c: ColumnState,
    row: CellValue[],
    rowNumber: number,
    rng: Rng,
    nullRng: Rng,
    added: [Set<CellValue>, CellValue][],
  ): CellValue {
    if (c.plan.nullRate > 0 && nullRng.nextBoolean(c.plan.nullRate)) return null;
    if (c.exact) return c.exact(rowNumber, rng);
    let sampler = c.defaultSampler;
    for (const cond of c.conditionals) {
      if (cond.holds(row)) {
        sampler = cond.sampler;
        break;
      }
    }
    if (sampler === null) return null;
    let value = sampler(rng, rowNumber);
    if (c.used === null || value === null) return value;
    for (let attempt = 1; c.used.has(value); attempt++) {
      if (attempt >= MAX_UNIQUE_ATTEMPTS) {
        throw new ConfigError(
          `could not find an unused value after ${MAX_UNIQUE_ATTEMPTS} attempts at row ${rowNumber}: the rule gives too few distinct values for ${this.table.rows} unique rows`,
          c.plan.path,
        );
      }
      value = sampler(rng, rowNumber);
    }
    c.used.add(value);
    added.push([c.used, value]);
    return value;
  }

  private fillForeignKey(
    c: ColumnState,
    row: CellValue[],
    rowNumber: number,
    nullRng: Rng,
    fkRng: Rng,
  ): void {
    const fk = c.foreignKey as ForeignKeyState;
    if (c.plan.nullRate > 0 && nullRng.nextBoolean(c.plan.nullRate)) {
      for (const p of fk.childPositions) row[p] = null;
      return;
    }
    const parentRow = fk.permutation ? fk.permutation(rowNumber) : fkRng.nextIntLarge(fk.parentRows);
    fk.childPositions.forEach((p, i) => {
      row[p] = (fk.parentValues[i] as readonly CellValue[])[parentRow] as CellValue;
    });
  }

  private foreignKeyState(
    fk: ForeignKeyPlan,
    index: number,
    positions: Map<string, number>,
    parentKeys: ParentKeys | undefined,
  ): ForeignKeyState {
    const keys = parentKeys?.[fk.parentTable];
    const parentValues = fk.parentColumns.map((name) => {
      const values = keys?.[name];
      if (!values) {
        throw new ConfigError(
          `the keys of parent table ${fk.parentTable} (column ${name}) were not passed in; generate parent tables first`,
          `${this.table.path}.foreign_keys`,
        );
      }
      return values;
    });
    const parentRows = parentValues[0]?.length ?? 0;
    if (parentValues.some((v) => v.length !== parentRows)) {
      throw new ConfigError(
        `parent key columns of ${fk.parentTable} differ in length`,
        `${this.table.path}.foreign_keys`,
      );
    }
    if (parentRows === 0 && this.table.rows > 0) {
      const nullable = fk.childColumns.every(
        (n) => (this.table.columns.find((c) => c.name === n)?.nullRate ?? 0) >= 1,
      );
      if (!nullable)
        throw new ConfigError(
          `parent table ${fk.parentTable} has no rows to refer to`,
          `${this.table.path}.foreign_keys`,
        );
    }
    if (fk.oneToOne && parentRows < this.table.rows) {
      throw new ConfigError(
        `a one-to-one foreign key needs at least as many ${fk.parentTable} rows as ${this.table.name} rows`,
        `${this.table.path}.foreign_keys`,
      );
    }
    return {
      plan: fk,
      index,
      childPositions: fk.childColumns.map((n) => positions.get(n) as number),
      parentValues,
      parentRows,
      permutation:
        fk.oneToOne && parentRows > 0
          ? createPermutation(
              parentRows,
              deriveSeed(this.seed, this.tableHash, STREAM_PERMUTATION, 0x4b, index),
            )
          : null,
    };
  }

  private columnState(column: ColumnPlan, plan: SchemaPlan, foreignKeys: ForeignKeyState[]): ColumnState {
    const hash = hashName(column.name);
    const fk = column.foreignKey ? (foreignKeys[column.foreignKey.key] as ForeignKeyState) : null;
    const state: ColumnState = {
      plan: column,
      hash,
      defaultSampler: column.rule ? createRuleSampler(column.rule, column.type, plan.referenceDate) : null,
      conditionals: column.conditionalRules.map((cr) => ({
        holds: conditionTest(cr.when, this.table),
        sampler: createRuleSampler(cr.rule, column.type, plan.referenceDate),
      })),
      exact: null,
      used: null,
      foreignKey: fk,
      filledByKey: fk !== null && fk.plan.childColumns[0] !== column.name,
    };
    if (fk || !column.unique) return state;
    const rule = column.rule;
    if (rule && column.conditionalRules.length === 0) {
      if (rule.kind === 'sequence') {
        const sampler = state.defaultSampler as RuleSampler;
        state.exact = (row, rng) => sampler(rng, row);
        return state;
      }
      const permutationKey = deriveSeed(this.seed, this.tableHash, hash, STREAM_PERMUTATION);
      if (rule.kind === 'uuid') {
        const perm = createPermutation(MAX_PERMUTATION_DOMAIN, permutationKey);
        state.exact = (row, rng) => uuidFromIndex(perm(row), rng);
        return state;
      }
      const indexed = createIndexedValue(rule, column.type);
      if (indexed && indexed.size <= MAX_PERMUTATION_DOMAIN) {
        if (indexed.size < this.table.rows) {
          throw new ConfigError(
            `the rule gives only ${indexed.size} distinct values for ${this.table.rows} unique rows`,
            column.path,
          );
        }
        const perm = createPermutation(indexed.size, permutationKey);
        state.exact = (row) => indexed.at(perm(row));
        return state;
      }
    }
    state.used = new Set();
    return state;
  }
}

/** A test of a row (values of earlier columns, by position) for one condition. */
function conditionTest(when: Condition, table: TablePlan): (row: CellValue[]) => boolean {
  const j = table.columns.findIndex((c) => c.name === when.column);
  const cell = (row: CellValue[]) => row[j] ?? null;
  const target = when.value;
  switch (when.op) {
    case 'eq':
      return (row) => looselyEqual(cell(row), target as CellValue);
    case 'ne':
      return (row) => cell(row) !== null && !looselyEqual(cell(row), target as CellValue);
    case 'in': {
      const list = target as CellValue[];
      return (row) => list.some((v) => looselyEqual(cell(row), v));
    }
    case 'not_in': {
      const list = target as CellValue[];
      return (row) => cell(row) !== null && !list.some((v) => looselyEqual(cell(row), v));
    }
    case 'gt':
      return (row) => (compareCells(cell(row), target as CellValue) ?? NaN) > 0;
    case 'gte':
      return (row) => (compareCells(cell(row), target as CellValue) ?? NaN) >= 0;
    case 'lt':
      return (row) => (compareCells(cell(row), target as CellValue) ?? NaN) < 0;
    case 'lte':
      return (row) => (compareCells(cell(row), target as CellValue) ?? NaN) <= 0;
  }
}

/** Equality across representations: 1 equals "1", true equals "true"; null equals only null. */
function looselyEqual(a: CellValue, b: CellValue): boolean {
  if (a === null || b === null) return a === b;
  return a === b || String(a) === String(b);
}

/** Numbers compare numerically (numeric text too), everything else as text (ISO dates sort as text); null is incomparable. */
function compareCells(a: CellValue, b: CellValue): number | null {
  if (a === null || b === null) return null;
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** FNV-1a of a name: streams are keyed by table and column names, so reordering the config changes nothing. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
