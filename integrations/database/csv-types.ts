/**
 * The text cells of a CSV batch as table values of the load's column types. Cells keep the file's spelling
 * (the dialect encoders check each one against its column's type), except booleans, which become
 * true/false, and dates in timestamp columns, which become their midnight UTC.
 */
import type { CellValue, ColumnData, Table, TableSchema } from '../../core/table.js';
import type { CsvBatch } from './csv-source.js';

const BOOLEAN_WORDS = new Map<string, boolean>([
  ['true', true],
  ['false', false],
  ['t', true],
  ['f', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
]);

/** A boolean cell from its text (true/false, t/f, 1/0, yes/no in any case); other text is left for the encoder to reject. */
function booleanCell(text: string | null): CellValue {
  if (text === null) return null;
  return BOOLEAN_WORDS.get(text.toLowerCase()) ?? text;
}

/** A timestamp cell: a date alone means its midnight, UTC. */
function timestampCell(text: string | null): CellValue {
  return text !== null && text.length === 10 ? `${text}T00:00:00Z` : text;
}

/** An integer cell that may be spelled as a boolean (SQLite keeps booleans in INTEGER columns). */
function integerOrBooleanCell(text: string | null): CellValue {
  if (text === null) return null;
  const flag = BOOLEAN_WORDS.get(text.toLowerCase());
  return flag === undefined ? text : flag ? 1 : 0;
}

/**
 * The rows of a batch as a table of `schema` (same columns, same order). Text cells are shared, not
 * copied; boolean and timestamp columns get new arrays. With `booleansInIntegers` (SQLite, whose boolean
 * columns are INTEGER), integer columns also take boolean words as 1 and 0.
 */
export function csvBatchToTable(batch: CsvBatch, schema: TableSchema, booleansInIntegers = false): Table {
  const columns: ColumnData[] = schema.columns.map((c, j) => {
    const text = batch.columns[j] as (string | null)[];
    let values: CellValue[] = text;
    if (c.type === 'boolean') values = text.map(booleanCell);
    else if (c.type === 'timestamp') values = text.map(timestampCell);
    else if (c.type === 'integer' && booleansInIntegers) values = text.map(integerOrBooleanCell);
    return { name: c.name, type: c.type, values };
  });
  return { columns, rowCount: batch.rowCount };
}
