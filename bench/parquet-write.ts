/**
 * Writing one synthetic chunk to Parquet: our writer (integrations/tabular/parquet) against DuckDB's
 * appender + COPY (what the project used before), on the demo table repeated to `rows` rows.
 * Run: npx tsx bench/parquet-write.ts [rows=100000] [repeats=5]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBDataChunk, BOOLEAN, DOUBLE, INTEGER, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import type { PhysicalType, Table } from '../core/table.js';
import { sqlIdentifier, sqlString, withDuckDBConnection } from '../integrations/tabular/duckdb.js';
import { PARQUET_WRITE_OPTIONS, readTableFile, writeTableFile } from '../integrations/tabular/index.js';
import { isoDateToDays, isoTimestampToMs } from '../integrations/tabular/iso-datetime.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const REPEATS = Number(process.argv[3] ?? 5);

function repeatRows(table: Table, rows: number): Table {
  return {
    rowCount: rows,
    columns: table.columns.map((c) => ({
      ...c,
      values: Array.from({ length: rows }, (_, i) => c.values[i % table.rowCount] ?? null),
    })),
  };
}

const STAGED: Record<PhysicalType, DuckDBType> = {
  integer: DOUBLE,
  float: DOUBLE,
  boolean: BOOLEAN,
  string: VARCHAR,
  date: INTEGER,
  timestamp: DOUBLE,
};

/** The previous writer: DuckDB appender into a temp table (one native call per cell), then COPY with zstd. */
async function writeWithDuckDB(table: Table, file: string): Promise<void> {
  await withDuckDBConnection(async (connection) => {
    const types = table.columns.map((c) => STAGED[c.type]);
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE stage (${types.map((t, i) => `c${i} ${t.toString()}`).join(', ')})`,
    );
    const appender = await connection.createAppender('stage');
    for (let start = 0; start < table.rowCount; start += 2048) {
      const n = Math.min(2048, table.rowCount - start);
      const chunk = DuckDBDataChunk.create(types, n);
      table.columns.forEach((column, j) => {
        const vector = chunk.getColumnVector(j);
        for (let r = 0; r < n; r++) {
          const v = column.values[start + r] ?? null;
          const converted =
            v === null
              ? null
              : column.type === 'date'
                ? (isoDateToDays(v as string) as number)
                : column.type === 'timestamp'
                  ? (isoTimestampToMs(v as string) as number)
                  : v;
          vector.setItem(r, converted as never);
        }
        vector.flush();
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    const select = table.columns.map((c, i) => `c${i} AS ${sqlIdentifier(c.name)}`).join(', ');
    await connection.run(
      `COPY (SELECT ${select} FROM stage) TO ${sqlString(file)} (${PARQUET_WRITE_OPTIONS})`,
    );
  });
}

async function main(): Promise<void> {
  const sample = await readTableFile(path.resolve('examples/customers.parquet'), 'parquet');
  const table = repeatRows(sample, ROWS);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-bench-parquet-'));
  const strings = table.columns.filter((c) => c.type === 'string').length;
  console.log(
    `${ROWS} rows × ${table.columns.length} columns (${strings} strings), best and median of ${REPEATS}`,
  );
  const contenders: [string, (file: string) => Promise<unknown>][] = [
    [
      'understudy writer (uncompressed, dictionary strings)',
      (file) => writeTableFile(table, file, 'parquet'),
    ],
    ['DuckDB appender + COPY (zstd)', (file) => writeWithDuckDB(table, file)],
  ];
  try {
    for (const [name, write] of contenders) {
      const times: number[] = [];
      let bytes = 0;
      for (let k = 0; k < REPEATS; k++) {
        const file = path.join(dir, `out-${k}.parquet`);
        const started = performance.now();
        await write(file);
        times.push(performance.now() - started);
        bytes = (await stat(file)).size;
      }
      times.sort((a, b) => a - b);
      const best = times[0] as number;
      const median = times[Math.floor(times.length / 2)] as number;
      console.log(
        `${name.padEnd(52)} best ${best.toFixed(0).padStart(5)} ms  median ${median.toFixed(0).padStart(5)} ms  ` +
          `${Math.round(ROWS / (best / 1000)).toLocaleString('en-US')} rows/s  ${(bytes / 1e6).toFixed(1)} MB`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
