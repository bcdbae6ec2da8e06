/**
 * CPU cost of one synthetic chunk of the demo table, on one thread, split into generate (sample,
 * exact-copy resampling and count, as core/generation does it) and write (Parquet encode, hash, fsync,
 * as a chunk thread does it). The model is fitted the way the pipeline fits it: the CSV is read,
 * stored as the sample Parquet and read back, profiled, classified, and fitted with the chosen
 * synthesizer. The first chunk is a warm-up and not counted. Prints each chunk's output SHA-256 so
 * two builds can be checked for byte-identical output.
 *   npx tsx bench/chunk-cpu.ts [--chunks 8] [--rows 100000] [--seed 42] [--input examples/customers.csv]
 *     [--synthesizer copula|cart|auto]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSampleValueGuard, generateChunk, sensitiveColumnKinds } from '../core/generation/index.js';
import { classifyTable } from '../core/pii/index.js';
import { profileTable } from '../core/profile/index.js';
import { createExactCopyDetector } from '../core/quality/index.js';
import { fitTableSynthesizerWithChoice } from '../core/synthesizer/index.js';
import { detectFormat, readTableFile, writeTableFile } from '../integrations/tabular/index.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '8' },
    rows: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    input: { type: 'string', default: 'examples/customers.csv' },
    synthesizer: { type: 'string', default: 'copula' },
  },
});
const chunks = Number(values.chunks);
const rows = Number(values.rows);
const seed = Number(values.seed);
const synthesizer = values.synthesizer as 'copula' | 'cart' | 'auto';

/** CPU milliseconds of this process so far (all its threads, so GC helper threads count too). */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-chunk-cpu-'));
try {
  const input = path.resolve(values.input);
  const source = await readTableFile(input, detectFormat(input));
  const samplePath = path.join(work, 'sample.parquet');
  await writeTableFile(source, samplePath, 'parquet');
  const sample = await readTableFile(samplePath, 'parquet');
  const profile = profileTable(sample);
  const sensitivity = classifyTable(sample, profile);
  const fitted = fitTableSynthesizerWithChoice(sample, profile, sensitivity, { synthesizer });
  const copies = createExactCopyDetector(sample);
  // As in the pipeline's chunk task: fakes equal to an identifying sample value are redrawn.
  const sampleValues = createSampleValueGuard(sample, sensitiveColumnKinds(fitted.model));
  const totalRows = chunks * rows;
  const generate: number[] = [];
  const write: number[] = [];
  console.log(
    `input ${values.input} (${sample.rowCount} rows × ${sample.columns.length} columns), ${synthesizer}, ` +
      `${chunks} chunks of ${rows} rows, seed ${seed}; node ${process.version}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  console.log(
    '| chunk | generate CPU ms | write CPU ms | copies resampled | sensitive values redrawn | sha256 |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (let k = 0; k < chunks; k++) {
    const t0 = cpuMs();
    const { table, report } = generateChunk(
      fitted.model,
      { seed, chunkIndex: k, startRow: k * rows, rowCount: rows },
      { totalRows, copies, sampleValues, constraints: [] },
    );
    const t1 = cpuMs();
    const written = await writeTableFile(table, path.join(work, `part-${k}.parquet`), 'parquet');
    const t2 = cpuMs();
    if (k > 0) {
      generate.push(t1 - t0);
      write.push(t2 - t1);
    }
    console.log(
      `| ${k}${k === 0 ? ' (warm-up)' : ''} | ${(t1 - t0).toFixed(0)} | ${(t2 - t1).toFixed(0)} | ` +
        `${report.resampledCopies} | ${report.sensitiveValues.redrawn} | ${written.sha256.slice(0, 16)} |`,
    );
  }
  if (generate.length > 0) {
    const total = generate.map((g, i) => g + (write[i] as number));
    const line = (name: string, xs: number[]) =>
      `${name}: median ${median(xs).toFixed(0)} ms, best ${Math.min(...xs).toFixed(0)} ms`;
    console.log(line('generate', generate));
    console.log(line('write', write));
    console.log(line('total', total));
    const perSecond = (ms: number) => Math.round((2 * rows * 1000) / ms).toLocaleString('en-US');
    console.log(
      `implied rows/s on 2 cores (CPU only): ${perSecond(median(total))} at the median, ${perSecond(Math.min(...total))} at best`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
