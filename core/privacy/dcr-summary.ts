/**
 * The distance-to-closest-record figures a run reports: how far synthetic rows lie from the real
 * sample, next to how far real rows lie from each other. A bounded subsample of the synthetic rows
 * is measured against the sample (every row the model saw, so a copy of any of them counts); as the
 * reference, a seeded holdout of the sample is measured against the rest of it, with computeDcr
 * both times. "Synthetic rows are as far from real rows as real rows are from each other" reads as
 * a median ratio near 1 and a zero-distance share no higher than the holdout's (the synthetic side
 * is compared with a few more rows, which if anything makes it look nearer, never farther).
 *
 * Sizes are constants, so the cost does not grow with the run: at most 2,000 synthetic rows and
 * 1,000 holdout rows are queried against at most 21,000 (synthetic) and 20,000 (holdout) sample rows.
 */
import { createRng } from '../random/index.js';
import type { Table } from '../table.js';
import { computeDcr, type DcrReport } from './dcr.js';

/** Row counts the summary uses at most (documented in the README's metrics table). */
export const DCR_SUBSAMPLE = {
  /** Synthetic rows measured (evenly spaced over what the caller passes). */
  syntheticRows: 2000,
  /** Sample rows held out as the real-vs-real reference (at most a fifth of the sample). */
  holdoutRows: 1000,
  /** Sample rows the holdout is measured against (the synthetic rows also against the holdout itself). */
  referenceRows: 20_000,
} as const;

/** Quantiles of one distance distribution (mean Gower distance over the compared columns, 0..1). */
export interface DcrFigures {
  median: number;
  p05: number;
  /** Share of rows at distance 0 from some reference row (equal in every compared column). */
  zeroShare: number;
}

/** The DCR figures of a run: synthetic rows against the sample, with the holdout as the reference. */
export interface DcrSummary extends DcrFigures {
  syntheticRows: number;
  /** Sample rows the synthetic rows were measured against. */
  referenceRows: number;
  holdoutRows: number;
  /** Sample rows (the holdout excluded) the holdout rows were measured against. */
  holdoutReferenceRows: number;
  /** Columns compared (sensitive, faked columns and key-like columns are left out). */
  columns: string[];
  /** Holdout (real) rows against the same reference rows. */
  holdout: DcrFigures;
  /** median / holdout.median (1 when both are 0): below 1, synthetic rows sit nearer to real rows than real rows do to each other. */
  medianRatio: number;
}

/** Options of {@link computeDcrSummary}. */
export interface DcrSummaryOptions {
  /** Columns never compared (sensitive columns: faked on purpose, they would only add distance). */
  excludeColumns?: readonly string[];
  /** @default 0x0dc7 */
  seed?: number;
}

const DEFAULT_SEED = 0x0dc7;

/** Combines the synthetic DCR report (against the sample) and the holdout's (against the rest of the sample) into the run's figures. */
export function summarizeDcr(synthetic: DcrReport, holdout: DcrReport): DcrSummary {
  const figures = (r: DcrReport): DcrFigures => ({
    median: r.dcrTraining.p50,
    p05: r.dcrTraining.p05,
    zeroShare: r.syntheticRows === 0 ? Number.NaN : r.exactCopies / r.syntheticRows,
  });
  const own = figures(synthetic);
  const reference = figures(holdout);
  return {
    ...own,
    syntheticRows: synthetic.syntheticRows,
    referenceRows: synthetic.trainingRows,
    holdoutRows: holdout.syntheticRows,
    holdoutReferenceRows: holdout.trainingRows,
    columns: synthetic.columns,
    holdout: reference,
    medianRatio:
      reference.median === 0
        ? own.median === 0
          ? 1
          : Number.POSITIVE_INFINITY
        : own.median / reference.median,
  };
}

/**
 * Splits the sample (seeded), subsamples the synthetic rows and computes {@link DcrSummary}; null
 * when the sample is too small to hold anything out or no column is left to compare.
 */
export function computeDcrSummary(
  input: { synthetic: Table; sample: Table },
  options: DcrSummaryOptions = {},
): DcrSummary | null {
  const excluded = new Set(options.excludeColumns ?? []);
  const names = input.sample.columns
    .map((c) => c.name)
    .filter((n) => !excluded.has(n) && input.synthetic.columns.some((s) => s.name === n));
  const n = input.sample.rowCount;
  const holdoutCount = Math.min(DCR_SUBSAMPLE.holdoutRows, Math.floor(n / 5));
  if (names.length === 0 || holdoutCount < 1 || input.synthetic.rowCount === 0) return null;
  const order = shuffledRows(n, options.seed ?? DEFAULT_SEED);
  const referenceCount = Math.min(DCR_SUBSAMPLE.referenceRows, n - holdoutCount);
  const holdout = pick(input.sample, names, order.subarray(0, holdoutCount));
  const reference = pick(input.sample, names, order.subarray(holdoutCount, holdoutCount + referenceCount));
  const seen = pick(input.sample, names, order.subarray(0, holdoutCount + referenceCount));
  const synthetic = pick(
    input.synthetic,
    names,
    evenlySpaced(input.synthetic.rowCount, DCR_SUBSAMPLE.syntheticRows),
  );
  // computeDcr's own holdout comparison is not used here: each call's "training" side is what counts.
  const own = computeDcr({ synthetic, training: seen, holdout });
  if (own.columns.length === 0) return null;
  const real = computeDcr({ synthetic: holdout, training: reference, holdout }, { columns: own.columns });
  return summarizeDcr(own, real);
}

function shuffledRows(n: number, seed: number): Int32Array {
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = rows[i] as number;
    rows[i] = rows[j] as number;
    rows[j] = t;
  }
  return rows;
}

function evenlySpaced(n: number, at: number): Int32Array {
  if (n <= at) return Int32Array.from({ length: n }, (_, i) => i);
  const step = n / at;
  return Int32Array.from({ length: at }, (_, i) => Math.floor(i * step));
}

function pick(table: Table, names: readonly string[], rows: Int32Array): Table {
  return {
    rowCount: rows.length,
    columns: names.map((name) => {
      const column = table.columns.find((c) => c.name === name);
      const values = column?.values ?? [];
      return { name, type: column?.type ?? 'string', values: Array.from(rows, (r) => values[r] ?? null) };
    }),
  };
}
