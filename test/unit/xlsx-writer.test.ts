/**
 * The hand-written .xlsx writer, read back two ways: with exceljs's reader (what a user's tooling sees)
 * and as raw package parts through fflate's unzip (cell types, styles, escaping, sheet split). Covers
 * typed cells, dates as serial numbers with the date styles, XML and _xHHHH_ escaping, formula
 * neutralization, sheet rollover, empty output, every DataError (named by file, column and row, never
 * by value), backpressure, byte-for-byte determinism, and a property test of random tables.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import type { CellValue, ColumnData, Table, TableSchema } from '../../core/table.js';
import {
  createXlsxWriter,
  EXCEL_MAX_CELL_CHARS,
  type XlsxWriterOptions,
} from '../../integrations/files/xlsx-writer.js';

const FILE = 'out/book.xlsx';

function schemaOf(table: Table): TableSchema {
  return { columns: table.columns.map((c) => ({ name: c.name, type: c.type })) } as TableSchema;
}

function memoryOutput(): { output: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { output, bytes: () => Buffer.concat(chunks) };
}

/** Writes `parts` (sharing the first part's schema) and returns the .xlsx bytes. */
async function writeBook(
  parts: Table[],
  options: XlsxWriterOptions = {},
  schema?: TableSchema,
): Promise<Buffer> {
  const { output, bytes } = memoryOutput();
  const writer = createXlsxWriter(output, schema ?? schemaOf(parts[0] as Table), FILE, options);
  let row = 0;
  for (const part of parts) {
    await writer.writePart(part, row);
    row += part.rowCount;
  }
  await writer.finish();
  return bytes();
}

function parts(buffer: Buffer): Record<string, string> {
  const files = unzipSync(new Uint8Array(buffer));
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

async function readBook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

/**
 * A sheet's first `count` rows (all it has by default) as arrays of `width` values, empty cells as null.
 * exceljs rows and cells are 1-based.
 */
function sheetRows(sheet: ExcelJS.Worksheet, width: number, count = sheet.rowCount): unknown[][] {
  return Array.from({ length: count }, (_, r) => {
    const row = sheet.getRow(r + 1);
    return Array.from({ length: width }, (_, j) => row.getCell(j + 1).value ?? null);
  });
}

function column(name: string, type: ColumnData['type'], values: CellValue[]): ColumnData {
  return { name, type, values };
}

function table(...columns: ColumnData[]): Table {
  return { rowCount: columns[0]?.values.length ?? 0, columns };
}

const serial = (iso: string) => 25_569 + Date.parse(iso) / 86_400_000;

describe('xlsx writer: package and cells', () => {
  const typed = table(
    column('id', 'integer', [1, -2, null]),
    column('score', 'float', [0.1, 1e21, -3.5]),
    column('active', 'boolean', [true, false, null]),
    column('born', 'date', ['1986-11-08', null, '2024-02-29']),
    column('seen', 'timestamp', ['2024-01-01T12:34:56.789Z', '1999-12-31T23:59:59.999Z', null]),
    column('name', 'string', ['Ada', null, '']),
  );

  it('writes the OOXML parts, no shared strings, and one worksheet with typed cells', async () => {
    const files = parts(await writeBook([typed]));
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    for (const [name, xml] of Object.entries(files)) expect(XMLValidator.validate(xml), name).toBe(true);
    expect(files['[Content_Types].xml']).toContain(
      'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"',
    );
    expect(files['xl/workbook.xml']).toContain('<sheet name="data" sheetId="1" r:id="rId1"/>');
    expect(files['xl/_rels/workbook.xml.rels']).toContain('Target="worksheets/sheet1.xml"');

    const sheet = files['xl/worksheets/sheet1.xml'] as string;
    expect(sheet).toContain('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>');
    expect(sheet).toContain('<c r="A2"><v>1</v></c>');
    expect(sheet).toContain('<c r="A3"><v>-2</v></c>');
    expect(sheet).toContain('<c r="B3"><v>1e+21</v></c>');
    expect(sheet).toContain('<c r="C2" t="b"><v>1</v></c><c r="D2" s="1">');
    expect(sheet).toContain('<c r="C3" t="b"><v>0</v></c>');
    // 1986-11-08 is day 31724 of Excel's 1900 date system.
    expect(sheet).toContain('<c r="D2" s="1"><v>31724</v></c>');
    expect(sheet).toContain(`<c r="E2" s="2"><v>${serial('2024-01-01T12:34:56.789Z')}</v></c>`);
    expect(sheet).toContain('<c r="F2" t="inlineStr"><is><t>Ada</t></is></c></row>');
    // Nulls and empty strings leave no cell at all.
    expect(sheet).not.toMatch(/<c r="(A4|C4|D3|E4|F3|F4)"/);

    // Style 1 shows dates, style 2 timestamps, through the two custom number formats.
    const styles = files['xl/styles.xml'] as string;
    expect(styles).toContain('<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>');
    expect(styles).toContain('<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss.000"/>');
    const xfs = [...(styles.match(/<cellXfs[^>]*>(.*)<\/cellXfs>/)?.[1] ?? '').matchAll(/numFmtId="(\d+)"/g)];
    expect(xfs.map((m) => m[1])).toEqual(['0', '164', '165']);
  });

  it('reads back with exceljs as numbers, booleans, Dates and strings', async () => {
    const book = await readBook(await writeBook([typed]));
    expect(book.worksheets.map((s) => s.name)).toEqual(['data']);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    expect(sheetRows(sheet, 6)).toEqual([
      ['id', 'score', 'active', 'born', 'seen', 'name'],
      [1, 0.1, true, new Date('1986-11-08T00:00:00Z'), new Date('2024-01-01T12:34:56.789Z'), 'Ada'],
      [-2, 1e21, false, null, new Date('1999-12-31T23:59:59.999Z'), null],
      [null, -3.5, null, new Date('2024-02-29T00:00:00Z'), null, null],
    ]);
    expect(sheet.getCell('D2').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('E2').numFmt).toBe('yyyy-mm-dd hh:mm:ss.000');
  });

  it('names columns past Z with two and three letters', async () => {
    const wide = table(...Array.from({ length: 703 }, (_, j) => column(`c${j}`, 'integer', [j])));
    const sheet = parts(await writeBook([wide]))['xl/worksheets/sheet1.xml'] as string;
    expect(sheet).toContain('<c r="Z2"><v>25</v></c><c r="AA2"><v>26</v></c>');
    expect(sheet).toContain('<c r="ZZ2"><v>701</v></c><c r="AAA2"><v>702</v></c>');
  });

  it('writes the same bytes for the same data', async () => {
    expect((await writeBook([typed])).equals(await writeBook([typed]))).toBe(true);
  });
});

describe('xlsx writer: text', () => {
  const tricky = [
    'a & b',
    '<tag attr="x">',
    'say "hi"',
    "it's",
    ']]>',
    '👩‍💻 emoji 𝄞 non-BMP',
    'line\r\nbreak',
    'cr\ronly',
    ' leading',
    'trailing ',
    'tab\tinside',
    'ünïcödé ✓',
  ];

  it('escapes markup, keeps white space and carriage returns, and reads back unchanged', async () => {
    const buffer = await writeBook([table(column('note & <x>', 'string', tricky))]);
    const sheet = parts(buffer)['xl/worksheets/sheet1.xml'] as string;
    expect(XMLValidator.validate(sheet)).toBe(true);
    expect(sheet).toContain('<t>note &amp; &lt;x&gt;</t>');
    expect(sheet).toContain('<t>a &amp; b</t>');
    expect(sheet).toContain('<t>&lt;tag attr=&quot;x&quot;&gt;</t>');
    expect(sheet).toContain('<t>say &quot;hi&quot;</t>');
    expect(sheet).toContain("<t>it's</t>");
    expect(sheet).toContain('<t>]]&gt;</t>');
    expect(sheet).toContain('<t>👩‍💻 emoji 𝄞 non-BMP</t>');
    expect(sheet).toContain('<t xml:space="preserve">line&#13;\nbreak</t>');
    expect(sheet).toContain('<t>cr&#13;only</t>');
    expect(sheet).toContain('<t xml:space="preserve"> leading</t>');
    expect(sheet).toContain('<t xml:space="preserve">trailing </t>');
    const rows = sheetRows((await readBook(buffer)).worksheets[0] as ExcelJS.Worksheet, 1);
    expect(rows.map((r) => r[0])).toEqual(['note & <x>', ...tricky]);
  });

  it('escapes text that Excel would read as its own _xHHHH_ escape', async () => {
    const sheet = parts(await writeBook([table(column('s', 'string', ['_x0041_', 'a_x00e9_b_x', '_x12_']))]))[
      'xl/worksheets/sheet1.xml'
    ] as string;
    // Excel decodes _x005F_ to "_", so the cell shows the original text rather than "A".
    expect(sheet).toContain('<t>_x005F_x0041_</t>');
    expect(sheet).toContain('<t>a_x005F_x00e9_b_x</t>');
    expect(sheet).toContain('<t>_x12_</t>');
  });

  it('neutralizes formula-like text unless told not to, and never writes a formula element', async () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+SUM(A1)', '@cmd', '\tTAB', '-12.5', '-2+3'];
    const data = table(column('note', 'string', hostile));
    const guarded = await writeBook([data]);
    expect(parts(guarded)['xl/worksheets/sheet1.xml']).not.toContain('<f>');
    const rows = sheetRows((await readBook(guarded)).worksheets[0] as ExcelJS.Worksheet, 1).slice(1);
    expect(rows.map((r) => r[0])).toEqual([
      '\'=HYPERLINK("http://x","y")',
      "'+SUM(A1)",
      "'@cmd",
      "'\tTAB",
      '-12.5',
      "'-2+3",
    ]);
    const raw = await writeBook([data], { neutralizeFormulas: false });
    const rawRows = sheetRows((await readBook(raw)).worksheets[0] as ExcelJS.Worksheet, 1).slice(1);
    expect(rawRows.map((r) => r[0])).toEqual(hostile);
  });
});

describe('xlsx writer: sheets', () => {
  it('starts "data (2)", "data (3)"… at maxRowsPerSheet, each with the header and rows from 2', async () => {
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    const part = (from: number, n: number) =>
      table(
        column('id', 'integer', ids(from, n)),
        column(
          'tag',
          'string',
          ids(from, n).map((i) => `t${i}`),
        ),
      );
    const buffer = await writeBook([part(1, 3), part(4, 5)], { maxRowsPerSheet: 3 });
    const files = parts(buffer);
    expect(
      Object.keys(files)
        .filter((n) => n.startsWith('xl/worksheets/'))
        .sort(),
    ).toEqual(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml']);
    expect(files['xl/worksheets/sheet3.xml']).toContain('<row r="2"><c r="A2"><v>7</v></c>');
    expect(files['xl/worksheets/sheet3.xml']).not.toContain('<row r="4"');
    for (let n = 1; n <= 3; n++) {
      expect(files['[Content_Types].xml']).toContain(`PartName="/xl/worksheets/sheet${n}.xml"`);
    }
    const book = await readBook(buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['data', 'data (2)', 'data (3)']);
    expect(book.worksheets.map((s) => sheetRows(s, 2))).toEqual([
      [
        ['id', 'tag'],
        [1, 't1'],
        [2, 't2'],
        [3, 't3'],
      ],
      [
        ['id', 'tag'],
        [4, 't4'],
        [5, 't5'],
        [6, 't6'],
      ],
      [
        ['id', 'tag'],
        [7, 't7'],
        [8, 't8'],
      ],
    ]);
  });

  it('shortens a 31-character sheet name to fit the suffix and escapes it in workbook.xml', async () => {
    const name = "O'Brien & Sons – customers 2024";
    expect(name).toHaveLength(31);
    const buffer = await writeBook([table(column('id', 'integer', [1, 2]))], {
      sheetName: name,
      maxRowsPerSheet: 1,
    });
    expect(parts(buffer)['xl/workbook.xml']).toContain('name="O&apos;Brien &amp; Sons – customers 2024"');
    expect((await readBook(buffer)).worksheets.map((s) => s.name)).toEqual([
      name,
      "O'Brien & Sons – customers  (2)",
    ]);
  });

  it('gives an empty output its header sheet, with or without empty parts', async () => {
    const empty = table(column('id', 'integer', []), column('born', 'date', []));
    for (const buffer of [
      await writeBook([], {}, schemaOf(empty)),
      await writeBook([empty, empty], {}, schemaOf(empty)),
    ]) {
      const files = parts(buffer);
      expect(files['xl/worksheets/sheet1.xml']).toMatch(/<sheetData><row r="1">.*<\/row><\/sheetData>/);
      const book = await readBook(buffer);
      expect(book.worksheets.map((s) => sheetRows(s, 2))).toEqual([[['id', 'born']]]);
    }
  });

  it('refuses sheet names and row limits Excel cannot take, naming the option', () => {
    const { output } = memoryOutput();
    const schema = schemaOf(table(column('id', 'integer', [])));
    for (const options of [
      { sheetName: '' },
      { sheetName: 'a/b' },
      { sheetName: 'x'.repeat(32) },
      { sheetName: "'quoted'" },
      { maxRowsPerSheet: 0 },
      { maxRowsPerSheet: 1_048_576 },
      { maxRowsPerSheet: 2.5 },
    ]) {
      const error = (() => {
        try {
          createXlsxWriter(output, schema, FILE, options);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toMatch(/^xlsx\.(sheetName|maxRowsPerSheet)$/);
    }
  });
});

describe('xlsx writer: cells Excel cannot hold', () => {
  const SECRET = 'SSN-123-45-6789';
  const cases: { name: string; col: ColumnData; message: RegExp }[] = [
    { name: 'NaN', col: column('amount', 'float', [1, Number.NaN]), message: /non-finite number/ },
    { name: 'Infinity', col: column('amount', 'float', [1, Infinity]), message: /non-finite number/ },
    { name: 'non-ISO date', col: column('born', 'date', ['2020-01-01', SECRET]), message: /not an ISO date/ },
    {
      name: 'non-ISO timestamp',
      col: column('seen', 'timestamp', ['2020-01-01T00:00:00Z', SECRET]),
      message: /not an ISO timestamp/,
    },
    {
      name: 'control character',
      col: column('secret', 'string', ['ok', `${SECRET}\u0001`]),
      message: /control character/,
    },
    {
      name: 'unpaired surrogate',
      col: column('secret', 'string', ['ok', `${SECRET}\uD800`]),
      message: /surrogate/,
    },
    {
      name: 'cell too long',
      col: column('secret', 'string', ['ok', SECRET + 'x'.repeat(EXCEL_MAX_CELL_CHARS)]),
      message: /longer than Excel's 32767 characters/,
    },
    {
      // Exactly at the limit until the guard's apostrophe makes it one too long.
      name: 'too long after neutralization',
      col: column('secret', 'string', ['ok', `=${SECRET}`.padEnd(EXCEL_MAX_CELL_CHARS, 'x')]),
      message: /longer than Excel's/,
    },
  ];

  for (const { name, col, message } of cases) {
    it(`${name}: a DataError naming file, column and row, never the value`, async () => {
      const error = await writeBook([
        table(column('id', 'integer', [1]), { ...col, values: [col.values[0] ?? null] }),
        table(column('id', 'integer', [2]), { ...col, values: [col.values[1] ?? null] }),
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      const { message: text, location } = error as DataError;
      expect(text).toMatch(message);
      expect(location).toEqual({ file: FILE, column: col.name, row: 1 });
      expect(text).toContain(FILE);
      expect(text).toContain(`column ${col.name}`);
      expect(text).toContain('row 1');
      expect(text).not.toContain('SSN');
      expect(text).not.toContain('Infinity');
      expect(text).not.toContain('NaN');
    });
  }

  it('a cell of exactly 32,767 characters is written', async () => {
    const long = 'y'.repeat(EXCEL_MAX_CELL_CHARS);
    const rows = sheetRows(
      (await readBook(await writeBook([table(column('s', 'string', [long]))])))
        .worksheets[0] as ExcelJS.Worksheet,
      1,
    );
    expect(rows[1]?.[0]).toBe(long);
  });

  it('a control character in a column name is a DataError naming the column by position', () => {
    const { output } = memoryOutput();
    const schema = schemaOf(table(column('ok', 'integer', []), column('bad\u0007', 'integer', [])));
    expect(() => createXlsxWriter(output, schema, FILE)).toThrow(DataError);
    expect(() => createXlsxWriter(output, schema, FILE)).toThrow(/column 1/);
  });
});

describe('xlsx writer: backpressure', () => {
  it('waits for a slow output to drain, so little more than one chunk is ever buffered', async () => {
    // Hash hex compresses only about 2:1, so the workbook is megabytes however it is deflated.
    const n = 40_000;
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const hex = Array.from({ length: n }, (_, i) => sha(`a${i}`) + sha(`b${i}`));
    const data = table(
      column(
        'id',
        'integer',
        hex.map((_, i) => i),
      ),
      column('hex', 'string', hex),
    );
    let received = 0;
    const held: (() => void)[] = [];
    // A consumer that takes nothing until the test lets it.
    const output = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        held.push(callback);
      },
    });
    const writer = createXlsxWriter(output, schemaOf(data), FILE);
    let settled = false;
    const writing = (async () => {
      await writer.writePart(data, 0);
      await writer.finish();
    })().finally(() => (settled = true));
    writing.catch(() => {});
    let stops = 0;
    let maxBuffered = 0;
    while (!settled) {
      // Let the writer run until it stops to wait for 'drain' (or has ended the output), then see what
      // the output holds and let the consumer take all of it.
      await vi.waitFor(
        () =>
          expect(
            settled || (held.length > 0 && (output.writableEnded || output.listenerCount('drain') > 0)),
          ).toBe(true),
        { timeout: 30_000, interval: 1 },
      );
      if (!output.writableEnded) stops += 1;
      maxBuffered = Math.max(maxBuffered, output.writableLength);
      while (held.length > 0) held.shift()?.();
    }
    await writing;
    expect(received).toBeGreaterThan(2_000_000);
    expect(stops).toBeGreaterThan(5);
    // The writer stops at 'drain', so the stream holds at most its high-water mark and about two deflated
    // 256k-character chunks (~100 KiB each here); one that ignored 'drain' would have piled up the whole
    // file (megabytes) by the time it ended the output.
    expect(maxBuffered).toBeLessThan(512 * 1024);
  });
});

describe('xlsx writer: property', () => {
  // exceljs reads inline text verbatim, while Excel decodes _xHHHH_ (tested above), so such text is left
  // out here; XML cannot carry the control characters the writer refuses.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const unstorable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
  const storable = (s: string) => !unstorable.test(s) && !/[\uD800-\uDFFF]/u.test(s);
  const text = fc
    .oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 20 }))
    .filter(storable);
  const cell = (kind: 'string' | 'float' | 'integer' | 'boolean'): fc.Arbitrary<CellValue> => {
    const value: fc.Arbitrary<CellValue> =
      kind === 'string'
        ? text
        : kind === 'float'
          ? fc.double({ noNaN: true, noDefaultInfinity: true })
          : kind === 'integer'
            ? fc.integer()
            : fc.boolean();
    return fc.option(value, { nil: null, freq: 4 });
  };
  const kinds = fc.array(
    fc.constantFrom('string', 'float', 'integer', 'boolean') as fc.Arbitrary<
      'string' | 'float' | 'integer' | 'boolean'
    >,
    { minLength: 1, maxLength: 5 },
  );
  const tables = kinds.chain((types) =>
    fc.record({
      types: fc.constant(types),
      rows: fc.array(fc.tuple(...types.map(cell)), { maxLength: 12 }),
      split: fc.nat(12),
      maxRowsPerSheet: fc.integer({ min: 1, max: 6 }),
      neutralizeFormulas: fc.boolean(),
    }),
  );

  it('any table of strings, numbers, booleans and nulls reads back through exceljs', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async ({ types, rows, split, maxRowsPerSheet, neutralizeFormulas }) => {
        const columnsOf = (from: number, to: number) =>
          types.map((type, j) =>
            column(
              `col ${j}`,
              type,
              rows.slice(from, to).map((r) => r[j] ?? null),
            ),
          );
        const cut = Math.min(split, rows.length);
        const first = { rowCount: cut, columns: columnsOf(0, cut) };
        const second = { rowCount: rows.length - cut, columns: columnsOf(cut, rows.length) };
        const buffer = await writeBook([first, second], { maxRowsPerSheet, neutralizeFormulas });
        const book = await readBook(buffer);
        expect(book.worksheets).toHaveLength(Math.max(1, Math.ceil(rows.length / maxRowsPerSheet)));
        const read = book.worksheets.flatMap((sheet, k) => {
          const count = 1 + Math.min(maxRowsPerSheet, rows.length - k * maxRowsPerSheet);
          // A trailing row of nulls has no cells, so exceljs may count one row less.
          expect(sheet.rowCount).toBeLessThanOrEqual(count);
          const all = sheetRows(sheet, types.length, count);
          expect(all[0]).toEqual(types.map((_, j) => `col ${j}`));
          return all.slice(1);
        });
        const want = rows.map((row) =>
          row.map((v) => {
            if (v === '' || v === null) return null; // Excel has no empty-text cell
            if (typeof v === 'string')
              return neutralizeFormulas &&
                /^[=+\-@\t\r]/.test(v) &&
                !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)
                ? `'${v}`
                : v;
            return Object.is(v, -0) ? 0 : v;
          }),
        );
        expect(read).toEqual(want);
      }),
      { numRuns: 80 },
    );
  });
});
