import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { parseRelationalMetadata, targetNaming } from '../../core/relational/index.js';

const METADATA = {
  tables: {
    customers: { primaryKey: 'customer_id' },
    orders: {
      primaryKey: 'order_id',
      foreignKeys: [{ columns: 'customer_id', references: { table: 'customers' }, conditionOn: ['segment'] }],
    },
  },
};
const COLUMNS = {
  customers: ['customer_id', 'email', 'segment'],
  orders: ['order_id', 'customer_id', 'amount'],
};

function refusal(mapping: Parameters<typeof targetNaming>[2]): {
  field: string | undefined;
  message: string;
} {
  try {
    targetNaming(METADATA, COLUMNS, mapping, 'targets[0].tables');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { field: (err as ConfigError).field, message: (err as ConfigError).message };
  }
  throw new Error('expected a ConfigError');
}

describe('targetNaming', () => {
  it('renames tables, columns and keys, leaves out null columns and keeps the rest as they are', () => {
    const naming = targetNaming(
      METADATA,
      COLUMNS,
      {
        customers: { table: 'Client', columns: { customer_id: 'id', email: null } },
        orders: { columns: { customer_id: 'client_id' } },
      },
      'targets[0].tables',
    );
    expect(naming.tables).toEqual({
      customers: {
        table: 'Client',
        columns: [
          { from: 'customer_id', to: 'id' },
          { from: 'segment', to: 'segment' },
        ],
      },
      orders: {
        table: 'orders',
        columns: [
          { from: 'order_id', to: 'order_id' },
          { from: 'customer_id', to: 'client_id' },
          { from: 'amount', to: 'amount' },
        ],
      },
    });
    expect(naming.metadata).toEqual({
      tables: {
        Client: { primaryKey: ['id'], foreignKeys: [] },
        orders: {
          primaryKey: ['order_id'],
          foreignKeys: [
            { columns: ['client_id'], references: { table: 'Client', columns: ['id'] }, conditionOn: [] },
          ],
        },
      },
    });
    // The renamed metadata is valid metadata, in the same order.
    expect(parseRelationalMetadata(naming.metadata).order).toEqual(['Client', 'orders']);
  });

  it('without a mapping, is the metadata as it is', () => {
    const naming = targetNaming(METADATA, COLUMNS, {}, 'targets[0].tables');
    expect(naming.tables.orders?.columns.map((c) => c.to)).toEqual(COLUMNS.orders);
    expect(parseRelationalMetadata(naming.metadata).foreignKeys.get('orders')?.[0]).toMatchObject({
      parent: 'customers',
      columns: ['customer_id'],
      parentColumns: ['customer_id'],
    });
  });

  it.each([
    [{ shipments: { table: 'x' } }, 'targets[0].tables.shipments', 'is not a table of the metadata file'],
    [{ orders: { table: '../orders' } }, 'targets[0].tables.orders.table', 'not a path'],
    [{ orders: { table: '..' } }, 'targets[0].tables.orders.table', 'not a path'],
    [{ orders: { table: 'a\\b' } }, 'targets[0].tables.orders.table', 'not a path'],
    [
      { orders: { table: 'customers' } },
      'targets[0].tables.orders.table',
      'loads into the same table as "customers"',
    ],
    [
      { orders: { columns: { amuont: 'total' } } },
      'targets[0].tables.orders.columns.amuont',
      'is not a column',
    ],
    [
      { orders: { columns: { customer_id: null } } },
      'targets[0].tables.orders.columns.customer_id',
      'key column',
    ],
    [
      { customers: { columns: { customer_id: null } } },
      'targets[0].tables.customers.columns.customer_id',
      'key column',
    ],
    [
      { orders: { columns: { amount: 'order_id' } } },
      'targets[0].tables.orders.columns.amount',
      'same column as "order_id"',
    ],
    [
      { customers: { columns: { customer_id: null, email: null, segment: null } } },
      'targets[0].tables.customers.columns',
      'every column',
    ],
  ] as const)('refuses %j by field', (mapping, field, message) => {
    const refused = refusal(mapping as Parameters<typeof targetNaming>[2]);
    expect(refused.field).toBe(field);
    expect(refused.message).toContain(message);
  });
});
