/**
 * Our synthesizers as the bench sees them: fit on a sample, then sample chunk by chunk. Adding a
 * synthesizer to every bench run (and to the quality-floor test) is one entry in OUR_SYNTHESIZERS.
 */
import { fitCartModel, sampleCartChunk } from '../../core/cart/index.js';
import {
  applyOverrides,
  classifyTable,
  type SensitivityOverride,
  type SensitivityReport,
} from '../../core/pii/index.js';
import { profileTable, type DatasetProfile } from '../../core/profile/index.js';
import { fitSynthModel, sampleChunk, type SampleRequest } from '../../core/synth/index.js';
import type { Table } from '../../core/table.js';

/** A fitted model of any of our synthesizers, opaque to the bench. */
export interface FittedSynthesizer {
  sample(req: SampleRequest): Table;
  /** Size of the serialized model in bytes (what the artifact store holds). */
  modelBytes(): number;
}

/** One of our synthesizers. */
export interface OurSynthesizer {
  name: string;
  fit(sample: Table, profile: DatasetProfile, sensitivity: SensitivityReport): FittedSynthesizer;
}

/** The Gaussian copula of core/synth. */
const copula: OurSynthesizer = {
  name: 'copula',
  fit(sample, profile, sensitivity) {
    const model = fitSynthModel(sample, profile, sensitivity);
    return { sample: (req) => sampleChunk(model, req), modelBytes: () => JSON.stringify(model).length };
  },
};

/** The sequential-CART synthesizer of core/cart. */
const cart: OurSynthesizer = {
  name: 'cart',
  fit(sample, profile, sensitivity) {
    const model = fitCartModel(sample, profile, sensitivity);
    return { sample: (req) => sampleCartChunk(model, req), modelBytes: () => JSON.stringify(model).length };
  },
};

/** Every synthesizer the bench runs, by name. */
export const OUR_SYNTHESIZERS: readonly OurSynthesizer[] = [copula, cart];

/** The synthesizer with this name, or an error listing the known names. */
export function findSynthesizer(name: string): OurSynthesizer {
  const found = OUR_SYNTHESIZERS.find((s) => s.name === name);
  if (found === undefined)
    throw new Error(
      `unknown synthesizer '${name}'; known: ${OUR_SYNTHESIZERS.map((s) => s.name).join(', ')}`,
    );
  return found;
}

/** Profiles and classifies a sample as the pipeline does before fitting, with the reviewer's overrides applied. */
export function prepareSample(
  sample: Table,
  overrides: readonly SensitivityOverride[] = [],
): { profile: DatasetProfile; sensitivity: SensitivityReport } {
  const profile = profileTable(sample);
  const classified = classifyTable(sample, profile);
  const sensitivity =
    overrides.length === 0
      ? classified
      : applyOverrides(classified, overrides, { by: 'bench', at: '1970-01-01T00:00:00.000Z' });
  return { profile, sensitivity };
}
