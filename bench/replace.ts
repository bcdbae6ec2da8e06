/**
 * Replacement strategies and the leak scan on a 100,000-row chunk of the demo customers table
 * (examples/customers.parquet tiled to the row count), one strategy at a time on the columns it
 * suits: rows/s per strategy, and rows/s of the leak scan over every column of the replaced chunk.
 *
 * Run: `npx tsx bench/replace.ts [--rows 100000] [--scan-only]` (`--scan-only` times only the
 * default plan, whose output the scan needs, and the leak index and scan). Prints a markdown table; results are recorded
 * in docs/benchmarks.md ("Replacement strategies and the leak scan"). Wall-clock figures: on a shared, loaded machine note the load.
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { classifyTable } from '../core/pii/index.js';
import { createLeakIndex, scanForLeaks } from '../core/privacy/index.js';
import { profileTable } from '../core/profile/index.js';
import { applyReplacements, defaultReplacementPlan, type ReplacementPlan } from '../core/replace/index.js';
import type { Table } from '../core/table.js';
import { readTableFile } from '../integrations/tabular/index.js';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 100_000;
const SCAN_ONLY = process.argv.includes('--scan-only');
const KEY = new TextEncoder().encode('bench-key-not-a-secret');

function tile(table: Table, rows: number): Table {
  return {
    rowCount: rows,
    columns: table.columns.map((c) => ({
      ...c,
      values: Array.from({ length: rows }, (_, i) => c.values[i % table.rowCount] ?? null),
    })),
  };
}

const sample = await readTableFile(
  path.join(import.meta.dirname, '../examples/customers.parquet'),
  'parquet',
);
const chunk = tile(sample, ROWS);
const report = classifyTable(sample, profileTable(sample));

const plans: [string, string, ReplacementPlan][] = [
  [
    'fake (coherent person + place)',
    'first_name, last_name, email, street_address, city, state, postal_code',
    {
      first_name: { strategy: 'fake', kind: 'first_name' },
      last_name: { strategy: 'fake', kind: 'last_name' },
      email: { strategy: 'fake', kind: 'email' },
      street_address: { strategy: 'fake', kind: 'street_address' },
      city: { strategy: 'fake', kind: 'city' },
      state: { strategy: 'fake', kind: 'state' },
      postal_code: { strategy: 'fake', kind: 'postal_code' },
    },
  ],
  ['fake phone (valid for region)', 'phone', { phone: { strategy: 'fake', kind: 'phone' } }],
  [
    'format_preserving (checksums)',
    'ssn, credit_card, ip_address',
    {
      ssn: { strategy: 'format_preserving', kind: 'ssn' },
      credit_card: { strategy: 'format_preserving', kind: 'credit_card' },
      ip_address: { strategy: 'format_preserving', kind: 'ip_address' },
    },
  ],
  ['format_preserving phone', 'phone', { phone: { strategy: 'format_preserving', kind: 'phone' } }],
  [
    'pseudonymize (HMAC-SHA256)',
    'customer_id, email, ssn, credit_card',
    {
      customer_id: { strategy: 'pseudonymize', key: 'bench', kind: 'identifier' },
      email: { strategy: 'pseudonymize', key: 'bench', kind: 'email' },
      ssn: { strategy: 'pseudonymize', key: 'bench', kind: 'ssn' },
      credit_card: { strategy: 'pseudonymize', key: 'bench', kind: 'credit_card' },
    },
  ],
  [
    'mask',
    'ssn, credit_card, phone',
    {
      ssn: { strategy: 'mask', mode: 'full' },
      credit_card: { strategy: 'mask', keep: 4 },
      phone: { strategy: 'mask', keep: 2, keepSeparators: true },
    },
  ],
  [
    'generalize',
    'age, date_of_birth, postal_code, annual_income',
    {
      age: { strategy: 'generalize', method: 'band', width: 10 },
      date_of_birth: { strategy: 'generalize', method: 'month' },
      postal_code: { strategy: 'generalize', method: 'prefix', length: 3 },
      annual_income: { strategy: 'generalize', method: 'round', step: 1000 },
    },
  ],
  [
    'null',
    '12 sensitive columns',
    Object.fromEntries(Object.keys(defaultReplacementPlan(report)).map((c) => [c, { strategy: 'null' }])),
  ],
  ['scrub_text (spans in notes)', 'notes', { notes: { strategy: 'scrub_text' } }],
  [
    'default plan (all sensitive columns)',
    Object.keys(defaultReplacementPlan(report)).join(', '),
    defaultReplacementPlan(report),
  ],
];

function seconds(run: () => void): number {
  const t = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

console.log(
  `rows ${ROWS}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('');
console.log('| strategy | columns | seconds | rows/s |');
console.log('|---|---|---:|---:|');
let replaced: Table = chunk;
for (const [name, columns, plan] of plans) {
  if (SCAN_ONLY && !name.startsWith('default')) continue;
  let out: Table = chunk;
  const s = seconds(() => {
    out = applyReplacements(chunk, plan, {
      seed: 42,
      startRow: 0,
      keys: { bench: KEY },
      sourceTable: 'customers',
    }).table;
  });
  if (name.startsWith('default')) replaced = out;
  console.log(`| ${name} | ${columns} | ${s.toFixed(2)} | ${Math.round(ROWS / s).toLocaleString('en-US')} |`);
}

const sensitive = Object.keys(defaultReplacementPlan(report));
const kinds = Object.fromEntries(report.fields.map((f) => [f.column, f.kind as string]));
let index = createLeakIndex(sample, sensitive, KEY, { kinds });
const indexSeconds = seconds(() => {
  index = createLeakIndex(sample, sensitive, KEY, { kinds });
});
let total = 0;
const cpuBefore = process.cpuUsage();
const scanSeconds = seconds(() => {
  total = scanForLeaks(index, replaced, { key: KEY }).total;
});
const scanCpu = process.cpuUsage(cpuBefore);
// CPU time of this process: on a loaded machine it is closer to what an idle core would take than wall time.
const scanCpuSeconds = (scanCpu.user + scanCpu.system) / 1e6;
console.log(
  `| leak index (${sample.rowCount} sample rows, ${sensitive.length} columns) | ${sensitive.length} | ${indexSeconds.toFixed(2)} | ${Math.round(sample.rowCount / indexSeconds).toLocaleString('en-US')} |`,
);
console.log(
  `| leak scan (every column of the default-plan output; ${total} leaks) | ${replaced.columns.length} | ${scanSeconds.toFixed(2)} | ${Math.round(ROWS / scanSeconds).toLocaleString('en-US')} |`,
);
console.log('');
console.log(
  `leak scan CPU time: ${scanCpuSeconds.toFixed(2)} s (${Math.round(ROWS / scanCpuSeconds).toLocaleString('en-US')} rows/s of CPU)`,
);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
