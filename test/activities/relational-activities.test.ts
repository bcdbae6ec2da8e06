/**
 * The relational activities (activities/relational.ts) run one by one in a MockActivityEnvironment on the
 * four related tables of examples/relational (customers → orders → order_items, and products), at 5 % of
 * their size: planRelationalRun refuses a config that does not match its metadata by field and orders the
 * tables parents first; synthesizeTables is safe to run twice and resumes from the parts an earlier
 * attempt finished with byte-identical parts; the synthetic set has no dangling reference and no repeated
 * key; loadDatabaseTables loads the set into SQLite, PostgreSQL and MariaDB (a fresh database per test),
 * skips everything when duplicated, resumes after a cancellation inside a table without loading a row
 * twice, and refuses replace_swap across foreign keys before writing anything. Each database is
 * reconciled by the database itself (counts, distinct keys, orphans) and against the synthetic parts
 * (the set of (key, row)).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createPipelineActivities, type PipelineActivities } from '../../activities/index.js';
import type { LoadDatabaseTablesInput, SynthesizeTablesOutput } from '../../activities/relational.js';
import type { Table } from '../../core/table.js';
import { createArtifactStore, type ArtifactStore } from '../../integrations/storage/index.js';
import { readTableFile } from '../../integrations/tabular/index.js';
import type { DatabaseTargetConfig } from '../../workflows/pipeline/config-schema.js';
import { queryDatabase, readRowsAsText } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const METADATA = 'examples/relational/metadata.json';
const SOURCES: Record<string, string> = {
  customers: 'examples/relational/customers.csv',
  products: 'examples/relational/products.csv',
  orders: 'examples/relational/orders.csv',
  order_items: 'examples/relational/order_items.csv',
};
const TABLES = ['customers', 'products', 'orders', 'order_items'] as const;
const KEYS: Record<string, string[]> = {
  customers: ['customer_id'],
  products: ['product_id'],
  orders: ['order_id'],
  order_items: ['order_id', 'line_no'],
};
const SCALE = 0.05;
const SEED = 5;
const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];

const { urlFor, onTeardown } = useDialectTargets('relational-activities.db');

/** An activity environment whose expected failures are not logged as warnings. */
function mockEnv(attempt = 1): MockActivityEnvironment {
  return new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') });
}

/** MockActivityEnvironment.run with the activity's own input and output types. */
function run<I, O>(env: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return env.run(fn, input) as Promise<O>;
}

/** The failure an activity rejected with (the test fails when it resolved). */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('the activity resolved; a failure was expected');
    },
    (err: unknown) => err,
  );
}

/** Expects a non-retryable ConfigError failure naming `field` (in its details and its message). */
function expectConfigFailure(err: unknown, field: string): void {
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.type).toBe('ConfigError');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.details).toEqual([{ field }]);
  expect(failure.message).toContain(field);
}

const sha256 = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** The artifact store's files under a parts prefix: `part-*.parquet` and `part-*.meta.json`, sorted. */
async function partFiles(store: ArtifactStore, partsPrefix: string): Promise<string[]> {
  return (await store.list(`${partsPrefix}/`)).filter((u) => /\/part-\d+\.(parquet|meta\.json)$/.test(u));
}

/** A cell as every dialect's text form compares: numbers as numbers, dates as their day. */
function canonical(value: unknown, type: string): string {
  if (value === null || value === undefined) return '∅';
  if (type === 'integer') return String(Number(value));
  if (type === 'float') return Number(value).toPrecision(12);
  if (type === 'date') return String(value).slice(0, 10);
  return String(value);
}

/** Every row of a table as `key|row`, sorted: what reconciliation compares. */
function keyedRows(table: Table, key: readonly string[], rows: readonly (readonly unknown[])[]): string[] {
  return rows
    .map((r) => {
      const cells = r.map((v, i) => canonical(v, table.columns[i]?.type ?? 'string'));
      const k = key.map((c) => cells[table.columns.findIndex((col) => col.name === c)]).join('/');
      return `${k}|${JSON.stringify(cells)}`;
    })
    .sort();
}

describe('relational activities (MockActivityEnvironment)', () => {
  let acts: PipelineActivities;
  let store: ArtifactStore;
  let work: string;
  const runKey = `relational-activities/${randomUUID().slice(0, 8)}`;
  let segments: Record<string, string>;
  let metadataUri: string;
  let modelUri: string;
  let samples: Record<string, string>;
  let sensitivity: Record<string, string>;
  let synthetic: SynthesizeTablesOutput;
  /** Every synthetic table read back from its parts, in part order. */
  const syntheticRows: Record<string, Table> = {};

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'understudy-rel-act-'));
    store = createArtifactStore({ root: path.join(work, 'artifacts') });
    acts = createPipelineActivities({
      store,
      baseDir: repoRoot,
      outputRoot: path.join(work, 'output'),
      connectionUrl: () => undefined,
    });
    const env = mockEnv();
    const plan = await run(env, acts.planRelationalRun, {
      runKey,
      metadata: METADATA,
      sources: Object.keys(SOURCES),
      rows: [],
    });
    segments = plan.segments;
    metadataUri = plan.metadataUri;
    samples = {};
    sensitivity = {};
    const profiles: Record<string, string> = {};
    for (const table of plan.order) {
      const tableRunKey = `${runKey}/tables/${segments[table] as string}`;
      const ingest = await run(env, acts.ingestSource, {
        runKey: tableRunKey,
        source: { uri: SOURCES[table] as string },
      });
      const profile = await run(env, acts.profileSample, {
        runKey: tableRunKey,
        sampleUri: ingest.sampleUri,
      });
      const classify = await run(env, acts.classifySample, {
        runKey: tableRunKey,
        sampleUri: ingest.sampleUri,
        profileUri: profile.profileUri,
        tableName: table,
      });
      samples[table] = ingest.sampleUri;
      profiles[table] = profile.profileUri;
      sensitivity[table] = classify.sensitivityUri;
    }
    const fit = await run(env, acts.fitRelational, {
      runKey,
      metadataUri,
      tables: Object.fromEntries(
        plan.order.map((t) => [
          t,
          {
            sampleUri: samples[t] as string,
            profileUri: profiles[t] as string,
            sensitivityUri: sensitivity[t] as string,
          },
        ]),
      ),
      synthesizer: 'copula',
      orphans: 'error',
    });
    modelUri = fit.modelUri;
    synthetic = await run(env, acts.synthesizeTables, synthesizeInput(runKey));
    for (const table of TABLES) {
      const parts = synthetic.tables[table];
      if (parts === undefined) throw new Error(`no synthetic parts for ${table}`);
      const uris = (await partFiles(store, parts.partsPrefix)).filter((u) => u.endsWith('.parquet'));
      const blocks = await Promise.all(
        uris.map(async (u) => readTableFile(await store.localCopy(u), 'parquet')),
      );
      const first = blocks[0];
      if (first === undefined) throw new Error(`no part files for ${table}`);
      syntheticRows[table] = {
        rowCount: blocks.reduce((n, b) => n + b.rowCount, 0),
        columns: first.columns.map((c, i) => ({
          ...c,
          values: blocks.flatMap((b) => b.columns[i]?.values ?? []),
        })),
      };
    }
  }, 300_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** synthesizeTables' input for the fitted model under `key` (another key: another set of parts). */
  function synthesizeInput(key: string) {
    return { runKey: key, modelUri, seed: SEED, scale: SCALE, rows: {}, segments, samples, sensitivity };
  }

  describe('planRelationalRun', () => {
    const plan = (over: { metadata?: string; sources?: string[]; rows?: string[] }) =>
      failureOf(
        mockEnv().run(acts.planRelationalRun, {
          runKey: `${runKey}-plan`,
          metadata: over.metadata ?? METADATA,
          sources: over.sources ?? Object.keys(SOURCES),
          rows: over.rows ?? [],
        }),
      );

    it('refuses a metadata table without a source, naming relational.sources.<table>', async () => {
      const err = await plan({ sources: ['customers', 'orders', 'order_items'] });
      expectConfigFailure(err, 'relational.sources.products');
    });

    it('refuses a source that is not a table of the metadata', async () => {
      const err = await plan({ sources: [...Object.keys(SOURCES), 'suppliers'] });
      expectConfigFailure(err, 'relational.sources.suppliers');
    });

    it('refuses rows for a table that is not a root', async () => {
      expectConfigFailure(await plan({ rows: ['customers', 'orders'] }), 'relational.rows.orders');
      expectConfigFailure(await plan({ rows: ['invoices'] }), 'relational.rows.invoices');
    });

    it('refuses a metadata path that does not exist, naming relational.metadata', async () => {
      const err = await plan({ metadata: 'examples/relational/no-such-metadata.json' });
      expectConfigFailure(err, 'relational.metadata');
      // The path is not echoed into the message.
      expect((err as Error).message).not.toContain('no-such-metadata');
    });

    it('refuses a table name that is a path (it names a file of the load)', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-rel-names-'));
      try {
        const file = path.join(dir, 'metadata.json');
        await writeFile(file, JSON.stringify({ tables: { '../escape': { primaryKey: 'id' } } }));
        const err = await plan({ metadata: file, sources: ['../escape'] });
        expectConfigFailure(err, 'relational.metadata');
        expect((err as Error).message).toContain('may not contain "/"');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('orders the tables parents first, each with its own artifact segment, and stores the metadata', async () => {
      const out = await run(mockEnv(), acts.planRelationalRun, {
        runKey: `${runKey}-plan-ok`,
        metadata: METADATA,
        sources: Object.keys(SOURCES),
        rows: ['customers', 'products'],
      });
      expect([...out.order].sort()).toEqual([...TABLES].sort());
      const at = (t: string) => out.order.indexOf(t);
      expect(at('customers')).toBeLessThan(at('orders'));
      expect(at('products')).toBeLessThan(at('order_items'));
      expect(at('orders')).toBeLessThan(at('order_items'));
      expect(Object.keys(out.segments).sort()).toEqual([...TABLES].sort());
      expect(new Set(Object.values(out.segments)).size).toBe(TABLES.length);
      expect(await store.getJson(out.metadataUri)).toEqual(
        JSON.parse(await readFile(path.join(repoRoot, METADATA), 'utf8')),
      );
    });
  });

  it('synthesizeTables is safe to run twice and resumes from the parts an earlier attempt finished', async () => {
    const key = `${runKey}-resume`;
    const env = mockEnv();
    const first = await run(env, acts.synthesizeTables, synthesizeInput(key));
    // The same model, seed and sizes under another key give the same rows as the shared set.
    for (const table of TABLES) {
      expect(first.tables[table]?.rows).toBe(synthetic.tables[table]?.rows);
      expect(first.tables[table]?.partCount).toBeGreaterThan(0);
    }
    const hashes = new Map<string, string>();
    for (const table of TABLES) {
      const files = await partFiles(store, first.tables[table]?.partsPrefix as string);
      expect(files.filter((u) => u.endsWith('.parquet'))).toHaveLength(first.tables[table]?.partCount ?? -1);
      for (const uri of files) hashes.set(uri, await sha256(store.localPath(uri)));
    }
    // Artifacts are written to a temporary file and renamed into place: a rewritten file has a new inode.
    const inodes = async (uris: Iterable<string>) =>
      Object.fromEntries(
        await Promise.all([...uris].map(async (u) => [u, (await stat(store.localPath(u))).ino] as const)),
      );

    // A crash after the last order_items part was begun, before the manifest: both are gone.
    const manifest = store.uriFor('runs', ...key.split('/'), 'relational', 'synthetic.json');
    expect(await store.exists(manifest)).toBe(true);
    const items = first.tables['order_items'];
    const itemParts = (await partFiles(store, items?.partsPrefix as string)).filter((u) =>
      u.endsWith('.parquet'),
    );
    const lastPart = itemParts.at(-1) as string;
    const lastMeta = lastPart.replace(/\.parquet$/, '.meta.json');
    expect(hashes.has(lastMeta)).toBe(true);
    for (const uri of [manifest, lastPart, lastMeta]) await rm(store.localPath(uri));
    expect(await store.exists(lastPart)).toBe(false);
    const kept = [...hashes.keys()].filter((u) => u !== lastPart && u !== lastMeta);
    expect(kept.length).toBeGreaterThan(0);
    const keptInodes = await inodes(kept);

    const resumed = await run(mockEnv(2), acts.synthesizeTables, synthesizeInput(key));
    expect(resumed).toEqual(first);
    expect(await store.exists(manifest)).toBe(true);
    for (const [uri, hash] of hashes)
      expect({ uri, hash: await sha256(store.localPath(uri)) }).toEqual({ uri, hash });
    for (const table of TABLES) {
      const files = await partFiles(store, first.tables[table]?.partsPrefix as string);
      expect(files.length).toBe(2 * (first.tables[table]?.partCount ?? 0));
    }
    // The parts the first attempt finished were skipped, not written again.
    expect(await inodes(kept)).toEqual(keptInodes);

    // A part whose file is gone though its meta file stayed is written again, with the same bytes.
    const firstPart = kept.find((u) => u.endsWith('.parquet')) as string;
    await rm(store.localPath(firstPart));
    await rm(store.localPath(manifest));
    const repaired = await run(mockEnv(4), acts.synthesizeTables, synthesizeInput(key));
    expect(repaired).toEqual(first);
    expect(await sha256(store.localPath(firstPart))).toBe(hashes.get(firstPart));

    // With the manifest present, a duplicate returns the same output.
    const allInodes = await inodes(hashes.keys());
    const again = await run(mockEnv(3), acts.synthesizeTables, synthesizeInput(key));
    expect(again).toEqual(first);
    expect(await inodes(hashes.keys())).toEqual(allInodes);
  });

  it('checkRelationalIntegrity finds every reference resolved and no repeated key in the synthetic set', async () => {
    const out = await run(mockEnv(), acts.checkRelationalIntegrity, {
      runKey,
      metadataUri,
      samples,
      tables: synthetic.tables,
    });
    expect(out.referentialIntegrity).toBe(1);
    expect(out.duplicateKeys).toBe(0);
    expect(out.cardinalityScore).toBeGreaterThan(0);
    expect(await store.exists(out.integrityUri)).toBe(true);
    // The parts really hold a set with keys and references: the check had something to check.
    for (const table of TABLES) expect(synthetic.tables[table]?.rows).toBeGreaterThan(0);
  });

  describe.each(DIALECTS)('loadDatabaseTables into %s', (dialect) => {
    /** A fresh, empty database (SQLite: a new file) on the dialect's server: the table names are fixed. */
    async function freshUrl(ctx: TestContext): Promise<string> {
      const base = urlFor(dialect, ctx);
      const name = `rel_act_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      if (dialect === 'sqlite') return base.replace(/[^/]+$/, `${name}.db`);
      await queryDatabase(base, `CREATE DATABASE ${name}`);
      onTeardown(() =>
        queryDatabase(
          base,
          dialect === 'postgres'
            ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`
            : `DROP DATABASE IF EXISTS ${name}`,
        ),
      );
      const u = new URL(base);
      u.pathname = `/${name}`;
      return u.toString();
    }

    const target = (url: string, strategy: DatabaseTargetConfig['strategy'], batchSize = 500) =>
      ({ type: 'database', url, strategy, batchSize }) satisfies DatabaseTargetConfig;

    const loadInput = (
      url: string,
      targetId: string,
      strategy: DatabaseTargetConfig['strategy'] = 'truncate_insert',
      batchSize = 500,
    ): LoadDatabaseTablesInput => ({
      runKey,
      targetId,
      target: target(url, strategy, batchSize),
      metadataUri,
      modelUri,
      tables: synthetic.tables,
    });

    const rowsOf = (table: string): number => synthetic.tables[table]?.rows ?? -1;

    const one = async (url: string, sql: string): Promise<number> =>
      Number(Object.values((await queryDatabase(url, sql))[0] ?? {})[0]);

    const countOf = (url: string, table: string) => one(url, `SELECT COUNT(*) FROM ${table}`);

    /** Counts, distinct keys and dangling references, by the database; then the set of (key, row). */
    async function expectReconciled(url: string): Promise<void> {
      const counted = {
        customers: await countOf(url, 'customers'),
        customerKeys: await one(url, 'SELECT COUNT(DISTINCT customer_id) FROM customers'),
        products: await countOf(url, 'products'),
        productKeys: await one(url, 'SELECT COUNT(DISTINCT product_id) FROM products'),
        orders: await countOf(url, 'orders'),
        orderKeys: await one(url, 'SELECT COUNT(DISTINCT order_id) FROM orders'),
        items: await countOf(url, 'order_items'),
        itemKeys: await one(
          url,
          'SELECT COUNT(*) FROM (SELECT DISTINCT order_id, line_no FROM order_items) k',
        ),
        orphanOrders: await one(
          url,
          'SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE c.customer_id IS NULL',
        ),
        orphanItemOrders: await one(
          url,
          'SELECT COUNT(*) FROM order_items i LEFT JOIN orders o ON o.order_id = i.order_id WHERE o.order_id IS NULL',
        ),
        orphanItemProducts: await one(
          url,
          'SELECT COUNT(*) FROM order_items i LEFT JOIN products p ON p.product_id = i.product_id WHERE p.product_id IS NULL',
        ),
      };
      expect(counted).toEqual({
        customers: rowsOf('customers'),
        customerKeys: rowsOf('customers'),
        products: rowsOf('products'),
        productKeys: rowsOf('products'),
        orders: rowsOf('orders'),
        orderKeys: rowsOf('orders'),
        items: rowsOf('order_items'),
        itemKeys: rowsOf('order_items'),
        orphanOrders: 0,
        orphanItemOrders: 0,
        orphanItemProducts: 0,
      });
      for (const table of TABLES) {
        const parts = syntheticRows[table] as Table;
        const columns = parts.columns.map((c) => c.name);
        const live = await readRowsAsText(url, table, columns, KEYS[table]?.[0] as string);
        const expected = Array.from({ length: parts.rowCount }, (_, i) =>
          parts.columns.map((c) => c.values[i]),
        );
        expect(keyedRows(parts, KEYS[table] ?? [], live)).toEqual(
          keyedRows(parts, KEYS[table] ?? [], expected),
        );
      }
    }

    /** Names of the tables in the database (the dialect's catalog). */
    async function tablesIn(url: string): Promise<string[]> {
      const sql =
        dialect === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table'"
          : dialect === 'postgres'
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
            : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()';
      return (await queryDatabase(url, sql)).map((r) => String(r['name'] ?? r['NAME'])).sort();
    }

    it('loads every synthetic row parents first; a duplicated activity skips every row', async (ctx) => {
      const url = await freshUrl(ctx);
      const input = loadInput(url, 'targets[0]');
      const first = await run(mockEnv(), acts.loadDatabaseTables, input);
      expect(first.target).toContain(dialect);
      const order = first.tables.map((t) => t.table);
      expect([...order].sort()).toEqual([...TABLES].sort());
      expect(order.indexOf('customers')).toBeLessThan(order.indexOf('orders'));
      expect(order.indexOf('orders')).toBeLessThan(order.indexOf('order_items'));
      expect(order.indexOf('products')).toBeLessThan(order.indexOf('order_items'));
      for (const t of first.tables)
        expect({ table: t.table, loaded: t.loaded, skipped: t.skipped }).toEqual({
          table: t.table,
          loaded: rowsOf(t.table),
          skipped: 0,
        });
      await expectReconciled(url);

      // The same activity again (a retry after a lost completion): every batch is in the ledger.
      const again = await run(mockEnv(2), acts.loadDatabaseTables, input);
      for (const t of again.tables)
        expect({ table: t.table, loaded: t.loaded, skipped: t.skipped }).toEqual({
          table: t.table,
          loaded: 0,
          skipped: rowsOf(t.table),
        });
      await expectReconciled(url);
    });

    it('resumes a load cancelled inside a table: the set is emptied once and no row is loaded twice', async (ctx) => {
      const url = await freshUrl(ctx);
      await run(mockEnv(), acts.loadDatabaseTables, loadInput(url, 'targets[0]'));
      await expectReconciled(url);

      // A new target id replaces the set (truncate_insert); it is cancelled after the first batch of orders.
      // Batches of 100 rows, so that orders (several hundred rows) is left part-loaded.
      const input = loadInput(url, 'targets[1]', 'truncate_insert', 100);
      const env = mockEnv();
      let cancelled = false;
      env.on('heartbeat', (d: { phase?: string; table?: string; loadedRows?: number }) => {
        if (!cancelled && d.phase === 'load' && d.table === 'orders' && (d.loadedRows ?? 0) > 0) {
          cancelled = true;
          env.cancel();
        }
      });
      const err = await failureOf(run(env, acts.loadDatabaseTables, input));
      expect(cancelled).toBe(true);
      expect(err).toBeInstanceOf(CancelledFailure);
      expect(rowsOf('orders')).toBeGreaterThan(100);
      const ordersLoaded = await countOf(url, 'orders');
      expect(ordersLoaded).toBeGreaterThan(0);
      expect(ordersLoaded).toBeLessThan(rowsOf('orders'));
      // Emptied before reloading: order_items had rows from the first load and now has none.
      expect(await countOf(url, 'order_items')).toBe(0);
      expect(await countOf(url, 'customers')).toBe(rowsOf('customers'));

      const resumed = await run(mockEnv(2), acts.loadDatabaseTables, input);
      for (const t of resumed.tables)
        expect({ table: t.table, rows: t.loaded + t.skipped }).toEqual({
          table: t.table,
          rows: rowsOf(t.table),
        });
      const byTable = Object.fromEntries(resumed.tables.map((t) => [t.table, t]));
      expect(byTable['customers']).toMatchObject({ loaded: 0, skipped: rowsOf('customers') });
      expect(byTable['orders']).toMatchObject({
        loaded: rowsOf('orders') - ordersLoaded,
        skipped: ordersLoaded,
      });
      expect(byTable['order_items']).toMatchObject({ loaded: rowsOf('order_items'), skipped: 0 });
      await expectReconciled(url);
    });

    it('loads into tables as the target names them, created and then existing; a left-out column is not loaded', async (ctx) => {
      const url = await freshUrl(ctx);
      const tables = {
        customers: { table: 'client', columns: { customer_id: 'id', first_name: 'given_name', email: null } },
        orders: { columns: { customer_id: 'client_id' } },
      };
      const mapped = (targetId: string): LoadDatabaseTablesInput => ({
        ...loadInput(url, targetId),
        targetField: targetId,
        target: { ...target(url, 'truncate_insert'), tables },
      });
      const customers = syntheticRows['customers'] as Table;
      const expectMapped = async (): Promise<void> => {
        expect({
          client: await countOf(url, 'client'),
          clientKeys: await one(url, 'SELECT COUNT(DISTINCT id) FROM client'),
          orders: await countOf(url, 'orders'),
          items: await countOf(url, 'order_items'),
          orphanOrders: await one(
            url,
            'SELECT COUNT(*) FROM orders o LEFT JOIN client c ON c.id = o.client_id WHERE c.id IS NULL',
          ),
        }).toEqual({
          client: rowsOf('customers'),
          clientKeys: rowsOf('customers'),
          orders: rowsOf('orders'),
          items: rowsOf('order_items'),
          orphanOrders: 0,
        });
        // The client table holds the synthetic customers under the target's column names, without email.
        const kept = customers.columns.filter((c) => c.name !== 'email');
        const live = await readRowsAsText(
          url,
          'client',
          kept.map((c) =>
            c.name === 'customer_id' ? 'id' : c.name === 'first_name' ? 'given_name' : c.name,
          ),
          'id',
        );
        const keptTable: Table = { rowCount: customers.rowCount, columns: kept };
        const expected = Array.from({ length: customers.rowCount }, (_, i) => kept.map((c) => c.values[i]));
        expect(keyedRows(keptTable, ['customer_id'], live)).toEqual(
          keyedRows(keptTable, ['customer_id'], expected),
        );
        const columnsOfClient = Object.keys(
          (await queryDatabase(url, 'SELECT * FROM client LIMIT 1'))[0] ?? {},
        );
        expect(columnsOfClient.map((c) => c.toLowerCase())).not.toContain('email');
        expect(columnsOfClient.map((c) => c.toLowerCase())).not.toContain('customer_id');
      };

      const created = await run(mockEnv(), acts.loadDatabaseTables, mapped('targets[0]'));
      // Reported under the synthetic names, as the rest of the run names the tables.
      expect(created.tables.map((t) => [t.table, t.loaded]).sort()).toEqual(
        TABLES.map((t) => [t, rowsOf(t)]).sort(),
      );
      const names = await tablesIn(url);
      expect(names).toContain('client');
      expect(names).not.toContain('customers');
      await expectMapped();

      // A second load (a new target id: truncate_insert empties the set) goes into the tables that now exist.
      const existing = await run(mockEnv(), acts.loadDatabaseTables, mapped('targets[1]'));
      expect(existing.tables.every((t) => t.loaded === rowsOf(t.table) && t.skipped === 0)).toBe(true);
      await expectMapped();
    });

    it('refuses a mapping that leaves a key column out, naming the field, before writing anything', async (ctx) => {
      const url = await freshUrl(ctx);
      const err = await failureOf(
        mockEnv().run(acts.loadDatabaseTables, {
          ...loadInput(url, 'targets[2]'),
          targetField: 'targets[2]',
          target: {
            ...target(url, 'truncate_insert'),
            tables: { orders: { columns: { customer_id: null } } },
          },
        }),
      );
      expectConfigFailure(err, 'targets[2].tables.orders.columns.customer_id');
      expect(await tablesIn(url)).toEqual([]);
    });

    it('refuses replace_swap across foreign keys with a ConfigError before writing anything', async (ctx) => {
      const url = await freshUrl(ctx);
      const err = await failureOf(
        mockEnv().run(acts.loadDatabaseTables, loadInput(url, 'targets[0]', 'replace_swap')),
      );
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).type).toBe('ConfigError');
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
      expect((err as ApplicationFailure).message).toMatch(/replace_swap/);
      expect(await tablesIn(url)).toEqual([]);
    });
  });
});
