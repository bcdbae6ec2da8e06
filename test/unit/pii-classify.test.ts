import { Faker, en } from '@faker-js/faker';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyTable,
  matchColumnName,
  PiiKind,
  sampleEvenly,
  SENSITIVE_THRESHOLD,
  sensitiveColumns,
  type SensitivityReport,
} from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../../core/table.js';

const ROWS = 400;

function column(name: string, type: PhysicalType, make: (i: number) => CellValue): ColumnData {
  return { name, type, values: Array.from({ length: ROWS }, (_, i) => make(i)) };
}

/** A customer table with realistic personal data and ordinary business columns. */
function customerTable(seed = 7): Table {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  const ssn = () =>
    `${f.number.int({ min: 1, max: 665 }).toString().padStart(3, '0')}-${f.number.int({ min: 1, max: 99 }).toString().padStart(2, '0')}-${f.number.int({ min: 1, max: 9999 }).toString().padStart(4, '0')}`;
  return {
    rowCount: ROWS,
    columns: [
      column('customer_id', 'string', (i) => `CUST-${String(100000 + i)}`),
      column('row_id', 'integer', (i) => i + 1),
      column('email', 'string', () => f.internet.email()),
      column('contact', 'string', () => f.internet.email()),
      column('mobilePhone', 'string', () => f.phone.number({ style: 'national' })),
      column('ssn', 'string', ssn),
      column('card_number', 'string', () => f.finance.creditCardNumber('visa')),
      column('iban', 'string', () => f.finance.iban({ countryCode: 'DE' })),
      column('last_login_ip', 'string', (i) => (i % 2 === 0 ? f.internet.ipv4() : f.internet.ipv6())),
      column('first_name', 'string', () => f.person.firstName()),
      column('Surname', 'string', () => f.person.lastName()),
      column('full_name', 'string', () => f.person.fullName()),
      column('street_address', 'string', () => f.location.streetAddress()),
      column('city', 'string', () => f.location.city()),
      column('zip_code', 'string', () => f.location.zipCode('#####')),
      column('date_of_birth', 'date', () => f.date.birthdate().toISOString().slice(0, 10)),
      column('support_notes', 'string', (i) =>
        i % 10 === 0
          ? `${f.lorem.sentence()} Reach me at ${f.internet.email()} please.`
          : f.lorem.sentences(2),
      ),
      column('age', 'integer', (i) => (i % 25 === 0 ? null : f.number.int({ min: 18, max: 90 }))),
      column('income', 'float', () => f.number.float({ min: 10_000, max: 250_000, fractionDigits: 2 })),
      column('segment', 'string', () => f.helpers.arrayElement(['consumer', 'small business', 'enterprise'])),
      column('credit_score', 'integer', () => f.number.int({ min: 300, max: 850 })),
      column('is_active', 'boolean', () => f.datatype.boolean()),
      column('signup_date', 'date', () => f.date.past({ years: 5 }).toISOString().slice(0, 10)),
      column('product_description', 'string', () =>
        f.helpers.arrayElement(['basic plan', 'premium plan', 'family plan']),
      ),
    ],
  };
}

function classify(table: Table): SensitivityReport {
  return classifyTable(table, profileTable(table));
}

function field(report: SensitivityReport, name: string) {
  const found = report.fields.find((f) => f.column === name);
  if (found === undefined) throw new Error(`no field ${name}`);
  return found;
}

describe('classifyTable on a realistic customer table', () => {
  const table = customerTable();
  const report = classify(table);

  it.each([
    ['email', PiiKind.Email],
    ['contact', PiiKind.Email],
    ['mobilePhone', PiiKind.Phone],
    ['ssn', PiiKind.Ssn],
    ['card_number', PiiKind.CreditCard],
    ['iban', PiiKind.Iban],
    ['last_login_ip', PiiKind.IpAddress],
    ['first_name', PiiKind.FirstName],
    ['Surname', PiiKind.LastName],
    ['full_name', PiiKind.PersonName],
    ['street_address', PiiKind.StreetAddress],
    ['city', PiiKind.City],
    ['zip_code', PiiKind.PostalCode],
    ['date_of_birth', PiiKind.DateOfBirth],
    ['support_notes', PiiKind.FreeText],
  ])('%s is sensitive as %s', (name, kind) => {
    const f = field(report, name);
    expect(f.kind).toBe(kind);
    expect(f.sensitive).toBe(true);
    expect(f.confidence).toBeGreaterThan(SENSITIVE_THRESHOLD);
    expect(f.confidence).toBeLessThanOrEqual(1);
  });

  it('gives > 0.9 when at least 80% of values validate, even without a telling name', () => {
    expect(field(report, 'contact').confidence).toBeGreaterThan(0.9);
    expect(field(report, 'contact').reasons.join(' ')).not.toMatch(/column name/);
    expect(field(report, 'email').confidence).toBeGreaterThanOrEqual(field(report, 'contact').confidence);
  });

  it('gives about 0.8 for a name match alone where values cannot be validated', () => {
    expect(field(report, 'city').confidence).toBeCloseTo(0.8, 5);
    expect(field(report, 'city').reasons).toEqual(["column name matches 'city'"]);
  });

  it.each(['age', 'income', 'segment', 'credit_score', 'is_active', 'signup_date'])(
    '%s is not sensitive',
    (name) => {
      const f = field(report, name);
      expect(f.sensitive).toBe(false);
      expect(f.kind).toBe(PiiKind.None);
    },
  );

  it('keeps catalogue text (a product description of a few repeated labels) out of the report', () => {
    const f = field(report, 'product_description');
    expect(f.sensitive).toBe(false);
    expect(f.confidence).toBeLessThanOrEqual(0.5);
  });

  it('keeps a prose-like name over short repeated values below the threshold', () => {
    const plans = column(
      'remarks',
      'string',
      (i) => ['basic plan', 'premium plan', 'family plan'][i % 3] as string,
    );
    const t: Table = { rowCount: ROWS, columns: [plans] };
    const f = classify(t).fields[0] as SensitivityReport['fields'][number];
    expect(f.kind).toBe(PiiKind.FreeText);
    expect(f.confidence).toBeLessThanOrEqual(0.5);
    expect(f.sensitive).toBe(false);
  });

  it('treats keys as identifiers that are not sensitive', () => {
    for (const name of ['customer_id', 'row_id']) {
      const f = field(report, name);
      expect(f.kind).toBe(PiiKind.Identifier);
      expect(f.confidence).toBeLessThanOrEqual(0.5);
      expect(f.sensitive).toBe(false);
    }
  });

  it('flags free text that embeds contact details more strongly than plain prose', () => {
    expect(
      field(report, 'support_notes').reasons.some((r) => /contain personal data spans \(.*email/.test(r)),
    ).toBe(true);
  });

  it('lists exactly the sensitive fields in sensitiveColumns', () => {
    const names = sensitiveColumns(report).map((f) => f.column);
    expect(names).toEqual(
      report.fields.filter((f) => f.confidence > SENSITIVE_THRESHOLD).map((f) => f.column),
    );
    expect(names).toContain('email');
    expect(names).not.toContain('age');
  });

  it('records the threshold and the sample size', () => {
    expect(report.threshold).toBe(0.7);
    expect(report.sampledValuesPerColumn).toBe(1000);
    expect(classifyTable(table, profileTable(table), { sampleSize: 50 }).sampledValuesPerColumn).toBe(50);
    expect(field(classifyTable(table, profileTable(table), { sampleSize: 50 }), 'email').reasons[0]).toMatch(
      / of 50 sampled/,
    );
  });

  it('never puts a sampled value into a reason', () => {
    const values = new Set<string>();
    for (const c of table.columns)
      for (const v of sampleEvenly(c.values, 1000)) if (v.trim().length >= 4) values.add(v.trim());
    expect(values.size).toBeGreaterThan(1000);
    const leaks: string[] = [];
    for (const f of report.fields) {
      for (const reason of f.reasons) for (const v of values) if (reason.includes(v)) leaks.push(f.column);
    }
    expect(leaks).toEqual([]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(classify(customerTable()))).toBe(JSON.stringify(report));
  });
});

describe('value evidence against name evidence', () => {
  function single(
    name: string,
    type: PhysicalType,
    values: CellValue[],
  ): SensitivityReport['fields'][number] {
    const table: Table = { rowCount: values.length, columns: [{ name, type, values }] };
    return classify(table).fields[0] as SensitivityReport['fields'][number];
  }

  it('keeps a validatable name with values that do not validate below the threshold', () => {
    const f = single(
      'email',
      'string',
      Array.from({ length: 100 }, (_, i) => `hash${i.toString(16).padStart(8, 'f')}`),
    );
    expect(f.kind).toBe(PiiKind.Email);
    expect(f.sensitive).toBe(false);
  });

  it('still trusts the name when the values are stored as numbers', () => {
    const f = single(
      'phone',
      'integer',
      Array.from({ length: 100 }, (_, i) => 2024561100 + i),
    );
    expect(f.kind).toBe(PiiKind.Phone);
    expect(f.sensitive).toBe(true);
  });

  it('does not read bare nine-digit keys as SSNs unless the name says so', () => {
    const digits = Array.from({ length: 100 }, (_, i) => String(123450000 + i * 7));
    expect(single('reference', 'string', digits).kind).not.toBe(PiiKind.Ssn);
    expect(single('ssn', 'string', digits).kind).toBe(PiiKind.Ssn);
    expect(single('ssn', 'string', digits).sensitive).toBe(true);
  });

  it('does not call a numeric column a city or a name', () => {
    expect(
      single(
        'city',
        'integer',
        Array.from({ length: 50 }, (_, i) => i % 5),
      ).sensitive,
    ).toBe(false);
  });

  it('does not treat a two-valued flag as personal data whatever its name', () => {
    expect(
      single(
        'mobile',
        'string',
        Array.from({ length: 50 }, (_, i) => (i % 2 ? 'yes' : 'no')),
      ).sensitive,
    ).toBe(false);
  });

  it('a table of only nulls is classified by name alone', () => {
    const f = single('email', 'string', [null, null, null]);
    expect(f.kind).toBe(PiiKind.Email);
    expect(f.reasons).toContain('no non-null values to check');
  });
});

describe('column-name rules', () => {
  it.each([
    ['email', PiiKind.Email],
    ['customerEmail', PiiKind.Email],
    ['E-Mail', PiiKind.Email],
    ['e_mail', PiiKind.Email],
    ['EMAIL_ADDRESS', PiiKind.Email],
    ['MOBILE_PHONE', PiiKind.Phone],
    ['tel', PiiKind.Phone],
    ['phoneNumber', PiiKind.Phone],
    ['social_security_number', PiiKind.Ssn],
    ['SSN', PiiKind.Ssn],
    ['cc_number', PiiKind.CreditCard],
    ['creditCard', PiiKind.CreditCard],
    ['iban', PiiKind.Iban],
    ['IPAddress', PiiKind.IpAddress],
    ['client-ip', PiiKind.IpAddress],
    ['given_name', PiiKind.FirstName],
    ['firstname', PiiKind.FirstName],
    ['family-name', PiiKind.LastName],
    ['surname', PiiKind.LastName],
    ['name', PiiKind.PersonName],
    ['full_name', PiiKind.PersonName],
    ['customerName', PiiKind.PersonName],
    ['address_line_1', PiiKind.StreetAddress],
    ['street', PiiKind.StreetAddress],
    ['city', PiiKind.City],
    ['zip', PiiKind.PostalCode],
    ['postalCode', PiiKind.PostalCode],
    ['DOB', PiiKind.DateOfBirth],
    ['birthDate', PiiKind.DateOfBirth],
    ['national_id', PiiKind.NationalId],
    ['passport_number', PiiKind.Identifier],
    ['notes', PiiKind.FreeText],
  ])('%s → %s', (name, kind) => {
    const match = matchColumnName(name);
    expect(match?.rule.kind).toBe(kind);
    expect(match?.personal).toBe(true);
  });

  it.each([
    'age',
    'income',
    'credit_score',
    'company_name',
    'hotel_name',
    'unzipped_size',
    'email_verified',
    'has_phone',
    'signup_date',
    'segment',
  ])('%s matches no personal-data rule', (name) => {
    expect(matchColumnName(name)?.personal ?? false).toBe(false);
  });

  it('reads keys as keys, even when they point at personal data', () => {
    for (const name of ['customer_id', 'customerId', 'city_id', 'order_uuid', 'id']) {
      const match = matchColumnName(name);
      expect(match?.rule.kind).toBe(PiiKind.Identifier);
      expect(match?.personal).toBe(false);
    }
  });
});

describe('deterministic sampling', () => {
  it('takes evenly spaced non-null values, the same every time', () => {
    const values: CellValue[] = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? null : `v${i}`));
    const sample = sampleEvenly(values, 10);
    expect(sample).toEqual(['v1', 'v11', 'v21', 'v31', 'v41', 'v51', 'v61', 'v71', 'v81', 'v91']);
    expect(sampleEvenly(values, 1000)).toHaveLength(50);
    expect(sampleEvenly([null, null], 10)).toEqual([]);
  });

  it('never samples more than asked and covers both ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string(), { nil: null }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (values, size) => {
          const nonNull = values.filter((v): v is string => v !== null);
          const sample = sampleEvenly(values, size);
          expect(sample).toHaveLength(Math.min(size, nonNull.length));
          if (sample.length > 0) expect(sample[0]).toBe(nonNull[0]);
        },
      ),
    );
  });
});

describe('reasons carry no data values', () => {
  it('for arbitrary emails, phone-like strings and words in any column', () => {
    const value = fc.oneof(
      fc.emailAddress(),
      fc.stringMatching(/^\(\d{3}\) \d{3}-\d{4}$/),
      fc.stringMatching(/^[A-Z][a-z]{3,10}$/),
      fc.stringMatching(/^[a-z]{4,8}( [a-z]{2,8}){3,8}$/),
    );
    const name = fc.constantFrom('email', 'phone', 'first_name', 'city', 'notes', 'col_a', 'description');
    fc.assert(
      fc.property(name, fc.array(value, { minLength: 1, maxLength: 60 }), (columnName, values) => {
        const table: Table = {
          rowCount: values.length,
          columns: [{ name: columnName, type: 'string', values }],
        };
        const [f] = classifyTable(table, profileTable(table), { sampleSize: 100 }).fields;
        const reasons = f?.reasons ?? [];
        expect(reasons.length).toBeGreaterThan(0);
        expect(reasons.filter((r) => values.some((v) => r.includes(v)))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
