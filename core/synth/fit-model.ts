/**
 * Fitting the Gaussian copula: marginals per column, then the correlation of normal scores
 * over the copula dimensions (a value dimension per modelled column, plus a missingness dimension
 * for partly-null columns so that "null here goes with low values there" is kept too).
 */
import { DataError } from '../errors.js';
import type { FieldSensitivity, SensitivityReport } from '../pii/index.js';
import type { ColumnProfile, DatasetProfile } from '../profile/index.js';
import { createRng } from '../random/index.js';
import type { CellValue, ColumnData, Table } from '../table.js';
import { DAY_MS, datetimeColumnToMs, parseDatetimeMs } from './datetime-codec.js';
import { pearsonMatrix, regularizeCorrelation } from './linear-algebra.js';
import { categoryKey, countCategories, detectDecimals, quantileKnots } from './marginals.js';
import {
  MODEL_VERSION,
  type ColumnModel,
  type CopulaDimension,
  type LengthStats,
  type SynthModel,
} from './model.js';
import { normalScores } from './normal-scores.js';

/** Options of {@link fitSynthModel}. */
export interface FitOptions {
  /**
   * Sample rows used for fitting; larger samples are subsampled with a fixed seed.
   * @default 200_000
   */
  maxFitRows?: number;
}

/** Default of {@link FitOptions.maxFitRows}. */
export const DEFAULT_MAX_FIT_ROWS = 200_000;

/** Seed of the fit subsample: fixed, so one sample always gives one model. */
const SUBSAMPLE_SEED = 0x5eed;

/** Fits a Gaussian copula model to a sample, using the profile for types and the sensitivity report to exclude sensitive values. */
export function fitSynthModel(
  sample: Table,
  profile: DatasetProfile,
  sensitivity: SensitivityReport,
  options: FitOptions = {},
): SynthModel {
  const maxFitRows = options.maxFitRows ?? DEFAULT_MAX_FIT_ROWS;
  const rows = chooseRows(sample.rowCount, maxFitRows);
  const profiles = new Map(profile.columns.map((c) => [c.name, c]));
  const fields = new Map(sensitivity.fields.map((f) => [f.column, f]));

  const columns: ColumnModel[] = [];
  const dimensions: CopulaDimension[] = [];
  const dimensionValues: Float64Array[] = [];

  sample.columns.forEach((data, index) => {
    const columnProfile = profiles.get(data.name);
    if (columnProfile === undefined)
      throw new DataError('profile has no entry for this column', { column: data.name });
    const field = fields.get(data.name);
    if (field === undefined)
      throw new DataError('sensitivity report has no field for this column', { column: data.name });
    const values = rows === undefined ? data.values : rows.map((r) => data.values[r] ?? null);
    const plan = planColumn(data, values, columnProfile, field);
    if (plan.copula === undefined) {
      columns.push(plan.model);
      return;
    }
    const { encoded, isNull } = plan.copula;
    const valueDimension = dimensions.length;
    dimensions.push({ column: index, role: 'value' });
    dimensionValues.push(normalScores(encoded));
    let nullDimension: number | null = null;
    if (plan.model.nullRate > 0 && plan.model.nullRate < 1) {
      nullDimension = dimensions.length;
      dimensions.push({ column: index, role: 'null' });
      dimensionValues.push(normalScores(isNull));
    }
    columns.push({ ...plan.model, valueDimension, nullDimension } as ColumnModel);
  });

  const { matrix, shrinkage } = regularizeCorrelation(pearsonMatrix(dimensionValues));
  return {
    version: MODEL_VERSION,
    kind: 'gaussian_copula',
    rowCountFitted: rows === undefined ? sample.rowCount : rows.length,
    columns,
    dimensions,
    correlation: matrix,
    shrinkage,
  };
}

/** Row indices of a seeded subsample (in source order), or undefined when every row is used. */
function chooseRows(rowCount: number, maxRows: number): number[] | undefined {
  if (rowCount <= maxRows) return undefined;
  const rng = createRng(SUBSAMPLE_SEED);
  const index = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) index[i] = i;
  // Partial Fisher–Yates: the first maxRows slots end up a uniform sample without replacement.
  for (let i = 0; i < maxRows; i++) {
    const j = i + rng.nextIntLarge(rowCount - i);
    const t = index[i] as number;
    index[i] = index[j] as number;
    index[j] = t;
  }
  return Array.from(index.subarray(0, maxRows)).sort((a, b) => a - b);
}

/** A column's model, or a copula column's model before its dimensions are known plus what the copula needs. */
type ColumnPlan =
  | { model: ColumnModel; copula?: undefined }
  | { model: PendingCopulaModel; copula: { encoded: Float64Array; isNull: Float64Array } };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A copula column model before its dimension indices are known. */
type PendingCopulaModel = DistributiveOmit<
  Extract<ColumnModel, { valueDimension: number }>,
  'valueDimension' | 'nullDimension'
>;

function planColumn(
  data: ColumnData,
  values: readonly CellValue[],
  profile: ColumnProfile,
  field: FieldSensitivity,
): ColumnPlan {
  const base = { name: data.name, physicalType: data.type };
  const nonNull = countNonNull(values);
  const nullRate = values.length === 0 ? profile.nullRate : 1 - nonNull / values.length;
  const sensitive = field.override?.sensitive ?? field.sensitive;
  const length = lengthStats(profile);

  if (profile.semanticType === 'identifier') {
    // A sensitive key keeps no value at all, not even its minimum.
    const min = profile.numeric?.min;
    const offset = !sensitive && min !== undefined && Number.isFinite(min) ? Math.round(min) : 1;
    const piiKind = sensitive ? (field.override?.kind ?? field.kind) : null;
    return {
      model: {
        ...base,
        kind: 'identifier',
        nullRate,
        pattern: profile.pattern ?? null,
        offset,
        length,
        piiKind,
      },
    };
  }
  if (nonNull === 0) return { model: { ...base, kind: 'empty', nullRate: 1 } };
  if (sensitive) {
    const piiKind = field.override?.kind ?? field.kind;
    const dt = profile.datetime;
    const minMs = dt === undefined ? Number.NaN : parseDatetimeMs(dt.min);
    const maxMs = dt === undefined ? Number.NaN : parseDatetimeMs(dt.max);
    return {
      model: {
        ...base,
        kind: 'fake',
        nullRate,
        piiKind,
        pattern: profile.pattern ?? null,
        length,
        dateRange: Number.isFinite(minMs) && Number.isFinite(maxMs) ? { minMs, maxMs } : null,
        dateFormat: dt?.format ?? (data.type === 'timestamp' ? 'timestamp' : 'date'),
      },
    };
  }
  switch (profile.semanticType) {
    case 'integer':
    case 'float': {
      const encoded = toNumbers(values);
      const sorted = sortedPresent(encoded);
      if (sorted.length === 0) return { model: { ...base, kind: 'empty', nullRate: 1 } };
      const integer = data.type === 'integer' || profile.semanticType === 'integer';
      return {
        model: {
          ...base,
          kind: 'numeric',
          nullRate: 1 - sorted.length / values.length,
          integer,
          decimals: integer ? 0 : detectDecimals(sorted),
          knots: quantileKnots(sorted),
        },
        copula: { encoded, isNull: missingMask(encoded) },
      };
    }
    case 'datetime': {
      const encoded = datetimeColumnToMs(values);
      const sorted = sortedPresent(encoded);
      if (sorted.length === 0) return { model: { ...base, kind: 'empty', nullRate: 1 } };
      const format = profile.datetime?.format ?? (data.type === 'date' ? 'date' : 'timestamp');
      return {
        model: {
          ...base,
          kind: 'datetime',
          nullRate: 1 - sorted.length / values.length,
          format,
          resolutionMs: format === 'date' ? DAY_MS : detectResolution(sorted),
          knots: quantileKnots(sorted),
        },
        copula: { encoded, isNull: missingMask(encoded) },
      };
    }
    case 'categorical':
    case 'boolean': {
      const table = countCategories(values);
      const codes = new Map(table.categories.map((c, i) => [categoryKey(c), i]));
      const encoded = new Float64Array(values.length);
      const isNull = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] ?? null;
        // Values of dropped rare categories are missing from the value dimension but are not nulls.
        const code = v === null ? undefined : codes.get(categoryKey(v));
        encoded[i] = code === undefined ? Number.NaN : code;
        isNull[i] = v === null ? 1 : 0;
      }
      const keptTotal = table.counts.reduce((a, b) => a + b, 0);
      return {
        model: {
          ...base,
          kind: 'categorical',
          nullRate,
          categories: table.categories,
          probabilities: table.counts.map((c) => c / keptTotal),
        },
        copula: { encoded, isNull },
      };
    }
    default:
      return { model: { ...base, kind: 'text', nullRate, length: length ?? { min: 0, max: 0, mean: 0 } } };
  }
}

function missingMask(encoded: Float64Array): Float64Array {
  const out = new Float64Array(encoded.length);
  for (let i = 0; i < encoded.length; i++) out[i] = Number.isNaN(encoded[i] as number) ? 1 : 0;
  return out;
}

function countNonNull(values: readonly CellValue[]): number {
  let n = 0;
  for (const v of values) if (v !== null && v !== undefined) n++;
  return n;
}

function lengthStats(profile: ColumnProfile): LengthStats | null {
  const t = profile.text;
  if (t === undefined) return null;
  return { min: t.minLength, max: t.maxLength, mean: t.meanLength };
}

/** Numbers of a numeric column; strings that read as numbers count, anything else is missing. */
function toNumbers(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let x: number;
    if (typeof v === 'number') x = v;
    else if (typeof v === 'string' && v.trim() !== '') x = Number(v);
    else if (typeof v === 'boolean') x = v ? 1 : 0;
    else x = Number.NaN;
    out[i] = Number.isFinite(x) ? x : Number.NaN;
  }
  return out;
}

function sortedPresent(encoded: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < encoded.length; i++) if (!Number.isNaN(encoded[i] as number)) n++;
  const out = new Float64Array(n);
  for (let i = 0, k = 0; i < encoded.length; i++)
    if (!Number.isNaN(encoded[i] as number)) out[k++] = encoded[i] as number;
  return out.sort();
}

/** The coarsest of minute, second or millisecond granularity that every sampled timestamp has. */
function detectResolution(sorted: Float64Array): number {
  let resolution = 60_000;
  for (let i = 0; i < sorted.length && resolution > 1; i++) {
    const v = sorted[i] as number;
    while (resolution > 1 && v % resolution !== 0) resolution = resolution === 60_000 ? 1000 : 1;
  }
  return resolution;
}
