/**
 * Privacy numbers of a synthetic table: SDMetrics' NewRowSynthesis (rows that copy a real row, up
 * to a 1 % numeric tolerance), the DCR comparison with a holdout as SDMetrics'
 * DCROverfittingProtection computes it (Gower distance, numbers scaled by each reference table's
 * own range, a row counted closer to training only when strictly closer), the nearest-neighbour
 * distance ratio, and the privacy gate. Distances use core/privacy's exact nearest-neighbour search.
 */
import {
  buildNeighbourIndex,
  createGowerLayout,
  encodeGowerRows,
  findNearest,
  type NearestDistances,
} from '../privacy/index.js';
import type { CellValue, Table } from '../table.js';
import {
  columnByName,
  evenRows,
  finiteOrNull,
  isContinuous,
  isDiscrete,
  numericValues,
  pickRows,
} from './columns.js';
import type {
  DistanceSummary,
  EvaluatedColumn,
  GateFailure,
  PrivacyGateResult,
  PrivacyFindings,
  PrivacyOptions,
  PrivacyResult,
  PrivacyThresholds,
} from './types.js';

/** SDMetrics' default numerical_match_tolerance of NewRowSynthesis. */
export const NEW_ROW_TOLERANCE = 0.01;

/**
 * sdmetrics NewRowSynthesis over the numerical, datetime, categorical and boolean columns: a
 * synthetic row matches when some real row has, column by column, a missing value where it has
 * one, an equal category, and a number within |tolerance × synthetic value|.
 */
export function newRowSynthesis(
  real: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
  tolerance: number = NEW_ROW_TOLERANCE,
): PrivacyResult['newRowSynthesis'] {
  const used = columns.filter(
    (c) =>
      (isContinuous(c.sdtype) || isDiscrete(c.sdtype)) &&
      columnByName(real, c.name) !== undefined &&
      columnByName(synthetic, c.name) !== undefined,
  );
  const numeric = used.filter((c) => isContinuous(c.sdtype));
  const discrete = used.filter((c) => isDiscrete(c.sdtype));
  const realNums = numeric.map((c) =>
    numericValues((columnByName(real, c.name) as { values: CellValue[] }).values, c.sdtype),
  );
  const synthNums = numeric.map((c) =>
    numericValues((columnByName(synthetic, c.name) as { values: CellValue[] }).values, c.sdtype),
  );
  const realCats = discrete.map((c) => (columnByName(real, c.name) as { values: CellValue[] }).values);
  const synthCats = discrete.map((c) => (columnByName(synthetic, c.name) as { values: CellValue[] }).values);

  // Real rows grouped by their categories and which numbers are missing; within a group, sorted by
  // the first present number so that candidates are found by binary search.
  const groups = new Map<string, { rows: Int32Array; pivot: number; keys: Float64Array }>();
  const members = new Map<string, number[]>();
  for (let r = 0; r < real.rowCount; r++) {
    const key = groupKey(realCats, realNums, r);
    let list = members.get(key);
    if (list === undefined) members.set(key, (list = []));
    list.push(r);
  }
  for (const [key, list] of members) {
    const first = list[0] as number;
    const pivot = realNums.findIndex((col) => (col[first] as number) === (col[first] as number));
    let rows = Int32Array.from(list);
    let keys = new Float64Array(0);
    if (pivot >= 0) {
      const col = realNums[pivot] as Float64Array;
      rows = rows.sort((a, b) => (col[a] as number) - (col[b] as number));
      keys = Float64Array.from(rows, (r) => col[r] as number);
    }
    groups.set(key, { rows, pivot, keys });
  }

  let matched = 0;
  for (let s = 0; s < synthetic.rowCount; s++) {
    const group = groups.get(groupKey(synthCats, synthNums, s));
    if (group === undefined) continue;
    if (group.pivot < 0) {
      matched++;
      continue;
    }
    const x = (synthNums[group.pivot] as Float64Array)[s] as number;
    const tol = Math.abs(tolerance * x);
    let lo = lowerBound(group.keys, x - tol);
    let found = false;
    for (; lo < group.keys.length && (group.keys[lo] as number) <= x + tol; lo++) {
      const r = group.rows[lo] as number;
      let all = true;
      for (let j = 0; j < realNums.length && all; j++) {
        if (j === group.pivot) continue;
        const sv = (synthNums[j] as Float64Array)[s] as number;
        if (sv !== sv) continue; // missing on both, by the group key
        const rv = (realNums[j] as Float64Array)[r] as number;
        if (!(Math.abs(rv - sv) <= Math.abs(tolerance * sv))) all = false;
      }
      if (all) {
        found = true;
        break;
      }
    }
    if (found) matched++;
  }
  const n = synthetic.rowCount;
  return { score: n === 0 ? 1 : (n - matched) / n, matchedRows: matched, syntheticRowsChecked: n };
}

function groupKey(cats: readonly CellValue[][], nums: readonly Float64Array[], r: number): string {
  let key = '';
  for (const col of cats) {
    const v = col[r] ?? null;
    key +=
      v === null || (typeof v === 'number' && Number.isNaN(v))
        ? '\u0000z'
        : `\u0000${typeof v === 'string' ? 's' : typeof v === 'number' ? 'n' : 'b'}${String(v)}`;
  }
  key += '\u0001';
  for (const col of nums) key += (col[r] as number) === (col[r] as number) ? '1' : '0';
  return key;
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The DCR comparison: distances of each synthetic row to its nearest training and nearest holdout
 * row, each reference scaling numbers by its own range (as sdmetrics' calculate_dcr).
 */
export function dcrComparison(
  training: Table,
  holdout: Table,
  synthetic: Table,
  columns: readonly EvaluatedColumn[],
): NonNullable<PrivacyResult['dcr']> {
  const names = columns
    .filter(
      (c) =>
        (isContinuous(c.sdtype) || isDiscrete(c.sdtype)) &&
        [training, holdout, synthetic].every((t) => columnByName(t, c.name) !== undefined),
    )
    .map((c) => c.name);
  const toTraining = nearest(training, synthetic, names, 2);
  const toHoldout = nearest(holdout, synthetic, names, 1);
  const n = synthetic.rowCount;
  let closer = 0;
  const nndr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = toTraining.first[i] as number;
    if (t < (toHoldout.first[i] as number)) closer++;
    const second = toTraining.second[i] as number;
    nndr[i] = second > 0 ? t / second : second === 0 ? 1 : Number.NaN;
  }
  const share = n === 0 ? Number.NaN : closer / n;
  return {
    overfittingProtection: Number.isNaN(share) ? 0 : Math.min(1, (1 - share) * 2),
    closerToTrainingShare: Number.isNaN(share) ? 0 : share,
    expectedCloserToTrainingShare: training.rowCount / Math.max(1, training.rowCount + holdout.rowCount),
    dcrTraining: summarize(toTraining.first),
    dcrHoldout: summarize(toHoldout.first),
    nndr: summarize(nndr),
    columns: names,
    syntheticRowsChecked: n,
    trainingRowsChecked: training.rowCount,
    holdoutRowsChecked: holdout.rowCount,
  };
}

function nearest(reference: Table, queries: Table, names: string[], k: 1 | 2): NearestDistances {
  const layout = createGowerLayout([reference], names);
  const referenceRows = encodeGowerRows(reference, layout);
  const queryRows = encodeGowerRows(queries, layout);
  return findNearest(buildNeighbourIndex(referenceRows, layout), queryRows, k);
}

function summarize(values: Float64Array): DistanceSummary {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  const q = (p: number): number | null => {
    if (finite.length === 0) return null;
    const at = p * (finite.length - 1);
    const lo = Math.floor(at);
    const hi = Math.min(finite.length - 1, lo + 1);
    return (finite[lo] as number) + ((finite[hi] as number) - (finite[lo] as number)) * (at - lo);
  };
  let sum = 0;
  for (const v of finite) sum += v;
  return { p05: q(0.05), p50: q(0.5), mean: finite.length === 0 ? null : finiteOrNull(sum / finite.length) };
}

/** Default sample sizes of {@link evaluatePrivacy}. */
export const PRIVACY_SAMPLES = {
  syntheticSampleSize: 100_000,
  dcrSyntheticSampleSize: 2_000,
  dcrReferenceSampleSize: 10_000,
} as const;

/** The privacy numbers, on evenly spaced samples of large tables. */
export function evaluatePrivacy(
  real: Table,
  synthetic: Table,
  holdout: Table | undefined,
  columns: readonly EvaluatedColumn[],
  options: PrivacyOptions = {},
): PrivacyResult {
  const sample = (t: Table, n: number): Table => pickRows(t, evenRows(t.rowCount, n));
  const nrs = newRowSynthesis(
    real,
    sample(synthetic, options.syntheticSampleSize ?? PRIVACY_SAMPLES.syntheticSampleSize),
    columns,
  );
  const references = options.dcrReferenceSampleSize ?? PRIVACY_SAMPLES.dcrReferenceSampleSize;
  return {
    newRowSynthesis: nrs,
    exactCopyRate: 1 - nrs.score,
    dcr:
      holdout === undefined
        ? null
        : dcrComparison(
            sample(real, references),
            sample(holdout, references),
            sample(synthetic, options.dcrSyntheticSampleSize ?? PRIVACY_SAMPLES.dcrSyntheticSampleSize),
            columns,
          ),
  };
}

/** Checks privacy numbers against thresholds; a metric that could not be computed fails its threshold. */
export function evaluatePrivacyGate(
  metrics: PrivacyResult | null,
  thresholds: PrivacyThresholds,
  findings: PrivacyFindings = {},
): PrivacyGateResult {
  const failures: GateFailure[] = [];
  const check = (
    metric: keyof PrivacyThresholds,
    value: number | null | undefined,
    atMost: boolean,
  ): void => {
    const threshold = thresholds[metric];
    if (threshold === undefined) return;
    const v = value ?? null;
    const ok = v !== null && (atMost ? v <= threshold : v >= threshold);
    if (!ok) failures.push({ metric, value: v, threshold });
  };
  check('maxExactCopyRate', metrics?.exactCopyRate, true);
  check('minOverfittingProtection', metrics?.dcr?.overfittingProtection, false);
  check('maxCloserToTrainingShare', metrics?.dcr?.closerToTrainingShare, true);
  check('minNndrP05', metrics?.dcr?.nndr.p05, false);
  check('minDcrP05', metrics?.dcr?.dcrTraining.p05, false);
  check('maxLeaks', findings.leaks, true);
  check('maxSensitiveSampleValues', findings.sensitiveSampleValues, true);
  // NaN would fail too, but JSON cannot carry it: it is reported as not computed.
  const ratio = findings.dcrMedianRatio;
  check(
    'minDcrMedianRatio',
    ratio !== undefined && ratio !== null && Number.isNaN(ratio) ? null : ratio,
    false,
  );
  return { pass: failures.length === 0, failures };
}
