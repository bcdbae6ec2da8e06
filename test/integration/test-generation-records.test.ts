/**
 * Choosing records for data references from a loaded database (SQLite file, embedded PostgreSQL,
 * MariaDB when installed), loaded by the real database target: the chosen row matches the
 * filters, is row `hash(seed, scenario, alias) mod count` in key order, is the same on every call
 * and for every framework of a scenario, comes back as RecordValues, and a reference that matches
 * nothing is unresolved with a reason naming table and columns, never values.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../core/scenarios/index.js';
import type { Table } from '../../core/table.js';
import {
  buildTestCases,
  recordOffset,
  renderTest,
  type DataReference,
  type TableInfo,
  type TestCase,
} from '../../core/testing/index.js';
import { chooseRecords } from '../../integrations/test-generation/index.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const { urlFor, open } = useDialectTargets('records.db');

const SEGMENTS = ['enterprise', 'consumer', 'smb'];
const ROWS = 60;

function customers(): Table {
  const ids = Array.from({ length: ROWS }, (_, i) => i);
  return {
    rowCount: ROWS,
    columns: [
      // Keys out of insertion order, so "key order" is not "insertion order".
      {
        name: 'customer_id',
        type: 'string',
        values: ids.map((i) => `CUST-${String((i * 37) % ROWS).padStart(3, '0')}`),
      },
      { name: 'segment', type: 'string', values: ids.map((i) => SEGMENTS[i % 3]!) },
      { name: 'credit_score', type: 'integer', values: ids.map((i) => 500 + i * 7) },
      { name: 'is_active', type: 'boolean', values: ids.map((i) => i % 4 !== 0) },
      {
        name: 'email',
        type: 'string',
        values: ids.map((i) => (i % 5 === 0 ? null : `user${i}@example.com`)),
      },
      {
        name: 'notes',
        type: 'string',
        values: ids.map((i) => (i % 6 === 0 ? `50% off, case ${i}` : `note_${i}`)),
      },
      { name: 'signup_date', type: 'date', values: ids.map((i) => `2023-0${1 + (i % 9)}-1${i % 10}`) },
      {
        name: 'seen_at',
        type: 'timestamp',
        values: ids.map((i) => new Date(Date.UTC(2024, 0, 1, 12) + i * 60_000).toISOString()),
      },
      { name: 'balance', type: 'float', values: ids.map((i) => i / 4) },
    ],
  };
}

function orders(customerIds: readonly string[]): Table {
  return {
    rowCount: customerIds.length * 2,
    columns: [
      { name: 'order_id', type: 'integer', values: customerIds.flatMap((_, i) => [2 * i + 1, 2 * i + 2]) },
      { name: 'customer_id', type: 'string', values: customerIds.flatMap((c) => [c, c]) },
      { name: 'total', type: 'float', values: customerIds.flatMap((_, i) => [i, i + 0.5]) },
    ],
  };
}

/** Rows of `table` as objects, for computing the expected choice in the test itself. */
function rowsOf(table: Table): Record<string, unknown>[] {
  return Array.from({ length: table.rowCount }, (_, r) =>
    Object.fromEntries(table.columns.map((c) => [c.name, c.values[r]])),
  );
}

async function load(url: string, name: string, table: Table, primaryKey: string[]): Promise<void> {
  const target = open(url);
  const runId = `run-${randomUUID()}`;
  const schema = { columns: table.columns.map((c) => ({ name: c.name, type: c.type })) };
  await target.ensureTable(name, schema, { primaryKey });
  await target.acquireLease({ runId, table: name, token: 't' });
  await target.prepareLoad({ runId, table: name, token: 't', strategy: 'append' });
  await target.loadBatch({ runId, table: name, token: 't', batchId: 'b1', rows: table });
}

function scenario(id: string, preconditions: string[]): Scenario {
  return {
    id,
    title: id,
    labels: [],
    preconditions,
    steps: [{ action: 'GET /api/customers/{customer.customer_id}', expected: 'Status 200' }],
    expectedResults: [],
    source: { kind: 'file', location: 'x' },
    problems: [],
  };
}

describe.each(DIALECTS)('record lookup on %s', (dialect) => {
  it('chooses a matching row deterministically, in key order, shared by the frameworks of a scenario', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const name = `customers_${randomUUID().slice(0, 8)}`;
    const data = customers();
    await load(url, name, data, ['customer_id']);
    const tables: TableInfo[] = [
      {
        name,
        columns: data.columns.map((c) => ({
          name: c.name,
          type: c.type,
          ...(c.name === 'segment' ? { categories: SEGMENTS } : {}),
        })),
      },
    ];
    // The alias is the table name's singular: give the precondition the explicit form.
    const built = buildTestCases(
      [
        scenario('REC-1', [
          `customer: ${name} where segment = "enterprise" and credit_score > 600 and is_active = true`,
        ]),
        scenario('REC-2', [`customer: ${name} where notes containing "50%"`]),
        scenario('REC-3', [`customer: ${name} where email is empty`]),
      ],
      { frameworks: ['playwright', 'api'], tables },
    );
    expect(built.problems).toEqual([]);
    expect(built.cases).toHaveLength(6);

    const seed = 1234;
    const chosen = await chooseRecords(built.cases, { url, seed, tables });
    const again = await chooseRecords(built.cases, { url, seed, tables });
    expect(again).toEqual(chosen);

    const rows = rowsOf(data).sort((a, b) =>
      String(a['customer_id']).localeCompare(String(b['customer_id'])),
    );
    const expectRecord = (c: TestCase, match: (r: Record<string, unknown>) => boolean): void => {
      const matching = rows.filter(match);
      const ref = c.dataReferences[0]!;
      expect(ref.unresolved).toBeUndefined();
      const expected = matching[recordOffset(seed, c.scenarioId, 'customer', matching.length)]!;
      expect(ref.record?.['customer_id']).toBe(expected['customer_id']);
    };
    const [p1, a1, p2, a2, p3] = chosen as [TestCase, TestCase, TestCase, TestCase, TestCase, TestCase];
    expectRecord(
      p1,
      (r) => r['segment'] === 'enterprise' && Number(r['credit_score']) > 600 && r['is_active'] === true,
    );
    expectRecord(p2, (r) => String(r['notes']).toLowerCase().includes('50%'));
    expectRecord(p3, (r) => r['email'] === null);
    // Both frameworks of a scenario use the same record.
    expect(a1.dataReferences).toEqual(p1.dataReferences);
    expect(a2.dataReferences).toEqual(p2.dataReferences);

    // Values come back as RecordValues, whatever the dialect stores.
    const record = p1.dataReferences[0]!.record!;
    const source = rows.find((r) => r['customer_id'] === record['customer_id'])!;
    expect(record).toEqual({
      customer_id: source['customer_id'],
      segment: 'enterprise',
      credit_score: source['credit_score'],
      is_active: true,
      email: source['email'],
      notes: source['notes'],
      signup_date: source['signup_date'],
      seen_at: source['seen_at'],
      balance: source['balance'],
    });

    // The record reaches the generated test.
    const generated = renderTest(p1);
    expect(generated.skipReason).toBeUndefined();
    expect(generated.content).toContain(`api('/api/customers/${String(record['customer_id'])}')`);
  });

  it('changes the choice with the seed, but only among matching rows', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const name = `customers_${randomUUID().slice(0, 8)}`;
    await load(url, name, customers(), ['customer_id']);
    const reference: DataReference = {
      alias: 'customer',
      table: name,
      filters: [{ column: 'segment', op: 'ne', value: 'smb' }],
      description: 'x',
    };
    const testCase: TestCase = {
      id: 'R--api',
      scenarioId: 'R',
      scenarioTitle: 'R',
      framework: 'api',
      dataReferences: [reference],
      steps: [],
      stepSources: [],
    };
    const picks = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const [c] = await chooseRecords([testCase], { url, seed });
      const record = c!.dataReferences[0]!.record!;
      expect(record['segment']).not.toBe('smb');
      picks.add(String(record['customer_id']));
    }
    expect(picks.size).toBeGreaterThan(3);
  });

  it('resolves a reference through an earlier one, and reports what matches nothing without values', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const suffix = randomUUID().slice(0, 8);
    const customerTable = `customers_${suffix}`;
    const orderTable = `orders_${suffix}`;
    const data = customers();
    await load(url, customerTable, data, ['customer_id']);
    const ids = rowsOf(data).map((r) => String(r['customer_id']));
    await load(url, orderTable, orders(ids.slice(0, 10)), ['order_id']);
    const testCase: TestCase = {
      id: 'R2--api',
      scenarioId: 'R2',
      scenarioTitle: 'R2',
      framework: 'api',
      dataReferences: [
        {
          alias: 'customer',
          table: customerTable,
          filters: [{ column: 'customer_id', op: 'eq', value: ids[3]! }],
          description: 'x',
        },
        {
          alias: 'order',
          table: orderTable,
          filters: [{ column: 'customer_id', op: 'eq', value: '{customer.customer_id}' }],
          description: 'an order of that customer',
        },
        {
          alias: 'nobody',
          table: customerTable,
          filters: [
            { column: 'segment', op: 'eq', value: 'zq-secret-segment' },
            { column: 'credit_score', op: 'gt', value: 0 },
          ],
          description: 'y',
        },
        { alias: 'missing', table: `absent_${suffix}`, filters: [], description: 'z' },
        {
          alias: 'badcolumn',
          table: customerTable,
          filters: [{ column: 'shoe_size', op: 'eq', value: 1 }],
          description: 'w',
        },
      ],
      steps: [],
      stepSources: [],
    };
    const [c] = await chooseRecords([testCase], { url, seed: 5 });
    const [customer, order, nobody, missing, badcolumn] = c!.dataReferences;
    expect(customer?.record?.['customer_id']).toBe(ids[3]);
    expect(order?.record?.['customer_id']).toBe(ids[3]);
    expect([7, 8]).toContain(order?.record?.['order_id']);
    expect(nobody?.record).toBeUndefined();
    expect(nobody?.unresolved).toBe(
      `no row of ${customerTable} matches the filters on segment, credit_score`,
    );
    expect(missing?.unresolved).toBe(`table absent_${suffix} is not in the loaded database`);
    expect(badcolumn?.unresolved).toBe(`table ${customerTable} has no column shoe_size`);
    expect(JSON.stringify(c)).not.toMatch(/unresolved":"[^"]*zq-secret/);
  });
});
