import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import type { Table } from '../../core/table.js';
import { sqlString, withDuckDBConnection } from '../../integrations/tabular/duckdb.js';
import { exportParts } from '../../integrations/tabular/export-parts.js';
import {
  countParquetRows,
  readParquetBatches,
  readParquetSchema,
  readTableFile,
  writeTableFile,
} from '../../integrations/tabular/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const examples = path.join(repoRoot, 'examples');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-tabular-'));
});

/** Runs SQL on the shared DuckDB instance (used to build Parquet files with DuckDB's own types). */
async function duck(sql: string): Promise<void> {
  await withDuckDBConnection(async (connection) => {
    await connection.run(sql);
  });
}

/** A table exercising every physical type, nulls, text that needs quoting and unicode. */
function sampleTable(): Table {
  return {
    rowCount: 5,
    columns: [
      { name: 'id', type: 'integer', values: [1, -2, 9_007_199_254_740_991, null, 0] },
      { name: 'score', type: 'float', values: [1.5, -0.000123, 1e300, null, 2 / 3] },
      { name: 'active', type: 'boolean', values: [true, false, null, true, false] },
      { name: 'name', type: 'string', values: ['Ann', 'Bob, "Jr."', 'Zoë 😀', null, 'multi\r\nline'] },
      { name: 'note', type: 'string', values: ['', 'x', 'tab\there', null, 'semi;colon'] },
      { name: 'born', type: 'date', values: ['1990-01-31', '2000-02-29', '0099-12-31', null, '9999-12-31'] },
      {
        name: 'seen at',
        type: 'timestamp',
        values: [
          '2024-01-02T03:04:05.123Z',
          '1970-01-01T00:00:00.000Z',
          '1969-12-31T23:59:59.999Z',
          null,
          '2038-01-19T03:14:08.000Z',
        ],
      },
    ],
  };
}

describe('readTableFile on good files', () => {
  it('reads the bundled customers sample identically from CSV, JSONL and Parquet', async () => {
    const csv = await readTableFile(path.join(examples, 'customers.csv'), 'csv');
    const jsonl = await readTableFile(path.join(examples, 'customers.jsonl'), 'jsonl');
    const parquet = await readTableFile(path.join(examples, 'customers.parquet'), 'parquet');
    expect(csv.rowCount).toBe(5000);
    expect(Object.fromEntries(csv.columns.map((c) => [c.name, c.type]))).toEqual({
      customer_id: 'string',
      first_name: 'string',
      last_name: 'string',
      email: 'string',
      phone: 'string',
      ssn: 'string',
      credit_card: 'string',
      ip_address: 'string',
      street_address: 'string',
      city: 'string',
      state: 'string',
      postal_code: 'string',
      date_of_birth: 'date',
      signup_date: 'date',
      age: 'integer',
      segment: 'string',
      annual_income: 'float',
      credit_score: 'integer',
      is_active: 'boolean',
      lifetime_value: 'float',
      notes: 'string',
    });
    expect(jsonl).toEqual(csv);
    expect(parquet).toEqual(csv);
    // Leading zeros of ZIP codes survive: they are text, not numbers.
    expect(
      csv.columns
        .find((c) => c.name === 'postal_code')
        ?.values.some((v) => typeof v === 'string' && v.startsWith('0')),
    ).toBe(true);
    expect(csv.columns.find((c) => c.name === 'age')?.values.filter((v) => v === null)).toHaveLength(2);
  });

  it('stops after maxRows', async () => {
    for (const [file, format] of [
      ['customers.csv', 'csv'],
      ['customers.parquet', 'parquet'],
    ] as const) {
      const table = await readTableFile(path.join(examples, file), format, { maxRows: 7 });
      expect(table.rowCount).toBe(7);
      expect(table.columns.every((c) => c.values.length === 7)).toBe(true);
      expect(table.columns[0]?.values[6]).toBe('CUST-000007');
    }
  });

  it('maps DuckDB types to physical types with ISO dates and UTC timestamps', async () => {
    const file = path.join(dir, 'types.parquet');
    await duck(`COPY (SELECT * FROM (VALUES
      (1::TINYINT, 2::SMALLINT, 3::INTEGER, NULL::BIGINT, 5::UBIGINT, 7.25::DECIMAL(10,2), 0.5::FLOAT, 1.25::DOUBLE,
       true, DATE '2024-02-29', TIMESTAMP '2024-01-02 03:04:05.678901', TIMESTAMPTZ '2024-01-02 03:04:05+02',
       TIMESTAMP_NS '2024-01-02 03:04:05.123456789', TIME '10:11:12', 'text', '\\xAB'::BLOB, [1, 2], {'k': 'v'},
       '0b0c2f7e-3b9a-4a9e-9d55-6d4e8e7a1f10'::UUID),
      (NULL, NULL, NULL, -9007199254740991::BIGINT, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
    ) t(ti, si, i, bi, ubi, dec, fl, db, bo, d, ts, tstz, tsns, tm, vc, bl, li, st, uu)) TO ${sqlString(file)} (FORMAT parquet)`);
    const table = await readTableFile(file, 'parquet');
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
    const expected: Record<string, [string, unknown, unknown]> = {
      ti: ['integer', 1, null],
      si: ['integer', 2, null],
      i: ['integer', 3, null],
      bi: ['integer', null, -9007199254740991],
      ubi: ['integer', 5, null],
      dec: ['float', 7.25, null],
      fl: ['float', 0.5, null],
      db: ['float', 1.25, null],
      bo: ['boolean', true, null],
      d: ['date', '2024-02-29', null],
      ts: ['timestamp', '2024-01-02T03:04:05.678Z', null],
      tstz: ['timestamp', '2024-01-02T01:04:05.000Z', null],
      tsns: ['timestamp', '2024-01-02T03:04:05.123Z', null],
      tm: ['string', '10:11:12', null],
      vc: ['string', 'text', null],
      bl: ['string', 'qw==', null],
      li: ['string', '[1,2]', null],
      st: ['string', '{"k":"v"}', null],
      uu: ['string', '0b0c2f7e-3b9a-4a9e-9d55-6d4e8e7a1f10', null],
    };
    for (const [name, [type, first, second]] of Object.entries(expected)) {
      expect({ name, type: byName[name]?.type, values: byName[name]?.values }).toEqual({
        name,
        type,
        values: [first, second],
      });
    }
    expect(await readParquetSchema(file)).toEqual({
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
    });
    expect(await countParquetRows(file)).toBe(2);
  });

  it('reads JSON values of mixed types as text', async () => {
    const file = path.join(dir, 'mixed.jsonl');
    await writeFile(
      file,
      '{"a": 1, "b": {"x": [1, 2]}}\n{"a": "two", "b": null}\n{"a": true, "b": {"x": []}}\n',
    );
    const table = await readTableFile(file, 'jsonl');
    expect(table.columns.map((c) => [c.name, c.type, c.values])).toEqual([
      ['a', 'string', ['1', 'two', 'true']],
      ['b', 'string', ['{"x":[1,2]}', null, '{"x":[]}']],
    ]);
  });

  it('refuses Parquet integers beyond ±2^53, naming the column and not the value', async () => {
    const file = path.join(dir, 'huge.parquet');
    await duck(
      `COPY (SELECT 1::BIGINT AS ok, v AS account_no FROM (VALUES (1::BIGINT), (9007199254740993::BIGINT)) t(v)) TO ${sqlString(file)} (FORMAT parquet)`,
    );
    const error = await readTableFile(file, 'parquet', { displayName: 'huge.parquet' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).location).toEqual({ file: 'huge.parquet', column: 'account_no' });
    expect((error as Error).message).not.toContain('9007199254740993');
  });

  it('reads a CSV column of integers beyond ±2^53 as exact text (an identifier, not a quantity)', async () => {
    const file = path.join(dir, 'ids.csv');
    // 19 digits fit DuckDB's BIGINT, 20 digits make it sniff DOUBLE: both must come back digit for digit.
    await writeFile(
      file,
      'id,account_no,iccid,amount\n1,9007199254740993,89014103211118510720,1.5\n2,,89014103211118510721,\n3,1234567890123456789,,1e3\n',
    );
    const table = await readTableFile(file, 'csv');
    expect(table.columns.map((c) => [c.name, c.type, c.values])).toEqual([
      ['id', 'integer', [1, 2, 3]],
      ['account_no', 'string', ['9007199254740993', null, '1234567890123456789']],
      ['iccid', 'string', ['89014103211118510720', '89014103211118510721', null]],
      ['amount', 'float', [1.5, null, 1000]],
    ]);
  });
});

describe('writeTableFile', () => {
  it('writes byte-identical Parquet for the same table, also from another process', async () => {
    const table = sampleTable();
    const a = await writeTableFile(table, path.join(dir, 'a.parquet'), 'parquet');
    const b = await writeTableFile(structuredClone(table), path.join(dir, 'b.parquet'), 'parquet');
    expect(b).toEqual(a);
    expect(a.sha256).toBe(
      createHash('sha256')
        .update(await readFile(path.join(dir, 'a.parquet')))
        .digest('hex'),
    );

    const tableJson = path.join(dir, 'table.json');
    await writeFile(tableJson, JSON.stringify(table));
    const script = path.join(dir, 'write-again.mts');
    await writeFile(
      script,
      `import { readFile } from 'node:fs/promises';
       import { writeTableFile } from ${JSON.stringify(path.join(repoRoot, 'integrations/tabular/index.ts'))};
       const table = JSON.parse(await readFile(${JSON.stringify(tableJson)}, 'utf8'));
       const out = await writeTableFile(table, ${JSON.stringify(path.join(dir, 'c.parquet'))}, 'parquet');
       process.stdout.write(out.sha256);`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      cwd: repoRoot,
    });
    expect(stdout).toBe(a.sha256);
  });

  it('round-trips every type through Parquet, JSON and JSON Lines exactly', async () => {
    const table = sampleTable();
    for (const format of ['parquet', 'json', 'jsonl'] as const) {
      const file = path.join(dir, `round.${format}`);
      const written = await writeTableFile(table, file, format);
      expect(written.rows).toBe(5);
      const back = await readTableFile(file, format);
      expect({ format, back }).toEqual({ format, back: table });
    }
  });

  it('round-trips through CSV (RFC 4180: CRLF, quotes doubled, null empty, empty string quoted)', async () => {
    const table = sampleTable();
    const file = path.join(dir, 'round.csv');
    await writeTableFile(table, file, 'csv');
    const text = await readFile(file, 'utf8');
    expect(text.split('\r\n')[0]).toBe('id,score,active,name,note,born,seen at');
    expect(text).toContain('"Bob, ""Jr."""');
    expect(text.split('\r\n')[1]).toBe('1,1.5,true,Ann,"",1990-01-31,2024-01-02T03:04:05.123Z');
    expect(await readTableFile(file, 'csv')).toEqual(table);
  });

  it('neutralises spreadsheet formulas in CSV string cells but leaves numbers alone', async () => {
    const table: Table = {
      rowCount: 7,
      columns: [
        {
          name: 'text',
          type: 'string',
          values: ['=SUM(A1:A9)', '+1 555 0100', '-12.5', '@cmd', '\tlead', '-', 'plain'],
        },
        { name: 'n', type: 'float', values: [-1, -2.5, 3, 4, 5, 6, 7] },
      ],
    };
    const file = path.join(dir, 'formulas.csv');
    await writeTableFile(table, file, 'csv');
    const lines = (await readFile(file, 'utf8')).split('\r\n');
    expect(lines.slice(1, 8)).toEqual([
      "'=SUM(A1:A9),-1",
      "'+1 555 0100,-2.5",
      '-12.5,3',
      "'@cmd,4",
      "'\tlead,5",
      "'-,6",
      'plain,7',
    ]);
    // JSON output is data, not a spreadsheet: untouched.
    await writeTableFile(table, path.join(dir, 'formulas.jsonl'), 'jsonl');
    expect((await readFile(path.join(dir, 'formulas.jsonl'), 'utf8')).split('\n')[0]).toBe(
      '{"text":"=SUM(A1:A9)","n":-1}',
    );
  });

  it('writes a JSON array of objects and gzip when the name ends in .gz', async () => {
    const table = sampleTable();
    await writeTableFile(table, path.join(dir, 'array.json'), 'json');
    const parsed = JSON.parse(await readFile(path.join(dir, 'array.json'), 'utf8')) as Record<
      string,
      unknown
    >[];
    expect(parsed).toHaveLength(5);
    expect(parsed[0]).toEqual({
      id: 1,
      score: 1.5,
      active: true,
      name: 'Ann',
      note: '',
      born: '1990-01-31',
      'seen at': '2024-01-02T03:04:05.123Z',
    });
    await writeTableFile(table, path.join(dir, 'zipped.csv.gz'), 'csv');
    expect(await readTableFile(path.join(dir, 'zipped.csv.gz'), 'csv')).toEqual(table);
  });

  it('rejects cells that do not match the column type, naming column and row but not the value, and leaves no file', async () => {
    const out = path.join(dir, 'bad-cells');
    await writeFile(path.join(dir, 'keep.parquet'), 'previous');
    const cases: [Table['columns'][number], number][] = [
      [{ name: 'n', type: 'integer', values: [1, 2.5] }, 2],
      [{ name: 'n', type: 'integer', values: [1, 'Secretvalue'] }, 2],
      [{ name: 'd', type: 'date', values: ['2024-01-01', '2023-02-29'] }, 2],
      [{ name: 'd', type: 'date', values: ['Secretvalue', null] }, 1],
      [{ name: 't', type: 'timestamp', values: [null, 'yesterday Secretvalue'] }, 2],
      [{ name: 'b', type: 'boolean', values: ['true', null] }, 1],
    ];
    for (const [column, row] of cases) {
      const error = await writeTableFile(
        { rowCount: 2, columns: [column] },
        path.join(dir, 'keep.parquet'),
        'parquet',
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).location).toEqual({ column: column.name, row });
      expect((error as Error).message).not.toContain('Secretvalue');
      expect((error as Error).message).not.toContain('2023-02-29');
    }
    expect(await readFile(path.join(dir, 'keep.parquet'), 'utf8')).toBe('previous');
    expect((await readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    void out;
  });

  it('writes an empty table as a valid zero-row Parquet file', async () => {
    const file = path.join(dir, 'empty.parquet');
    await writeTableFile(
      { rowCount: 0, columns: [{ name: 'a', type: 'integer', values: [] }] },
      file,
      'parquet',
    );
    expect(await countParquetRows(file)).toBe(0);
    expect(await readTableFile(file, 'parquet')).toEqual({
      rowCount: 0,
      columns: [{ name: 'a', type: 'integer', values: [] }],
    });
  });
});

describe('exportParts', () => {
  it('concatenates Parquet parts in order into every format', async () => {
    const table = sampleTable();
    const parts = [path.join(dir, 'part-0.parquet'), path.join(dir, 'part-1.parquet')];
    await writeTableFile(table, parts[0] as string, 'parquet');
    await writeTableFile(table, parts[1] as string, 'parquet');
    const doubled: Table = {
      rowCount: 10,
      columns: table.columns.map((c) => ({ ...c, values: [...c.values, ...c.values] })),
    };
    for (const format of ['parquet', 'csv', 'json', 'jsonl'] as const) {
      const out = path.join(dir, 'export', `all.${format}`);
      let calls = 0;
      const result = await exportParts(parts, out, format, () => (calls += 1));
      expect(result.rows).toBe(10);
      expect(result.sha256).toBe(
        createHash('sha256')
          .update(await readFile(out))
          .digest('hex'),
      );
      expect({ format, back: await readTableFile(out, format) }).toEqual({ format, back: doubled });
      if (format !== 'parquet') expect(calls).toBe(2);
    }
    expect((await readdir(path.join(dir, 'export'))).sort()).toEqual([
      'all.csv',
      'all.json',
      'all.jsonl',
      'all.parquet',
    ]);
  });
});

describe('readParquetBatches', () => {
  const ROWS = 5000;
  let file: string;

  beforeAll(async () => {
    file = path.join(dir, 'batches.parquet');
    // Small row groups put batch boundaries on both sides of row-group and vector (2048) boundaries.
    await duck(
      `COPY (SELECT range::BIGINT AS id, CASE WHEN range % 7 = 0 THEN NULL ELSE DATE '2020-01-01' + range::INTEGER END AS d
       FROM range(${ROWS})) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    );
  });

  it('covers every row from any start row exactly once, in order, in full batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6000 }),
        fc.integer({ min: 0, max: ROWS + 3 }),
        async (batchSize, startRow) => {
          const ids: unknown[] = [];
          const sizes: number[] = [];
          let expectedStart = startRow;
          for await (const batch of readParquetBatches(file, { batchSize, startRow })) {
            expect(batch.startRow).toBe(expectedStart);
            expect(batch.table.columns.map((c) => [c.name, c.type])).toEqual([
              ['id', 'integer'],
              ['d', 'date'],
            ]);
            const [idColumn, dateColumn] = batch.table.columns;
            expect(idColumn?.values).toHaveLength(batch.table.rowCount);
            const k = idColumn?.values[0] as number;
            expect(dateColumn?.values[0]).toBe(
              k % 7 === 0 ? null : new Date(Date.UTC(2020, 0, 1 + k)).toISOString().slice(0, 10),
            );
            ids.push(...(idColumn?.values ?? []));
            sizes.push(batch.table.rowCount);
            expectedStart += batch.table.rowCount;
          }
          const expectedIds = Array.from({ length: Math.max(0, ROWS - startRow) }, (_, i) => startRow + i);
          expect(ids).toEqual(expectedIds);
          expect(sizes.slice(0, -1).every((s) => s === batchSize)).toBe(true);
          expect(sizes.every((s) => s > 0 && s <= batchSize)).toBe(true);
        },
      ),
      {
        numRuns: 40,
        examples: [
          [1, 4990],
          [2048, 0],
          [2048, 2048],
          [1000, 999],
          [5000, 0],
          [4999, 1],
          [7, ROWS],
          [3, ROWS + 2],
        ],
      },
    );
  });

  it('rejects nonsensical batch sizes and start rows', async () => {
    const first = async (opts: { batchSize: number; startRow?: number }) => {
      for await (const batch of readParquetBatches(file, opts)) return batch;
      return undefined;
    };
    await expect(first({ batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(first({ batchSize: 10, startRow: -1 })).rejects.toThrow(RangeError);
    await expect(first({ batchSize: 1.5 })).rejects.toThrow(RangeError);
  });
});
