/**
 * A model compiled for sampling: the Cholesky factor of the correlation, and per copula column a
 * decoder that turns latent normals into cells through flat typed tables (Φ by table lookup, the
 * marginal's inverse CDF by table lookup, categories by z-space cut points), so the per-cell
 * work is a few multiplications and no allocation beyond the cell itself.
 */
import type { CellValue, PhysicalType } from '../table.js';
import { BLOCK_ROWS } from './block-rows.js';
import { createDateFormatter, DAY_MS, formatIsoTimestamp } from './datetime-codec.js';
import { createLayoutFormatter } from './datetime-layout.js';
import { CDF_TABLE, CDF_TABLE_OFFSET, CDF_TABLE_SCALE } from './fast-normal.js';
import { compileCorrelator } from './correlator.js';
import { choleskyLower, regularizeCorrelation } from './linear-algebra.js';
import { inverseTable } from './marginal-families.js';
import type {
  CategoricalColumnModel,
  CopulaColumnModel,
  DatetimeColumnModel,
  NumericColumnModel,
  SynthModel,
} from './model.js';
import { normalCdf, normalQuantile } from './normal-distribution.js';

export { BLOCK_ROWS };

/**
 * Decodes rows [lo, hi) of a block of latent normals (dimension j of block row r at
 * z[j·BLOCK_ROWS + r]) into out[offset …].
 */
export type BlockDecoder = (
  z: Float64Array,
  lo: number,
  hi: number,
  out: CellValue[],
  offset: number,
) => void;

/** A copula column ready for sampling. */
export interface PreparedColumn {
  /** Index into the model's columns. */
  index: number;
  column: CopulaColumnModel;
  decode: BlockDecoder;
  /** Latent threshold above which the null dimension makes the cell null (+∞ without one). */
  nullThreshold: number;
  /**
   * Numeric and datetime columns: the value (epoch ms for datetimes) a latent z decodes to, after
   * rounding and clipping, exactly as `decode` computes it before formatting.
   */
  valueAt?: (z: number) => number;
  /** Numeric and datetime columns: the inverse-CDF table (values at u = 0, 1/(k−1), …, 1). */
  table?: Float64Array;
  /** Categorical columns: z-space upper bound of each category but the last. */
  cuts?: Float64Array;
}

/** A model compiled for sampling. */
export interface PreparedModel {
  model: SynthModel;
  /** Copula dimensions. */
  d: number;
  /** Lower Cholesky factor of the correlation, row-major d×d. */
  cholesky: Float64Array;
  /** terms[j] = the k < j with a non-zero factor entry L_jk. */
  terms: Int32Array[];
  /** The factor compiled into straight-line code (up to 64 dimensions), or undefined. */
  correlate: ((z: Float64Array, lo: number, hi: number) => void) | undefined;
  columns: PreparedColumn[];
  /** Model column indices generated in the copula. */
  copulaColumns: Set<number>;
}

const preparedCache = new WeakMap<SynthModel, PreparedModel>();

/** The compiled form of a model (memoised per model object). */
export function prepareModel(model: SynthModel): PreparedModel {
  const hit = preparedCache.get(model);
  if (hit !== undefined) return hit;
  const d = model.dimensions.length;
  const cholesky =
    choleskyLower(model.correlation.flat(), d) ??
    // A hand-edited or rounded model may have lost positive-definiteness; shrink it again.
    (choleskyLower(regularizeCorrelation(model.correlation).matrix.flat(), d) as Float64Array);
  const columns: PreparedColumn[] = [];
  const copulaColumns = new Set<number>();
  model.columns.forEach((column, index) => {
    let prepared: PreparedColumn;
    if (column.kind === 'numeric') prepared = prepareNumeric(column, index);
    else if (column.kind === 'datetime') prepared = prepareDatetime(column, index);
    else if (column.kind === 'categorical') prepared = prepareCategorical(column, index);
    else return;
    columns.push(prepared);
    copulaColumns.add(index);
  });
  const terms = Array.from({ length: d }, (_, j) => {
    const ks: number[] = [];
    for (let k = 0; k < j; k++) if (cholesky[j * d + k] !== 0) ks.push(k);
    return Int32Array.from(ks);
  });
  const prepared = {
    model,
    d,
    cholesky,
    terms,
    correlate: compileCorrelator(cholesky, d),
    columns,
    copulaColumns,
  };
  preparedCache.set(model, prepared);
  return prepared;
}

/** z-threshold above which the column is null (the "is null" dimension ranks nulls high), or +∞. */
function nullThresholdOf(column: CopulaColumnModel): number {
  return column.nullDimension === null ? Infinity : normalQuantile(1 - column.nullRate);
}

const CDF_LAST = CDF_TABLE.length - 2;

/** Value of the inverse-CDF table at the latent z: Φ by table, then the marginal table. */
function tableValue(table: Float64Array, z: number): number {
  const last = table.length - 1;
  const pos = z * CDF_TABLE_SCALE + CDF_TABLE_OFFSET;
  let u: number;
  if (pos >= 0 && pos < CDF_LAST) {
    const i = pos | 0;
    const a = CDF_TABLE[i] as number;
    u = a + (pos - i) * ((CDF_TABLE[i + 1] as number) - a);
  } else u = normalCdf(z);
  const p = u * last;
  let i = p | 0;
  if (i >= last) i = last - 1;
  const a = table[i] as number;
  return a + (p - i) * ((table[i + 1] as number) - a);
}

/** Points per unit of z of the per-column latent → value tables. */
const Z_RESOLUTION = 1024;
/** The latent → value tables cover z in [−Z_LIMIT, Z_LIMIT]; beyond it (p < 1e-17) the exact path runs. */
const Z_LIMIT = 8.5;
const Z_OFFSET = Z_LIMIT * Z_RESOLUTION;
const Z_POINTS = 2 * Z_OFFSET + 2;
const Z_LAST = Z_POINTS - 2;

/**
 * The marginal's inverse CDF composed with Φ, tabulated on a z grid fine enough (u steps below
 * 4e-4, finer than the 1e-3 of the empirical knots) that interpolating it costs one lookup per
 * cell instead of two.
 */
function latentTable(table: Float64Array): Float64Array {
  const out = new Float64Array(Z_POINTS);
  for (let i = 0; i < Z_POINTS; i++) out[i] = tableValue(table, (i - Z_OFFSET) / Z_RESOLUTION);
  return out;
}

function prepareNumeric(column: NumericColumnModel, index: number): PreparedColumn {
  const table = inverseTable(column.marginal, column.min, column.max);
  const zt = latentTable(table);
  const min = column.min;
  const max = column.max;
  const valueDim = column.valueDimension * BLOCK_ROWS;
  const nullDim = (column.nullDimension ?? 0) * BLOCK_ROWS;
  const threshold = nullThresholdOf(column);
  const scale = column.integer ? 1 : column.decimals === null ? 0 : 10 ** column.decimals;
  const rawAt = (x: number): number => {
    const pos = x * Z_RESOLUTION + Z_OFFSET;
    if (pos >= 0 && pos < Z_LAST) {
      const i = pos | 0;
      const a = zt[i] as number;
      return a + (pos - i) * ((zt[i + 1] as number) - a);
    }
    return tableValue(table, x);
  };
  const valueAt = (z: number): number => {
    let v = rawAt(z);
    if (scale !== 0) v = Math.round(v * scale) / scale;
    return v < min ? min : v > max ? max : v;
  };
  const toCell = textOfNumber(column.physicalType, column.integer ? 0 : column.decimals);
  const nullable = column.nullDimension !== null;
  const steps = scale === 0 ? undefined : stepTable(zt, scale, min, max);
  let decode: BlockDecoder;
  // One loop per case keeps each monomorphic and free of tests that cannot succeed.
  if (toCell !== undefined) {
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        out[o++] = (z[nullDim + r] as number) > threshold ? null : toCell(valueAt(z[valueDim + r] as number));
      }
    };
  } else if (steps !== undefined && !nullable) {
    // Rounded values: most table segments give one value throughout, read without interpolating.
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        const x = z[valueDim + r] as number;
        const pos = x * Z_RESOLUTION + Z_OFFSET;
        if (pos >= 0 && pos < Z_LAST) {
          const v = steps[pos | 0] as number;
          if (v === v) {
            out[o++] = v;
            continue;
          }
        }
        out[o++] = valueAt(x);
      }
    };
  } else if (steps !== undefined) {
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        if ((z[nullDim + r] as number) > threshold) {
          out[o++] = null;
          continue;
        }
        const x = z[valueDim + r] as number;
        const pos = x * Z_RESOLUTION + Z_OFFSET;
        if (pos >= 0 && pos < Z_LAST) {
          const v = steps[pos | 0] as number;
          if (v === v) {
            out[o++] = v;
            continue;
          }
        }
        out[o++] = valueAt(x);
      }
    };
  } else if (nullable) {
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        if ((z[nullDim + r] as number) > threshold) {
          out[o++] = null;
          continue;
        }
        const pos = (z[valueDim + r] as number) * Z_RESOLUTION + Z_OFFSET;
        let v: number;
        if (pos >= 0 && pos < Z_LAST) {
          const i = pos | 0;
          const a = zt[i] as number;
          v = a + (pos - i) * ((zt[i + 1] as number) - a);
        } else v = tableValue(table, z[valueDim + r] as number);
        // Whole numbers skip the division; decimals divide (not multiply by 1/scale) so 0.1·3 prints as 0.3.
        if (scale === 1) v = Math.round(v);
        else if (scale !== 0) v = Math.round(v * scale) / scale;
        out[o++] = v < min ? min : v > max ? max : v;
      }
    };
  } else {
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        const pos = (z[valueDim + r] as number) * Z_RESOLUTION + Z_OFFSET;
        let v: number;
        if (pos >= 0 && pos < Z_LAST) {
          const i = pos | 0;
          const a = zt[i] as number;
          v = a + (pos - i) * ((zt[i + 1] as number) - a);
        } else v = tableValue(table, z[valueDim + r] as number);
        // Whole numbers skip the division; decimals divide (not multiply by 1/scale) so 0.1·3 prints as 0.3.
        if (scale === 1) v = Math.round(v);
        else if (scale !== 0) v = Math.round(v * scale) / scale;
        out[o++] = v < min ? min : v > max ? max : v;
      }
    };
  }
  return { index, column, decode, nullThreshold: threshold, valueAt, table };
}

/**
 * For a rounded column, the value of each segment [i, i+1) of the latent table when rounding and
 * clipping give one value over the whole segment, else NaN; undefined when too few segments (by
 * normal probability) are constant for the table to pay. The interpolated value runs from zt[i] to
 * zt[i+1] and rounding and clipping are monotone, so equal results at both ends mean the same
 * result everywhere in between: what the interpolating path computes (barring a last-bit rounding
 * tie exactly at a segment end).
 */
function stepTable(zt: Float64Array, scale: number, min: number, max: number): Float64Array | undefined {
  const round = (v: number): number => {
    const r = scale === 1 ? Math.round(v) : Math.round(v * scale) / scale;
    return r < min ? min : r > max ? max : r;
  };
  const steps = new Float64Array(Z_LAST);
  let constantMass = 0;
  for (let i = 0; i < Z_LAST; i++) {
    const a = round(zt[i] as number);
    const constant = a === round(zt[i + 1] as number);
    steps[i] = constant ? a : NaN;
    if (constant) {
      const z = (i + 0.5 - Z_OFFSET) / Z_RESOLUTION;
      constantMass += Math.exp(-0.5 * z * z);
    }
  }
  // Σ φ(z)·Δz over constant segments: the share of cells that skip interpolation.
  const share = constantMass / Math.sqrt(2 * Math.PI) / Z_RESOLUTION;
  return share >= MIN_STEP_SHARE ? steps : undefined;
}

/** Below this share of constant segments, the step table costs more than it saves. */
const MIN_STEP_SHARE = 0.5;

/** How a number is written into a non-numeric physical column, or undefined for numeric columns. */
function textOfNumber(
  physical: PhysicalType,
  decimals: number | null,
): ((v: number) => CellValue) | undefined {
  switch (physical) {
    case 'integer':
    case 'float':
      return undefined;
    case 'boolean':
      return (v) => v !== 0;
    default:
      return decimals === null ? (v) => String(v) : (v) => v.toFixed(decimals);
  }
}

function prepareDatetime(column: DatetimeColumnModel, index: number): PreparedColumn {
  const table = inverseTable(column.marginal, column.min, column.max);
  const zt = latentTable(table);
  const valueDim = column.valueDimension * BLOCK_ROWS;
  const nullDim = (column.nullDimension ?? 0) * BLOCK_ROWS;
  const threshold = nullThresholdOf(column);
  const offsetMs = (column.layout?.offsetMinutes ?? 0) * 60_000;
  const resolution = Math.max(1, column.format === 'date' ? DAY_MS : column.resolutionMs);
  const numeric = column.physicalType === 'integer' || column.physicalType === 'float';
  // Rounding to the resolution happens on the layout's wall clock, so "whole days" are local days.
  const minLocal = column.min + offsetMs;
  const maxLocal = column.max + offsetMs;
  const localOf = (z: number): number => {
    const pos = z * Z_RESOLUTION + Z_OFFSET;
    let ms: number;
    if (pos >= 0 && pos < Z_LAST) {
      const i = pos | 0;
      const a = zt[i] as number;
      ms = a + (pos - i) * ((zt[i + 1] as number) - a);
    } else ms = tableValue(table, z);
    let local = Math.round((ms + offsetMs) / resolution) * resolution;
    if (local < minLocal) local = minLocal;
    else if (local > maxLocal) local = maxLocal;
    return local;
  };
  const valueAt = (z: number): number => localOf(z) - offsetMs;
  let format: (localMs: number) => string;
  if (column.layout !== null) format = createLayoutFormatter(column.layout, minLocal, maxLocal);
  else if (column.format === 'date') format = createDateFormatter(minLocal, maxLocal);
  else format = formatIsoTimestamp;
  const decode: BlockDecoder = (z, lo, hi, out, offset) => {
    let o = offset;
    for (let r = lo; r < hi; r++) {
      if ((z[nullDim + r] as number) > threshold) {
        out[o++] = null;
        continue;
      }
      const local = localOf(z[valueDim + r] as number);
      out[o++] = numeric ? local - offsetMs : format(local);
    }
  };
  return { index, column, decode, nullThreshold: threshold, valueAt, table };
}

/** Buckets of the z-space index that find a category without searching every cut. */
const INDEX_BUCKETS = 2048;
const INDEX_LIMIT = 6;

function prepareCategorical(column: CategoricalColumnModel, index: number): PreparedColumn {
  const k = column.categories.length;
  // Category c covers latent values up to Φ⁻¹(cumulative probability through c); comparing in z
  // space saves evaluating Φ per cell.
  const cuts = new Float64Array(Math.max(0, k - 1));
  let cumulative = 0;
  for (let c = 0; c < k - 1; c++) {
    cumulative += column.probabilities[c] as number;
    cuts[c] = normalQuantile(Math.min(1, cumulative));
  }
  const categories = column.categories.slice();
  const valueDim = column.valueDimension * BLOCK_ROWS;
  const nullDim = (column.nullDimension ?? 0) * BLOCK_ROWS;
  const threshold = nullThresholdOf(column);
  const lastCut = k - 1;
  let decode: BlockDecoder;
  if (k <= 8) {
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        if ((z[nullDim + r] as number) > threshold) {
          out[o++] = null;
          continue;
        }
        const x = z[valueDim + r] as number;
        let c = 0;
        while (c < lastCut && x > (cuts[c] as number)) c++;
        out[o++] = categories[c] as CellValue;
      }
    };
  } else {
    // first[b] = the first category whose cut lies at or above bucket b's lower edge.
    const first = new Int32Array(INDEX_BUCKETS + 1);
    const scale = INDEX_BUCKETS / (2 * INDEX_LIMIT);
    let c = 0;
    for (let b = 0; b <= INDEX_BUCKETS; b++) {
      const edge = -INDEX_LIMIT + b / scale;
      while (c < lastCut && (cuts[c] as number) < edge) c++;
      first[b] = c;
    }
    decode = (z, lo, hi, out, offset) => {
      let o = offset;
      for (let r = lo; r < hi; r++) {
        if ((z[nullDim + r] as number) > threshold) {
          out[o++] = null;
          continue;
        }
        const x = z[valueDim + r] as number;
        const pos = (x + INDEX_LIMIT) * scale;
        let c: number;
        if (pos >= 0 && pos < INDEX_BUCKETS) {
          c = first[pos | 0] as number;
          while (c < lastCut && x > (cuts[c] as number)) c++;
        } else {
          let a = 0;
          let b = lastCut;
          while (a < b) {
            const mid = (a + b) >>> 1;
            if (x > (cuts[mid] as number)) a = mid + 1;
            else b = mid;
          }
          c = a;
        }
        out[o++] = categories[c] as CellValue;
      }
    };
  }
  return { index, column, decode, nullThreshold: threshold, cuts };
}

/** Category index a latent z falls into, given the column's cuts. */
export function categoryOfLatent(cuts: Float64Array, z: number): number {
  let a = 0;
  let b = cuts.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (z > (cuts[mid] as number)) a = mid + 1;
    else b = mid;
  }
  return a;
}
