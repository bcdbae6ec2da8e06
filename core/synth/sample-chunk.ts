/**
 * Sampling one chunk from a fitted model. A chunk is a pure function of (model, request): the
 * copula stream is seeded with deriveSeed(seed, chunkIndex) and each non-copula column with
 * deriveSeed(seed, chunkIndex, columnIndex), so no stream depends on another's call count or on
 * which chunks were sampled before, and keys come from the global row number.
 */
import { ConfigError } from '../errors.js';
import { createRng, deriveSeed, MAX_SEED, type Rng } from '../random/index.js';
import type { CellValue, PhysicalType, Table } from '../table.js';
import { createDateFormatter, DAY_MS, formatIsoTimestamp } from './datetime-codec.js';
import { createFakeGenerator } from './fake-values.js';
import { createIdentifierGenerator } from './identifiers.js';
import { choleskyLower, regularizeCorrelation } from './linear-algebra.js';
import { createLengthSampler, loremOfLength } from './lorem.js';
import type {
  CategoricalColumnModel,
  ColumnModel,
  DatetimeColumnModel,
  FakeColumnModel,
  IdentifierColumnModel,
  NumericColumnModel,
  SynthModel,
  TextColumnModel,
} from './model.js';
import { normalCdf, normalQuantile } from './normal-distribution.js';
import { getVocabulary } from './vocabulary.js';

/** Which rows to sample and with which seed. */
export interface SampleRequest {
  /** Run seed, an integer in 0..2^32−1. */
  seed: number;
  /** Chunk number k; its streams are seeded with deriveSeed(seed, k, …). */
  chunkIndex: number;
  /** Global row number of the chunk's first row (keys derive from it). */
  startRow: number;
  /** Rows to produce. */
  rowCount: number;
}

/** Rows per block of the copula loop: big enough to amortise loop overhead, small enough to stay in cache. */
const BLOCK_ROWS = 1024;

/** Samples `rowCount` synthetic rows with the source's columns and physical types. */
export function sampleChunk(model: SynthModel, req: SampleRequest): Table {
  checkRequest(req);
  const prepared = prepareModel(model);
  const { rowCount } = req;
  const outputs: CellValue[][] = model.columns.map(() => new Array<CellValue>(rowCount));
  if (prepared.dimensions > 0) sampleCopula(prepared, req, outputs);
  model.columns.forEach((column, index) => {
    if (prepared.copulaColumns.has(index)) return;
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

function checkRequest(req: SampleRequest): void {
  const integer = (field: keyof SampleRequest, max: number) => {
    const v = req[field];
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new ConfigError(`must be an integer in 0..${max}`, field);
  };
  integer('seed', MAX_SEED);
  integer('chunkIndex', Number.MAX_SAFE_INTEGER);
  integer('startRow', Number.MAX_SAFE_INTEGER);
  integer('rowCount', 2 ** 31 - 1);
}

/** Decodes one block of latent normals into a column's cells. */
type BlockDecoder = (z: Float64Array, rows: number, out: CellValue[], offset: number) => void;

interface PreparedModel {
  dimensions: number;
  /** Cholesky factor of the correlation, row-major. */
  cholesky: Float64Array;
  decoders: { decode: BlockDecoder }[];
  copulaColumns: Set<number>;
}

const preparedCache = new WeakMap<SynthModel, PreparedModel>();

function prepareModel(model: SynthModel): PreparedModel {
  const hit = preparedCache.get(model);
  if (hit !== undefined) return hit;
  const d = model.dimensions.length;
  const cholesky =
    choleskyLower(model.correlation.flat(), d) ??
    // A hand-edited or rounded model may have lost positive-definiteness; shrink it again.
    (choleskyLower(regularizeCorrelation(model.correlation).matrix.flat(), d) as Float64Array);
  const decoders: { decode: BlockDecoder }[] = [];
  const copulaColumns = new Set<number>();
  model.columns.forEach((column, index) => {
    if (column.kind === 'numeric') decoders.push({ decode: numericDecoder(column) });
    else if (column.kind === 'datetime') decoders.push({ decode: datetimeDecoder(column) });
    else if (column.kind === 'categorical') decoders.push({ decode: categoricalDecoder(column) });
    else return;
    copulaColumns.add(index);
  });
  const prepared = { dimensions: d, cholesky, decoders, copulaColumns };
  preparedCache.set(model, prepared);
  return prepared;
}

function sampleCopula(prepared: PreparedModel, req: SampleRequest, outputs: CellValue[][]): void {
  const d = prepared.dimensions;
  const l = prepared.cholesky;
  const rng = createRng(deriveSeed(req.seed, req.chunkIndex));
  const e = new Float64Array(d * BLOCK_ROWS);
  const z = new Float64Array(d * BLOCK_ROWS);
  const columnOutputs = [...prepared.copulaColumns].map((i) => outputs[i] as CellValue[]);
  for (let start = 0; start < req.rowCount; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, req.rowCount - start);
    const used = e.subarray(0, d * rows);
    rng.fillNormals(used);
    // z = L·e per row, read row-major (e[r·d + k]) with the sum in a register, and written
    // dimension-major (z[j·rows + r]) so each decoder then sweeps one contiguous run.
    for (let r = 0; r < rows; r++) {
      const eo = r * d;
      for (let j = 0; j < d; j++) {
        const lo = j * d;
        let sum = 0;
        for (let k = 0; k <= j; k++) sum += (l[lo + k] as number) * (used[eo + k] as number);
        z[j * rows + r] = sum;
      }
    }
    const block = rows === BLOCK_ROWS ? z : z.subarray(0, d * rows);
    prepared.decoders.forEach((decoder, i) =>
      decoder.decode(block, rows, columnOutputs[i] as CellValue[], start),
    );
  }
}

/** z-threshold above which the column is null (the "is null" dimension ranks nulls high), or +∞. */
function nullThreshold(nullRate: number, nullDimension: number | null): number {
  return nullDimension === null ? Infinity : normalQuantile(1 - nullRate);
}

function numericDecoder(column: NumericColumnModel): BlockDecoder {
  const knots = Float64Array.from(column.knots);
  const last = knots.length - 1;
  const min = knots[0] as number;
  const max = knots[last] as number;
  const valueDim = column.valueDimension;
  const nullDim = column.nullDimension ?? 0;
  const threshold = nullThreshold(column.nullRate, column.nullDimension);
  const scale = column.integer ? 1 : column.decimals === null ? 0 : 10 ** column.decimals;
  const toCell = numberToCell(column.physicalType, column.integer ? 0 : column.decimals);
  return (z, rows, out, offset) => {
    const vo = valueDim * rows;
    const no = nullDim * rows;
    for (let r = 0; r < rows; r++) {
      if ((z[no + r] as number) > threshold) {
        out[offset + r] = null;
        continue;
      }
      const pos = normalCdf(z[vo + r] as number) * last;
      let i = Math.floor(pos);
      if (i >= last) i = last - 1;
      const a = knots[i] as number;
      let v = a + (pos - i) * ((knots[i + 1] as number) - a);
      if (scale !== 0) v = Math.round(v * scale) / scale;
      if (v < min) v = min;
      else if (v > max) v = max;
      out[offset + r] = toCell(v);
    }
  };
}

function numberToCell(physical: PhysicalType, decimals: number | null): (v: number) => CellValue {
  switch (physical) {
    case 'integer':
      return (v) => Math.round(v);
    case 'float':
      return (v) => v;
    case 'boolean':
      return (v) => v !== 0;
    default:
      return decimals === null ? (v) => String(v) : (v) => v.toFixed(decimals);
  }
}

function datetimeDecoder(column: DatetimeColumnModel): BlockDecoder {
  const knots = Float64Array.from(column.knots);
  const last = knots.length - 1;
  const valueDim = column.valueDimension;
  const nullDim = column.nullDimension ?? 0;
  const threshold = nullThreshold(column.nullRate, column.nullDimension);
  const resolution = column.format === 'date' ? DAY_MS : Math.max(1, column.resolutionMs);
  const numeric = column.physicalType === 'integer' || column.physicalType === 'float';
  const min = knots[0] as number;
  const max = knots[last] as number;
  const format = column.format === 'date' ? createDateFormatter(min, max) : formatIsoTimestamp;
  return (z, rows, out, offset) => {
    const vo = valueDim * rows;
    const no = nullDim * rows;
    for (let r = 0; r < rows; r++) {
      if ((z[no + r] as number) > threshold) {
        out[offset + r] = null;
        continue;
      }
      const pos = normalCdf(z[vo + r] as number) * last;
      let i = Math.floor(pos);
      if (i >= last) i = last - 1;
      const a = knots[i] as number;
      let ms = Math.round((a + (pos - i) * ((knots[i + 1] as number) - a)) / resolution) * resolution;
      if (ms < min) ms = min;
      else if (ms > max) ms = max;
      out[offset + r] = numeric ? ms : format(ms);
    }
  };
}

function categoricalDecoder(column: CategoricalColumnModel): BlockDecoder {
  const k = column.categories.length;
  // Category c covers latent values up to Φ⁻¹(cumulative probability through c); comparing in z
  // space saves evaluating Φ per cell.
  const cuts = new Float64Array(Math.max(0, k - 1));
  let cumulative = 0;
  for (let c = 0; c < k - 1; c++) {
    cumulative += column.probabilities[c] as number;
    cuts[c] = normalQuantile(Math.min(1, cumulative));
  }
  const categories = column.categories;
  const valueDim = column.valueDimension;
  const nullDim = column.nullDimension ?? 0;
  const threshold = nullThreshold(column.nullRate, column.nullDimension);
  const linear = k <= 16;
  return (z, rows, out, offset) => {
    const vo = valueDim * rows;
    const no = nullDim * rows;
    for (let r = 0; r < rows; r++) {
      if ((z[no + r] as number) > threshold) {
        out[offset + r] = null;
        continue;
      }
      const x = z[vo + r] as number;
      let c: number;
      if (linear) {
        c = 0;
        while (c < k - 1 && x > (cuts[c] as number)) c++;
      } else {
        let lo = 0;
        let hi = k - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (x > (cuts[mid] as number)) lo = mid + 1;
          else hi = mid;
        }
        c = lo;
      }
      out[offset + r] = categories[c] ?? null;
    }
  };
}

/**
 * Fills `out` (length = req.rowCount) for a column generated outside any joint model: keys,
 * sensitive fakes, free text, always-null columns. Seeded per (request, column index) only, so
 * every synthesizer that shares these column models produces the same values for them.
 */
export function sampleIndependentColumn(
  column: ColumnModel,
  index: number,
  req: SampleRequest,
  out: CellValue[],
): void {
  const rng = createRng(deriveSeed(req.seed, req.chunkIndex, index));
  fillIndependentColumn(column, index, req, rng, out);
}

function fillIndependentColumn(
  column: ColumnModel,
  index: number,
  req: SampleRequest,
  rng: Rng,
  out: CellValue[],
): void {
  switch (column.kind) {
    case 'identifier':
      return fillIdentifiers(column, index, req, rng, out);
    case 'fake':
      return fillFakes(column, rng, out);
    case 'text':
      return fillText(column, rng, out);
    default:
      out.fill(null);
  }
}

function fillIdentifiers(
  column: IdentifierColumnModel,
  index: number,
  req: SampleRequest,
  rng: Rng,
  out: CellValue[],
): void {
  const generate = createIdentifierGenerator(column, deriveSeed(req.seed, index));
  const first = column.offset + req.startRow;
  const nullRate = column.nullRate;
  for (let r = 0; r < out.length; r++) {
    out[r] = nullRate > 0 && rng.nextDouble() < nullRate ? null : generate(first + r);
  }
}

function fillFakes(column: FakeColumnModel, rng: Rng, out: CellValue[]): void {
  const generate = createFakeGenerator(column);
  const nullRate = column.nullRate;
  const physical = column.physicalType;
  for (let r = 0; r < out.length; r++) {
    if (nullRate > 0 && rng.nextDouble() < nullRate) {
      out[r] = null;
      continue;
    }
    if (physical === 'boolean') {
      out[r] = rng.nextBoolean(0.5);
      continue;
    }
    const text = generate(rng);
    if (physical === 'integer' || physical === 'float') {
      // Numbers stored as integers (zip codes, phone numbers): keep the digits.
      const digits = text.replace(/\D/g, '').slice(0, 15);
      out[r] = digits.length > 0 ? Number(digits) : rng.nextInt(1_000_000);
    } else out[r] = text;
  }
}

function fillText(column: TextColumnModel, rng: Rng, out: CellValue[]): void {
  const words = getVocabulary().loremWords;
  const sampleLength = createLengthSampler(column.length);
  const nullRate = column.nullRate;
  for (let r = 0; r < out.length; r++) {
    out[r] =
      nullRate > 0 && rng.nextDouble() < nullRate ? null : loremOfLength(words, sampleLength(rng), rng);
  }
}
