/**
 * generateChunk: sampling plus copy resampling, constraints and edge cases, checked on both
 * synthesizers for what users rely on: constraints hold on every row, edge cases hit exactly round(F·N)
 * rows of the run, copies of real rows are replaced, and none of it depends on the chunking.
 */
import { describe, expect, it } from 'vitest';
import { parseConstraints } from '../../core/constraints/index.js';
import { parseEdgeCaseRules } from '../../core/edge-cases/index.js';
import { generateChunk, type GenerateChunkOptions } from '../../core/generation/index.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { createExactCopyDetector } from '../../core/quality/index.js';
import { createRng } from '../../core/random/index.js';
import { fitTableSynthesizer, type TableModel } from '../../core/synthesizer/index.js';
import type { CellValue, Table } from '../../core/table.js';

/** Orders with a ship date on or after the order date, a few categories and an amount tied to the tier. */
function ordersSample(rows: number): Table {
  const rng = createRng(5);
  const tier: CellValue[] = [];
  const amount: CellValue[] = [];
  const ordered: CellValue[] = [];
  const shipped: CellValue[] = [];
  const region: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    const t = rng.nextInt(3);
    tier.push(['bronze', 'silver', 'gold'][t] as string);
    amount.push(Math.round((20 + t * 40 + rng.nextNormal() * 10) * 100) / 100);
    const day = 19_000 + rng.nextInt(300);
    ordered.push(new Date(day * 86_400_000).toISOString().slice(0, 10));
    shipped.push(new Date((day + rng.nextInt(6)) * 86_400_000).toISOString().slice(0, 10));
    region.push(['north', 'south'][rng.nextInt(2)] as string);
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'tier', type: 'string', values: tier },
      { name: 'amount', type: 'float', values: amount },
      { name: 'order_date', type: 'date', values: ordered },
      { name: 'ship_date', type: 'date', values: shipped },
      { name: 'region', type: 'string', values: region },
    ],
  };
}

function fit(sample: Table, synthesizer: 'copula' | 'cart'): TableModel {
  const profile = profileTable(sample);
  return fitTableSynthesizer(sample, profile, classifyTable(sample, profile), { synthesizer });
}

/** Generates `total` rows in chunks of `chunk` rows and concatenates them column by column. */
function generateAll(model: TableModel, total: number, chunk: number, options: GenerateChunkOptions) {
  const columns = new Map<string, CellValue[]>();
  const records = [];
  let edgeRows = 0;
  for (let k = 0, start = 0; start < total; k++, start += chunk) {
    const { table, report } = generateChunk(
      model,
      { seed: 99, chunkIndex: k, startRow: start, rowCount: Math.min(chunk, total - start) },
      options,
    );
    for (const c of table.columns) columns.set(c.name, [...(columns.get(c.name) ?? []), ...c.values]);
    records.push(...report.edgeCases);
    edgeRows += report.edgeCaseRowsPerRule.reduce((a, b) => a + b, 0);
  }
  return { columns, records, edgeRows };
}

describe.each(['copula', 'cart'] as const)('generateChunk with the %s synthesizer', (synthesizer) => {
  const sample = ordersSample(2000);
  const model = fit(sample, synthesizer);
  const constraints = parseConstraints([
    { kind: 'inequality', left: 'ship_date', op: '>=', right: 'order_date' },
    { kind: 'range', column: 'amount', min: 0 },
  ]);
  const edgeCases = {
    rules: parseEdgeCaseRules([
      { kind: 'null', column: 'region', frequency: 0.013 },
      { kind: 'leapDay', column: 'order_date', frequency: 0.005 },
    ]),
    tag: 'sidecar' as const,
  };

  it('makes every row satisfy the constraints', () => {
    const { columns } = generateAll(model, 3000, 1000, { totalRows: 3000, constraints });
    const ordered = columns.get('order_date') as (string | null)[];
    const shipped = columns.get('ship_date') as (string | null)[];
    expect(ordered).toHaveLength(3000);
    ordered.forEach((o, i) => {
      const s = shipped[i] ?? null;
      if (o !== null && s !== null) expect(s >= o).toBe(true);
    });
    for (const a of columns.get('amount') as (number | null)[])
      if (a !== null) expect(a).toBeGreaterThanOrEqual(0);
  });

  it('injects each edge case into exactly round(F·N) rows of the run, however it is chunked', () => {
    const whole = generateAll(model, 3000, 3000, { totalRows: 3000, edgeCases });
    const chunked = generateAll(model, 3000, 700, { totalRows: 3000, edgeCases });
    expect(whole.edgeRows).toBe(Math.round(0.013 * 3000) + Math.round(0.005 * 3000));
    expect(chunked.records).toEqual(whole.records);
    expect(chunked.columns).toEqual(whole.columns);
    expect(
      whole.records
        .filter((r) => r.column === 'order_date')
        .every((r) => /-02-29$/.test(String(whole.columns.get('order_date')?.[r.row]))),
    ).toBe(true);
  });

  it('gives the same rows for any chunking with copies, constraints and edge cases together', () => {
    const options: GenerateChunkOptions = {
      totalRows: 2500,
      copies: createExactCopyDetector(sample),
      constraints,
      edgeCases,
    };
    const a = generateAll(model, 2500, 2500, options);
    const b = generateAll(model, 2500, 613, options);
    expect(b.columns).toEqual(a.columns);
  });
});

describe('copies of real rows', () => {
  it('are resampled, and the ones that cannot be avoided are reported', () => {
    // Two binary columns: only four distinct rows exist, so every synthetic row copies a real one.
    const rng = createRng(3);
    const sample: Table = {
      rowCount: 400,
      columns: ['a', 'b'].map((name) => ({
        name,
        type: 'string' as const,
        values: Array.from({ length: 400 }, () => (rng.nextInt(2) === 0 ? 'x' : 'y')),
      })),
    };
    const model = fit(sample, 'copula');
    const { report } = generateChunk(
      model,
      { seed: 1, chunkIndex: 0, startRow: 0, rowCount: 500 },
      {
        totalRows: 500,
        copies: createExactCopyDetector(sample),
      },
    );
    expect(report.resampledCopies).toBe(500);
    expect(report.exactCopies).toBe(500);
  });

  it('leaves no copy where the model can avoid one', () => {
    const sample = ordersSample(300);
    const model = fit(sample, 'cart');
    const detector = createExactCopyDetector(sample);
    const { table, report } = generateChunk(
      model,
      { seed: 4, chunkIndex: 0, startRow: 0, rowCount: 5000 },
      {
        totalRows: 5000,
        copies: detector,
      },
    );
    expect(report.exactCopies).toBe(0);
    expect(detector.count(table)).toBe(0);
  });
});
