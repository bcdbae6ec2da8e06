/**
 * How long a model fit stalls the worker's event loop: fitted in-process, as fitModel and fitRelational
 * did before, and on a pool thread, as they do now (both read the sample's Parquet file, then fit). While the event loop is stalled the activity cannot
 * heartbeat (Temporal's heartbeat timeout for fits is 15 s) and no other activity of the worker runs.
 * The sample is UCI Adult's training split repeated up to `--rows` rows, stored as Parquet, profiled
 * and classified the way the pipeline does it.
 *   npx tsx bench/fit-liveness.ts [--rows 500000] [--synthesizers copula,cart]
 *     [--input /work/shared/datasets/adult/adult_trn.csv.gz]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ThreadPool } from '../activities/threads/thread-pool.js';
import { classifyTable } from '../core/pii/index.js';
import { profileTable } from '../core/profile/index.js';
import { fitTableSynthesizerWithChoice, type SynthesizerKind } from '../core/synthesizer/index.js';
import { concatTables, type Table } from '../core/table.js';
import { readTableFile, writeTableFile } from '../integrations/tabular/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '500000' },
    synthesizers: { type: 'string', default: 'copula,cart' },
    input: { type: 'string', default: '/work/shared/datasets/adult/adult_trn.csv.gz' },
  },
});
const rows = Number(values.rows);
const synthesizers = values.synthesizers.split(',') as SynthesizerKind[];

/** The source repeated (whole copies, then a head) until it has `count` rows. */
function repeatTo(source: Table, count: number): Table {
  const parts: Table[] = [];
  for (let have = 0; have < count; have += source.rowCount) {
    const take = Math.min(source.rowCount, count - have);
    parts.push({
      rowCount: take,
      columns: source.columns.map((c) => ({ ...c, values: c.values.slice(0, take) })),
    });
  }
  return concatTables(parts);
}

/** Runs `work` and reports its wall time and the longest stretch the event loop could not turn. */
async function observe(
  work: () => Promise<unknown>,
): Promise<{ wallS: number; stallS: number; ticks: number }> {
  let ticks = 0;
  const t0 = performance.now();
  let last = t0;
  let longest = 0;
  // A stand-in for the activity's 3-second heartbeat timer, at a finer grain: the longest gap between
  // its turns is the longest time nothing else could run on this thread.
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    ticks++;
  }, 10);
  await work();
  const end = performance.now();
  clearInterval(timer);
  longest = Math.max(longest, end - last);
  return { wallS: (end - t0) / 1000, stallS: longest / 1000, ticks };
}

const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-fit-liveness-'));
const pool = new ThreadPool(1);
try {
  const source = await readTableFile(values.input, 'csv', { displayName: path.basename(values.input) });
  const sample = repeatTo(source, rows);
  const samplePath = path.join(work, 'sample.parquet');
  await writeTableFile(sample, samplePath, 'parquet');
  const profile = profileTable(sample);
  const sensitivity = classifyTable(sample, profile);
  pool.warm();
  // Let the thread load its modules before anything is timed.
  await pool.run('fit', {
    samplePath,
    sampleUri: 'sample.parquet',
    profile,
    sensitivity,
    synthesizer: 'copula',
    constraints: [],
    conditions: [],
  });
  console.log(
    `node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, ` +
      `${sample.rowCount} rows × ${sample.columns.length} columns (${path.basename(values.input)} repeated)`,
  );
  console.log('| synthesizer | fit where | wall s | longest event-loop stall s | 10 ms timer turns |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const synthesizer of synthesizers) {
    // Both read the sample's Parquet file and fit, as fitModel did then and does now.
    const inline = await observe(async () => {
      const read = await readTableFile(samplePath, 'parquet');
      fitTableSynthesizerWithChoice(read, profile, sensitivity, { synthesizer });
    });
    const threaded = await observe(() =>
      pool.run('fit', {
        samplePath,
        sampleUri: 'sample.parquet',
        profile,
        sensitivity,
        synthesizer,
        constraints: [],
        conditions: [],
      }),
    );
    for (const [where, r] of [
      ['activity thread (before)', inline],
      ['pool thread (now)', threaded],
    ] as const)
      console.log(
        `| ${synthesizer} | ${where} | ${r.wallS.toFixed(2)} | ${r.stallS.toFixed(2)} | ${r.ticks} |`,
      );
  }
} finally {
  await pool.close();
  await rm(work, { recursive: true, force: true });
}
