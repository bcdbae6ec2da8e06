/**
 * The bench datasets: real public tables committed under bench/datasets (see its README for source,
 * version and licence) plus the demo customers table. Paths are absolute so any working directory works.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SensitivityOverride } from '../../core/pii/index.js';

/** Repository root (this file lives in bench/synth). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** One bench table: a name for reports and the CSV holding the real sample. */
export interface BenchDataset {
  name: string;
  /** Absolute path of the real sample (CSV, optionally gzip). */
  path: string;
  /** Published outputs of other synthesizers fitted on the same sample, scored beside ours when present. */
  published?: { synthesizer: string; path: string }[];
  /** A second real sample from the same population: scoring it gives the "real vs real" ceiling. */
  holdout?: string;
  /**
   * Reviewer corrections applied at the sensitivity gate, as a user of the pipeline would: only for
   * false positives of the classifier on public, non-personal data (each one says why).
   */
  overrides?: SensitivityOverride[];
}

const DATA = join(REPO_ROOT, 'bench/datasets');
/** The shared adult folder with the published outputs (not committed: ~4 MB of other tools' output). */
const SHARED_ADULT = '/work/shared/datasets/adult';

function publishedAdult(): BenchDataset['published'] {
  const outputs = [
    ['SDV GaussianCopula (published, SDV 1.1.0)', 'adult_gaussian_copula.csv.gz'],
    ['SDV CTGAN (published, SDV 1.1.0)', 'adult_ctgan.csv.gz'],
    ['SDV TVAE (published, SDV 1.1.0)', 'adult_tvae.csv.gz'],
    ['synthpop CART (published, 1.8-0)', 'adult_synthpop.csv.gz'],
    ['MOSTLY AI (published, 2024-12)', 'adult_mostlyai.csv.gz'],
  ] as const;
  return outputs
    .map(([synthesizer, file]) => ({ synthesizer, path: join(SHARED_ADULT, file) }))
    .filter((p) => existsSync(p.path));
}

/** Every bench dataset, smallest first. */
export const BENCH_DATASETS: readonly BenchDataset[] = [
  { name: 'penguins', path: join(DATA, 'penguins.csv') },
  { name: 'seattle-weather', path: join(DATA, 'seattle-weather.csv') },
  { name: 'customers', path: join(REPO_ROOT, 'examples/customers.csv') },
  { name: 'wide20', path: join(DATA, 'wide20.csv') },
  { name: 'birdstrikes', path: join(DATA, 'birdstrikes.csv') },
  {
    name: 'adult',
    path: join(DATA, 'adult/adult_trn.csv.gz'),
    holdout: join(DATA, 'adult/adult_hol.csv.gz'),
    published: publishedAdult(),
  },
];

/** The dataset with this name, or a clear error listing the known names. */
export function findDataset(name: string): BenchDataset {
  const found = BENCH_DATASETS.find((d) => d.name === name);
  if (found === undefined)
    throw new Error(`unknown dataset '${name}'; known: ${BENCH_DATASETS.map((d) => d.name).join(', ')}`);
  return found;
}
