/**
 * Streaming text encoders for file targets: each turns the parts of a table, one at a time, into
 * string chunks of about a megabyte, so a writer holds one part and one chunk whatever the run's size.
 */
import { DataError } from '../../core/errors.js';
import type { CellValue, ColumnData, Table, TableSchema } from '../../core/table.js';
import { neutralizeFormula } from './formula-guard.js';
import { columnTypeFor, quoteIdentifier, sqlLiteral, type SqlDialect } from './sql-dialect.js';

/** Turns a table's parts into text: a head, the chunks of every part in order, and a tail. */
export interface TextEncoder {
  head(): string;
  /** The text of one part; `firstRow` is the run-wide index of its first row (for error locations). */
  part(table: Table, firstRow: number): Iterable<string>;
  tail(): string;
}

/** Options of the CSV encoder. */
export interface CsvEncoderOptions {
  /** @default "," */
  delimiter?: string;
  /** Prefix cells that a spreadsheet would run as formulas with an apostrophe. @default true */
  neutralizeFormulas?: boolean;
}

/** Options of the SQL INSERT-script encoder. */
export interface SqlEncoderOptions {
  dialect: SqlDialect;
  table: string;
  /** Schema (PostgreSQL) or database (MySQL) qualifying the table. */
  schema?: string;
  /** Rows per multi-row INSERT statement. @default 500 */
  batchRows?: number;
  /** Start with CREATE TABLE IF NOT EXISTS from the column types. @default true */
  createTable?: boolean;
  /** Wrap the script in one transaction. @default true */
  transaction?: boolean;
}

const CHUNK_CHARS = 1 << 20;

/** RFC 4180 CSV (CRLF, header row, quoted only when needed; null → empty field, empty string → `""`). */
export function createCsvEncoder(
  schema: TableSchema,
  file: string,
  options: CsvEncoderOptions = {},
): TextEncoder {
  const delimiter = options.delimiter ?? ',';
  const guard = options.neutralizeFormulas ?? true;
  const field = (text: string): string =>
    text === '' ||
    text.includes('"') ||
    text.includes(delimiter) ||
    text.includes('\n') ||
    text.includes('\r')
      ? `"${text.replaceAll('"', '""')}"`
      : text;
  return {
    head: () =>
      schema.columns.length === 0 ? '' : schema.columns.map((c) => field(c.name)).join(delimiter) + '\r\n',
    *part(table, firstRow) {
      const cols = checkColumns(table, schema, file, firstRow);
      let text = '';
      for (let r = 0; r < table.rowCount; r++) {
        for (let j = 0; j < cols.length; j++) {
          if (j > 0) text += delimiter;
          const value = (cols[j] as ColumnData).values[r] ?? null;
          if (value === null) continue;
          text += typeof value === 'string' ? field(guard ? neutralizeFormula(value) : value) : String(value);
        }
        text += '\r\n';
        if (text.length >= CHUNK_CHARS) {
          yield text;
          text = '';
        }
      }
      if (text.length > 0) yield text;
    },
    tail: () => '',
  };
}

/** JSON: one array of objects (`lines: false`) or JSON Lines, one object per line (`lines: true`). */
export function createJsonEncoder(schema: TableSchema, file: string, lines: boolean): TextEncoder {
  const keys = schema.columns.map((c) => JSON.stringify(c.name));
  let rowsSoFar = 0;
  return {
    head: () => (lines ? '' : '['),
    *part(table, firstRow) {
      const cols = checkColumns(table, schema, file, firstRow);
      let text = '';
      for (let r = 0; r < table.rowCount; r++) {
        let row = '{';
        for (let j = 0; j < cols.length; j++) {
          const value = (cols[j] as ColumnData).values[r] ?? null;
          row += `${j > 0 ? ',' : ''}${keys[j] as string}:${jsonValue(value, file, schema, j, firstRow + r)}`;
        }
        row += '}';
        text += lines ? `${row}\n` : `${rowsSoFar > 0 ? ',' : ''}\n${row}`;
        rowsSoFar += 1;
        if (text.length >= CHUNK_CHARS) {
          yield text;
          text = '';
        }
      }
      if (text.length > 0) yield text;
    },
    tail: () => (lines ? '' : rowsSoFar > 0 ? '\n]\n' : ']\n'),
  };
}

function jsonValue(value: CellValue, file: string, schema: TableSchema, j: number, row: number): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new DataError('JSON cannot hold a non-finite number', {
      file,
      column: schema.columns[j]?.name ?? j,
      row,
    });
  }
  return JSON.stringify(value);
}

/** An SQL script of batched multi-row INSERTs for one dialect, optionally with CREATE TABLE and one transaction. */
export function createSqlEncoder(schema: TableSchema, file: string, options: SqlEncoderOptions): TextEncoder {
  const { dialect } = options;
  const batchRows = options.batchRows ?? 500;
  const tableName =
    (options.schema === undefined ? '' : `${quoteIdentifier(dialect, options.schema, 'sql.schema')}.`) +
    quoteIdentifier(dialect, options.table, 'sql.table');
  const columnNames = schema.columns.map((c, j) => quoteIdentifier(dialect, c.name, `columns[${j}]`));
  const insertHead = `INSERT INTO ${tableName} (${columnNames.join(', ')}) VALUES\n`;
  return {
    head() {
      const lines: string[] = ['-- Synthetic data written by Understudy.'];
      if (dialect === 'mysql') lines.push('SET NAMES utf8mb4;', "SET time_zone = '+00:00';");
      if (dialect === 'postgres') lines.push("SET client_encoding = 'UTF8';");
      if (options.transaction ?? true) lines.push(dialect === 'mysql' ? 'START TRANSACTION;' : 'BEGIN;');
      if ((options.createTable ?? true) && schema.columns.length > 0) {
        const defs = schema.columns.map(
          (c, j) => `  ${columnNames[j] as string} ${columnTypeFor(dialect, c.type)}`,
        );
        lines.push(`CREATE TABLE IF NOT EXISTS ${tableName} (\n${defs.join(',\n')}\n);`);
      }
      return lines.join('\n') + '\n';
    },
    *part(table, firstRow) {
      const cols = checkColumns(table, schema, file, firstRow);
      if (cols.length === 0) return;
      let text = '';
      for (let start = 0; start < table.rowCount; start += batchRows) {
        const end = Math.min(table.rowCount, start + batchRows);
        text += insertHead;
        for (let r = start; r < end; r++) {
          text += r > start ? ',\n(' : '(';
          for (let j = 0; j < cols.length; j++) {
            const col = cols[j] as ColumnData;
            if (j > 0) text += ', ';
            text += sqlLiteral(dialect, col.values[r] ?? null, col.type, {
              file,
              column: col.name,
              row: firstRow + r,
            });
          }
          text += ')';
        }
        text += ';\n';
        if (text.length >= CHUNK_CHARS) {
          yield text;
          text = '';
        }
      }
      if (text.length > 0) yield text;
    },
    tail: () => ((options.transaction ?? true) ? 'COMMIT;\n' : ''),
  };
}

/** The part's columns, checked against the output's schema (parts of one run must agree). */
export function checkColumns(
  table: Table,
  schema: TableSchema,
  file: string,
  firstRow: number,
): ColumnData[] {
  const cols = table.columns;
  if (cols.length !== schema.columns.length) {
    throw new DataError(`part has ${cols.length} columns, the output has ${schema.columns.length}`, {
      file,
      row: firstRow,
    });
  }
  cols.forEach((c, j) => {
    const expected = schema.columns[j];
    if (expected === undefined || c.name !== expected.name || c.type !== expected.type) {
      throw new DataError('part columns differ from the first part (name or type)', {
        file,
        column: j,
        row: firstRow,
      });
    }
  });
  return cols;
}
