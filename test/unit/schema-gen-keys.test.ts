import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import {
  buildSchemaPlan,
  createTableGenerator,
  generateSchemaChunk,
  parseSchemaConfigText,
  referencedKeyColumns,
  SCHEMA_BLOCK_SIZE,
  type ParentKeys,
  type SchemaPlan,
} from '../../core/schema-gen/index.js';
import { concatTables, type CellValue, type Table } from '../../core/table.js';

function planOf(yaml: string): SchemaPlan {
  const parsed = parseSchemaConfigText(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return buildSchemaPlan(parsed.value);
}

/** Every table of the plan, generated in order with `chunkSize`-row chunks, parents' keys passed on. */
function generateAll(plan: SchemaPlan, seed: number, chunkSize = 100_000): Map<string, Table> {
  const out = new Map<string, Table>();
  const parentKeys: Record<string, Record<string, CellValue[]>> = {};
  for (const t of plan.tables) {
    const gen = createTableGenerator(plan, t.name, { seed, parentKeys: parentKeys as ParentKeys });
    const chunks: Table[] = [];
    for (let start = 0; start < t.rows; start += chunkSize) chunks.push(gen.generateChunk(start, chunkSize));
    const table = concatTables(chunks);
    out.set(t.name, table);
    parentKeys[t.name] = Object.fromEntries(
      referencedKeyColumns(plan, t.name).map((c) => [c, col(table, c)]),
    );
  }
  return out;
}

function col(table: Table | undefined, name: string): CellValue[] {
  const c = table?.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
}

const SHOP = `
seed: 5
tables:
  - table_name: orders
    rows: 3000
    columns:
      - {name: order_no, constraints: [PK], rule: {type: regex, pattern: "O[0-9]{5}"}}
      - {name: customer_id, constraints: [FK]}
      - {name: region, constraints: [FK]}
      - {name: country, constraints: [FK]}
      - name: total
        type: float
        rule: {type: range, min: 1, max: 100, decimals: 2}
        conditional_rules: [{when: {column: region, op: eq, value: EU}, rule: {type: range, min: 500, max: 900, decimals: 2}}]
      - {name: voucher, constraints: [unique], null_rate: 0.5, rule: {faker: string.alphanumeric, args: [8]}}
    foreign_keys:
      - {parent_table: customers, parent_column: id, child_column: customer_id}
      - {parent_table: countries, parent_columns: [region, code], child_columns: [region, country]}
  - table_name: customers
    rows: 700
    columns:
      - {name: id, type: int, constraints: [PK], rule: {type: range, min: 1000, max: 1699}}
      - {name: email, constraints: [unique], rule: {type: regex, pattern: "[a-z]{3}@x\\\\.io"}}
      - {name: code, constraints: [unique], rule: uuid}
  - table_name: countries
    rows: 6
    columns:
      - {name: region, constraints: [PK], rule: {type: choice, values: [EU, US]}}
      - {name: code, constraints: [PK], rule: {type: choice, values: [A, B, C]}}
  - table_name: profiles
    rows: 500
    columns:
      - {name: customer_id, constraints: [PK]}
      - {name: since, constraints: [unique], rule: {type: date_range, start: 2020-01-01, end: 2021-12-31}}
    foreign_keys:
      - {parent_table: customers, parent_column: id, child_column: customer_id}
`;

describe('schema generation: keys, foreign keys, determinism', () => {
  const plan = planOf(SHOP);
  const tables = generateAll(plan, 5);

  it('generates parents before children and exactly the configured row counts', () => {
    expect(plan.tables.map((t) => t.name)).toEqual(['customers', 'countries', 'orders', 'profiles']);
    expect([...tables].map(([name, t]) => [name, t.rowCount])).toEqual([
      ['customers', 700],
      ['countries', 6],
      ['orders', 3000],
      ['profiles', 500],
    ]);
  });

  it('primary keys and unique columns hold exactly, whatever the strategy (permutation, retry, construction)', () => {
    const distinct = (values: CellValue[]) =>
      new Set(values.filter((v) => v !== null)).size === values.filter((v) => v !== null).length;
    const customers = tables.get('customers');
    expect(new Set(col(customers, 'id'))).toEqual(new Set(Array.from({ length: 700 }, (_, i) => 1000 + i)));
    expect(distinct(col(customers, 'email'))).toBe(true);
    expect(distinct(col(customers, 'code'))).toBe(true);
    expect(distinct(col(tables.get('orders'), 'order_no'))).toBe(true);
    expect(distinct(col(tables.get('orders'), 'voucher'))).toBe(true);
    expect(distinct(col(tables.get('profiles'), 'since'))).toBe(true);
    const countries = tables.get('countries');
    const pairs = col(countries, 'region').map((r, i) => `${r}/${col(countries, 'code')[i]}`);
    expect(new Set(pairs).size).toBe(6);
  });

  it('foreign keys: 100% of child values exist in the parent, composite keys as a pair', () => {
    const ids = new Set(col(tables.get('customers'), 'id'));
    expect(col(tables.get('orders'), 'customer_id').every((v) => ids.has(v))).toBe(true);
    const countries = tables.get('countries');
    const pairs = new Set(col(countries, 'region').map((r, i) => `${r}/${col(countries, 'code')[i]}`));
    const orders = tables.get('orders');
    expect(col(orders, 'region').every((r, i) => pairs.has(`${r}/${col(orders, 'country')[i]}`))).toBe(true);
    // Children spread over the parents rather than piling onto a few.
    expect(new Set(col(orders, 'customer_id')).size).toBeGreaterThan(600);
  });

  it('one-to-one foreign keys use each parent row at most once', () => {
    const ids = new Set(col(tables.get('customers'), 'id'));
    const profiles = col(tables.get('profiles'), 'customer_id');
    expect(new Set(profiles).size).toBe(500);
    expect(profiles.every((v) => ids.has(v))).toBe(true);
  });

  it('conditional rules can test foreign-key columns', () => {
    const orders = tables.get('orders');
    col(orders, 'region').forEach((r, i) => {
      const total = col(orders, 'total')[i] as number;
      expect(r === 'EU' ? total >= 500 : total <= 100).toBe(true);
    });
  });

  it('is deterministic from the seed and independent of chunk sizes (property)', () => {
    const reference = tables;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2500 }), (chunkSize) => {
        const again = generateAll(plan, 5, chunkSize);
        for (const [name, table] of reference) expect(again.get(name)).toEqual(table);
      }),
      { numRuns: 8 },
    );
    const other = generateAll(plan, 6);
    expect(col(other.get('orders'), 'order_no')).not.toEqual(col(tables.get('orders'), 'order_no'));
  });

  it('serves chunks in any order, including going back, with the same rows', () => {
    const parentKeys = {
      customers: { id: col(tables.get('customers'), 'id') },
      countries: {
        region: col(tables.get('countries'), 'region'),
        code: col(tables.get('countries'), 'code'),
      },
    };
    const gen = createTableGenerator(plan, 'orders', { seed: 5, parentKeys });
    const late = gen.generateChunk(2 * SCHEMA_BLOCK_SIZE + 17, 300);
    const early = gen.generateChunk(5, 40);
    const full = tables.get('orders') as Table;
    const slice = (start: number, n: number) => ({
      rowCount: n,
      columns: full.columns.map((c) => ({ ...c, values: c.values.slice(start, start + n) })),
    });
    expect(late).toEqual(slice(2 * SCHEMA_BLOCK_SIZE + 17, 300));
    expect(early).toEqual(slice(5, 40));
    expect(
      generateSchemaChunk(plan, 'orders', { seed: 5, parentKeys, startRow: 2990, rowCount: 50 }),
    ).toEqual(slice(2990, 10));
  });

  it('streams are keyed by column name: adding a column leaves the others unchanged', () => {
    const base = planOf(
      'tables: [{table_name: t, rows: 50, columns: [{name: a, rule: {type: range, min: 1, max: 1000}}, {name: b, rule: first_name}]}]',
    );
    const more = planOf(
      'tables: [{table_name: t, rows: 50, columns: [{name: z, rule: uuid}, {name: a, rule: {type: range, min: 1, max: 1000}}, {name: b, rule: first_name}]}]',
    );
    const x = generateSchemaChunk(base, 't', { seed: 1, startRow: 0, rowCount: 50 });
    const y = generateSchemaChunk(more, 't', { seed: 1, startRow: 0, rowCount: 50 });
    expect(col(y, 'a')).toEqual(col(x, 'a'));
    expect(col(y, 'b')).toEqual(col(x, 'b'));
  });

  it('link tables: a composite primary key of two foreign keys gives distinct pairs', () => {
    const linkPlan = planOf(`
tables:
  - {table_name: a, rows: 20, columns: [{name: id, constraints: [PK], rule: {type: sequence}}]}
  - {table_name: b, rows: 10, columns: [{name: id, constraints: [PK], rule: {type: sequence}}]}
  - table_name: ab
    rows: 150
    primary_key: [a_id, b_id]
    columns: [{name: a_id}, {name: b_id}]
    foreign_keys:
      - {parent_table: a, parent_column: id, child_column: a_id}
      - {parent_table: b, parent_column: id, child_column: b_id}
`);
    const out = generateAll(linkPlan, 3);
    const ab = out.get('ab');
    const pairs = col(ab, 'a_id').map((a, i) => `${a}/${col(ab, 'b_id')[i]}`);
    expect(new Set(pairs).size).toBe(150);
  });

  it('unique values a rule cannot supply end in a clear ConfigError naming the column', () => {
    const tight = planOf(
      'tables: [{table_name: t, rows: 30, columns: [{name: flag, constraints: [unique], rule: {faker: string.numeric, args: [1]}}]}]',
    );
    let error: unknown;
    try {
      generateSchemaChunk(tight, 't', { seed: 1, startRow: 0, rowCount: 30 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('tables.t.columns.flag');
    expect((error as ConfigError).message).toMatch(
      /could not find an unused value after 1000 attempts at row 1\d: the rule gives too few distinct values for 30 unique rows/,
    );
  });

  it('refuses to generate a child without its parent keys', () => {
    expect(() => createTableGenerator(plan, 'orders', { seed: 5 })).toThrow(
      /keys of parent table customers \(column id\) were not passed in/,
    );
  });
});
