/**
 * `understudy load` on real databases (a SQLite file, embedded PostgreSQL, MariaDB): files of every format
 * into new and existing tables, every strategy, an interrupted load resumed by its load id (reconciled: the
 * set of rows equals the file's, no duplicates), value-free errors that name file, line, row and column,
 * and the command line itself.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import type { Table } from '../../core/table.js';
import { parseDatabaseUrl } from '../../integrations/database/connection-url.js';
import { quoteIdentifier } from '../../integrations/database/identifiers.js';
import { loadFile, type LoadFileOptions } from '../../integrations/database/load-file.js';
import { writeTableFile } from '../../integrations/tabular/index.js';
import { queryDatabase } from '../support/databases.js';
import { useDialectTargets, type DialectName } from '../support/dialect-targets.js';

const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];
const { urlFor } = useDialectTargets('load-cli.db');
const root = path.resolve(import.meta.dirname, '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-load-cli-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const unique = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

async function inputFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, `${randomUUID().slice(0, 8)}-${name}`);
  await writeFile(file, text);
  return file;
}

/** Quotes, doubled quotes, delimiters, line breaks and tabs inside fields, NULL (empty) vs empty string (`""`), unicode. */
const TRICKY_CSV = [
  'id,name,amount,active,born,seen_at,note',
  '1,"Ana ""the"" Smith",1.5,true,1990-01-31,2024-05-01T10:00:00Z,"line one\nline two"',
  '2,Bob,-2,false,2000-02-29,2024-05-01 11:30:15.123+02:00,""',
  '3,,1e3,TRUE,,2024-05-02,plain',
  '4,"Zoë, Ünal 🎉",0.25,False,1999-12-31,2024-05-03T00:00:00,"tab\there\\back"',
  '',
].join('\n');

interface Row {
  id: number;
  name: string | null;
  amount: number;
  active: boolean;
  born: string | null;
  seenAt: number;
  note: string | null;
}

const EXPECTED: Row[] = [
  {
    id: 1,
    name: 'Ana "the" Smith',
    amount: 1.5,
    active: true,
    born: '1990-01-31',
    seenAt: Date.parse('2024-05-01T10:00:00Z'),
    note: 'line one\nline two',
  },
  {
    id: 2,
    name: 'Bob',
    amount: -2,
    active: false,
    born: '2000-02-29',
    seenAt: Date.parse('2024-05-01T11:30:15.123+02:00'),
    note: '',
  },
  {
    id: 3,
    name: null,
    amount: 1000,
    active: true,
    born: null,
    seenAt: Date.parse('2024-05-02T00:00:00Z'),
    note: 'plain',
  },
  {
    id: 4,
    name: 'Zoë, Ünal 🎉',
    amount: 0.25,
    active: false,
    born: '1999-12-31',
    seenAt: Date.parse('2024-05-03T00:00:00Z'),
    note: 'tab\there\\back',
  },
];

/** Reads every column as text in each dialect's spelling and turns it back into values. */
async function readTricky(url: string, table: string): Promise<Row[]> {
  const { dialect } = parseDatabaseUrl(url);
  const q = (c: string) => quoteIdentifier(c, dialect);
  const text = (c: string) =>
    dialect === 'postgres'
      ? `${q(c)}::text`
      : dialect === 'mysql'
        ? `CAST(${q(c)} AS CHAR)`
        : `CAST(${q(c)} AS TEXT)`;
  const seen =
    dialect === 'postgres'
      ? `to_char(${q('seen_at')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : text('seen_at');
  const rows = await queryDatabase(
    url,
    `SELECT ${text('id')} AS id, ${q('name')} AS name, ${text('amount')} AS amount, ${text('active')} AS active,
            ${text('born')} AS born, ${seen} AS seen_at, ${q('note')} AS note FROM ${q(table)} ORDER BY ${q('id')}`,
  );
  return rows.map((r) => ({
    id: Number(r['id']),
    name: r['name'] === null ? null : String(r['name']),
    amount: Number(r['amount']),
    active: ['true', 't', '1'].includes(String(r['active'])),
    born: r['born'] === null ? null : String(r['born']),
    seenAt: Date.parse(utcIso(String(r['seen_at']))),
    note: r['note'] === null ? null : String(r['note']),
  }));
}

/** MySQL's DATETIME text has a space and no zone (we store UTC); the others are ISO already. */
function utcIso(text: string): string {
  const iso = text.replace(' ', 'T');
  return /Z$|[+-]\d{2}(:?\d{2})?$/.test(iso) ? iso : `${iso}Z`;
}

/** The table's column types, lower-case, as the catalog states them. */
async function columnTypes(url: string, table: string): Promise<Record<string, string>> {
  const { dialect } = parseDatabaseUrl(url);
  const sql =
    dialect === 'postgres'
      ? `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
          WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`
      : dialect === 'mysql'
        ? `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`
        : `SELECT name, type FROM pragma_table_info(?)`;
  const rows = await queryDatabase(url, sql, [
    dialect === 'postgres' ? quoteIdentifier(table, dialect) : table,
  ]);
  return Object.fromEntries(rows.map((r) => [String(r['name']), String(r['type']).toLowerCase()]));
}

async function count(url: string, table: string): Promise<{ rows: number; ids: number }> {
  const { dialect } = parseDatabaseUrl(url);
  const [r] = await queryDatabase(
    url,
    `SELECT COUNT(*) AS n, COUNT(DISTINCT ${quoteIdentifier('id', dialect)}) AS k FROM ${quoteIdentifier(table, dialect)}`,
  );
  return { rows: Number(r?.['n']), ids: Number(r?.['k']) };
}

/** `n` rows of id,label,score with a few values that need quoting. */
function numberedCsv(n: number, label = 'row'): string {
  const lines = ['id,label,score'];
  for (let i = 1; i <= n; i++)
    lines.push(`${i},${i % 7 === 0 ? `"${label}, ""${i}"""` : `${label}-${i}`},${i / 8}`);
  return `${lines.join('\n')}\n`;
}

async function readNumbered(url: string, table: string): Promise<string[]> {
  const { dialect } = parseDatabaseUrl(url);
  const q = (c: string) => quoteIdentifier(c, dialect);
  const rows = await queryDatabase(url, `SELECT ${q('id')} AS id, ${q('label')} AS label FROM ${q(table)}`);
  return rows.map((r) => `${Number(r['id'])}|${String(r['label'])}`).sort();
}

function expectedNumbered(n: number, label = 'row'): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return `${i}|${i % 7 === 0 ? `${label}, "${i}"` : `${label}-${i}`}`;
  }).sort();
}

async function load(opts: Omit<LoadFileOptions, 'baseDir'>) {
  return loadFile({ ...opts, baseDir: dir });
}

describe.each(DIALECTS)('understudy load into %s', (dialect) => {
  it('creates the table from the CSV (types inferred from every row) and loads every cell as written', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('people');
    const input = await inputFile('people.csv', TRICKY_CSV);
    const loadId = unique('load');
    const first = await load({ input, url, table, loadId, batchSize: 3 });
    expect(first).toMatchObject({ createdTable: true, loadedRows: 4, skippedRows: 0, batches: 2 });
    expect(first.schema.columns.map((c) => c.type)).toEqual([
      'integer',
      'string',
      'float',
      'boolean',
      'date',
      'timestamp',
      'string',
    ]);
    expect(await readTricky(url, table)).toEqual(EXPECTED);
    const types = await columnTypes(url, table);
    if (dialect === 'postgres')
      expect(types).toMatchObject({
        id: 'bigint',
        active: 'boolean',
        born: 'date',
        seen_at: 'timestamp with time zone',
      });

    // The same load id again: every batch is in the ledger, nothing is written twice.
    const again = await load({ input, url, table, loadId });
    expect(again).toMatchObject({ createdTable: false, loadedRows: 0, skippedRows: 4, skippedBatches: 2 });
    expect(await count(url, table)).toEqual({ rows: 4, ids: 4 });
  });

  it('resumes an interrupted load from its load id: no row lost, none duplicated', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('numbered');
    const input = await inputFile('numbered.csv', numberedCsv(2_500));
    const loadId = unique('load');
    const abort = new AbortController();
    let batches = 0;
    await expect(
      load({
        input,
        url,
        table,
        loadId,
        batchSize: 400,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.phase === 'loading' && p.loadedRows > 0 && ++batches === 3) abort.abort();
        },
      }),
    ).rejects.toThrow();
    expect(await count(url, table)).toEqual({ rows: 1_200, ids: 1_200 });

    // The resumed run keeps the batch size it was started with, without being told.
    const resumed = await load({ input, url, table, loadId });
    expect(resumed).toMatchObject({
      batchSize: 400,
      loadedRows: 1_300,
      skippedRows: 1_200,
      skippedBatches: 3,
    });
    expect(await count(url, table)).toEqual({ rows: 2_500, ids: 2_500 });
    expect(await readNumbered(url, table)).toEqual(expectedNumbered(2_500));

    // Another batch size would cut the file into other batches: refused, naming the option.
    const mismatch = load({ input, url, table, loadId, batchSize: 500 });
    await expect(mismatch).rejects.toThrow(ConfigError);
    await expect(mismatch).rejects.toThrow(/batchSize.*400 rows/);
  });

  it('refuses to resume a load id on a file that grew or shrank since, instead of losing rows', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('changing');
    const input = await inputFile('changing.csv', numberedCsv(3));
    const loadId = unique('load');
    await load({ input, url, table, loadId, batchSize: 2 });
    // Rows appended after a complete load: the short last batch is no longer the file's last.
    await writeFile(input, numberedCsv(5));
    await expect(load({ input, url, table, loadId })).rejects.toThrow(/is not the one load id/);
    // Rows removed: the file ends inside, or before, the batches already committed.
    for (const rows of [2, 1]) {
      await writeFile(input, numberedCsv(rows));
      await expect(load({ input, url, table, loadId })).rejects.toThrow(/is not the one load id/);
    }
    // The file as it was: nothing to do.
    await writeFile(input, numberedCsv(3));
    expect(await load({ input, url, table, loadId })).toMatchObject({
      loadedRows: 0,
      skippedRows: 3,
      skippedBatches: 2,
    });
    expect(await count(url, table)).toEqual({ rows: 3, ids: 3 });
  });

  it('stops during the type-inference pass when aborted (Ctrl-C), before creating anything', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('aborted');
    const input = await inputFile('aborted.csv', numberedCsv(5_000));
    const abort = new AbortController();
    abort.abort();
    await expect(load({ input, url, table, signal: abort.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(await columnTypes(url, table)).toEqual({});
  });

  it('reads a CSV with the types of an existing table and names file, line, row and column of a bad cell, never its value', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('existing');
    const q = (c: string) => quoteIdentifier(c, dialect);
    const bool = dialect === 'postgres' ? 'boolean' : dialect === 'mysql' ? 'TINYINT(1)' : 'INTEGER';
    const numeric = dialect === 'sqlite' ? 'NUMERIC' : 'DECIMAL(12,2)';
    await queryDatabase(
      url,
      `CREATE TABLE ${q(table)} (${q('id')} BIGINT NOT NULL PRIMARY KEY, ${q('price')} ${numeric}, ${q('flag')} ${bool}, ${q('extra')} VARCHAR(20) DEFAULT 'x')`,
      [],
      dir,
    );
    const good = await inputFile('good.csv', 'flag,id,price\n1,1,10.25\nfalse,2,\nYES,3,0.1\n');
    const loaded = await load({ input: good, url, table });
    expect(loaded).toMatchObject({ createdTable: false, loadedRows: 3 });
    expect(loaded.schema.columns.map((c) => [c.name, c.type])).toEqual([
      // SQLite keeps booleans in INTEGER columns, which then take boolean words as 1 and 0.
      ['flag', dialect === 'sqlite' ? 'integer' : 'boolean'],
      ['id', 'integer'],
      // Decimals travel as text (exact) where the database checks them; SQLite checks nothing, so we do.
      ['price', dialect === 'sqlite' ? 'float' : 'string'],
    ]);
    const rows = await queryDatabase(
      url,
      `SELECT ${q('id')} AS id, ${q('flag')} AS flag FROM ${q(table)} ORDER BY ${q('id')}`,
      [],
      dir,
    );
    expect(rows.map((r) => [Number(r['id']), ['true', '1', 't'].includes(String(r['flag']))])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);

    // Line 5 (row 4) holds a price that is no number: the batch with it rolls back, the one before stays.
    const secret = 'SECRET-VALUE-42';
    const bad = await inputFile('bad.csv', `id,price\n10,1\n11,2\n12,3\n13,${secret}\n14,5\n`);
    const error = await load({ input: bad, url, table, batchSize: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    const data = error as DataError;
    expect(data.message).not.toContain(secret);
    expect(data.location).toMatchObject({ file: bad, line: 5, row: 4 });
    expect(data.location.column).toBe('price');
    expect((await count(url, table)).rows).toBe(5);
  });

  it('reports a ragged row with its line and field, and a stray quote, without the content', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const ragged = await inputFile('ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    const error = await load({ input: ragged, url, table: unique('ragged') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).location).toMatchObject({ file: ragged, line: 3 });
    expect((error as DataError).message).toMatch(/expected 3 fields, found 2/);

    const stray = await inputFile('stray.csv', 'a,b\n1,ab"cd\n');
    const quoteError = await load({ input: stray, url, table: unique('stray') }).catch((e: unknown) => e);
    expect(quoteError).toBeInstanceOf(DataError);
    expect((quoteError as DataError).location).toMatchObject({ file: stray, line: 2, column: 2 });
    expect((quoteError as DataError).message).not.toContain('ab"cd');
  });

  it('applies truncate_insert, upsert on --key and replace_swap', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const table = unique('strategies');
    const firstFile = await inputFile('first.csv', numberedCsv(30, 'first'));
    const secondFile = await inputFile('second.csv', numberedCsv(20, 'second'));

    await load({ input: firstFile, url, table, key: ['id'], batchSize: 7 });
    // upsert: ids 1–20 take the second file's labels, 21–30 keep the first's.
    const upserted = await load({
      input: secondFile,
      url,
      table,
      strategy: 'upsert',
      key: ['id'],
      batchSize: 7,
    });
    expect(upserted.loadedRows).toBe(20);
    const kept = expectedNumbered(30, 'first').filter((r) => Number(r.split('|')[0]) > 20);
    expect(await readNumbered(url, table)).toEqual([...expectedNumbered(20, 'second'), ...kept].sort());

    await load({ input: secondFile, url, table, strategy: 'truncate_insert' });
    expect(await readNumbered(url, table)).toEqual(expectedNumbered(20, 'second'));

    await load({ input: firstFile, url, table, strategy: 'replace_swap', batchSize: 8 });
    expect(await readNumbered(url, table)).toEqual(expectedNumbered(30, 'first'));
  });

  it('loads JSON Lines and Parquet files through the same batches', async (ctx) => {
    const url = urlFor(dialect, ctx);
    const jsonl = await inputFile(
      'rows.jsonl',
      Array.from({ length: 25 }, (_, k) =>
        JSON.stringify({ id: k + 1, label: `row-${k + 1}`, score: k / 2 }),
      ).join('\n') + '\n',
    );
    const fromJsonl = unique('jsonl');
    expect(await load({ input: jsonl, url, table: fromJsonl, batchSize: 10 })).toMatchObject({
      loadedRows: 25,
      batches: 3,
    });
    expect(await count(url, fromJsonl)).toEqual({ rows: 25, ids: 25 });

    const table: Table = {
      rowCount: 1_000,
      columns: [
        { name: 'id', type: 'integer', values: Array.from({ length: 1_000 }, (_, i) => i + 1) },
        { name: 'label', type: 'string', values: Array.from({ length: 1_000 }, (_, i) => `row-${i + 1}`) },
      ],
    };
    const parquet = path.join(dir, `${randomUUID().slice(0, 8)}.parquet`);
    await writeTableFile(table, parquet, 'parquet');
    const fromParquet = unique('parquet');
    const loadId = unique('load');
    expect(await load({ input: parquet, url, table: fromParquet, batchSize: 300, loadId })).toMatchObject({
      loadedRows: 1_000,
      batches: 4,
    });
    expect(await load({ input: parquet, url, table: fromParquet, loadId })).toMatchObject({
      loadedRows: 0,
      skippedRows: 1_000,
    });
    expect(await readNumbered(url, fromParquet)).toEqual(
      Array.from({ length: 1_000 }, (_, i) => `${i + 1}|row-${i + 1}`).sort(),
    );
  });
});

describe('understudy load into PostgreSQL: CSV sent as it is, or parsed when it cannot be', () => {
  it('loads CRLF files, mixed line endings, blank lines and a line that is only \\. the same way', async (ctx) => {
    const url = urlFor('postgres', ctx);
    const cases = {
      crlf: 'id,label\r\n1,a\r\n2,"b\r\nc"\r\n',
      mixed: 'id,label\n1,a\r\n2,"b\r\nc"\n',
      blank: 'id,label\n1,a\n\n2,"b\r\nc"\n',
      lonecr: 'id,label\r1,a\r2,"b\r\nc"\r',
    };
    for (const [name, text] of Object.entries(cases)) {
      const table = unique(name);
      const input = await inputFile(`${name}.csv`, text);
      expect(await load({ input, url, table }), name).toMatchObject({ loadedRows: 2 });
      expect(await readNumbered(url, table), name).toEqual(['1|a', '2|b\r\nc']);
    }
    const dot = unique('dot');
    const input = await inputFile('dot.csv', 'label\nx\n\\.\ny\n');
    expect(await load({ input, url, table: dot })).toMatchObject({ loadedRows: 3 });
    const rows = await queryDatabase(
      url,
      `SELECT label FROM ${quoteIdentifier(dot, 'postgres')} ORDER BY label`,
    );
    expect(rows.map((r) => r['label'])).toEqual(['\\.', 'x', 'y']);
  });
});

describe('the understudy load command line', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(root, 'cli', 'main.ts'), 'load', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });

  it('loads, prints rows loaded and skipped and rows/s, and skips everything when run again with --load-id', async (ctx) => {
    const url = urlFor('sqlite', ctx);
    const input = await inputFile('cli.csv', numberedCsv(50));
    const table = unique('cli');
    const loadId = unique('load');
    const first = await cli([
      '--input',
      input,
      '--to',
      url,
      '--table',
      table,
      '--load-id',
      loadId,
      '--batch-size',
      '20',
    ]);
    expect(first.stdout).toMatch(
      /loaded 50 rows into table "cli_[0-9a-f]+" at sqlite:.* \(table created\) in [\d.]+ s: [\d,]+ rows\/s/,
    );
    expect(first.stdout).toMatch(/skipped 0 rows \(0 of 3 batches/);
    const again = await cli(['--input', input, '--to', url, '--table', table, '--load-id', loadId, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ loadedRows: 0, skippedRows: 50, batchSize: 20, loadId });
  });

  it('exits with status 2 and a value-free message naming file and line for bad input', async (ctx) => {
    const url = urlFor('sqlite', ctx);
    const input = await inputFile('broken.csv', 'id,label\n1,"never closed\n');
    const failed = await cli(['--input', input, '--to', url, '--table', unique('broken')]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain(
      `${input}, line 2, column 2: quoted field is never closed`,
    );
    expect((failed as { stderr: string }).stderr).not.toContain('never closed\n1');

    const badStrategy = await cli([
      '--input',
      input,
      '--to',
      url,
      '--table',
      't',
      '--strategy',
      'merge',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(badStrategy).toMatchObject({ code: 2 });
    expect((badStrategy as { stderr: string }).stderr).toContain('--strategy: expected one of append');
  });
});
