/**
 * Core synthesizer benchmark: fits a 5,000-row demo-like table (20 columns, 6 of them sensitive)
 * and samples 1,000,000 rows in 100,000-row chunks on one core, then scores the result.
 * Run: npx tsx bench/synth-core.ts [rows] [chunkRows]
 */
import { availableParallelism, loadavg } from 'node:os';
import { faker } from '@faker-js/faker/locale/en';
import { classifyTable } from '../core/pii/index.js';
import { profileTable } from '../core/profile/index.js';
import {
  columnShapeScores,
  countExactCopies,
  fingerprintTable,
  summarizeQuality,
} from '../core/quality/index.js';
import { createRng } from '../core/random/index.js';
import { fitSynthModel, sampleChunk } from '../core/synth/index.js';
import type { CellValue, Table } from '../core/table.js';

const SAMPLE_ROWS = 5000;
const TOTAL_ROWS = Number(process.argv[2] ?? 1_000_000);
const CHUNK_ROWS = Number(process.argv[3] ?? 100_000);
const SEED = 20240601;

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

function main(): void {
  const sample = buildDemoTable(SAMPLE_ROWS);
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

main();
