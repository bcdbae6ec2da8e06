/**
 * Column shapes, the first half of SDMetrics' quality report: KSComplement for numeric and
 * datetime columns, TVComplement for categorical and boolean ones; keys and free text are skipped
 * (their shapes are not meant to match). Datetimes compare as epoch ms (KS is scale-free).
 */
import type { ColumnProfile, DatasetProfile } from '../profile/index.js';
import { datetimeColumnToMs } from '../synth/datetime-codec.js';
import type { CellValue, Table } from '../table.js';
import { ksComplement } from './ks-complement.js';
import { tvComplementOf, type NullHandling } from './tv-complement.js';

/** The shape score of one column. */
export interface ColumnShapeScore {
  column: string;
  metric: 'ks_complement' | 'tv_complement';
  /** 0..1, higher is closer. */
  score: number;
}

/** Options of {@link columnShapeScores}. */
export interface ColumnShapeOptions {
  /**
   * Null handling for TVComplement: 'category' also scores the null rate; 'drop' reproduces
   * SDMetrics exactly.
   * @default 'category'
   */
  nulls?: NullHandling;
}

/**
 * Shape scores for every numeric, datetime, categorical and boolean column of the profile.
 * A column missing from the synthetic table, or with values in the real data but none in the
 * synthetic data, scores 0; a column with no values on either side is left out.
 */
export function columnShapeScores(
  real: Table,
  synthetic: Table,
  profile: DatasetProfile,
  options: ColumnShapeOptions = {},
): ColumnShapeScore[] {
  const realColumns = new Map(real.columns.map((c) => [c.name, c.values]));
  const synthColumns = new Map(synthetic.columns.map((c) => [c.name, c.values]));
  const scores: ColumnShapeScore[] = [];
  for (const column of profile.columns) {
    const metric = metricFor(column);
    if (metric === undefined) continue;
    const realValues = realColumns.get(column.name);
    if (realValues === undefined) continue;
    const synthValues = synthColumns.get(column.name);
    if (synthValues === undefined) {
      scores.push({ column: column.name, metric, score: 0 });
      continue;
    }
    let score: number;
    if (metric === 'ks_complement') {
      const toNumbers = column.semanticType === 'datetime' ? datetimeColumnToMs : numericValues;
      score = ksComplement(toNumbers(realValues), toNumbers(synthValues));
      if (Number.isNaN(score)) {
        if (!hasFinite(toNumbers(realValues))) continue;
        score = 0;
      }
    } else {
      score = tvComplementOf(realValues, synthValues, {
        nulls: options.nulls ?? 'category',
      });
      if (Number.isNaN(score)) {
        if (realValues.every((v) => v === null || v === undefined)) continue;
        score = 0;
      }
    }
    scores.push({ column: column.name, metric, score });
  }
  return scores;
}

function metricFor(column: ColumnProfile): ColumnShapeScore['metric'] | undefined {
  switch (column.semanticType) {
    case 'integer':
    case 'float':
    case 'datetime':
      return 'ks_complement';
    case 'categorical':
    case 'boolean':
      return 'tv_complement';
    default:
      return undefined;
  }
}

function numericValues(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] =
      typeof v === 'number'
        ? v
        : typeof v === 'string' && v.trim() !== ''
          ? Number(v)
          : typeof v === 'boolean'
            ? Number(v)
            : Number.NaN;
  }
  return out;
}

function hasFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i] as number)) return true;
  return false;
}
