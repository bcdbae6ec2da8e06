/**
 * Excel (.xlsx) output through exceljs's streaming workbook writer: rows are committed as they are
 * added, strings are written inline (no shared-string table growing with the run), and a new sheet
 * starts whenever one reaches Excel's row limit.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ConfigError, DataError } from '../../core/errors.js';
import type { ColumnData, PhysicalType, Table, TableSchema } from '../../core/table.js';
import { neutralizeFormula } from './formula-guard.js';
import { checkColumns } from './text-encoders.js';

/** Excel's hard limit of rows per worksheet (the header row included). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's limit of characters in one cell. */
export const EXCEL_MAX_CELL_CHARS = 32_767;

/** Options of {@link createXlsxWriter}. */
export interface XlsxWriterOptions {
  /** Name of the first sheet; later sheets get " (2)", " (3)", …. @default "data" */
  sheetName?: string;
  /** Data rows per sheet before a new sheet starts. @default 1_048_575 (Excel's limit less the header) */
  maxRowsPerSheet?: number;
  /** Prefix cells that Excel would run as formulas with an apostrophe. @default true */
  neutralizeFormulas?: boolean;
}

/** A streaming .xlsx writer: parts in, one workbook out. */
export interface XlsxWriter {
  writePart(table: Table, firstRow: number): Promise<void>;
  /** Finishes the workbook; the output stream is ended by exceljs. */
  finish(): Promise<void>;
}

// Characters XML 1.0 cannot carry; exceljs would drop them silently, changing the data.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const SHEET_NAME_ILLEGAL = /[[\]:*?/\\]/;

const NUMBER_FORMATS: Partial<Record<PhysicalType, string>> = {
  date: 'yyyy-mm-dd',
  timestamp: 'yyyy-mm-dd hh:mm:ss.000',
};

/** Starts a workbook on `output` with the columns of `schema`; `file` names the output in errors. */
export function createXlsxWriter(
  output: Writable,
  schema: TableSchema,
  file: string,
  options: XlsxWriterOptions = {},
): XlsxWriter {
  const baseName = options.sheetName ?? 'data';
  if (baseName.length === 0 || baseName.length > 31 || SHEET_NAME_ILLEGAL.test(baseName)) {
    throw new ConfigError('must be 1–31 characters without [ ] : * ? / \\', 'xlsx.sheetName');
  }
  const maxRows = options.maxRowsPerSheet ?? EXCEL_MAX_ROWS - 1;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > EXCEL_MAX_ROWS - 1) {
    throw new ConfigError(`must be an integer from 1 to ${EXCEL_MAX_ROWS - 1}`, 'xlsx.maxRowsPerSheet');
  }
  const guard = options.neutralizeFormulas ?? true;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const header = schema.columns.map((c) => c.name);
  let sheet: ExcelJS.Worksheet | undefined;
  let sheetRows = 0;
  let sheetCount = 0;

  const openSheet = (): ExcelJS.Worksheet => {
    sheetCount += 1;
    const suffix = sheetCount === 1 ? '' : ` (${sheetCount})`;
    const ws = workbook.addWorksheet(baseName.slice(0, 31 - suffix.length) + suffix);
    ws.columns = schema.columns.map((c) => {
      const numFmt = NUMBER_FORMATS[c.type];
      return numFmt === undefined ? { key: c.name } : { key: c.name, style: { numFmt } };
    });
    ws.addRow(header).commit();
    sheetRows = 0;
    return ws;
  };

  const cell = (col: ColumnData, r: number, row: number): ExcelJS.CellValue => {
    const value = col.values[r] ?? null;
    if (value === null || typeof value === 'number' || typeof value === 'boolean') {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new DataError('Excel cannot hold a non-finite number', { file, column: col.name, row });
      }
      return value;
    }
    if (col.type === 'date' || col.type === 'timestamp') {
      const ms = Date.parse(col.type === 'date' ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(ms))
        throw new DataError(`${col.type} cell is not an ISO ${col.type}`, { file, column: col.name, row });
      return new Date(ms);
    }
    if (XML_ILLEGAL.test(value))
      throw new DataError('text holds a control character Excel cannot store', {
        file,
        column: col.name,
        row,
      });
    const text = guard ? neutralizeFormula(value) : value;
    if (text.length > EXCEL_MAX_CELL_CHARS) {
      throw new DataError(`text is longer than Excel's ${EXCEL_MAX_CELL_CHARS} characters per cell`, {
        file,
        column: col.name,
        row,
      });
    }
    return text;
  };

  return {
    async writePart(table, firstRow) {
      const cols = checkColumns(table, schema, file, firstRow);
      for (let r = 0; r < table.rowCount; r++) {
        if (sheet === undefined || sheetRows >= maxRows) {
          sheet?.commit();
          sheet = openSheet();
        }
        sheet.addRow(cols.map((c) => cell(c, r, firstRow + r))).commit();
        sheetRows += 1;
        // exceljs does not wait for a slow output (an S3 upload); waiting here keeps memory at one part.
        if ((r & 0x3fff) === 0x3fff && output.writableNeedDrain) await once(output, 'drain');
      }
      if (output.writableNeedDrain) await once(output, 'drain');
    },
    async finish() {
      // An output with no rows still gets its header sheet, so the file opens and shows the columns.
      if (sheet === undefined) sheet = openSheet();
      sheet.commit();
      await workbook.commit();
    },
  };
}
