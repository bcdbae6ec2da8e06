import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import {
  evaluateRelational,
  fitRelationalModel,
  generateRelationalChunks,
  RELATIONAL_BLOCK_ROWS,
  sampleRelational,
  type RelationalModel,
  type TableSynthesizer,
} from '../../core/relational/index.js';
import { concatTables, type CellValue, type Table } from '../../core/table.js';
import { generateShop, SHOP_METADATA } from '../../examples/relational/make-relational.js';

const real = generateShop(11, 1500);
let model: RelationalModel;
let unconditioned: RelationalModel;

// Two fits of four tables: seconds on a busy 2-core machine, more than the default hook timeout.
beforeAll(() => {
  model = fitRelationalModel(SHOP_METADATA, real);
  unconditioned = fitRelationalModel(withoutConditioning(SHOP_METADATA), real);
}, 120_000);

function withoutConditioning(metadata: unknown): unknown {
  const copy = structuredClone(metadata) as {
    tables: Record<string, { foreignKeys?: { conditionOn?: string[] }[] }>;
  };
  for (const table of Object.values(copy.tables))
    for (const fk of table.foreignKeys ?? []) fk.conditionOn = [];
  return copy;
}

function values(table: Table | undefined, column: string): CellValue[] {
  const found = table?.columns.find((c) => c.name === column);
  if (found === undefined) throw new Error(`no column ${column}`);
  return found.values;
}

/** Median order amount and orders per customer, per customer segment. */
function bySegment(
  tables: Record<string, Table>,
): Map<string, { median: number; ordersPerCustomer: number }> {
  const segmentOf = new Map<string, string>();
  const segments = values(tables.customers, 'segment');
  values(tables.customers, 'customer_id').forEach((id, i) => segmentOf.set(String(id), String(segments[i])));
  const amounts = new Map<string, number[]>();
  const amount = values(tables.orders, 'amount');
  values(tables.orders, 'customer_id').forEach((c, i) => {
    const s = segmentOf.get(String(c)) as string;
    amounts.set(s, [...(amounts.get(s) ?? []), Number(amount[i])]);
  });
  const customers = new Map<string, number>();
  for (const s of segments) customers.set(String(s), (customers.get(String(s)) ?? 0) + 1);
  const out = new Map<string, { median: number; ordersPerCustomer: number }>();
  for (const [s, list] of amounts) {
    list.sort((a, b) => a - b);
    out.set(s, {
      median: list[Math.floor(list.length / 2)] as number,
      ordersPerCustomer: list.length / (customers.get(s) ?? 1),
    });
  }
  return out;
}

describe('relational sampling (shop example: customers → orders → order_items ← products)', () => {
  it('generates the requested root rows exactly, and children from their parents', () => {
    const sample = sampleRelational(model, { seed: 3, rows: { customers: 777, products: 41 } });
    expect(sample.rowCounts.customers).toBe(777);
    expect(sample.tables.customers?.rowCount).toBe(777);
    expect(sample.rowCounts.products).toBe(41);
    expect(sample.rowCounts.orders).toBeGreaterThan(0);
    expect(sample.tables.order_items?.rowCount).toBe(sample.rowCounts.order_items);
    const scaled = sampleRelational(model, { seed: 3, scale: 2.5 });
    expect(scaled.rowCounts.customers).toBe(Math.round(1500 * 2.5));
    expect(scaled.rowCounts.products).toBe(Math.round((real.products as Table).rowCount * 2.5));
  });

  it('keeps 100% referential integrity and unique primary keys, composite ones included, across blocks', () => {
    // Scale 3 puts several internal blocks in every table.
    const sample = sampleRelational(model, { seed: 5, scale: 3 });
    expect(sample.rowCounts.orders).toBeGreaterThan(RELATIONAL_BLOCK_ROWS);
    const evaluation = evaluateRelational(SHOP_METADATA, real, sample.tables);
    expect(evaluation.referentialIntegrity).toBe(1);
    for (const fk of evaluation.foreignKeys) {
      expect(fk.orphans).toBe(0);
      expect(fk.references).toBe(sample.rowCounts[fk.child]);
    }
    expect(evaluation.duplicateKeys).toEqual({ customers: 0, orders: 0, products: 0, order_items: 0 });
  });

  it('numbers order lines 1, 2, 3 … within each order, as the sample does', () => {
    const items = sampleRelational(model, { seed: 9 }).tables.order_items as Table;
    const orders = values(items, 'order_id');
    const lines = values(items, 'line_no');
    let wrong = 0;
    for (let r = 0; r < items.rowCount; r++) {
      const expected = r > 0 && orders[r] === orders[r - 1] ? (lines[r - 1] as number) + 1 : 1;
      if (lines[r] !== expected) wrong++;
    }
    expect(items.rowCount).toBeGreaterThan(0);
    expect(wrong).toBe(0);
  });

  it('keeps the children-per-parent distribution of every foreign key (KSComplement floors from measurement)', () => {
    // Measured over 3 data seeds × 5 sample seeds: minimum 0.973 (orders), 0.985 (lines), 0.920 (products).
    const floors: Record<string, number> = { customers: 0.95, orders: 0.95, products: 0.85 };
    for (const seed of [1, 2]) {
      const evaluation = evaluateRelational(SHOP_METADATA, real, sampleRelational(model, { seed }).tables);
      for (const fk of evaluation.foreignKeys) {
        expect(fk.childCountKsComplement, `${fk.child} → ${fk.parent}`).toBeGreaterThanOrEqual(
          floors[fk.parent] as number,
        );
      }
    }
  });

  it('conditions orders on the customer segment: amounts and order counts per segment follow the sample', () => {
    expect(model.tables.orders?.primaryParent?.strata.map((s) => s.column)).toEqual(['segment']);
    const truth = bySegment(real);
    const synthetic = bySegment(sampleRelational(model, { seed: 21 }).tables);
    for (const [segment, expected] of truth) {
      const got = synthetic.get(segment);
      expect(got, segment).toBeDefined();
      expect(Math.abs((got?.median ?? 0) / expected.median - 1), `median amount, ${segment}`).toBeLessThan(
        0.15,
      );
      expect(
        Math.abs((got?.ordersPerCustomer ?? 0) / expected.ordersPerCustomer - 1),
        `orders, ${segment}`,
      ).toBeLessThan(0.15);
    }
    // The same measurement without conditioning loses the relation, so the checks above can fail.
    const flat = bySegment(sampleRelational(unconditioned, { seed: 21 }).tables);
    const ratio = (m: Map<string, { median: number }>) =>
      (m.get('enterprise')?.median ?? 0) / (m.get('consumer')?.median ?? 1);
    expect(ratio(truth)).toBeGreaterThan(20);
    expect(ratio(flat)).toBeLessThan(2);
  });

  it('conditions a grandchild on its parent: lines per order grow with the order amount', () => {
    const strata = model.tables.order_items?.primaryParent?.strata ?? [];
    expect(strata.map((s) => s.column)).toContain('amount');
    const linesPerOrder = (tables: Record<string, Table>) => {
      const amount = values(tables.orders, 'amount').map(Number);
      const ids = values(tables.orders, 'order_id');
      const lines = new Map<CellValue, number>();
      for (const o of values(tables.order_items, 'order_id')) lines.set(o, (lines.get(o) ?? 0) + 1);
      const sorted = [...amount].sort((a, b) => a - b);
      const cut = sorted[Math.floor(sorted.length / 2)] as number;
      const mean = (low: boolean) => {
        const picked = ids.filter((_, i) => (amount[i] as number) <= cut === low);
        return picked.reduce<number>((s, id) => s + (lines.get(id) ?? 0), 0) / picked.length;
      };
      return mean(false) - mean(true);
    };
    const realGap = linesPerOrder(real);
    const syntheticGap = linesPerOrder(sampleRelational(model, { seed: 4 }).tables);
    expect(realGap).toBeGreaterThan(0.5);
    expect(syntheticGap).toBeGreaterThan(realGap * 0.6);
  });

  it('is deterministic: same seed, same database; streamed blocks equal the in-memory result; the model survives JSON', () => {
    const a = sampleRelational(model, { seed: 77 });
    const b = sampleRelational(JSON.parse(JSON.stringify(model)) as RelationalModel, { seed: 77 });
    expect(b.tables).toEqual(a.tables);
    const c = sampleRelational(model, { seed: 78 });
    expect(values(c.tables.orders, 'amount')).not.toEqual(values(a.tables.orders, 'amount'));
    const streamed = new Map<string, Table[]>();
    for (const chunk of generateRelationalChunks(model, { seed: 77 })) {
      const blocks = streamed.get(chunk.table) ?? [];
      expect(chunk.startRow).toBe(blocks.reduce((n, t) => n + t.rowCount, 0));
      streamed.set(chunk.table, [...blocks, chunk.rows]);
    }
    expect([...streamed.keys()].sort()).toEqual(Object.keys(a.tables).sort());
    for (const [table, blocks] of streamed) expect(concatTables(blocks)).toEqual(a.tables[table]);
  });

  it('never reuses a sample key value for generated keys', () => {
    const sample = sampleRelational(model, { seed: 2 });
    const realIds = new Set(values(real.customers, 'customer_id'));
    const synthetic = values(sample.tables.customers, 'customer_id');
    expect(synthetic.every((id) => typeof id === 'string' && /^CUST-\d{6}$/.test(id))).toBe(true);
    expect(synthetic.filter((id) => realIds.has(id))).toEqual([]);
  });

  it('rejects rows for a table with foreign keys, an unknown table and a different synthesizer', () => {
    expect(() => sampleRelational(model, { seed: 1, rows: { orders: 10 } })).toThrow(ConfigError);
    expect(() => sampleRelational(model, { seed: 1, rows: { nope: 10 } })).toThrow(/rows\.nope/);
    const other: TableSynthesizer = {
      name: 'other',
      fit: () => null,
      sample: () => ({ rowCount: 0, columns: [] }),
    };
    expect(() => sampleRelational(model, { seed: 1, synthesizer: other })).toThrow(
      /fitted with synthesizer "table-synthesizer"/,
    );
    expect(() => sampleRelational(model, { seed: -1 })).toThrow(ConfigError);
  });

  it('takes a synthesizer kind of the facade; auto decides once per table, so strata share its pick', () => {
    const small = generateShop(5, 400);
    const auto = fitRelationalModel(SHOP_METADATA, small, { synthesizer: 'auto', minStratumRows: 60 });
    expect(auto.synthesizer).toBe('table-synthesizer');
    for (const [name, table] of Object.entries(auto.tables)) {
      const kinds = new Set(table.models.map((m) => (m as { kind: string }).kind));
      expect(kinds.size, name).toBe(1);
    }
    expect(auto.tables.orders?.models.length).toBeGreaterThan(1);
    const sample = sampleRelational(auto, { seed: 6 });
    expect(evaluateRelational(SHOP_METADATA, small, sample.tables).referentialIntegrity).toBe(1);
    const cart = fitRelationalModel(SHOP_METADATA, small, { synthesizer: 'cart' });
    expect(cart.tables.orders?.models.every((m) => (m as { kind: string }).kind === 'cart')).toBe(true);
    expect(sampleRelational(cart, { seed: 6, synthesizer: 'copula' }).rowCounts.customers).toBe(400);
  });
});
