/**
 * Generates the bundled sample `examples/customers.csv` (5,000 fictional customers) with a fixed seed, then
 * converts it to `customers.parquet` and `customers.jsonl` (same rows) with the tabular integration.
 * Run: `npx tsx examples/make-customers.ts`. Every value is invented; none belongs to a real person.
 *
 * The table is shaped like a real CRM export: correlated columns (age → income → credit score, income and
 * tenure → lifetime value, city ↔ state ↔ ZIP), a skewed segment mix, optional free-text notes that mention
 * personal data, and the untidiness such exports carry while staying valid CSV: about 1% empty cells in a
 * few columns, some e-mails without '@', some phone numbers in odd formats, a couple of missing ages.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fakerEN_US as faker } from '@faker-js/faker';
import { readTableFile, writeTableFile } from '../integrations/tabular/index.js';

const SEED = 20_240_611;
const ROWS = 5_000;
/** The day the "export" was taken: ages and tenures are computed as of this date. */
const AS_OF = new Date(Date.UTC(2025, 5, 30));
const DAY_MS = 86_400_000;
const HERE = import.meta.dirname;

/** Real US cities with their state and a 3-digit ZIP prefix, weighted roughly by population. */
const CITIES: readonly (readonly [city: string, state: string, zip3: string, weight: number])[] = [
  ['New York', 'NY', '100', 30],
  ['Brooklyn', 'NY', '112', 10],
  ['Buffalo', 'NY', '142', 3],
  ['Los Angeles', 'CA', '900', 20],
  ['San Diego', 'CA', '921', 8],
  ['San Jose', 'CA', '951', 6],
  ['San Francisco', 'CA', '941', 6],
  ['Sacramento', 'CA', '958', 4],
  ['Chicago', 'IL', '606', 14],
  ['Springfield', 'IL', '627', 2],
  ['Houston', 'TX', '770', 12],
  ['Dallas', 'TX', '752', 8],
  ['Austin', 'TX', '787', 6],
  ['San Antonio', 'TX', '782', 8],
  ['Phoenix', 'AZ', '850', 9],
  ['Tucson', 'AZ', '857', 3],
  ['Philadelphia', 'PA', '191', 8],
  ['Pittsburgh', 'PA', '152', 3],
  ['Jacksonville', 'FL', '322', 5],
  ['Miami', 'FL', '331', 5],
  ['Tampa', 'FL', '336', 4],
  ['Orlando', 'FL', '328', 3],
  ['Columbus', 'OH', '432', 5],
  ['Cleveland', 'OH', '441', 3],
  ['Indianapolis', 'IN', '462', 5],
  ['Charlotte', 'NC', '282', 5],
  ['Raleigh', 'NC', '276', 3],
  ['Seattle', 'WA', '981', 5],
  ['Spokane', 'WA', '992', 2],
  ['Denver', 'CO', '802', 5],
  ['Boston', 'MA', '021', 5],
  ['Worcester', 'MA', '016', 2],
  ['Nashville', 'TN', '372', 4],
  ['Memphis', 'TN', '381', 3],
  ['Detroit', 'MI', '482', 4],
  ['Portland', 'OR', '972', 4],
  ['Las Vegas', 'NV', '891', 4],
  ['Baltimore', 'MD', '212', 3],
  ['Milwaukee', 'WI', '532', 3],
  ['Albuquerque', 'NM', '871', 3],
  ['Atlanta', 'GA', '303', 4],
  ['Minneapolis', 'MN', '554', 3],
  ['New Orleans', 'LA', '701', 2],
  ['Newark', 'NJ', '071', 2],
  ['Hartford', 'CT', '061', 1],
  ['Burlington', 'VT', '054', 1],
];

const SEGMENTS = [
  ['consumer', 0.78, 0],
  ['small_business', 0.17, 0.35],
  ['enterprise', 0.05, 0.8],
] as const;

const NOTES: readonly ((c: Customer) => string)[] = [
  () => 'Prefers email contact',
  () => 'Requested paper statements',
  () => 'Do not call before 10am',
  () => 'VIP - route to senior agent',
  (c) => `Moved from ${c.city} last year`,
  (c) => `Call back at ${c.phone ?? 'the number on file'}`,
  (c) => `Card ending ${c.credit_card.slice(-4)} reported lost`,
  () => 'Said "great service", wants an upgrade',
  () => 'Disputed a fee, resolved; no further action',
  (c) => `Spouse is also a customer (${faker.person.firstName()} ${c.last_name})`,
  () => 'Asked about business accounts',
  () => 'Complaint about app login, escalated',
];

interface Customer {
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  ssn: string;
  credit_card: string;
  ip_address: string;
  street_address: string | null;
  city: string;
  state: string;
  postal_code: string | null;
  date_of_birth: string;
  signup_date: string;
  age: number | null;
  segment: string;
  annual_income: number;
  credit_score: number | null;
  is_active: boolean;
  lifetime_value: number;
  notes: string | null;
}

const COLUMNS: readonly (keyof Customer)[] = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'ssn',
  'credit_card',
  'ip_address',
  'street_address',
  'city',
  'state',
  'postal_code',
  'date_of_birth',
  'signup_date',
  'age',
  'segment',
  'annual_income',
  'credit_score',
  'is_active',
  'lifetime_value',
  'notes',
];

function uniform(): number {
  return faker.number.float({ min: 0, max: 1, fractionDigits: 12 });
}

/** A standard normal draw (Box–Muller); good enough for shaping sample data. */
function normal(): number {
  const u = Math.max(uniform(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

function pickWeighted<T>(items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let r = uniform() * total;
  for (const item of items) {
    r -= weight(item);
    if (r <= 0) return item;
  }
  return items[items.length - 1] as T;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function fullYearsBetween(fromMs: number, toMs: number): number {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  const beforeBirthday =
    b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate());
  if (beforeBirthday) years -= 1;
  return years;
}

function digits(n: number): string {
  return Array.from({ length: n }, () => faker.number.int({ min: 0, max: 9 })).join('');
}

/** A Luhn-valid card number in the formats exports use (issuer prefixes and lengths are the real ones). */
function creditCard(): string {
  const issuer = pickWeighted(
    [
      ['visa', 52],
      ['mastercard', 30],
      ['amex', 12],
      ['discover', 6],
    ] as const,
    ([, w]) => w,
  )[0];
  const prefix =
    issuer === 'visa'
      ? '4'
      : issuer === 'mastercard'
        ? String(faker.number.int({ min: 51, max: 55 }))
        : issuer === 'amex'
          ? faker.helpers.arrayElement(['34', '37'])
          : '6011';
  const length = issuer === 'amex' ? 15 : 16;
  const body = prefix + digits(length - prefix.length - 1);
  const number = body + luhnCheckDigit(body);
  if (issuer === 'amex') return `${number.slice(0, 4)}-${number.slice(4, 10)}-${number.slice(10)}`;
  const separator = uniform() < 0.85 ? '-' : ' ';
  return number.match(/.{4}/g)!.join(separator);
}

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A well-formed US SSN (no 000/666/9xx area, no 00 group, no 0000 serial). */
function ssn(): string {
  let area = faker.number.int({ min: 1, max: 899 });
  if (area === 666) area = 667;
  const group = faker.number.int({ min: 1, max: 99 });
  const serial = faker.number.int({ min: 1, max: 9999 });
  return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

/** A phone number in the odd formats that hand-typed CRM fields collect. */
function oddPhone(): string {
  const [a, b, c] = [digits(3).replace(/^[01]/, '5'), digits(3), digits(4)];
  return faker.helpers.arrayElement([
    `${a}.${b}.${c}`,
    `${a}${b}${c}`,
    `+1 ${a} ${b} ${c}`,
    `1-${a}-${b}-${c}`,
    `(${a})${b}-${c} ext. ${digits(3)}`,
    `${b}-${c}`,
  ]);
}

function makeCustomer(index: number): Customer {
  const sex = faker.person.sexType();
  const first = faker.person.firstName(sex);
  const last = faker.person.lastName();
  const [city, state, zip3] = pickWeighted(CITIES, (c) => c[3]);
  const [segment, , segmentLift] = pickWeighted(SEGMENTS, (s) => s[1]);

  // Adults only; a broad hump around the early forties with a long tail of older customers.
  const ageAtExport = Math.min(92, Math.max(18, 43 + 15 * normal()));
  const dobMs = AS_OF.getTime() - Math.round(ageAtExport * 365.2425 * DAY_MS);
  const age = fullYearsBetween(dobMs, AS_OF.getTime());
  const eighteenth = Date.UTC(new Date(dobMs).getUTCFullYear() + 18, new Date(dobMs).getUTCMonth(), new Date(dobMs).getUTCDate());
  const earliestSignup = Math.max(Date.UTC(2014, 0, 1), eighteenth);
  const signupMs = earliestSignup + Math.floor(uniform() ** 0.8 * (AS_OF.getTime() - earliestSignup));
  const tenureYears = (AS_OF.getTime() - signupMs) / (365.2425 * DAY_MS);

  // Income: lognormal, peaking in the early fifties, lifted by business segments.
  const ageShape = -0.45 * ((age - 52) / 22) ** 2;
  const logIncome = Math.log(58_000) + ageShape + segmentLift + 0.42 * normal();
  const annualIncome = Math.round(Math.exp(logIncome) * 100) / 100;
  const incomeZ = (logIncome - Math.log(58_000)) / 0.5;
  const creditScore = Math.round(Math.min(850, Math.max(300, 690 + 55 * incomeZ + 0.8 * (age - 43) + 45 * normal())));
  const isActive = uniform() < Math.min(0.95, Math.max(0.5, 0.94 - 0.035 * tenureYears));
  const ltvNoise = Math.exp(0.35 * normal());
  const lifetimeValue =
    Math.round(annualIncome * 0.011 * (0.3 + tenureYears) * (1 + 2 * segmentLift) * ltvNoise * (isActive ? 1 : 0.7) * 100) / 100;

  const customer: Customer = {
    customer_id: `CUST-${String(index).padStart(6, '0')}`,
    first_name: first,
    last_name: last,
    email: faker.internet.email({ firstName: first, lastName: last }).toLowerCase(),
    phone: faker.phone.number({ style: 'national' }),
    ssn: ssn(),
    credit_card: creditCard(),
    ip_address: faker.internet.ipv4(),
    street_address: faker.location.streetAddress(uniform() < 0.15),
    city,
    state,
    postal_code: zip3 + digits(2),
    date_of_birth: isoDate(dobMs),
    signup_date: isoDate(signupMs),
    age,
    segment,
    annual_income: annualIncome,
    credit_score: creditScore,
    is_active: isActive,
    lifetime_value: lifetimeValue,
    notes: null,
  };
  if (uniform() < 0.12) customer.notes = faker.helpers.arrayElement(NOTES)(customer);
  return customer;
}

/** Untidiness a real export carries; it stays valid CSV. */
function roughen(customers: Customer[]): void {
  for (const c of customers) {
    if (uniform() < 0.01) c.phone = null;
    if (uniform() < 0.01) c.street_address = null;
    if (uniform() < 0.01) c.postal_code = null;
    if (uniform() < 0.01) c.credit_score = null;
  }
  const rows = customers.length;
  for (const k of [17, 388, 1203, 2048, 2790, 3333, 4096, 4711]) {
    const c = customers[k % rows] as Customer;
    c.email = k % 2 === 0 ? c.email.replace('@', ' at ') : c.email.replace('@', '');
  }
  for (const k of [5, 99, 640, 1500, 1999, 2600, 3101, 3777, 4242, 4900]) (customers[k % rows] as Customer).phone = oddPhone();
  for (const k of [1234, 4321]) (customers[k % rows] as Customer).age = null;
}

function csvField(value: Customer[keyof Customer]): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text === '' ? `"${text.replaceAll('"', '""')}"` : text;
}

async function main(): Promise<void> {
  faker.seed(SEED);
  const customers = Array.from({ length: ROWS }, (_, i) => makeCustomer(i + 1));
  roughen(customers);
  const lines = [COLUMNS.join(','), ...customers.map((c) => COLUMNS.map((k) => csvField(c[k])).join(','))];
  const csvPath = path.join(HERE, 'customers.csv');
  await writeFile(csvPath, `${lines.join('\n')}\n`);

  const table = await readTableFile(csvPath, 'csv', { displayName: 'examples/customers.csv' });
  const parquet = await writeTableFile(table, path.join(HERE, 'customers.parquet'), 'parquet');
  const jsonl = await writeTableFile(table, path.join(HERE, 'customers.jsonl'), 'jsonl');
  console.log(`customers.csv: ${table.rowCount} rows × ${table.columns.length} columns`);
  console.log(table.columns.map((c) => `${c.name}:${c.type}`).join(' '));
  console.log(`customers.parquet sha256 ${parquet.sha256}`);
  console.log(`customers.jsonl   sha256 ${jsonl.sha256}`);
}

await main();
