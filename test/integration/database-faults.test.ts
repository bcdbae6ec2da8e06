/**
 * Faults against real databases: a COMMIT whose acknowledgement is lost, a connection reset
 * mid-batch, rows the database rejects (rolled back whole, reported without values), hostile
 * identifiers next to a canary table, and credentials or targets that are wrong.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import type { CellValue, PhysicalType, Table, TableSchema } from '../../core/table.js';
import {
  COLUMN_TYPES,
  quoteIdentifier,
  TransientDbError,
  type DatabaseTarget,
} from '../../integrations/database/index.js';
import { queryDatabase, readRowsAsText, startFaultProxy, type FaultProxy } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const ALL: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const SERVERS: DialectName[] = ['postgres', 'mysql'];
const CANARY = 'CANARY-7f3a';

const { urlFor, open, onTeardown } = useDialectTargets('faults.db');

async function proxyFor(url: string): Promise<FaultProxy> {
  const proxy = await startFaultProxy(url);
  onTeardown(() => proxy.stop());
  return proxy;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

const ITEMS: TableSchema = {
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'string' },
  ],
};

function items(
  start: number,
  count: number,
  name: (id: number) => CellValue = (id) => `${CANARY}-${id}`,
): Table {
  const ids = Array.from({ length: count }, (_, i) => start + i);
  return {
    rowCount: count,
    columns: [
      { name: 'id', type: 'integer', values: ids },
      { name: 'name', type: 'string', values: ids.map(name) },
    ],
  };
}

async function startLoad(
  target: DatabaseTarget,
  runId: string,
  table: string,
  token: string,
  schema: TableSchema = ITEMS,
): Promise<void> {
  await target.ensureTable(table, schema);
  await target.acquireLease({ runId, table, token });
  await target.prepareLoad({ runId, table, token, strategy: 'append' });
}

/** Everything a failure could leak through: message, cause chain, and serialized form. */
function leakSurface(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error) {
    parts.push(e.message, String(e.stack ?? ''), JSON.stringify(e));
    e = e.cause;
  }
  return parts.join('\n');
}

async function createTableDirect(
  url: string,
  dialect: DialectName,
  table: string,
  columnsSql: string,
): Promise<void> {
  await queryDatabase(url, `CREATE TABLE ${quoteIdentifier(table, dialect)} (${columnsSql})`);
}

function typeOf(dialect: DialectName, type: PhysicalType): string {
  return COLUMN_TYPES[dialect][type];
}

describe.each(SERVERS)('connection faults on %s', (dialect) => {
  it('retries a batch whose COMMIT acknowledgement was lost and skips it via the ledger', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const proxy = await proxyFor(url);
    const target = open(proxy.url);
    const direct = open(url);
    const table = uniqueName('items');
    const runId = uniqueName('run');
    await startLoad(target, runId, table, 'attempt-1');

    proxy.dropAckAfterNextCommit();
    await expect(
      target.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows: items(0, 500) }),
    ).rejects.toBeInstanceOf(TransientDbError);
    expect(proxy.cuts).toBe(1);
    // The server committed although the client never heard back.
    expect(await direct.countRows(table)).toBe(500);

    expect(
      await target.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows: items(0, 500) }),
    ).toEqual({ status: 'skipped', rows: 500 });
    expect(
      await target.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b2', rows: items(500, 500) }),
    ).toEqual({ status: 'loaded', rows: 500 });
    expect(await direct.countRows(table)).toBe(1000);
    expect(await direct.ledger({ runId, table })).toEqual({ batches: 2, rows: 1000 });
    const ids = (await readRowsAsText(url, table, ['id'], 'id')).map((r) => Number(r[0]));
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rolls back a batch whose connection was reset mid-stream, and the retry loads it once', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const proxy = await proxyFor(url);
    const target = open(proxy.url);
    const direct = open(url);
    const table = uniqueName('items');
    const runId = uniqueName('run');
    await startLoad(target, runId, table, 'attempt-1');
    const rows = items(0, 30_000, (id) => `${CANARY}-${id}-${'x'.repeat(60)}`);

    proxy.cutAfterClientBytes(300_000);
    await expect(
      target.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows }),
    ).rejects.toBeInstanceOf(TransientDbError);
    expect(proxy.cuts).toBe(1);
    expect(await direct.countRows(table)).toBe(0);
    expect(await direct.ledger({ runId, table })).toEqual({ batches: 0, rows: 0 });

    expect(await target.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows })).toEqual({
      status: 'loaded',
      rows: 30_000,
    });
    expect(await direct.countRows(table)).toBe(30_000);
    expect(await direct.ledger({ runId, table })).toEqual({ batches: 1, rows: 30_000 });
  });

  it('reports an unreachable server as a TransientDbError', async (ctx) => {
    const url = new URL(urlFor(dialect, ctx));
    url.port = String(await closedPort());
    const target = open(url.toString());
    await expect(target.countRows('anything')).rejects.toBeInstanceOf(TransientDbError);
  });

  it('reports a wrong password and an unknown database as ConfigErrors without the password', async (ctx) => {
    const good = new URL(urlFor(dialect, ctx));
    const wrong = new URL(good);
    wrong.password = `${CANARY}-password`;
    const err = await open(wrong.toString())
      .countRows('anything')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('url');
    expect((err as Error).message).toMatch(/authentication failed/);
    expect(leakSurface(err)).not.toContain(CANARY);

    const missing = new URL(good);
    missing.pathname = '/no_such_database';
    const err2 = await open(missing.toString())
      .countRows('anything')
      .catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ConfigError);
    expect((err2 as Error).message).toMatch(/database does not exist/);
    if (good.password) expect((err2 as Error).message).not.toContain(decodeURIComponent(good.password));
  });
});

describe.each(ALL)('rejected rows on %s', (dialect) => {
  it('rolls back the whole batch on a NOT NULL violation in the last row, with a DataError naming no value', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = uniqueName('strict');
    const runId = uniqueName('run');
    await createTableDirect(
      url,
      dialect,
      table,
      `id ${typeOf(dialect, 'integer')} NOT NULL, name ${typeOf(dialect, 'string')} NOT NULL`,
    );
    await startLoad(target, runId, table, 'a1');
    await target.loadBatch({ runId, table, token: 'a1', batchId: 'b0', rows: items(0, 10) });

    const bad = items(10, 1000, (id) => (id === 1009 ? null : `${CANARY}-${id}`));
    const err = await target
      .loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows: bad })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/NOT NULL/);
    expect((err as DataError).location.column).toBe('name');
    // MySQL's multi-row NOT NULL error carries no row number; the others say exactly which row.
    if (dialect !== 'mysql') expect((err as DataError).location.row).toBe(1000);
    expect(leakSurface(err)).not.toContain(CANARY);
    expect(await target.countRows(table)).toBe(10);
    expect(await target.ledger({ runId, table })).toEqual({ batches: 1, rows: 10 });

    // The rollback released the lease row: the same attempt continues with a fixed batch.
    expect(
      (await target.loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows: items(10, 1000) })).status,
    ).toBe('loaded');
    expect(await target.countRows(table)).toBe(1010);
  });

  it('reports a missing table and a missing column as DataErrors', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const runId = uniqueName('run');
    const absent = uniqueName('absent');
    await target.acquireLease({ runId, table: absent, token: 'a1' });
    const noTable = await target
      .loadBatch({ runId, table: absent, token: 'a1', batchId: 'b1', rows: items(0, 3) })
      .catch((e: unknown) => e);
    expect(noTable).toBeInstanceOf(DataError);
    expect((noTable as Error).message).toMatch(/table does not exist/);

    const table = uniqueName('narrow');
    await createTableDirect(url, dialect, table, `id ${typeOf(dialect, 'integer')}`);
    await target.acquireLease({ runId, table, token: 'a1' });
    const noColumn = await target
      .loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows: items(0, 3) })
      .catch((e: unknown) => e);
    expect(noColumn).toBeInstanceOf(DataError);
    expect((noColumn as Error).message).toMatch(/column does not exist/);
    expect(leakSurface(noColumn)).not.toContain(CANARY);

    // ensureTable checks the live schema before any load and names the missing column.
    const checked = await target.ensureTable(table, ITEMS).catch((e: unknown) => e);
    expect(checked).toBeInstanceOf(DataError);
    expect((checked as DataError).location.column).toBe('name');
    expect(await target.countRows(table)).toBe(0);
  });

  it('rejects a value that does not fit the declared type before it reaches the database', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = uniqueName('items');
    const runId = uniqueName('run');
    await startLoad(target, runId, table, 'a1');
    const rows: Table = {
      rowCount: 3,
      columns: [
        { name: 'id', type: 'integer', values: [1, 2, `${CANARY}`] },
        { name: 'name', type: 'string', values: ['a', 'b', 'c'] },
      ],
    };
    const err = await target
      .loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location).toEqual({ row: 3, column: 'id' });
    expect(leakSurface(err)).not.toContain(CANARY);
    expect(await target.countRows(table)).toBe(0);
  });
});

describe.each(SERVERS)('server-side type checks on %s', (dialect) => {
  it('maps value-too-long and type conversion failures to DataErrors naming the column, not the value', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const runId = uniqueName('run');
    const table = uniqueName('typed');
    await createTableDirect(
      url,
      dialect,
      table,
      `id ${typeOf(dialect, 'integer')}, code VARCHAR(8), amount ${typeOf(dialect, 'integer')}`,
    );
    const schema: TableSchema = {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'code', type: 'string' },
        { name: 'amount', type: 'string' },
      ],
    };
    await startLoad(target, runId, table, 'a1', schema);
    const rows = (code: string, amount: string): Table => ({
      rowCount: 2,
      columns: [
        { name: 'id', type: 'integer', values: [1, 2] },
        { name: 'code', type: 'string', values: ['ok', code] },
        { name: 'amount', type: 'string', values: ['5', amount] },
      ],
    });

    const tooLong = await target
      .loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows: rows(`${CANARY}-too-long`, '7') })
      .catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(DataError);
    expect((tooLong as Error).message).toMatch(/too long/);
    expect((tooLong as DataError).location).toEqual({ row: 2, column: 'code' });
    expect(leakSurface(tooLong)).not.toContain(CANARY);

    const notNumber = await target
      .loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows: rows('ok', `${CANARY}`) })
      .catch((e: unknown) => e);
    expect(notNumber).toBeInstanceOf(DataError);
    expect((notNumber as DataError).location).toEqual({ row: 2, column: 'amount' });
    expect(leakSurface(notNumber)).not.toContain(CANARY);
    expect(await target.countRows(table)).toBe(0);
  });
});

describe.each(ALL)('hostile identifiers on %s', (dialect) => {
  it('quotes or rejects hostile table and column names while a canary table survives', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const canary = uniqueName('canary');
    await target.ensureTable(canary, ITEMS);
    await target.acquireLease({ runId: 'canary', table: canary, token: 't' });
    await target.loadBatch({ runId: 'canary', table: canary, token: 't', batchId: 'b', rows: items(0, 1) });

    const tag = randomUUID().slice(0, 6);
    const accepted = [
      `x"; DROP TABLE ${canary}; --${tag}`,
      `r'); DROP TABLE ${canary};--${tag}`,
      `\`t\`; DROP TABLE ${canary}${tag}`,
      'select',
      'TABLE',
      `a.b${tag}`,
      `with space ${tag}`,
      `ü名前${tag}`,
      `a?b${tag}`,
      `a\\?b${tag}`,
      `$1${tag}`,
      `-- ${tag}`,
    ];
    const columns = [
      'id',
      `x"; DROP TABLE ${canary}; --`,
      'select',
      'a.b',
      'with space',
      'a?b',
      '`c`',
      "it's",
    ];
    const schema: TableSchema = {
      columns: columns.map((name, i) => ({ name, type: i === 0 ? 'integer' : 'string' })),
    };
    const rows: Table = {
      rowCount: 2,
      columns: columns.map((name, i) => ({
        name,
        type: i === 0 ? 'integer' : 'string',
        values: i === 0 ? [1, 2] : [`v${i}`, null],
      })),
    };
    for (const table of accepted) {
      const runId = uniqueName('run');
      await target.ensureTable(table, schema);
      await target.ensureTable(table, schema); // the second call finds the live table
      await target.acquireLease({ runId, table, token: 'a1' });
      await target.prepareLoad({ runId, table, token: 'a1', strategy: 'truncate_insert' });
      expect(await target.loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows })).toEqual({
        status: 'loaded',
        rows: 2,
      });
      expect(await target.countRows(table)).toBe(2);
      expect(await readRowsAsText(url, table, columns.slice(1), 'id')).toEqual([
        columns.slice(1).map((_, i) => `v${i + 1}`),
        columns.slice(1).map(() => null),
      ]);
    }

    const limit = dialect === 'postgres' ? 63 : dialect === 'mysql' ? 64 : 128;
    const atLimit = `${tag}${'n'.repeat(limit - tag.length)}`;
    await target.ensureTable(atLimit, ITEMS);
    expect(await target.countRows(atLimit)).toBe(0);

    const rejected: string[] = [
      `${tag}${'n'.repeat(limit + 1 - tag.length)}`,
      '',
      'bad\u0000name',
      'understudy_load_ledger',
    ];
    if (dialect === 'postgres') rejected.push('é'.repeat(32)); // 32 characters, 64 bytes
    if (dialect === 'mysql') rejected.push(`emoji😀${tag}`, `trailing space${tag} `);
    for (const table of rejected) {
      const err = await target.ensureTable(table, ITEMS).catch((e: unknown) => e);
      expect(err, JSON.stringify(table)).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe('table');
    }
    const badColumn = await target
      .ensureTable(uniqueName('cols'), {
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'n'.repeat(limit + 1), type: 'string' },
        ],
      })
      .catch((e: unknown) => e);
    expect(badColumn).toBeInstanceOf(ConfigError);
    expect((badColumn as ConfigError).field).toBe('schema.columns[1]');

    expect(await target.countRows(canary)).toBe(1);
  });
});

async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
