/**
 * CART against the copula on column pair trends and time, plus the published outputs of other
 * synthesizers on the UCI Adult split, all scored with the project's SDMetrics-compatible metrics.
 * Run: npx tsx bench/cart-pair-trends.ts [adultDir] [rows]
 *   adultDir: folder with adult_trn.csv.gz and the published outputs (default /work/shared/datasets/adult)
 *   rows: synthetic rows per synthesizer (default: as many as the training split)
 * Times are process CPU time (user + system), so a busy machine inflates them less than wall time.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fitCartModel, sampleCartChunk } from '../core/cart/index.js';
import { classifyTable, type SensitivityReport } from '../core/pii/index.js';
import { profileTable, type DatasetProfile } from '../core/profile/index.js';
import {
  columnPairTrendScores,
  columnShapeScores,
  countExactCopies,
  fingerprintTable,
  pairKindsFromProfile,
} from '../core/quality/index.js';
import { fitSynthModel, sampleChunk } from '../core/synth/index.js';
import { chooseSynthesizer } from '../core/synthesizer/index.js';
import type { Table } from '../core/table.js';
import { readTableFile } from '../integrations/tabular/read-table.js';

const ADULT_DIR = process.argv[2] ?? '/work/shared/datasets/adult';
const ROWS = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const SEEDS = [1, 2, 3];
const PUBLISHED = ['hol', 'gaussian_copula', 'ctgan', 'tvae', 'synthpop', 'mostly', 'mostlyai'];

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

interface Scored {
  shapes: number;
  pairs: number;
  allPairs: number;
}

function score(
  real: Table,
  synthetic: Table,
  profile: DatasetProfile,
  sensitivity: SensitivityReport,
): Scored {
  const kinds = pairKindsFromProfile(profile, sensitivity);
  const shapeProfile = { ...profile, columns: profile.columns.filter((c) => Object.hasOwn(kinds, c.name)) };
  const shapes = columnShapeScores(real, synthetic, shapeProfile, { nulls: 'drop' });
  const pairs = columnPairTrendScores(real, synthetic, kinds);
  return {
    shapes: shapes.reduce((a, s) => a + s.score, 0) / shapes.length,
    pairs: pairs.score,
    allPairs: pairs.allPairsScore,
  };
}

function line(name: string, s: Scored, extra = ''): string {
  const overall = (s.shapes + s.pairs) / 2;
  return `| ${name.padEnd(22)} | ${s.shapes.toFixed(4)} | ${s.pairs.toFixed(4)} | ${overall.toFixed(4)} | ${s.allPairs.toFixed(4)} | ${extra}`;
}

function mean(list: Scored[]): Scored {
  const avg = (f: (s: Scored) => number) => list.reduce((a, s) => a + f(s), 0) / list.length;
  return { shapes: avg((s) => s.shapes), pairs: avg((s) => s.pairs), allPairs: avg((s) => s.allPairs) };
}

async function compare(name: string, file: string, allColumnsAreData: boolean): Promise<void> {
  const real = await readTableFile(file, 'csv');
  const profile = profileTable(real);
  let sensitivity = classifyTable(real, profile);
  // The published Adult outputs model every column; the classifier takes `race` for surnames, so say so.
  if (allColumnsAreData)
    sensitivity = {
      ...sensitivity,
      fields: sensitivity.fields.map((f) => ({ ...f, sensitive: false, kind: 'none' })),
    };
  const rows = ROWS ?? real.rowCount;
  const realPrints = fingerprintTable(real);
  console.log(
    `\n## ${name}: ${real.rowCount} rows × ${real.columns.length} columns, ${rows} synthetic rows, seeds ${SEEDS.join(',')}`,
  );
  console.log('| synthesizer | column shapes | pair trends | overall | all-pairs mean | time (CPU) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const results: Record<string, number> = {};
  for (const which of ['copula', 'cart'] as const) {
    const t0 = cpuMs();
    const model =
      which === 'copula'
        ? fitSynthModel(real, profile, sensitivity)
        : fitCartModel(real, profile, sensitivity);
    const fitMs = cpuMs() - t0;
    let sampleMs = 0;
    let copies = 0;
    const scores = SEEDS.map((seed) => {
      const t1 = cpuMs();
      const req = { seed, chunkIndex: 0, startRow: 0, rowCount: rows };
      const synthetic = model.kind === 'cart' ? sampleCartChunk(model, req) : sampleChunk(model, req);
      sampleMs += cpuMs() - t1;
      copies += countExactCopies(realPrints, synthetic);
      return score(real, synthetic, profile, sensitivity);
    });
    sampleMs /= SEEDS.length;
    results[which] = fitMs + sampleMs;
    const size = (JSON.stringify(model).length / 1024).toFixed(0);
    console.log(
      line(
        `ours: ${which}`,
        mean(scores),
        `fit ${fitMs.toFixed(0)} ms + sample ${sampleMs.toFixed(0)} ms; model ${size} KiB; exact copies ${copies}/${rows * SEEDS.length}`,
      ),
    );
  }
  console.log(
    `CART/copula time (fit + sample): ${((results.cart ?? 0) / (results.copula ?? 1)).toFixed(1)}×`,
  );
  const t2 = cpuMs();
  const choice = chooseSynthesizer(real, profile, sensitivity);
  console.log(`auto: ${choice.synthesizer} (${choice.reason}; trial ${(cpuMs() - t2).toFixed(0)} ms)`);
  if (!allColumnsAreData) return;
  for (const other of PUBLISHED) {
    const published = path.join(path.dirname(file), `adult_${other}.csv.gz`);
    if (!existsSync(published)) continue;
    const synthetic = await readTableFile(published, 'csv');
    console.log(
      line(`published: ${other}`, score(real, synthetic, profile, sensitivity), `${synthetic.rowCount} rows`),
    );
  }
}

await compare('UCI Adult (training split)', path.join(ADULT_DIR, 'adult_trn.csv.gz'), true);
await compare(
  'examples/customers.csv',
  path.resolve(import.meta.dirname, '../examples/customers.csv'),
  false,
);
