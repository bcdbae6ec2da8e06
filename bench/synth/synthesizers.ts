/**
 * Our synthesizers as the bench sees them, through the core/synthesizer facade the pipeline uses:
 * fit on a sample, then sample chunk by chunk. A new kind is one entry in OUR_SYNTHESIZERS.
 */
import {
  applyOverrides,
  classifyTable,
  type SensitivityOverride,
  type SensitivityReport,
} from '../../core/pii/index.js';
import { profileTable, type DatasetProfile } from '../../core/profile/index.js';
import type { SampleRequest } from '../../core/synth/index.js';
import {
  fitTableSynthesizerWithChoice,
  sampleTableChunk,
  type SynthesizerKind,
} from '../../core/synthesizer/index.js';
import type { Table } from '../../core/table.js';

/** A fitted model of any of our synthesizers, opaque to the bench. */
export interface FittedSynthesizer {
  sample(req: SampleRequest): Table;
  /** Size of the serialized model in bytes (what the artifact store holds). */
  modelBytes(): number;
  /** Which synthesizer was fitted and why (for `auto`, the trial's pick). */
  choice: string;
}

/** One of our synthesizers. */
export interface OurSynthesizer {
  name: SynthesizerKind;
  fit(sample: Table, profile: DatasetProfile, sensitivity: SensitivityReport): FittedSynthesizer;
}

function facade(kind: SynthesizerKind): OurSynthesizer {
  return {
    name: kind,
    fit(sample, profile, sensitivity) {
      const { model, choice } = fitTableSynthesizerWithChoice(sample, profile, sensitivity, {
        synthesizer: kind,
      });
      return {
        sample: (req) => sampleTableChunk(model, req),
        modelBytes: () => JSON.stringify(model).length,
        choice: `${choice.synthesizer}: ${choice.reason}`,
      };
    },
  };
}

/**
 * Every synthesizer the bench runs: the Gaussian copula (core/synth), sequential CART (core/cart),
 * and `auto`, the pipeline's default, which fits whichever of the two wins a holdout trial.
 */
export const OUR_SYNTHESIZERS: readonly OurSynthesizer[] = [facade('copula'), facade('cart'), facade('auto')];

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
