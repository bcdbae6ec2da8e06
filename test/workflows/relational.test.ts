/**
 * Relational runs on a real dev server: the four related tables of examples/relational (customers →
 * orders → order_items, and products) synthesized together and loaded, in one run, into SQLite,
 * PostgreSQL and MariaDB (each a fresh database, tables created with their keys) in foreign-key order,
 * and into one CSV file per table. The sensitivity gate shows fields by table and takes table-qualified
 * overrides. Every database is reconciled: each table holds exactly the synthetic rows, no primary key
 * repeats, and no reference dangles. A config naming a table the metadata lacks fails by field.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PipelineInput, PipelineOutput } from '../../workflows/pipeline/contract.js';
import { queryDatabase, useTestDatabases, type TestDatabases } from '../support/databases.js';
import { recordHistory, recordingHistories } from '../support/record-history.js';
import { failureOf, startPipeline, useTestWorker, waitForStatus } from '../support/temporal.js';

const SOURCES = {
  customers: { uri: 'examples/relational/customers.csv' },
  products: { uri: 'examples/relational/products.csv' },
  orders: { uri: 'examples/relational/orders.csv' },
  order_items: { uri: 'examples/relational/order_items.csv' },
};

/** A relational config over examples/relational with the given targets. */
function relationalConfig(overrides: Partial<PipelineInput> = {}): PipelineInput {
  return {
    seed: 11,
    synthesizer: 'copula',
    relational: { metadata: 'examples/relational/metadata.json', sources: SOURCES, scale: 0.2 },
    gates: { sensitivity: { enabled: false }, quality: { enabled: false }, privacy: { enabled: false } },
    targets: [],
    ...overrides,
  } as PipelineInput;
}

/** A fresh database on the server of `url` (PostgreSQL or MariaDB), and its URL. */
async function freshDatabase(url: string): Promise<string> {
  const name = `rel_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await queryDatabase(url, `CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Rows, distinct primary keys and dangling references of every table, counted by the database itself. */
async function reconcile(url: string, baseDir: string): Promise<Record<string, number>> {
  const one = async (sql: string) =>
    Number(Object.values((await queryDatabase(url, sql, [], baseDir))[0] ?? {})[0]);
  return {
    customers: await one('SELECT COUNT(*) FROM customers'),
    customerKeys: await one('SELECT COUNT(DISTINCT customer_id) FROM customers'),
    products: await one('SELECT COUNT(*) FROM products'),
    orders: await one('SELECT COUNT(*) FROM orders'),
    orderKeys: await one('SELECT COUNT(DISTINCT order_id) FROM orders'),
    items: await one('SELECT COUNT(*) FROM order_items'),
    itemKeys: await one('SELECT COUNT(*) FROM (SELECT DISTINCT order_id, line_no FROM order_items) AS k'),
    orphanOrders: await one(
      'SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE c.customer_id IS NULL',
    ),
    orphanItems: await one(
      'SELECT COUNT(*) FROM order_items i LEFT JOIN orders o ON o.order_id = i.order_id WHERE o.order_id IS NULL',
    ),
    orphanProducts: await one(
      'SELECT COUNT(*) FROM order_items i LEFT JOIN products p ON p.product_id = i.product_id WHERE p.product_id IS NULL',
    ),
  };
}

describe('relational runs', () => {
  const t = useTestWorker();
  let dbs: TestDatabases;
  let dir: string;

  beforeAll(async () => {
    dbs = await useTestDatabases({ postgresUrl: inject('postgresUrl'), mariadbUrl: inject('mariadbUrl') });
    dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-relational-run-'));
  }, 180_000);
  afterAll(async () => {
    await dbs?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'synthesizes the set and loads it parents first into SQLite, PostgreSQL, MariaDB and per-table files',
    { timeout: 180_000 },
    async () => {
      const urls = [
        `sqlite://${path.join(dir, 'relational.db')}`,
        await freshDatabase(dbs.postgresUrl),
        ...(dbs.mariadbUrl ? [await freshDatabase(dbs.mariadbUrl)] : []),
      ];
      const handle = await startPipeline(
        t.env.client,
        t.worker.taskQueue,
        relationalConfig({
          gates: { sensitivity: { enabled: true }, quality: { enabled: false }, privacy: { enabled: true } },
          targets: [
            ...urls.map((url) => ({ type: 'database' as const, url, strategy: 'truncate_insert' as const })),
            { type: 'file', path: 'out/relational-run/{table}.csv' },
          ],
        }),
      );
      const status = await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'sensitivity');
      const fields = status.pendingApproval?.sensitivity ?? [];
      expect(fields.find((f) => f.name === 'customers.email')).toMatchObject({
        sensitive: true,
        type: 'email',
      });
      expect(fields.map((f) => f.name)).toEqual(
        expect.arrayContaining(['orders.channel', 'order_items.quantity']),
      );
      await handle.signal('approve', {
        gate: 'sensitivity',
        by: 'dana',
        approvalId: 'rel-1',
        overrides: [{ column: 'customers.first_name', sensitive: true, kind: 'first_name' }],
      });
      // The privacy gate judges every table. Keys are identifiers and no fake carries a sample value, but
      // customers has three low-cardinality columns, so nearly every synthetic row matches some real row
      // within NewRowSynthesis' tolerance: the gate names that table's threshold and waits for a person.
      const gated = await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'privacy');
      const failures = gated.metrics.privacyGate?.failures ?? [];
      expect(failures.map((f) => f.metric)).toContain('customers.maxExactCopyRate');
      expect(
        failures.every((f) => /^(customers|products|orders|order_items)\.maxExactCopyRate$/.test(f.metric)),
      ).toBe(true);
      await handle.signal('approve', {
        gate: 'privacy',
        by: 'dana',
        comment: 'low-cardinality tables',
        approvalId: 'rel-2',
      });
      const result = (await handle.result()) as PipelineOutput;
      expect(result.status).toBe('completed');
      if (recordingHistories) await recordHistory(handle.workflowId, 'relational');

      const rel = result.metrics.relational;
      expect(rel?.referentialIntegrity).toBe(1);
      expect(rel?.duplicateKeys).toBe(0);
      const rows = Object.fromEntries(
        Object.entries(rel?.tables ?? {}).map(([name, m]) => [name, m.syntheticRows ?? -1]),
      );
      expect(rows.customers).toBe(400);
      expect(rows.products).toBe(60);
      expect(rows.orders).toBeGreaterThan(500);
      expect(rows.order_items).toBeGreaterThan(rows.orders!);
      expect(result.metrics.syntheticRows).toBe(Object.values(rows).reduce((a, b) => a + b, 0));
      for (const name of ['customers', 'products', 'orders', 'order_items'])
        expect(rel?.tables[name]?.qualityScore).toBeGreaterThan(0.6);

      const targets = result.metrics.targets ?? {};
      for (const [i, url] of urls.entries()) {
        for (const name of ['customers', 'products', 'orders', 'order_items'])
          expect(targets[`targets[${i}] ${name}`], `${name} in targets[${i}]`).toMatchObject({
            loaded: rows[name],
            skipped: 0,
            failed: 0,
          });
        const counts = await reconcile(url, t.worker.outputRoot);
        expect(counts, url.split(':')[0]).toEqual({
          customers: rows.customers,
          customerKeys: rows.customers,
          products: rows.products,
          orders: rows.orders,
          orderKeys: rows.orders,
          items: rows.order_items,
          itemKeys: rows.order_items,
          orphanOrders: 0,
          orphanItems: 0,
          orphanProducts: 0,
        });
      }
      const fileIndex = urls.length;
      for (const name of ['customers', 'products', 'orders', 'order_items']) {
        const csv = await readFile(path.join(t.worker.outputRoot, `out/relational-run/${name}.csv`), 'utf8');
        expect(csv.trimEnd().split('\n')).toHaveLength(rows[name]! + 1);
        expect(targets[`targets[${fileIndex}] ${name}`]).toMatchObject({ loaded: rows[name] });
      }
      const report = await readFile(result.artifacts.reportMarkdown!.replace(/^file:\/\//, ''), 'utf8');
      expect(report).toMatch(/## Tables/);
      expect(report).toMatch(/referential integrity 100\.0%/);
      expect(report).toMatch(/\| customers\.first_name \| first_name \|.*override by dana/);
    },
  );

  it("continues as new between tables and keeps every table's results", { timeout: 180_000 }, async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      relationalConfig({
        maxChunksPerRun: 3,
        gates: { sensitivity: { enabled: true }, quality: { enabled: false }, privacy: { enabled: false } },
        relational: {
          metadata: 'examples/relational/metadata.json',
          sources: SOURCES,
          scale: 0.05,
        },
        targets: [
          { type: 'database', url: `sqlite://${path.join(dir, 'continued.db')}`, strategy: 'append' },
        ],
      } as Partial<PipelineInput>),
    );
    // The gate shows the fields of every table, also those classified before a continue-as-new.
    const gate = await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'sensitivity');
    expect(gate.continuedAsNew).toBeGreaterThanOrEqual(3);
    expect(gate.pendingApproval?.sensitivity).toHaveLength(19);
    await handle.signal('approve', { gate: 'sensitivity', by: 'erin' });
    const result = (await handle.result()) as PipelineOutput;
    const status = await handle.query('status');
    expect((status as { continuedAsNew: number }).continuedAsNew).toBeGreaterThanOrEqual(4);
    const tables = result.metrics.relational?.tables ?? {};
    expect(Object.keys(tables).sort()).toEqual(['customers', 'order_items', 'orders', 'products']);
    for (const [name, m] of Object.entries(tables)) {
      expect(m.syntheticRows, name).toBeGreaterThan(0);
      expect(result.metrics.targets?.[`targets[0] ${name}`]?.loaded, name).toBe(m.syntheticRows);
    }
    const report = JSON.parse(
      await readFile(result.artifacts.reportJson!.replace(/^file:\/\//, ''), 'utf8'),
    ) as { sensitivity: { column: string }[] };
    expect(report.sensitivity).toHaveLength(19);
    expect(result.metrics.sensitiveColumns).toEqual(expect.arrayContaining(['customers.email']));
  });

  it('reports a failing target and still loads the others', async () => {
    const url = `sqlite://${path.join(dir, 'others.db')}`;
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      relationalConfig({
        relational: { metadata: 'examples/relational/metadata.json', sources: SOURCES, scale: 0.05 },
        targets: [
          { type: 'rest', name: 'blocked', url: 'http://blocked.example.invalid/orders', table: 'orders' },
          { type: 'database', url, strategy: 'truncate_insert' },
        ],
      } as Partial<PipelineInput>),
    );
    const result = (await handle.result()) as PipelineOutput;
    const targets = result.metrics.targets ?? {};
    expect(targets['targets[0] blocked']?.error).toMatch(/allow/i);
    const orders = result.metrics.relational?.tables.orders?.syntheticRows;
    expect(targets['targets[1] orders']).toMatchObject({ loaded: orders, skipped: 0 });
    expect((await queryDatabase(url, 'SELECT COUNT(*) AS n FROM orders'))[0]?.n).toBe(orders);
  });

  it('fails at once when a REST target names a table the metadata does not have', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      relationalConfig({
        targets: [{ type: 'rest', url: 'http://127.0.0.1:9/x', table: 'invoices' }],
      }),
    );
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ConfigError');
    expect(failure.message).toMatch(/targets\[0\]\.table: is not a table of the metadata file/);
  });

  it('fails at once when a database target maps a table the metadata does not have', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      relationalConfig({
        targets: [
          { type: 'database', url: 'sqlite:never-written.db', tables: { invoices: { table: 'inv' } } },
        ],
      }),
    );
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ConfigError');
    expect(failure.message).toMatch(/targets\[0\]\.tables\.invoices: is not a table of the metadata file/);
  });

  it('fails by field when a source names a table the metadata does not have', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      relationalConfig({
        relational: {
          metadata: 'examples/relational/metadata.json',
          sources: { ...SOURCES, invoices: { uri: 'examples/relational/orders.csv' } },
        },
      } as Partial<PipelineInput>),
    );
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ConfigError');
    expect(failure.message).toMatch(/relational\.sources\.invoices: is not a table of the metadata file/);
  });
});
