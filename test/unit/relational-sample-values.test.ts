/**
 * The relational sampler keeps identifying sample values out of generated sensitive cells, as single-table
 * chunks do: a fake equal to one is redrawn before its block is yielded, with a seed of its own, so the
 * output is still a pure function of the seed, and nothing but the redrawn cells changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  carriesSampleValue,
  createSampleValueGuard,
  type SampleValueGuard,
} from '../../core/generation/index.js';
import {
  fitRelationalModel,
  generateRelationalChunks,
  sampleRelational,
  type RelationalModel,
} from '../../core/relational/index.js';
import type { CellValue, Table } from '../../core/table.js';
import { generateShop, SHOP_METADATA } from '../../examples/relational/make-relational.js';

let model: RelationalModel;

beforeAll(() => {
  model = fitRelationalModel(SHOP_METADATA, generateShop(7, 600));
}, 120_000);

function columnOf(table: Table | undefined, name: string): CellValue[] {
  const found = table?.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no column ${name}`);
  return found.values;
}

/** A guard whose "sample values" are every other email the sampler generates without a guard. */
function guardFrom(emails: readonly CellValue[]): SampleValueGuard {
  const picked = emails.filter((_, i) => i % 2 === 0);
  const sample: Table = {
    rowCount: picked.length,
    columns: [{ name: 'email', type: 'string', values: [...picked] }],
  };
  return createSampleValueGuard(sample, { email: 'email' });
}

describe('relational sampling: sample values in sensitive cells', () => {
  it('redraws every generated email equal to a sample value, and changes nothing else', () => {
    const plain = sampleRelational(model, { seed: 5, scale: 1 });
    const emails = columnOf(plain.tables.customers, 'email');
    const guard = guardFrom(emails);
    const guarded = sampleRelational(model, { seed: 5, scale: 1, sampleValues: { customers: guard } });

    const after = columnOf(guarded.tables.customers, 'email');
    expect(after.some((v) => carriesSampleValue(guard, v))).toBe(false);
    // Every other generated email was a "sample value", so about half the cells changed.
    const changed = after.filter((v, i) => v !== emails[i]).length;
    expect(changed).toBeGreaterThanOrEqual(Math.floor(emails.length / 2));
    expect(after.every((v) => typeof v === 'string' && v.includes('@'))).toBe(true);
    // Keys, other columns and every other table are as without the guard.
    expect(guarded.rowCounts).toEqual(plain.rowCounts);
    for (const table of model.order) {
      for (const column of plain.tables[table]?.columns ?? []) {
        if (table === 'customers' && column.name === 'email') continue;
        expect(columnOf(guarded.tables[table], column.name), `${table}.${column.name}`).toEqual(
          column.values,
        );
      }
    }
  });

  it('is a pure function of the seed, and reports what it redrew per block', () => {
    const emails = columnOf(sampleRelational(model, { seed: 9, scale: 1 }).tables.customers, 'email');
    const guard = guardFrom(emails);
    const a = sampleRelational(model, { seed: 9, scale: 1, sampleValues: { customers: guard } });
    const b = sampleRelational(model, { seed: 9, scale: 1, sampleValues: { customers: guard } });
    expect(a.tables).toEqual(b.tables);

    const redrawn = new Map<string, number>();
    let remaining = 0;
    for (const chunk of generateRelationalChunks(model, {
      seed: 9,
      scale: 1,
      sampleValues: { customers: guard },
    })) {
      redrawn.set(chunk.table, (redrawn.get(chunk.table) ?? 0) + chunk.sensitiveValues.redrawn);
      remaining += chunk.sensitiveValues.remaining;
    }
    const changed = columnOf(a.tables.customers, 'email').filter((v, i) => v !== emails[i]).length;
    expect(changed).toBeGreaterThan(0);
    expect(redrawn.get('customers')).toBe(changed);
    expect(remaining).toBe(0);
    for (const table of model.order) if (table !== 'customers') expect(redrawn.get(table)).toBe(0);
  });
});
