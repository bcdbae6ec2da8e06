/**
 * The synthesis bench driver: in one run, on the same committed datasets, fits and samples our
 * synthesizers (bench/synth/run.ts) and SDV's GaussianCopula and CTGAN (bench/python), all under `nice`,
 * each (dataset, synthesizer) in its own process so peak RSS is its own; scores every synthetic output
 * (ours, SDV's, the published adult outputs, and the adult holdout as the real-vs-real ceiling) with
 * sdmetrics' QualityReport; optionally runs the throughput and 10M-row memory targets; prints one
 * Markdown table and writes DIR/results.json and DIR/table.md.
 *
 *   npx tsx bench/synth/run-all.ts                                  # everything (1–2 h on 2 busy cores)
 *   npx tsx bench/synth/run-all.ts --datasets penguins,adult --sdv gc --no-targets
 *   npx tsx bench/synth/run-all.ts --datasets none --synths copula   # only the throughput and memory targets
 *
 * Needs the Python venv: python3 -m venv bench/python/.venv && bench/python/.venv/bin/pip install -r bench/python/requirements.txt
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DATASETS, REPO_ROOT, findDataset, type BenchDataset } from './datasets.js';
import { OUR_SYNTHESIZERS } from './synthesizers.js';

const { values: args } = parseArgs({
  options: {
    datasets: { type: 'string' },
    synths: { type: 'string' },
    out: { type: 'string', default: '.cache/bench-synth' },
    rows: { type: 'string', default: '1000000' },
    sdv: { type: 'string', default: 'gc,ctgan' },
    'ctgan-epochs': { type: 'string' },
    'no-targets': { type: 'boolean', default: false },
    'memory-rows': { type: 'string', default: '10000000' },
  },
});

const OUT = resolve(args.out);
const PYTHON = join(REPO_ROOT, 'bench/python/.venv/bin/python');
const PY_DIR = join(REPO_ROOT, 'bench/python');
const RUN_TS = join(REPO_ROOT, 'bench/synth/run.ts');
const ROWS = Number(args.rows);

/**
 * CTGAN epochs per dataset, set explicitly: the same training budget of about 300 optimizer steps
 * (batch 500, so steps per epoch = rows / 500) on every table, which is SDV's default of 300 epochs on
 * penguins only; on the larger tables CTGAN is trained for fewer epochs than SDV's default, and its fit
 * time is also reported extrapolated to 300 epochs. For adult the published SDV CTGAN output
 * (300 epochs) is scored beside the short run. Sampling time is measured on 100,000 rows and
 * extrapolated linearly to 1M (CTGAN samples at ~1–4k rows/s here).
 */
const CTGAN_PLAN: Record<string, { epochs: number; measureRows: number; reportEpochs?: number }> = {
  penguins: { epochs: 300, measureRows: 100_000 },
  'seattle-weather': { epochs: 150, measureRows: 100_000, reportEpochs: 300 },
  customers: { epochs: 30, measureRows: 100_000, reportEpochs: 300 },
  wide20: { epochs: 30, measureRows: 100_000, reportEpochs: 300 },
  birdstrikes: { epochs: 16, measureRows: 100_000, reportEpochs: 300 },
  adult: { epochs: 6, measureRows: 100_000, reportEpochs: 300 },
};

type Json = Record<string, unknown>;

interface Row {
  dataset: string;
  synthesizer: string;
  timing?: Json;
  quality?: Json;
  note?: string;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs a command, streams its stderr with a prefix, and returns the last JSON line of its stdout. */
function runJson(command: string, argv: string[], label: string, cwd = REPO_ROOT): Promise<Json[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n'))
        if (line.trim() !== '' && !/warn|Warning/.test(line)) process.stderr.write(`  [${label}] ${line}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter((l) => l.trim().startsWith('{'));
      if (code !== 0) reject(new Error(`${label}: exit ${code}`));
      else resolvePromise(lines.map((l) => JSON.parse(l) as Json));
    });
  });
}

// Both sides run at the same niceness, so that neither gets the shared cores at the other's expense.
const NICE = ['-n', '10'];

function runOurs(mode: string, extra: string[], label: string): Promise<Json[]> {
  return runJson(
    'nice',
    [...NICE, process.execPath, '--import', 'tsx', RUN_TS, mode, '--out', OUT, ...extra],
    label,
  );
}

function runPython(script: string, extra: string[], label: string): Promise<Json[]> {
  return runJson('nice', [...NICE, PYTHON, script, ...extra], label, PY_DIR);
}

/** Runs one measurement; a failure is recorded on its row (and printed) instead of ending the run. */
async function measure(
  rows: Row[],
  dataset: string,
  synthesizer: string,
  run: () => Promise<Json[]>,
): Promise<void> {
  log(`${dataset}: ${synthesizer}`);
  try {
    const [timing] = await run();
    rows.push({ dataset, synthesizer, timing });
  } catch (error) {
    log(`${dataset}: ${synthesizer} failed: ${(error as Error).message}`);
    rows.push({ dataset, synthesizer, note: `failed: ${(error as Error).message}` });
  }
  await writeFile(join(OUT, 'results.partial.json'), JSON.stringify(rows, null, 2));
}

async function benchDataset(dataset: BenchDataset, sdv: Set<string>, rows: Row[]): Promise<void> {
  const [described] = await runOurs('describe', ['--dataset', dataset.name], `${dataset.name} describe`);
  const columns = String(described?.columnsPath);
  for (const synth of ourSynthesizers())
    await measure(rows, dataset.name, `ours-${synth.name}`, () =>
      runOurs(
        'quality',
        ['--dataset', dataset.name, '--synth', synth.name, '--rows', String(ROWS)],
        `${dataset.name} ours-${synth.name}`,
      ),
    );
  if (sdv.has('gc'))
    await measure(rows, dataset.name, 'SDV GaussianCopula', () =>
      runPython(
        'sdv_fit_sample.py',
        ['--columns', columns, '--synth', 'gaussian_copula', '--out', OUT, '--rows', String(ROWS)],
        `${dataset.name} sdv-gc`,
      ),
    );
  if (sdv.has('ctgan')) {
    const plan = CTGAN_PLAN[dataset.name] ?? { epochs: 100, measureRows: 100_000, reportEpochs: 300 };
    const epochs = args['ctgan-epochs'] === undefined ? plan.epochs : Number(args['ctgan-epochs']);
    const extra = ['--columns', columns, '--synth', 'ctgan', '--out', OUT, '--rows', String(ROWS)];
    extra.push('--epochs', String(epochs), '--measure-rows', String(plan.measureRows));
    if (plan.reportEpochs !== undefined) extra.push('--report-epochs', String(plan.reportEpochs));
    await measure(rows, dataset.name, `SDV CTGAN (${epochs} epochs)`, () =>
      runPython('sdv_fit_sample.py', extra, `${dataset.name} sdv-ctgan`),
    );
  }
  for (const published of dataset.published ?? [])
    rows.push({ dataset: dataset.name, synthesizer: published.synthesizer, note: 'published output' });
  if (dataset.holdout !== undefined)
    rows.push({ dataset: dataset.name, synthesizer: 'real holdout (ceiling)', note: 'real vs real' });
}

/** Our synthesizers selected with --synths (all by default). */
function ourSynthesizers() {
  const wanted = args.synths?.split(',');
  return OUR_SYNTHESIZERS.filter((s) => wanted === undefined || wanted.includes(s.name));
}

function syntheticPathOf(row: Row): string | undefined {
  if (typeof row.timing?.syntheticPath === 'string') return row.timing.syntheticPath;
  const dataset = findDataset(row.dataset);
  if (row.note === 'real vs real') return dataset.holdout;
  return dataset.published?.find((p) => p.synthesizer === row.synthesizer)?.path;
}

async function score(rows: Row[]): Promise<void> {
  const jobs = rows.flatMap((row) => {
    const synthetic = syntheticPathOf(row);
    if (synthetic === undefined) return [];
    const columns = join(OUT, `${row.dataset}.columns.json`);
    return [{ dataset: row.dataset, synthesizer: row.synthesizer, columns, synthetic }];
  });
  const jobsPath = join(OUT, 'score-jobs.json');
  await writeFile(jobsPath, JSON.stringify(jobs, null, 2));
  log(`scoring ${jobs.length} synthetic tables with sdmetrics QualityReport`);
  const scored = await runJson(PYTHON, ['score_quality.py', jobsPath], 'sdmetrics', PY_DIR);
  for (const q of scored) {
    const row = rows.find((r) => r.dataset === q.dataset && r.synthesizer === q.synthesizer);
    if (row !== undefined) row.quality = q;
  }
}

const num = (v: unknown, digits: number): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—';
const int = (v: unknown): string =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '—';

function markdownTable(rows: Row[]): string {
  const header =
    '| dataset | synthesizer | quality | shapes | pair trends | fit s | sample 1M s | rows/s | CPU s fit+1M | peak RSS MB |\n' +
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const lines = rows.map((r) => {
    const t = r.timing ?? {};
    const q = r.quality ?? {};
    const extrapolated = t.sampleExtrapolated === true ? ` (from ${int(t.measuredRows)})` : '';
    const fitAt =
      typeof t.fitSAtReportEpochs === 'number'
        ? ` (${num(t.fitSAtReportEpochs, 0)} at ${int(t.reportEpochs)} ep.)`
        : '';
    const cpu =
      typeof t.fitCpuS === 'number' && typeof t.sampleCpuS === 'number'
        ? num(t.fitCpuS + t.sampleCpuS, 1)
        : '—';
    const failed = r.note?.startsWith('failed') === true ? ' — failed, see log' : '';
    return `| ${r.dataset} | ${r.synthesizer}${failed} | ${num(q.overall, 4)} | ${num(q.columnShapes, 4)} | ${num(q.columnPairTrends, 4)} | ${num(t.fitS, 2)}${fitAt} | ${num(t.sampleS, 1)}${extrapolated} | ${int(t.rowsPerS)} | ${cpu} | ${int(t.peakRssMb)} |`;
  });
  return [header, ...lines].join('\n');
}

function comparisons(rows: Row[]): string[] {
  const out: string[] = [];
  const total = (t: Json | undefined, key: 'S' | 'CpuS') => {
    const fit = t?.[`fit${key}`];
    const sample = t?.[`sample${key}`];
    return typeof fit === 'number' && typeof sample === 'number' ? fit + sample : undefined;
  };
  for (const dataset of new Set(rows.map((r) => r.dataset))) {
    const gc = rows.find((r) => r.dataset === dataset && r.synthesizer === 'SDV GaussianCopula');
    for (const ours of rows.filter((r) => r.dataset === dataset && r.synthesizer.startsWith('ours-'))) {
      if (gc === undefined) continue;
      const wall = (total(gc.timing, 'S') ?? NaN) / (total(ours.timing, 'S') ?? NaN);
      const cpu = (total(gc.timing, 'CpuS') ?? NaN) / (total(ours.timing, 'CpuS') ?? NaN);
      const dq = Number(ours.quality?.overall) - Number(gc.quality?.overall);
      out.push(
        `${dataset}: ${ours.synthesizer} vs SDV GaussianCopula — quality ${dq >= 0 ? '+' : ''}${dq.toFixed(4)}, fit+sample 1M ${wall.toFixed(1)}× faster wall, ${cpu.toFixed(1)}× less CPU`,
      );
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(PYTHON) && args.sdv !== 'none')
    throw new Error(`no Python venv at ${PYTHON}; see bench/python/requirements.txt`);
  await mkdir(OUT, { recursive: true });
  const names =
    args.datasets === 'none' ? [] : (args.datasets?.split(',') ?? BENCH_DATASETS.map((d) => d.name));
  const sdv = new Set(args.sdv === 'none' ? [] : args.sdv.split(','));
  const rows: Row[] = [];
  const started = new Date();
  for (const name of names) await benchDataset(findDataset(name), sdv, rows);
  if (rows.length > 0)
    await score(rows).catch((error: unknown) => log(`scoring failed: ${(error as Error).message}`));

  const targets: Json[] = [];
  if (!args['no-targets']) {
    // auto is one of the other two on any given table: its throughput is theirs.
    for (const synth of ourSynthesizers().filter((s) => s.name !== 'auto')) {
      log(`throughput: ours-${synth.name}, one thread`);
      targets.push(
        ...(await runOurs('throughput', ['--synth', synth.name, '--rows', String(ROWS)], 'throughput')),
      );
      log(`memory: ours-${synth.name}, ${Number(args['memory-rows']).toLocaleString('en')} rows to Parquet`);
      targets.push(
        ...(await runOurs('memory', ['--synth', synth.name, '--rows', args['memory-rows']], 'memory')),
      );
    }
  }

  const table = markdownTable(rows);
  const summary = comparisons(rows);
  const targetLines = targets.map((t) =>
    t.mode === 'throughput'
      ? `throughput ${String(t.synthesizer)}: ${int(t.rows)} rows × ${int(t.columns)} columns on one thread in ${num(t.sampleS, 2)} s wall = ${int(t.rowsPerS)} rows/s (best chunk ${int(t.bestChunkRowsPerS)}); main-thread CPU ${num(t.mainThreadCpuS, 2)} s = ${int(t.rowsPerMainThreadCpuS)} rows per CPU second; peak RSS ${int(t.peakRssMb)} MB`
      : `memory ${String(t.synthesizer)}: ${int(t.rows)} rows in ${int(t.chunks)} chunks of ${int(t.chunkRows)} to Parquet (${int(t.parquetMb)} MB) in ${num(t.totalS, 1)} s (sample ${num(t.sampleS, 1)} s, write ${num(t.writeS, 1)} s); peak RSS ${int(t.peakRssMb)} MB`,
  );
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const text = [
    `Synthesis bench ${started.toISOString()} on ${cpus().length} × ${cpuModel}, Node ${process.version}`,
    '',
    table,
    '',
    ...summary,
    ...targetLines,
  ].join('\n');
  console.log(text);
  await writeFile(join(OUT, 'table.md'), `${text}\n`);
  await writeFile(join(OUT, 'results.json'), `${JSON.stringify({ started, rows, targets }, null, 2)}\n`);
}

await main();
