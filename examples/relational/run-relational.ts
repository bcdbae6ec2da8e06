/**
 * Fits the relational model on the example CSVs in this folder, samples a synthetic database and
 * prints timings and relational quality as JSON: referential integrity, key uniqueness, the
 * children-per-parent KSComplement per foreign key, and orders.amount per customers.segment (real,
 * synthetic, and synthetic without conditioning, to show what the conditioning buys).
 * Run: `npx tsx examples/relational/run-relational.ts [--scale 10] [--seed 7] [--repeat 3] [--out DIR]`.
 * With `--stream`, only generates blocks with generateRelationalChunks and drops them (rows/s and peak
 * RSS for large scales, e.g. `--stream --scale 200`).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  evaluateRelational,
  fitRelationalModel,
  generateRelationalChunks,
  sampleRelational,
} from '../../core/relational/index.js';
import type { CellValue, Table } from '../../core/table.js';
import { readTableFile } from '../../integrations/tabular/index.js';
import { toCsv } from './make-relational.js';

const HERE = import.meta.dirname;
const TABLES = ['customers', 'products', 'orders', 'order_items'] as const;

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '7' },
    repeat: { type: 'string', default: '1' },
    stream: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const scale = Number(args.scale);
const seed = Number(args.seed);

const metadata: unknown = JSON.parse(await readFile(path.join(HERE, 'metadata.json'), 'utf8'));
const real: Record<string, Table> = {};
for (const name of TABLES) real[name] = await readTableFile(path.join(HERE, `${name}.csv`), 'csv');

let t = performance.now();
const model = fitRelationalModel(metadata, real);
const fitMs = performance.now() - t;

if (args.stream) {
  t = performance.now();
  const rows: Record<string, number> = {};
  for (const chunk of generateRelationalChunks(model, { seed, scale })) {
    rows[chunk.table] = (rows[chunk.table] ?? 0) + chunk.rows.rowCount;
  }
  const ms = performance.now() - t;
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      fitMs: Math.round(fitMs),
      streamMs: Math.round(ms),
      rows,
      rowsPerSecond: Math.round(total / (ms / 1000)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
  process.exit(0);
}

const sampleTimes: number[] = [];
let synthetic = sampleRelational(model, { seed, scale });
for (let i = 0; i < Number(args.repeat); i++) {
  t = performance.now();
  synthetic = sampleRelational(model, { seed, scale });
  sampleTimes.push(Math.round(performance.now() - t));
}
const sampleMs = Math.min(...sampleTimes);

const unconditioned = withoutConditioning(metadata);
const baseline = sampleRelational(fitRelationalModel(unconditioned, real), { seed, scale });

const evaluation = evaluateRelational(metadata, real, synthetic.tables);
const totalRows = Object.values(synthetic.rowCounts).reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify(
    {
      fitMs: Math.round(fitMs),
      sampleMs: sampleTimes,
      syntheticRows: synthetic.rowCounts,
      rowsPerSecond: Math.round(totalRows / (sampleMs / 1000)),
      modelJsonBytes: JSON.stringify(model).length,
      strata: Object.fromEntries(
        Object.entries(model.tables).map(([name, table]) => [
          name,
          table.primaryParent === null
            ? null
            : {
                conditionOn: table.primaryParent.strata.map((s) => s.column),
                association: table.primaryParent.association,
                models: table.models.length,
                countDistributions: table.primaryParent.counts.length,
              },
        ]),
      ),
      referentialIntegrity: evaluation.referentialIntegrity,
      duplicateKeys: evaluation.duplicateKeys,
      childCounts: evaluation.foreignKeys.map((f) => ({
        fk: `${f.child}(${f.columns.join(',')}) → ${f.parent}`,
        ksComplement: round(f.childCountKsComplement),
        realMean: round(f.realMeanChildren),
        syntheticMean: round(f.syntheticMeanChildren),
      })),
      medianAmountBySegment: {
        real: medianBySegment(real),
        synthetic: medianBySegment(synthetic.tables),
        syntheticWithoutConditioning: medianBySegment(baseline.tables),
      },
      ordersPerCustomerBySegment: {
        real: ordersPerSegment(real),
        synthetic: ordersPerSegment(synthetic.tables),
        syntheticWithoutConditioning: ordersPerSegment(baseline.tables),
      },
    },
    null,
    2,
  ),
);

if (args.out !== undefined) {
  await mkdir(args.out, { recursive: true });
  for (const [name, table] of Object.entries(synthetic.tables)) await writeFile(path.join(args.out, `${name}.csv`), toCsv(table));
}

function withoutConditioning(input: unknown): unknown {
  const copy = structuredClone(input) as { tables: Record<string, { foreignKeys?: { conditionOn?: string[] }[] }> };
  for (const table of Object.values(copy.tables)) for (const fk of table.foreignKeys ?? []) fk.conditionOn = [];
  return copy;
}

function column(table: Table | undefined, name: string): CellValue[] {
  return table?.columns.find((c) => c.name === name)?.values ?? [];
}

function segmentOfOrders(tables: Record<string, Table>): { segment: string; amount: number }[] {
  const segmentOf = new Map<string, string>();
  const ids = column(tables.customers, 'customer_id');
  const segments = column(tables.customers, 'segment');
  ids.forEach((id, i) => segmentOf.set(String(id), String(segments[i])));
  const customers = column(tables.orders, 'customer_id');
  const amounts = column(tables.orders, 'amount');
  return customers.map((c, i) => ({ segment: segmentOf.get(String(c)) ?? '?', amount: Number(amounts[i]) }));
}

function medianBySegment(tables: Record<string, Table>): Record<string, number> {
  const groups = new Map<string, number[]>();
  for (const { segment, amount } of segmentOfOrders(tables)) groups.set(segment, [...(groups.get(segment) ?? []), amount]);
  return Object.fromEntries(
    [...groups.entries()].sort().map(([s, v]) => [s, round(v.sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN)]),
  );
}

function ordersPerSegment(tables: Record<string, Table>): Record<string, number> {
  const customers = new Map<string, number>();
  for (const s of column(tables.customers, 'segment')) customers.set(String(s), (customers.get(String(s)) ?? 0) + 1);
  const orders = new Map<string, number>();
  for (const { segment } of segmentOfOrders(tables)) orders.set(segment, (orders.get(segment) ?? 0) + 1);
  return Object.fromEntries([...customers.keys()].sort().map((s) => [s, round((orders.get(s) ?? 0) / (customers.get(s) ?? 1))]));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
