import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import { JsonShapeScanner } from '../../integrations/tabular/json-shape-scanner.js';
import {
  detectFormat,
  readTableFile,
  validateSourceFile,
  type FileFormat,
} from '../../integrations/tabular/index.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/malformed');
/** Cell values planted in the malformed fixtures: no error message may ever contain them. */
const PLANTED = ['Secretvalue', 'Hiddenname', 'Secret', 'value never closed', 'ann@example.com'];

async function failure(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

interface BadCase {
  file: string;
  line?: number;
  column?: number;
  says: RegExp;
}

const BAD: BadCase[] = [
  { file: 'empty.csv', says: /empty/ },
  { file: 'blank.csv', line: 1, says: /header row is blank/ },
  { file: 'header-only.csv', says: /no data rows/ },
  { file: 'ragged.csv', line: 3, column: 3, says: /expected 3 fields, found 2/ },
  { file: 'bad-quote.csv', line: 3, column: 3, says: /after a closing quote/ },
  { file: 'stray-quote.csv', line: 3, column: 3, says: /stray quote/ },
  { file: 'unterminated-quote.csv', line: 3, column: 3, says: /never closed/ },
  { file: 'bad-encoding.csv', line: 3, column: 6, says: /invalid UTF-8/ },
  { file: 'nul-byte.csv', line: 3, column: 9, says: /NUL byte/ },
  { file: 'duplicate-headers.csv', line: 1, column: 4, says: /column 4 \("Name"\) duplicates column 2/ },
  { file: 'empty-header.csv', line: 1, column: 2, says: /header of column 2 is empty/ },
  { file: 'bad.json', line: 3, column: 35, says: /expected a double-quoted object key/ },
  { file: 'not-array.json', line: 1, column: 1, says: /top level must be an array of objects/ },
  { file: 'not-objects.json', line: 3, column: 3, says: /element 2 of the array is not an object/ },
  { file: 'empty-array.json', says: /no data rows/ },
  { file: 'bad.jsonl', line: 2, column: 32, says: /line ends before its JSON object is complete/ },
  { file: 'not-object.jsonl', line: 2, column: 1, says: /line is not a JSON object/ },
  { file: 'duplicate-key.jsonl', line: 1, column: 31, says: /duplicate key "name"/ },
  { file: 'bad-encoding.jsonl', line: 2, column: 23, says: /invalid UTF-8/ },
];

describe('validateSourceFile on malformed files', () => {
  it.each(BAD)('$file → DataError at line $line, column $column', async ({ file, line, column, says }) => {
    const displayName = `file:///data/${file}`;
    const error = await failure(
      validateSourceFile(path.join(fixtures, file), detectFormat(file), { displayName }),
    );
    expect(error.location).toEqual({ file: displayName, ...(line && { line }), ...(column && { column }) });
    expect(error.message).toMatch(says);
    expect(error.message.startsWith(displayName)).toBe(true);
    for (const planted of PLANTED) expect(error.message).not.toContain(planted);
  });

  it.each(BAD)(
    'readTableFile on $file fails with the same DataError (it validates too)',
    async ({ file, line, column }) => {
      const error = await failure(
        readTableFile(path.join(fixtures, file), detectFormat(file), { displayName: file }),
      );
      expect(error.location).toEqual({ file, ...(line && { line }), ...(column && { column }) });
      for (const planted of PLANTED) expect(error.message).not.toContain(planted);
    },
  );

  it('a missing file is a ConfigError naming it', async () => {
    await expect(
      validateSourceFile(path.join(fixtures, 'nope.csv'), 'csv', { displayName: 'nope.csv' }),
    ).rejects.toThrow(ConfigError);
    await expect(
      readTableFile(path.join(fixtures, 'nope.csv'), 'csv', { displayName: 'nope.csv' }),
    ).rejects.toThrow(/nope\.csv/);
  });
});

describe('validateSourceFile on good files', () => {
  it.each([
    ['good-bom.csv', 'csv', ['id', 'name', 'amount', 'joined']],
    ['good-crlf.csv', 'csv', ['id', 'name', 'amount', 'joined']],
    ['good-mixed-newlines.csv', 'csv', ['id', 'name', 'amount', 'joined']],
    ['good-bom.json', 'json', ['id', 'name', 'amount']],
    ['good-bom.jsonl', 'jsonl', ['id', 'name', 'amount']],
  ] as const)('%s has 3 rows', async (file, format, columns) => {
    expect(await validateSourceFile(path.join(fixtures, file), format)).toEqual({ rows: 3, columns });
  });

  it('counts the bundled customers sample in every format', async () => {
    const examples = path.resolve(import.meta.dirname, '../../examples');
    for (const [file, format] of [
      ['customers.csv', 'csv'],
      ['customers.jsonl', 'jsonl'],
      ['customers.parquet', 'parquet'],
    ] as const) {
      const summary = await validateSourceFile(path.join(examples, file), format);
      expect(summary.rows).toBe(5000);
      expect(summary.columns[0]).toBe('customer_id');
      expect(summary.columns).toHaveLength(21);
    }
  });
});

describe('streaming across chunk boundaries', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-validate-'));
  });

  it('finds an invalid byte far into a large CSV, with the right line and byte column', async () => {
    const rows: string[] = ['id,name,city'];
    for (let i = 1; i <= 60_000; i++) rows.push(`${i},Zoë ${i},Zürich`);
    const head = Buffer.from(`${rows.join('\r\n')}\r\n`);
    const bad = Buffer.concat([
      head,
      Buffer.from('60001,Jos'),
      Buffer.from([0xe9]),
      Buffer.from(' Secretvalue,Rome\r\n'),
    ]);
    const file = path.join(dir, 'late-bad.csv');
    await writeFile(file, bad);
    const error = await failure(validateSourceFile(file, 'csv'));
    expect(error.location).toMatchObject({ line: 60_002, column: 10 });
  });

  it('accepts multi-byte characters split across stream chunks (64 KiB reads)', async () => {
    // "é" is two bytes; shifting the text by one byte puts its halves in different 64 KiB chunks.
    const line = 'é'.repeat(100);
    for (const pad of ['', 'x']) {
      const text = `name\n${Array.from({ length: 2000 }, () => pad + line).join('\n')}\n`;
      const file = path.join(dir, `split${pad}.csv`);
      await writeFile(file, text);
      expect(await validateSourceFile(file, 'csv')).toEqual({ rows: 2000, columns: ['name'] });
    }
  });

  it('reads gzip-compressed CSV and JSONL, and reports corrupt gzip data', async () => {
    const csv = await readFile(path.join(fixtures, 'good-crlf.csv'));
    await writeFile(path.join(dir, 'good.csv.gz'), gzipSync(csv));
    const jsonl = await readFile(path.join(fixtures, 'good-bom.jsonl'));
    await writeFile(path.join(dir, 'good.jsonl.gz'), gzipSync(jsonl));
    for (const [file, format] of [
      ['good.csv.gz', 'csv'],
      ['good.jsonl.gz', 'jsonl'],
    ] as const) {
      expect(detectFormat(file)).toBe(format);
      expect((await validateSourceFile(path.join(dir, file), format)).rows).toBe(3);
      const table = await readTableFile(path.join(dir, file), format);
      expect(table.rowCount).toBe(3);
      expect(table.columns.find((c) => c.name === 'amount')?.values).toEqual([10.5, null, 7]);
    }
    await writeFile(path.join(dir, 'corrupt.csv.gz'), gzipSync(csv).subarray(0, 20));
    const error = await failure(validateSourceFile(path.join(dir, 'corrupt.csv.gz'), 'csv'));
    expect(error.message).toMatch(/gzip/);
  });

  it('reads TSV with a tab delimiter', async () => {
    const file = path.join(dir, 'people.tsv');
    await writeFile(file, 'id\tname\n1\tAnn, Smith\n2\tBob\n');
    expect(await validateSourceFile(file, detectFormat(file))).toEqual({ rows: 2, columns: ['id', 'name'] });
    const table = await readTableFile(file, 'csv');
    expect(table.columns[1]?.values).toEqual(['Ann, Smith', 'Bob']);
  });
});

describe('detectFormat', () => {
  it.each([
    ['a.csv', 'csv'],
    ['A.TSV', 'csv'],
    ['a.csv.gz', 'csv'],
    ['a.json', 'json'],
    ['a.json.gz', 'json'],
    ['a.jsonl', 'jsonl'],
    ['a.ndjson.gz', 'jsonl'],
    ['a.parquet', 'parquet'],
    ['file:///x/y.jsonl?version=2', 'jsonl'],
  ] as const)('%s → %s', (file, format) => {
    expect(detectFormat(file)).toBe(format);
  });

  it('prefers the declared format and rejects unknown extensions and formats', () => {
    expect(detectFormat('export.txt', 'csv')).toBe('csv');
    expect(() => detectFormat('export.txt')).toThrow(ConfigError);
    expect(() => detectFormat('a.parquet.gz')).toThrow(ConfigError);
    expect(() => detectFormat('a.csv', 'xlsx' as FileFormat)).toThrow(ConfigError);
  });
});

describe('JsonShapeScanner (property)', () => {
  /** What the scanner must decide: does JSON.parse accept the text, and is it an array of objects with keys? */
  function oracle(text: string, mode: 'array' | 'lines'): { ok: boolean; rows?: number } {
    const body = text.replace(/^\uFEFF/, '');
    try {
      const values =
        mode === 'array'
          ? (JSON.parse(body) as unknown)
          : body
              .split(/\r\n|\r|\n/)
              .filter((l) => l.trim() !== '')
              .map((l) => JSON.parse(l) as unknown);
      if (!Array.isArray(values) || values.length === 0) return { ok: false };
      const isRow = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
      if (!values.every(isRow)) return { ok: false };
      if (values.every((v) => Object.keys(v as object).length === 0)) return { ok: false };
      return { ok: true, rows: values.length };
    } catch {
      return { ok: false };
    }
  }

  /**
   * The scanner must match the oracle, except that it also rejects duplicate keys, which JSON.parse
   * silently merges (and it may report a duplicate before a later syntax error).
   */
  function expectAgreement(text: string, mode: 'array' | 'lines', cuts: number[]): void {
    const actual = scan(text, mode, cuts);
    if (actual.duplicate !== undefined) {
      expect(text.split(JSON.stringify(actual.duplicate)).length).toBeGreaterThan(2);
      return;
    }
    expect(actual).toEqual(oracle(text, mode));
  }

  function scan(
    text: string,
    mode: 'array' | 'lines',
    cuts: number[],
  ): { ok: boolean; rows?: number; duplicate?: string } {
    const scanner = new JsonShapeScanner('t.json', mode);
    try {
      let at = 0;
      for (const cut of [...cuts.map((c) => c % (text.length + 1)).sort((a, b) => a - b), text.length]) {
        scanner.feed(text.slice(at, Math.max(at, cut)));
        at = Math.max(at, cut);
      }
      scanner.end();
      return { ok: true, rows: scanner.rows };
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      const duplicate = /duplicate key (".*") in one object/.exec(error.message)?.[1];
      return duplicate === undefined
        ? { ok: false }
        : { ok: false, duplicate: JSON.parse(duplicate) as string };
    }
  }

  const row = fc.dictionary(
    fc.string({ maxLength: 6 }),
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { minKeys: 1, maxKeys: 4 },
  );
  const mutate = (text: string, at: number, kind: number, ch: string): string => {
    const i = at % (text.length + 1);
    if (kind === 0) return text;
    if (kind === 1) return text.slice(0, i) + text.slice(i + 1);
    if (kind === 2) return text.slice(0, i) + ch + text.slice(i);
    // Insert next to a structural character, where the interesting mistakes (trailing commas …) live.
    const structural = [...text.matchAll(/[{}[\],:"]/g)].map((m) => m.index);
    if (structural.length === 0) return text;
    const j = structural[at % structural.length] as number;
    return text.slice(0, j) + ch + text.slice(j);
  };
  const chars = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    ' ',
    '\n',
    'x',
    '1',
    '-',
    '.',
    'e',
    't',
    'n',
    '\u0001',
  );

  it.each([
    '[{"a":1},]',
    '[{"a":1,}]',
    '[{"a":01}]',
    '[{"a":-}]',
    '[{"a":1.}]',
    '[{"a":1e}]',
    '[{"a":1e+5,"b":-0.5E-3}]',
    '[{"a":"\\u00e9\\n"}]',
    '[{"a":"\\x"}]',
    '[{"a":"\\u12"}]',
    '[{"a":tru}]',
    '[{"a":nul}]',
    '[{"a":[1,[2,{"b":null}]]}]',
    '[{"a":1}] x',
    '[{"a":1}]  \n ',
    '[{"a":1}{"b":2}]',
    '[{"a" 1}]',
    '[{a:1}]',
    '[{"a":1}',
    '\uFEFF[{"é😀":"😀"}]',
    '[{}]',
    '[{}, {"a": 1}]',
    '[[{"a":1}]]',
    '{"a":1}',
    '[{"a":"line\nbreak"}]',
    '[{"a":1,"a":2}]',
  ])('agrees with JSON.parse on %j', (text) => {
    for (const cuts of [[], [1], [3, 7], [text.length - 1]]) expectAgreement(text, 'array', cuts);
  });

  it('agrees with JSON.parse on valid and corrupted arrays, however the text is split', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 0, maxLength: 4 }),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        chars,
        fc.array(fc.nat(), { maxLength: 3 }),
        (rows, pretty, at, kind, ch, cuts) => {
          const text = mutate(JSON.stringify(rows, null, pretty ? 2 : undefined), at, kind, ch);
          expectAgreement(text, 'array', cuts);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('agrees with line-by-line JSON.parse on valid and corrupted JSON Lines', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 0, maxLength: 4 }),
        fc.constantFrom('\n', '\r\n'),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        chars,
        fc.array(fc.nat(), { maxLength: 3 }),
        (rows, newline, at, kind, ch, cuts) => {
          const text = mutate(rows.map((r) => JSON.stringify(r)).join(newline) + newline, at, kind, ch);
          expectAgreement(text, 'lines', cuts);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
