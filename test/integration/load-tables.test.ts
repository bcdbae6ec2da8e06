/**
 * `understudy load --metadata`: a relational set (customers → orders → order_items, plus products, with a
 * composite key, two foreign keys and a string key) loaded into real SQLite, PostgreSQL and MariaDB in
 * foreign-key order. Created tables carry their primary, NOT NULL and foreign keys (checked in the
 * catalogs, and enforced: an orphan row is refused); every table is reconciled (row count, no duplicate
 * key, the set of (key, row hash) equals the files'); truncate_insert leaves one copy; loads interrupted
 * between and inside tables resume with the same load id without duplicates; hostile table names work;
 * a missing file or key column fails before anything is written. Also the command line, on files that
 * `understudy generate --metadata` wrote.
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import type { RelationalMetadataInput } from '../../core/relational/metadata.js';
import { parseDatabaseUrl } from '../../integrations/database/connection-url.js';
import { quoteIdentifier } from '../../integrations/database/identifiers.js';
import { loadTables, type LoadTablesOptions } from '../../integrations/database/load-tables.js';
import { queryDatabase, readRowsAsText } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const { urlFor, open } = useDialectTargets('load-tables.db');
const root = path.resolve(import.meta.dirname, '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-load-tables-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The four tables under the names a test gives them (each test its own, in one shared database). */
interface Names {
  customers: string;
  orders: string;
  items: string;
  products: string;
}

const prefixed = (): Names => {
  const p = `t${randomUUID().slice(0, 6)}_`;
  return {
    customers: `${p}customers`,
    orders: `${p}orders`,
    items: `${p}order_items`,
    products: `${p}products`,
  };
};

/** `referrer`: orders also reference customers through `referred_by`, a secondary key the file leaves empty. */
function metadataFor(n: Names, referrer = false): RelationalMetadataInput {
  return {
    tables: {
      [n.customers]: { primaryKey: 'customer_id' },
      [n.products]: { primaryKey: 'product_id' },
      [n.orders]: {
        primaryKey: 'order_id',
        foreignKeys: [
          { columns: 'customer_id', references: { table: n.customers } },
          ...(referrer ? [{ columns: 'referred_by', references: { table: n.customers } }] : []),
        ],
      },
      [n.items]: {
        primaryKey: ['order_id', 'line_no'],
        foreignKeys: [
          { columns: 'order_id', references: { table: n.orders } },
          { columns: 'product_id', references: { table: n.products, columns: 'product_id' } },
        ],
      },
    },
  };
}

type Cell = string | number | null;
type Kind = 'int' | 'float' | 'text' | 'date';

/** One table's rows as written to its file, with the kind of each column and its key. */
interface TableData {
  columns: string[];
  kinds: Kind[];
  key: string[];
  rows: Cell[][];
}

/** A small deterministic database; `scale` multiplies the orders (and so the order items). */
function dataset(scale = 1, referrer = false): Record<keyof Names, TableData> {
  const customers = 40;
  const products = 12;
  const orders = 150 * scale;
  const productId = (k: number) => `P-${String(k).padStart(3, '0')}`;
  const items: Cell[][] = [];
  for (let o = 1; o <= orders; o++)
    for (let line = 1; line <= (o % 3) + 1; line++)
      items.push([o, line, productId(((o + line) % products) + 1), line * 2]);
  return {
    customers: {
      columns: ['customer_id', 'name', 'segment'],
      kinds: ['int', 'text', 'text'],
      key: ['customer_id'],
      rows: Array.from({ length: customers }, (_, k) => [
        k + 1,
        k % 5 === 0 ? `Smith, "Jr" ${k}` : `Customer ${k}`,
        k % 4 === 0 ? null : (['retail', 'smb', 'enterprise'][k % 3] as string),
      ]),
    },
    products: {
      columns: ['product_id', 'title', 'price'],
      kinds: ['text', 'text', 'float'],
      key: ['product_id'],
      rows: Array.from({ length: products }, (_, k) => [productId(k + 1), `Product ${k}`, (k * 7 + 1) / 4]),
    },
    orders: {
      columns: ['order_id', 'customer_id', 'placed_on', 'total', ...(referrer ? ['referred_by'] : [])],
      kinds: ['int', 'int', 'date', 'float', ...(referrer ? (['int'] as const) : [])],
      key: ['order_id'],
      rows: Array.from({ length: orders }, (_, k) => [
        k + 1,
        ((k * 7) % customers) + 1,
        `2024-${String((k % 12) + 1).padStart(2, '0')}-${String((k % 28) + 1).padStart(2, '0')}`,
        (k % 50) * 2.5,
        ...(referrer ? [null] : []),
      ]),
    },
    items: {
      columns: ['order_id', 'line_no', 'product_id', 'qty'],
      kinds: ['int', 'int', 'text', 'int'],
      key: ['order_id', 'line_no'],
      rows: items,
    },
  };
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes one CSV per table (`<table>.csv`, the names `generate --metadata` writes) into a fresh folder. */
async function writeSet(n: Names, data: Record<keyof Names, TableData>): Promise<string> {
  const folder = path.join(dir, randomUUID().slice(0, 8));
  await mkdir(folder);
  for (const key of Object.keys(n) as (keyof Names)[]) {
    const t = data[key];
    const lines = [t.columns.join(','), ...t.rows.map((r) => r.map(csvCell).join(','))];
    await writeFile(path.join(folder, `${n[key]}.csv`), `${lines.join('\n')}\n`);
  }
  return folder;
}

/** A cell as every dialect's text form compares: numbers as numbers, dates as their day. */
function canonical(v: string | number | null, kind: Kind): string {
  if (v === null) return '∅';
  if (kind === 'int' || kind === 'float') return String(Number(v));
  if (kind === 'date') return String(v).slice(0, 10);
  return String(v);
}

function keyedHashes(t: TableData, rows: readonly (readonly (string | number | null)[])[]): string[] {
  return rows
    .map((r) => {
      const cells = r.map((v, i) => canonical(v, t.kinds[i] as Kind));
      const key = t.key.map((k) => cells[t.columns.indexOf(k)]).join('/');
      return `${key}|${createHash('sha256').update(JSON.stringify(cells)).digest('hex').slice(0, 16)}`;
    })
    .sort();
}

/** The reconciliation check: row count, no duplicate key, and the set of (key, row hash) equals the file's. */
async function expectReconciled(url: string, table: string, t: TableData): Promise<void> {
  const { dialect } = parseDatabaseUrl(url);
  const q = (c: string) => quoteIdentifier(c, dialect);
  const [counts] = await queryDatabase(
    url,
    `SELECT COUNT(*) AS n, (SELECT COUNT(*) FROM (SELECT DISTINCT ${t.key.map(q).join(', ')} FROM ${q(table)}) d) AS k FROM ${q(table)}`,
  );
  expect({ table, rows: Number(counts?.['n']), keys: Number(counts?.['k']) }).toEqual({
    table,
    rows: t.rows.length,
    keys: t.rows.length,
  });
  const live = await readRowsAsText(url, table, t.columns, t.key[0] as string);
  expect(keyedHashes(t, live)).toEqual(keyedHashes(t, t.rows));
}

async function expectAllReconciled(
  url: string,
  n: Names,
  data: Record<keyof Names, TableData>,
): Promise<void> {
  for (const key of Object.keys(n) as (keyof Names)[]) await expectReconciled(url, n[key], data[key]);
}

async function countRows(url: string, table: string): Promise<number> {
  const { dialect } = parseDatabaseUrl(url);
  const [r] = await queryDatabase(url, `SELECT COUNT(*) AS n FROM ${quoteIdentifier(table, dialect)}`);
  return Number(r?.['n']);
}

/** Primary key, NOT NULL columns and foreign keys (`column→parent.column`) as the catalog states them. */
async function constraintsOf(
  url: string,
  table: string,
): Promise<{ primaryKey: string[]; notNull: string[]; foreignKeys: string[] }> {
  const { dialect } = parseDatabaseUrl(url);
  const names = (rows: Record<string, unknown>[]) => rows.map((r) => String(r['name'])).sort();
  if (dialect === 'postgres') {
    const reg = [quoteIdentifier(table, 'postgres')];
    const primaryKey = await queryDatabase(
      url,
      `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = to_regclass($1) AND i.indisprimary`,
      reg,
    );
    const notNull = await queryDatabase(
      url,
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND attnotnull AND NOT attisdropped`,
      reg,
    );
    const fks = await queryDatabase(
      url,
      `SELECT a.attname AS col, p.relname AS parent, pa.attname AS parent_col
         FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(ck, pk)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.ck
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk
         JOIN pg_class p ON p.oid = c.confrelid
        WHERE c.contype = 'f' AND c.conrelid = to_regclass($1)`,
      reg,
    );
    return { primaryKey: names(primaryKey), notNull: names(notNull), foreignKeys: fkList(fks) };
  }
  if (dialect === 'mysql') {
    const primaryKey = await queryDatabase(
      url,
      `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'`,
      [table],
    );
    const notNull = await queryDatabase(
      url,
      `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND IS_NULLABLE = 'NO'`,
      [table],
    );
    const fks = await queryDatabase(
      url,
      `SELECT COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS parent, REFERENCED_COLUMN_NAME AS parent_col
         FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL`,
      [table],
    );
    return { primaryKey: names(primaryKey), notNull: names(notNull), foreignKeys: fkList(fks) };
  }
  const primaryKey = await queryDatabase(url, 'SELECT name FROM pragma_table_info(?) WHERE pk > 0', [table]);
  const notNull = await queryDatabase(url, 'SELECT name FROM pragma_table_info(?) WHERE "notnull" = 1', [
    table,
  ]);
  const fks = await queryDatabase(
    url,
    'SELECT "from" AS col, "table" AS parent, "to" AS parent_col FROM pragma_foreign_key_list(?)',
    [table],
  );
  return { primaryKey: names(primaryKey), notNull: names(notNull), foreignKeys: fkList(fks) };
}

function fkList(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => `${String(r['col'])}→${String(r['parent'])}.${String(r['parent_col'])}`).sort();
}

async function load(opts: Omit<LoadTablesOptions, 'baseDir'>) {
  return loadTables({ ...opts, baseDir: dir });
}

describe.each(DIALECTS)('understudy load --metadata into %s', (dialect) => {
  it('creates every table with its keys and foreign keys and loads them parents first, exactly once per load id', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const n = prefixed();
    const data = dataset(1, true);
    const inputDir = await writeSet(n, data);
    const loadId = `load-${randomUUID()}`;
    const seen: string[] = [];
    const first = await load({
      metadata: metadataFor(n, true),
      inputDir,
      url,
      loadId,
      batchSize: 64,
      onTable: (t) => seen.push(t.table),
    });
    // Kahn's order with ties by name: every parent before its children.
    expect(seen).toEqual([n.customers, n.orders, n.products, n.items]);
    expect(first.tables.map((t) => [t.table, t.createdTable, t.loadedRows, t.skippedRows])).toEqual([
      [n.customers, true, 40, 0],
      [n.orders, true, 150, 0],
      [n.products, true, 12, 0],
      [n.items, true, data.items.rows.length, 0],
    ]);
    expect(first.loadedRows).toBe(40 + 150 + 12 + data.items.rows.length);
    await expectAllReconciled(url, n, data);

    expect(await constraintsOf(url, n.customers)).toMatchObject({
      primaryKey: ['customer_id'],
      foreignKeys: [],
    });
    expect(await constraintsOf(url, n.orders)).toEqual({
      primaryKey: ['order_id'],
      // The primary foreign key is NOT NULL too: a generated child always has its primary parent.
      notNull: ['customer_id', 'order_id'],
      // An empty column is inferred as text; the reference takes the parent key's type, or it could not be declared.
      foreignKeys: [`customer_id→${n.customers}.customer_id`, `referred_by→${n.customers}.customer_id`],
    });
    expect(await constraintsOf(url, n.items)).toEqual({
      primaryKey: ['line_no', 'order_id'],
      notNull: ['line_no', 'order_id'],
      foreignKeys: [`order_id→${n.orders}.order_id`, `product_id→${n.products}.product_id`],
    });

    // The constraints are enforced on the loader's own connections (SQLite: PRAGMA foreign_keys is on).
    const knex = knexFactory(parseDatabaseUrl(url).knexConfig);
    try {
      if (dialect === 'sqlite') {
        const pragma = (await knex.raw('PRAGMA foreign_keys')) as { foreign_keys: number }[];
        expect(pragma[0]?.foreign_keys).toBe(1);
      }
      const q = (c: string) => quoteIdentifier(c, dialect);
      await expect(
        knex.raw(
          `INSERT INTO ${q(n.orders)} (${q('order_id')}, ${q('customer_id')}) VALUES (100000, 999999)`,
        ),
      ).rejects.toThrow();
    } finally {
      await knex.destroy();
    }

    // The same load id again: every table's batches are in the ledger, nothing is written twice.
    const again = await load({ metadata: metadataFor(n, true), inputDir, url, loadId });
    expect(again.loadedRows).toBe(0);
    expect(again.skippedRows).toBe(first.loadedRows);
    expect(again.tables.every((t) => !t.createdTable && t.batchSize === 64)).toBe(true);
    await expectAllReconciled(url, n, data);
  });

  it('truncate_insert empties the set children first, once per load id, and leaves exactly one copy', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const n = prefixed();
    const data = dataset();
    const inputDir = await writeSet(n, data);
    await load({ metadata: metadataFor(n), inputDir, url, batchSize: 100 });
    await expectAllReconciled(url, n, data);

    // Every parent is referenced by rows of its children: a per-table TRUNCATE (or DELETE parents first) would fail.
    const loadId = `trunc-${randomUUID()}`;
    const replaced = await load({
      metadata: metadataFor(n),
      inputDir,
      url,
      strategy: 'truncate_insert',
      loadId,
    });
    expect(replaced.cleared).toBe(true);
    await expectAllReconciled(url, n, data);

    // Run again with the same id: the ledger says the set was emptied and loaded; nothing changes.
    const rerun = await load({
      metadata: metadataFor(n),
      inputDir,
      url,
      strategy: 'truncate_insert',
      loadId,
    });
    expect(rerun).toMatchObject({ cleared: false, loadedRows: 0 });
    await expectAllReconciled(url, n, data);

    // A smaller set replaces the larger one whole, children included.
    const smaller = dataset(0.5);
    const smallerDir = await writeSet(n, smaller);
    await load({ metadata: metadataFor(n), inputDir: smallerDir, url, strategy: 'truncate_insert' });
    await expectAllReconciled(url, n, smaller);

    // Interrupted inside the second table and resumed: the set is emptied once, not again on the resume.
    const abort = new AbortController();
    const resumeId = `trunc-${randomUUID()}`;
    await expect(
      load({
        metadata: metadataFor(n),
        inputDir,
        url,
        strategy: 'truncate_insert',
        loadId: resumeId,
        batchSize: 40,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.table === n.orders && p.loadedRows >= 80) abort.abort();
        },
      }),
    ).rejects.toThrow();
    expect(await countRows(url, n.customers)).toBe(40);
    expect(await countRows(url, n.orders)).toBe(80);
    expect(await countRows(url, n.items)).toBe(0);
    const resumed = await load({
      metadata: metadataFor(n),
      inputDir,
      url,
      strategy: 'truncate_insert',
      loadId: resumeId,
    });
    expect(resumed.cleared).toBe(false);
    expect(resumed.tables.map((t) => [t.table, t.loadedRows, t.skippedRows])).toEqual([
      [n.customers, 0, 40],
      [n.orders, 70, 80],
      [n.products, 12, 0],
      [n.items, data.items.rows.length, 0],
    ]);
    await expectAllReconciled(url, n, data);

    // A table outside the metadata references customers: the set cannot be emptied, and nothing is (one transaction).
    const q = (c: string) => quoteIdentifier(c, dialect);
    const outside = `${n.customers}_notes`;
    await queryDatabase(
      url,
      `CREATE TABLE ${q(outside)} (${q('id')} INTEGER PRIMARY KEY, ${q('customer_id')} BIGINT,
         FOREIGN KEY (${q('customer_id')}) REFERENCES ${q(n.customers)} (${q('customer_id')}))`,
    );
    await queryDatabase(url, `INSERT INTO ${q(outside)} VALUES (1, 5)`);
    const refused = await load({
      metadata: metadataFor(n),
      inputDir,
      url,
      strategy: 'truncate_insert',
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(dialect === 'postgres' ? ConfigError : DataError);
    expect((refused as Error).message).toContain(JSON.stringify(n.customers));
    await expectAllReconciled(url, n, data);
  });

  it('upserts every table on its primary key, parents first: changed rows updated, new rows added', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const n = prefixed();
    await load({ metadata: metadataFor(n), inputDir: await writeSet(n, dataset(0.5)), url });
    const next = dataset();
    next.customers.rows = next.customers.rows.map((r) => [r[0] as Cell, `${String(r[1])} v2`, r[2] as Cell]);
    next.items.rows = next.items.rows.map((r) => [...r.slice(0, 3), Number(r[3]) + 1]);
    const upserted = await load({
      metadata: metadataFor(n),
      inputDir: await writeSet(n, next),
      url,
      strategy: 'upsert',
      batchSize: 50,
    });
    expect(upserted.tables.map((t) => [t.table, t.loadedRows])).toEqual([
      [n.customers, 40],
      [n.orders, 150],
      [n.products, 12],
      [n.items, next.items.rows.length],
    ]);
    await expectAllReconciled(url, n, next);
  });

  it('resumes a load interrupted between tables and inside a table with the same load id, without duplicates', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const n = prefixed();
    const data = dataset();
    const inputDir = await writeSet(n, data);
    const loadId = `resume-${randomUUID()}`;

    const afterFirst = new AbortController();
    await expect(
      load({
        metadata: metadataFor(n),
        inputDir,
        url,
        loadId,
        batchSize: 32,
        signal: afterFirst.signal,
        onTable: () => afterFirst.abort(),
      }),
    ).rejects.toThrow();
    expect(await countRows(url, n.customers)).toBe(40);
    expect(await open(url).describeTable(n.orders)).toBeUndefined();

    const midTable = new AbortController();
    await expect(
      load({
        metadata: metadataFor(n),
        inputDir,
        url,
        loadId,
        batchSize: 32,
        signal: midTable.signal,
        onProgress: (p) => {
          if (p.table === n.items && p.loadedRows >= 96) midTable.abort();
        },
      }),
    ).rejects.toThrow();
    expect(await countRows(url, n.orders)).toBe(150);
    expect(await countRows(url, n.items)).toBe(96);

    // The resumed run keeps each table's batch size without being told.
    const resumed = await load({ metadata: metadataFor(n), inputDir, url, loadId });
    expect(resumed.tables.map((t) => [t.table, t.loadedRows, t.skippedRows, t.batchSize])).toEqual([
      [n.customers, 0, 40, 32],
      [n.orders, 0, 150, 32],
      [n.products, 0, 12, 32],
      [n.items, data.items.rows.length - 96, 96, 32],
    ]);
    await expectAllReconciled(url, n, data);
  });

  it('loads tables with hostile names: quotes, a dot, a semicolon and reserved words', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const tag = randomUUID().slice(0, 4);
    const n: Names = {
      customers: `cu"st'o.mers; --${tag}`,
      orders: 'order',
      items: `select; "items"${tag}`,
      products: `table.${tag}`,
    };
    const data = dataset();
    const inputDir = await writeSet(n, data);
    const result = await load({ metadata: metadataFor(n), inputDir, url, batchSize: 50 });
    expect(result.tables.map((t) => t.table)).toEqual([n.customers, n.orders, n.products, n.items]);
    await expectAllReconciled(url, n, data);
    expect((await constraintsOf(url, n.items)).foreignKeys).toEqual(
      [`order_id→${n.orders}.order_id`, `product_id→${n.products}.product_id`].sort(),
    );
  });

  it('refuses a missing file, a missing key column and an orphan row, naming table, file and column, never a value', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const n = prefixed();
    const data = dataset();

    const noProducts = await writeSet(n, data);
    await rm(path.join(noProducts, `${n.products}.csv`));
    const missing = await load({ metadata: metadataFor(n), inputDir: noProducts, url }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(DataError);
    expect((missing as DataError).location.file).toBe(path.join(noProducts, `${n.products}.csv`));
    expect((missing as DataError).message).toContain(JSON.stringify(n.products));

    const noKey: Record<keyof Names, TableData> = {
      ...data,
      orders: {
        ...data.orders,
        columns: ['order_id', 'buyer', 'placed_on', 'total'],
      },
    };
    const noKeyDir = await writeSet(n, noKey);
    const keyError = await load({ metadata: metadataFor(n), inputDir: noKeyDir, url }).catch(
      (e: unknown) => e,
    );
    expect(keyError).toBeInstanceOf(DataError);
    expect((keyError as DataError).location).toEqual({
      file: path.join(noKeyDir, `${n.orders}.csv`),
      column: 'customer_id',
    });
    expect((keyError as DataError).message).toMatch(/foreign key to/);
    // Checked before the first write: not even the parents were created.
    for (const table of Object.values(n)) expect(await target.describeTable(table)).toBeUndefined();

    // An order whose customer does not exist: the database refuses its batch, the message has no value.
    const secret = 987654;
    const orphan = dataset();
    orphan.orders.rows[100] = [101, secret, '2024-01-01', 1];
    const orphanDir = await writeSet(n, orphan);
    const fkError = await load({ metadata: metadataFor(n), inputDir: orphanDir, url, batchSize: 50 }).catch(
      (e: unknown) => e,
    );
    expect(fkError).toBeInstanceOf(DataError);
    expect((fkError as DataError).message).toMatch(/foreign key/);
    expect((fkError as DataError).message).not.toContain(String(secret));
    expect(await countRows(url, n.orders)).toBe(100);
  });

  it('refuses replace_swap across foreign keys and upsert without a primary key before writing', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const n = prefixed();
    const inputDir = await writeSet(n, dataset());
    await expect(load({ metadata: metadataFor(n), inputDir, url, strategy: 'replace_swap' })).rejects.toThrow(
      ConfigError,
    );
    const meta = metadataFor(n);
    delete (meta.tables[n.customers] as { primaryKey?: unknown }).primaryKey;
    meta.tables[n.orders] = { primaryKey: 'order_id' };
    const upsert = load({ metadata: meta, inputDir, url, strategy: 'upsert' });
    await expect(upsert).rejects.toThrow(ConfigError);
    await expect(upsert).rejects.toThrow(/primaryKey/);
    expect(await open(url).describeTable(n.orders)).toBeUndefined();
  });
});

describe('understudy load --metadata on the command line', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(root, 'cli', 'main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });

  it('loads what generate --metadata wrote, prints per-table rows and rows/s, and skips all of it with --load-id', async (ctx) => {
    const url = urlFor('sqlite', ctx);
    const n = prefixed();
    const sampleDir = await writeSet(n, dataset());
    const metadata = path.join(dir, `${randomUUID().slice(0, 8)}-metadata.json`);
    await writeFile(metadata, JSON.stringify(metadataFor(n)));
    const outDir = path.join(dir, randomUUID().slice(0, 8));
    await cli([
      'generate',
      '--metadata',
      metadata,
      '--input-dir',
      sampleDir,
      '--output',
      outDir,
      '--seed',
      '7',
    ]);

    const loadId = `cli-${randomUUID()}`;
    const first = await cli([
      'load',
      '--metadata',
      metadata,
      '--input-dir',
      outDir,
      '--to',
      url,
      '--load-id',
      loadId,
    ]);
    for (const table of Object.values(n))
      expect(first.stdout).toMatch(
        new RegExp(`${table}: loaded \\d+ rows, skipped 0 rows.*\\(table created\\)`),
      );
    expect(first.stdout).toMatch(
      /total: loaded \d+ rows into 4 tables at sqlite:.* in [\d.]+ s: [\d,]+ rows\/s/,
    );

    const again = await cli([
      'load',
      '--metadata',
      metadata,
      '--input-dir',
      outDir,
      '--to',
      url,
      '--load-id',
      loadId,
      '--json',
    ]);
    const result = JSON.parse(again.stdout) as {
      loadedRows: number;
      skippedRows: number;
      tables: { table: string }[];
    };
    expect(result.loadedRows).toBe(0);
    expect(result.tables.map((t) => t.table)).toEqual([n.customers, n.orders, n.products, n.items]);
    // Generated children reference generated parents only: the foreign keys held while loading.
    let total = 0;
    for (const table of Object.values(n)) total += await countRows(url, table);
    expect(result.skippedRows).toBe(total);
    expect(total).toBeGreaterThan(0);
  });

  it('refuses --metadata mixed with --input or --table, with status 2', async (ctx) => {
    const url = urlFor('sqlite', ctx);
    const failed = await cli([
      'load',
      '--metadata',
      'm.json',
      '--input-dir',
      'x',
      '--table',
      't',
      '--to',
      url,
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(/--metadata.*--table|--table.*--metadata/);
    const neither = await cli(['load', '--to', url]).catch((e: { code: number; stderr: string }) => e);
    expect(neither).toMatchObject({ code: 2 });
  });
});
