/**
 * File targets on real files: every format round-trips (CSV, TSV, JSON, JSONL, Parquet, SQL run in
 * SQLite, Excel read back with exceljs), gzip on text formats, formula-injection neutralised (and not
 * when switched off), Excel sheets split at the row limit, and output paths confined to the root
 * (no `..`, no absolute path, no symlinked directory or file leading out).
 */
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import { concatTables, type Table } from '../../core/table.js';
import {
  createLocalFileSink,
  resolveOutputFile,
  resolveOutputFormat,
  writeParts,
  type PartSource,
  type WritePartsOptions,
} from '../../integrations/files/index.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';

// better-sqlite3 ships no type declarations; this is the little of it the test uses.
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  prepare(sql: string): { raw(): { all(): unknown[] } };
};

const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  '+SUM(A1)',
  '-2+3',
  '@cmd',
  '\tTAB',
  '-12.5',
  'O\'Brien "quoted", comma',
  'line\nbreak',
  'back\\slash',
  'ünïcödé ✓',
  '',
];

function part(offset: number, n: number): Table {
  const ids = Array.from({ length: n }, (_, i) => offset + i + 1);
  return {
    rowCount: n,
    columns: [
      { name: 'id', type: 'integer', values: ids },
      {
        name: 'note',
        type: 'string',
        values: ids.map((id) => (id % 13 === 0 ? null : (HOSTILE[id % HOSTILE.length] as string))),
      },
      { name: 'score', type: 'float', values: ids.map((id) => (id % 5 === 0 ? null : id / 4)) },
      { name: 'active', type: 'boolean', values: ids.map((id) => id % 3 === 0) },
      {
        name: 'born',
        type: 'date',
        values: ids.map((id) => `19${String(50 + (id % 50)).padStart(2, '0')}-0${1 + (id % 9)}-1${id % 10}`),
      },
      {
        name: 'seen',
        type: 'timestamp',
        values: ids.map((id) => new Date(Date.UTC(2024, 0, 1, 0, 0, id)).toISOString()),
      },
      { name: 'select', type: 'string', values: ids.map((id) => `k${id}`) },
    ],
  };
}

let work: string;
let parts: PartSource;
let expected: Table;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'understudy-files-'));
  const tables = [part(0, 40), part(40, 25), part(65, 35)];
  expected = concatTables(tables);
  const paths: string[] = [];
  for (const [k, t] of tables.entries()) {
    const p = path.join(work, 'parts', `part-${k}.parquet`);
    await writeTableFile(t, p, 'parquet');
    paths.push(p);
  }
  parts = { count: paths.length, localPath: async (k) => paths[k] as string };
});

async function write(name: string, extra: Partial<WritePartsOptions> = {}) {
  const root = path.join(work, 'out');
  const { path: file } = await resolveOutputFile(root, name);
  const { format, gzip } = resolveOutputFormat(name, {});
  const written = await writeParts(parts, createLocalFileSink(file), { format, gzip, ...extra });
  return { file, written, bytes: await readFile(file) };
}

const neutral = (v: string) =>
  /^[=+\-@\t\r]/.test(v) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? `'${v}` : v;
const rowsOf = (t: Table) =>
  Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => c.values[r] ?? null));

describe('file targets: formats', () => {
  it('CSV and gzip CSV: RFC 4180, formula cells neutralised, numbers like -12.5 untouched', async () => {
    const plain = await write('customers.csv');
    const zipped = await write('nested/dir/customers.csv.gz');
    expect(gunzipSync(zipped.bytes).equals(plain.bytes)).toBe(true);
    expect(plain.written.rows).toBe(100);
    const records = parseCsv(plain.bytes, { relax_column_count: false }) as string[][];
    expect(records[0]).toEqual(expected.columns.map((c) => c.name));
    const notes = records.slice(1).map((r) => r[1]);
    const want = (expected.columns[1]?.values ?? []).map((v) => (v === null ? '' : neutral(v as string)));
    expect(notes).toEqual(want);
    expect(notes).toContain('\'=HYPERLINK("http://x","y")');
    expect(notes).toContain("'\tTAB");
    expect(notes).toContain('-12.5');
    expect(records.slice(1).map((r) => Number(r[0]))).toEqual(expected.columns[0]?.values);
  });

  it('TSV with the formula guard switched off keeps cells as they are', async () => {
    const { bytes } = await write('raw.tsv', { neutralizeFormulas: false });
    const records = parseCsv(bytes, { delimiter: '\t' }) as string[][];
    expect(records.slice(1).map((r) => r[1])).toEqual(
      (expected.columns[1]?.values ?? []).map((v) => v ?? ''),
    );
  });

  it('JSON and JSONL keep types (numbers, booleans, nulls)', async () => {
    const objects = rowsOf(expected).map((row) =>
      Object.fromEntries(expected.columns.map((c, j) => [c.name, row[j]])),
    );
    expect(JSON.parse((await write('a.json')).bytes.toString('utf8'))).toEqual(objects);
    const lines = (await write('a.jsonl.gz')).bytes;
    expect(
      gunzipSync(lines)
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(objects);
  });

  it('Parquet concatenates the parts', async () => {
    const { file, written } = await write('a.parquet');
    expect(written.rows).toBe(100);
    const back = await readTableFile(file, 'parquet');
    expect(rowsOf(back)).toEqual(rowsOf(expected));
  });

  it('an SQL script for SQLite runs and loads every row exactly, hostile strings and reserved words included', async () => {
    const { bytes, written } = await write('load.sql.gz', {
      sql: { dialect: 'sqlite', table: 'order "items"; DROP', batchRows: 7 },
    });
    const script = gunzipSync(bytes).toString('utf8');
    expect(script).toContain(
      'INSERT INTO "order ""items""; DROP" ("id", "note", "score", "active", "born", "seen", "select") VALUES',
    );
    expect(written.rows).toBe(100);
    const db = new Database(':memory:');
    db.exec(script);
    const rows = db.prepare('SELECT * FROM "order ""items""; DROP" ORDER BY id').raw().all() as unknown[][];
    const want = rowsOf(expected).map((r) => r.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    expect(rows).toEqual(want);
    // Batched: 100 rows in batches of 7 per part (40, 25, 35 rows) → 6 + 4 + 5 statements.
    expect(script.match(/^INSERT INTO/gm)).toHaveLength(15);
  });

  it('SQL scripts quote identifiers and escape literals by each dialect', async () => {
    const pg = (
      await write('pg.sql', {
        sql: { dialect: 'postgres', table: 'Customers', schema: 'qa', createTable: true },
      })
    ).bytes.toString('utf8');
    expect(pg).toContain(
      'CREATE TABLE IF NOT EXISTS "qa"."Customers" (\n  "id" bigint,\n  "note" text,\n  "score" double precision,\n  "active" boolean,\n  "born" date,\n  "seen" timestamptz,\n  "select" text\n);',
    );
    expect(pg).toContain("E'back\\\\slash'");
    expect(pg).toContain("'O''Brien \"quoted\", comma'");
    expect(pg).toMatch(/^BEGIN;$/m);
    expect(pg).toMatch(/COMMIT;\n$/);
    const my = (await write('my.sql', { sql: { dialect: 'mysql', table: 'cust`omers' } })).bytes.toString(
      'utf8',
    );
    expect(my).toContain(
      'INSERT INTO `cust``omers` (`id`, `note`, `score`, `active`, `born`, `seen`, `select`) VALUES',
    );
    expect(my).toContain(`_utf8mb4 X'${Buffer.from('back\\slash').toString('hex')}'`);
    expect(my).toContain("'2024-01-01 00:00:01.000'");
    expect(my).toContain("SET time_zone = '+00:00';");
  });

  it('Excel: typed cells, formula cells neutralised, sheets split at the row limit', async () => {
    const { file, written } = await write('book.xlsx', {
      xlsx: { sheetName: 'customers', maxRowsPerSheet: 30 },
    });
    expect(written.rows).toBe(100);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'customers',
      'customers (2)',
      'customers (3)',
      'customers (4)',
    ]);
    const rows: unknown[][] = [];
    for (const sheet of book.worksheets) {
      sheet.eachRow((row, n) => {
        const values = (row.values as unknown[]).slice(1);
        if (n === 1) expect(values).toEqual(expected.columns.map((c) => c.name));
        else rows.push(values);
      });
    }
    expect(rows).toHaveLength(100);
    const want = rowsOf(expected);
    rows.forEach((row, r) => {
      const w = want[r] as unknown[];
      expect(row[0]).toBe(w[0]);
      // Excel has no empty-string cell: "" reads back as an empty cell.
      expect(row[1] ?? null).toBe(w[1] === null || w[1] === '' ? null : neutral(w[1] as string));
      expect(row[2] ?? null).toBe(w[2]);
      expect(row[3]).toBe(w[3]);
      expect((row[4] as Date).toISOString().slice(0, 10)).toBe(w[4]);
      expect((row[5] as Date).toISOString()).toBe(w[5]);
    });
  });

  it('a failing part leaves no output and no temporary file', async () => {
    const root = path.join(work, 'out-fail');
    const { path: file } = await resolveOutputFile(root, 'bad.json');
    const broken: PartSource = {
      count: 2,
      localPath: async (k) => (k === 0 ? await parts.localPath(0) : path.join(work, 'missing.parquet')),
    };
    await expect(
      writeParts(broken, createLocalFileSink(file), { format: 'json', gzip: false }),
    ).rejects.toThrow();
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses gzip for binary formats and unknown extensions, naming the field', () => {
    expect(() => resolveOutputFormat('a.xlsx.gz', {}, 'targets[1]')).toThrow(/targets\[1\]\.gzip/);
    expect(() => resolveOutputFormat('a.bin', {}, 'targets[1]')).toThrow(/targets\[1\]\.format/);
    expect(resolveOutputFormat('a.bin', { format: 'csv', gzip: true })).toEqual({
      format: 'csv',
      gzip: true,
    });
  });

  it('refuses cells Excel cannot hold, naming column and row but not the value', async () => {
    const bad: Table = {
      rowCount: 1,
      columns: [{ name: 'secret', type: 'string', values: ['abc\u0001SSN-123'] }],
    };
    const p = path.join(work, 'parts-bad', 'p.parquet');
    await writeTableFile(bad, p, 'parquet');
    const { path: file } = await resolveOutputFile(path.join(work, 'out'), 'bad.xlsx');
    const error = await writeParts({ count: 1, localPath: async () => p }, createLocalFileSink(file), {
      format: 'xlsx',
      gzip: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/column secret/);
    expect((error as DataError).message).not.toMatch(/SSN/);
  });
});

describe('file targets: output paths', () => {
  it('resolves inside the root and refuses traversal, absolute paths and symlinks leading out', async () => {
    const root = path.join(work, 'root');
    const outside = await mkdtemp(path.join(os.tmpdir(), 'understudy-outside-'));
    await mkdir(root, { recursive: true });
    await symlink(outside, path.join(root, 'escape'));
    await writeFile(path.join(outside, 'target.csv'), 'x');
    await symlink(path.join(outside, 'target.csv'), path.join(root, 'link.csv'));
    await mkdir(path.join(root, 'inside'), { recursive: true });
    await symlink(path.join(root, 'inside'), path.join(root, 'alias'));

    const ok = await resolveOutputFile(root, 'a/b/c.csv', 'targets[0].path');
    expect(ok.path).toBe(path.join(ok.root, 'a', 'b', 'c.csv'));
    expect((await resolveOutputFile(root, 'alias/x.csv')).path).toBe(path.join(ok.root, 'inside', 'x.csv'));
    for (const bad of [
      '../x.csv',
      'a/../../x.csv',
      '/etc/passwd',
      'escape/x.csv',
      'escape/deeper/x.csv',
      'link.csv',
      'a/',
      '.',
      'x\0.csv',
    ]) {
      const error = await resolveOutputFile(root, bad, 'targets[0].path').catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe('targets[0].path');
    }
    // Nothing was created outside while checking.
    expect(await readdir(outside)).toEqual(['target.csv']);
  });
});
