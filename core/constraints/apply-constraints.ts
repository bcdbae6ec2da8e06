/**
 * Makes every row of a sampled chunk satisfy every constraint, keeping the row count. Rows are
 * decided in global row order: a row keeps the first of its candidates — the sampled row, then the
 * resampler's replacements for attempts 0, 1, … — that satisfies the row-local constraints and
 * whose keys no earlier row holds; when every candidate fails, the sampled row is repaired
 * deterministically (nearest allowed combination, regenerate from the regex, clip and shift the
 * order constraints, the caller's custom repair) and duplicate keys are bumped to free values.
 *
 * A row whose replacement repeats the very key that made it a duplicate is repaired at once:
 * the resampler evidently derives keys from the row number, so more attempts cannot help.
 *
 * Determinism: repairs draw from streams derived from (seed, global row). A resampler whose
 * replacement for a row depends only on (seed, row, attempt) — it receives the rows' global
 * numbers — makes the output independent of chunk size; replacements are requested in batches
 * (speculatively for rows that will surely need them), which changes cost, never the result.
 */
import { ConfigError } from '../errors.js';
import { createRng, deriveSeed, type Rng } from '../random/index.js';
import { formatIsoDate, formatIsoTimestamp, parseDatetimeMs, DAY_MS } from '../synth/datetime-codec.js';
import { schemaOf, type CellValue, type PhysicalType, type Table } from '../table.js';
import { decimalsOf, readComparable, ValueDomain } from './cell-domain.js';
import { coerceCell } from './combination-index.js';
import {
  compileConstraints,
  constraintColumns,
  rowRecordAt,
  satisfiesConstraint,
  type CompiledBounds,
  type CompiledConstraint,
  type CompiledConstraintSet,
  type CompiledInequality,
  type CompiledKey,
  type CompiledRegex,
} from './compile.js';
import { addCellToKeyHash, createKeyHash, finishKeyHash, startKeyHash } from './key-hash.js';
import { buildOrderSystem, repairOrderRow, type OrderSystem } from './numeric-repair.js';
import type { Constraint } from './spec.js';
import { createUniquenessState, type UniquenessState } from './uniqueness-state.js';
import { UniquenessTracker } from './uniqueness-tracker.js';

/**
 * Replacement rows for `rowCount` rows (their global row numbers in `rows`), for resampling
 * attempt `attempt` (0-based); must be deterministic and return at least `rowCount` rows with the
 * chunk's columns (matched by name).
 */
export type ResampleRows = (rowCount: number, attempt: number, rows: readonly number[]) => Table;

/** Options of {@link applyConstraints}. */
export interface ApplyConstraintsContext {
  /** Run seed; repairs of row r draw from streams derived from (seed, r). */
  seed: number;
  /**
   * Global row number of the chunk's first row.
   * @default 0
   */
  startRow?: number;
  /** Source of replacement rows; without it violations go straight to repair. */
  resample?: ResampleRows;
  /**
   * Resampling attempts per row before repairing it (0..255).
   * @default 5
   */
  maxAttempts?: number;
  /** Keys emitted by earlier chunks; without it uniqueness holds within this chunk only. */
  uniqueness?: UniquenessState;
  /**
   * Config path of the constraint list, for errors.
   * @default 'constraints'
   */
  root?: string;
}

/** What happened for one constraint. */
export interface ConstraintOutcome {
  index: number;
  kind: CompiledConstraint['kind'];
  label: string;
  /** Sampled rows that violated it (for keys: whose key an earlier row already held). */
  violations: number;
  /** Of those, rows replaced by a resampled row. */
  resampled: number;
  /** Of those, rows fixed by deterministic repair. */
  repaired: number;
}

/** Counts of an applyConstraints call. */
export interface ApplyConstraintsReport {
  rows: number;
  /** Rows whose final value is a resampled row. */
  rowsResampled: number;
  /** Rows repaired after every resampling attempt failed (or without a resampler). */
  rowsRepaired: number;
  /** Calls made to the resampler, and rows requested from it (some speculatively). */
  resampleCalls: number;
  rowsRequested: number;
  constraints: ConstraintOutcome[];
}

/** The constrained chunk and its report. */
export interface ApplyConstraintsResult {
  table: Table;
  report: ApplyConstraintsReport;
}

const DEFAULT_MAX_ATTEMPTS = 5;
/** Tuples tried when repairing a fixed combination, candidates tried per key bump, and regex draws. */
const COMBINATION_CANDIDATES = 16;
const BUMP_CANDIDATES = 64;
const SEQUENTIAL_BUMPS = 16;
const REGEX_DRAWS = 16;
const REPAIR_PASSES = 4;
const STREAM_REPAIR = 0x72657061;
const STREAM_BUMP = 0x62756d70;

interface Candidate {
  arrays: CellValue[][];
  pos: number;
  localOk: boolean;
}

/** Applies `constraints` to `chunk` (which is not modified); see the module comment for the rules. */
export function applyConstraints(
  chunk: Table,
  constraints: readonly Constraint[],
  ctx: ApplyConstraintsContext,
): ApplyConstraintsResult {
  const schema = schemaOf(chunk);
  const set = compileConstraints(constraints, schema, ctx.root ?? 'constraints');
  return new ConstraintRun(chunk, set, constraints, ctx).run();
}

class ConstraintRun {
  private readonly n: number;
  private readonly startRow: number;
  private readonly maxAttempts: number;
  private readonly original: CellValue[][];
  private readonly arrays: CellValue[][];
  private readonly types: PhysicalType[];
  private readonly names: string[];
  private readonly system: OrderSystem | undefined;
  private readonly orderConstraints: ReadonlySet<CompiledConstraint>;
  private readonly trackers: UniquenessTracker[];
  private readonly uniqueness: UniquenessState;
  private readonly regexByColumn = new Map<number, CompiledRegex>();
  /** Per key: its bump column holds numbers or dates whose highest value the state notes. */
  private readonly noteBump: (ValueDomain | undefined)[];
  private readonly outcomes: ConstraintOutcome[];
  private readonly report: ApplyConstraintsReport;
  private readonly hash = createKeyHash();
  private readonly keyLo: Uint32Array;
  private readonly keyHi: Uint32Array;
  /** Per key: 1 when the row's key has a null (exempt from uniqueness). */
  private readonly keyNull: Uint8Array;
  private readonly localFail: Uint8Array;
  private readonly attempts: Uint8Array;
  private readonly cache = new Map<number, Candidate[]>();
  private speculated = false;

  constructor(
    chunk: Table,
    private readonly set: CompiledConstraintSet,
    constraints: readonly Constraint[],
    private readonly ctx: ApplyConstraintsContext,
  ) {
    this.n = chunk.rowCount;
    this.startRow = ctx.startRow ?? 0;
    this.maxAttempts =
      ctx.resample === undefined ? 0 : Math.max(0, Math.min(255, ctx.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
    this.original = chunk.columns.map((c) => c.values);
    this.arrays = chunk.columns.map((c) => c.values.slice(0, this.n));
    this.types = chunk.columns.map((c) => c.type);
    this.names = chunk.columns.map((c) => c.name);
    const bounds = set.constraints.filter(
      (c): c is CompiledBounds => c.kind === 'range' || c.kind === 'positive' || c.kind === 'negative',
    );
    const inequalities = set.constraints.filter((c): c is CompiledInequality => c.kind === 'inequality');
    this.system = buildOrderSystem(bounds, inequalities, this.types);
    this.orderConstraints = new Set<CompiledConstraint>([...bounds, ...inequalities]);
    const uniqueness = ctx.uniqueness ?? createUniquenessState(constraints);
    this.uniqueness = uniqueness;
    for (const c of set.constraints)
      if (c.kind === 'regex' && !this.regexByColumn.has(c.column)) this.regexByColumn.set(c.column, c);
    this.noteBump = set.keys.map((k) => {
      const type = this.types[k.bumpColumn] as PhysicalType;
      if (type === 'integer' || type === 'float') return ValueDomain.Number;
      return type === 'date' || type === 'timestamp' ? ValueDomain.Datetime : undefined;
    });
    this.trackers = set.keys.map((k) => {
      const t = uniqueness.trackerFor(k.index);
      if (t === undefined) throw new ConfigError('has no tracker in the uniqueness state given', k.field);
      return t;
    });
    this.keyLo = new Uint32Array(set.keys.length);
    this.keyHi = new Uint32Array(set.keys.length);
    this.keyNull = new Uint8Array(set.keys.length);
    this.localFail = new Uint8Array(this.n);
    this.attempts = new Uint8Array(this.n);
    this.outcomes = set.constraints.map((c) => ({
      index: c.index,
      kind: c.kind,
      label: c.label,
      violations: 0,
      resampled: 0,
      repaired: 0,
    }));
    this.report = {
      rows: this.n,
      rowsResampled: 0,
      rowsRepaired: 0,
      resampleCalls: 0,
      rowsRequested: 0,
      constraints: this.outcomes,
    };
  }

  run(): ApplyConstraintsResult {
    const { n, arrays } = this;
    for (const c of this.set.rowLocal) {
      const outcome = this.outcomes[c.index] as ConstraintOutcome;
      for (let i = 0; i < n; i++)
        if (!satisfiesConstraint(c, this.set, arrays, i)) {
          this.localFail[i] = 1;
          outcome.violations++;
        }
    }
    for (let i = 0; i < n; i++) this.decideRow(i);
    return {
      table: {
        rowCount: n,
        columns: this.names.map((name, j) => ({
          name,
          type: this.types[j] as PhysicalType,
          values: arrays[j] as CellValue[],
        })),
      },
      report: this.report,
    };
  }

  /** Settles row i: keep, replace by a resampled candidate, or repair. */
  private decideRow(i: number): void {
    let failedFirst: number[] | undefined;
    let previousDuplicate = -1;
    let previousLo = 0;
    let previousHi = 0;
    for (;;) {
      const localOk = this.attempts[i] === 0 ? this.localFail[i] === 0 : this.localOk(this.arrays, i);
      const duplicate = localOk ? this.firstDuplicateKey(i) : -1;
      if (localOk && duplicate < 0) {
        this.commitKeys(i);
        if ((this.attempts[i] as number) > 0) {
          this.report.rowsResampled++;
          for (const idx of failedFirst ?? []) (this.outcomes[idx] as ConstraintOutcome).resampled++;
        }
        break;
      }
      // A replacement repeating the same taken key shows that resampling keeps keys (keyed
      // identifiers): further attempts cannot help, so the row goes to repair at once.
      let hopeless = false;
      if (duplicate >= 0) {
        const lo = this.keyLo[duplicate] as number;
        const hi = this.keyHi[duplicate] as number;
        hopeless = duplicate === previousDuplicate && lo === previousLo && hi === previousHi;
        previousDuplicate = duplicate;
        previousLo = lo;
        previousHi = hi;
      } else previousDuplicate = -1;
      if (this.attempts[i] === 0) failedFirst = this.keyFailures(i, localOk);
      if (!hopeless && (this.attempts[i] as number) < this.maxAttempts) {
        const candidate = this.candidate(i, this.attempts[i] as number);
        for (let j = 0; j < this.arrays.length; j++)
          (this.arrays[j] as CellValue[])[i] = (candidate.arrays[j] as CellValue[])[candidate.pos] ?? null;
        this.attempts[i] = (this.attempts[i] as number) + 1;
        continue;
      }
      for (let j = 0; j < this.arrays.length; j++)
        (this.arrays[j] as CellValue[])[i] = (this.original[j] as CellValue[])[i] ?? null;
      const bumped = this.repairRow(i);
      this.report.rowsRepaired++;
      for (const idx of new Set([...(failedFirst ?? []), ...bumped]))
        (this.outcomes[idx] as ConstraintOutcome).repaired++;
      break;
    }
    this.cache.delete(i);
  }

  /** Indices of the constraints the sampled row i violates; key duplicates are counted as violations here. */
  private keyFailures(i: number, localOk: boolean): number[] {
    const failed: number[] = [];
    if (!localOk)
      for (const c of this.set.rowLocal)
        if (!satisfiesConstraint(c, this.set, this.original, i)) failed.push(c.index);
    this.hashKeys(this.original, i);
    this.set.keys.forEach((k, j) => {
      if (
        this.keyNull[j] === 0 &&
        (this.trackers[j] as UniquenessTracker).hasHash(this.keyLo[j] as number, this.keyHi[j] as number)
      ) {
        failed.push(k.index);
        (this.outcomes[k.index] as ConstraintOutcome).violations++;
      }
    });
    return failed;
  }

  private localOk(arrays: readonly CellValue[][], i: number): boolean {
    for (const c of this.set.rowLocal) if (!satisfiesConstraint(c, this.set, arrays, i)) return false;
    return true;
  }

  private hashKeys(arrays: readonly CellValue[][], i: number): void {
    const h = this.hash;
    const keys = this.set.keys;
    for (let j = 0; j < keys.length; j++) {
      const columns = (keys[j] as CompiledKey).columns;
      startKeyHash(h);
      let hasNull = 0;
      for (let k = 0; k < columns.length; k++) {
        const v = (arrays[columns[k] as number] as CellValue[])[i] ?? null;
        if (v === null) hasNull = 1;
        addCellToKeyHash(h, v);
      }
      finishKeyHash(h);
      this.keyLo[j] = h.lo;
      this.keyHi[j] = h.hi;
      this.keyNull[j] = hasNull;
    }
  }

  /** Position (in set.keys) of the first key of row i that an earlier row holds, or −1; leaves the hashes in keyLo/keyHi. */
  private firstDuplicateKey(i: number): number {
    if (this.set.keys.length === 0) return -1;
    this.hashKeys(this.arrays, i);
    for (let j = 0; j < this.set.keys.length; j++)
      if (
        this.keyNull[j] === 0 &&
        (this.trackers[j] as UniquenessTracker).hasHash(this.keyLo[j] as number, this.keyHi[j] as number)
      )
        return j;
    return -1;
  }

  /** Records the keys hashed by the last firstDuplicateKey call (and the highest bump values). */
  private commitKeys(i: number): void {
    for (let j = 0; j < this.set.keys.length; j++) {
      if (this.keyNull[j] === 1) continue;
      (this.trackers[j] as UniquenessTracker).addHash(this.keyLo[j] as number, this.keyHi[j] as number);
      const domain = this.noteBump[j];
      if (domain !== undefined) {
        const col = (this.set.keys[j] as CompiledKey).bumpColumn;
        const v = (this.arrays[col] as CellValue[])[i] ?? null;
        if (v !== null) this.uniqueness.noteValue(this.names[col] as string, readComparable(v, domain));
      }
    }
  }

  /** Candidate `attempt` for row i, fetching a batch from the resampler when it is not cached. */
  private candidate(i: number, attempt: number): Candidate {
    const cached = this.cache.get(i)?.[attempt];
    if (cached !== undefined) return cached;
    this.fetch(i, attempt);
    return this.cache.get(i)?.[attempt] as Candidate;
  }

  /**
   * Requests candidates level by level: row i from `attempt` on while its candidates fail locally,
   * and — on the first call — every later row that will surely need replacements: rows failing a
   * row-local constraint, or whose key repeats a key of the tracker or of an earlier row.
   */
  private fetch(i: number, attempt: number): void {
    const speculative: number[] = [];
    if (!this.speculated) {
      this.speculated = true;
      const dup = this.predictDuplicates(i + 1);
      for (let j = i + 1; j < this.n; j++)
        if (this.localFail[j] === 1 || dup[j - i - 1] === 1) speculative.push(j);
    }
    for (let level = 0; level < this.maxAttempts; level++) {
      const rows: number[] = [];
      const needs = (r: number, from: number): boolean => {
        if (level < from || this.cache.get(r)?.[level] !== undefined) return false;
        if (level === from) return true;
        const previous = this.cache.get(r)?.[level - 1];
        return previous !== undefined && !previous.localOk;
      };
      if (needs(i, attempt)) rows.push(i);
      for (const j of speculative) if (needs(j, 0)) rows.push(j);
      if (rows.length === 0) {
        if (level >= attempt) break;
        continue;
      }
      this.requestBatch(rows, level);
    }
  }

  private requestBatch(rows: number[], level: number): void {
    const resample = this.ctx.resample as ResampleRows;
    const table = resample(
      rows.length,
      level,
      rows.map((r) => this.startRow + r),
    );
    this.report.resampleCalls++;
    this.report.rowsRequested += rows.length;
    if (!(table.rowCount >= rows.length))
      throw new RangeError('the resampler returned fewer rows than requested');
    const byName = new Map(table.columns.map((c) => [c.name, c.values]));
    const mapped = this.names.map((name) => {
      const values = byName.get(name);
      if (values === undefined) throw new RangeError(`the resampler returned no column ${name}`);
      return values;
    });
    rows.forEach((r, pos) => {
      let list = this.cache.get(r);
      if (list === undefined) this.cache.set(r, (list = []));
      list[level] = { arrays: mapped, pos, localOk: this.localOk(mapped, pos) };
    });
  }

  /** Rows from `from` on (flag per row) whose sampled key repeats a tracked key or an earlier row's. */
  private predictDuplicates(from: number): Uint8Array {
    const flags = new Uint8Array(Math.max(0, this.n - from));
    if (this.set.keys.length === 0) return flags;
    const seen = this.set.keys.map(() => new UniquenessTracker({ maxKeys: this.n + 1 }));
    for (let i = from; i < this.n; i++) {
      this.hashKeys(this.arrays, i);
      for (let j = 0; j < this.set.keys.length; j++) {
        if (this.keyNull[j] === 1) continue;
        const lo = this.keyLo[j] as number;
        const hi = this.keyHi[j] as number;
        if (
          (this.trackers[j] as UniquenessTracker).hasHash(lo, hi) ||
          !(seen[j] as UniquenessTracker).addHash(lo, hi)
        )
          flags[i - from] = 1;
      }
    }
    return flags;
  }

  /** Repairs row i in place; returns the key constraints whose values had to be bumped. */
  private repairRow(i: number): number[] {
    const row = this.startRow + i;
    const rng = createRng(deriveSeed(this.ctx.seed, STREAM_REPAIR, row));
    let failing: CompiledConstraint[] = [];
    for (let pass = 0; pass < REPAIR_PASSES; pass++) {
      failing = this.set.rowLocal.filter((c) => !satisfiesConstraint(c, this.set, this.arrays, i));
      if (failing.length === 0) break;
      let orderFailing = false;
      for (const c of failing) {
        if (this.orderConstraints.has(c)) orderFailing = true;
        else this.repairOne(c, i, rng);
      }
      if (orderFailing && this.system !== undefined) repairOrderRow(this.system, this.arrays, i);
    }
    failing = this.set.rowLocal.filter((c) => !satisfiesConstraint(c, this.set, this.arrays, i));
    const first = failing[0];
    if (first !== undefined)
      throw new ConfigError(`cannot hold together with the other constraints (row ${row})`, first.field);
    const bumped: number[] = [];
    // Bumping one key's column can touch another key sharing it, hence the bounded loop.
    for (let round = 0; ; round++) {
      const j = this.firstDuplicateKey(i);
      if (j < 0) break;
      const key = this.set.keys[j] as CompiledKey;
      if (round > 4 * this.set.keys.length)
        throw new ConfigError(`cannot find a free value for a duplicate key (row ${row})`, key.field);
      this.bumpKey(key, j, i);
      bumped.push(key.index);
    }
    this.commitKeys(i);
    return bumped;
  }

  private repairOne(c: CompiledConstraint, i: number, rng: Rng): void {
    switch (c.kind) {
      case 'fixedCombinations': {
        const current = c.columns.map((col) => (this.arrays[col] as CellValue[])[i] ?? null);
        const options = c.combos.nearest(current, rng, COMBINATION_CANDIDATES);
        for (const tuple of options) {
          c.columns.forEach((col, j) => ((this.arrays[col] as CellValue[])[i] = tuple[j] ?? null));
          if (this.touchingHold(c.columns, i)) return;
        }
        const best = options[0];
        if (best !== undefined)
          c.columns.forEach((col, j) => ((this.arrays[col] as CellValue[])[i] = best[j] ?? null));
        return;
      }
      case 'regex': {
        const sample = c.sampler();
        const values = this.arrays[c.column] as CellValue[];
        for (let t = 0; t < REGEX_DRAWS; t++) {
          const v = sample(rng);
          if (!c.regex.test(v)) continue;
          values[i] = v;
          if (this.touchingHold([c.column], i)) return;
        }
        return;
      }
      case 'primaryKey':
        for (const col of c.columns) {
          const values = this.arrays[col] as CellValue[];
          if ((values[i] ?? null) !== null) continue;
          for (let t = 1; t <= BUMP_CANDIDATES; t++) {
            values[i] = this.keyCandidate(col, null, i, t);
            if (this.touchingHold([col], i)) break;
          }
        }
        return;
      case 'custom': {
        if (c.repair === undefined) return;
        const patch = c.repair(rowRecordAt(this.set.schema, this.arrays, i), {
          row: this.startRow + i,
          seed: this.ctx.seed,
        });
        for (const [name, v] of Object.entries(patch)) {
          const col = this.names.indexOf(name);
          if (col >= 0) (this.arrays[col] as CellValue[])[i] = coerceCell(v, this.types[col] as PhysicalType);
        }
        return;
      }
      default:
        return;
    }
  }

  /** Whether every row-local constraint reading any of `columns` holds for row i. */
  private touchingHold(columns: readonly number[], i: number): boolean {
    for (const c of this.set.rowLocal) {
      const read = constraintColumns(c);
      if (read !== undefined && !read.some((col) => columns.includes(col))) continue;
      if (!satisfiesConstraint(c, this.set, this.arrays, i)) return false;
    }
    return true;
  }

  /** Changes the bump column of key j (at `key`) in row i until that key is free and every row-local constraint holds. */
  private bumpKey(key: CompiledKey, j: number, i: number): void {
    const col = key.bumpColumn;
    const values = this.arrays[col] as CellValue[];
    const base = values[i] ?? null;
    const tracker = this.trackers[j] as UniquenessTracker;
    for (let t = 1; t <= BUMP_CANDIDATES; t++) {
      values[i] = this.keyCandidate(col, base, i, t);
      if (!this.localOk(this.arrays, i)) continue;
      this.hashKeys(this.arrays, i);
      if (this.keyNull[j] === 1 || !tracker.hasHash(this.keyLo[j] as number, this.keyHi[j] as number)) return;
    }
    throw new ConfigError(
      `cannot find a free value for a duplicate key (row ${this.startRow + i})`,
      key.field,
    );
  }

  /**
   * Candidate `t` (1-based) for a key cell: a fresh draw from the column's regex when it has one;
   * for numbers and dates first one step above the highest value emitted so far (free by
   * construction, like an auto-increment), then steps up from the current value, then random
   * values (within the column's range when it has one); strings get a `-t` suffix, then a random one.
   */
  private keyCandidate(col: number, base: CellValue, i: number, t: number): CellValue {
    const row = this.startRow + i;
    const rng = createRng(deriveSeed(this.ctx.seed, STREAM_BUMP, row, col, t));
    const regex = this.regexByColumn.get(col);
    if (regex !== undefined) return regex.sampler()(rng);
    const type = this.types[col] as PhysicalType;
    const highest = this.uniqueness.highestValue(this.names[col] as string);
    const random = t > SEQUENTIAL_BUMPS;
    const jump = random ? SEQUENTIAL_BUMPS + rng.nextInt(1 << 26) : t - 1;
    if (type === 'integer' || type === 'float') {
      const decimals = type === 'integer' ? 0 : typeof base === 'number' ? decimalsOf(base) : 0;
      const step = 10 ** -decimals;
      const bounds = this.boundsOf(col);
      if (random && Number.isFinite(bounds.min) && Number.isFinite(bounds.max)) {
        const span = Math.floor((bounds.max - bounds.min) / step);
        return Number((bounds.min + step * rng.nextIntLarge(span + 1)).toFixed(decimals));
      }
      const from = typeof base === 'number' && Number.isFinite(base) ? base : row;
      const next = t === 1 && highest !== undefined ? highest + step : from + step * Math.max(1, jump);
      return Number(next.toFixed(decimals));
    }
    if (type === 'date' || type === 'timestamp') {
      const ms = base === null ? Number.NaN : parseDatetimeMs(base);
      const dateOnly = type === 'date' || (typeof base === 'string' && base.trim().length === 10);
      const step = dateOnly ? DAY_MS : 1000;
      const from = Number.isNaN(ms) ? Math.floor(Date.UTC(2000, 0, 1) / step) * step : ms;
      const next =
        t === 1 && highest !== undefined
          ? Math.floor(highest / step) * step + step
          : from + step * Math.max(1, jump);
      return dateOnly ? formatIsoDate(next) : formatIsoTimestamp(next);
    }
    const text = base === null ? String(row) : String(base);
    return random ? `${text}-${(rng.nextUint32() >>> 0).toString(36)}` : `${text}-${t}`;
  }

  private boundsOf(col: number): { min: number; max: number } {
    let min = Number.NEGATIVE_INFINITY;
    let max = Number.POSITIVE_INFINITY;
    for (const c of this.set.constraints)
      if ((c.kind === 'range' || c.kind === 'positive' || c.kind === 'negative') && c.column === col) {
        min = Math.max(min, c.min);
        max = Math.min(max, c.max);
      }
    return { min, max };
  }
}
