/** Fitting the table synthesizer the configuration asks for: the copula, CART, or the `auto` trial's pick. */
import { fitCartModel, type CartFitOptions } from '../cart/index.js';
import { ConfigError } from '../errors.js';
import type { SensitivityReport } from '../pii/index.js';
import type { DatasetProfile } from '../profile/index.js';
import { fitSynthModel, type FitOptions } from '../synth/index.js';
import type { Table } from '../table.js';
import { chooseSynthesizer, type SynthesizerChoice } from './choose-synthesizer.js';
import type { TableModel } from './table-model.js';

/** Which synthesizer to fit. */
export const SynthesizerKind = {
  /** Gaussian copula: fastest; linear (rank) correlations between columns. */
  Copula: 'copula',
  /** Sequential CART: non-linear and categorical interplay, a few times slower. */
  Cart: 'cart',
  /** Decided per table by a holdout trial of both (see chooseSynthesizer). */
  Auto: 'auto',
} as const;
/** One of {@link SynthesizerKind}. */
export type SynthesizerKind = (typeof SynthesizerKind)[keyof typeof SynthesizerKind];

/** Options of {@link fitTableSynthesizer}. */
export interface TableSynthesizerOptions {
  /** @default 'auto' */
  synthesizer?: SynthesizerKind;
  /** Sample rows used for fitting (seeded subsample above it); each synthesizer's own default otherwise. */
  maxFitRows?: number;
  /** Copula fit options (marginal families and the like). */
  copula?: Omit<FitOptions, 'maxFitRows'>;
  /** CART fit options (leaf size, depth, visit order). */
  cart?: Omit<CartFitOptions, 'maxFitRows' | 'copulaModel'>;
}

/** A fitted model with the choice behind it. */
export interface FittedTableSynthesizer {
  model: TableModel;
  /** Why this synthesizer: the configured one, or the auto trial's result. */
  choice: SynthesizerChoice;
}

/** Fits the configured synthesizer (or, for `auto`, the one the holdout trial picks) to a sample. */
export function fitTableSynthesizer(
  sample: Table,
  profile: DatasetProfile,
  sensitivity: SensitivityReport,
  options: TableSynthesizerOptions = {},
): TableModel {
  return fitTableSynthesizerWithChoice(sample, profile, sensitivity, options).model;
}

/** {@link fitTableSynthesizer}, also returning which synthesizer was fitted and why. */
export function fitTableSynthesizerWithChoice(
  sample: Table,
  profile: DatasetProfile,
  sensitivity: SensitivityReport,
  options: TableSynthesizerOptions = {},
): FittedTableSynthesizer {
  const requested = options.synthesizer ?? 'auto';
  if (!Object.values(SynthesizerKind).includes(requested))
    throw new ConfigError("must be 'copula', 'cart' or 'auto'", 'synthesizer');
  if (options.maxFitRows !== undefined && !(Number.isInteger(options.maxFitRows) && options.maxFitRows >= 1))
    throw new ConfigError('must be a positive integer', 'maxFitRows');
  const choice: SynthesizerChoice =
    requested === 'auto'
      ? chooseSynthesizer(sample, profile, sensitivity, { copula: options.copula })
      : { synthesizer: requested, reason: `configured synthesizer: ${requested}` };
  const maxFitRows = options.maxFitRows === undefined ? {} : { maxFitRows: options.maxFitRows };
  const model =
    choice.synthesizer === 'cart'
      ? fitCartModel(sample, profile, sensitivity, { ...options.cart, ...maxFitRows })
      : fitSynthModel(sample, profile, sensitivity, { ...options.copula, ...maxFitRows });
  return { model, choice };
}
