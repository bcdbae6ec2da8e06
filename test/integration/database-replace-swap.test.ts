/**
 * The replace_swap strategy on real databases (a SQLite file, embedded PostgreSQL, MariaDB): batches go
 * to a staging table while readers still see the old rows, finishLoad swaps the new rows in exactly
 * once (also when retried by a later attempt), and tables a swap would break are refused up front.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { Table, TableSchema } from '../../core/table.js';
import { queryDatabase, readRowsAsText } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const { urlFor, open } = useDialectTargets('replace-swap.db');

const ITEMS: TableSchema = {
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'label', type: 'string' },
  ],
};

function items(from: number, count: number, label: string): Table {
  const ids = Array.from({ length: count }, (_, i) => from + i);
  return {
    rowCount: count,
    columns: [
      { name: 'id', type: 'integer', values: ids },
      { name: 'label', type: 'string', values: ids.map((i) => `${label} ${i}`) },
    ],
  };
}

const unique = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

async function tableNames(url: string, dialect: DialectName): Promise<string[]> {
  const sql =
    dialect === 'postgres'
      ? 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()'
      : dialect === 'mysql'
        ? 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'
        : "SELECT name FROM sqlite_master WHERE type = 'table'";
  return (await queryDatabase(url, sql)).map((r) => String(r['name'] ?? r['NAME']));
}

describe.each(DIALECTS)('replace_swap on %s', (dialect) => {
  it('keeps the old rows visible until the swap, then replaces them whole, exactly once', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = unique('items');
    await target.ensureTable(table, ITEMS, { primaryKey: ['id'] });
    const before = unique('run');
    await target.acquireLease({ runId: before, table, token: 't' });
    await target.prepareLoad({ runId: before, table, token: 't', strategy: 'append' });
    await target.loadBatch({ runId: before, table, token: 't', batchId: 'b', rows: items(0, 100, 'old') });

    const runId = unique('run');
    await target.acquireLease({ runId, table, token: 'a1' });
    await target.prepareLoad({ runId, table, token: 'a1', strategy: 'replace_swap' });
    const batch = (b: number) => ({
      runId,
      table,
      token: 'a1',
      batchId: `b${b}`,
      rows: items(1000 + b * 30, 30, 'new'),
      strategy: 'replace_swap' as const,
    });
    await target.loadBatch(batch(0));
    // A retried prepare keeps what is staged; a retried batch is skipped.
    await target.prepareLoad({ runId, table, token: 'a1', strategy: 'replace_swap' });
    expect(await target.loadBatch(batch(0))).toEqual({ status: 'skipped', rows: 30 });
    await target.loadBatch(batch(1));
    expect(await target.countRows(table)).toBe(100);

    // The swap is done by a later attempt that took the lease over; a second finish changes nothing.
    await target.acquireLease({ runId, table, token: 'a2' });
    await target.finishLoad({ runId, table, token: 'a2', strategy: 'replace_swap' });
    await target.finishLoad({ runId, table, token: 'a2', strategy: 'replace_swap' });
    expect(await target.countRows(table)).toBe(60);
    const rows = await readRowsAsText(url, table, ['id', 'label'], 'id');
    expect(rows[0]).toEqual(['1000', 'new 1000']);
    expect(await target.ledger({ runId, table })).toEqual({ batches: 2, rows: 60 });
    // No staging or old table is left behind, and the swapped table still enforces its key.
    expect((await tableNames(url, dialect)).filter((n) => n.startsWith(table))).toEqual([table]);
    const duplicate = await target
      .loadBatch({ runId: unique('run'), table, token: 'x', batchId: 'b', rows: items(1000, 1, 'dup') })
      .catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(Error);
  });

  it('fences the swap of an attempt that lost its lease', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = unique('items');
    await target.ensureTable(table, ITEMS);
    const runId = unique('run');
    await target.acquireLease({ runId, table, token: 'a1' });
    await target.prepareLoad({ runId, table, token: 'a1', strategy: 'replace_swap' });
    await target.loadBatch({
      runId,
      table,
      token: 'a1',
      batchId: 'b0',
      rows: items(0, 5, 'x'),
      strategy: 'replace_swap',
    });
    await target.acquireLease({ runId, table, token: 'a2' });
    await expect(
      target.finishLoad({ runId, table, token: 'a1', strategy: 'replace_swap' }),
    ).rejects.toThrow();
    expect(await target.countRows(table)).toBe(0);
  });

  it.skipIf(dialect === 'sqlite')('refuses a table that foreign keys point at', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = unique('items');
    await target.ensureTable(table, ITEMS, { primaryKey: ['id'] });
    const q = dialect === 'mysql' ? '`' : '"';
    const parent = `${q}${table}${q}`;
    // InnoDB ignores an inline REFERENCES: MySQL needs the FOREIGN KEY clause.
    const reference =
      dialect === 'mysql'
        ? `item_id BIGINT, FOREIGN KEY (item_id) REFERENCES ${parent} (id)`
        : `item_id BIGINT REFERENCES ${parent} (id)`;
    await queryDatabase(url, `CREATE TABLE ${q}${unique('child')}${q} (id BIGINT PRIMARY KEY, ${reference})`);
    const runId = unique('run');
    await target.acquireLease({ runId, table, token: 'a1' });
    const err = await target
      .prepareLoad({ runId, table, token: 'a1', strategy: 'replace_swap' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('strategy');
  });
});
