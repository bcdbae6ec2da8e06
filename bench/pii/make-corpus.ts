/**
 * Generates the labelled PII corpus under test/fixtures/pii-corpus/: CSV tables from
 * @faker-js/faker in seven locales (en, de, fr, es, it, nl, en_GB), and labels.json
 * (table → column → kind or "none"). Seeded, so running it again rewrites identical files.
 *
 * Run: `npx tsx bench/pii/make-corpus.ts`.
 *
 * Labelling rules (see docs/benchmarks.md ("Sensitive-field classification")):
 * - a column's label is the PII kind it holds, or "none";
 * - keys (order ids, UUIDs, sequence numbers) are "none": they are not personal data by themselves;
 *   personal identifiers without a validator here (passport numbers, usernames) are "identifier";
 * - hex digests and UUIDs are "none", not "secret" (a digest names content, it grants no access);
 * - prose that carries personal data in some rows is "free_text"; catalogue prose without any is "none".
 *
 * Phone numbers are drawn until libphonenumber accepts them for the locale's region (faker draws
 * digits freely and about a third of its numbers are impossible numbers), since real contact data is
 * mostly valid; this is the only place the generator uses a validator of the classifier.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { base, de, en, en_GB, es, Faker, fr, it, nl, type LocaleDefinition } from '@faker-js/faker';
import {
  codiceFiscaleCheck,
  dniLetter,
  isValidPhone,
  luhnCheck,
  nirKey,
  steuerIdCheckDigit,
} from '../../core/pii/index.js';

const OUT = path.resolve(import.meta.dirname, '../../test/fixtures/pii-corpus');
const ROWS = 120;

type Locale = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'en_GB';
const LOCALES: Record<Locale, { def: LocaleDefinition; region: string; iban: string }> = {
  en: { def: en, region: 'US', iban: 'DE' },
  de: { def: de, region: 'DE', iban: 'DE' },
  fr: { def: fr, region: 'FR', iban: 'FR' },
  es: { def: es, region: 'ES', iban: 'ES' },
  it: { def: it, region: 'IT', iban: 'IT' },
  nl: { def: nl, region: 'NL', iban: 'NL' },
  en_GB: { def: en_GB, region: 'GB', iban: 'GB' },
};

type Gen = (f: Faker, i: number) => string | number | boolean | null;
interface Col {
  name: string;
  label: string;
  gen: Gen;
}
interface TableSpec {
  name: string;
  locale: Locale;
  rows?: number;
  columns: Col[];
}

const c = (name: string, label: string, gen: Gen): Col => ({ name, label, gen });
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const digits = (f: Faker, n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });
const maybeNull =
  (f: Faker, g: Gen, share = 0.08): Gen =>
  (ff, i) =>
    f.number.float() < share ? null : g(ff, i);

// ——— value generators ———

function phone(region: string, international = false): Gen {
  return (f) => {
    for (let k = 0; k < 60; k++) {
      const v = f.phone.number({ style: international ? 'international' : 'human' }).replace(/\s*x\d+$/, '');
      if (international ? isValidPhone(v) : isValidPhone(v, region)) return v;
    }
    return region === 'US' ? `(202) 555-${digits(f, 4)}` : f.phone.number({ style: 'international' });
  };
}
const ssn: Gen = (f) =>
  `${pad(f.number.int({ min: 1, max: 665 }), 3)}-${pad(f.number.int({ min: 1, max: 99 }), 2)}-${pad(f.number.int({ min: 1, max: 9999 }), 4)}`;
const NINO_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const nino: Gen = (f) => {
  let prefix = '';
  do prefix = f.helpers.arrayElement([...NINO_FIRST]) + f.helpers.arrayElement([...NINO_SECOND]);
  while (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix));
  const d = digits(f, 6);
  return f.datatype.boolean()
    ? `${prefix} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${f.helpers.arrayElement(['A', 'B', 'C', 'D'])}`
    : `${prefix}${d}${f.helpers.arrayElement(['A', 'B', 'C', 'D'])}`;
};
const dni: Gen = (f) => {
  const n = f.number.int({ min: 10_000_000, max: 99_999_999 });
  return `${n}${dniLetter(n)}`;
};
const nie: Gen = (f) => {
  const p = f.number.int({ min: 0, max: 2 });
  const n = digits(f, 7);
  return `${'XYZ'[p]}${n}${dniLetter(Number(`${p}${n}`))}`;
};
const codiceFiscale: Gen = (f) => {
  const letters = () => f.string.alpha({ length: 3, casing: 'upper' });
  const month = f.helpers.arrayElement([...'ABCDEHLMPRST']);
  const day = pad(f.number.int({ min: 1, max: 71 }), 2);
  const body = `${letters()}${letters()}${digits(f, 2)}${month}${day}${f.string.alpha({ length: 1, casing: 'upper' })}${digits(f, 3)}`;
  return body + codiceFiscaleCheck(body);
};
const bsn: Gen = (f) => {
  for (;;) {
    const d = digits(f, 8);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(d[i]);
    const last = sum % 11;
    if (last <= 9 && d !== '00000000') return d + last;
  }
};
const nir: Gen = (f) => {
  const body = `${f.helpers.arrayElement(['1', '2'])}${digits(f, 2)}${pad(f.number.int({ min: 1, max: 12 }), 2)}${pad(f.number.int({ min: 1, max: 95 }), 2)}${digits(f, 3)}${digits(f, 3)}`;
  const key = nirKey(body);
  return f.datatype.boolean()
    ? `${body}${key}`
    : `${body.slice(0, 1)} ${body.slice(1, 3)} ${body.slice(3, 5)} ${body.slice(5, 7)} ${body.slice(7, 10)} ${body.slice(10)} ${key}`;
};
const steuerId: Gen = (f) => {
  for (;;) {
    const pool = f.helpers.shuffle([...'0123456789']);
    const dup = pool[f.number.int({ min: 0, max: 8 })] as string;
    const ten = f.helpers.shuffle([...pool.slice(0, 9), dup]).join('');
    if (ten.startsWith('0') || new Set(ten).size !== 9) continue;
    return ten + steuerIdCheckDigit(ten);
  }
};
function card(issuer: 'visa' | 'mastercard' | 'amex' | 'discover'): Gen {
  return (f) => f.finance.creditCardNumber(issuer);
}
const mixedCard: Gen = (f) =>
  card(f.helpers.arrayElement(['visa', 'mastercard', 'amex', 'discover'] as const))(f, 0);
/** 16 digits that fail Luhn: order numbers that merely look like cards. */
const orderNumberNotCard: Gen = (f) => {
  for (;;) {
    const v = `4${digits(f, 15)}`;
    if (!luhnCheck(v)) return v;
  }
};
const mac: Gen = (f) => (f.datatype.boolean() ? f.internet.mac() : f.internet.mac('-').toUpperCase());
const urlWithCredentials: Gen = (f) =>
  f.helpers.arrayElement([
    () =>
      `postgres://${f.internet
        .username()
        .toLowerCase()
        .replace(
          /[^a-z0-9_]/g,
          '',
        )}:${f.internet.password({ length: 14 })}@${f.internet.domainWord()}.db.internal:5432/${f.lorem.word()}`,
    () =>
      `https://${f.internet.username().replace(/[^A-Za-z0-9_]/g, '')}:${f.string.alphanumeric(16)}@${f.internet.domainName()}/api/v1`,
    () =>
      `mysql://root:${f.string.alphanumeric(12)}@10.${f.number.int(255)}.${f.number.int(255)}.${f.number.int(255)}:3306/app`,
  ])();
const upperAlnum = (f: Faker, n: number) => f.string.alphanumeric({ length: n, casing: 'upper' });
const secret: Gen = (f) =>
  f.helpers.arrayElement([
    () => `AKIA${upperAlnum(f, 16)}`,
    () => `ghp_${f.string.alphanumeric(36)}`,
    () => `sk_live_${f.string.alphanumeric(24)}`,
    () => `xoxb-${digits(f, 12)}-${digits(f, 12)}-${f.string.alphanumeric(24)}`,
    () => f.string.alphanumeric(40),
    () => Buffer.from(f.string.alphanumeric(30)).toString('base64').replace(/=+$/, ''),
  ])();
const genericToken: Gen = (f) => f.string.alphanumeric(f.number.int({ min: 32, max: 48 }));
const lat: Gen = (f) => f.location.latitude({ precision: 5 });
const lon: Gen = (f) => f.location.longitude({ precision: 5 });
const geoPair: Gen = (f) =>
  `${f.location.latitude({ precision: 5 })}, ${f.location.longitude({ precision: 5 })}`;
/** UK postcodes in the outward/inward shape (faker's en_GB pattern often breaks the inward `9AA` part). */
const ukPostcode: Gen = (f) =>
  `${f.string.alpha({ length: f.number.int({ min: 1, max: 2 }), casing: 'upper' })}${f.number.int({ min: 1, max: 29 })} ${f.number.int(9)}${f.string.alpha({ length: 2, casing: 'upper' })}`;
const postcode = (locale: Locale): Gen => (locale === 'en_GB' ? ukPostcode : (f) => f.location.zipCode());
const dob: Gen = (f) => f.date.birthdate({ min: 18, max: 95, mode: 'age' }).toISOString().slice(0, 10);
const dobEu: Gen = (f) => {
  const d = f.date.birthdate({ min: 18, max: 90, mode: 'age' });
  return `${pad(d.getUTCDate(), 2)}.${pad(d.getUTCMonth() + 1, 2)}.${d.getUTCFullYear()}`;
};
const pastDate: Gen = (f) => f.date.past({ years: 3 }).toISOString().slice(0, 10);
const futureDate: Gen = (f) => f.date.future({ years: 2 }).toISOString().slice(0, 10);
const sha1: Gen = (f) => f.git.commitSha();
const sha256: Gen = (f) => f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' });
const md5: Gen = (f) => f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
const uuid: Gen = (f) => f.string.uuid();
const semver: Gen = (f) => f.system.semver();
const sku: Gen = (f) => `${f.string.alpha({ length: 3, casing: 'upper' })}-${digits(f, 5)}`;
const seq =
  (prefix: string, width = 6): Gen =>
  (_f, i) =>
    `${prefix}${pad(i + 1, width)}`;
const int =
  (min: number, max: number): Gen =>
  (f) =>
    f.number.int({ min, max });
const float =
  (min: number, max: number, fractionDigits = 2): Gen =>
  (f) =>
    f.number.float({ min, max, fractionDigits });
const pick =
  (values: readonly string[]): Gen =>
  (f) =>
    f.helpers.arrayElement(values);
const bool: Gen = (f) => f.datatype.boolean();

/** Support-ticket prose where some texts carry a name, an email, a phone or a card number. */
function notes(region: string, withPii = 0.45): Gen {
  const ph = phone(region);
  return (f) => {
    const plain = [
      () => `Customer asked about the ${f.commerce.productName().toLowerCase()} delivery window.`,
      () => `Ticket closed after ${f.number.int({ min: 2, max: 9 })} days, no further action needed.`,
      () => `Refund of ${f.finance.amount()} approved, waiting for the warehouse.`,
      () => `Prefers contact in the morning; escalated to tier ${f.number.int({ min: 2, max: 3 })}.`,
      () => `Reported the app crashing on login, version ${f.system.semver()}.`,
    ];
    const pii = [
      () =>
        `Please call back ${f.person.firstName()} ${f.person.lastName()} at ${ph(f, 0)} about the invoice.`,
      () => `New contact email is ${f.internet.email()} as of this week.`,
      () => `Spoke with ${f.person.firstName()} ${f.person.lastName()}, who wants the order cancelled.`,
      () => `Card ${f.finance.creditCardNumber('visa')} was declined twice.`,
      () => `Forwarded from ${f.internet.email()}: package never arrived.`,
    ];
    return f.number.float() < withPii ? f.helpers.arrayElement(pii)() : f.helpers.arrayElement(plain)();
  };
}
const catalogueProse: Gen = (f) => f.commerce.productDescription();

// ——— tables ———

function customers(locale: Locale, suffix = ''): TableSpec {
  const r = LOCALES[locale].region;
  return {
    name: `customers_${locale}${suffix}`,
    locale,
    columns: [
      c('customer_id', 'none', seq('C-')),
      c('first_name', 'first_name', (f) => f.person.firstName()),
      c('last_name', 'last_name', (f) => f.person.lastName()),
      c('email', 'email', (f) => f.internet.email()),
      c('phone', 'phone', phone(r)),
      c('street_address', 'street_address', (f) => f.location.streetAddress()),
      c('city', 'city', (f) => f.location.city()),
      c('postal_code', 'postal_code', postcode(locale)),
      c('date_of_birth', 'date_of_birth', dob),
      c('segment', 'none', pick(['consumer', 'small business', 'enterprise'])),
      c('email_count', 'none', int(0, 40)),
      c('is_active', 'none', bool),
      c('signup_date', 'none', pastDate),
    ],
  };
}

/** Customer tables with the column names of the locale's language. */
const localisedCustomers: TableSpec[] = [
  {
    name: 'kunden_de',
    locale: 'de',
    columns: [
      c('kundennr', 'none', seq('K')),
      c('Vorname', 'first_name', (f) => f.person.firstName()),
      c('Nachname', 'last_name', (f) => f.person.lastName()),
      c('E-Mail', 'email', (f) => f.internet.email()),
      c('Telefon', 'phone', phone('DE')),
      c('Straße', 'street_address', (f) => f.location.streetAddress()),
      c('PLZ', 'postal_code', (f) => f.location.zipCode()),
      c('Ort', 'city', (f) => f.location.city()),
      c('Geburtsdatum', 'date_of_birth', dobEu),
      c('Steuer_ID', 'national_id', steuerId),
      c('Kontostand', 'none', float(-500, 20_000)),
    ],
  },
  {
    name: 'clients_fr',
    locale: 'fr',
    columns: [
      c('id_client', 'none', seq('CL')),
      c('prenom', 'first_name', (f) => f.person.firstName()),
      c('nom', 'last_name', (f) => f.person.lastName()),
      c('courriel', 'email', (f) => f.internet.email()),
      c('telephone_portable', 'phone', phone('FR')),
      c('adresse', 'street_address', (f) => f.location.streetAddress()),
      c('code_postal', 'postal_code', (f) => f.location.zipCode()),
      c('ville', 'city', (f) => f.location.city()),
      c('date_de_naissance', 'date_of_birth', dob),
      c('numero_securite_sociale', 'national_id', nir),
      c('fidelite_points', 'none', int(0, 5000)),
    ],
  },
  {
    name: 'clientes_es',
    locale: 'es',
    columns: [
      c('codigo', 'none', seq('ES')),
      c('nombre', 'first_name', (f) => f.person.firstName()),
      c('apellidos', 'last_name', (f) => f.person.lastName()),
      c('correo_electronico', 'email', (f) => f.internet.email()),
      c('telefono', 'phone', phone('ES')),
      c('direccion', 'street_address', (f) => f.location.streetAddress()),
      c('codigo_postal', 'postal_code', (f) => f.location.zipCode()),
      c('ciudad', 'city', (f) => f.location.city()),
      c('fecha_nacimiento', 'date_of_birth', dob),
      c('dni', 'national_id', dni),
      c('nie_extranjero', 'national_id', nie),
      c('saldo', 'none', float(0, 9000)),
    ],
  },
  {
    name: 'clienti_it',
    locale: 'it',
    columns: [
      c('id', 'none', (_f, i) => i + 1),
      c('nome', 'first_name', (f) => f.person.firstName()),
      c('cognome', 'last_name', (f) => f.person.lastName()),
      c('email', 'email', (f) => f.internet.email()),
      c('cellulare', 'phone', phone('IT', true)),
      c('indirizzo', 'street_address', (f) => f.location.streetAddress()),
      c('cap', 'postal_code', (f) => f.location.zipCode()),
      c('citta', 'city', (f) => f.location.city()),
      c('data_di_nascita', 'date_of_birth', dob),
      c('codice_fiscale', 'national_id', codiceFiscale),
      c('categoria', 'none', pick(['oro', 'argento', 'bronzo'])),
    ],
  },
  {
    name: 'klanten_nl',
    locale: 'nl',
    columns: [
      c('klantnummer', 'none', seq('NL', 5)),
      c('voornaam', 'first_name', (f) => f.person.firstName()),
      c('achternaam', 'last_name', (f) => f.person.lastName()),
      c('emailadres', 'email', (f) => f.internet.email()),
      c('telefoonnummer', 'phone', phone('NL')),
      c('adres', 'street_address', (f) => f.location.streetAddress()),
      c('postcode', 'postal_code', (f) => f.location.zipCode()),
      c('woonplaats', 'city', (f) => f.location.city()),
      c('geboortedatum', 'date_of_birth', dob),
      c('bsn', 'national_id', bsn),
      c('iban', 'iban', (f) => f.finance.iban({ countryCode: 'NL', formatted: f.datatype.boolean() })),
    ],
  },
  {
    name: 'customers_uk_hr',
    locale: 'en_GB',
    columns: [
      c('employee_no', 'identifier', seq('E', 5)),
      c('forename', 'first_name', (f) => f.person.firstName()),
      c('surname', 'last_name', (f) => f.person.lastName()),
      c('work_email', 'email', (f) => f.internet.email()),
      c('mobile', 'phone', phone('GB')),
      c('home_address', 'street_address', (f) => f.location.streetAddress()),
      c('postcode', 'postal_code', ukPostcode),
      c('town', 'city', (f) => f.location.city()),
      c('ni_number', 'uk_nino', nino),
      c('dob', 'date_of_birth', dob),
      c('salary', 'none', int(22_000, 140_000)),
      c('grade', 'none', pick(['A1', 'A2', 'B1', 'B2', 'C'])),
    ],
  },
];

const hardPositives: TableSpec[] = [
  {
    name: 'export_unnamed_a',
    locale: 'en',
    columns: [
      c('c1', 'none', (_f, i) => i + 1),
      c('c17', 'email', (f) => f.internet.email()),
      c('x', 'phone', phone('US', true)),
      c('field_3', 'iban', (f) => f.finance.iban({ formatted: true })),
      c('col_9', 'credit_card', mixedCard),
      c('f2', 'ssn', ssn),
      c('c5', 'person_name', (f) => f.person.fullName()),
      c('c6', 'street_address', (f) => f.location.streetAddress()),
      c('c7', 'ip_address', (f) => (f.datatype.boolean() ? f.internet.ipv4() : f.internet.ipv6())),
      c('c8', 'none', float(0, 1, 4)),
      c('c9', 'none', pick(['red', 'green', 'blue', 'black', 'white', 'brown', 'gray'])),
    ],
  },
  {
    name: 'export_unnamed_b',
    locale: 'de',
    columns: [
      c('a', 'first_name', (f) => f.person.firstName()),
      c('b', 'last_name', (f) => f.person.lastName()),
      c('c', 'street_address', (f) => f.location.streetAddress()),
      c('d', 'national_id', steuerId),
      c('e', 'mac_address', mac),
      c('f', 'secret', secret),
      c('g', 'url_with_credentials', urlWithCredentials),
      c('h', 'geo_coordinate', geoPair),
      c('i', 'none', int(1, 5)),
      c('j', 'none', sku),
    ],
  },
  {
    name: 'export_unnamed_c',
    locale: 'en_GB',
    columns: [
      c('ref', 'uk_nino', nino),
      c('pc', 'postal_code', ukPostcode),
      c('value_1', 'person_name', (f) => f.person.fullName()),
      c('value_2', 'phone', phone('GB', true)),
      c('value_3', 'email', (f) => f.internet.email()),
      c('value_4', 'none', semver),
      c('value_5', 'none', md5),
      c('value_6', 'none', int(10_000, 99_999)),
    ],
  },
  {
    name: 'export_unnamed_d',
    locale: 'es',
    columns: [
      c('doc', 'national_id', dni),
      c('doc2', 'national_id', nie),
      c('cf', 'national_id', codiceFiscale),
      c('num', 'national_id', bsn),
      c('insee_like', 'national_id', nir),
      c('txt', 'free_text', notes('ES', 0.5)),
      c('n1', 'person_name', (f) => f.person.fullName()),
      c('n2', 'first_name', (f) => f.person.firstName()),
      c('amount', 'none', float(1, 500)),
    ],
  },
  {
    name: 'export_unnamed_e',
    locale: 'fr',
    columns: [
      c('v1', 'person_name', (f) => f.person.fullName()),
      c('v2', 'street_address', (f) => f.location.streetAddress()),
      c('v3', 'phone', phone('FR', true)),
      c('v4', 'iban', (f) => f.finance.iban({ countryCode: 'FR' })),
      c('v5', 'email', (f) => f.internet.email()),
      c('v6', 'none', pastDate),
      c('v7', 'none', uuid),
    ],
  },
  {
    name: 'export_unnamed_f',
    locale: 'nl',
    columns: [
      c('k1', 'person_name', (f) => f.person.fullName()),
      c('k2', 'street_address', (f) => f.location.streetAddress()),
      c('k3', 'postal_code', (f) => f.location.zipCode()),
      c('k4', 'iban', (f) => f.finance.iban({ countryCode: 'NL' })),
      c('k5', 'phone', phone('NL', true)),
      c('k6', 'none', int(0, 100)),
    ],
  },
  {
    name: 'export_unnamed_g',
    locale: 'it',
    columns: [
      c('p1', 'person_name', (f) => f.person.fullName()),
      c('p2', 'street_address', (f) => f.location.streetAddress()),
      c('p3', 'national_id', codiceFiscale),
      c('p4', 'email', (f) => f.internet.email()),
      c('p5', 'none', sha1),
      c('p6', 'none', float(-1, 1, 5)),
    ],
  },
];

const devices: TableSpec = {
  name: 'devices',
  locale: 'en',
  columns: [
    c('device_id', 'none', uuid),
    c('mac_address', 'mac_address', mac),
    c('last_ip', 'ip_address', (f) => f.internet.ipv4()),
    c('owner_email', 'email', (f) => f.internet.email()),
    c(
      'phone_model',
      'none',
      pick(['iPhone 13', 'iPhone 15 Pro', 'Pixel 8', 'Galaxy S23', 'Moto G', 'Xperia 10']),
    ),
    c('os_version', 'none', semver),
    c('firmware_hash', 'none', sha256),
    c('mac_os_version', 'none', pick(['14.2', '13.6', '12.7'])),
    c('battery_pct', 'none', int(1, 100)),
    c('latitude', 'geo_coordinate', lat),
    c('longitude', 'geo_coordinate', lon),
    c('latency_ms', 'none', float(1, 400, 3)),
  ],
};

const credentials: TableSpec = {
  name: 'api_credentials',
  locale: 'en',
  columns: [
    c('id', 'none', (_f, i) => i + 1),
    c('service', 'none', pick(['billing', 'search', 'mailer', 'reports'])),
    c('api_key', 'secret', secret),
    c('client_secret', 'secret', genericToken),
    c('database_url', 'url_with_credentials', urlWithCredentials),
    c('token_count', 'none', int(0, 100_000)),
    c('key_created', 'none', pastDate),
    c('expires', 'none', futureDate),
    c('content_sha', 'none', sha1),
    c('checksum_md5', 'none', md5),
    c('request_id', 'none', uuid),
    c(
      'webhook_url',
      'none',
      (f) => `https://hooks.${f.internet.domainName()}/in/${f.string.alphanumeric(8)}`,
    ),
  ],
};

const orders: TableSpec = {
  name: 'orders',
  locale: 'en',
  columns: [
    c('order_id', 'none', seq('ORD-', 7)),
    c('order_number', 'none', orderNumberNotCard),
    c('customer_email', 'email', (f) => f.internet.email()),
    c('card_number', 'credit_card', mixedCard),
    c('card_brand', 'none', pick(['Visa', 'Mastercard', 'Amex', 'Discover'])),
    c('card_last4', 'none', (f) => digits(f, 4)),
    c('quantity', 'none', int(1, 20)),
    c('zipped_bytes', 'none', int(10_000, 99_999)),
    c('shipping_zip', 'postal_code', (f) => f.location.zipCode('#####')),
    c('tracking_number', 'none', (f) => `1Z${upperAlnum(f, 6)}${digits(f, 10)}`),
    c('sku', 'none', sku),
    c('total', 'none', float(5, 900)),
    c('ordered_at', 'none', pastDate),
  ],
};

const products: TableSpec = {
  name: 'products',
  locale: 'en',
  columns: [
    c('product_id', 'none', seq('P', 5)),
    c('name', 'none', (f) => f.commerce.productName()),
    c('description', 'none', catalogueProse),
    c('isbn', 'none', (f) => f.commerce.isbn()),
    c('price', 'none', float(1, 300)),
    c('color', 'none', (f) => f.color.human()),
    c('version', 'none', semver),
    c('department', 'none', (f) => f.commerce.department()),
    c('stock', 'none', int(0, 900)),
    c('long_description', 'none', catalogueProse),
  ],
};

const tickets = (locale: Locale): TableSpec => ({
  name: `support_tickets_${locale}`,
  locale,
  columns: [
    c('ticket_id', 'none', seq('T', 6)),
    c('opened', 'none', pastDate),
    c('priority', 'none', pick(['low', 'normal', 'high', 'urgent'])),
    c('notes', 'free_text', notes(LOCALES[locale].region)),
    c('agent_name', 'person_name', (f) => f.person.fullName()),
    c('reporter_email', 'email', (f) => f.internet.email()),
    c('status', 'none', pick(['open', 'pending', 'closed'])),
    c('comment_count', 'none', int(0, 12)),
  ],
});

const patients: TableSpec = {
  name: 'patients',
  locale: 'en',
  columns: [
    c('patient_id', 'none', seq('PT', 6)),
    c('mrn', 'identifier', (f) => `MRN${digits(f, 8)}`),
    c('full_name', 'person_name', (f) => f.person.fullName()),
    c('birth_date', 'date_of_birth', dob),
    c('ssn', 'ssn', ssn),
    c('phone_number', 'phone', phone('US')),
    c('emergency_contact_name', 'person_name', (f) => f.person.fullName()),
    c('height_cm', 'none', int(140, 205)),
    c('weight_kg', 'none', float(40, 140, 1)),
    c('blood_type', 'none', pick(['A+', 'A-', 'B+', 'O+', 'O-', 'AB+'])),
    c('admitted', 'none', pastDate),
    c('clinical_notes', 'free_text', notes('US', 0.3)),
  ],
};

const payments = (locale: Locale): TableSpec => ({
  name: `payments_${locale}`,
  locale,
  columns: [
    c('payment_id', 'none', uuid),
    c('iban', 'iban', (f) => f.finance.iban({ countryCode: LOCALES[locale].iban, formatted: true })),
    c('bic', 'none', (f) => f.finance.bic()),
    c('account_holder', 'person_name', (f) => f.person.fullName()),
    c('amount', 'none', float(1, 5000)),
    c('currency', 'none', pick(['EUR', 'GBP', 'USD'])),
    c('reference', 'none', (f) => `INV-${digits(f, 8)}`),
    c('booked_on', 'none', pastDate),
  ],
});

const logins: TableSpec = {
  name: 'web_sessions',
  locale: 'en',
  columns: [
    c('session_started', 'none', pastDate),
    c('username', 'identifier', (f) => f.internet.username()),
    c('client_ip', 'ip_address', (f) => f.internet.ipv4()),
    c('ipv6', 'ip_address', (f) => f.internet.ipv6()),
    c('user_agent', 'none', (f) => f.internet.userAgent()),
    c('url', 'none', (f) => f.internet.url()),
    c('ip_country', 'none', pick(['US', 'DE', 'FR', 'GB'])),
    c('pages_viewed', 'none', int(1, 60)),
    c('referrer', 'none', (f) => f.internet.url()),
    c('duration_s', 'none', float(1, 4000, 1)),
  ],
};

const stores: TableSpec = {
  name: 'store_locations',
  locale: 'en',
  columns: [
    c('store_code', 'none', sku),
    c(
      'store_name',
      'none',
      (f) => `${f.company.name()} ${f.helpers.arrayElement(['Outlet', 'Store', 'Mall'])}`,
    ),
    c('company_name', 'none', (f) => f.company.name()),
    c('lat', 'geo_coordinate', lat),
    c('lng', 'geo_coordinate', lon),
    c('manager_name', 'person_name', (f) => f.person.fullName()),
    c('opening_hours', 'none', pick(['9-17', '8-20', '10-18'])),
    c('floor_area_m2', 'none', int(80, 4000)),
    c('rating', 'none', float(1, 5, 1)),
  ],
};

const metrics: TableSpec = {
  name: 'sensor_metrics',
  locale: 'en',
  columns: [
    c('reading_id', 'none', (_f, i) => 100_000 + i),
    c('temperature', 'none', float(-20, 45, 4)),
    c('humidity', 'none', float(0, 100, 3)),
    c('delta', 'none', float(-90, 90, 5)),
    c('angle', 'none', float(-180, 180, 4)),
    c('ratio', 'none', float(0, 1, 6)),
    c('score', 'none', float(0, 100, 2)),
    c('bucket', 'none', int(10_000, 99_999)),
    c('recorded_on', 'none', pastDate),
    c('firmware', 'none', semver),
  ],
};

const marketing: TableSpec = {
  name: 'newsletter',
  locale: 'en',
  columns: [
    c('subscriber_email', 'email', (f) => f.internet.email()),
    c('email_opt_in', 'none', bool),
    c('email_domain', 'none', (f) => f.internet.domainName()),
    c('email_bounced', 'none', int(0, 3)),
    c('phone_type', 'none', pick(['mobile', 'landline', 'voip'])),
    c('campaign', 'none', pick(['spring', 'summer', 'black friday', 'winter'])),
    c('clicks', 'none', int(0, 40)),
    c('first_open', 'none', pastDate),
    c('name', 'person_name', (f) => f.person.fullName()),
  ],
};

const employees = (locale: Locale): TableSpec => ({
  name: `employees_${locale}`,
  locale,
  columns: [
    c('employee_id', 'none', (_f, i) => 5000 + i),
    c('full_name', 'person_name', (f) => f.person.fullName()),
    c('job_title', 'none', (f) => f.person.jobTitle()),
    c('department', 'none', (f) => f.commerce.department()),
    c('work_phone', 'phone', phone(LOCALES[locale].region, true)),
    c('manager_email', 'email', (f) => f.internet.email()),
    c('hire_date', 'none', pastDate),
    c('birthday', 'date_of_birth', dob),
    c('passport_number', 'identifier', (f) => `${upperAlnum(f, 2)}${digits(f, 7)}`),
    c('bank_iban', 'iban', (f) => f.finance.iban({ countryCode: LOCALES[locale].iban })),
    c('vacation_days', 'none', int(0, 30)),
  ],
});

const addresses = (locale: Locale): TableSpec => ({
  name: `shipping_addresses_${locale}`,
  locale,
  columns: [
    c('address_id', 'none', seq('A', 6)),
    c('recipient_name', 'person_name', (f) => f.person.fullName()),
    c('address_line_1', 'street_address', (f) => f.location.streetAddress()),
    c('zip', 'postal_code', postcode(locale)),
    c('city', 'city', (f) => f.location.city()),
    c('country', 'none', (f) => f.location.country()),
    c('geo', 'geo_coordinate', geoPair),
    c('delivery_notes', 'free_text', notes(LOCALES[locale].region, 0.35)),
    c('parcel_count', 'none', int(1, 6)),
  ],
});

const infra: TableSpec = {
  name: 'infrastructure',
  locale: 'en',
  columns: [
    c('host', 'none', (f) => `${f.internet.domainWord()}-${f.number.int(99)}.internal`),
    c('private_ip', 'ip_address', (f) => `10.${f.number.int(255)}.${f.number.int(255)}.${f.number.int(255)}`),
    c('mac', 'mac_address', mac),
    c('connection_string', 'url_with_credentials', urlWithCredentials),
    c('deploy_token', 'secret', (f) => `glpat-${f.string.alphanumeric(20)}`),
    c('git_commit', 'none', sha1),
    c(
      'image_digest',
      'none',
      (f) => `sha256:${f.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' })}`,
    ),
    c('cpu_cores', 'none', int(1, 64)),
    c('region', 'none', pick(['eu-west-1', 'us-east-1', 'ap-south-1'])),
    c('version', 'none', semver),
    c('instance_uuid', 'none', uuid),
  ],
};

const TABLES: TableSpec[] = [
  customers('en'),
  customers('en_GB'),
  customers('de'),
  customers('fr'),
  customers('es'),
  customers('it'),
  customers('nl'),
  ...localisedCustomers,
  ...hardPositives,
  devices,
  credentials,
  orders,
  products,
  tickets('en'),
  tickets('de'),
  tickets('fr'),
  patients,
  payments('de'),
  payments('en_GB'),
  logins,
  stores,
  metrics,
  marketing,
  employees('en'),
  employees('nl'),
  addresses('en'),
  addresses('de'),
  addresses('it'),
  infra,
];

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s;
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function main(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const labels: Record<string, Record<string, string>> = {};
  let columns = 0;
  for (const t of TABLES) {
    const f = new Faker({ locale: [LOCALES[t.locale].def, en, base] });
    f.seed(seedOf(t.name));
    const rows = t.rows ?? ROWS;
    const lines = [t.columns.map((col) => csvCell(col.name)).join(',')];
    const gens = t.columns.map((col) =>
      col.label === 'none' || col.name === 'customer_id' ? col.gen : maybeNull(f, col.gen, 0.03),
    );
    for (let i = 0; i < rows; i++) lines.push(gens.map((g) => csvCell(g(f, i))).join(','));
    writeFileSync(path.join(OUT, `${t.name}.csv`), lines.join('\n') + '\n');
    labels[t.name] = Object.fromEntries(t.columns.map((col) => [col.name, col.label]));
    columns += t.columns.length;
  }
  writeFileSync(path.join(OUT, 'labels.json'), JSON.stringify(labels, null, 2) + '\n');
  console.log(`${TABLES.length} tables, ${columns} columns written to ${path.relative(process.cwd(), OUT)}`);
}

main();
