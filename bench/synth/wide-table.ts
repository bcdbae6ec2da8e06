/**
 * The 20-column numeric/categorical table of the throughput and memory targets: 10 numeric columns
 * (integers and floats; normal, log-normal, skewed, bounded, some correlated, two with nulls) and 10
 * categorical ones (2 to 60 categories, several depending on the numbers). Generated, not real: the
 * committed 5,000-row copy bench/datasets/wide20.csv is what the bench fits on.
 * Regenerate: npx tsx bench/synth/wide-table.ts > bench/datasets/wide20.csv
 */
import { pathToFileURL } from 'node:url';
import { createRng } from '../../core/random/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;
const CHANNELS = ['web', 'store', 'phone', 'partner'] as const;
const TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
const PAYMENT = ['card', 'invoice', 'paypal', 'transfer', 'cash', 'voucher'] as const;
const STATUS = ['open', 'closed'] as const;
const PRODUCT_COUNT = 60;
const LANGS = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv'] as const;
const RISK = ['low', 'medium', 'high'] as const;

/** Builds `rows` rows of the 20-column table from a fixed seed. */
export function buildWideTable(rows: number, seed = 20): Table {
  const rng = createRng(seed);
  const spec: [string, PhysicalType][] = [
    ['age', 'integer'],
    ['income', 'float'],
    ['spend', 'float'],
    ['visits', 'integer'],
    ['tenure_months', 'integer'],
    ['basket_size', 'integer'],
    ['discount_rate', 'float'],
    ['satisfaction', 'float'],
    ['returns', 'integer'],
    ['latency_ms', 'float'],
    ['region', 'string'],
    ['channel', 'string'],
    ['tier', 'string'],
    ['device', 'string'],
    ['payment', 'string'],
    ['status', 'string'],
    ['product', 'string'],
    ['store', 'string'],
    ['language', 'string'],
    ['risk', 'string'],
  ];
  const values: CellValue[][] = spec.map(() => new Array<CellValue>(rows));
  const pick = <T>(items: readonly T[], u: number): T =>
    items[Math.min(items.length - 1, Math.floor(u * items.length))] as T;
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  for (let i = 0; i < rows; i++) {
    const z1 = rng.nextNormal();
    const z2 = 0.7 * z1 + 0.71 * rng.nextNormal();
    const z3 = 0.5 * z2 + 0.87 * rng.nextNormal();
    const age = Math.max(18, Math.min(85, Math.round(40 + 12 * z1)));
    const income = round(Math.exp(10.5 + 0.45 * z2), 2);
    const spend = round(income * 0.02 * Math.exp(0.4 * z3), 2);
    const visits = Math.floor(-Math.log(rng.nextDouble()) * (4 + 2 * Math.max(0, z3 + 1)));
    const tenure = Math.floor(rng.nextDouble() * Math.min(120, (age - 17) * 6));
    const basket = 1 + Math.floor(-Math.log(rng.nextDouble()) * 2.5);
    const tier =
      income > 60_000 ? pick(TIERS.slice(2), rng.nextDouble()) : pick(TIERS.slice(0, 3), rng.nextDouble());
    const discount = round(
      Math.min(0.5, Math.max(0, 0.05 + 0.05 * TIERS.indexOf(tier) + 0.03 * rng.nextNormal())),
      3,
    );
    const satisfaction = round(
      Math.max(1, Math.min(5, 3.6 + 0.5 * z3 - 0.8 * discount + 0.5 * rng.nextNormal())),
      1,
    );
    const returns = rng.nextDouble() < 0.7 ? 0 : 1 + Math.floor(-Math.log(rng.nextDouble()) * 1.2);
    const device =
      age < 35
        ? pick(['mobile', 'mobile', 'desktop', 'tablet'], rng.nextDouble())
        : pick(DEVICES, rng.nextDouble());
    const latency =
      rng.nextDouble() < 0.03
        ? null
        : round(Math.exp(4 + 0.5 * rng.nextNormal()) * (device === 'mobile' ? 1.6 : 1), 1);
    const region = pick(REGIONS, rng.nextDouble() ** 1.5);
    const channel =
      visits > 6
        ? pick(['web', 'web', 'store', 'phone'], rng.nextDouble())
        : pick(CHANNELS, rng.nextDouble());
    const payment =
      tier === 'platinum' && rng.nextDouble() < 0.5 ? 'invoice' : pick(PAYMENT, rng.nextDouble() ** 2);
    const status = rng.nextDouble() < 0.15 + 0.1 * Math.min(returns, 3) ? STATUS[1] : STATUS[0];
    const product = `P${String(1 + Math.min(PRODUCT_COUNT - 1, Math.floor(-Math.log(rng.nextDouble()) * 12))).padStart(3, '0')}`;
    const store =
      rng.nextDouble() < 0.02
        ? null
        : `S${String(REGIONS.indexOf(region) * 5 + Math.floor(rng.nextDouble() * 5) + 1).padStart(2, '0')}`;
    const language = pick(LANGS, rng.nextDouble() ** 2.2);
    const riskScore = -0.8 * z2 + 0.6 * (returns > 0 ? 1 : 0) + 0.5 * rng.nextNormal();
    const risk = riskScore < -0.3 ? RISK[0] : riskScore < 0.7 ? RISK[1] : RISK[2];
    const row: CellValue[] = [
      age,
      income,
      spend,
      visits,
      tenure,
      basket,
      discount,
      satisfaction,
      returns,
      latency,
      region,
      channel,
      tier,
      device,
      payment,
      status,
      product,
      store,
      language,
      risk,
    ];
    row.forEach((v, j) => ((values[j] as CellValue[])[i] = v));
  }
  return {
    rowCount: rows,
    columns: spec.map(([name, type], j) => ({ name, type, values: values[j] as CellValue[] })),
  };
}

/** The table as RFC 4180 CSV (no value here needs quoting). */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => c.name).join(',')];
  for (let i = 0; i < table.rowCount; i++) lines.push(table.columns.map((c) => c.values[i] ?? '').join(','));
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.stdout.write(toCsv(buildWideTable(5000)));
