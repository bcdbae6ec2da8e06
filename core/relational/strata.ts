/**
 * Strata of parent rows: a parent's stratum is the combination of the bins its conditioning
 * columns fall in (a category of a categorical column; a quartile bin of a numeric one; null and
 * "other category" as bins of their own). Children are fitted and generated per stratum, which is
 * how a child table stays conditioned on its parent's columns with any single-table synthesizer.
 * Conditioning columns are chosen by measured association with the child (see
 * {@link chooseStrata}): variance of the child count and of the child's columns explained by the
 * parent's bin, corrected for the chance association of small samples.
 */
import type { FieldSensitivity } from '../pii/index.js';
import type { ColumnProfile } from '../profile/index.js';
import type { CellValue, ColumnData, Table } from '../table.js';

/** How one parent column is cut into bins; bins are numbered 0.. and the last one holds nulls. */
export type StratumColumn =
  | {
      column: string;
      kind: 'categories';
      /** Bin i holds values[i]; bin values.length holds every other value; the next one nulls. */
      values: CellValue[];
    }
  | {
      column: string;
      kind: 'bins';
      /** Bin i holds values in (cuts[i−1], cuts[i]]; bin cuts.length the values above; the next one nulls. */
      cuts: number[];
    };

/** Categories kept as bins of their own; rarer ones share the "other" bin. */
const MAX_CATEGORY_BINS = 8;
/** Quantile bins of a numeric conditioning column. */
const NUMERIC_BINS = 4;
/** Categories of a categorical child column kept when measuring association; the rest are pooled. */
const MAX_CHILD_CATEGORIES = 20;

/** Bins of one stratum column, the null bin included. */
export function binCount(column: StratumColumn): number {
  return (column.kind === 'categories' ? column.values.length + 1 : column.cuts.length + 1) + 1;
}

/** Number of strata of a stratification (the product of its columns' bin counts). */
export function strataCount(columns: readonly StratumColumn[]): number {
  return columns.reduce((n, c) => n * binCount(c), 1);
}

/** Maps a value to its bin; built once per stratum column. */
export type BinOf = (value: CellValue) => number;

/** The bin function of a stratum column. */
export function createBinOf(column: StratumColumn): BinOf {
  if (column.kind === 'categories') {
    const index = new Map(column.values.map((v, i) => [valueKey(v), i]));
    const other = column.values.length;
    return (value) => (value === null ? other + 1 : (index.get(valueKey(value)) ?? other));
  }
  const cuts = column.cuts;
  return (value) => {
    const x = toNumber(value);
    if (Number.isNaN(x)) return cuts.length + 1;
    let bin = 0;
    while (bin < cuts.length && x > (cuts[bin] as number)) bin++;
    return bin;
  };
}

/** Stratum index of every row of `table` (mixed radix over the stratum columns, first column most significant). */
export function strataOfRows(table: Table, columns: readonly StratumColumn[]): Uint16Array {
  const out = new Uint16Array(table.rowCount);
  for (const column of columns) {
    const data = table.columns.find((c) => c.name === column.column);
    const bins = binCount(column);
    const binOf = createBinOf(column);
    for (let r = 0; r < table.rowCount; r++) {
      out[r] = (out[r] as number) * bins + binOf(data === undefined ? null : (data.values[r] ?? null));
    }
  }
  return out;
}

/** A candidate conditioning column with its measured association. */
export interface ScoredColumn {
  column: StratumColumn;
  /** Chance-corrected share of variance explained (0..1): the largest over the child count and the child's columns. */
  score: number;
  /** What the score was largest for: `count` or a child column name. */
  strongestFor: string;
}

/** What {@link chooseStrata} needs to know about the parent and the child. */
export interface StrataInput {
  parent: Table;
  parentProfiles: ReadonlyMap<string, ColumnProfile>;
  parentFields: ReadonlyMap<string, FieldSensitivity>;
  /** Parent columns that are keys: never conditioning columns. */
  parentKeyColumns: ReadonlySet<string>;
  /** The child's data columns (keys excluded). */
  child: Table;
  childProfiles: ReadonlyMap<string, ColumnProfile>;
  childFields: ReadonlyMap<string, FieldSensitivity>;
  /** Parent row of every child row. */
  parentRows: Int32Array;
  /** Children per parent row. */
  childCounts: Int32Array;
}

/** Limits of the automatic choice. */
export interface StrataLimits {
  maxColumns: number;
  minAssociation: number;
  minStratumRows: number;
}

/** Scores every usable parent column and picks conditioning columns greedily while strata stay well populated. */
export function chooseStrata(
  input: StrataInput,
  limits: StrataLimits,
): { chosen: StratumColumn[]; scored: ScoredColumn[] } {
  const scored = scoreParentColumns(input).sort(
    (a, b) => b.score - a.score || (a.column.column < b.column.column ? -1 : 1),
  );
  const chosen: StratumColumn[] = [];
  for (const candidate of scored) {
    if (chosen.length >= limits.maxColumns || candidate.score < limits.minAssociation) break;
    const trial = [...chosen, candidate.column];
    // Enough child rows per occupied stratum for a stratum model to be worth fitting.
    const occupied = occupiedStrata(input, trial);
    if (input.child.rowCount / Math.max(1, occupied) < limits.minStratumRows) continue;
    chosen.push(candidate.column);
  }
  return { chosen, scored };
}

/** The stratum column for an explicitly named parent column (categorical bins, or quartiles when numeric). */
export function stratumColumnFor(
  data: ColumnData,
  profile: ColumnProfile | undefined,
): StratumColumn | undefined {
  const semantic = profile?.semanticType;
  if (semantic === 'integer' || semantic === 'float') return numericBins(data);
  if (semantic === 'datetime' || semantic === 'text' || semantic === 'identifier') return undefined;
  return categoryBins(data);
}

function scoreParentColumns(input: StrataInput): ScoredColumn[] {
  const targets = childTargets(input);
  const out: ScoredColumn[] = [];
  for (const data of input.parent.columns) {
    if (input.parentKeyColumns.has(data.name)) continue;
    const field = input.parentFields.get(data.name);
    if (field !== undefined && (field.override?.sensitive ?? field.sensitive)) continue;
    const column = stratumColumnFor(data, input.parentProfiles.get(data.name));
    if (column === undefined || binCount(column) <= 2) continue;
    const binOf = createBinOf(column);
    const parentBins = new Int32Array(input.parent.rowCount);
    for (let r = 0; r < parentBins.length; r++) parentBins[r] = binOf(data.values[r] ?? null);
    const bins = binCount(column);
    let best = omegaSquared(toFloat(input.childCounts), parentBins, bins);
    let strongestFor = 'count';
    const childBins = Int32Array.from(input.parentRows, (p) => parentBins[p] as number);
    for (const target of targets) {
      const score =
        target.kind === 'numeric'
          ? omegaSquared(target.values, childBins, bins)
          : cramerVSquared(target.codes, target.levels, childBins, bins);
      if (score > best) {
        best = score;
        strongestFor = target.name;
      }
    }
    out.push({ column, score: best, strongestFor });
  }
  return out;
}

type Target =
  | { kind: 'numeric'; name: string; values: Float64Array }
  | { kind: 'categorical'; name: string; codes: Int32Array; levels: number };

/** Child columns whose dependence on the parent is worth keeping: modelled numbers and categories. */
function childTargets(input: StrataInput): Target[] {
  const out: Target[] = [];
  for (const data of input.child.columns) {
    const field = input.childFields.get(data.name);
    if (field !== undefined && (field.override?.sensitive ?? field.sensitive)) continue;
    const semantic = input.childProfiles.get(data.name)?.semanticType;
    if (semantic === 'integer' || semantic === 'float') {
      out.push({ kind: 'numeric', name: data.name, values: Float64Array.from(data.values, toNumber) });
    } else if (semantic === 'categorical' || semantic === 'boolean') {
      const bins = categoryBins(data, MAX_CHILD_CATEGORIES);
      const binOf = createBinOf(bins);
      out.push({
        kind: 'categorical',
        name: data.name,
        codes: Int32Array.from(data.values, (v) => binOf(v)),
        levels: binCount(bins),
      });
    }
  }
  return out;
}

function occupiedStrata(input: StrataInput, columns: readonly StratumColumn[]): number {
  const strata = strataOfRows(input.parent, columns);
  const seen = new Set<number>();
  for (const p of input.parentRows) seen.add(strata[p] as number);
  return seen.size;
}

function categoryBins(data: ColumnData, max = MAX_CATEGORY_BINS): StratumColumn {
  const counts = new Map<string, { value: CellValue; count: number }>();
  for (const v of data.values) {
    if (v === null || v === undefined) continue;
    const key = valueKey(v);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { value: v, count: 1 });
    else entry.count++;
  }
  const values = [...counts.entries()]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([, e]) => e.value);
  return { column: data.name, kind: 'categories', values };
}

function numericBins(data: ColumnData): StratumColumn {
  const sorted = Float64Array.from(data.values, toNumber)
    .filter((x) => !Number.isNaN(x))
    .sort();
  const cuts: number[] = [];
  for (let q = 1; q < NUMERIC_BINS && sorted.length > 0; q++) {
    const cut = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / NUMERIC_BINS))] as number;
    // Heavy ties can make quantiles coincide; a repeated cut would only make an empty bin.
    if (cuts.length === 0 || cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
  }
  // The top cut equal to the maximum would leave the upper bin empty.
  if (cuts.length > 0 && cuts[cuts.length - 1] === sorted[sorted.length - 1]) cuts.pop();
  return { column: data.name, kind: 'bins', cuts };
}

/**
 * ω²: the share of the variance of `values` explained by `groups`, corrected for the share that
 * k groups explain by chance ((SSB − (k−1)·MSW) / (SST + MSW)); NaN values are skipped; ≥ 0.
 */
export function omegaSquared(values: Float64Array, groups: Int32Array, groupCount: number): number {
  const sum = new Float64Array(groupCount);
  const n = new Float64Array(groupCount);
  let total = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    const g = groups[i] as number;
    sum[g] = (sum[g] as number) + v;
    n[g] = (n[g] as number) + 1;
    total += v;
    count++;
  }
  if (count < 3) return 0;
  const mean = total / count;
  let sst = 0;
  let ssw = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    const g = groups[i] as number;
    const gm = (sum[g] as number) / (n[g] as number);
    sst += (v - mean) * (v - mean);
    ssw += (v - gm) * (v - gm);
  }
  let k = 0;
  for (let g = 0; g < groupCount; g++) if ((n[g] as number) > 0) k++;
  if (k < 2 || sst === 0 || count <= k) return 0;
  const msw = ssw / (count - k);
  return Math.max(0, (sst - ssw - (k - 1) * msw) / (sst + msw));
}

/** Bias-corrected Cramér's V² (Bergsma 2013) between two coded variables; ≥ 0. */
export function cramerVSquared(a: Int32Array, aLevels: number, b: Int32Array, bLevels: number): number {
  const n = a.length;
  if (n < 3) return 0;
  const table = new Float64Array(aLevels * bLevels);
  const rowSum = new Float64Array(aLevels);
  const colSum = new Float64Array(bLevels);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    table[x * bLevels + y] = (table[x * bLevels + y] as number) + 1;
    rowSum[x] = (rowSum[x] as number) + 1;
    colSum[y] = (colSum[y] as number) + 1;
  }
  const r = rowSum.filter((s) => s > 0).length;
  const k = colSum.filter((s) => s > 0).length;
  if (r < 2 || k < 2) return 0;
  let chi2 = 0;
  for (let x = 0; x < aLevels; x++) {
    const rs = rowSum[x] as number;
    if (rs === 0) continue;
    for (let y = 0; y < bLevels; y++) {
      const cs = colSum[y] as number;
      if (cs === 0) continue;
      const expected = (rs * cs) / n;
      const diff = (table[x * bLevels + y] as number) - expected;
      chi2 += (diff * diff) / expected;
    }
  }
  const phi2 = Math.max(0, chi2 / n - ((k - 1) * (r - 1)) / (n - 1));
  const rTilde = r - ((r - 1) * (r - 1)) / (n - 1);
  const kTilde = k - ((k - 1) * (k - 1)) / (n - 1);
  const denominator = Math.min(rTilde - 1, kTilde - 1);
  return denominator <= 0 ? 0 : Math.min(1, phi2 / denominator);
}

/** A number from a cell (numeric strings count), NaN otherwise. */
export function toNumber(value: CellValue | undefined): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string' && value.trim() !== '') {
    const x = Number(value);
    return Number.isFinite(x) ? x : Number.NaN;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number.NaN;
}

function toFloat(counts: Int32Array): Float64Array {
  return Float64Array.from(counts);
}

function valueKey(value: CellValue): string {
  return typeof value === 'string' ? `s${value}` : `n${String(value)}`;
}
