/**
 * Measures profiling + classification of a generated 1,000,000-row × 15-column table on one core.
 * Run: `npx tsx bench/profile-core.ts [rows]`. Generation is not timed; only the core calls are.
 */
import { performance } from 'node:perf_hooks';
import { classifyTable } from '../core/pii/index.js';
import { profileTable } from '../core/profile/index.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../core/table.js';
import { prng } from './support/prng.js';

const rows = Number(process.argv[2] ?? 1_000_000);

const rand = prng(20240501);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
];
const names = Array.from(
  { length: 200 },
  (_, i) => `${pick(FIRST)}${i % 7 === 0 ? '' : String.fromCharCode(97 + (i % 26))}`,
);
const cities = Array.from({ length: 500 }, (_, i) => `City ${String.fromCharCode(65 + (i % 26))}${i}`);
const words =
  'the quick brown fox jumps over lazy dog customer called about billing order delivery late refund please'.split(
    ' ',
  );

function column(name: string, type: PhysicalType, make: (i: number) => CellValue): ColumnData {
  const values = new Array<CellValue>(rows);
  for (let i = 0; i < rows; i++) values[i] = make(i);
  return { name, type, values };
}

const t0 = performance.now();
const day = 86_400_000;
const table: Table = {
  rowCount: rows,
  columns: [
    column('id', 'integer', (i) => i + 1),
    column('customer_id', 'string', (i) => `CUST-${pad(i, 7)}`),
    column('email', 'string', (i) => `${pick(names).toLowerCase()}.${i}@example.com`),
    column('phone', 'string', () => `(${int(201, 989)}) ${int(200, 999)}-${pad(int(0, 9999), 4)}`),
    column('age', 'integer', () => (rand() < 0.02 ? null : int(18, 90))),
    column('income', 'float', () => Math.round(Math.exp(10 + rand() * 2) * 100) / 100),
    column('segment', 'string', () =>
      pick(['consumer', 'small business', 'enterprise', 'public', 'partner']),
    ),
    column('credit_score', 'integer', () => int(300, 850)),
    column('is_active', 'boolean', () => rand() < 0.7),
    column('signup_date', 'date', () =>
      new Date(Date.UTC(2015, 0, 1) + int(0, 3650) * day).toISOString().slice(0, 10),
    ),
    column('last_login', 'timestamp', () =>
      new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 365 * day)).toISOString(),
    ),
    column('city', 'string', () => pick(cities)),
    column('first_name', 'string', () => pick(names)),
    column('notes', 'string', () => Array.from({ length: int(4, 12) }, () => pick(words)).join(' ')),
    column('balance', 'float', () =>
      rand() < 0.1 ? null : Math.round((rand() * 20_000 - 2_000) * 100) / 100,
    ),
  ],
};
const t1 = performance.now();

// CPU time is reported beside wall time because a shared machine can stretch the wall clock.
const c1 = process.cpuUsage();
const profile = profileTable(table);
const t2 = performance.now();
const c2 = process.cpuUsage();
const report = classifyTable(table, profile);
const t3 = performance.now();
const c3 = process.cpuUsage();
const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user + b.system - a.user - a.system) / 1000;

const s = (ms: number) => (ms / 1000).toFixed(2);
console.log(`rows=${rows} columns=${table.columns.length} (generated in ${s(t1 - t0)} s, not counted)`);
console.log(`profileTable:  ${s(t2 - t1)} s wall, ${s(cpu(c1, c2))} s CPU (all threads, incl. GC)`);
console.log(`classifyTable: ${s(t3 - t2)} s wall, ${s(cpu(c2, c3))} s CPU`);
console.log(`total:         ${s(t3 - t1)} s wall, ${s(cpu(c1, c3))} s CPU`);
console.log(`heap used:     ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
for (const c of profile.columns) {
  const f = report.fields.find((x) => x.column === c.name);
  console.log(
    `  ${c.name.padEnd(13)} ${c.semanticType.padEnd(12)} ${String(f?.kind).padEnd(15)} ${f?.confidence} ${f?.sensitive ? 'SENSITIVE' : ''}`,
  );
}
