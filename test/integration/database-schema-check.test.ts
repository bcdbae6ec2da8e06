/**
 * Loading into an existing table checks the synthetic schema against the live one first (real SQLite,
 * PostgreSQL and MariaDB): a column whose declared type cannot take the values, or a required column
 * the synthetic data lacks, fails before anything is written, naming table, column and types.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import type { TableSchema } from '../../core/table.js';
import { queryDatabase } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const { urlFor, open } = useDialectTargets('schema-check.db');

const ORDERS: TableSchema = {
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'customer', type: 'string' },
    { name: 'amount', type: 'float' },
    { name: 'ordered_on', type: 'date' },
  ],
};

/** CREATE TABLE in the dialect's own spelling, written by hand as an application's migration would. */
function createSql(dialect: DialectName, table: string, amountType: string, extra = ''): string {
  const q = dialect === 'mysql' ? '`' : '"';
  const text = dialect === 'mysql' ? 'VARCHAR(80)' : 'TEXT';
  return `CREATE TABLE ${q}${table}${q} (id BIGINT PRIMARY KEY, customer ${text}, amount ${amountType}, ordered_on DATE${extra})`;
}

const unique = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

describe.each(DIALECTS)('schema check on %s', (dialect) => {
  it('accepts a live table whose types fit, with extra nullable and defaulted columns', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('orders');
    await queryDatabase(
      url,
      createSql(dialect, table, 'NUMERIC(12,2)', ", note TEXT, status VARCHAR(10) NOT NULL DEFAULT 'new'"),
    );
    await expect(open(url).ensureTable(table, ORDERS)).resolves.toBeUndefined();
  });

  it.skipIf(dialect === 'sqlite')(
    'refuses a float column into an integer column, naming both types',
    async (ctx) => {
      const url = urlFor(dialect, ctx);
      const table = unique('orders');
      await queryDatabase(url, createSql(dialect, table, 'INTEGER'));
      const err = await open(url)
        .ensureTable(table, ORDERS)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toContain('"amount"');
      expect((err as Error).message).toMatch(/int.*cannot hold the synthetic float values/);
    },
  );

  it('refuses a table with a required column the synthetic data does not have', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('orders');
    await queryDatabase(
      url,
      createSql(
        dialect,
        table,
        'DOUBLE PRECISION'.replace(dialect === 'mysql' ? ' PRECISION' : '', ''),
        ', tenant_id BIGINT NOT NULL',
      ),
    );
    const err = await open(url)
      .ensureTable(table, ORDERS)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain('"tenant_id"');
    expect((err as Error).message).toContain('NOT NULL without a default');
    expect(await open(url).countRows(table)).toBe(0);
  });

  it('lists every problem at once, and the missing column', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('orders');
    const q = dialect === 'mysql' ? '`' : '"';
    await queryDatabase(
      url,
      `CREATE TABLE ${q}${table}${q} (id BIGINT, amount DOUBLE PRECISION, tenant_id INTEGER NOT NULL)`.replace(
        dialect === 'mysql' ? ' PRECISION' : '@@',
        '',
      ),
    );
    const err = await open(url)
      .ensureTable(table, ORDERS)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    const message = (err as Error).message;
    expect(message).toContain('has no column "customer"');
    expect(message).toContain('has no column "ordered_on"');
    expect(message).toContain('"tenant_id"');
  });
});
