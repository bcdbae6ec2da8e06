/**
 * Rounded numeric columns decode through a step table (one value per latent-table segment where
 * rounding gives one value throughout): every latent z must decode to exactly what the interpolating
 * path (`valueAt`) gives, on segment ends, inside segments and beyond the table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { createRng } from '../../core/random/index.js';
import { BLOCK_ROWS, prepareModel } from '../../core/synth/prepared-model.js';
import { fitSynthModel } from '../../core/synth/index.js';
import type { CellValue, Table } from '../../core/table.js';

function sample(rows: number): Table {
  const rng = createRng(3);
  const age: CellValue[] = [];
  const rating: CellValue[] = [];
  const share: CellValue[] = [];
  const latency: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    age.push(18 + Math.floor(rng.nextDouble() * rng.nextDouble() * 70));
    rating.push(Math.round((1 + 4 * rng.nextDouble()) * 10) / 10);
    share.push(Math.round(rng.nextDouble() ** 3 * 1000) / 1000);
    latency.push(i % 17 === 0 ? null : Math.round(Math.exp(3 + rng.nextNormal()) * 10) / 10);
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'age', type: 'integer', values: age },
      { name: 'rating', type: 'float', values: rating },
      { name: 'share', type: 'float', values: share },
      { name: 'latency_ms', type: 'float', values: latency },
    ],
  };
}

describe('step-table decoding of rounded numeric columns', () => {
  const table = sample(3000);
  const profile = profileTable(table);
  const prepared = prepareModel(fitSynthModel(table, profile, classifyTable(table, profile)));

  it.each(prepared.columns.map((c) => [c.column.name, c] as const))(
    '%s decodes every latent value as the interpolating path does',
    (_name, column) => {
      const valueAt = column.valueAt as (z: number) => number;
      const dimensions = Math.max(...prepared.columns.map((c) => c.column.valueDimension)) + 2;
      const z = new Float64Array(dimensions * BLOCK_ROWS).fill(-Infinity); // null dimensions: never null
      const valueDim = column.column.valueDimension * BLOCK_ROWS;
      const check = (values: number[]) => {
        values.forEach((v, r) => (z[valueDim + r] = v));
        const out = new Array<CellValue>(values.length);
        column.decode(z, 0, values.length, out, 0);
        expect(out).toEqual(values.map(valueAt));
      };
      // Segment ends of the latent table (1/1024 apart), and just beside them.
      const ends: number[] = [];
      for (let i = -6 * 1024; i <= 6 * 1024; i += 7) ends.push(i / 1024, i / 1024 - 1e-12, i / 1024 + 1e-12);
      for (let k = 0; k < ends.length; k += BLOCK_ROWS) check(ends.slice(k, k + BLOCK_ROWS));
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -9, max: 9, noNaN: true }), { minLength: 1, maxLength: 64 }),
          (vs) => check(vs),
        ),
        { numRuns: 200 },
      );
    },
  );
});
