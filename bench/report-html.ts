/**
 * Times the HTML report of a 20-column table (8 numeric, 2 dates, 6 categorical, 2 boolean, a key
 * and a free-text column) with `rows` real and `rows` synthetic rows: buildReportJson (sampling,
 * histograms, quantiles, correlations) and renderReportData (SVG and page) separately, `reps`
 * times, and prints wall and CPU time (CPU time is the fairer figure on a busy machine) and the page
 * size. Prints only; the load average is printed for context.
 * Run: npx tsx bench/report-html.ts [rows] [reps]
 */
import { loadavg } from 'node:os';
import { createRng } from '../core/random/index.js';
import { buildReportJson, renderReportData, type HtmlReportInput } from '../core/report-html/index.js';
import type { CellValue, ColumnData, Table } from '../core/table.js';

const rows = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 5);

function benchTable(n: number, seed: number): Table {
  const rng = createRng(seed);
  const columns: ColumnData[] = [];
  const add = (name: string, type: ColumnData['type'], make: (i: number, base: number) => CellValue) => {
    const values: CellValue[] = new Array<CellValue>(n);
    for (let i = 0; i < n; i++) values[i] = make(i, rng.nextNormal());
    columns.push({ name, type, values });
  };
  add('id', 'string', (i) => `ID-${seed}-${i}`);
  for (let k = 0; k < 8; k++)
    add(`num_${k}`, k % 2 ? 'float' : 'integer', (_, z) => {
      const v = 50 + 15 * z + k * rng.nextNormal();
      return k % 2 ? v : Math.round(v);
    });
  for (let k = 0; k < 2; k++)
    add(`date_${k}`, 'date', () =>
      new Date(Date.UTC(2015, 0, 1) + rng.nextInt(3650) * 86_400_000).toISOString().slice(0, 10),
    );
  for (let k = 0; k < 6; k++) add(`cat_${k}`, 'string', () => `c${rng.nextInt(4 + k * 8)}`);
  for (let k = 0; k < 2; k++)
    add(`flag_${k}`, 'boolean', () => (rng.nextDouble() < 0.3 ? null : rng.nextDouble() < 0.6));
  add('notes', 'string', () => 'x'.repeat(5 + rng.nextInt(80)));
  return { rowCount: n, columns };
}

const real = benchTable(rows, 1);
const synthetic = benchTable(rows, 2);
const input: HtmlReportInput = {
  title: 'bench',
  real,
  synthetic,
  scores: { overall: 0.9, columnShapes: 0.92, columnPairTrends: 0.88, diagnostics: 0.99 },
  columnMetrics: real.columns.map((c) => ({ column: c.name, metric: 'ks_complement', value: 0.9 })),
  privacy: { exactCopies: 0, rowsChecked: rows, exactCopyRate: 0 },
};
console.log(
  `report-html bench: ${real.columns.length} columns, ${rows} real + ${rows} synthetic rows, load ${loadavg()[0]?.toFixed(2)}`,
);
for (let r = 0; r < reps; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const data = buildReportJson(input);
  const t1 = performance.now();
  const html = renderReportData(data);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  console.log(
    `rep ${r + 1}: build ${(t1 - t0).toFixed(0)} ms, render ${(t2 - t1).toFixed(0)} ms, total ${(t2 - t0).toFixed(0)} ms wall, ` +
      `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${(html.length / 1024).toFixed(0)} KiB`,
  );
}
