/**
 * Excel (.xlsx) output written by hand: each row becomes a string of worksheet XML (column letters
 * worked out once), deflated by Node's zlib into fflate's streaming ZIP on the output. Strings are
 * written inline (no shared-string table growing with the run), dates and timestamps become Excel
 * serial numbers with a date style, and a new sheet starts whenever one reaches the row limit. Memory
 * stays at one part and a few chunks of XML whatever the run's size, as the output's backpressure is
 * obeyed.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { Zip, ZipDeflate, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';
import { ConfigError, DataError } from '../../core/errors.js';
import type { ColumnData, Table, TableSchema } from '../../core/table.js';
import { neutralizeFormula } from './formula-guard.js';
import { checkColumns } from './text-encoders.js';

/** Excel's hard limit of rows per worksheet (the header row included). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's limit of characters in one cell. */
export const EXCEL_MAX_CELL_CHARS = 32_767;
/** Excel's limit of columns per worksheet (A to XFD). */
const EXCEL_MAX_COLUMNS = 16_384;

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
  /** Appends the rows of one part; `firstRow` is the run-wide index of its first row (for error locations). */
  writePart(table: Table, firstRow: number): Promise<void>;
  /** Writes the workbook parts that name the sheets, ends `output` and resolves once it has finished. */
  finish(): Promise<void>;
}

// Characters XML 1.0 cannot carry at all (not even as character references).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// With the u flag a surrogate class matches only unpaired halves: emoji and other pairs pass.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// One test per string decides whether it needs any work beyond copying: markup characters, a carriage
// return (XML parsers turn a raw CR into LF), control and surrogate code units, or text that Excel
// would read as its own _xHHHH_ escape.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_CARE = /[\u0000-\u0008\u000B-\u001F&<>"\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
const SHEET_NAME_ILLEGAL = /[[\]:*?/\\]/;

// zlib level 1 measured ~79k rows/s against ~69k at level 3 and ~50k at level 6, for files only 6% and
// 14% smaller (docs/benchmarks.md): on a busy machine the time matters more than the bytes.
const DEFLATE_LEVEL = 1;
// General-purpose flag bits 1–2 name the level class (APPNOTE 4.4.4): 3 is "super fast", as for level 1.
const DEFLATE_FLAG = 3;
// XML characters gathered before a chunk is deflated: big enough that per-call costs vanish, small
// enough that one chunk is a few hundred kilobytes of memory.
const CHUNK_CHARS = 1 << 18;
// fflate writes ZIP32 only: an entry and the offsets of the archive must stay below 4 GiB. A sheet of
// Excel's 1,048,575 rows reaches that at ~4 KB of XML per row; maxRowsPerSheet is the way around it.
const ZIP32_LIMIT = 0xffff_ffff;
const ZIP32_MAX_ENTRIES = 0xffff;
// A fixed entry date keeps the bytes a pure function of the data, so a retried run writes the same file.
const ENTRY_MTIME = new Date(1980, 0, 1);

const STYLE_DATE = 1;
const STYLE_TIMESTAMP = 2;
const MS_PER_DAY = 86_400_000;
// Serial number of 1970-01-01 in Excel's 1900 date system (the same conversion exceljs uses both ways).
const UNIX_EPOCH_SERIAL = 25_569;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

const SHEET_HEAD = `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';

// Cell style 1 shows dates, 2 timestamps with milliseconds; 164 and 165 are the first custom format ids.
const STYLES_XML =
  `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>' +
  '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss.000"/></numFmts>' +
  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

const ROOT_RELS_XML =
  `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
  `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

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
  if (baseName.startsWith("'") || baseName.endsWith("'") || XML_ILLEGAL.test(baseName)) {
    // Excel repairs (renames) such sheets when it opens the file.
    throw new ConfigError(
      'must not begin or end with an apostrophe or hold control characters',
      'xlsx.sheetName',
    );
  }
  const maxRows = options.maxRowsPerSheet ?? EXCEL_MAX_ROWS - 1;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > EXCEL_MAX_ROWS - 1) {
    throw new ConfigError(`must be an integer from 1 to ${EXCEL_MAX_ROWS - 1}`, 'xlsx.maxRowsPerSheet');
  }
  if (schema.columns.length > EXCEL_MAX_COLUMNS) {
    throw new DataError(
      `Excel holds at most ${EXCEL_MAX_COLUMNS} columns; the output has ${schema.columns.length}`,
      { file },
    );
  }
  const guard = options.neutralizeFormulas ?? true;
  const letters = schema.columns.map((_, j) => columnLetters(j));
  const styles = schema.columns.map((c) =>
    c.type === 'date' ? ` s="${STYLE_DATE}"` : c.type === 'timestamp' ? ` s="${STYLE_TIMESTAMP}"` : '',
  );
  const headerRow = schema.columns
    .map((c, j) => {
      if (XML_ILLEGAL.test(c.name) || LONE_SURROGATE.test(c.name)) {
        throw new DataError('column name holds a character Excel cannot store', { file, column: j });
      }
      return c.name === '' ? '' : inlineString(`${letters[j] as string}1`, c.name, NEEDS_CARE.test(c.name));
    })
    .join('');

  const zip = new ZipOutput(output, file);
  const sheetNames: string[] = [];
  let sheet: SheetEntry | undefined;
  let sheetRows = 0;
  let sheetBytes = 0;
  let chunk = '';

  const flush = async (): Promise<void> => {
    if (chunk.length === 0 || sheet === undefined) return;
    const bytes = Buffer.from(chunk, 'utf8');
    chunk = '';
    sheetBytes += bytes.length;
    await sheet.write(bytes);
    zip.check();
    // A slow output (an S3 upload) holds the writer here, so memory stays at one part and a few chunks.
    await drained(output);
  };
  const closeSheet = async (): Promise<void> => {
    if (sheet === undefined) return;
    await sheet.close(Buffer.from(chunk + SHEET_TAIL, 'utf8'));
    chunk = '';
    zip.check();
    await drained(output);
  };
  const openSheet = async (): Promise<void> => {
    await closeSheet();
    const n = sheetNames.length + 1;
    if (n > ZIP32_MAX_ENTRIES - 8) {
      throw new DataError(
        `the workbook would pass ${ZIP32_MAX_ENTRIES - 8} sheets; raise xlsx.maxRowsPerSheet`,
        {
          file,
        },
      );
    }
    const suffix = n === 1 ? '' : ` (${n})`;
    sheetNames.push(baseName.slice(0, 31 - suffix.length) + suffix);
    sheet = zip.sheet(`xl/worksheets/sheet${n}.xml`);
    sheetRows = 0;
    sheetBytes = 0;
    chunk = `${SHEET_HEAD}<row r="1">${headerRow}</row>`;
  };

  const cellXml = (col: ColumnData, j: number, r: number, row: number, rowNumber: string): string => {
    const value = col.values[r] ?? null;
    if (value === null) return '';
    const ref = (letters[j] as string) + rowNumber;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new DataError('Excel cannot hold a non-finite number', { file, column: col.name, row });
      }
      return `<c r="${ref}"${styles[j] as string}><v>${value}</v></c>`;
    }
    if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
    if (col.type === 'date' || col.type === 'timestamp') {
      const ms = Date.parse(col.type === 'date' ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(ms))
        throw new DataError(`${col.type} cell is not an ISO ${col.type}`, { file, column: col.name, row });
      return `<c r="${ref}"${styles[j] as string}><v>${UNIX_EPOCH_SERIAL + ms / MS_PER_DAY}</v></c>`;
    }
    if (value === '') return '';
    const care = NEEDS_CARE.test(value);
    if (care && XML_ILLEGAL.test(value)) {
      throw new DataError('text holds a control character Excel cannot store', {
        file,
        column: col.name,
        row,
      });
    }
    if (care && LONE_SURROGATE.test(value)) {
      // UTF-8 cannot encode half a surrogate pair: it would turn into U+FFFD and change the data.
      throw new DataError('text holds an unpaired surrogate Excel cannot store', {
        file,
        column: col.name,
        row,
      });
    }
    const text = guard ? neutralizeFormula(value) : value;
    if (text.length > EXCEL_MAX_CELL_CHARS) {
      throw new DataError(`text is longer than Excel's ${EXCEL_MAX_CELL_CHARS} characters per cell`, {
        file,
        column: col.name,
        row,
      });
    }
    // The apostrophe the guard may add never changes whether the text needs escaping.
    return inlineString(ref, text, care);
  };

  const rowXml = (cols: ColumnData[], r: number, row: number, rowNumber: string): string => {
    let xml = `<row r="${rowNumber}">`;
    for (let j = 0; j < cols.length; j++) xml += cellXml(cols[j] as ColumnData, j, r, row, rowNumber);
    return `${xml}</row>`;
  };

  return {
    async writePart(table, firstRow) {
      const cols = checkColumns(table, schema, file, firstRow);
      for (let r = 0; r < table.rowCount; r++) {
        if (sheet === undefined || sheetRows >= maxRows) await openSheet();
        const xml = rowXml(cols, r, firstRow + r, String(sheetRows + 2));
        // UTF-8 takes at most 3 bytes per UTF-16 unit, so the exact count is needed only near the limit.
        if (sheetBytes + 3 * (chunk.length + xml.length + SHEET_TAIL.length) > ZIP32_LIMIT) {
          await flush();
          if (sheetBytes + Buffer.byteLength(xml + SHEET_TAIL, 'utf8') > ZIP32_LIMIT) {
            throw new DataError(
              'the sheet passes the 4 GiB a ZIP entry holds without ZIP64; lower xlsx.maxRowsPerSheet',
              { file, row: firstRow + r },
            );
          }
        }
        chunk += xml;
        sheetRows += 1;
        if (chunk.length >= CHUNK_CHARS) await flush();
      }
      await flush();
    },
    async finish() {
      // An output with no rows still gets its header sheet, so the file opens and shows the columns.
      if (sheet === undefined) await openSheet();
      await closeSheet();
      zip.file('xl/styles.xml', STYLES_XML);
      zip.file('xl/workbook.xml', workbookXml(sheetNames));
      zip.file('xl/_rels/workbook.xml.rels', workbookRelsXml(sheetNames.length));
      zip.file('[Content_Types].xml', contentTypesXml(sheetNames.length));
      zip.file('_rels/.rels', ROOT_RELS_XML);
      zip.end();
      await finished(output, { readable: false });
    },
  };
}

/** The ZIP container on the output: fflate's streaming Zip, guarded against the limits of ZIP32. */
class ZipOutput {
  private readonly zip: Zip;
  private failure: Error | undefined;
  private written = 0;

  constructor(output: Writable, file: string) {
    this.zip = new Zip((error, data, final) => {
      if (error !== null) {
        this.failure ??= error;
        return;
      }
      this.written += data.length;
      if (this.written > ZIP32_LIMIT && this.failure === undefined) {
        this.failure = new DataError(
          'the workbook passes the 4 GiB a ZIP file holds without ZIP64; write CSV or Parquet instead',
          { file },
        );
      }
      output.write(data);
      if (final) output.end();
    });
  }

  /** Starts a worksheet entry whose size is known only when it is closed. */
  sheet(name: string): SheetEntry {
    const entry = new SheetEntry(name, (error) => (this.failure ??= error));
    this.zip.add(entry);
    return entry;
  }

  /** Adds a whole small entry. */
  file(name: string, text: string): void {
    const entry = new ZipDeflate(name, { level: DEFLATE_LEVEL });
    entry.mtime = ENTRY_MTIME;
    this.zip.add(entry);
    entry.push(Buffer.from(text, 'utf8'), true);
    this.check();
  }

  end(): void {
    this.zip.end();
    this.check();
  }

  /** Throws what the ZIP stream reported since the last check. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/**
 * A ZIP entry (fflate's {@link ZipInputFile} contract) deflated by Node's zlib on its thread pool:
 * the next chunk of XML is built while the last one is compressed, and native DEFLATE is several
 * times faster than fflate's JavaScript one on this much text.
 */
class SheetEntry implements ZipInputFile {
  readonly compression = 8;
  readonly flag = DEFLATE_FLAG;
  readonly mtime = ENTRY_MTIME;
  size = 0;
  crc = 0;
  ondata?: AsyncFlateStreamHandler;
  private readonly deflate: DeflateRaw;
  private readonly ended: Promise<void>;

  constructor(
    readonly filename: string,
    onError: (error: Error) => void,
  ) {
    this.deflate = createDeflateRaw({ level: DEFLATE_LEVEL });
    // zlib hands out Buffers over plain ArrayBuffers; the cast only narrows the type fflate asks for.
    this.deflate.on('data', (data: Buffer) => this.ondata?.(null, data as Uint8Array<ArrayBuffer>, false));
    this.ended = new Promise<void>((resolve, reject) => {
      this.deflate.once('end', () => {
        // fflate writes the data descriptor (CRC and sizes) on the final call.
        this.ondata?.(null, new Uint8Array(0), true);
        resolve();
      });
      this.deflate.once('error', (error) => {
        onError(error);
        reject(error);
      });
    });
    // Seen by close() or by the ZIP's check(); not an unhandled rejection meanwhile.
    this.ended.catch(() => {});
  }

  /** Queues a chunk; waits only while the previous one is still being compressed. */
  async write(bytes: Buffer): Promise<void> {
    if (this.deflate.writableNeedDrain) await once(this.deflate, 'drain');
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    this.deflate.write(bytes);
  }

  /** Writes the last chunk and resolves once the whole entry is in the ZIP stream. */
  async close(bytes: Buffer): Promise<void> {
    await this.write(bytes);
    this.deflate.end();
    await this.ended;
  }

  terminate(): void {
    this.deflate.destroy();
  }
}

async function drained(output: Writable): Promise<void> {
  if (!output.writableNeedDrain) return;
  if (output.destroyed) throw new Error('the xlsx output was closed before the workbook was written');
  // 'close' without 'drain' means the consumer went away; waiting on 'drain' alone would hang.
  const controller = new AbortController();
  try {
    await Promise.race([
      once(output, 'drain', { signal: controller.signal }),
      once(output, 'close', { signal: controller.signal }).then(() => {
        throw new Error('the xlsx output was closed before the workbook was written');
      }),
    ]);
  } finally {
    controller.abort();
  }
}

/** A string cell: inline, escaped (when `care`) for XML and for Excel's own _xHHHH_ escapes. */
function inlineString(ref: string, text: string, care: boolean): string {
  const body = care ? escapeText(text) : text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  // Without xml:space="preserve" Excel trims leading and trailing white space (and exceljs adds it for line breaks).
  const preserve = first <= 0x20 || last <= 0x20 || text.includes('\n');
  return `<c r="${ref}" t="inlineStr"><is><t${preserve ? ' xml:space="preserve"' : ''}>${body}</t></is></c>`;
}

function escapeText(text: string): string {
  return text
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
    .replace(/[&<>"\r]/g, (c) =>
      c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#13;',
    );
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Column letters of a zero-based index: 0 → A, 25 → Z, 26 → AA. */
function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function workbookXml(names: string[]): string {
  const sheets = names
    .map((name, i) => `<sheet name="${escapeAttribute(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  return `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets></workbook>`;
}

function workbookRelsXml(sheetCount: number): string {
  let rels = '';
  for (let i = 1; i <= sheetCount; i++) {
    rels += `<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  }
  rels += `<Relationship Id="rId${sheetCount + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>`;
  return `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">${rels}</Relationships>`;
}

function contentTypesXml(sheetCount: number): string {
  let overrides =
    `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>`;
  for (let i = 1; i <= sheetCount; i++) {
    overrides += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${CT}.worksheet+xml"/>`;
  }
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    `<Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`
  );
}
