/**
 * Evaluates 1,000,000 synthetic rows against 100,000 real rows (20 columns, generated
 * deterministically) with core/evaluation, timing each part, then scores the same files with the
 * Python sdmetrics QualityReport (bench/python/sdmetrics_bench.py) in the same run and compares.
 *
 *   npx tsx bench/evaluate.ts [syntheticRows=1000000] [realRows=100000] [--no-python]
 *
 * Generation and CSV writing are not timed; the CSVs go to $TMPDIR/understudy-bench-evaluate.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  evaluateSynthetic,
  type EvaluationMetadata,
  type EvaluationResult,
} from '../core/evaluation/index.js';
import type { CellValue, PhysicalType, Table } from '../core/table.js';
import { prng } from './support/prng.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SYNTHETIC_ROWS = Number(args[0] ?? 1_000_000);
const REAL_ROWS = Number(args[1] ?? 100_000);
const HOLDOUT_ROWS = Math.round(REAL_ROWS / 2);
const RUN_PYTHON = !process.argv.includes('--no-python');

const SCHEMA: {
  name: string;
  type: PhysicalType;
  sdtype: EvaluationMetadata['columns'][string]['sdtype'];
}[] = [
  { name: 'id', type: 'string', sdtype: 'id' },
  { name: 'age', type: 'integer', sdtype: 'numerical' },
  { name: 'income', type: 'float', sdtype: 'numerical' },
  { name: 'balance', type: 'float', sdtype: 'numerical' },
  { name: 'credit_score', type: 'integer', sdtype: 'numerical' },
  { name: 'tenure_months', type: 'integer', sdtype: 'numerical' },
  { name: 'discount', type: 'float', sdtype: 'numerical' },
  { name: 'visits', type: 'integer', sdtype: 'numerical' },
  { name: 'spend', type: 'float', sdtype: 'numerical' },
  { name: 'signup_date', type: 'date', sdtype: 'datetime' },
  { name: 'last_login', type: 'timestamp', sdtype: 'datetime' },
  { name: 'city', type: 'string', sdtype: 'categorical' },
  { name: 'plan', type: 'string', sdtype: 'categorical' },
  { name: 'channel', type: 'string', sdtype: 'categorical' },
  { name: 'country', type: 'string', sdtype: 'categorical' },
  { name: 'device', type: 'string', sdtype: 'categorical' },
  { name: 'segment', type: 'string', sdtype: 'categorical' },
  { name: 'status', type: 'string', sdtype: 'categorical' },
  { name: 'active', type: 'boolean', sdtype: 'boolean' },
  { name: 'newsletter', type: 'boolean', sdtype: 'boolean' },
];

const CITIES = Array.from({ length: 30 }, (_, i) => `city_${String(i).padStart(2, '0')}`);
const PLANS = ['free', 'basic', 'pro', 'enterprise'];
const CHANNELS = ['web', 'app', 'store', 'partner', 'phone', 'email'];
const COUNTRIES = ['PT', 'ES', 'FR', 'DE', 'IT', 'NL', 'BE', 'IE', 'PL', 'SE', 'DK', 'AT'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const SEGMENTS = ['A', 'B', 'C', 'D', 'E'];
const STATUSES = ['ok', 'late', 'closed'];
const DAY = 86_400_000;
const EPOCH_2015 = Date.UTC(2015, 0, 1);
const EPOCH_2024 = Date.UTC(2024, 0, 1);

/** A table of `n` rows; `drift` perturbs the generator so the synthetic side differs a little. */
function generate(n: number, seed: number, drift: number, idPrefix: string): Table {
  const rand = prng(seed);
  const normal = (): number => {
    const u = 1 - rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const cols: CellValue[][] = SCHEMA.map(() => new Array<CellValue>(n));
  const skewed = (k: number): number => Math.min(k - 1, Math.floor(k * rand() * rand() * (1 + drift)));
  for (let i = 0; i < n; i++) {
    const age = 18 + Math.floor(rand() * 72);
    const income = Math.round((15000 + age * 600 + normal() * (7000 + drift * 3000)) * 100) / 100;
    const balance = Math.round((-Math.log(1 - rand()) * 1500 - 200) * 100) / 100;
    const credit = Math.round(Math.min(850, Math.max(300, 450 + income / 200 + normal() * 60)));
    const tenure = Math.floor(rand() * 120);
    const visits = Math.floor(-Math.log(1 - rand()) * 8);
    const spend = Math.round((visits * 12.5 + normal() * 20 + 40) * 100) / 100;
    const tier = Math.max(0, Math.min(3, Math.floor((income - 20000) / 15000 + normal() * (0.6 + drift))));
    const row: CellValue[] = [
      `${idPrefix}${i}`,
      rand() < 0.02 ? null : age,
      income,
      balance,
      credit,
      tenure,
      Math.round(rand() * 0.3 * 1000) / 1000,
      visits,
      spend,
      new Date(EPOCH_2015 + Math.floor(rand() * 3000) * DAY).toISOString().slice(0, 10),
      new Date(EPOCH_2024 + Math.floor(rand() * 90 * DAY)).toISOString(),
      rand() < 0.03 ? null : (CITIES[skewed(CITIES.length)] as string),
      PLANS[tier] as string,
      CHANNELS[Math.floor(rand() * CHANNELS.length)] as string,
      COUNTRIES[skewed(COUNTRIES.length)] as string,
      DEVICES[Math.floor(rand() * rand() * DEVICES.length)] as string,
      SEGMENTS[Math.min(4, Math.floor(Math.max(0, balance) / 1200))] as string,
      STATUSES[rand() < 0.8 ? 0 : rand() < 0.5 ? 1 : 2] as string,
      rand() < 0.35 + 0.15 * tier,
      rand() < 0.05 ? null : rand() < 0.4,
    ];
    for (let j = 0; j < row.length; j++) (cols[j] as CellValue[])[i] = row[j] as CellValue;
  }
  return {
    rowCount: n,
    columns: SCHEMA.map((c, j) => ({ name: c.name, type: c.type, values: cols[j] as CellValue[] })),
  };
}

function writeCsv(path: string, table: Table): void {
  const fd = openSync(path, 'w');
  writeSync(fd, `${table.columns.map((c) => c.name).join(',')}\n`);
  let buffer = '';
  for (let i = 0; i < table.rowCount; i++) {
    let line = '';
    for (let j = 0; j < table.columns.length; j++) {
      const v = (table.columns[j] as Table['columns'][number]).values[i];
      line += (j === 0 ? '' : ',') + (v === null || v === undefined ? '' : String(v));
    }
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

const metadata: EvaluationMetadata = {
  columns: Object.fromEntries(SCHEMA.map((c) => [c.name, { sdtype: c.sdtype }])),
  primaryKey: 'id',
};

const dir = join(tmpdir(), 'understudy-bench-evaluate');
mkdirSync(dir, { recursive: true });
const t0 = performance.now();
const real = generate(REAL_ROWS, 1, 0, 'R');
const holdout = generate(HOLDOUT_ROWS, 2, 0, 'H');
const synthetic = generate(SYNTHETIC_ROWS, 3, 0.15, 'S');
const tag = `${SYNTHETIC_ROWS}x${REAL_ROWS}`;
const files = { real: join(dir, `real-${tag}.csv`), synthetic: join(dir, `synthetic-${tag}.csv`) };
if (RUN_PYTHON && !(existsSync(files.real) && existsSync(files.synthetic))) {
  writeCsv(files.real, real);
  writeCsv(files.synthetic, synthetic);
}
const metadataPath = join(dir, 'metadata.json');
writeCsvMetadata(metadataPath);
console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (not timed below)`);

function writeCsvMetadata(path: string): void {
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    JSON.stringify({ columns: SCHEMA.map((c) => ({ name: c.name, sdtype: c.sdtype })), primary_key: 'id' }),
  );
  closeSync(fd);
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}; load before: ${load()}`,
);

/** One cold evaluation (column conversions are cached per table, so a second run would flatter us). */
function run(label: string): EvaluationResult {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const result = evaluateSynthetic({
    real,
    synthetic,
    holdout,
    metadata,
    options: { clock: () => performance.now() },
  });
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const t = result.timings;
  console.log(
    `${label}: ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU — ` +
      Object.entries(t ?? {})
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
        .join(', '),
  );
  return result;
}

const full = run(
  'ours, everything (privacy: NewRowSynthesis on 100,000 synthetic rows, DCR 2,000 × 10,000 + 10,000)',
);
const quality = full;
console.log(`load after ours: ${load()}`);
console.log(
  `ours: overall ${fmt(quality.quality.score)}, Column Shapes ${fmt(quality.quality.columnShapes.score)}, ` +
    `Column Pair Trends ${fmt(quality.quality.columnPairTrends.score)} (contingency rows used: ` +
    `${quality.quality.columnPairTrends.rowsUsed.real}/${quality.quality.columnPairTrends.rowsUsed.synthetic})`,
);
console.log(
  `ours privacy: NewRowSynthesis ${fmt(full.privacy?.newRowSynthesis.score)}, DCROverfittingProtection ` +
    `${fmt(full.privacy?.dcr?.overfittingProtection)}, NNDR p05 ${fmt(full.privacy?.dcr?.nndr.p05)}`,
);

function fmt(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(4);
}

if (RUN_PYTHON) {
  const python = join(import.meta.dirname, 'python', '.venv', 'bin', 'python');
  const script = join(import.meta.dirname, 'python', 'sdmetrics_bench.py');
  const out = execFileSync(python, [script, files.real, files.synthetic, metadataPath], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const py = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    readS: number;
    reportS: number;
    overall: number;
    columnShapes: number;
    columnPairTrends: number;
    shapes: Record<string, number>;
    pairs: { column1: string; column2: string; score: number | null }[];
  };
  console.log(`load after sdmetrics: ${load()}`);
  console.log(
    `sdmetrics QualityReport: read ${py.readS.toFixed(1)} s, generate ${py.reportS.toFixed(1)} s; overall ${fmt(py.overall)}, ` +
      `Column Shapes ${fmt(py.columnShapes)}, Column Pair Trends ${fmt(py.columnPairTrends)}`,
  );
  let maxShape = 0;
  for (const c of quality.quality.columnShapes.columns)
    maxShape = Math.max(maxShape, Math.abs((c.score ?? 0) - (py.shapes[c.column] ?? Number.NaN)));
  let maxPair = 0;
  for (const p of py.pairs) {
    if (p.score === null) continue;
    const ours = quality.quality.columnPairTrends.pairs.find(
      (q) => q.column1 === p.column1 && q.column2 === p.column2,
    );
    maxPair = Math.max(maxPair, Math.abs((ours?.score ?? Number.NaN) - p.score));
  }
  console.log(
    `difference: overall ${fmt(Math.abs((quality.quality.score ?? 0) - py.overall))}, max per column shape ${fmt(maxShape)}, ` +
      `max per scored pair ${fmt(maxPair)}`,
  );
}
