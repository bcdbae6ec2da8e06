/**
 * Exactly-once loading into real databases (a SQLite file, embedded PostgreSQL, MariaDB when
 * installed): exact counts, ledger skips, truncate-once, fencing, and value round-trips.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataError, FencedError } from '../../core/errors.js';
import type { CellValue, PhysicalType, Table, TableSchema } from '../../core/table.js';
import type { DatabaseTarget } from '../../integrations/database/index.js';
import { readRowsAsText } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];

const { urlFor, open } = useDialectTargets('target.db');

function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

const PEOPLE: TableSchema = {
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'string' },
    { name: 'score', type: 'float' },
    { name: 'active', type: 'boolean' },
    { name: 'born', type: 'date' },
    { name: 'seen', type: 'timestamp' },
  ],
};

function people(start: number, count: number): Table {
  const ids = Array.from({ length: count }, (_, i) => start + i);
  return {
    rowCount: count,
    columns: [
      { name: 'id', type: 'integer', values: ids },
      { name: 'name', type: 'string', values: ids.map((id) => `person ${id}`) },
      { name: 'score', type: 'float', values: ids.map((id) => id / 8) },
      { name: 'active', type: 'boolean', values: ids.map((id) => id % 2 === 0) },
      {
        name: 'born',
        type: 'date',
        values: ids.map((id) => `19${String(50 + (id % 50))}-0${1 + (id % 9)}-1${id % 10}`),
      },
      {
        name: 'seen',
        type: 'timestamp',
        values: ids.map((id) => new Date(Date.UTC(2024, 0, 1) + id * 1000).toISOString()),
      },
    ],
  };
}

function expectedIdName(start: number, count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [String(start + i), `person ${start + i}`]);
}

function oneColumn(name: string, type: PhysicalType, values: CellValue[]): Table {
  return {
    rowCount: values.length,
    columns: [
      { name: 'id', type: 'integer', values: values.map((_, i) => i + 1) },
      { name, type, values },
    ],
  };
}

async function startLoad(
  target: DatabaseTarget,
  runId: string,
  table: string,
  token: string,
  schema: TableSchema = PEOPLE,
): Promise<void> {
  await target.ensureTable(table, schema);
  await target.acquireLease({ runId, table, token });
  await target.prepareLoad({ runId, table, token, strategy: 'append' });
}

describe.each(DIALECTS)('database target on %s', (dialect) => {
  it('loads N batches with exact counts, a matching ledger and the expected rows', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const target = open(url);
    const table = uniqueName('people');
    const runId = uniqueName('run');
    await startLoad(target, runId, table, 'attempt-1');
    for (let b = 0; b < 5; b++) {
      const result = await target.loadBatch({
        runId,
        table,
        token: 'attempt-1',
        batchId: `batch-${b}`,
        rows: people(b * 300, 300),
      });
      expect(result).toEqual({ status: 'loaded', rows: 300 });
    }
    expect(await target.countRows(table)).toBe(1500);
    expect(await target.ledger({ runId, table })).toEqual({ batches: 5, rows: 1500 });
    expect(await readRowsAsText(url, table, ['id', 'name'], 'id')).toEqual(expectedIdName(0, 1500));
  });

  it('skips a batch that the ledger already holds, even from another worker', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('people');
    const runId = uniqueName('run');
    const first = open(url);
    await startLoad(first, runId, table, 'attempt-1');
    expect(
      await first.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows: people(0, 250) }),
    ).toEqual({ status: 'loaded', rows: 250 });
    expect(
      await first.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows: people(0, 250) }),
    ).toEqual({ status: 'skipped', rows: 250 });

    // The retry runs on another worker with its own pool and a new attempt token.
    const retry = open(url);
    await retry.acquireLease({ runId, table, token: 'attempt-2' });
    expect(
      await retry.loadBatch({ runId, table, token: 'attempt-2', batchId: 'b1', rows: people(0, 250) }),
    ).toEqual({ status: 'skipped', rows: 250 });
    expect(
      await retry.loadBatch({ runId, table, token: 'attempt-2', batchId: 'b2', rows: people(250, 250) }),
    ).toEqual({ status: 'loaded', rows: 250 });
    expect(await retry.countRows(table)).toBe(500);
    expect(await retry.ledger({ runId, table })).toEqual({ batches: 2, rows: 500 });
    expect(await readRowsAsText(url, table, ['id', 'name'], 'id')).toEqual(expectedIdName(0, 500));
  });

  it('truncate_insert truncates exactly once per run and table, even when retried', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('people');
    const target = open(url);
    const earlier = uniqueName('run');
    await startLoad(target, earlier, table, 'old');
    await target.loadBatch({ runId: earlier, table, token: 'old', batchId: 'b1', rows: people(10_000, 40) });
    expect(await target.countRows(table)).toBe(40);

    const runId = uniqueName('run');
    await target.acquireLease({ runId, table, token: 'attempt-1' });
    await target.prepareLoad({ runId, table, token: 'attempt-1', strategy: 'truncate_insert' });
    expect(await target.countRows(table)).toBe(0);
    await target.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows: people(0, 100) });

    // Attempt 2 repeats the whole activity: prepare must not wipe attempt 1's committed batch.
    const retry = open(url);
    await retry.acquireLease({ runId, table, token: 'attempt-2' });
    await retry.prepareLoad({ runId, table, token: 'attempt-2', strategy: 'truncate_insert' });
    expect(await retry.countRows(table)).toBe(100);
    expect(
      (await retry.loadBatch({ runId, table, token: 'attempt-2', batchId: 'b1', rows: people(0, 100) }))
        .status,
    ).toBe('skipped');
    expect(
      (await retry.loadBatch({ runId, table, token: 'attempt-2', batchId: 'b2', rows: people(100, 100) }))
        .status,
    ).toBe('loaded');
    expect(await retry.countRows(table)).toBe(200);
    expect(await readRowsAsText(url, table, ['id', 'name'], 'id')).toEqual(expectedIdName(0, 200));

    // A new run truncates again: the marker is per (run, table).
    const next = uniqueName('run');
    await retry.acquireLease({ runId: next, table, token: 'n1' });
    await retry.prepareLoad({ runId: next, table, token: 'n1', strategy: 'truncate_insert' });
    expect(await retry.countRows(table)).toBe(0);
  });

  it('fences a zombie attempt once a newer token holds the lease', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('people');
    const runId = uniqueName('run');
    const zombie = open(url);
    await startLoad(zombie, runId, table, 'attempt-1');
    await zombie.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows: people(0, 100) });

    const successor = open(url);
    await successor.acquireLease({ runId, table, token: 'attempt-2' });

    await expect(
      zombie.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b2', rows: people(100, 100) }),
    ).rejects.toBeInstanceOf(FencedError);
    await expect(
      zombie.prepareLoad({ runId, table, token: 'attempt-1', strategy: 'truncate_insert' }),
    ).rejects.toBeInstanceOf(FencedError);
    expect(await successor.countRows(table)).toBe(100);

    expect(
      (await successor.loadBatch({ runId, table, token: 'attempt-2', batchId: 'b2', rows: people(100, 100) }))
        .status,
    ).toBe('loaded');
    await expect(
      zombie.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b3', rows: people(200, 100) }),
    ).rejects.toBeInstanceOf(FencedError);
    expect(await successor.countRows(table)).toBe(200);
    expect(await successor.ledger({ runId, table })).toEqual({ batches: 2, rows: 200 });
  });

  it('never writes without a lease', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('people');
    const target = open(url);
    await target.ensureTable(table, PEOPLE);
    await expect(
      target.loadBatch({ runId: uniqueName('run'), table, token: 't', batchId: 'b1', rows: people(0, 5) }),
    ).rejects.toBeInstanceOf(FencedError);
    expect(await target.countRows(table)).toBe(0);
  });

  it('loads a batch exactly once when a takeover races an in-flight zombie batch', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('people');
    const runId = uniqueName('run');
    const zombie = open(url);
    const successor = open(url);
    await startLoad(zombie, runId, table, 'attempt-1');
    const rows = people(0, 20_000);

    const zombieLoad = zombie.loadBatch({ runId, table, token: 'attempt-1', batchId: 'b1', rows }).then(
      (r) => r.status,
      (err: unknown) => (err instanceof FencedError ? 'fenced' : Promise.reject(err)),
    );
    await successor.acquireLease({ runId, table, token: 'attempt-2' });
    const successorStatus = (
      await successor.loadBatch({ runId, table, token: 'attempt-2', batchId: 'b1', rows })
    ).status;
    const zombieStatus = await zombieLoad;

    // Whichever order the database chose, exactly one of them wrote the batch.
    expect([zombieStatus, successorStatus].filter((s) => s === 'loaded')).toHaveLength(1);
    expect(await successor.countRows(table)).toBe(20_000);
    expect(await successor.ledger({ runId, table })).toEqual({ batches: 1, rows: 20_000 });
  });

  it('loads several tables of one run in parallel, each exactly once', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const runId = uniqueName('run');
    const tables = [uniqueName('fan'), uniqueName('fan'), uniqueName('fan')];
    await Promise.all(
      tables.map(async (table, t) => {
        const target = open(url);
        await startLoad(target, runId, table, `attempt-${t}`);
        for (let b = 0; b < 6; b++) {
          const rows = people(b * 200, 200);
          await target.loadBatch({ runId, table, token: `attempt-${t}`, batchId: `batch-${b}`, rows });
          // Every batch is retried once, as a lost acknowledgement would cause.
          expect(
            (await target.loadBatch({ runId, table, token: `attempt-${t}`, batchId: `batch-${b}`, rows }))
              .status,
          ).toBe('skipped');
        }
      }),
    );
    const check = open(url);
    for (const table of tables) {
      expect(await check.countRows(table)).toBe(1200);
      expect(await check.ledger({ runId, table })).toEqual({ batches: 6, rows: 1200 });
    }
  });

  it('keeps NULL and the empty string apart, and escapes COPY specials', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('strings');
    const runId = uniqueName('run');
    const target = open(url);
    const values: CellValue[] = [
      '',
      null,
      '\\N',
      'NULL',
      '\\',
      '\t',
      '\n',
      '\r\n',
      ' ',
      '"',
      "'",
      ',',
      'a\\tb',
      'x\ty\nz',
      '?',
      '$1',
      '--',
      ';',
    ];
    const schema: TableSchema = {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'v', type: 'string' },
      ],
    };
    await startLoad(target, runId, table, 'a1', schema);
    await target.loadBatch({
      runId,
      table,
      token: 'a1',
      batchId: 'b1',
      rows: oneColumn('v', 'string', values),
    });
    const back = await readRowsAsText(url, table, ['v'], 'id');
    expect(back.map((r) => r[0])).toEqual(values);
  });

  it('round-trips unicode and emoji exactly', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('unicode');
    const runId = uniqueName('run');
    const target = open(url);
    const values: CellValue[] = [
      'ü',
      'Åström',
      '名前',
      '😀',
      '👩‍👩‍👧‍👦',
      '👍🏽',
      'שלום',
      'مرحبا',
      'e\u0301',
      'line\u2028separator',
      '\uFEFFbom',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗',
    ];
    if (dialect !== 'postgres') values.push('nul\u0000inside');
    const schema: TableSchema = {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'v', type: 'string' },
      ],
    };
    await startLoad(target, runId, table, 'a1', schema);
    await target.loadBatch({
      runId,
      table,
      token: 'a1',
      batchId: 'b1',
      rows: oneColumn('v', 'string', values),
    });
    const back = await readRowsAsText(url, table, ['v'], 'id');
    expect(back.map((r) => r[0])).toEqual(values);
  });

  it('rejects a lone surrogate (and NUL in PostgreSQL text) naming the row, never storing U+FFFD', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('unicode');
    const runId = uniqueName('run');
    const target = open(url);
    const schema: TableSchema = {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'v', type: 'string' },
      ],
    };
    await startLoad(target, runId, table, 'a1', schema);
    const bad = 'CANARY\uD83D';
    const err = await target
      .loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows: oneColumn('v', 'string', ['fine', bad]) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).location).toEqual({ row: 2, column: 'v' });
    expect((err as Error).message).not.toContain('CANARY');
    expect(await target.countRows(table)).toBe(0);
    if (dialect === 'postgres') {
      const nul = await target
        .loadBatch({
          runId,
          table,
          token: 'a1',
          batchId: 'b2',
          rows: oneColumn('v', 'string', ['CANARY\u0000x']),
        })
        .catch((e: unknown) => e);
      expect(nul).toBeInstanceOf(DataError);
      expect((nul as DataError).location).toEqual({ row: 1, column: 'v' });
      expect((nul as Error).message).not.toContain('CANARY');
    }
    expect(await target.ledger({ runId, table })).toEqual({ batches: 0, rows: 0 });
  });

  it('round-trips integers, floats, booleans, dates and timestamps', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = uniqueName('typed');
    const runId = uniqueName('run');
    const target = open(url);
    const schema: TableSchema = {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'big', type: 'integer' },
        { name: 'f', type: 'float' },
        { name: 'b', type: 'boolean' },
        { name: 'd', type: 'date' },
        { name: 'ts', type: 'timestamp' },
      ],
    };
    const rows: Table = {
      rowCount: 3,
      columns: [
        { name: 'id', type: 'integer', values: [1, 2, 3] },
        { name: 'big', type: 'integer', values: ['9007199254740993', -42, null] },
        { name: 'f', type: 'float', values: [0.1, -2.5e-10, null] },
        { name: 'b', type: 'boolean', values: [true, false, null] },
        { name: 'd', type: 'date', values: ['2024-02-29', '1970-01-01', null] },
        {
          name: 'ts',
          type: 'timestamp',
          values: ['2024-01-02T03:04:05.678Z', '2024-06-30T23:59:59.999+02:00', null],
        },
      ],
    };
    await startLoad(target, runId, table, 'a1', schema);
    await target.loadBatch({ runId, table, token: 'a1', batchId: 'b1', rows });
    const back = await readRowsAsText(url, table, ['big', 'f', 'b', 'd', 'ts'], 'id');
    expect(back.map((r) => r[0])).toEqual(['9007199254740993', '-42', null]);
    expect(back.map((r) => (r[1] === null ? null : Number(r[1])))).toEqual([0.1, -2.5e-10, null]);
    const truth = dialect === 'postgres' ? ['true', 'false'] : ['1', '0'];
    expect(back.map((r) => r[2])).toEqual([...truth, null]);
    expect(back.map((r) => r[3])).toEqual(['2024-02-29', '1970-01-01', null]);
    const instants = back.map((r) => (r[4] == null ? null : parseStoredTimestamp(r[4])));
    expect(instants).toEqual([
      Date.parse('2024-01-02T03:04:05.678Z'),
      Date.parse('2024-06-30T21:59:59.999Z'),
      null,
    ]);
  });
});

/** PostgreSQL prints `2024-01-02 03:04:05.678+00`, MySQL `2024-01-02 03:04:05.678` (UTC), SQLite ISO. */
function parseStoredTimestamp(text: string): number {
  let iso = text.replace(' ', 'T');
  if (/\+00$/.test(iso)) iso = iso.replace(/\+00$/, 'Z');
  else if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) iso += 'Z';
  return Date.parse(iso);
}
