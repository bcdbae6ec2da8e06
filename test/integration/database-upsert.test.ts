/**
 * The upsert strategy on real databases (a SQLite file, embedded PostgreSQL, MariaDB): new keys are
 * inserted, existing keys updated, a retried batch is skipped by the ledger, and a key the table does
 * not enforce is refused before anything is written.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { Table, TableSchema } from '../../core/table.js';
import { readRowsAsText } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const { urlFor, open } = useDialectTargets('upsert.db');

const ACCOUNTS: TableSchema = {
  columns: [
    { name: 'region', type: 'string' },
    { name: 'account_no', type: 'integer' },
    { name: 'owner', type: 'string' },
    { name: 'balance', type: 'float' },
  ],
};
const KEY = ['region', 'account_no'];

function accounts(from: number, count: number, owner: string): Table {
  const n = Array.from({ length: count }, (_, i) => from + i);
  return {
    rowCount: count,
    columns: [
      { name: 'region', type: 'string', values: n.map((i) => (i % 2 === 0 ? 'north' : 'south')) },
      { name: 'account_no', type: 'integer', values: n },
      { name: 'owner', type: 'string', values: n.map((i) => `${owner} ${i}`) },
      { name: 'balance', type: 'float', values: n.map((i) => i / 4) },
    ],
  };
}

const unique = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

describe.each(DIALECTS)('upsert on %s', (dialect) => {
  it('inserts new keys and updates existing ones on a composite primary key, exactly once', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = unique('accounts');
    await target.ensureTable(table, ACCOUNTS, { primaryKey: KEY });

    const first = unique('run');
    await target.acquireLease({ runId: first, table, token: 'a1' });
    await target.prepareLoad({ runId: first, table, token: 'a1', strategy: 'upsert', key: KEY });
    await target.loadBatch({
      runId: first,
      table,
      token: 'a1',
      batchId: 'b0',
      rows: accounts(0, 100, 'old'),
      upsertKey: KEY,
    });

    // A second run: rows 50–149, half of them existing keys.
    const second = unique('run');
    await target.acquireLease({ runId: second, table, token: 'a1' });
    await target.prepareLoad({ runId: second, table, token: 'a1', strategy: 'upsert', key: KEY });
    const batch = {
      runId: second,
      table,
      token: 'a1',
      batchId: 'b0',
      rows: accounts(50, 100, 'new'),
      upsertKey: KEY,
    };
    expect(await target.loadBatch(batch)).toEqual({ status: 'loaded', rows: 100 });
    // The retried batch is skipped by the ledger, not applied twice.
    expect(await target.loadBatch(batch)).toEqual({ status: 'skipped', rows: 100 });

    expect(await target.countRows(table)).toBe(150);
    const rows = await readRowsAsText(url, table, ['account_no', 'owner'], 'account_no');
    expect(rows[0]).toEqual(['0', 'old 0']);
    expect(rows[49]).toEqual(['49', 'old 49']);
    expect(rows[50]).toEqual(['50', 'new 50']);
    expect(rows[149]).toEqual(['149', 'new 149']);
  });

  it('upserts on a unique index of an existing table, also when the key is every loaded column', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = unique('tags');
    const schema: TableSchema = { columns: [{ name: 'tag', type: 'string' }] };
    await target.ensureTable(table, schema, { primaryKey: ['tag'] });
    const runId = unique('run');
    await target.acquireLease({ runId, table, token: 't' });
    await target.prepareLoad({ runId, table, token: 't', strategy: 'upsert', key: ['tag'] });
    const tags = (values: string[]): Table => ({
      rowCount: values.length,
      columns: [{ name: 'tag', type: 'string', values }],
    });
    await target.loadBatch({
      runId,
      table,
      token: 't',
      batchId: '1',
      rows: tags(['a', 'b']),
      upsertKey: ['tag'],
    });
    await target.loadBatch({
      runId,
      table,
      token: 't',
      batchId: '2',
      rows: tags(['b', 'c']),
      upsertKey: ['tag'],
    });
    expect(await target.countRows(table)).toBe(3);
  });

  it('refuses a key the table does not enforce, and a missing key, naming the field', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = unique('accounts');
    await target.ensureTable(table, ACCOUNTS, { primaryKey: KEY });
    const runId = unique('run');
    await target.acquireLease({ runId, table, token: 'a1' });
    const refused = async (request: Parameters<typeof target.prepareLoad>[0]) => {
      const err = await target.prepareLoad(request).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    };
    // Only part of the composite key: not unique on its own.
    expect(
      (await refused({ runId, table, token: 'a1', strategy: 'upsert', key: ['account_no'] })).field,
    ).toBe('key');
    expect((await refused({ runId, table, token: 'a1', strategy: 'upsert' })).field).toBe('key');
    expect(
      (await refused({ runId, table, token: 'a1', strategy: 'upsert', key: ['region', 'nope'] })).field,
    ).toBe('key[1]');
    expect(await target.countRows(table)).toBe(0);
  });
});
