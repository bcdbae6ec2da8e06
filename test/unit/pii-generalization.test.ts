import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyTable,
  isValidBelgianNrn,
  isValidCpf,
  isValidGermanRvnr,
  isValidNhsNumber,
  isValidPersonnummer,
  isValidPesel,
  matchColumnName,
  nationalIdScheme,
  PiiKind,
  type FieldSensitivity,
} from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../../core/table.js';

/**
 * Rules added after the blind holdout measurement (test/fixtures/pii-corpus-holdout): more
 * national ids, more languages and abbreviations in column names, and evidence that tells
 * look-alikes apart (versions vs IPs, postcodes and ids vs phones, companies vs surnames, counts
 * vs phone numbers), names confirmed by the row's email, and birth dates in opaque columns.
 */

const digitString = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

function oneDigitTypos(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    for (let d = 0; d <= 9; d++) if (d !== c - 48) out.push(value.slice(0, i) + d + value.slice(i + 1));
  }
  return out;
}

describe('more national ids', () => {
  it('accepts published examples and rejects a changed check digit', () => {
    expect(isValidPesel('44051401359')).toBe(true);
    expect(isValidPesel('44051401358')).toBe(false);
    expect(isValidPesel('44151401355')).toBe(false); // month 15 is no month in any century
    expect(isValidPersonnummer('811218-9876')).toBe(true);
    expect(isValidPersonnummer('19811218-9876')).toBe(true);
    expect(isValidPersonnummer('198112189876')).toBe(true);
    expect(isValidPersonnummer('811218-9875')).toBe(false);
    expect(isValidPersonnummer('8112189876')).toBe(false); // ten bare digits: too many random numbers pass
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('529.982.247-24')).toBe(false);
    expect(isValidCpf('111.111.111-11')).toBe(false);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidBelgianNrn('85.07.30-033.28')).toBe(true);
    expect(isValidBelgianNrn('85073003328')).toBe(true);
    expect(isValidBelgianNrn('85.07.30-033.27')).toBe(false);
    expect(isValidGermanRvnr('65 170839 J 003')).toBe(true);
    expect(isValidGermanRvnr('65170839J003')).toBe(true);
    expect(isValidGermanRvnr('65170839J004')).toBe(false);
  });

  it('dispatches each to its scheme', () => {
    expect(nationalIdScheme('44051401359')).toBe('pl_pesel');
    expect(nationalIdScheme('811218-9876')).toBe('se_personnummer');
    expect(nationalIdScheme('529.982.247-25')).toBe('br_cpf');
    expect(nationalIdScheme('943 476 5919')).toBe('uk_nhs');
    expect(nationalIdScheme('85.07.30-033.28')).toBe('be_nrn');
    expect(nationalIdScheme('65 170839 J 003')).toBe('de_rvnr');
  });

  it('accepts every completed PESEL and no single-digit typo of one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        digitString(4),
        (yy, mm, dd, serial) => {
          const body = `${String(yy).padStart(2, '0')}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}${serial}`;
          const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
          let sum = 0;
          for (let i = 0; i < 10; i++) sum += Number(body[i]) * (w[i] as number);
          const pesel = body + String((10 - (sum % 10)) % 10);
          expect(isValidPesel(pesel)).toBe(true);
          for (const typo of oneDigitTypos(pesel)) expect(isValidPesel(typo)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts every completed CPF and NHS number, and (nearly) no single-digit typo of one', () => {
    fc.assert(
      fc.property(digitString(9), (nine) => {
        fc.pre(!/^(\d)\1{8}$/.test(nine));
        const check = (d: string) => {
          let s = 0;
          for (let i = 0; i < d.length; i++) s += Number(d[i]) * (d.length + 1 - i);
          const r = (s * 10) % 11;
          return r === 10 ? 0 : r;
        };
        const ten = nine + String(check(nine));
        const cpf = ten + String(check(ten));
        expect(isValidCpf(cpf)).toBe(true);
        // Remainders 10 and 0 both give check digit 0, so a rare typo slips through; nearly all are caught.
        expect(oneDigitTypos(cpf).filter(isValidCpf).length).toBeLessThanOrEqual(4);

        let s = 0;
        for (let i = 0; i < 9; i++) s += Number(nine[i]) * (10 - i);
        const c = 11 - (s % 11);
        fc.pre(c !== 10);
        const nhs = nine + String(c === 11 ? 0 : c);
        expect(isValidNhsNumber(nhs)).toBe(true);
        for (const typo of oneDigitTypos(nhs)) expect(isValidNhsNumber(typo)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('column names in more languages and abbreviations', () => {
  it.each([
    ['date_naiss', PiiKind.DateOfBirth],
    ['fecha_nac', PiiKind.DateOfBirth],
    ['data_nasc', PiiKind.DateOfBirth],
    ['dt_nascimento', PiiKind.DateOfBirth],
    ['data_urodzenia', PiiKind.DateOfBirth],
    ['luogo_nascita', PiiKind.City],
    ['place_of_birth', PiiKind.City],
    ['Geburtsort', PiiKind.City],
    ['sv_nummer', PiiKind.NationalId],
    ['pesel', PiiKind.NationalId],
    ['cpf', PiiKind.NationalId],
    ['rijksregisternummer', PiiKind.NationalId],
    ['nhs_number', PiiKind.NationalId],
    ['matricule', PiiKind.Identifier],
    ['emp_code', PiiKind.Identifier],
    ['insurance_member_id', PiiKind.Identifier],
    ['imie', PiiKind.FirstName],
    ['fornamn', PiiKind.FirstName],
    ['nazwisko', PiiKind.LastName],
    ['efternamn', PiiKind.LastName],
    ['sobrenome', PiiKind.LastName],
    ['ulica', PiiKind.StreetAddress],
    ['logradouro', PiiKind.StreetAddress],
    ['cidade', PiiKind.City],
    ['miasto', PiiKind.City],
    ['kod_pocztowy', PiiKind.PostalCode],
    ['cep', PiiKind.PostalCode],
    ['postnummer', PiiKind.PostalCode],
    ['epost', PiiKind.Email],
  ])('%s → %s', (name, kind) => {
    expect(matchColumnName(name)?.rule.kind).toBe(kind);
  });

  it.each(['lat_ms', 'latency_lat_ms', 'created_by', 'updated_by', 'date_created'])(
    '%s names no personal data',
    (name) => {
      expect(matchColumnName(name)).toBeUndefined();
    },
  );
});

const ROWS = 200;

function col(name: string, type: PhysicalType, make: (i: number) => CellValue): ColumnData {
  return { name, type, values: Array.from({ length: ROWS }, (_, i) => make(i)) };
}

function classifyColumns(columns: ColumnData[]): Map<string, FieldSensitivity> {
  const table: Table = { rowCount: ROWS, columns };
  const report = classifyTable(table, profileTable(table), { asOfMs: Date.UTC(2025, 0, 1) });
  return new Map(report.fields.map((f) => [f.column, f]));
}

/** A small deterministic generator, so the tables are the same on every run. */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function get(fields: Map<string, FieldSensitivity>, name: string): FieldSensitivity {
  const f = fields.get(name);
  if (f === undefined) throw new Error(`no field ${name}`);
  return f;
}

describe('look-alikes told apart', () => {
  const r = lcg(11);
  const fields = classifyColumns([
    col('c4', 'string', () => `${1 + r(9)}.${r(31)}.${r(10)}.${r(250)}`),
    col('firmware', 'string', () => `${1 + r(12)}.${r(31)}.${r(10)}.${r(250)}`),
    col('c5', 'string', () => `${11 + r(200)}.${r(256)}.${r(256)}.${1 + r(254)}`),
    col('c6', 'string', () => `10.0.${r(4)}.${1 + r(254)}`),
    col(
      'cep',
      'string',
      () => `${String(1000 + r(98999)).padStart(5, '0')}-${String(r(1000)).padStart(3, '0')}`,
    ),
    col('phone_calls_made', 'integer', () => r(900)),
    col(
      'recipient',
      'string',
      () =>
        `${['Müller', 'Schmidt', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter', 'Klein'][r(10)]} ${['GmbH', 'AG', 'KG', 'e.V.', 'GmbH & Co. KG', 'Ltd', 'S.p.A.', 'B.V.'][r(8)]}`,
    ),
  ]);

  it('reads four-part version numbers as versions, not IP addresses', () => {
    expect(get(fields, 'c4').sensitive).toBe(false);
    expect(get(fields, 'firmware').sensitive).toBe(false);
  });

  it('still reads public and private dotted quads without a name as IP addresses', () => {
    expect(get(fields, 'c5')).toMatchObject({ kind: PiiKind.IpAddress, sensitive: true });
    expect(get(fields, 'c6')).toMatchObject({ kind: PiiKind.IpAddress, sensitive: true });
  });

  it('keeps a postcode column named for postcodes a postcode, though the digits pass as phones somewhere', () => {
    expect(get(fields, 'cep')).toMatchObject({ kind: PiiKind.PostalCode, sensitive: true });
  });

  it('treats a short integer count named after phones as a count', () => {
    expect(get(fields, 'phone_calls_made').sensitive).toBe(false);
  });

  it('does not read company names with a legal form as surnames', () => {
    expect(get(fields, 'recipient').sensitive).toBe(false);
  });

  it('prefers a check-digit id over national-format phone evidence in an unnamed column', () => {
    const g = lcg(5);
    const cpf = () => {
      for (;;) {
        const nine = Array.from({ length: 9 }, () => g(10)).join('');
        if (/^(\d)\1{8}$/.test(nine)) continue;
        const check = (d: string) => {
          let s = 0;
          for (let i = 0; i < d.length; i++) s += Number(d[i]) * (d.length + 1 - i);
          const x = (s * 10) % 11;
          return x === 10 ? 0 : x;
        };
        const ten = nine + String(check(nine));
        const d = ten + String(check(ten));
        return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
      }
    };
    const f = classifyColumns([col('x1', 'string', cpf)]);
    expect(get(f, 'x1')).toMatchObject({ kind: PiiKind.NationalId, sensitive: true });
  });
});

/** Names made up for the test: in no dictionary, written the way names are. */
const MADE_UP_FIRST = [
  'Zorvath',
  'Quellin',
  'Amaru',
  'Tevishka',
  'Orlaith',
  'Brennic',
  'Yusra',
  'Kaelen',
  'Ishvani',
  'Doruk',
  'Saoirse',
  'Mirela',
];
const MADE_UP_LAST = [
  'Vantrell',
  'Oskarsdottir',
  'Nakamuraya',
  'Bhatwadekar',
  'Quiroga-Lenz',
  'Dunmore',
  'Tshabalala',
  'Kovalenkova',
  'Aalbersen',
  'Ferreirinha',
  'Mbekweni',
  'Castellvi',
];

describe('personal names the dictionaries do not know', () => {
  const r = lcg(3);
  const people = Array.from(
    { length: ROWS },
    () => [MADE_UP_FIRST[r(12)] as string, MADE_UP_LAST[r(12)] as string] as const,
  );
  const emailOf = (i: number) => {
    const [f, l] = people[i] as readonly [string, string];
    return `${f.toLowerCase()}.${l.toLowerCase().replace(/[^a-z]/g, '')}@example.org`;
  };
  const products = [
    'Ergonomic Wooden Chair',
    'Rustic Steel Lamp',
    'Sleek Cotton Towel',
    'Handmade Granite Bowl',
    'Small Bronze Clock',
    'Intelligent Rubber Shoes',
  ];

  it('accepts a qualified name column written like names', () => {
    const f = classifyColumns([col('manager_name', 'string', (i) => people[i]?.join(' ') ?? null)]);
    expect(get(f, 'manager_name')).toMatchObject({ kind: PiiKind.PersonName, sensitive: true });
  });

  it('still doubts a bare `name` column of unknown words without other evidence', () => {
    const f = classifyColumns([col('name', 'string', (i) => people[i]?.join(' ') ?? null)]);
    expect(get(f, 'name').sensitive).toBe(false);
  });

  it('confirms a bare `name` column and an unnamed one from the email address in the same row', () => {
    const f = classifyColumns([
      col('name', 'string', (i) => people[i]?.join(' ') ?? null),
      col('v9', 'string', (i) => people[i]?.join(' ') ?? null),
      col('work_email', 'string', emailOf),
    ]);
    expect(get(f, 'work_email')).toMatchObject({ kind: PiiKind.Email, sensitive: true });
    expect(get(f, 'name')).toMatchObject({ kind: PiiKind.PersonName, sensitive: true });
    expect(get(f, 'v9')).toMatchObject({ kind: PiiKind.PersonName, sensitive: true });
  });

  it('does not confirm product names from an email column they do not appear in', () => {
    const f = classifyColumns([
      col('name', 'string', (i) => products[i % products.length] as string),
      col('buyer_email', 'string', emailOf),
    ]);
    expect(get(f, 'name').sensitive).toBe(false);
  });
});

describe('birth dates in opaque columns', () => {
  const r = lcg(9);
  const day = 86_400_000;
  const isoAgo = (years: number) =>
    new Date(Date.UTC(2025, 0, 1) - Math.round(years * 365.25) * day - r(365) * day)
      .toISOString()
      .slice(0, 10);

  it('reads adult ages spread over decades as birth dates, and recent or narrow dates as not', () => {
    const f = classifyColumns([
      col('c6', 'date', () => isoAgo(18 + r(70))),
      col('c7', 'date', () => isoAgo(r(6))),
      col('c8', 'date', () => isoAgo(30 + r(3))),
      col('founded_on', 'date', () => isoAgo(18 + r(70))),
    ]);
    expect(get(f, 'c6')).toMatchObject({ kind: PiiKind.DateOfBirth, sensitive: true });
    expect(get(f, 'c7').sensitive).toBe(false);
    expect(get(f, 'c8').sensitive).toBe(false);
    expect(get(f, 'founded_on').sensitive).toBe(false);
  });
});
