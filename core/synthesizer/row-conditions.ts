/**
 * Conditional sampling through the table-synthesizer facade: "N rows where country = DE and segment
 * in (A, B)", exactly N, for either synthesizer, and independent of how the run is cut into chunks.
 *
 * Rows come in fixed conditional blocks of {@link CONDITIONAL_BLOCK_ROWS} global rows; block b draws
 * its accepted rows from its own stream seeded by (seed, b), in a fixed order, so row r of the run is
 * the (r mod B)-th accepted row of block ⌊r / B⌋ whatever the chunk size. The copula draws each
 * block with its exact latent-box sampler (core/synth/conditional.ts); CART cannot condition its
 * trees on a later column, so its block is filled by rejection: candidate rows from the block's own
 * unconditional stream, kept in order when every condition holds on the decoded value. Columns
 * generated outside the joint model (keys, fakes, free text) come from the run's own streams by
 * global row, exactly as in an unconditional run, so keys stay unique across blocks.
 */
import { CART_LIMITS, sampleCartChunk, type CartModel } from '../cart/index.js';
import { ConfigError } from '../errors.js';
import { deriveSeed } from '../random/index.js';
import {
  sampleConditional,
  sampleIndependentColumn,
  type ColumnCondition,
  type SampleRequest,
  type SynthModel,
} from '../synth/index.js';
import { parseDatetimeMs } from '../synth/datetime-codec.js';
import type { CellValue, PhysicalType, Table } from '../table.js';
import type { TableModel } from './table-model.js';

/** One user condition: the column equals a value, or is one of a list of values (null: the cell is null). */
export type RowCondition = { column: string; equals: CellValue } | { column: string; in: CellValue[] };

/** Conditions checked against a fitted model, ready for {@link sampleConditionalTableChunk}. */
export interface CompiledRowConditions {
  /** The conditions as given (values normalised to the columns' types). */
  list: RowCondition[];
  /** The same, merged per column, in the copula sampler's form. */
  byColumn: Record<string, ColumnCondition>;
  /** Whether row `row` of `table` (which has the model's columns) satisfies every condition. */
  matches(table: Table, row: number): boolean;
}

/** Rows of one conditional block: every block has its own candidate stream. */
export const CONDITIONAL_BLOCK_ROWS = 4096;
/**
 * Candidate rows CART may draw per accepted row before the conditions count as too rare to
 * sample (the same bound the copula's sampler uses).
 */
export const MAX_CANDIDATES_PER_ROW = 1000;

const STREAM_CONDITIONAL_BLOCK = 0x636f6e64;
const MIN_CANDIDATE_BUDGET = 100_000;
const JOINT_KINDS = new Set(['numeric', 'datetime', 'categorical']);

/**
 * Checks a condition list (parsed JSON or CLI input) against a sample: known columns, one of
 * `equals`/`in`, values of the column's type, and for text and boolean columns values that occur in
 * the sample. Returns the list with values normalised to the column types (numeric text → number,
 * "true"/"false" → boolean). Errors name the field (`conditions[0].column`), never a value.
 */
export function checkRowConditions(value: unknown, sample: Table, root = 'conditions'): RowCondition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError('must be a list of conditions', root);
  return value.map((item, i) => {
    const at = `${root}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new ConfigError('must be an object {column, equals} or {column, in}', at);
    const raw = item as Record<string, unknown>;
    for (const key of Object.keys(raw))
      if (key !== 'column' && key !== 'equals' && key !== 'in')
        throw new ConfigError('is not a condition field (column, equals, in)', `${at}.${key}`);
    if (typeof raw.column !== 'string' || raw.column === '')
      throw new ConfigError('must be a column name', `${at}.column`);
    const column = sample.columns.find((c) => c.name === raw.column);
    if (column === undefined) throw new ConfigError('names no column of the sample', `${at}.column`);
    // A key present with `undefined` (a schema library's output) counts as absent.
    const hasEquals = raw.equals !== undefined;
    const hasIn = raw.in !== undefined;
    if (hasEquals === hasIn) throw new ConfigError('needs exactly one of "equals" or "in"', at);
    const occurring = occurrenceTest(column.type, column.values);
    const normalise = (v: unknown, field: string): CellValue => {
      let cell: CellValue;
      try {
        cell = normaliseCell(v, column.type, field);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new ConfigError(`${error.message.slice(field.length + 2)} (column ${column.name})`, field);
      }
      if (cell !== null && !occurring(cell))
        throw new ConfigError(`is a value that never occurs in the sample (column ${column.name})`, field);
      return cell;
    };
    if (hasEquals) return { column: column.name, equals: normalise(raw.equals, `${at}.equals`) };
    if (!Array.isArray(raw.in) || raw.in.length === 0)
      throw new ConfigError('must be a non-empty list', `${at}.in`);
    return { column: column.name, in: raw.in.map((v, k) => normalise(v, `${at}.in[${k}]`)) };
  });
}

/** A cell value of the column's physical type from JSON or CLI text; ConfigError naming `field` otherwise. */
function normaliseCell(v: unknown, type: PhysicalType, field: string): CellValue {
  if (v === null) return null;
  if (type === 'integer' || type === 'float') {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n)))
      throw new ConfigError(type === 'integer' ? 'must be an integer' : 'must be a number', field);
    return n;
  }
  if (type === 'boolean') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new ConfigError('must be true or false', field);
  }
  if (type === 'date' || type === 'timestamp') {
    if (typeof v !== 'string' || Number.isNaN(parseDatetimeMs(v)))
      throw new ConfigError(type === 'date' ? 'must be a date (YYYY-MM-DD)' : 'must be a timestamp', field);
    return v;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ConfigError('must be a string, number, boolean or null', field);
}

/**
 * Whether a value can be asked for: text and boolean columns only offer values that occur in the
 * sample (anything else can never be produced); numbers and dates must lie within the sample's range.
 */
function occurrenceTest(type: PhysicalType, values: readonly CellValue[]): (v: CellValue) => boolean {
  if (type === 'string' || type === 'boolean') {
    const seen = new Set<string>();
    for (const v of values) if (v !== null) seen.add(String(v));
    return (v) => seen.has(String(v));
  }
  const read = (v: CellValue): number =>
    typeof v === 'number' ? v : typeof v === 'string' ? parseDatetimeMs(v) : Number.NaN;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    const x = read(v);
    if (Number.isFinite(x)) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return (v) => {
    const x = read(v);
    return x >= min && x <= max;
  };
}

/**
 * Checks conditions against a fitted model: the column must be modelled jointly (keys, faked
 * sensitive columns and free text are generated independently and cannot be conditioned) and the
 * values must be ones the model can produce. ConfigErrors name `conditions[i].column` /
 * `.equals` / `.in`.
 */
export function compileRowConditions(
  model: TableModel,
  list: readonly RowCondition[],
  root = 'conditions',
): CompiledRowConditions {
  const byColumn: Record<string, ColumnCondition> = {};
  const owner = new Map<string, number>();
  const tests: { index: number; test: (cell: CellValue) => boolean }[] = [];
  list.forEach((condition, i) => {
    const at = `${root}[${i}]`;
    const index = model.columns.findIndex((c) => c.name === condition.column);
    const column = model.columns[index];
    if (column === undefined) throw new ConfigError('names no column of the model', `${at}.column`);
    if (!JOINT_KINDS.has(column.kind))
      throw new ConfigError(
        `cannot be conditioned: column ${column.name} is generated independently of the others (${column.kind} column)`,
        `${at}.column`,
      );
    const merged = { ...(byColumn[column.name] ?? {}) };
    if ('equals' in condition) {
      if (merged.eq !== undefined)
        throw new ConfigError('repeats an "equals" condition on the same column', `${at}.equals`);
      merged.eq = condition.equals;
    } else {
      merged.in =
        merged.in === undefined
          ? [...condition.in]
          : merged.in.filter((v) => condition.in.some((w) => sameValue(v, w, column.physicalType)));
      if (merged.in.length === 0)
        throw new ConfigError('excludes every value another condition on the same column allows', `${at}.in`);
    }
    byColumn[column.name] = merged;
    owner.set(column.name, owner.get(column.name) ?? i);
    const targets = 'equals' in condition ? [condition.equals] : condition.in;
    tests.push({ index, test: (cell) => targets.some((t) => sameValue(cell, t, column.physicalType)) });
  });
  if (model.kind === 'cart') checkCartConditions(model, list, root);
  else checkCopulaConditions(model, byColumn, owner, root);
  return {
    list: list.map((c) => ({ ...c })),
    byColumn,
    matches: (table, row) =>
      tests.every(({ index, test }) =>
        test((table.columns[index]?.values[row] as CellValue | undefined) ?? null),
      ),
  };
}

/** Equality of a sampled cell and a condition value as the user means it (numbers by value, dates by instant). */
function sameValue(cell: CellValue, target: CellValue, type: PhysicalType): boolean {
  if (target === null || cell === null) return cell === target;
  if (typeof cell === 'number') return cell === (typeof target === 'number' ? target : Number(target));
  if (typeof cell === 'boolean') return String(cell) === String(target);
  if (cell === target) return true;
  if (type === 'date' || type === 'timestamp') {
    const a = parseDatetimeMs(cell);
    return !Number.isNaN(a) && a === parseDatetimeMs(String(target));
  }
  return cell === String(target);
}

/** Lets the copula's own compiler judge the conditions (it knows the latent model), renaming its fields. */
function checkCopulaConditions(
  model: SynthModel,
  byColumn: Record<string, ColumnCondition>,
  owner: ReadonlyMap<string, number>,
  root: string,
): void {
  try {
    sampleConditional(model, { seed: 0, rowCount: 0, conditions: byColumn });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = error.field === undefined ? error.message : error.message.slice(error.field.length + 2);
    const field = renameField(error.field, owner, root);
    const column = [...owner].find(([, i]) => field.startsWith(`${root}[${i}]`))?.[0];
    throw new ConfigError(column === undefined ? message : `${message} (column ${column})`, field);
  }
}

/** `conditions.country.eq` (the copula's naming) → `conditions[0].equals`. */
function renameField(field: string | undefined, owner: ReadonlyMap<string, number>, root: string): string {
  if (field === undefined || !field.startsWith('conditions.')) return root;
  const rest = field.slice('conditions.'.length);
  for (const [name, i] of owner) {
    if (rest !== name && !rest.startsWith(`${name}.`)) continue;
    const op = rest.slice(name.length + 1);
    if (op.startsWith('eq')) return `${root}[${i}].equals`;
    if (op.startsWith('in')) return `${root}[${i}].in`;
    return `${root}[${i}].column`;
  }
  return root;
}

/** CART can only produce its categories and values inside its fitted range. */
function checkCartConditions(model: CartModel, list: readonly RowCondition[], root: string): void {
  list.forEach((condition, i) => {
    const column = model.columns.find((c) => c.name === condition.column);
    if (column === undefined) return;
    const values = 'equals' in condition ? [condition.equals] : condition.in;
    const field = `${root}[${i}].${'equals' in condition ? 'equals' : 'in'}`;
    const producible = values.some((v) => {
      if (v === null) return column.nullRate > 0;
      if (column.kind === 'categorical')
        return column.categories.some((c) => sameValue(c, v, column.physicalType));
      if (column.kind === 'numeric') {
        const x = typeof v === 'number' ? v : Number(v);
        return x >= column.min && x <= column.max;
      }
      if (column.kind === 'datetime') {
        const x = typeof v === 'number' ? v : parseDatetimeMs(String(v));
        return x >= column.min && x <= column.max;
      }
      return true;
    });
    if (!producible)
      throw new ConfigError(`asks for a value the model never produces (column ${column.name})`, field);
  });
}

/**
 * Samples the rows `req` of a run conditioned on `conditions`: exactly `req.rowCount` rows, every
 * one satisfying every condition, each a function of (model, seed, conditions, its global row).
 * Throws a ConfigError on `conditions` when they are too rare under the model to sample.
 */
export function sampleConditionalTableChunk(
  model: TableModel,
  req: SampleRequest,
  conditions: CompiledRowConditions,
): Table {
  const { startRow, rowCount } = req;
  const outputs: CellValue[][] = model.columns.map(() => new Array<CellValue>(rowCount));
  const joint = model.columns.flatMap((c, i) => (JOINT_KINDS.has(c.kind) ? [i] : []));
  const end = startRow + rowCount;
  const B = CONDITIONAL_BLOCK_ROWS;
  for (let b = Math.floor(startRow / B); b * B < end; b++) {
    const first = b * B;
    const lo = Math.max(0, startRow - first);
    const hi = Math.min(B, end - first);
    // Accepted rows come in a fixed order per block, so the first `hi` rows are a prefix of the full block.
    const block = conditionalBlock(model, req.seed, b, hi, conditions);
    for (const c of joint) {
      const source = block.columns[c]?.values as CellValue[];
      const out = outputs[c] as CellValue[];
      for (let r = lo; r < hi; r++) out[first + r - startRow] = source[r] ?? null;
    }
  }
  const columns: readonly TableModel['columns'][number][] = model.columns;
  columns.forEach((column, index) => {
    if (
      column.kind === 'identifier' ||
      column.kind === 'fake' ||
      column.kind === 'text' ||
      column.kind === 'empty'
    )
      sampleIndependentColumn(column, index, req, outputs[index] as CellValue[]);
  });
  return {
    rowCount,
    columns: model.columns.map((c, i) => ({
      name: c.name,
      type: c.physicalType,
      values: outputs[i] as CellValue[],
    })),
  };
}

/** The first `rows` accepted rows of conditional block `block` (joint columns are the ones that count). */
function conditionalBlock(
  model: TableModel,
  seed: number,
  block: number,
  rows: number,
  conditions: CompiledRowConditions,
): Table {
  const blockSeed = deriveSeed(seed, STREAM_CONDITIONAL_BLOCK, block);
  const startRow = block * CONDITIONAL_BLOCK_ROWS;
  if (model.kind !== 'cart')
    return sampleConditional(jointOnly(model), {
      seed: blockSeed,
      rowCount: rows,
      startRow,
      conditions: conditions.byColumn,
      maxCandidatesPerRow: MAX_CANDIDATES_PER_ROW,
    });
  return rejectionBlock(model, blockSeed, rows, conditions);
}

const jointOnlyCache = new WeakMap<TableModel, TableModel>();

/**
 * The model with its independently generated columns (keys, fakes, text) always null: conditional
 * blocks need only the jointly modelled columns (the joint model never reads the others, and they are
 * filled from the run's own streams afterwards), and fakes would cost more than the joint model.
 */
function jointOnly<M extends TableModel>(model: M): M {
  const hit = jointOnlyCache.get(model);
  if (hit !== undefined) return hit as M;
  const columns: readonly TableModel['columns'][number][] = model.columns;
  const stripped = {
    ...model,
    columns: columns.map((c) =>
      JOINT_KINDS.has(c.kind)
        ? c
        : { kind: 'empty' as const, name: c.name, physicalType: c.physicalType, nullRate: 1 },
    ),
  } as M;
  jointOnlyCache.set(model, stripped);
  return stripped;
}

/** CART: candidate rows of the block's stream in order, kept when they match, until `rows` are kept. */
function rejectionBlock(
  model: CartModel,
  seed: number,
  rows: number,
  conditions: CompiledRowConditions,
): Table {
  const candidateModel = jointOnly(model);
  const kept: CellValue[][] = model.columns.map(() => []);
  const budget = Math.max(MIN_CANDIDATE_BUDGET, rows * MAX_CANDIDATES_PER_ROW);
  const unit = CART_LIMITS.blockRows;
  let drawn = 0;
  let accepted = 0;
  while (accepted < rows) {
    if (drawn >= budget)
      throw new ConfigError(
        `are too rare under the model to sample: ${accepted} matching rows in ${drawn} candidates`,
        'conditions',
      );
    // Size the next batch from the acceptance seen so far (whole CART blocks: partial ones cost the same).
    const rate = drawn === 0 ? 1 : Math.max(accepted, 1) / drawn;
    const wanted = Math.ceil(((rows - accepted) / rate) * 1.1);
    const batch = Math.min(budget - drawn, Math.max(unit, Math.ceil(wanted / unit) * unit));
    const candidates = sampleCartChunk(candidateModel, {
      seed,
      chunkIndex: 0,
      startRow: drawn,
      rowCount: batch,
    });
    drawn += batch;
    for (let r = 0; r < candidates.rowCount && accepted < rows; r++) {
      if (!conditions.matches(candidates, r)) continue;
      candidates.columns.forEach((c, j) => (kept[j] as CellValue[]).push(c.values[r] ?? null));
      accepted++;
    }
  }
  return {
    rowCount: rows,
    columns: model.columns.map((c, i) => ({
      name: c.name,
      type: c.physicalType,
      values: kept[i] as CellValue[],
    })),
  };
}

/**
 * Edge cases are injected after conditional sampling: a rule that rewrites a conditioned column would
 * break the conditions on its rows (duplicates copy another row's value, which satisfies them too), so
 * such rules are refused with a ConfigError naming `${root}[i].column`.
 */
export function checkEdgeCasesKeepConditions(
  rules: readonly unknown[],
  conditions: readonly RowCondition[],
  root = 'edgeCases.rules',
): void {
  const conditioned = new Set(conditions.map((c) => c.column));
  rules.forEach((rule, i) => {
    const { kind, column } = (rule ?? {}) as { kind?: unknown; column?: unknown };
    if (kind !== 'duplicate' && typeof column === 'string' && conditioned.has(column))
      throw new ConfigError(
        'targets a conditioned column: its edge cases would break the conditions',
        `${root}[${i}].column`,
      );
  });
}
