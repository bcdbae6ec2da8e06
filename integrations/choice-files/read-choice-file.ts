/**
 * Choice lists from files: a CSV (or TSV) or Excel (.xlsx) table with a header row, one column of
 * values and optionally one of weights. Errors name the file, line or row, and column, never a value.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import type { readSheet as ReadSheet } from 'read-excel-file/node';
import { DataError } from '../../core/errors.js';
import type { ChoiceList, ScalarValue } from '../../core/schema-gen/index.js';

/** Options of {@link readChoiceFile}. */
export interface ReadChoiceFileOptions {
  /**
   * Header of the column holding the values.
   * @default the first column
   */
  column?: string;
  /** Header of the column holding the weights (non-negative numbers); without it every value weighs the same. */
  weightColumn?: string;
  /**
   * Excel sheet, by name or 1-based number.
   * @default the first sheet
   */
  sheet?: string | number;
  /**
   * CSV delimiter.
   * @default detected from the header line (comma, semicolon, tab or pipe)
   */
  delimiter?: string;
  /** Name of the file in errors (e.g. the path as written in a config). */
  displayName?: string;
}

// Loaded with require: eslint-plugin-import-x cannot resolve this package's exports map (no `default`
// condition) and aborts the whole lint run on a static import; type imports are not resolved.
const { readSheet } = createRequire(import.meta.url)('read-excel-file/node') as {
  readSheet: typeof ReadSheet;
};

/** File kinds by extension. */
export const CHOICE_FILE_EXTENSIONS = { csv: ['.csv', '.tsv', '.txt'], excel: ['.xlsx'] } as const;

/** Reads the values (and weights) of a choice file; throws DataError naming the file, line/row and column. */
export async function readChoiceFile(
  filePath: string,
  options: ReadChoiceFileOptions = {},
): Promise<ChoiceList> {
  const file = options.displayName ?? filePath;
  const ext = path.extname(filePath).toLowerCase();
  let content: Buffer;
  try {
    content = await readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT' ? 'choice file not found' : `choice file cannot be read (${code ?? 'error'})`,
      { file },
      { cause: error },
    );
  }
  if ((CHOICE_FILE_EXTENSIONS.excel as readonly string[]).includes(ext))
    return readExcelChoices(content, file, options);
  if ((CHOICE_FILE_EXTENSIONS.csv as readonly string[]).includes(ext))
    return readCsvChoices(content, file, options);
  throw new DataError('choice files must be .csv, .tsv, .txt or .xlsx', { file });
}

interface Row {
  cells: ScalarValue[];
  /** Line (CSV) or sheet row (Excel), 1-based. */
  at: number;
}

function readCsvChoices(content: Buffer, file: string, options: ReadChoiceFileOptions): ChoiceList {
  const text = content.toString('utf8');
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as typeof records;
  } catch (error) {
    // csv-parse messages can quote the offending field; report only its code and line.
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new DataError(`malformed CSV (${error.code})`, line === undefined ? { file } : { file, line }, {
        cause: error,
      });
    }
    throw error;
  }
  const rows: Row[] = records.map((r) => ({ cells: r.record.map((c) => c.trim()), at: r.info.lines }));
  return choicesFromRows(rows, file, options, 'line');
}

async function readExcelChoices(
  content: Buffer,
  file: string,
  options: ReadChoiceFileOptions,
): Promise<ChoiceList> {
  let data: unknown[][];
  try {
    data = (await readSheet(content, options.sheet ?? 1)) as unknown[][];
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'SheetNotFoundError' || /sheet/i.test((error as Error).message)) {
      throw new DataError(
        `has no sheet ${typeof options.sheet === 'number' ? `number ${options.sheet}` : 'by that name'}`,
        { file },
        { cause: error },
      );
    }
    throw new DataError('is not a readable .xlsx workbook', { file }, { cause: error });
  }
  const rows: Row[] = [];
  data.forEach((cells, i) => {
    const values = cells.map(excelCell);
    if (values.some((v) => v !== null && v !== '')) rows.push({ cells: values, at: i + 1 });
  });
  return choicesFromRows(rows, file, options, 'row');
}

function excelCell(cell: unknown): ScalarValue {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  return String(cell);
}

function choicesFromRows(
  rows: Row[],
  file: string,
  options: ReadChoiceFileOptions,
  unit: 'line' | 'row',
): ChoiceList {
  const header = rows[0];
  if (!header) throw new DataError('choice file is empty (a header row is required)', { file });
  const names = header.cells.map((c) => (c === null ? '' : String(c)));
  const columnIndex = (name: string | undefined, fallback: number | null): number | null => {
    if (name === undefined) return fallback;
    const i = names.indexOf(name);
    if (i < 0)
      throw new DataError(`has no column ${JSON.stringify(name)} in its header`, { file, [unit]: header.at });
    return i;
  };
  const valueAt = columnIndex(options.column, 0) as number;
  const weightAt = columnIndex(options.weightColumn, null);
  const valueName = names[valueAt] || `${valueAt + 1}`;
  const weightName = weightAt === null ? '' : names[weightAt] || `${weightAt + 1}`;
  const values: ScalarValue[] = [];
  const weights: number[] | null = weightAt === null ? null : [];
  for (const row of rows.slice(1)) {
    const value = row.cells[valueAt] ?? null;
    if (value === null || value === '')
      throw new DataError('value is empty', { file, [unit]: row.at, column: valueName });
    values.push(value);
    if (weights !== null) {
      const raw = row.cells[weightAt as number] ?? null;
      const weight =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(weight) || weight < 0) {
        throw new DataError('weight is not a non-negative number', {
          file,
          [unit]: row.at,
          column: weightName,
        });
      }
      weights.push(weight);
    }
  }
  if (values.length === 0) throw new DataError('choice file has a header but no values', { file });
  if (weights !== null && !(weights.reduce((a, b) => a + b, 0) > 0)) {
    throw new DataError('weights are all 0', { file, column: weightName });
  }
  return { values, weights };
}

/** The delimiter that splits the header line into the most fields (comma on a tie). */
function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = countOutsideQuotes(firstLine, d);
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) n++;
  }
  return n;
}
