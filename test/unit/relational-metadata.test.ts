import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import {
  findCycle,
  parseRelationalMetadata,
  validateRelationalMetadata,
} from '../../core/relational/index.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const shop = {
  tables: {
    customers: { primaryKey: 'customer_id' },
    orders: {
      primaryKey: ['order_id'],
      foreignKeys: [{ columns: 'customer_id', references: { table: 'customers' } }],
    },
    order_items: {
      primaryKey: ['order_id', 'line_no'],
      foreignKeys: [
        { columns: ['order_id'], references: { table: 'orders', columns: ['order_id'] } },
        { columns: 'product_id', references: { table: 'products' } },
      ],
    },
    products: { primaryKey: 'product_id' },
  },
};

describe('relational metadata', () => {
  it('normalises single-column keys and orders tables parents first, ties by name', () => {
    const resolved = parseRelationalMetadata(shop);
    expect(resolved.metadata.tables.customers?.primaryKey).toEqual(['customer_id']);
    expect(resolved.order).toEqual(['customers', 'orders', 'products', 'order_items']);
    const fks = resolved.foreignKeys.get('order_items') ?? [];
    expect(fks.map((fk) => [fk.parent, fk.columns, fk.parentColumns, fk.primary])).toEqual([
      ['orders', ['order_id'], ['order_id'], true],
      ['products', ['product_id'], ['product_id'], false],
    ]);
  });

  it('prefers the foreign key inside the primary key as primary, and honours an explicit one', () => {
    const metadata = structuredClone(shop);
    metadata.tables.order_items.foreignKeys.reverse();
    const owned = parseRelationalMetadata(metadata).foreignKeys.get('order_items') ?? [];
    expect(owned.find((fk) => fk.primary)?.parent).toBe('orders');
    const explicit = structuredClone(metadata) as typeof metadata & {
      tables: { order_items: { foreignKeys: { primary?: boolean }[] } };
    };
    (explicit.tables.order_items.foreignKeys[0] as { primary?: boolean }).primary = true;
    const chosen = parseRelationalMetadata(explicit).foreignKeys.get('order_items') ?? [];
    expect(chosen.find((fk) => fk.primary)?.parent).toBe('products');
  });

  it('names the exact path of a schema problem', () => {
    const error = configError(() =>
      parseRelationalMetadata({
        tables: { a: { primaryKey: [], foreignKeys: [{ columns: 'x', references: {} }] } },
      }),
    );
    expect(error.field).toBe('tables.a.primaryKey');
    expect(error.message).toContain('tables.a.foreignKeys[0].references.table');
    const result = validateRelationalMetadata({ tables: { a: { primaryKey: 'id', extra: 1 } } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.field).toBe('tables.a');
  });

  it('rejects a reference to a missing parent table, naming both tables', () => {
    const metadata = structuredClone(shop) as { tables: Record<string, unknown> };
    delete metadata.tables.products;
    const error = configError(() => parseRelationalMetadata(metadata));
    expect(error.field).toBe('tables.order_items.foreignKeys[1].references.table');
    expect(error.message).toContain('"order_items"');
    expect(error.message).toContain('"products"');
  });

  it('rejects a foreign key to non-key columns and a column-count mismatch', () => {
    const nonKey = {
      tables: {
        customers: { primaryKey: 'customer_id' },
        orders: { foreignKeys: [{ columns: 'email', references: { table: 'customers', columns: 'email' } }] },
      },
    };
    const error = configError(() => parseRelationalMetadata(nonKey));
    expect(error.field).toBe('tables.orders.foreignKeys[0].references.columns');
    expect(error.message).toContain('(email)');
    expect(error.message).toContain('not its primary key (customer_id)');

    const mismatch = {
      tables: {
        a: { primaryKey: ['k1', 'k2'] },
        b: { foreignKeys: [{ columns: 'k1', references: { table: 'a' } }] },
      },
    };
    expect(configError(() => parseRelationalMetadata(mismatch)).field).toBe(
      'tables.b.foreignKeys[0].columns',
    );

    const noKey = {
      tables: { a: {}, b: { foreignKeys: [{ columns: 'a_id', references: { table: 'a' } }] } },
    };
    expect(configError(() => parseRelationalMetadata(noKey)).message).toContain('has no primaryKey');
  });

  it('rejects cycles, naming the tables of the cycle in order', () => {
    const cyclic = {
      tables: {
        a: { primaryKey: 'id', foreignKeys: [{ columns: 'b_id', references: { table: 'b' } }] },
        b: { primaryKey: 'id', foreignKeys: [{ columns: 'c_id', references: { table: 'c' } }] },
        c: { primaryKey: 'id', foreignKeys: [{ columns: 'a_id', references: { table: 'a' } }] },
        d: { primaryKey: 'id' },
      },
    };
    const error = configError(() => parseRelationalMetadata(cyclic));
    expect(error.message).toContain('a → b → c → a');
    expect(error.field).toBe('tables.a.foreignKeys[0]');

    const selfReference = {
      tables: {
        employees: {
          primaryKey: 'id',
          foreignKeys: [{ columns: 'manager_id', references: { table: 'employees' } }],
        },
      },
    };
    expect(configError(() => parseRelationalMetadata(selfReference)).message).toContain(
      'employees → employees',
    );
  });

  it('finds no cycle in a diamond and one in a graph with a back edge', () => {
    const diamond = new Map([
      ['d', ['b', 'c']],
      ['b', ['a']],
      ['c', ['a']],
    ]);
    expect(findCycle(['a', 'b', 'c', 'd'], diamond)).toBeUndefined();
    const withBackEdge = new Map([...diamond, ['a', ['d']]]);
    expect(findCycle(['a', 'b', 'c', 'd'], withBackEdge)).toEqual(['a', 'd', 'b', 'a']);
  });

  it('rejects two primary foreign keys, a column in two foreign keys and conditioning on key columns', () => {
    const base = { a: { primaryKey: 'id' }, b: { primaryKey: 'id' } };
    const twoPrimaries = {
      tables: {
        ...base,
        c: {
          foreignKeys: [
            { columns: 'a_id', references: { table: 'a' }, primary: true },
            { columns: 'b_id', references: { table: 'b' }, primary: true },
          ],
        },
      },
    };
    expect(configError(() => parseRelationalMetadata(twoPrimaries)).field).toBe(
      'tables.c.foreignKeys[1].primary',
    );
    const shared = {
      tables: {
        ...base,
        c: {
          foreignKeys: [
            { columns: 'x', references: { table: 'a' } },
            { columns: 'x', references: { table: 'b' } },
          ],
        },
      },
    };
    expect(configError(() => parseRelationalMetadata(shared)).message).toContain('column "x" of table "c"');
    const onKey = {
      tables: {
        ...base,
        c: { foreignKeys: [{ columns: 'a_id', references: { table: 'a' }, conditionOn: ['id'] }] },
      },
    };
    expect(configError(() => parseRelationalMetadata(onKey)).field).toBe(
      'tables.c.foreignKeys[0].conditionOn[0]',
    );
    const onSecondary = {
      tables: {
        ...base,
        c: {
          foreignKeys: [
            { columns: 'a_id', references: { table: 'a' } },
            { columns: 'b_id', references: { table: 'b' }, conditionOn: ['name'] },
          ],
        },
      },
    };
    expect(configError(() => parseRelationalMetadata(onSecondary)).field).toBe(
      'tables.c.foreignKeys[1].conditionOn',
    );
  });
});
