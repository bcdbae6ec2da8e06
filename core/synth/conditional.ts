/**
 * Conditional sampling: "N rows where country = DE and segment in (A, B) and age ≥ 30", exactly N,
 * distributed as the model's conditional distribution. Each condition becomes an interval of the
 * column's latent normal (a category's slice of z, the z range whose values round into a numeric
 * range, below or above the null threshold). Candidates are drawn with the GHK construction: the
 * conditioned dimensions first, each from its normal truncated to its interval given the ones
 * before, then accepted with probability Π p_i / p_i,max, which makes the accepted rows exact
 * draws from the latent normal restricted to the box (far fewer rejections than drawing blindly).
 * Every condition is then checked on the decoded value itself, so rounding and clipping can never
 * let a row through that does not satisfy it.
 */
import { ConfigError } from '../errors.js';
import { tableRowFingerprint } from '../quality/fingerprint.js';
import { createRng, deriveSeed, MAX_SEED, type Rng } from '../random/index.js';
import type { CellValue, Table } from '../table.js';
import { parseDatetimeMs } from './datetime-codec.js';
import { parseWithLayout } from './datetime-layout.js';
import { nextZigguratNormal } from './fast-normal.js';
import { createRowSampler, fillIndependentColumn } from './independent-columns.js';
import { createLatentBuffer } from './latent-block.js';
import { choleskyLower, regularizeCorrelation } from './linear-algebra.js';
import { categoryKey } from './marginals.js';
import type { SynthModel } from './model.js';
import { normalCdf, normalQuantile } from './normal-distribution.js';
import {
  BLOCK_ROWS,
  categoryOfLatent,
  prepareModel,
  type PreparedColumn,
  type PreparedModel,
} from './prepared-model.js';
import { MAX_REDRAWS, type SampleOptions } from './sample-chunk.js';

/** What one column must satisfy. Several operators on one column must all hold. */
export interface ColumnCondition {
  /** Equal to this value (null: the cell is null). */
  eq?: CellValue;
  /** Equal to one of these values (null among them: or null). */
  in?: readonly CellValue[];
  /** Numbers and datetimes (epoch ms, ISO text or text in the column's layout): strictly greater. */
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
}

/** A request for rows satisfying conditions. */
export interface ConditionalRequest {
  /** Seed, an integer in 0..2^32−1; the rows are a function of (model, request). */
  seed: number;
  /** Rows to return: exactly this many. */
  rowCount: number;
  /** Conditions by column name; all must hold. */
  conditions: Readonly<Record<string, ColumnCondition>>;
  /**
   * Global row number of the first row (keys derive from it).
   * @default 0
   */
  startRow?: number;
  /**
   * Candidate rows drawn per requested row before giving up (the conditions are then too rare
   * under the model to be sampled, and a ConfigError says so).
   * @default 1000
   */
  maxCandidatesPerRow?: number;
}

/** Conditional rows and what they took. */
export interface DetailedConditionalSample {
  table: Table;
  /** Latent candidates drawn (accepted or not). */
  candidates: number;
  /** Rows that equalled a sample row and were redrawn (with {@link SampleOptions.excludeFingerprints}). */
  resampledRows: number;
}

const OPERATORS = new Set(['eq', 'in', 'gt', 'gte', 'lt', 'lte']);
const CONDITIONAL_STREAM = 0xc0dd17;
const REDRAW_STREAM = 0xc0dd18;
/** Latent margin around each interval: one step of the decoders' z tables, so rounding at the edge never excludes a valid row. */
const LATENT_MARGIN = 2 / 1024;
const MIN_BUDGET = 100_000;

/** Samples exactly `rowCount` rows satisfying every condition (throws ConfigError naming the column when that is impossible). */
export function sampleConditional(
  model: SynthModel,
  req: ConditionalRequest,
  options: SampleOptions = {},
): Table {
  return sampleConditionalDetailed(model, req, options).table;
}

/** {@link sampleConditional} with the candidate count and the redraws of sample copies. */
export function sampleConditionalDetailed(
  model: SynthModel,
  req: ConditionalRequest,
  options: SampleOptions = {},
): DetailedConditionalSample {
  checkRequest(req);
  const prepared = prepareModel(model);
  const checks = compileConditions(prepared, req.conditions);
  const startRow = req.startRow ?? 0;
  const { rowCount } = req;
  const budget = Math.max(MIN_BUDGET, rowCount * (req.maxCandidatesPerRow ?? 1000));
  const source = new CandidateSource(prepared, checks, req.seed, budget, Object.keys(req.conditions));
  const outputs: CellValue[][] = model.columns.map(() => new Array<CellValue>(rowCount));
  const z = createLatentBuffer(prepared.d);
  for (let produced = 0; produced < rowCount;) {
    const got = source.fill(z, Math.min(BLOCK_ROWS, rowCount - produced));
    for (const c of prepared.columns) c.decode(z, 0, got, outputs[c.index] as CellValue[], produced);
    produced += got;
  }
  model.columns.forEach((column, index) => {
    if (prepared.copulaColumns.has(index)) return;
    fillIndependentColumn(
      column,
      index,
      { seed: req.seed, startRow, rowCount },
      outputs[index] as CellValue[],
    );
  });
  const table: Table = {
    rowCount,
    columns: model.columns.map((c, i) => ({
      name: c.name,
      type: c.physicalType,
      values: outputs[i] as CellValue[],
    })),
  };
  let resampledRows = 0;
  const excluded = options.excludeFingerprints;
  if (excluded !== undefined) {
    const samplers = model.columns.map((c, index) => createRowSampler(c, index, req.seed));
    const cell: CellValue[] = [null];
    for (let i = 0; i < rowCount; i++) {
      if (!excluded.has(tableRowFingerprint(table, i))) continue;
      resampledRows++;
      const row = startRow + i;
      for (let attempt = 0; attempt < MAX_REDRAWS && excluded.has(tableRowFingerprint(table, i)); attempt++) {
        source.fill(z, 1);
        for (const c of prepared.columns) {
          c.decode(z, 0, 1, cell, 0);
          (outputs[c.index] as CellValue[])[i] = cell[0] as CellValue;
        }
        const rng = createRng(deriveSeed(req.seed, REDRAW_STREAM, row, attempt));
        model.columns.forEach((column, index) => {
          if (prepared.copulaColumns.has(index) || column.kind === 'identifier') return;
          (outputs[index] as CellValue[])[i] = samplers[index]?.next(rng, row) ?? null;
        });
      }
    }
  }
  return { table, candidates: source.candidates, resampledRows };
}

function checkRequest(req: ConditionalRequest): void {
  const integer = (value: unknown, field: string, min: number, max: number) => {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      throw new ConfigError(`must be an integer in ${min}..${max}`, field);
  };
  integer(req.seed, 'seed', 0, MAX_SEED);
  integer(req.rowCount, 'rowCount', 0, 2 ** 31 - 1);
  if (req.startRow !== undefined) integer(req.startRow, 'startRow', 0, Number.MAX_SAFE_INTEGER);
  if (req.maxCandidatesPerRow !== undefined) integer(req.maxCandidatesPerRow, 'maxCandidatesPerRow', 1, 1e9);
  if (typeof req.conditions !== 'object' || req.conditions === null || Array.isArray(req.conditions))
    throw new ConfigError('must be an object of column conditions', 'conditions');
}

// ---------------------------------------------------------------------------------------------
// Compiling conditions
// ---------------------------------------------------------------------------------------------

/** A latent interval on one copula dimension. */
interface Interval {
  dim: number;
  lo: number;
  hi: number;
}

/** The exact test of one column on a latent row (z[dim] = latent of dimension dim). */
type LatentCheck = (z: Float64Array) => boolean;

interface CompiledConditions {
  /** Box constraints, at most one per dimension, rarest first. */
  intervals: Interval[];
  checks: LatentCheck[];
}

function compileConditions(
  prepared: PreparedModel,
  conditions: Readonly<Record<string, ColumnCondition>>,
): CompiledConditions {
  const byName = new Map(prepared.model.columns.map((c, i) => [c.name, i]));
  const preparedByIndex = new Map(prepared.columns.map((c) => [c.index, c]));
  const intervals = new Map<number, Interval>();
  const checks: LatentCheck[] = [];
  const narrow = (dim: number, lo: number, hi: number, field: string) => {
    const current = intervals.get(dim) ?? { dim, lo: -Infinity, hi: Infinity };
    const next = { dim, lo: Math.max(current.lo, lo), hi: Math.min(current.hi, hi) };
    if (!(next.lo < next.hi)) throw new ConfigError('conditions on this column exclude each other', field);
    intervals.set(dim, next);
  };
  for (const [name, condition] of Object.entries(conditions)) {
    const field = `conditions.${name}`;
    const index = byName.get(name);
    if (index === undefined) throw new ConfigError('names no column of the model', field);
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition))
      throw new ConfigError('must be an object of operators (eq, in, gt, gte, lt, lte)', field);
    for (const op of Object.keys(condition))
      if (!OPERATORS.has(op))
        throw new ConfigError('is not an operator (eq, in, gt, gte, lt, lte)', `${field}.${op}`);
    const column = preparedByIndex.get(index);
    if (column === undefined) {
      const kind = prepared.model.columns[index]?.kind;
      throw new ConfigError(
        `cannot be conditioned: it is generated independently (${kind} column), not from the joint model`,
        field,
      );
    }
    const compiled =
      column.column.kind === 'categorical'
        ? compileCategorical(column, condition, field)
        : compileNumeric(column, condition, field);
    checks.push(compiled.check);
    for (const i of compiled.intervals) narrow(i.dim, i.lo, i.hi, field);
  }
  // The rarest interval goes first: the first dimension is drawn exactly, later ones cost rejections.
  const mass = (i: Interval) => normalCdf(i.hi) - normalCdf(i.lo);
  const ordered = [...intervals.values()].sort((a, b) => mass(a) - mass(b) || a.dim - b.dim);
  return { intervals: ordered, checks };
}

interface CompiledColumn {
  intervals: Interval[];
  check: LatentCheck;
}

/** The null part of a condition: whether null must, may or must not be the value. */
function nullRule(condition: ColumnCondition): 'null' | 'not-null' | 'either' {
  if (condition.eq === null) return 'null';
  if (condition.in !== undefined && condition.in.includes(null)) {
    const others = Object.keys(condition).filter((k) => k !== 'in');
    return others.length === 0 ? 'either' : 'not-null';
  }
  return 'not-null';
}

function nullIntervals(
  column: PreparedColumn,
  rule: 'null' | 'not-null' | 'either',
  field: string,
): Interval[] {
  const model = column.column;
  const nullDim = model.nullDimension;
  if (rule === 'null') {
    if (nullDim === null) {
      if (model.nullRate >= 1) return [];
      throw new ConfigError('asks for null, but the column is never null in the model', field);
    }
    return [{ dim: nullDim, lo: column.nullThreshold, hi: Infinity }];
  }
  if (rule === 'not-null') {
    if (nullDim === null) {
      if (model.nullRate >= 1)
        throw new ConfigError('asks for a value, but the column is always null', field);
      return [];
    }
    return [{ dim: nullDim, lo: -Infinity, hi: column.nullThreshold }];
  }
  return [];
}

function isNullAt(column: PreparedColumn, z: Float64Array): boolean {
  const nullDim = column.column.nullDimension;
  return nullDim !== null && (z[nullDim] as number) > column.nullThreshold;
}

function compileCategorical(
  column: PreparedColumn,
  condition: ColumnCondition,
  field: string,
): CompiledColumn {
  const model = column.column;
  if (model.kind !== 'categorical') throw new Error('unreachable');
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const)
    if (condition[op] !== undefined)
      throw new ConfigError('is not defined for a categorical column', `${field}.${op}`);
  const rule = nullRule(condition);
  const intervals = nullIntervals(column, rule, field);
  if (rule === 'null') return { intervals, check: (z) => isNullAt(column, z) };
  const keys = new Map(model.categories.map((c, i) => [categoryKey(c), i]));
  // A condition written as text ("1", "true") also finds a number or boolean category.
  const loose = new Map(model.categories.map((c, i) => [String(c), i]));
  const find = (v: CellValue, at: string): number => {
    const i = keys.get(categoryKey(v)) ?? loose.get(String(v));
    if (i === undefined) throw new ConfigError('matches no category of the model', at);
    return i;
  };
  const allowed = new Uint8Array(model.categories.length).fill(1);
  if (condition.eq !== undefined) {
    const only = find(condition.eq as CellValue, `${field}.eq`);
    allowed.fill(0);
    allowed[only] = 1;
  }
  if (condition.in !== undefined) {
    if (!Array.isArray(condition.in) || condition.in.length === 0)
      throw new ConfigError('must be a non-empty list', `${field}.in`);
    const listed = new Uint8Array(model.categories.length);
    let any = false;
    condition.in.forEach((v, k) => {
      if (v === null) return;
      // A listed value the model never produces is fine as long as some other one matches.
      const i = keys.get(categoryKey(v)) ?? loose.get(String(v));
      if (i !== undefined) {
        listed[i] = 1;
        any = true;
      } else if (typeof v === 'object')
        throw new ConfigError('must list strings, numbers or booleans', `${field}.in[${k}]`);
    });
    if (!any && rule !== 'either') throw new ConfigError('matches no category of the model', `${field}.in`);
    for (let i = 0; i < allowed.length; i++) allowed[i] = (allowed[i] as number) & (listed[i] as number);
  }
  let first = -1;
  let last = -1;
  for (let i = 0; i < allowed.length; i++) {
    if (allowed[i] === 1) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0 && rule !== 'either')
    throw new ConfigError('conditions on this column exclude each other', field);
  const cuts = column.cuts as Float64Array;
  const valueDim = model.valueDimension;
  if (rule === 'not-null' && first >= 0) {
    // The hull of the allowed categories' slices; gaps between them are left to the exact check.
    intervals.push({
      dim: valueDim,
      lo: first === 0 ? -Infinity : (cuts[first - 1] as number),
      hi: last >= cuts.length ? Infinity : (cuts[last] as number),
    });
  }
  return {
    intervals,
    check: (z) => {
      if (isNullAt(column, z)) return rule === 'either';
      return allowed[categoryOfLatent(cuts, z[valueDim] as number)] === 1;
    },
  };
}

function compileNumeric(column: PreparedColumn, condition: ColumnCondition, field: string): CompiledColumn {
  const model = column.column;
  if (model.kind === 'categorical') throw new Error('unreachable');
  const rule = nullRule(condition);
  const intervals = nullIntervals(column, rule, field);
  if (rule === 'null') return { intervals, check: (z) => isNullAt(column, z) };
  const read = (v: unknown, at: string): number => {
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'string' && model.kind === 'numeric' && v.trim() !== '') x = Number(v);
    else if (typeof v === 'string' && model.kind === 'datetime') {
      x = parseDatetimeMs(v);
      if (Number.isNaN(x) && model.layout !== null) x = parseWithLayout(model.layout, v.trim());
    } else x = Number.NaN;
    if (!Number.isFinite(x))
      throw new ConfigError(
        model.kind === 'datetime' ? 'must be a date or timestamp' : 'must be a number',
        at,
      );
    return x;
  };
  let lower = -Infinity;
  let lowerStrict = false;
  let upper = Infinity;
  let upperStrict = false;
  const raise = (x: number, strict: boolean) => {
    if (x > lower || (x === lower && strict)) {
      lower = x;
      lowerStrict = strict;
    }
  };
  const drop = (x: number, strict: boolean) => {
    if (x < upper || (x === upper && strict)) {
      upper = x;
      upperStrict = strict;
    }
  };
  if (condition.gt !== undefined) raise(read(condition.gt, `${field}.gt`), true);
  if (condition.gte !== undefined) raise(read(condition.gte, `${field}.gte`), false);
  if (condition.lt !== undefined) drop(read(condition.lt, `${field}.lt`), true);
  if (condition.lte !== undefined) drop(read(condition.lte, `${field}.lte`), false);
  let targets: Set<number> | undefined;
  if (condition.eq !== undefined) targets = new Set([read(condition.eq, `${field}.eq`)]);
  if (condition.in !== undefined) {
    if (!Array.isArray(condition.in) || condition.in.length === 0)
      throw new ConfigError('must be a non-empty list', `${field}.in`);
    const listed = new Set<number>();
    condition.in.forEach((v, k) => {
      if (v !== null) listed.add(read(v, `${field}.in[${k}]`));
    });
    targets = targets === undefined ? listed : new Set([...targets].filter((t) => listed.has(t)));
  }
  if (lower > upper || (lower === upper && (lowerStrict || upperStrict)))
    throw new ConfigError('conditions on this column exclude each other', field);
  const inRange = (v: number) =>
    (lowerStrict ? v > lower : v >= lower) && (upperStrict ? v < upper : v <= upper);
  if (targets !== undefined) {
    const kept = [...targets].filter(inRange);
    if (kept.length === 0 && rule !== 'either')
      throw new ConfigError('conditions on this column exclude each other', field);
    targets = new Set(kept);
    if (kept.length > 0) {
      lower = Math.min(...kept);
      upper = Math.max(...kept);
      lowerStrict = false;
      upperStrict = false;
    }
  }
  if (rule !== 'either' && (upper < model.min || lower > model.max))
    throw new ConfigError('selects no value the model can produce (outside the sample range)', field);
  const valueAt = column.valueAt as (z: number) => number;
  const table = column.table as Float64Array;
  const half = halfStepOf(model);
  const valueDim = model.valueDimension;
  if (rule === 'not-null') {
    intervals.push({
      dim: valueDim,
      lo: lower === -Infinity ? -Infinity : latentAtLeast(table, lower - half) - LATENT_MARGIN,
      hi: upper === Infinity ? Infinity : latentAtMost(table, upper + half) + LATENT_MARGIN,
    });
  }
  const wanted = targets;
  return {
    intervals,
    check: (z) => {
      if (isNullAt(column, z)) return rule === 'either';
      const v = valueAt(z[valueDim] as number);
      return wanted !== undefined ? wanted.has(v) : inRange(v);
    },
  };
}

function halfStepOf(model: PreparedColumn['column']): number {
  if (model.kind === 'datetime') return model.resolutionMs / 2;
  if (model.kind === 'numeric') {
    if (model.integer) return 0.5;
    return model.decimals === null ? 0 : 0.5 / 10 ** model.decimals;
  }
  return 0;
}

/** Latent z below which the inverse-CDF table only gives values under v. */
function latentAtLeast(table: Float64Array, v: number): number {
  const last = table.length - 1;
  if (v <= (table[0] as number)) return -Infinity;
  if (v > (table[last] as number)) return Infinity;
  let k = 0;
  while (k < last && (table[k] as number) < v) k++;
  const a = table[k - 1] as number;
  const b = table[k] as number;
  const u = (k - 1 + (b > a ? (v - a) / (b - a) : 1)) / last;
  return normalQuantile(Math.min(1, Math.max(0, u)));
}

/** Latent z above which the inverse-CDF table only gives values over v. */
function latentAtMost(table: Float64Array, v: number): number {
  const last = table.length - 1;
  if (v >= (table[last] as number)) return Infinity;
  if (v < (table[0] as number)) return -Infinity;
  let k = last;
  while (k > 0 && (table[k] as number) > v) k--;
  const a = table[k] as number;
  const b = table[k + 1] as number;
  const u = (k + (b > a ? (v - a) / (b - a) : 0)) / last;
  return normalQuantile(Math.min(1, Math.max(0, u)));
}

// ---------------------------------------------------------------------------------------------
// Drawing candidates
// ---------------------------------------------------------------------------------------------

/** Draws latent rows that satisfy the compiled conditions, block stream by block stream. */
class CandidateSource {
  /** Candidates drawn so far. */
  candidates = 0;
  /** Candidates that satisfied every condition. */
  accepted = 0;
  private readonly d: number;
  /** Dimension order: conditioned dimensions first. */
  private readonly order: Int32Array;
  /** Cholesky factor of the correlation in that order. */
  private readonly l: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** Largest probability an interval of each conditioned dimension's width can have. */
  private readonly maxProbability: Float64Array;
  private readonly m: number;
  private readonly e: Float64Array;
  private readonly row: Float64Array;
  private block = 0;
  private rng: Rng;
  private drawnInBlock = 0;

  constructor(
    prepared: PreparedModel,
    private readonly compiled: CompiledConditions,
    private readonly seed: number,
    private readonly budget: number,
    private readonly names: string[],
  ) {
    const d = prepared.d;
    this.d = d;
    const conditioned = compiled.intervals.map((i) => i.dim);
    const rest: number[] = [];
    for (let j = 0; j < d; j++) if (!conditioned.includes(j)) rest.push(j);
    this.order = Int32Array.from([...conditioned, ...rest]);
    this.m = conditioned.length;
    const permuted = Array.from({ length: d }, (_, a) =>
      Array.from(
        { length: d },
        (_, b) => prepared.model.correlation[this.order[a] as number]?.[this.order[b] as number] ?? 0,
      ),
    );
    this.l =
      choleskyLower(permuted.flat(), d) ??
      (choleskyLower(regularizeCorrelation(permuted).matrix.flat(), d) as Float64Array);
    this.lo = Float64Array.from(compiled.intervals, (i) => i.lo);
    this.hi = Float64Array.from(compiled.intervals, (i) => i.hi);
    this.maxProbability = Float64Array.from(compiled.intervals, (i, k) => {
      const sigma = this.l[k * d + k] as number;
      const width = (i.hi - i.lo) / sigma;
      return width === Infinity ? 1 : 2 * normalCdf(width / 2) - 1;
    });
    this.e = new Float64Array(d);
    this.row = new Float64Array(d);
    this.rng = this.streamOf(0);
  }

  private streamOf(block: number): Rng {
    return createRng(deriveSeed(this.seed, CONDITIONAL_STREAM, block));
  }

  /** Writes `want` accepted latent rows into rows 0.. of the dimension-major block `z`; returns `want`. */
  fill(z: Float64Array, want: number): number {
    let got = 0;
    while (got < want) {
      if (this.candidates >= this.budget) {
        throw new ConfigError(
          `are too rare under the model to sample: ${this.accepted} matching rows in ${this.candidates} candidates (columns ${this.names.join(', ')})`,
          'conditions',
        );
      }
      if (this.drawnInBlock === BLOCK_ROWS) {
        this.block++;
        this.rng = this.streamOf(this.block);
        this.drawnInBlock = 0;
      }
      this.drawnInBlock++;
      this.candidates++;
      if (!this.draw(this.rng)) continue;
      for (let j = 0; j < this.d; j++) z[j * BLOCK_ROWS + got] = this.row[j] as number;
      got++;
      this.accepted++;
    }
    return got;
  }

  /** One candidate into `row` (model dimension order); false when rejected. */
  private draw(rng: Rng): boolean {
    const { d, m, l, e, lo, hi } = this;
    let accept = 1;
    for (let i = 0; i < m; i++) {
      let mean = 0;
      for (let k = 0; k < i; k++) mean += (l[i * d + k] as number) * (e[k] as number);
      const sigma = l[i * d + i] as number;
      const a = ((lo[i] as number) - mean) / sigma;
      const b = ((hi[i] as number) - mean) / sigma;
      const draw = truncatedNormal(a, b, rng.nextDouble());
      if (draw === undefined) return false;
      e[i] = draw.value;
      if (i > 0) accept *= draw.probability / (this.maxProbability[i] as number);
    }
    if (m > 1 && rng.nextDouble() >= accept) return false;
    for (let i = m; i < d; i++) e[i] = nextZigguratNormal(rng);
    for (let a = 0; a < d; a++) {
      let sum = 0;
      for (let k = 0; k <= a; k++) sum += (l[a * d + k] as number) * (e[k] as number);
      this.row[this.order[a] as number] = sum;
    }
    for (const check of this.compiled.checks) if (!check(this.row)) return false;
    return true;
  }
}

/** A standard normal truncated to [a, b] from a uniform u, with the interval's probability; undefined when that is 0. */
function truncatedNormal(
  a: number,
  b: number,
  u: number,
): { value: number; probability: number } | undefined {
  let value: number;
  let probability: number;
  if (a > 0) {
    // Upper tail: work with −X in [−b, −a], whose CDF values are small and precise.
    const pa = normalCdf(-b);
    const pb = normalCdf(-a);
    probability = pb - pa;
    if (!(probability > 0)) return undefined;
    value = -normalQuantile(pa + u * probability);
  } else {
    const pa = normalCdf(a);
    const pb = normalCdf(b);
    probability = pb - pa;
    if (!(probability > 0)) return undefined;
    value = normalQuantile(pa + u * probability);
  }
  if (!Number.isFinite(value)) value = a > -Infinity ? a : b;
  return { value: Math.min(b, Math.max(a, value)), probability };
}
