/**
 * Our side of the synthesis bench. One measurement per process, so peak RSS belongs to it alone;
 * the result is one JSON line on stdout (progress goes to stderr). Modes:
 *
 *   describe   --dataset D --out DIR                 column roles for the Python side (DIR/D.columns.json)
 *   quality    --dataset D --synth S --out DIR       fit, sample --rows in --chunk chunks on this thread,
 *                                                    write the first max(real rows, 10,000) for scoring
 *   throughput --synth S [--rows 1000000]            single-thread sampling rate of the wide20 table
 *   memory     --synth S --out DIR [--rows 10000000] wide20 chunks written to Parquet; peak RSS
 *
 * Run: npx tsx bench/synth/run.ts quality --dataset adult --synth copula --out .cache/bench-synth
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SensitivityReport } from '../../core/pii/index.js';
import type { DatasetProfile } from '../../core/profile/index.js';
import {
  columnPairTrendScores,
  columnShapeScores,
  pairKindsFromProfile,
  summarizeQuality,
} from '../../core/quality/index.js';
import { withoutSensitive } from '../../core/quality/scoring-profile.js';
import { concatTables, type Table } from '../../core/table.js';
import { writeTableFile } from '../../integrations/tabular/index.js';
import { findDataset } from './datasets.js';
import { loadCsvTable } from './load-dataset.js';
import { findSynthesizer, prepareSample, type FittedSynthesizer } from './synthesizers.js';

const { positionals, values: args } = parseArgs({
  allowPositionals: true,
  options: {
    dataset: { type: 'string', default: 'wide20' },
    synth: { type: 'string', default: 'copula' },
    out: { type: 'string', default: '.cache/bench-synth' },
    rows: { type: 'string' },
    chunk: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20241122' },
    keep: { type: 'boolean', default: false },
  },
});
const mode = positionals[0] ?? 'quality';
const chunkRows = Number(args.chunk);
const seed = Number(args.seed);

/** How SDV and sdmetrics should treat one column: the same roles our synthesizer gives it. */
export interface ColumnRole {
  name: string;
  /** numerical | categorical | boolean | datetime: modelled and scored; id | pii: generated, not scored. */
  sdtype: 'numerical' | 'categorical' | 'boolean' | 'datetime' | 'id' | 'pii';
  /** strftime format of a datetime column as written in the CSV. */
  datetimeFormat?: string;
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Rows kept for scoring: at least 10,000 so that small samples are not judged on synthetic-side noise. */
export function scoreRowsFor(realRows: number): number {
  return Math.max(realRows, 10_000);
}

/**
 * CPU seconds of this process's main thread alone (Linux /proc; USER_HZ is 100 on Linux): unlike wall
 * time it does not grow when other work shares the cores, and unlike process.cpuUsage it leaves out
 * V8's helper threads, so rows per main-thread CPU second is the one-core rate. NaN elsewhere.
 */
function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function columnRoles(table: Table, profile: DatasetProfile, sensitivity: SensitivityReport): ColumnRole[] {
  const sensitive = new Set(sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column));
  return profile.columns.map((c): ColumnRole => {
    if (sensitive.has(c.name)) return { name: c.name, sdtype: 'pii' };
    switch (c.semanticType) {
      case 'integer':
      case 'float':
        return { name: c.name, sdtype: 'numerical' };
      case 'boolean':
        return { name: c.name, sdtype: 'boolean' };
      case 'categorical':
        return { name: c.name, sdtype: 'categorical' };
      case 'datetime': {
        const type = table.columns.find((t) => t.name === c.name)?.type;
        return {
          name: c.name,
          sdtype: 'datetime',
          datetimeFormat: type === 'date' ? '%Y-%m-%d' : '%Y-%m-%dT%H:%M:%S.%fZ',
        };
      }
      case 'identifier':
        return { name: c.name, sdtype: 'id' };
      default:
        // Free text gets a length/character profile, not its values: neither side should copy it.
        return { name: c.name, sdtype: 'pii' };
    }
  });
}

function loadPrepared(name: string) {
  const dataset = findDataset(name);
  const table = loadCsvTable(dataset.path);
  return { dataset, table, ...prepareSample(table, dataset.overrides) };
}

/** Samples `rows` rows chunk by chunk on this thread; keeps only the first `keepRows`. */
function sampleRows(model: FittedSynthesizer, rows: number, keepRows: number) {
  const kept: Table[] = [];
  let keptRows = 0;
  let bestChunkRate = 0;
  const started = performance.now();
  for (let k = 0, start = 0; start < rows; k++, start += chunkRows) {
    const rowCount = Math.min(chunkRows, rows - start);
    const t = performance.now();
    const chunk = model.sample({ seed, chunkIndex: k, startRow: start, rowCount });
    bestChunkRate = Math.max(bestChunkRate, rowCount / ((performance.now() - t) / 1000));
    if (keptRows < keepRows) {
      kept.push(chunk);
      keptRows += chunk.rowCount;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const head = concatTables(kept);
  const keep: Table = {
    rowCount: Math.min(keepRows, head.rowCount),
    columns: head.columns.map((c) => ({ ...c, values: c.values.slice(0, keepRows) })),
  };
  return { seconds, bestChunkRate, keep };
}

async function describe(): Promise<object> {
  const { dataset, table, profile, sensitivity } = loadPrepared(args.dataset);
  const roles = columnRoles(table, profile, sensitivity);
  await mkdir(args.out, { recursive: true });
  const path = join(args.out, `${dataset.name}.columns.json`);
  await writeFile(
    path,
    `${JSON.stringify({ dataset: dataset.name, real: dataset.path, columns: roles }, null, 2)}\n`,
  );
  return { dataset: dataset.name, rows: table.rowCount, columnsPath: path, roles };
}

async function quality(): Promise<object> {
  const rows = Number(args.rows ?? 1_000_000);
  const synth = findSynthesizer(args.synth);
  const dataset = findDataset(args.dataset);
  const t0 = performance.now();
  const table = loadCsvTable(dataset.path);
  const loadS = (performance.now() - t0) / 1000;
  // Fit time counts profiling and classification too: SDV is handed its metadata, we derive ours.
  const t1 = performance.now();
  const fitCpu0 = process.cpuUsage();
  const { profile, sensitivity } = prepareSample(table, dataset.overrides);
  const model = synth.fit(table, profile, sensitivity);
  const fitS = (performance.now() - t1) / 1000;
  const fitCpuS = cpuSeconds(process.cpuUsage(fitCpu0));
  log(`${dataset.name}/${synth.name}: fit ${fitS.toFixed(2)} s; sampling ${rows.toLocaleString('en')} rows`);
  const sampleCpu0 = process.cpuUsage();
  const sampleThread0 = mainThreadCpuSeconds();
  const sampled = sampleRows(model, rows, scoreRowsFor(table.rowCount));
  const sampleCpuS = cpuSeconds(process.cpuUsage(sampleCpu0));
  const sampleMainThreadCpuS = mainThreadCpuSeconds() - sampleThread0;
  await mkdir(args.out, { recursive: true });
  const syntheticPath = join(args.out, `${dataset.name}__ours-${synth.name}.parquet`);
  await writeTableFile(sampled.keep, syntheticPath, 'parquet');
  // The project's own metric on the same rows, beside sdmetrics' (scored by the driver): a cross-check.
  const scoredProfile = withoutSensitive(profile, sensitivity);
  const report = summarizeQuality(
    columnShapeScores(table, sampled.keep, scoredProfile),
    0,
    sampled.keep.rowCount,
  );
  const pairs = columnPairTrendScores(table, sampled.keep, pairKindsFromProfile(profile, sensitivity));
  return {
    dataset: dataset.name,
    synthesizer: `ours-${synth.name}`,
    realRows: table.rowCount,
    loadS,
    fitS,
    fitCpuS,
    sampleRows: rows,
    sampleS: sampled.seconds,
    sampleCpuS,
    sampleMainThreadCpuS,
    sampleExtrapolated: false,
    rowsPerS: rows / sampled.seconds,
    bestChunkRowsPerS: sampled.bestChunkRate,
    peakRssMb: peakRssMb(),
    modelBytes: model.modelBytes(),
    choice: model.choice,
    syntheticPath,
    ourShapeScore: report.score,
    ourPairTrendScore: pairs.score,
    sensitive: sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column),
  };
}

async function throughput(): Promise<object> {
  const rows = Number(args.rows ?? 1_000_000);
  const synth = findSynthesizer(args.synth);
  const { table, profile, sensitivity } = loadPrepared('wide20');
  const model = synth.fit(table, profile, sensitivity);
  const cpu0 = process.cpuUsage();
  const thread0 = mainThreadCpuSeconds();
  const sampled = sampleRows(model, rows, 0);
  const mainThreadCpuS = mainThreadCpuSeconds() - thread0;
  const cpu = process.cpuUsage(cpu0);
  return {
    mode: 'throughput',
    synthesizer: `ours-${synth.name}`,
    columns: table.columns.length,
    rows,
    chunkRows,
    sampleS: sampled.seconds,
    cpuS: cpuSeconds(cpu),
    mainThreadCpuS,
    rowsPerMainThreadCpuS: rows / mainThreadCpuS,
    rowsPerS: rows / sampled.seconds,
    bestChunkRowsPerS: sampled.bestChunkRate,
    peakRssMb: peakRssMb(),
  };
}

async function memory(): Promise<object> {
  const rows = Number(args.rows ?? 10_000_000);
  const synth = findSynthesizer(args.synth);
  const { table, profile, sensitivity } = loadPrepared('wide20');
  const model = synth.fit(table, profile, sensitivity);
  const dir = join(args.out, `memory-${synth.name}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  let bytes = 0;
  let sampleS = 0;
  let writeS = 0;
  const chunks = Math.ceil(rows / chunkRows);
  try {
    for (let k = 0; k < chunks; k++) {
      const start = k * chunkRows;
      let t = performance.now();
      const chunk = model.sample({
        seed,
        chunkIndex: k,
        startRow: start,
        rowCount: Math.min(chunkRows, rows - start),
      });
      sampleS += (performance.now() - t) / 1000;
      t = performance.now();
      const written = await writeTableFile(
        chunk,
        join(dir, `part-${String(k).padStart(6, '0')}.parquet`),
        'parquet',
      );
      writeS += (performance.now() - t) / 1000;
      bytes += written.bytes;
      if (k % 10 === 9)
        log(
          `memory: ${(start + chunk.rowCount).toLocaleString('en')} rows, peak RSS ${peakRssMb().toFixed(0)} MB`,
        );
    }
  } finally {
    if (!args.keep) await rm(dir, { recursive: true, force: true });
  }
  return {
    mode: 'memory',
    synthesizer: `ours-${synth.name}`,
    rows,
    chunkRows,
    chunks,
    totalS: (performance.now() - started) / 1000,
    sampleS,
    writeS,
    parquetMb: bytes / 2 ** 20,
    peakRssMb: peakRssMb(),
  };
}

const modes: Record<string, () => Promise<object>> = { describe, quality, throughput, memory };
const run = modes[mode];
if (run === undefined) {
  log(`unknown mode '${mode}'; modes: ${Object.keys(modes).join(', ')}`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await run())}\n`);
