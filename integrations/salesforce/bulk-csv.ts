/**
 * The CSV dialect of Bulk API 2.0 ingest jobs: comma-delimited, LF line endings, RFC 4180 quoting,
 * `#N/A` to set a field to null on update and upsert (an empty cell leaves the field unchanged).
 */
import { parse } from 'csv-parse/sync';
import { DataError } from '../../core/errors.js';
import type { CellValue } from '../../core/table.js';

/** What Bulk API 2.0 reads as "set this field to null". */
export const BULK_NULL = '#N/A';

/** One cell as Bulk API 2.0 text; `nullText` is `#N/A` (clear the field) or empty (leave it alone). */
export function encodeBulkCell(
  value: CellValue,
  nullText: string,
  where: { object: string; column: string; row: number },
): string {
  if (value === null) return nullText;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new DataError(`${where.object}: a number that is not finite cannot be sent to Salesforce`, {
        column: where.column,
        row: where.row,
      });
    }
    const text = String(value);
    // Salesforce parses plain decimals only; 1e+21 and 1e-7 are written out in full.
    return /e/i.test(text)
      ? value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
      : text;
  }
  return value;
}

/** Quotes a field when it holds a comma, quote or line break. */
export function quoteCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document (header plus rows, LF-terminated) of already-encoded cells. */
export function toBulkCsv(header: readonly string[], rows: Iterable<readonly string[]>): string {
  const lines = [header.map(quoteCsvField).join(',')];
  for (const row of rows) lines.push(row.map(quoteCsvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** A parsed result CSV: its header and its rows as strings (Salesforce quotes every result field). */
export interface ParsedCsv {
  header: string[];
  rows: string[][];
}

/** Parses a Bulk API result CSV (successfulResults, failedResults, unprocessedrecords); empty text is an empty result. */
export function parseBulkCsv(text: string): ParsedCsv {
  if (text.trim() === '') return { header: [], rows: [] };
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  const [header = [], ...rows] = records;
  return { header, rows };
}
