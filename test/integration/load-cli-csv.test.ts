/**
 * The CSV readers behind `understudy load` on real files: for any table of cells (quotes, delimiters, line
 * breaks of every kind, tabs, backslashes, unicode, NULL vs empty string) written as CSV with any quoting
 * and line endings, both the byte-batch reader (then parsed) and the streaming tokenizer give back exactly
 * the cells, for any batch size and any read-chunk size (records cut anywhere, even inside a character).
 * Type inference follows its stated rules.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { csvRowsToTable, readCsvRawBatches } from '../../integrations/database/csv-raw.js';
import { openCsvSource } from '../../integrations/database/csv-source.js';
import { inferCsvSchema } from '../../integrations/database/csv-infer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-load-csv-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function file(content: string | Buffer): Promise<string> {
  const p = path.join(dir, `${randomUUID()}.csv`);
  await writeFile(p, content);
  return p;
}

type Cell = string | null;

const cellArb: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\n', '\r', '\t', '\\', '.', 'é', '🎉', '\u2028'),
        {
          maxLength: 8,
        },
      )
      .map((chars) => chars.join('')),
  },
);

const tableArb = fc.integer({ min: 2, max: 5 }).chain((width) =>
  fc.record({
    width: fc.constant(width),
    rows: fc.array(fc.array(cellArb, { minLength: width, maxLength: width }), {
      minLength: 1,
      maxLength: 25,
    }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    mixEol: fc.boolean(),
    quoteAll: fc.boolean(),
    trailingEol: fc.boolean(),
    bom: fc.boolean(),
  }),
);

function encodeCell(cell: Cell, quoteAll: boolean): string {
  if (cell === null) return '';
  const needs = cell === '' || /[",\r\n]/.test(cell);
  return needs || quoteAll ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function toCsv(t: {
  width: number;
  rows: Cell[][];
  eol: string;
  mixEol: boolean;
  quoteAll: boolean;
  trailingEol: boolean;
  bom: boolean;
}): string {
  const header = Array.from({ length: t.width }, (_, i) => `c${i}`).join(',');
  const lines = [header, ...t.rows.map((r) => r.map((c) => encodeCell(c, t.quoteAll)).join(','))];
  const endings = ['\n', '\r\n', '\r'];
  let out = t.bom ? '\uFEFF' : '';
  lines.forEach((line, i) => {
    out += line;
    if (i < lines.length - 1 || t.trailingEol) out += t.mixEol ? (endings[i % 3] as string) : t.eol;
  });
  return out;
}

/** Infers the column types of a CSV file the way a load into a new table does. */
async function infer(p: string, readChunkBytes?: number) {
  const source = await openCsvSource(p);
  source.close();
  return inferCsvSchema(p, source.header, {
    displayName: p,
    delimiter: ',',
    gzip: false,
    ...(readChunkBytes !== undefined ? { readChunkBytes } : {}),
  });
}

const columns = (width: number) =>
  Array.from({ length: width }, (_, i) => ({ name: `c${i}`, type: 'string' as const }));

describe('CSV readers for loads', () => {
  it('give back every cell for any quoting, line endings, batch size and read-chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArb,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 40 }),
        async (t, batchSize, chunk) => {
          const p = await file(toCsv(t));
          const expected = t.rows.map((r) => [...r]);

          const viaBytes: Cell[][] = [];
          for await (const batch of readCsvRawBatches(p, {
            displayName: p,
            delimiter: ',',
            gzip: false,
            columns: columns(t.width),
            batchSize,
            readChunkBytes: chunk,
          })) {
            expect(batch.rows.rowCount).toBeLessThanOrEqual(batchSize);
            const table = csvRowsToTable(batch.rows);
            expect(table.rowCount).toBe(batch.rows.rowCount);
            for (let r = 0; r < table.rowCount; r++)
              viaBytes.push(table.columns.map((c) => c.values[r] as Cell));
          }
          expect(viaBytes).toEqual(expected);

          const source = await openCsvSource(p, { readChunkBytes: chunk });
          expect(source.header).toEqual(columns(t.width).map((c) => c.name));
          const viaText: Cell[][] = [];
          for await (const batch of source.batches(batchSize)) {
            for (let r = 0; r < batch.rowCount; r++) viaText.push(batch.columns.map((c) => c[r] as Cell));
          }
          expect(viaText).toEqual(expected);
          // Type inference reads the same records whatever the buffer size.
          expect(await infer(p, chunk)).toEqual(await infer(p));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('resumes at the same row as batches count rows, blank lines included (a resumed load loads nothing twice)', async () => {
    const p = await file('id,name\n1,a\n\n2,b\n\n\n3,c\n4,d\n\n5,e\n');
    const read = async (startRow: number): Promise<string[]> => {
      const ids: string[] = [];
      for await (const batch of readCsvRawBatches(p, {
        displayName: p,
        delimiter: ',',
        gzip: false,
        columns: columns(2),
        batchSize: 2,
        startRow,
      })) {
        const table = csvRowsToTable(batch.rows);
        for (let r = 0; r < table.rowCount; r++) ids.push(String(table.columns[0]?.values[r]));
      }
      return ids;
    };
    const all = await read(0);
    expect(all).toEqual(['1', '2', '3', '4', '5']);
    for (let k = 1; k <= all.length; k++) expect(await read(k)).toEqual(all.slice(k));
    // The streaming reader resumes at the same rows.
    const source = await openCsvSource(p);
    const ids: string[] = [];
    for await (const batch of source.batches(2, 2)) {
      for (let r = 0; r < batch.rowCount; r++) ids.push(String(batch.columns[0]?.[r]));
    }
    expect(ids).toEqual(all.slice(2));
  });

  it('says a batch can go to PostgreSQL as it is only with one line-ending style and no blank line', async () => {
    const copyable = async (text: string) => {
      const flags: boolean[] = [];
      const p = await file(text);
      for await (const b of readCsvRawBatches(p, {
        displayName: p,
        delimiter: ',',
        gzip: false,
        columns: columns(2),
        batchSize: 10,
      }))
        flags.push(b.rows.copyable);
      return flags;
    };
    expect(await copyable('a,b\n1,2\n3,"x\r\ny"\n')).toEqual([true]);
    expect(await copyable('a,b\r\n1,2\r\n3,4')).toEqual([true]);
    expect(await copyable('a,b\n1,2\r\n3,4\n')).toEqual([false]);
    expect(await copyable('a,b\r1,2\r')).toEqual([false]);
    expect(await copyable('a,b\n1,2\n\n3,4\n')).toEqual([false]);
  });

  it('reports malformed input with file, line and field, never the content', async () => {
    const cases: [string | Buffer, RegExp, { line?: number; column?: number }][] = [
      ['a,b\n1,"open\n2,3\n', /never closed/, { line: 2, column: 2 }],
      ['a,b\n1,x"y\n', /stray quote/, { line: 2, column: 2 }],
      ['a,b\n1,"x"y\n', /after a closing quote/, { line: 2, column: 2 }],
      [Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a]), /not valid UTF-8/, { line: 2 }],
      ['a,b\n1,2\n3,\u0000\n', /NUL/, { line: 3 }],
    ];
    for (const [content, message, where] of cases) {
      const p = await file(content);
      const error = await (async () => {
        for await (const batch of readCsvRawBatches(p, {
          displayName: p,
          delimiter: ',',
          gzip: false,
          columns: columns(2),
          batchSize: 10,
        }))
          void batch;
      })().catch((e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(DataError);
      expect((error as DataError).message).toMatch(message);
      expect((error as DataError).location).toMatchObject({ file: p, ...where });
      // eslint-disable-next-line no-control-regex -- the NUL must not reach the message
      expect((error as DataError).message).not.toMatch(/open|x"y|\u0000/);
    }
    const empty = await file('');
    await expect(openCsvSource(empty)).rejects.toThrow(/empty/);
    const headerOnly = await file('a,b\n');
    await expect(infer(headerOnly)).rejects.toThrow(/no data rows/);
    const duplicate = await file('id,ID\n1,2\n');
    await expect(openCsvSource(duplicate)).rejects.toThrow(/duplicates column 1/);
  });

  it('infers types from every row with strict spellings', async () => {
    const csv = [
      'int,big,float,bool,date,ts,mixed_dt,text,empty,quoted_empty,late_text',
      '1,12345678901234567890,1.5,true,2024-02-29,2024-01-01T10:00:00Z,2024-01-01,a,,"",1',
      '-2,1,2,FALSE,1999-12-31,2024-01-01 10:00:00.123456+02:00,2024-01-01T10:00,b,,x,2',
      '+3,2,1e-3,false,2000-01-01,2024-01-01T10:00,2024-01-02,c,,y,three',
      '',
    ].join('\n');
    const schema = await infer(await file(csv));
    expect(Object.fromEntries(schema.columns.map((c) => [c.name, c.type]))).toEqual({
      int: 'integer',
      big: 'string', // beyond ±2^53: an identifier, not a number
      float: 'float',
      bool: 'boolean',
      date: 'date',
      ts: 'timestamp',
      mixed_dt: 'timestamp',
      text: 'string',
      empty: 'string',
      quoted_empty: 'string',
      late_text: 'string',
    });
    const invalidDate = await infer(await file('d\n2023-02-29\n'));
    expect(invalidDate.columns[0]?.type).toBe('string');
    // Codes with leading zeros (postcodes, account codes) stay text; a lone 0 and 0.5 are numbers.
    const codes = await infer(await file('zip,n,f\n00501,0,0.5\n10001,10,1\n'));
    expect(codes.columns.map((c) => c.type)).toEqual(['string', 'integer', 'float']);
  });
});
