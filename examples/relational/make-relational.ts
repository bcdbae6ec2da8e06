/**
 * Generates the multi-table example in this folder with a fixed seed: customers → orders →
 * order_items, plus products referenced by order_items (a child with two parents). order_items is
 * keyed by the composite (order_id, line_no). Run: `npx tsx examples/relational/make-relational.ts`.
 * Every value is invented.
 *
 * Built-in relations the synthetic data should keep (checked by run-relational.ts):
 * - orders per customer depend on customers.segment (consumer ≈ 2, small_business ≈ 5, enterprise ≈ 12);
 * - orders.amount depends on customers.segment (medians ≈ 60, 400, 3000);
 * - lines per order grow with orders.amount; products are picked with a Zipf-like popularity.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fakerEN_US as faker } from '@faker-js/faker';
import { createRng, type Rng } from '../../core/random/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

const SEED = 20_250_701;
const CUSTOMERS = 2_000;
const PRODUCTS = 300;
const HERE = import.meta.dirname;
const DAY_MS = 86_400_000;

const SEGMENTS = [
  { name: 'consumer', share: 0.6, orders: 2, amountMedian: 60 },
  { name: 'small_business', share: 0.3, orders: 5, amountMedian: 400 },
  { name: 'enterprise', share: 0.1, orders: 12, amountMedian: 3000 },
] as const;
const COUNTRIES = [
  ['US', 0.5],
  ['DE', 0.2],
  ['GB', 0.15],
  ['FR', 0.15],
] as const;
const CATEGORIES = ['books', 'electronics', 'garden', 'toys', 'office'] as const;
const CHANNELS = [
  ['web', 0.6],
  ['store', 0.3],
  ['phone', 0.1],
] as const;

/** The metadata of the example, as written to metadata.json. */
export const SHOP_METADATA = {
  tables: {
    customers: { primaryKey: 'customer_id' },
    products: { primaryKey: 'product_id' },
    orders: {
      primaryKey: 'order_id',
      foreignKeys: [{ columns: 'customer_id', references: { table: 'customers' } }],
    },
    order_items: {
      primaryKey: ['order_id', 'line_no'],
      foreignKeys: [
        { columns: 'order_id', references: { table: 'orders' } },
        { columns: 'product_id', references: { table: 'products', columns: 'product_id' } },
      ],
    },
  },
} as const;

/** Generates the four tables (deterministic for a seed). */
export function generateShop(seed = SEED, customerCount = CUSTOMERS): Record<string, Table> {
  faker.seed(seed);
  const rng = createRng(seed);
  const customers = new TableBuilder({
    customer_id: 'string',
    first_name: 'string',
    email: 'string',
    country: 'string',
    segment: 'string',
    signup_date: 'date',
  });
  const segments: (typeof SEGMENTS)[number][] = [];
  for (let i = 0; i < customerCount; i++) {
    const segment = pickWeighted(rng, SEGMENTS.map((s) => [s, s.share] as const));
    segments.push(segment);
    const first = faker.person.firstName();
    customers.push([
      `CUST-${String(10_000 + i * 7).padStart(6, '0')}`,
      first,
      faker.internet.email({ firstName: first }).toLowerCase(),
      pickWeighted(rng, COUNTRIES),
      segment.name,
      isoDate(Date.UTC(2019, 0, 1) + rng.nextInt(5 * 365) * DAY_MS),
    ]);
  }

  const products = new TableBuilder({ product_id: 'integer', category: 'string', price: 'float' });
  const prices: number[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const category = CATEGORIES[i % CATEGORIES.length] as string;
    const price = round2(Math.exp(Math.log(category === 'electronics' ? 150 : 20) + 0.6 * rng.nextNormal()));
    prices.push(price);
    products.push([500 + i, category, price]);
  }
  // Zipf-like popularity: product i is picked in proportion to 1 / (i + 1).
  const popularity = prices.map((_, i) => [i, 1 / (i + 1)] as const);

  const orders = new TableBuilder({
    order_id: 'integer',
    customer_id: 'string',
    order_date: 'date',
    channel: 'string',
    amount: 'float',
  });
  const items = new TableBuilder({
    order_id: 'integer',
    line_no: 'integer',
    product_id: 'integer',
    quantity: 'integer',
    unit_price: 'float',
  });
  let orderId = 1;
  for (let c = 0; c < customerCount; c++) {
    const segment = segments[c] as (typeof SEGMENTS)[number];
    const count = poisson(rng, segment.orders);
    for (let k = 0; k < count; k++, orderId++) {
      const amount = round2(segment.amountMedian * Math.exp(0.5 * rng.nextNormal()));
      orders.push([
        orderId,
        customers.value(c, 'customer_id'),
        isoDate(Date.UTC(2024, 0, 1) + rng.nextInt(540) * DAY_MS),
        pickWeighted(rng, CHANNELS),
        amount,
      ]);
      const lines = 1 + Math.min(9, poisson(rng, Math.log10(amount)));
      for (let line = 1; line <= lines; line++) {
        const product = pickWeighted(rng, popularity);
        items.push([
          orderId,
          line,
          500 + product,
          1 + poisson(rng, segment.name === 'enterprise' ? 6 : 1),
          prices[product] as number,
        ]);
      }
    }
  }
  return {
    customers: customers.build(),
    products: products.build(),
    orders: orders.build(),
    order_items: items.build(),
  };
}

class TableBuilder {
  private readonly names: string[];
  private readonly columns: CellValue[][];
  constructor(private readonly types: Record<string, PhysicalType>) {
    this.names = Object.keys(types);
    this.columns = this.names.map(() => []);
  }
  push(row: CellValue[]): void {
    row.forEach((v, i) => this.columns[i]?.push(v));
  }
  value(row: number, column: string): CellValue {
    return this.columns[this.names.indexOf(column)]?.[row] ?? null;
  }
  build(): Table {
    return {
      rowCount: this.columns[0]?.length ?? 0,
      columns: this.names.map((name, i) => ({
        name,
        type: this.types[name] as PhysicalType,
        values: this.columns[i] as CellValue[],
      })),
    };
  }
}

function pickWeighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((s, o) => s + o[1], 0);
  let u = rng.nextDouble() * total;
  for (const [value, weight] of options) {
    u -= weight;
    if (u <= 0) return value;
  }
  return (options[options.length - 1] as readonly [T, number])[0];
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.nextDouble();
  while (p > limit) {
    k++;
    p *= rng.nextDouble();
  }
  return k;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A table as CSV text (RFC 4180 quoting, empty field for null). */
export function toCsv(table: Table): string {
  const quote = (v: CellValue): string => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.columns.map((c) => quote(c.name)).join(',')];
  for (let r = 0; r < table.rowCount; r++) lines.push(table.columns.map((c) => quote(c.values[r] ?? null)).join(','));
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const tables = generateShop();
  for (const [name, table] of Object.entries(tables)) {
    await writeFile(path.join(HERE, `${name}.csv`), toCsv(table));
    console.log(`${name}.csv: ${table.rowCount} rows`);
  }
  await writeFile(path.join(HERE, 'metadata.json'), `${JSON.stringify(SHOP_METADATA, null, 2)}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(HERE, 'make-relational.ts')) {
  await main();
}
