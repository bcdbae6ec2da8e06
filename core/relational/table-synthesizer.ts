/**
 * The per-table synthesizer the relational generator drives. Relational synthesis only needs
 * "fit a model on these rows" and "sample n rows of it with this seed", so any single-table
 * synthesizer plugs in through this interface; the relational layer adds keys, child counts and
 * conditioning on the parent around it. The default is the core/synthesizer facade (copula, CART
 * or the auto pick), whose models of every kind sample through one function.
 */
import type { SensitivityReport } from '../pii/index.js';
import type { DatasetProfile } from '../profile/index.js';
import { createSensitiveCellRedrawer, type SampleRequest } from '../synth/index.js';
import {
  fitTableSynthesizer,
  sampleTableChunk,
  SynthesizerKind,
  type TableModel,
  type TableSynthesizerOptions,
} from '../synthesizer/index.js';
import type { CellValue, Table } from '../table.js';

/** A single-table synthesizer; its models must be JSON-serialisable so the relational model is too. */
export interface TableSynthesizer<Model = unknown> {
  /** Name recorded in the relational model; sampling checks it, since only this synthesizer samples its models. */
  readonly name: string;
  /** Fits a model to the rows of `sample` (the profile and report may describe more rows than the sample holds). */
  fit(sample: Table, profile: DatasetProfile, sensitivity: SensitivityReport): Model;
  /** Samples `req.rowCount` rows; a pure function of (model, req). */
  sample(model: Model, req: SampleRequest): Table;
  /**
   * The synthesizer for the per-stratum models of a table whose all-rows model is `pooled`
   * (lets `auto` decide once per table instead of once per stratum); itself when absent.
   */
  forStrata?(pooled: Model): TableSynthesizer<Model>;
  /**
   * A fresh value of generated sensitive column `column` for (row, attempt), a pure function of them and
   * `seed`, for cells that came out equal to a sample value; undefined when the model does not generate
   * that column as a fake (such cells are then only counted). Without it nothing is redrawn.
   */
  sensitiveCellRedrawer?(
    model: Model,
    column: string,
    seed: number,
  ): ((row: number, attempt: number) => CellValue) | undefined;
}

/** Name of every synthesizer built by {@link createFacadeSynthesizer}: they all sample any facade model. */
export const FACADE_SYNTHESIZER_NAME = 'table-synthesizer';

/** The core/synthesizer facade as a {@link TableSynthesizer}, fitting with the given options. */
export function createFacadeSynthesizer(options: TableSynthesizerOptions = {}): TableSynthesizer<TableModel> {
  return {
    name: FACADE_SYNTHESIZER_NAME,
    fit: (sample, profile, sensitivity) => fitTableSynthesizer(sample, profile, sensitivity, options),
    sample: (model, req) => sampleTableChunk(model, req),
    sensitiveCellRedrawer: (model, column, seed) => {
      const index = model.columns.findIndex((c) => c.name === column);
      const spec = model.columns[index];
      // Fakes only: a redrawn identifier would need the table's total rows to stay unique.
      if (spec === undefined || spec.kind !== 'fake') return undefined;
      return createSensitiveCellRedrawer(spec, index, seed, 0);
    },
    forStrata: (pooled) =>
      options.synthesizer === SynthesizerKind.Auto || options.synthesizer === undefined
        ? createFacadeSynthesizer({
            ...options,
            synthesizer: pooled.kind === 'cart' ? SynthesizerKind.Cart : SynthesizerKind.Copula,
          })
        : createFacadeSynthesizer(options),
  };
}

/** The default per-table synthesizer: the facade fitting the Gaussian copula. */
export const defaultTableSynthesizer: TableSynthesizer = createFacadeSynthesizer({
  synthesizer: SynthesizerKind.Copula,
}) as TableSynthesizer;

/** A synthesizer given by kind (`copula`, `cart`, `auto`) becomes the facade; an object is used as is. */
export function resolveTableSynthesizer(
  synthesizer: TableSynthesizer | SynthesizerKind | undefined,
): TableSynthesizer {
  if (synthesizer === undefined) return defaultTableSynthesizer;
  if (typeof synthesizer === 'string') return createFacadeSynthesizer({ synthesizer }) as TableSynthesizer;
  return synthesizer;
}
