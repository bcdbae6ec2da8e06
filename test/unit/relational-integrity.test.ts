import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import { createRng, deriveSeed } from '../../core/random/index.js';
import {
  cramerVSquared,
  evaluateRelational,
  fitRelationalModel,
  omegaSquared,
  sampleRelational,
  type TableSynthesizer,
} from '../../core/relational/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

function table(columns: Record<string, [PhysicalType, CellValue[]]>): Table {
  const entries = Object.entries(columns);
  return {
    rowCount: entries[0]?.[1][1].length ?? 0,
    columns: entries.map(([name, [type, values]]) => ({ name, type, values })),
  };
}

function values(t: Table | undefined, column: string): CellValue[] {
  const found = t?.columns.find((c) => c.name === column);
  if (found === undefined) throw new Error(`no column ${column}`);
  return found.values;
}

/** Resamples whole sample rows: a trivial synthesizer that shows the relational layer takes any. */
const bootstrap: TableSynthesizer<Table> = {
  name: 'bootstrap',
  fit: (sample) => sample,
  sample: (model, req) => {
    const rng = createRng(deriveSeed(req.seed, req.chunkIndex));
    const rows = Array.from({ length: req.rowCount }, () => rng.nextInt(model.rowCount));
    return {
      rowCount: req.rowCount,
      columns: model.columns.map((c) => ({ ...c, values: rows.map((r) => c.values[r] ?? null) })),
    };
  },
};

const metadata = {
  tables: {
    customers: { primaryKey: 'id' },
    orders: {
      primaryKey: 'id',
      foreignKeys: [{ columns: 'customer_id', references: { table: 'customers' } }],
    },
    lines: {
      primaryKey: ['order_id', 'n'],
      foreignKeys: [{ columns: 'order_id', references: { table: 'orders' } }],
    },
  },
};

function shop(orderCustomers: CellValue[]): Record<string, Table> {
  return {
    customers: table({ id: ['integer', [1, 2, 3]], tier: ['string', ['a', 'b', 'a']] }),
    orders: table({
      id: ['integer', orderCustomers.map((_, i) => 100 + i)],
      customer_id: ['integer', orderCustomers],
      amount: ['float', orderCustomers.map((_, i) => 10 + i)],
    }),
    lines: table({
      order_id: ['integer', [100, 100, 101, 102, 102, 102]],
      n: ['integer', [1, 2, 1, 1, 2, 3]],
      qty: ['integer', [1, 2, 3, 4, 5, 6]],
    }),
  };
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('sample integrity', () => {
  it('reports an orphan child row as a DataError naming the tables and the row, never the value', () => {
    const error = thrown(() => fitRelationalModel(metadata, shop([1, 4242, 3, 4242])));
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).location).toEqual({ row: 2, column: 'customer_id' });
    expect(error.message).toContain('table "orders"');
    expect(error.message).toContain('table "customers"');
    expect(error.message).toContain('2 orphan row(s)');
    expect(error.message).not.toContain('4242');
  });

  it('drops orphans on request, with their own children, and counts them', () => {
    const model = fitRelationalModel(metadata, shop([1, 4242, 3, 2]), {
      orphans: 'drop',
      synthesizer: bootstrap,
    });
    expect(model.tables.orders?.orphansDropped).toBe(1);
    expect(model.tables.orders?.sampleRows).toBe(3);
    // Order 101 was the orphan; its one line goes with it.
    expect(model.tables.lines?.orphansDropped).toBe(1);
    expect(model.tables.lines?.sampleRows).toBe(5);
  });

  it('rejects a null reference to the primary parent, duplicate and null primary keys', () => {
    const nullRef = thrown(() => fitRelationalModel(metadata, shop([1, null, 3])));
    expect(nullRef).toBeInstanceOf(DataError);
    expect(nullRef.message).toContain('null reference to its primary parent "customers"');
    const duplicate = shop([1, 2, 3]);
    (values(duplicate.lines, 'n') as CellValue[])[4] = 1;
    const dup = thrown(() => fitRelationalModel(metadata, duplicate));
    expect(dup).toBeInstanceOf(DataError);
    expect((dup as DataError).location.row).toBe(5);
    expect(dup.message).toContain('table "lines": primary key (order_id, n)');
    const nullKey = shop([1, 2, 3]);
    (values(nullKey.customers, 'id') as CellValue[])[1] = null;
    expect(thrown(() => fitRelationalModel(metadata, nullKey)).message).toContain('primary key (id) is null');
  });

  it('names the table and column of a missing sample table or column (ConfigError with its path)', () => {
    const tables = shop([1, 2, 3]);
    const missingTable = thrown(() => fitRelationalModel(metadata, { customers: tables.customers as Table }));
    expect(missingTable).toBeInstanceOf(ConfigError);
    expect((missingTable as ConfigError).field).toBe('tables.orders');
    const renamed = { ...tables, orders: { ...(tables.orders as Table) } };
    renamed.orders.columns = renamed.orders.columns.map((c) =>
      c.name === 'customer_id' ? { ...c, name: 'cust' } : c,
    );
    const missingColumn = thrown(() => fitRelationalModel(metadata, renamed));
    expect((missingColumn as ConfigError).field).toBe('tables.orders.foreignKeys[0].columns[0]');
    expect(missingColumn.message).toContain('column "customer_id" is not in the sample of table "orders"');
    const extra = thrown(() => fitRelationalModel(metadata, { ...tables, extra: tables.customers as Table }));
    expect((extra as ConfigError).field).toBe('tables.extra');
  });

  it('matches keys by text, so an integer parent key and a text child key join, and copies keep the child type', () => {
    const tables = shop([1, 2, 3]);
    const orders = tables.orders as Table;
    orders.columns = orders.columns.map((c) =>
      c.name === 'customer_id' ? { ...c, type: 'string' as const, values: c.values.map(String) } : c,
    );
    const model = fitRelationalModel(metadata, tables, { synthesizer: bootstrap });
    const sample = sampleRelational(model, { seed: 1, rows: { customers: 50 }, synthesizer: bootstrap });
    expect(values(sample.tables.orders, 'customer_id').every((v) => typeof v === 'string')).toBe(true);
    expect(evaluateRelational(metadata, tables, sample.tables).referentialIntegrity).toBe(1);
  });
});

describe('key shapes', () => {
  it('keeps a one-to-one child at most one per parent, and a link table keyed by both parents unique', () => {
    const meta = {
      tables: {
        users: { primaryKey: 'id' },
        groups: { primaryKey: 'id' },
        profiles: {
          primaryKey: 'user_id',
          foreignKeys: [{ columns: 'user_id', references: { table: 'users' } }],
        },
        memberships: {
          primaryKey: ['user_id', 'group_id'],
          foreignKeys: [
            { columns: 'user_id', references: { table: 'users' } },
            { columns: 'group_id', references: { table: 'groups' } },
          ],
        },
      },
    };
    const users = Array.from({ length: 40 }, (_, i) => i + 1);
    const groups = [1, 2, 3, 4];
    const memberships = users.flatMap((u) => groups.slice(0, 1 + (u % 4)).map((g) => [u, g] as const));
    const tables = {
      users: table({ id: ['integer', users], age: ['integer', users.map((u) => 20 + u)] }),
      groups: table({ id: ['integer', groups], name: ['string', ['w', 'x', 'y', 'z']] }),
      profiles: table({
        user_id: ['integer', users.slice(0, 30)],
        bio_len: ['integer', users.slice(0, 30)],
      }),
      memberships: table({
        user_id: ['integer', memberships.map((m) => m[0])],
        group_id: ['integer', memberships.map((m) => m[1])],
        role: ['string', memberships.map((m) => (m[1] === 1 ? 'admin' : 'member'))],
      }),
    };
    const model = fitRelationalModel(meta, tables, { synthesizer: bootstrap });
    expect(model.tables.profiles?.oneToOne).toBe(true);
    expect(model.tables.memberships?.distinctReference).toBe(1);
    const sample = sampleRelational(model, { seed: 4, scale: 20, synthesizer: bootstrap });
    const evaluation = evaluateRelational(meta, tables, sample.tables);
    expect(evaluation.referentialIntegrity).toBe(1);
    expect(evaluation.duplicateKeys).toEqual({ users: 0, groups: 0, profiles: 0, memberships: 0 });
    expect(sample.rowCounts.profiles).toBeGreaterThan(0);
    expect(sample.rowCounts.profiles).toBeLessThanOrEqual(sample.rowCounts.users as number);
    expect(sample.rowCounts.memberships).toBeGreaterThan(0);
  });

  it('keeps the null share of an optional non-primary reference', () => {
    const meta = {
      tables: {
        customers: { primaryKey: 'id' },
        agents: { primaryKey: 'id' },
        tickets: {
          primaryKey: 'id',
          foreignKeys: [
            { columns: 'customer_id', references: { table: 'customers' } },
            { columns: 'agent_id', references: { table: 'agents' } },
          ],
        },
      },
    };
    const n = 400;
    const tables = {
      customers: table({ id: ['integer', Array.from({ length: 100 }, (_, i) => i)] }),
      agents: table({ id: ['string', ['A1', 'A2', 'A3']] }),
      tickets: table({
        id: ['integer', Array.from({ length: n }, (_, i) => i)],
        customer_id: ['integer', Array.from({ length: n }, (_, i) => i % 100)],
        agent_id: ['string', Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : `A${1 + (i % 3)}`))],
      }),
    };
    const model = fitRelationalModel(meta, tables, { synthesizer: bootstrap });
    const sample = sampleRelational(model, { seed: 8, scale: 10, synthesizer: bootstrap });
    const agents = values(sample.tables.tickets, 'agent_id');
    const nullShare = agents.filter((a) => a === null).length / agents.length;
    expect(nullShare).toBeGreaterThan(0.22);
    expect(nullShare).toBeLessThan(0.28);
    expect(evaluateRelational(meta, tables, sample.tables).referentialIntegrity).toBe(1);
  });

  it('rejects explicit conditioning on a sensitive or free-text parent column, and honours a numeric one', () => {
    const rng = createRng(3);
    const customers = Array.from({ length: 300 }, (_, i) => i + 1);
    const tables = {
      customers: table({
        id: ['integer', customers],
        email: ['string', customers.map((i) => `person${i}@example.com`)],
        income: ['integer', customers.map((i) => 1000 * (1 + (i % 50)))],
      }),
      orders: table({
        id: ['integer', customers.flatMap((c) => [c * 10, c * 10 + 1])],
        customer_id: ['integer', customers.flatMap((c) => [c, c])],
        amount: ['float', customers.flatMap((c) => [c % 50, (c % 50) + rng.nextDouble()])],
      }),
    };
    const meta = (conditionOn: string[]) => ({
      tables: {
        customers: { primaryKey: 'id' },
        orders: {
          primaryKey: 'id',
          foreignKeys: [{ columns: 'customer_id', references: { table: 'customers' }, conditionOn }],
        },
      },
    });
    const sensitive = thrown(() => fitRelationalModel(meta(['email']), tables));
    expect(sensitive).toBeInstanceOf(ConfigError);
    expect((sensitive as ConfigError).field).toBe('tables.orders.foreignKeys[0].conditionOn[0]');
    expect(sensitive.message).toContain('classified sensitive');
    const model = fitRelationalModel(meta(['income']), tables, { minStratumRows: 50 });
    const plan = model.tables.orders?.primaryParent;
    expect(plan?.explicit).toBe(true);
    expect(plan?.strata).toEqual([{ column: 'income', kind: 'bins', cuts: expect.any(Array) as unknown }]);
    expect(model.tables.orders?.models.length).toBeGreaterThan(1);
  });
});

describe('association measures', () => {
  it('give about 0 for independent and about 1 for fully dependent variables', () => {
    const rng = createRng(1);
    const n = 5000;
    const groups = Int32Array.from({ length: n }, () => rng.nextInt(4));
    const noise = Float64Array.from({ length: n }, () => rng.nextNormal());
    const dependent = Float64Array.from(groups, (g) => g * 10 + rng.nextNormal() * 0.1);
    expect(omegaSquared(noise, groups, 4)).toBeLessThan(0.005);
    expect(omegaSquared(dependent, groups, 4)).toBeGreaterThan(0.99);
    const other = Int32Array.from({ length: n }, () => rng.nextInt(3));
    expect(cramerVSquared(groups, 4, other, 3)).toBeLessThan(0.005);
    expect(cramerVSquared(groups, 4, groups, 4)).toBeGreaterThan(0.99);
  });
});
