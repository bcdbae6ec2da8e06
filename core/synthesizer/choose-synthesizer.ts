/**
 * The `auto` rule: which synthesizer to fit for a table, decided by a deterministic trial. Both
 * are fitted on three quarters of (up to TRIAL_ROWS of) the sample, each samples synthetic rows
 * with a fixed seed, and the one whose rows score higher against the held-out quarter wins (the
 * quality report's mean of column shapes and column pair trends); ties keep the faster copula.
 * Why a trial rather than a fixed rule: measured against held-out rows, CART wins clearly where
 * categories interact (adult, 300–10,000 training rows: pair trends 0.89–0.97 against 0.82–0.89)
 * and on non-linear numbers, while on linear-Gaussian numbers, small samples and the demo
 * customers table the two are within noise of each other (±0.01), so no column-type rule is
 * right everywhere; the trial costs about one extra fit on at most 6,000 rows.
 */
import { fitCartModel } from '../cart/index.js';
import type { SensitivityReport } from '../pii/index.js';
import type { DatasetProfile } from '../profile/index.js';
import { columnPairTrendScores, columnShapeScores, pairKindsFromProfile } from '../quality/index.js';
import { createRng } from '../random/index.js';
import { fitSynthModel, sampleChunk, type FitOptions } from '../synth/index.js';
import type { Table } from '../table.js';
import { sampleTableChunk } from './table-model.js';

/** Which synthesizer `auto` picked, and why. */
export interface SynthesizerChoice {
  synthesizer: 'copula' | 'cart';
  /** One sentence for reports and logs; names no data values. */
  reason: string;
  /** Trial quality of each synthesizer on the held-out rows (absent when no trial was needed). */
  trial?: { copula: number; cart: number; trainRows: number; holdoutRows: number };
}

/** Options of {@link chooseSynthesizer}. */
export interface ChooseOptions {
  /** Copula fit options used in the trial (maxFitRows does not apply: the trial is small). */
  copula?: Omit<FitOptions, 'maxFitRows'>;
}

/** Sample rows the trial uses at most (evenly spaced): enough to rank, cheap to fit twice. */
export const TRIAL_ROWS = 8000;
/** Below this many sample rows a trial's holdout is too small to rank anything: the copula is kept. */
export const MIN_TRIAL_ROWS = 200;

/** Seeds of the trial split and sampling: fixed, so one sample always gives one choice. */
const TRIAL_SEED = 0x7a1;

/** Picks the synthesizer for a table by the holdout trial described above; deterministic. */
export function chooseSynthesizer(
  sample: Table,
  profile: DatasetProfile,
  sensitivity: SensitivityReport,
  options: ChooseOptions = {},
): SynthesizerChoice {
  const kinds = pairKindsFromProfile(profile, sensitivity);
  const modelled = sample.columns.filter((c) => Object.hasOwn(kinds, c.name)).length;
  if (modelled < 2)
    return {
      synthesizer: 'copula',
      reason: 'fewer than two modelled columns: there are no column pairs to keep',
    };
  if (sample.rowCount < MIN_TRIAL_ROWS)
    return {
      synthesizer: 'copula',
      reason: `fewer than ${MIN_TRIAL_ROWS} sample rows: too few for trees, the copula generalises better`,
    };

  const { train, holdout } = splitRows(sample);
  const copulaModel = fitSynthModel(train, profile, sensitivity, {
    ...options.copula,
    maxFitRows: train.rowCount,
  });
  const cartModel = fitCartModel(train, profile, sensitivity, { maxFitRows: train.rowCount, copulaModel });
  const request = {
    seed: TRIAL_SEED,
    chunkIndex: 0,
    startRow: 0,
    rowCount: Math.min(5000, 2 * holdout.rowCount),
  };
  const copula = trialQuality(holdout, sampleChunk(copulaModel, request), profile, kinds);
  const cart = trialQuality(holdout, sampleTableChunk(cartModel, request), profile, kinds);
  const trial = { copula, cart, trainRows: train.rowCount, holdoutRows: holdout.rowCount };
  const winner = cart > copula ? 'cart' : 'copula';
  return {
    synthesizer: winner,
    reason: `holdout trial: ${winner} scored ${Math.max(cart, copula).toFixed(4)} against ${Math.min(cart, copula).toFixed(4)}`,
    trial,
  };
}

/** Mean of column shapes and column pair trends (the pair score over all pairs when none is related enough to count). */
function trialQuality(
  holdout: Table,
  synthetic: Table,
  profile: DatasetProfile,
  kinds: ReturnType<typeof pairKindsFromProfile>,
): number {
  const shapeProfile = { ...profile, columns: profile.columns.filter((c) => Object.hasOwn(kinds, c.name)) };
  const shapes = columnShapeScores(holdout, synthetic, shapeProfile).filter((s) => Number.isFinite(s.score));
  const shape = shapes.length === 0 ? Number.NaN : shapes.reduce((a, s) => a + s.score, 0) / shapes.length;
  const pairs = columnPairTrendScores(holdout, synthetic, kinds);
  const pair = Number.isFinite(pairs.score) ? pairs.score : pairs.allPairsScore;
  const parts = [shape, pair].filter((x) => Number.isFinite(x));
  return parts.length === 0 ? 0 : parts.reduce((a, b) => a + b, 0) / parts.length;
}

/** A seeded three-to-one split of at most TRIAL_ROWS evenly spaced rows. */
function splitRows(sample: Table): { train: Table; holdout: Table } {
  const n = Math.min(sample.rowCount, TRIAL_ROWS);
  const step = sample.rowCount / n;
  const rows = Array.from({ length: n }, (_, i) => Math.floor(i * step));
  const rng = createRng(TRIAL_SEED);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = rows[i] as number;
    rows[i] = rows[j] as number;
    rows[j] = t;
  }
  const cut = Math.floor((n * 3) / 4);
  const take = (idx: number[]): Table => ({
    rowCount: idx.length,
    columns: sample.columns.map((c) => ({ ...c, values: idx.map((r) => c.values[r] ?? null) })),
  });
  return { train: take(rows.slice(0, cut).sort((a, b) => a - b)), holdout: take(rows.slice(cut)) };
}
