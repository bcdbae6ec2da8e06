import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type WriteXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { createTableGenerator } from '../../core/schema-gen/index.js';
import { readChoiceFile, readSchemaConfig } from '../../integrations/choice-files/index.js';

// Required rather than imported: eslint-plugin-import-x cannot resolve the package's exports map and aborts linting.
const writeXlsxFile = (
  createRequire(import.meta.url)('write-excel-file/node') as { default: typeof WriteXlsxFile }
).default;
const root = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-choice-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

/** Runs the CLI as `npx tsx cli/main.ts` would, minus npx's own start-up. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('choice files', () => {
  it('reads values and weights from CSV, detecting the delimiter and keeping quoted fields', async () => {
    const file = path.join(dir, 'cities.csv');
    await writeFile(
      file,
      '\uFEFFcity;country;weight\n"Berlin";DE;5\n"Frankfurt; Main";DE;2.5\n\nParis;FR;0\n',
    );
    expect(await readChoiceFile(file, { column: 'city', weightColumn: 'weight' })).toEqual({
      values: ['Berlin', 'Frankfurt; Main', 'Paris'],
      weights: [5, 2.5, 0],
    });
    expect(await readChoiceFile(file)).toEqual({
      values: ['Berlin', 'Frankfurt; Main', 'Paris'],
      weights: null,
    });
  });

  it('reads values and weights from an Excel sheet by name', async () => {
    const file = path.join(dir, 'tiers.xlsx');
    await writeXlsxFile([
      { sheet: 'Notes', data: [[{ value: 'ignore me' }]] },
      {
        sheet: 'Tiers',
        data: [
          [{ value: 'tier' }, { value: 'share' }],
          [{ value: 'gold' }, { value: 1 }],
          [{ value: 'silver' }, { value: 3 }],
          [{ value: 'bronze' }, { value: 6 }],
        ],
      },
    ]).toFile(file);
    expect(await readChoiceFile(file, { sheet: 'Tiers', column: 'tier', weightColumn: 'share' })).toEqual({
      values: ['gold', 'silver', 'bronze'],
      weights: [1, 3, 6],
    });
    expect((await errorOf(readChoiceFile(file, { sheet: 'Nope' }))).message).toBe(
      `${file}: has no sheet by that name`,
    );
  });

  it('names file, line or row, and column in errors, never the values', async () => {
    const csv = path.join(dir, 'bad.csv');
    await writeFile(csv, 'name,weight\nAlice Secret,1\nBob Hidden,lots\n');
    const bad = await errorOf(readChoiceFile(csv, { weightColumn: 'weight', displayName: 'bad.csv' }));
    expect(bad.message).toBe('bad.csv, line 3, column weight: weight is not a non-negative number');
    expect(bad.location).toEqual({ file: 'bad.csv', line: 3, column: 'weight' });
    expect(bad.message).not.toMatch(/Bob|Hidden|lots/);

    await writeFile(csv, 'name,weight\n"Alice Secret,1\n');
    const malformed = await errorOf(readChoiceFile(csv, { displayName: 'bad.csv' }));
    expect(malformed.message).toMatch(/^bad\.csv(, line \d+)?: malformed CSV \(CSV_[A-Z_]+\)$/);
    expect(malformed.message).not.toContain('Alice');

    await writeFile(csv, 'name,weight\n,1\n');
    expect((await errorOf(readChoiceFile(csv, { displayName: 'bad.csv' }))).message).toBe(
      'bad.csv, line 2, column name: value is empty',
    );
    expect((await errorOf(readChoiceFile(csv, { column: 'nom', displayName: 'bad.csv' }))).message).toBe(
      'bad.csv, line 1: has no column "nom" in its header',
    );

    const xlsx = path.join(dir, 'bad.xlsx');
    await writeXlsxFile([
      [{ value: 'v' }, { value: 'w' }],
      [{ value: 'Secret Person' }, { value: -2 }],
    ]).toFile(xlsx);
    const excel = await errorOf(readChoiceFile(xlsx, { weightColumn: 'w', displayName: 'bad.xlsx' }));
    expect(excel.message).toBe('bad.xlsx, row 2, column w: weight is not a non-negative number');

    await writeFile(path.join(dir, 'not.xlsx'), 'plain text');
    expect(
      (await errorOf(readChoiceFile(path.join(dir, 'not.xlsx'), { displayName: 'not.xlsx' }))).message,
    ).toBe('not.xlsx: is not a readable .xlsx workbook');
    expect(
      (await errorOf(readChoiceFile(path.join(dir, 'missing.csv'), { displayName: 'missing.csv' }))).message,
    ).toBe('missing.csv: choice file not found');
    expect((await errorOf(readChoiceFile(path.join(dir, 'x.json'), { displayName: 'x.json' }))).message).toBe(
      'x.json: choice file not found',
    );
  });

  it('a config with an Excel choice file generates values at the file weights', async () => {
    await writeXlsxFile([
      [{ value: 'plan' }, { value: 'weight' }, { value: 'price' }],
      [{ value: 'free' }, { value: 70 }, { value: 0 }],
      [{ value: 'pro' }, { value: 25 }, { value: 10 }],
      [{ value: 'team' }, { value: 5 }, { value: 30 }],
    ]).toFile(path.join(dir, 'plans.xlsx'));
    await writeFile(path.join(dir, 'prices.csv'), 'price\n0\n10\n30\n');
    const config = path.join(dir, 'accounts.yaml');
    await writeFile(
      config,
      `tables:
  - table_name: accounts
    rows: 20000
    columns:
      - {name: id, constraints: [PK], rule: {type: sequence, format: "ACC-{00000}"}}
      - {name: plan, rule: {type: choice_file, file: plans.xlsx, column: plan, weight_column: weight}}
      - {name: price, type: int, rule: {type: choice_file, file: prices.csv}}
`,
    );
    const reading = await readSchemaConfig(config);
    expect(reading.problems).toEqual([]);
    expect(reading.choiceFiles).toEqual(['plans.xlsx', 'prices.csv']);
    const plan = reading.plan;
    if (!plan) throw new Error('expected a plan');
    const table = createTableGenerator(plan, 'accounts', { seed: 9 }).generateChunk(0, 20000);
    const plans = table.columns.find((c) => c.name === 'plan')?.values ?? [];
    for (const [value, p] of [
      ['free', 0.7],
      ['pro', 0.25],
      ['team', 0.05],
    ] as const) {
      const share = plans.filter((v) => v === value).length / 20000;
      expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000));
    }
    const prices = table.columns.find((c) => c.name === 'price');
    expect(prices?.type).toBe('integer');
    expect(new Set(prices?.values)).toEqual(new Set([0, 10, 30]));
  });

  it('choice file problems appear in validation at the rule path with the config line', async () => {
    await writeFile(path.join(dir, 'weights.csv'), 'v,w\na,1\nb,x\n');
    const config = path.join(dir, 'broken.yaml');
    await writeFile(
      config,
      `rows: 5
tables:
  - table_name: t
    columns:
      - name: a
        rule: {type: choice_file, file: weights.csv, weight_column: w}
      - name: b
        rule: {type: choice_file, file: nowhere.csv}
`,
    );
    const reading = await readSchemaConfig(config);
    expect(reading.plan).toBeNull();
    expect(reading.problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        'tables.t.columns.a.rule.file',
        6,
        'weights.csv, line 3, column w: weight is not a non-negative number',
      ],
      ['tables.t.columns.b.rule.file', 8, 'nowhere.csv: choice file not found'],
    ]);
  });
});

// Each CLI run starts a fresh Node process (tsx, Faker's locales, DuckDB): allow for a loaded machine.
describe('understudy validate / generate --config', { timeout: 360_000 }, () => {
  it('validate prints every problem with its path and line, exit code 1', async () => {
    const config = path.join(dir, 'bad-cli.yaml');
    await writeFile(
      config,
      `rows: 10
tables:
  - table_name: orders
    columns:
      - {name: id, constraints: [PK], rule: {type: range, min: 1, max: 3}}
      - name: amount
        rule: {type: range, min: 10, max: 1}
      - {name: customer_id, constraints: [FK]}
    foreign_keys: [{parent_table: customers, parent_column: id, child_column: customer_id}]
`,
    );
    const { code, out } = cli('validate', '--config', config);
    expect(code).toBe(1);
    expect(out).toContain(
      `${config}:5: tables.orders.columns.id.rule: can give only 3 distinct values, but the column is unique and the table has 10 rows`,
    );
    expect(out).toContain(`${config}:7: tables.orders.columns.amount.rule.min: must not be greater than max`);
    expect(out).toContain(
      `${config}:9: tables.orders.foreign_keys[0].parent_table: names no table of this config (customers)`,
    );
    expect(out).toContain('3 problems found');
  });

  it('validate accepts the shipped examples with exit code 0 and a summary', () => {
    for (const example of ['examples/schema/shop.yaml', 'examples/schema/products-from-csv.yaml']) {
      const { code, out } = cli('validate', '--config', example);
      expect(code, out).toBe(0);
      expect(out).toContain(`${example}: valid`);
    }
  });

  it('generate writes one file per table with intact foreign keys, the same bytes for any chunk size', async () => {
    const a = path.join(dir, 'out-a');
    const b = path.join(dir, 'out-b');
    const first = cli(
      'generate',
      '--config',
      'examples/schema/shop.yaml',
      '--output',
      a,
      '--rows-scale',
      '0.5',
      '--seed',
      '11',
    );
    expect(first.code, first.out).toBe(0);
    const second = cli(
      'generate',
      '--config',
      'examples/schema/shop.yaml',
      '--output',
      b,
      '--rows-scale',
      '0.5',
      '--seed',
      '11',
      '--chunk-size',
      '333',
    );
    expect(second.code, second.out).toBe(0);
    for (const name of ['customers.csv', 'orders.csv']) {
      expect(await readFile(path.join(b, name))).toEqual(await readFile(path.join(a, name)));
    }
    const customers = parse(await readFile(path.join(a, 'customers.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    const orders = parse(await readFile(path.join(a, 'orders.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(customers).toHaveLength(500);
    expect(orders).toHaveLength(2500);
    const ids = new Set(customers.map((c) => c.customer_id));
    expect(ids.size).toBe(500);
    expect(orders.every((o) => ids.has(o.customer_id))).toBe(true);
    expect(new Set(orders.map((o) => o.order_id)).size).toBe(2500);
  });

  it('generate --config refuses a broken config without writing, and sample mode still needs --input and --rows', async () => {
    const out = path.join(dir, 'never');
    const broken = cli('generate', '--config', path.join(dir, 'bad-cli.yaml'), '--output', out);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('3 problems found');
    const usage = cli('generate', '--output', out);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain(
      'generate needs --input FILE --rows N (from a sample) or --config FILE (from a schema config)',
    );
  });
});
