/**
 * The per-table synthesizer the relational generator drives. Relational synthesis only needs
 * "fit a model on these rows" and "sample n rows of it with this seed", so any single-table
 * synthesizer (the Gaussian copula by default, CART, …) plugs in through this interface; the
 * relational layer adds keys, child counts and conditioning on the parent around it.
 */
import type { SensitivityReport } from '../pii/index.js';
import type { DatasetProfile } from '../profile/index.js';
import { fitSynthModel, sampleChunk, type SampleRequest } from '../synth/index.js';
import type { Table } from '../table.js';

/** A single-table synthesizer; its models must be JSON-serialisable so the relational model is too. */
export interface TableSynthesizer<Model = unknown> {
  /** Short name recorded in the relational model, e.g. `copula`. */
  readonly name: string;
  /** Fits a model to the rows of `sample` (the profile and report may describe more rows than the sample holds). */
  fit(sample: Table, profile: DatasetProfile, sensitivity: SensitivityReport): Model;
  /** Samples `req.rowCount` rows; a pure function of (model, req). */
  sample(model: Model, req: SampleRequest): Table;
}

/** The Gaussian copula of core/synth as a {@link TableSynthesizer}. */
export const copulaTableSynthesizer: TableSynthesizer = {
  name: 'copula',
  fit: (sample, profile, sensitivity) => fitSynthModel(sample, profile, sensitivity),
  sample: (model, req) => sampleChunk(model as Parameters<typeof sampleChunk>[0], req),
};
