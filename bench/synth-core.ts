/**
 * Core synthesizer benchmark, one core, three modes:
 * - demo (default): fits a 5,000-row demo-like table (20 columns, 6 of them sensitive) and samples
 *   1,000,000 rows in 100,000-row chunks, then scores the result.
 *   Run: npx tsx bench/synth-core.ts [demo] [rows] [chunkRows]
 * - wide: the throughput target, a 20-column numeric/categorical table (10 numeric, 3 of them with
 *   nulls; 10 categorical with 3–50 categories); samples `rows` rows in `chunkRows` chunks `reps`
 *   times and prints rows/s per repetition (CPU time and wall clock), best and median.
 *   Run: npx tsx bench/synth-core.ts wide [rows] [chunkRows] [reps]
 * - quality: fits a CSV file (profiled and classified like the pipeline does), samples as many rows
 *   as it has with seeds 1–3 and prints column shapes and column pair trends (core/quality); a second
 *   CSV (another synthesizer's output on the same data) is scored the same way for comparison.
 *   Run: npx tsx bench/synth-core.ts quality FILE.csv [REFERENCE.csv]
 * Each mode first times a plain multiply-add loop, so numbers from a busy machine can be judged.
 */
import { availableParallelism, loadavg } from 'node:os';
import { faker } from '@faker-js/faker/locale/en';
import { classifyTable } from '../core/pii/index.js';
import { profileTable } from '../core/profile/index.js';
import {
  columnPairTrendScores,
  columnShapeScores,
  countExactCopies,
  fingerprintTable,
  pairKindsFromProfile,
  summarizeQuality,
} from '../core/quality/index.js';
import { withoutSensitive } from '../core/quality/scoring-profile.js';
import { createRng } from '../core/random/index.js';
import { fitSynthModel, sampleChunk, type SynthModel } from '../core/synth/index.js';
import type { CellValue, PhysicalType, Table } from '../core/table.js';
import { readTableFile } from '../integrations/tabular/index.js';

const SEED = 20240601;
const rate = (n: number) => Math.round(n).toLocaleString('en');

/** CPU milliseconds of this process so far. */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** One pass of the calibration loop (a function of its own, so it is optimised like real code). */
function multiplyAdd(a: Float64Array, b: Float64Array): void {
  for (let r = 0; r < a.length; r++) a[r] = (a[r] as number) * 0.5 + 0.25 * (b[r] as number);
}

/** Best CPU nanoseconds per multiply-add of a tight loop: a yardstick for how busy the machine is. */
function calibrate(): number {
  const a = new Float64Array(1024).fill(0.5);
  const b = new Float64Array(1024).fill(0.25);
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t = cpuMs();
    for (let i = 0; i < 20_000; i++) multiplyAdd(a, b);
    best = Math.min(best, ((cpuMs() - t) * 1e6) / (20_000 * 1024));
  }
  return best;
}

function printMachine(): void {
  console.log(
    `machine: ${availableParallelism()} cores, load average ${(loadavg()[0] ?? 0).toFixed(1)}, multiply-add loop ${calibrate().toFixed(2)} ns (CPU)`,
  );
}

const DEMO_SAMPLE_ROWS = 5000;

/** A customer table shaped like the demo data: keys, personal data, correlated numbers, categories, free text. */
function buildDemoTable(rows: number): Table {
  faker.seed(7);
  const rng = createRng(11);
  const cols: Record<string, { type: Table['columns'][number]['type']; values: CellValue[] }> = {};
  const add = (name: string, type: Table['columns'][number]['type']) =>
    (cols[name] = { type, values: [] as CellValue[] }).values;
  const id = add('customer_id', 'string');
  const first = add('first_name', 'string');
  const last = add('last_name', 'string');
  const email = add('email', 'string');
  const phone = add('phone', 'string');
  const street = add('street_address', 'string');
  const dob = add('date_of_birth', 'date');
  const signup = add('signup_date', 'date');
  const login = add('last_login', 'timestamp');
  const age = add('age', 'integer');
  const income = add('annual_income', 'float');
  const score = add('credit_score', 'integer');
  const balance = add('balance', 'float');
  const orders = add('order_count', 'integer');
  const country = add('country', 'string');
  const plan = add('plan', 'string');
  const active = add('is_active', 'boolean');
  const churned = add('churned', 'boolean');
  const segment = add('segment', 'string');
  const notes = add('notes', 'string');
  const countries = ['US', 'US', 'US', 'US', 'GB', 'GB', 'DE', 'FR', 'CA', 'AU', 'NL', 'SE'];
  const segments = ['retail', 'smb', 'enterprise', 'public', 'education'];
  for (let i = 0; i < rows; i++) {
    const z1 = rng.nextNormal();
    const z2 = 0.6 * z1 + 0.8 * rng.nextNormal();
    const f = faker.person.firstName();
    const l = faker.person.lastName();
    id.push(`CUST-${String(100000 + i * 7).padStart(6, '0')}`);
    first.push(f);
    last.push(l);
    email.push(faker.internet.email({ firstName: f, lastName: l }));
    phone.push(faker.phone.number({ style: 'national' }));
    street.push(faker.location.streetAddress());
    const a = Math.max(18, Math.min(90, Math.round(42 + 13 * z1)));
    age.push(a);
    dob.push(
      `${2024 - a}-${String(1 + rng.nextInt(12)).padStart(2, '0')}-${String(1 + rng.nextInt(28)).padStart(2, '0')}`,
    );
    const signupMs = Date.UTC(2019, 0, 1) + rng.nextInt(5 * 365) * 86_400_000;
    signup.push(new Date(signupMs).toISOString().slice(0, 10));
    login.push(
      rng.nextDouble() < 0.1 ? null : new Date(signupMs + rng.nextInt(400 * 86_400) * 1000).toISOString(),
    );
    const inc = Math.round(Math.exp(10.8 + 0.5 * z2) * 100) / 100;
    income.push(inc);
    score.push(Math.max(300, Math.min(850, Math.round(680 + 60 * (0.5 * z2 + 0.87 * rng.nextNormal())))));
    balance.push(
      rng.nextDouble() < 0.05 ? null : Math.round(rng.nextDouble() * rng.nextDouble() * 2_000_000) / 100,
    );
    const o = Math.floor(-Math.log(rng.nextDouble()) * (3 + 2 * (z1 + 2)));
    orders.push(o);
    country.push(countries[rng.nextInt(countries.length)] as string);
    plan.push(
      inc > 80_000
        ? rng.nextDouble() < 0.6
          ? 'enterprise'
          : 'pro'
        : rng.nextDouble() < 0.7
          ? 'basic'
          : 'pro',
    );
    active.push(rng.nextDouble() < 0.8);
    churned.push(rng.nextDouble() < (o < 3 ? 0.4 : 0.08));
    segment.push(segments[Math.min(4, Math.floor(-Math.log(rng.nextDouble()) * 1.5))] as string);
    notes.push(rng.nextDouble() < 0.3 ? null : faker.lorem.sentence({ min: 3, max: 14 }));
  }
  return {
    rowCount: rows,
    columns: Object.entries(cols).map(([name, c]) => ({ name, type: c.type, values: c.values })),
  };
}

function runDemo(TOTAL_ROWS: number, CHUNK_ROWS: number): void {
  printMachine();
  const sample = buildDemoTable(DEMO_SAMPLE_ROWS);
  const profile = profileTable(sample);
  const sensitivity = classifyTable(sample, profile);
  const sensitive = sensitivity.fields
    .filter((f) => f.override?.sensitive ?? f.sensitive)
    .map((f) => `${f.column}:${f.kind}`);
  console.log(`columns: ${sample.columns.length}, sensitive (${sensitive.length}): ${sensitive.join(', ')}`);

  let t = performance.now();
  const model = fitSynthModel(sample, profile, sensitivity);
  const fitMs = performance.now() - t;
  const copula = model.columns.filter((c) => 'valueDimension' in c).length;
  console.log(
    `fit: ${fitMs.toFixed(0)} ms (${model.dimensions.length} copula dimensions over ${copula} columns, shrinkage ${model.shrinkage}), model JSON ${(JSON.stringify(model).length / 1024).toFixed(0)} KiB`,
  );

  const realFingerprints = fingerprintTable(sample);
  const chunks = Math.ceil(TOTAL_ROWS / CHUNK_ROWS);
  let sampleMs = 0;
  let bestChunkRate = 0;
  let checkMs = 0;
  let copies = 0;
  const evaluation: Table[] = [];
  const load = loadavg()[0] ?? 0;
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < chunks; k++) {
    const rowCount = Math.min(CHUNK_ROWS, TOTAL_ROWS - k * CHUNK_ROWS);
    t = performance.now();
    const chunk = sampleChunk(model, { seed: SEED, chunkIndex: k, startRow: k * CHUNK_ROWS, rowCount });
    const dt = performance.now() - t;
    sampleMs += dt;
    bestChunkRate = Math.max(bestChunkRate, (rowCount / dt) * 1000);
    t = performance.now();
    copies += countExactCopies(realFingerprints, chunk);
    checkMs += performance.now() - t;
    if (k === 0) evaluation.push(chunk);
  }
  const cpu = process.cpuUsage(cpu0);
  const rate = (n: number) => Math.round(n).toLocaleString('en');
  console.log(
    `sample: ${TOTAL_ROWS.toLocaleString('en')} rows in ${chunks} chunks: ${(sampleMs / 1000).toFixed(2)} s → ${rate((TOTAL_ROWS / sampleMs) * 1000)} rows/s (best chunk ${rate(bestChunkRate)} rows/s)`,
  );
  console.log(
    `  process CPU time for sampling + copy check: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; load average at start ${load.toFixed(1)} on ${availableParallelism()} cores`,
  );
  console.log(`exact-copy check: ${rate((TOTAL_ROWS / checkMs) * 1000)} rows/s`);

  t = performance.now();
  const scores = columnShapeScores(sample, evaluation[0] as Table, profile);
  const report = summarizeQuality(scores, copies, TOTAL_ROWS);
  console.log(
    `shape scoring of ${CHUNK_ROWS.toLocaleString('en')} rows: ${(performance.now() - t).toFixed(0)} ms`,
  );
  console.log(
    `quality score: ${(report.score * 100).toFixed(2)}%   exact copies: ${report.exactCopies} of ${report.syntheticRowsChecked}`,
  );
  for (const s of scores)
    console.log(`  ${s.column.padEnd(16)} ${s.metric.padEnd(14)} ${s.score.toFixed(4)}`);
}

/** The 20-column numeric/categorical table of the throughput target. */
function buildWideTable(rows: number): Table {
  const rng = createRng(5);
  const columns: Table['columns'] = [];
  const shared = Array.from({ length: rows }, () => rng.nextNormal());
  for (let j = 0; j < 10; j++) {
    const values: CellValue[] = [];
    for (let i = 0; i < rows; i++) {
      const z = 0.5 * (shared[i] as number) + 0.85 * rng.nextNormal();
      if (j < 3 && rng.nextDouble() < 0.05 + 0.05 * j) values.push(null);
      else values.push(j % 2 === 0 ? Math.round(Math.exp(3 + z) * 100) / 100 : Math.round(50 + 12 * z));
    }
    columns.push({ name: `num_${j}`, type: (j % 2 === 0 ? 'float' : 'integer') as PhysicalType, values });
  }
  const sizes = [3, 5, 8, 12, 20, 30, 50, 4, 6, 40];
  sizes.forEach((k, j) => {
    const values: CellValue[] = [];
    for (let i = 0; i < rows; i++) {
      const z = 0.4 * (shared[i] as number) + 0.9 * rng.nextNormal();
      values.push(`c${j}_${Math.min(k - 1, Math.max(0, Math.floor(((z + 2.5) / 5) * k)))}`);
    }
    columns.push({ name: `cat_${j}`, type: 'string', values });
  });
  return { rowCount: rows, columns };
}

function runWide(rows: number, chunkRows: number, reps: number): void {
  printMachine();
  const sample = buildWideTable(10_000);
  const profile = profileTable(sample);
  const model = fitSynthModel(sample, profile, classifyTable(sample, profile));
  const kinds = model.columns.map((c) => c.kind);
  console.log(
    `wide table: ${kinds.filter((k) => k === 'numeric').length} numeric + ${kinds.filter((k) => k === 'categorical').length} categorical columns, ${model.dimensions.length} copula dimensions`,
  );
  // Warm-up: the first chunk compiles the model and lets the JIT settle.
  sampleChunk(model, { seed: SEED, chunkIndex: 0, startRow: 0, rowCount: Math.min(rows, chunkRows) });
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    for (let start = 0, k = 0; start < rows; start += chunkRows, k++)
      sampleChunk(model, {
        seed: SEED + rep,
        chunkIndex: k,
        startRow: start,
        rowCount: Math.min(chunkRows, rows - start),
      });
    const cpu = cpuMs() - c0;
    const wall = performance.now() - t0;
    cpuRates.push((rows / cpu) * 1000);
    wallRates.push((rows / wall) * 1000);
    console.log(
      `  rep ${rep + 1}: ${rate((rows / cpu) * 1000)} rows/s (CPU time), ${rate((rows / wall) * 1000)} rows/s (wall)`,
    );
  }
  const summary = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `best ${rate(sorted[sorted.length - 1] as number)}, median ${rate(sorted[Math.floor(sorted.length / 2)] as number)}`;
  };
  console.log(
    `sample ${rate(rows)} rows in ${rate(chunkRows)}-row chunks, one core: CPU time ${summary(cpuRates)} rows/s; wall ${summary(wallRates)} rows/s`,
  );
}

async function runQuality(file: string, reference: string | undefined): Promise<void> {
  printMachine();
  const real = await readTableFile(file, 'csv');
  const fullProfile = profileTable(real);
  const sensitivity = classifyTable(real, fullProfile);
  const profile = withoutSensitive(fullProfile, sensitivity);
  const kinds = pairKindsFromProfile(fullProfile, sensitivity);
  const fingerprints = fingerprintTable(real);
  const score = (label: string, synthetic: Table) => {
    const shapes = columnShapeScores(real, synthetic, profile);
    const report = summarizeQuality(shapes, countExactCopies(fingerprints, synthetic), synthetic.rowCount);
    const pairs = columnPairTrendScores(real, synthetic, kinds);
    console.log(
      `${label}: column shapes ${(report.score * 100).toFixed(2)}%, pair trends ${(pairs.score * 100).toFixed(2)}% (all pairs ${(pairs.allPairsScore * 100).toFixed(2)}%), exact copies ${report.exactCopies} of ${rate(synthetic.rowCount)}`,
    );
    console.log(`    ${shapes.map((s) => `${s.column} ${s.score.toFixed(3)}`).join(', ')}`);
  };
  const c0 = cpuMs();
  const model: SynthModel = fitSynthModel(real, fullProfile, sensitivity);
  console.log(`${file}: ${rate(real.rowCount)} rows; fit ${(cpuMs() - c0).toFixed(0)} ms CPU`);
  const families = model.columns.flatMap((c) =>
    'marginal' in c ? [`${c.name}: ${c.marginal.family} (KS ${c.fitStatistic.toFixed(4)})`] : [],
  );
  if (families.length > 0) console.log(`  marginals: ${families.join(', ')}`);
  for (const seed of [1, 2, 3]) {
    const c1 = cpuMs();
    const synthetic = sampleChunk(model, { seed, chunkIndex: 0, startRow: 0, rowCount: real.rowCount });
    score(`  ours, seed ${seed} (sampled in ${(cpuMs() - c1).toFixed(0)} ms CPU)`, synthetic);
  }
  if (reference !== undefined) score(`  reference ${reference}`, await readTableFile(reference, 'csv'));
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  const num = (i: number, fallback: number) => (rest[i] === undefined ? fallback : Number(rest[i]));
  if (mode === 'wide') return runWide(num(0, 1_000_000), num(1, 100_000), num(2, 5));
  if (mode === 'quality') {
    if (rest[0] === undefined)
      throw new Error('usage: npx tsx bench/synth-core.ts quality FILE.csv [REFERENCE.csv]');
    return runQuality(rest[0], rest[1]);
  }
  // Legacy form: the first argument is the row count of the demo mode.
  const args = mode === 'demo' ? rest : process.argv.slice(2);
  runDemo(Number(args[0] ?? 1_000_000), Number(args[1] ?? 100_000));
}

await main();
