/**
 * Fitting the Gaussian copula: a marginal per column (a parametric family or the empirical
 * fallback, chosen by fit), then the correlation of normal scores over the copula dimensions (a
 * value dimension per modelled column, plus a missingness dimension for partly-null columns so
 * that "null here goes with low values there" is kept too). Correlations involving coarse
 * dimensions (categories, booleans, heavily tied numbers, "is null") are corrected for the
 * attenuation that coarsening causes, so the latent dependence is what gets sampled.
 */
import { ConfigError, DataError } from '../errors.js';
import type { FieldSensitivity, SensitivityReport } from '../pii/index.js';
import type { ColumnProfile, DatasetProfile } from '../profile/index.js';
import { createRng } from '../random/index.js';
import type { CellValue, ColumnData, Table } from '../table.js';
import { DAY_MS, datetimeColumnToMs, parseDatetimeMs } from './datetime-codec.js';
import { inferDatetimeLayout } from './datetime-layout.js';
import { pearsonMatrix, regularizeCorrelation } from './linear-algebra.js';
import {
  DEFAULT_PARAMETRIC_TOLERANCE,
  selectMarginal,
  type MarginalChoice,
  type MarginalSelection,
} from './marginal-families.js';
import { categoryKey, countCategories, detectDecimals } from './marginals.js';
import {
  MarginalFamily,
  MODEL_VERSION,
  type ColumnModel,
  type CopulaDimension,
  type DatetimeLayout,
  type LengthStats,
  type SynthModel,
} from './model.js';
import { normalScoresOf } from './normal-scores.js';
import { profileText } from './text-profile.js';

/** Options of {@link fitSynthModel}. */
export interface FitOptions {
  /**
   * Sample rows used for fitting; larger samples are subsampled with a fixed seed.
   * @default 200_000
   */
  maxFitRows?: number;
  /**
   * Marginal family for numeric and datetime columns not named in `numericalDistributions`:
   * `auto` picks the best fit by KS distance (SDV's `default_distribution`, with selection).
   * @default 'auto'
   */
  defaultDistribution?: MarginalChoice;
  /** Marginal family per column name (SDV's `numerical_distributions`). */
  numericalDistributions?: Readonly<Record<string, MarginalChoice>>;
  /**
   * How much worse than the empirical fallback (KS distance × √n) a parametric family may fit and
   * still be chosen by `auto` (0.89 ≈ the KS test's 5% critical value with fitted parameters).
   * @default 0.89
   */
  parametricTolerance?: number;
  /**
   * Undo the attenuation of correlations through coarse dimensions (categories, nulls, ties).
   * @default true
   */
  correctAttenuation?: boolean;
  /**
   * Order of categories along their latent normal: `associated` sorts them by the mean normal
   * score of the numeric or datetime column they are most associated with (correlation ratio), so
   * a category-number relation becomes a monotone one the copula can carry; `frequency` is SDV's
   * order (most frequent first).
   * @default 'associated'
   */
  categoryOrder?: 'associated' | 'frequency';
  /**
   * Correlations of normal scores with |r| below this many standard errors (1/√n) are treated as
   * zero; 0 keeps every correlation.
   * @default 2
   */
  noiseThreshold?: number;
}

/** Default of {@link FitOptions.noiseThreshold}. */
export const DEFAULT_NOISE_THRESHOLD = 2;

/** Sets the off-diagonal entries with |r| below `threshold` to 0. */
function zeroNoise(matrix: number[][], threshold: number): void {
  for (const row of matrix) {
    for (let j = 0; j < row.length; j++)
      if (row[j] !== 1 && Math.abs(row[j] as number) < threshold) row[j] = 0;
  }
}

/** Correlation ratio η² below which a category order follows frequency instead of a numeric column. */
const MIN_ASSOCIATION = 0.01;

/**
 * Reorders a categorical column's categories (and its codes) by the mean normal score, within each
 * category, of the numeric column that explains the most of it (largest correlation ratio η²);
 * categories stay in frequency order when no numeric column is associated.
 */
function orderByAssociation(
  model: Extract<PendingCopulaModel, { kind: 'categorical' }>,
  codes: Float64Array,
  numericScores: readonly Float64Array[],
): void {
  const k = model.categories.length;
  if (k < 3 || numericScores.length === 0) return;
  let best: { eta: number; means: Float64Array } | undefined;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (const scores of numericScores) {
    sums.fill(0);
    counts.fill(0);
    let total = 0;
    let totalSquares = 0;
    let n = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      const x = scores[i] as number;
      if (c !== c || x !== x) continue;
      sums[c] = (sums[c] as number) + x;
      counts[c] = (counts[c] as number) + 1;
      total += x;
      totalSquares += x * x;
      n++;
    }
    if (n < 3) continue;
    const mean = total / n;
    const totalVariance = totalSquares - n * mean * mean;
    if (!(totalVariance > 0)) continue;
    let between = 0;
    const means = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const m = (counts[c] as number) > 0 ? (sums[c] as number) / (counts[c] as number) : mean;
      means[c] = m;
      between += (counts[c] as number) * (m - mean) * (m - mean);
    }
    const eta = between / totalVariance;
    if (best === undefined || eta > best.eta) best = { eta, means };
  }
  if (best === undefined || best.eta < MIN_ASSOCIATION) return;
  const means = best.means;
  const order = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => (means[a] as number) - (means[b] as number) || a - b,
  );
  const newIndex = new Int32Array(k);
  order.forEach((old, i) => (newIndex[old] = i));
  model.categories = order.map((c) => model.categories[c] as CellValue);
  model.probabilities = order.map((c) => model.probabilities[c] as number);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c === c) codes[i] = newIndex[c] as number;
  }
}

/** Default of {@link FitOptions.maxFitRows}. */
export const DEFAULT_MAX_FIT_ROWS = 200_000;

/** Seed of the fit subsample: fixed, so one sample always gives one model. */
const SUBSAMPLE_SEED = 0x5eed;

/** Largest latent correlation kept after the attenuation correction (|ρ| = 1 cannot be sampled stably). */
const MAX_CORRECTED_CORRELATION = 0.995;

const MARGINAL_CHOICES = new Set<string>(['auto', ...Object.values(MarginalFamily)]);

/** Fits a Gaussian copula model to a sample, using the profile for types and the sensitivity report to exclude sensitive values. */
export function fitSynthModel(
  sample: Table,
  profile: DatasetProfile,
  sensitivity: SensitivityReport,
  options: FitOptions = {},
): SynthModel {
  checkOptions(options, sample);
  const maxFitRows = options.maxFitRows ?? DEFAULT_MAX_FIT_ROWS;
  const rows = chooseRows(sample.rowCount, maxFitRows);
  const profiles = new Map(profile.columns.map((c) => [c.name, c]));
  const fields = new Map(sensitivity.fields.map((f) => [f.column, f]));

  const columns: ColumnModel[] = [];
  const dimensions: CopulaDimension[] = [];
  const dimensionScores: Float64Array[] = [];
  const attenuation: number[] = [];
  const addDimension = (
    column: number,
    role: 'value' | 'null',
    encoded: Float64Array,
    known?: ReturnType<typeof normalScoresOf>,
  ): number => {
    const s = known ?? normalScoresOf(encoded);
    dimensions.push({ column, role });
    dimensionScores.push(s.scores);
    attenuation.push(s.attenuation);
    return dimensions.length - 1;
  };

  const plans = sample.columns.map((data) => {
    const columnProfile = profiles.get(data.name);
    if (columnProfile === undefined)
      throw new DataError('profile has no entry for this column', { column: data.name });
    const field = fields.get(data.name);
    if (field === undefined)
      throw new DataError('sensitivity report has no field for this column', { column: data.name });
    const values = rows === undefined ? data.values : rows.map((r) => data.values[r] ?? null);
    const choice = options.numericalDistributions?.[data.name] ?? options.defaultDistribution ?? 'auto';
    const tolerance = options.parametricTolerance ?? DEFAULT_PARAMETRIC_TOLERANCE;
    return planColumn(data, values, columnProfile, field, { choice, tolerance });
  });
  // Numbers and datetimes first: categories are ordered along the one they are most associated with.
  const valueScores = new Map<number, ReturnType<typeof normalScoresOf>>();
  plans.forEach((plan, index) => {
    if (plan.copula !== undefined && plan.model.kind !== 'categorical')
      valueScores.set(index, normalScoresOf(plan.copula.encoded));
  });
  if ((options.categoryOrder ?? 'associated') === 'associated') {
    const numericScores = [...valueScores.values()].map((s) => s.scores);
    for (const plan of plans) {
      if (plan.copula !== undefined && plan.model.kind === 'categorical')
        orderByAssociation(plan.model, plan.copula.encoded, numericScores);
    }
    // Second pass: categories may follow another (already ordered) categorical column instead.
    const categorical = plans.flatMap((plan) =>
      plan.copula !== undefined && plan.model.kind === 'categorical'
        ? [{ plan, codes: plan.copula.encoded }]
        : [],
    );
    const categoricalScores = categorical.map((c) => normalScoresOf(c.codes).scores);
    categorical.forEach((c, i) => {
      if (c.plan.model.kind !== 'categorical') return;
      const others = categoricalScores.filter((_, j) => j !== i);
      orderByAssociation(c.plan.model, c.codes, [...numericScores, ...others]);
    });
  }

  plans.forEach((plan, index) => {
    if (plan.copula === undefined) {
      columns.push(plan.model);
      return;
    }
    const { encoded, isNull } = plan.copula;
    const valueDimension = addDimension(index, 'value', encoded, valueScores.get(index));
    const nullDimension =
      plan.model.nullRate > 0 && plan.model.nullRate < 1 ? addDimension(index, 'null', isNull) : null;
    columns.push({ ...plan.model, valueDimension, nullDimension } as ColumnModel);
  });

  const raw = pearsonMatrix(dimensionScores);
  const fitted = rows === undefined ? sample.rowCount : rows.length;
  // Correlations within sampling noise (|r| < 2/√n, the 95% band of a zero correlation) are zeroed
  // before the attenuation correction would magnify them: independent dimensions then cost nothing
  // in the Cholesky product, and noise is not sampled as structure.
  const noise = (options.noiseThreshold ?? DEFAULT_NOISE_THRESHOLD) / Math.sqrt(Math.max(1, fitted));
  zeroNoise(raw, noise);
  if (options.correctAttenuation ?? true) correctAttenuation(raw, attenuation);
  const { matrix, shrinkage } = regularizeCorrelation(raw);
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

function checkOptions(options: FitOptions, sample: Table): void {
  const max = options.maxFitRows;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1))
    throw new ConfigError('must be a positive integer', 'maxFitRows');
  if (options.defaultDistribution !== undefined && !MARGINAL_CHOICES.has(options.defaultDistribution))
    throw new ConfigError(`must be one of ${[...MARGINAL_CHOICES].join(', ')}`, 'defaultDistribution');
  const names = new Set(sample.columns.map((c) => c.name));
  for (const [name, choice] of Object.entries(options.numericalDistributions ?? {})) {
    if (!names.has(name))
      throw new ConfigError('names no column of the sample', `numericalDistributions.${name}`);
    if (!MARGINAL_CHOICES.has(choice))
      throw new ConfigError(
        `must be one of ${[...MARGINAL_CHOICES].join(', ')}`,
        `numericalDistributions.${name}`,
      );
  }
  const tolerance = options.parametricTolerance;
  if (tolerance !== undefined && !(tolerance >= 0))
    throw new ConfigError('must be ≥ 0', 'parametricTolerance');
}

/** Divides each correlation by the attenuation of both its dimensions (see normal-scores.ts). */
function correctAttenuation(matrix: number[][], attenuation: readonly number[]): void {
  const d = matrix.length;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const a = (attenuation[i] as number) * (attenuation[j] as number);
      const row = matrix[i] as number[];
      const r = row[j] as number;
      const corrected = a > 0.05 ? r / a : r;
      row[j] = Math.max(-MAX_CORRECTED_CORRELATION, Math.min(MAX_CORRECTED_CORRELATION, corrected));
    }
  }
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

interface MarginalSettings {
  choice: MarginalChoice;
  tolerance: number;
}

function planColumn(
  data: ColumnData,
  values: readonly CellValue[],
  profile: ColumnProfile,
  field: FieldSensitivity,
  marginal: MarginalSettings,
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
        letterCase: letterCaseOf(values),
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
      const decimals = integer ? 0 : detectDecimals(sorted);
      const halfStep = decimals === null ? 0 : 0.5 / 10 ** decimals;
      return {
        model: {
          ...base,
          kind: 'numeric',
          nullRate: 1 - sorted.length / values.length,
          integer,
          decimals,
          ...fittedMarginal(sorted, halfStep, marginal),
        },
        copula: { encoded, isNull: missingMask(encoded) },
      };
    }
    case 'datetime': {
      const encoded = datetimeColumnToMs(values);
      const sorted = sortedPresent(encoded);
      if (sorted.length === 0) return { model: { ...base, kind: 'empty', nullRate: 1 } };
      const format = profile.datetime?.format ?? (data.type === 'date' ? 'date' : 'timestamp');
      const layout: DatetimeLayout | null = data.type === 'string' ? inferDatetimeLayout(values) : null;
      const offsetMs = (layout?.offsetMinutes ?? 0) * 60_000;
      const resolutionMs = detectResolution(sorted, offsetMs, format === 'date');
      return {
        model: {
          ...base,
          kind: 'datetime',
          nullRate: 1 - sorted.length / values.length,
          format,
          resolutionMs,
          layout,
          ...fittedMarginal(sorted, resolutionMs / 2, marginal),
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
      return {
        model: {
          ...base,
          kind: 'text',
          nullRate,
          length: length ?? { min: 0, max: 0, mean: 0 },
          profile: profileText(values),
        },
      };
  }
}

function fittedMarginal(
  sorted: Float64Array,
  halfStep: number,
  settings: MarginalSettings,
): { min: number; max: number; marginal: MarginalSelection['marginal']; fitStatistic: number } {
  const selection = selectMarginal(sorted, halfStep, settings.choice, settings.tolerance);
  return {
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    marginal: selection.marginal,
    fitStatistic: selection.fitStatistic,
  };
}

/** Whether most letters of the (string) values are lower case; keys with no letters count as upper. */
function letterCaseOf(values: readonly CellValue[]): 'upper' | 'lower' {
  let upper = 0;
  let lower = 0;
  const step = Math.max(1, Math.floor(values.length / 1000));
  for (let i = 0; i < values.length; i += step) {
    const v = values[i];
    if (typeof v !== 'string') continue;
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c >= 65 && c <= 90) upper++;
      else if (c >= 97 && c <= 122) lower++;
    }
  }
  return lower > upper ? 'lower' : 'upper';
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

const RESOLUTIONS = [DAY_MS, 3_600_000, 60_000, 1000, 1];

/**
 * The coarsest of day, hour, minute, second or millisecond granularity that every sampled
 * instant has on the wall clock of its layout's offset (a date column is whole days).
 */
function detectResolution(sorted: Float64Array, offsetMs: number, dateOnly: boolean): number {
  if (dateOnly) return DAY_MS;
  let k = 0;
  for (let i = 0; i < sorted.length && k < RESOLUTIONS.length - 1; i++) {
    const v = (sorted[i] as number) + offsetMs;
    while (k < RESOLUTIONS.length - 1 && v % (RESOLUTIONS[k] as number) !== 0) k++;
  }
  return RESOLUTIONS[k] as number;
}
