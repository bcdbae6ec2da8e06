/**
 * The hand-written Parquet writer, checked by reading its files back through DuckDB: every type, every
 * null pattern, dictionary and plain strings, non-ASCII text, several row groups, and DuckDB's view of
 * the schema.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';
import { sqlString, withDuckDBConnection } from '../../integrations/tabular/duckdb.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';
import { PARQUET_ROW_GROUP_ROWS } from '../../integrations/tabular/parquet/write-parquet.js';

let dir: string;
let fileCounter = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-parquet-writer-'));
});

async function roundTrip(table: Table): Promise<Table> {
  const file = path.join(dir, `t${++fileCounter}.parquet`);
  await writeTableFile(table, file, 'parquet');
  return readTableFile(file, 'parquet');
}

const DAY_MS = 86_400_000;
const isoDate = fc
  .integer({ min: -200_000, max: 200_000 })
  .map((days) => new Date(days * DAY_MS).toISOString().slice(0, 10));
const isoTimestamp = fc
  .integer({ min: -4_000_000_000_000, max: 8_000_000_000_000 })
  .map((ms) => new Date(ms).toISOString());
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('DE', 'US', 'FR', 'Zoë', '東京', '👩‍💻', ''),
);

const valueOf: Record<PhysicalType, fc.Arbitrary<CellValue>> = {
  integer: fc.maxSafeInteger(),
  float: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  boolean: fc.boolean(),
  string: text,
  date: isoDate,
  timestamp: isoTimestamp,
};

/** A column: a value kind, and a null pattern (none, some, all). */
const columnArb = (rows: number) =>
  fc
    .record({
      type: fc.constantFrom<PhysicalType>('integer', 'float', 'boolean', 'string', 'date', 'timestamp'),
      nulls: fc.constantFrom('none', 'some', 'all'),
      // A few distinct values repeated (dictionary path) or all drawn freely (plain path).
      repetitive: fc.boolean(),
    })
    .chain(({ type, nulls, repetitive }) => {
      const cell =
        nulls === 'all' ? fc.constant(null) : nulls === 'some' ? fc.option(valueOf[type]) : valueOf[type];
      const values = repetitive
        ? fc
            .array(cell, { minLength: 1, maxLength: 3 })
            .chain((pool) => fc.array(fc.constantFrom(...pool), { minLength: rows, maxLength: rows }))
        : fc.array(cell, { minLength: rows, maxLength: rows });
      return values.map((v) => ({ type, values: v }));
    });

const tableArb = fc.integer({ min: 0, max: 40 }).chain((rows) =>
  fc.array(columnArb(rows), { minLength: 1, maxLength: 6 }).map((columns): Table => ({
    rowCount: rows,
    columns: columns.map((c, i) => ({ name: `col ${i} ü`, type: c.type, values: c.values })),
  })),
);

describe('Parquet writer', () => {
  it('round-trips arbitrary tables of every type and null pattern through DuckDB exactly', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async (table) => {
        const back = await roundTrip(table);
        expect(back.rowCount).toBe(table.rowCount);
        expect(back.columns.map((c) => [c.name, c.type])).toEqual(table.columns.map((c) => [c.name, c.type]));
        back.columns.forEach((c, i) => expect(c.values).toEqual(table.columns[i]?.values));
      }),
      { numRuns: 60 },
    );
  });

  it('splits long tables into row groups and keeps every row in order', async () => {
    const rows = PARQUET_ROW_GROUP_ROWS * 2 + 17;
    const table: Table = {
      rowCount: rows,
      columns: [
        { name: 'n', type: 'integer', values: Array.from({ length: rows }, (_, i) => i - 1000) },
        {
          name: 'code',
          type: 'string',
          values: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : `C${i % 300}`)),
        },
        {
          name: 'unique',
          type: 'string',
          values: Array.from({ length: rows }, (_, i) => `user-${i}@example.org`),
        },
      ],
    };
    const file = path.join(dir, 'long.parquet');
    await writeTableFile(table, file, 'parquet');
    const stats = await withDuckDBConnection(async (connection) => {
      const groups = await connection.runAndReadAll(
        `SELECT count(DISTINCT row_group_id)::INTEGER, max(num_values)::INTEGER FROM parquet_metadata(${sqlString(file)})`,
      );
      const check = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER, count(code)::INTEGER FROM read_parquet(${sqlString(file)})`,
      );
      return [...(groups.getRows()[0] ?? []), ...(check.getRows()[0] ?? [])];
    });
    expect(stats).toEqual([3, PARQUET_ROW_GROUP_ROWS, rows, rows - Math.ceil(rows / 7)]);
    const back = await readTableFile(file, 'parquet');
    back.columns.forEach((c, i) => expect(c.values).toEqual(table.columns[i]?.values));
  });

  it('declares the types DuckDB reads back: BIGINT, DOUBLE, BOOLEAN, VARCHAR, DATE, TIMESTAMPTZ', async () => {
    const table: Table = {
      rowCount: 1,
      columns: (['integer', 'float', 'boolean', 'string', 'date', 'timestamp'] as const).map((type) => ({
        name: type,
        type,
        values: [null],
      })),
    };
    const file = path.join(dir, 'types.parquet');
    await writeTableFile(table, file, 'parquet');
    const types = await withDuckDBConnection(async (connection) => {
      const result = await connection.runAndReadAll(
        `DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`,
      );
      return result.getRows().map((r) => String(r[1]));
    });
    expect(types).toEqual(['BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP WITH TIME ZONE']);
  });
});
