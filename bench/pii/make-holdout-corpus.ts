/**
 * Writes test/fixtures/pii-corpus-holdout: a second labelled PII corpus, written independently of
 * the classifier and of bench/pii/make-corpus.ts (its own table shapes, column names, value
 * generators and check-digit code), so that precision and recall measured on it are not tuned.
 *
 * Run: `npx tsx bench/pii/make-holdout-corpus.ts` (deterministic: the same files on every run).
 *
 * Layout (same as test/fixtures/pii-corpus): one CSV per table, and labels.json mapping
 * table → column → label. Labels: the kinds of the original corpus; "none" for everything that
 * is not personal data or a secret (keys, counts, product codes, hashes, versions...).
 * Conventions used when labelling:
 * - a text column is "free_text" when some of its rows carry personal data inside sentences
 *   (emails, phones, names, IBANs, birth dates, addresses, IPs); clean prose is "none";
 * - "identifier" is a personal identifier without a validator (employee numbers, usernames,
 *   medical record numbers, passport and insurance member numbers); surrogate keys are "none";
 * - national registry numbers (tax ids, social security numbers of EU countries, NHS, PESEL,
 *   personnummer, CPF) are "national_id"; US SSNs are "ssn"; UK NI numbers are "uk_nino";
 * - a date column is "date_of_birth" only when it holds birth dates; other dates are "none".
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  base,
  de,
  de_AT,
  en,
  en_GB,
  en_IN,
  en_US,
  es,
  Faker,
  fr,
  fr_BE,
  it,
  nl,
  pl,
  pt_BR,
  sv,
  type LocaleDefinition,
} from '@faker-js/faker';
import { prng } from '../support/prng.js';
import {
  formatDate,
  makeDateBetween,
  makePhone,
  makePostcode,
  REAL_CITIES,
  type PhoneRegion,
} from './holdout/contact.js';
import {
  computeLuhnDigit,
  IBAN_COUNTRIES,
  makeBelgianNrn,
  makeBsn,
  makeCardNumber,
  makeCodiceFiscale,
  makeCpf,
  makeDni,
  makeIban,
  makeNhsNumber,
  makeNie,
  makeNino,
  makeNir,
  makePesel,
  makePersonnummer,
  makeRvnr,
  makeSsn,
  makeSteuerId,
  padNumber,
  pickOne,
  randInt,
  randomDigits,
  type Rand,
} from './holdout/ids.js';
import {
  MAIL_DOMAINS,
  makeEmailFor,
  makePerson,
  makeUsername,
  WORK_DOMAINS,
  type Person,
} from './holdout/people.js';
import {
  makeClinicalNote,
  makeIotLogLine,
  makeNote,
  makeReviewComment,
  makeTranscript,
  type TextPii,
} from './holdout/text.js';

const OUT = path.resolve(import.meta.dirname, '../../test/fixtures/pii-corpus-holdout');

/** The kinds a column can be labelled with (those of test/fixtures/pii-corpus). */
export const HOLDOUT_LABELS = [
  'none',
  'email',
  'phone',
  'person_name',
  'first_name',
  'last_name',
  'street_address',
  'city',
  'postal_code',
  'date_of_birth',
  'national_id',
  'ssn',
  'uk_nino',
  'iban',
  'credit_card',
  'ip_address',
  'mac_address',
  'geo_coordinate',
  'secret',
  'url_with_credentials',
  'identifier',
  'free_text',
] as const;

type Label = (typeof HOLDOUT_LABELS)[number];
type Cell = string | number | boolean | null;

/** What a column generator sees for one row: the row's person (made on first use) and helpers. */
interface RowContext {
  i: number;
  rand: Rand;
  f: Faker;
  person: () => Person;
}

type Column = [name: string, label: Label, make: (r: RowContext) => Cell];

interface TableSpec {
  name: string;
  rows: number;
  locale: LocaleDefinition;
  columns: Column[];
}

/** Returns null with probability p, else the generator's value (real exports have gaps). */
function sometimesNull(p: number, make: (r: RowContext) => Cell): (r: RowContext) => Cell {
  return (r) => (r.rand() < p ? null : make(r));
}

const fullName = (p: Person) => `${p.first} ${p.last}`;
const iso = (d: Date) => formatDate(d, 'YYYY-MM-DD');
const hex = (rand: Rand, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'.charAt(Math.floor(rand() * 16));
  return s;
};
const alnum = (
  rand: Rand,
  n: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
) => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet.charAt(Math.floor(rand() * alphabet.length));
  return s;
};
const uuid = (rand: Rand) =>
  `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-${pickOne(rand, ['8', '9', 'a', 'b'])}${hex(rand, 3)}-${hex(rand, 12)}`;
const ipv4 = (rand: Rand) =>
  pickOne(rand, [
    () =>
      `${randInt(rand, 1, 223)}.${randInt(rand, 0, 255)}.${randInt(rand, 0, 255)}.${randInt(rand, 1, 254)}`,
    () => `192.168.${randInt(rand, 0, 20)}.${randInt(rand, 2, 254)}`,
    () => `10.${randInt(rand, 0, 255)}.${randInt(rand, 0, 255)}.${randInt(rand, 1, 254)}`,
  ])();
const ipv6 = (rand: Rand) =>
  pickOne(rand, [
    () => `2001:db8:${hex(rand, 4)}:${hex(rand, 4)}::${hex(rand, 3)}`,
    () =>
      `2a02:${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}`,
    () => `fe80::${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}:${hex(rand, 4)}`,
  ])();
const mac = (rand: Rand, style: 'colon' | 'dash' | 'cisco' | 'bare' | 'upper') => {
  const oui = pickOne(rand, ['3c22fb', 'b827eb', 'dca632', '001a11', 'f0b429', '70b3d5', 'a4c138', '5c313e']);
  const b = oui + hex(rand, 6);
  const pairs = b.match(/../g) ?? [];
  switch (style) {
    case 'colon':
      return pairs.join(':');
    case 'upper':
      return pairs.join(':').toUpperCase();
    case 'dash':
      return pairs.join('-').toUpperCase();
    case 'cisco':
      return `${b.slice(0, 4)}.${b.slice(4, 8)}.${b.slice(8)}`;
    case 'bare':
      return b.toUpperCase();
  }
};
const money = (rand: Rand, lo: number, hi: number) => (randInt(rand, lo * 100, hi * 100) / 100).toFixed(2);
const datetime = (rand: Rand, from: string, to: string) => {
  const d = makeDateBetween(rand, from, to);
  return `${iso(d)}T${padNumber(randInt(rand, 0, 23), 2)}:${padNumber(randInt(rand, 0, 59), 2)}:${padNumber(randInt(rand, 0, 59), 2)}Z`;
};
const versionLikeIp = (rand: Rand) =>
  `${randInt(rand, 1, 12)}.${randInt(rand, 0, 30)}.${randInt(rand, 0, 9)}.${randInt(rand, 0, 250)}`;
const latitude = (rand: Rand, lo: number, hi: number) => (lo + rand() * (hi - lo)).toFixed(6);

function textPii(
  r: RowContext,
  phoneRegion: PhoneRegion,
  ibanCountry: string,
  postcodeCountry: Parameters<typeof makePostcode>[1],
  cities: readonly string[],
): () => TextPii {
  return () => {
    const p = makePerson(r.f, r.rand);
    return {
      name: fullName(p),
      first: p.first,
      email: makeEmailFor(r.rand, p, MAIL_DOMAINS.US),
      phone: makePhone(r.rand, phoneRegion, 'mixed'),
      iban: makeIban(r.rand, ibanCountry, r.rand() < 0.5),
      dob: formatDate(p.birth, pickOne(r.rand, ['DD/MM/YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY'])),
      address: `${r.f.location.streetAddress()}, ${pickOne(r.rand, cities)}`,
      postcode: makePostcode(r.rand, postcodeCountry),
      ip: ipv4(r.rand),
    };
  };
}

const MESSAGE_LANGS = ['de', 'fr', 'es', 'it', 'nl'] as const;

const TABLES: TableSpec[] = [
  {
    name: 'hubspot_contacts_export',
    rows: 180,
    locale: en_US,
    columns: [
      ['Record ID', 'none', (r) => 7_300_000 + r.i * 17],
      ['First Name', 'first_name', (r) => r.person().first],
      ['Last Name', 'last_name', (r) => r.person().last],
      [
        'Email',
        'email',
        (r) => makeEmailFor(r.rand, r.person(), r.rand() < 0.3 ? WORK_DOMAINS : MAIL_DOMAINS.US),
      ],
      ['Phone Number', 'phone', sometimesNull(0.2, (r) => makePhone(r.rand, 'US', 'national'))],
      ['Mobile Phone Number', 'phone', sometimesNull(0.5, (r) => makePhone(r.rand, 'US', 'mixed'))],
      ['Company Name', 'none', (r) => r.f.company.name()],
      ['Job Title', 'none', (r) => r.f.person.jobTitle()],
      [
        'Lifecycle Stage',
        'none',
        (r) => pickOne(r.rand, ['lead', 'marketingqualifiedlead', 'opportunity', 'customer', 'evangelist']),
      ],
      [
        'Street Address',
        'street_address',
        sometimesNull(0.1, (r) => r.f.location.streetAddress(r.rand() < 0.3)),
      ],
      ['City', 'city', (r) => pickOne(r.rand, REAL_CITIES.US)],
      ['State/Region', 'none', (r) => r.f.location.state({ abbreviated: true })],
      ['Postal Code', 'postal_code', (r) => makePostcode(r.rand, 'US')],
      ['Create Date', 'none', (r) => datetime(r.rand, '2021-01-01', '2024-12-31')],
      ['Number of Sales Activities', 'none', (r) => randInt(r.rand, 0, 40)],
      ['Marketing emails opened', 'none', (r) => randInt(r.rand, 0, 120)],
      ['Email Domain', 'none', (r) => pickOne(r.rand, [...MAIL_DOMAINS.US, ...WORK_DOMAINS])],
    ],
  },
  {
    name: 'personalstamm_de',
    rows: 140,
    locale: de,
    columns: [
      ['personalnummer', 'identifier', (r) => `P${padNumber(40_000 + r.i * 3, 6)}`],
      ['vorname', 'first_name', (r) => r.person().first],
      ['nachname', 'last_name', (r) => r.person().last],
      ['geburtsdatum', 'date_of_birth', (r) => formatDate(r.person().birth, 'DD.MM.YYYY')],
      ['geschlecht', 'none', (r) => (r.person().female ? 'w' : 'm')],
      ['strasse_hausnr', 'street_address', (r) => r.f.location.streetAddress()],
      ['plz', 'postal_code', (r) => makePostcode(r.rand, 'DE')],
      ['wohnort', 'city', (r) => pickOne(r.rand, REAL_CITIES.DE)],
      ['steuer_idnr', 'national_id', (r) => makeSteuerId(r.rand)],
      [
        'sv_nummer',
        'national_id',
        (r) => {
          const p = r.person();
          return makeRvnr(r.rand, p.birth, p.last, p.female, r.rand() < 0.5);
        },
      ],
      ['bankverbindung', 'iban', (r) => makeIban(r.rand, 'DE', true)],
      [
        'eintrittsdatum',
        'none',
        (r) => formatDate(makeDateBetween(r.rand, '2005-01-01', '2024-10-01'), 'DD.MM.YYYY'),
      ],
      [
        'abteilung',
        'none',
        (r) => pickOne(r.rand, ['Vertrieb', 'Einkauf', 'Lager', 'IT', 'Buchhaltung', 'Personal']),
      ],
      ['bruttogehalt_eur', 'none', (r) => randInt(r.rand, 2_400, 9_800)],
      ['urlaubstage', 'none', (r) => pickOne(r.rand, [25, 28, 30])],
      ['kinder_anzahl', 'none', (r) => randInt(r.rand, 0, 4)],
      ['tel_privat', 'phone', sometimesNull(0.25, (r) => makePhone(r.rand, 'DE', 'national'))],
      ['notfallkontakt', 'person_name', sometimesNull(0.2, (r) => fullName(makePerson(r.f, r.rand)))],
    ],
  },
  {
    name: 'rh_salaries_fr',
    rows: 120,
    locale: fr,
    columns: [
      ['matricule', 'identifier', (r) => `FR${padNumber(1200 + r.i, 5)}`],
      ['nom', 'last_name', (r) => r.person().last.toUpperCase()],
      ['prenom', 'first_name', (r) => r.person().first],
      ['date_naiss', 'date_of_birth', (r) => formatDate(r.person().birth, 'DD/MM/YYYY')],
      [
        'num_secu',
        'national_id',
        (r) => makeNir(r.rand, r.person().birth, r.person().female, r.rand() < 0.5),
      ],
      ['adresse', 'street_address', (r) => r.f.location.streetAddress()],
      ['code_postal', 'postal_code', (r) => makePostcode(r.rand, 'FR')],
      ['ville', 'city', (r) => pickOne(r.rand, REAL_CITIES.FR)],
      ['tel_portable', 'phone', (r) => makePhone(r.rand, 'FR', 'mixed')],
      ['courriel', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.FR)],
      [
        'poste',
        'none',
        (r) => pickOne(r.rand, ['Comptable', 'Technicien', 'Chef de projet', 'Magasinier', 'Commercial']),
      ],
      ['salaire_annuel', 'none', (r) => randInt(r.rand, 24_000, 85_000)],
      [
        'date_embauche',
        'none',
        (r) => formatDate(makeDateBetween(r.rand, '2008-01-01', '2024-06-01'), 'DD/MM/YYYY'),
      ],
      ['nb_enfants', 'none', (r) => randInt(r.rand, 0, 4)],
    ],
  },
  {
    name: 'clientes_crm_es',
    rows: 150,
    locale: es,
    columns: [
      ['id_cliente', 'none', (r) => 100_000 + r.i],
      ['nombre', 'first_name', (r) => r.person().first],
      ['apellidos', 'last_name', (r) => r.person().last],
      ['dni_nie', 'national_id', (r) => (r.rand() < 0.8 ? makeDni(r.rand) : makeNie(r.rand))],
      ['fecha_nac', 'date_of_birth', (r) => formatDate(r.person().birth, 'DD/MM/YYYY')],
      ['movil', 'phone', (r) => makePhone(r.rand, 'ES', 'mixed')],
      ['correo_e', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.ES)],
      ['direccion', 'street_address', (r) => r.f.location.streetAddress()],
      ['cp', 'postal_code', (r) => makePostcode(r.rand, 'ES')],
      ['poblacion', 'city', (r) => pickOne(r.rand, REAL_CITIES.ES)],
      ['provincia', 'none', (r) => r.f.location.state()],
      ['cuenta_iban', 'iban', (r) => makeIban(r.rand, 'ES', r.rand() < 0.5)],
      ['puntos_fidelidad', 'none', (r) => randInt(r.rand, 0, 5000)],
      ['fecha_alta', 'none', (r) => iso(makeDateBetween(r.rand, '2015-01-01', '2024-12-01'))],
    ],
  },
  {
    name: 'anagrafica_clienti_it',
    rows: 130,
    locale: it,
    columns: [
      ['cod_cliente', 'none', (r) => `CL${padNumber(r.i + 1, 6)}`],
      ['cognome', 'last_name', (r) => r.person().last],
      ['nome', 'first_name', (r) => r.person().first],
      [
        'cod_fisc',
        'national_id',
        (r) => {
          const p = r.person();
          return makeCodiceFiscale(r.rand, p.first, p.last, p.birth, p.female);
        },
      ],
      ['data_nascita', 'date_of_birth', (r) => formatDate(r.person().birth, 'DD/MM/YYYY')],
      ['luogo_nascita', 'city', (r) => pickOne(r.rand, REAL_CITIES.IT)],
      ['indirizzo', 'street_address', (r) => r.f.location.streetAddress()],
      ['cap', 'postal_code', (r) => makePostcode(r.rand, 'IT')],
      ['comune', 'city', (r) => pickOne(r.rand, REAL_CITIES.IT)],
      ['cellulare', 'phone', (r) => makePhone(r.rand, 'IT', 'mixed')],
      [
        'pec',
        'email',
        (r) =>
          `${makeEmailFor(r.rand, r.person(), ['x']).split('@')[0]}@${pickOne(r.rand, ['pec.it', 'legalmail.it', 'pec.aruba.it'])}`,
      ],
      ['iban', 'iban', (r) => makeIban(r.rand, 'IT', r.rand() < 0.3)],
      ['categoria', 'none', (r) => pickOne(r.rand, ['privato', 'azienda', 'ente pubblico'])],
      ['fatturato_annuo', 'none', (r) => money(r.rand, 100, 90_000)],
    ],
  },
  {
    name: 'klantenbestand_nl',
    rows: 130,
    locale: nl,
    columns: [
      ['klantnr', 'none', (r) => 500_000 + r.i * 7],
      ['voornaam', 'first_name', (r) => r.person().first],
      ['achternaam', 'last_name', (r) => r.person().last],
      ['geboortedatum', 'date_of_birth', (r) => formatDate(r.person().birth, 'DD-MM-YYYY')],
      ['bsn', 'national_id', (r) => makeBsn(r.rand)],
      ['straat_huisnr', 'street_address', (r) => r.f.location.streetAddress()],
      ['postcode', 'postal_code', (r) => makePostcode(r.rand, 'NL')],
      ['woonplaats', 'city', (r) => pickOne(r.rand, REAL_CITIES.NL)],
      ['telefoonnummer', 'phone', (r) => makePhone(r.rand, 'NL', 'mixed')],
      ['emailadres', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.NL)],
      ['rekeningnummer', 'iban', (r) => makeIban(r.rand, 'NL', r.rand() < 0.5)],
      ['klant_sinds', 'none', (r) => iso(makeDateBetween(r.rand, '2010-01-01', '2024-12-01'))],
      ['aantal_bestellingen', 'none', (r) => randInt(r.rand, 0, 80)],
    ],
  },
  {
    name: 'payments_log',
    rows: 220,
    locale: en_GB,
    columns: [
      ['txn_id', 'none', (r) => uuid(r.rand)],
      ['created_at', 'none', (r) => datetime(r.rand, '2024-01-01', '2024-12-31')],
      ['amount_minor', 'none', (r) => randInt(r.rand, 199, 250_000)],
      ['currency', 'none', (r) => pickOne(r.rand, ['EUR', 'GBP', 'USD', 'SEK', 'PLN'])],
      [
        'card_pan',
        'credit_card',
        sometimesNull(0.3, (r) => makeCardNumber(r.rand, pickOne(r.rand, ['', ' ', '-'] as const))),
      ],
      ['card_brand', 'none', (r) => pickOne(r.rand, ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'JCB'])],
      ['card_last4', 'none', (r) => randomDigits(r.rand, 4)],
      ['exp_month', 'none', (r) => randInt(r.rand, 1, 12)],
      ['exp_year', 'none', (r) => randInt(r.rand, 2025, 2031)],
      ['merchant_order_no', 'none', (r) => String(randInt(r.rand, 1, 9)) + randomDigits(r.rand, 15)],
      [
        'payer_iban',
        'iban',
        sometimesNull(0.6, (r) => makeIban(r.rand, pickOne(r.rand, IBAN_COUNTRIES), false)),
      ],
      ['payer_name', 'person_name', (r) => fullName(r.person())],
      ['ip', 'ip_address', (r) => (r.rand() < 0.75 ? ipv4(r.rand) : ipv6(r.rand))],
      ['status', 'none', (r) => pickOne(r.rand, ['authorised', 'captured', 'refused', 'refunded'])],
      ['auth_code', 'none', (r) => alnum(r.rand, 6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')],
      ['risk_score', 'none', (r) => randInt(r.rand, 0, 100)],
    ],
  },
  {
    name: 'helpdesk_tickets',
    rows: 200,
    locale: en,
    columns: [
      ['ticket_no', 'none', (r) => `HD-${26_000 + r.i}`],
      [
        'subject',
        'none',
        (r) =>
          pickOne(r.rand, [
            'Cannot log in',
            'Where is my order?',
            'Refund request',
            'Invoice wrong',
            'Change of address',
            'App crashes on start',
          ]),
      ],
      [
        'body',
        'free_text',
        (r) => makeNote(r.rand, 'en', 0.35, textPii(r, 'US', 'GB', 'US', REAL_CITIES.US)),
      ],
      ['requester', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.US)],
      [
        'assignee',
        'first_name',
        (r) =>
          pickOne(r.rand, [
            'Priya',
            'Tom',
            'Aisha',
            'Marco',
            'Lena',
            'Kenji',
            'Olivia',
            'Sven',
            'Fatima',
            'Diego',
          ]),
      ],
      ['priority', 'none', (r) => pickOne(r.rand, ['P1', 'P2', 'P3', 'P4'])],
      ['channel', 'none', (r) => pickOne(r.rand, ['email', 'phone', 'chat', 'web'])],
      ['csat', 'none', sometimesNull(0.4, (r) => randInt(r.rand, 1, 5))],
      ['reopened_count', 'none', (r) => randInt(r.rand, 0, 3)],
      ['created', 'none', (r) => datetime(r.rand, '2024-03-01', '2024-11-30')],
    ],
  },
  {
    name: 'kundenservice_nachrichten',
    rows: 160,
    locale: de,
    columns: [
      ['id', 'none', (r) => r.i + 1],
      ['sprache', 'none', (r) => MESSAGE_LANGS[r.i % MESSAGE_LANGS.length] ?? 'de'],
      [
        'nachricht',
        'free_text',
        (r) => {
          const lang = MESSAGE_LANGS[r.i % MESSAGE_LANGS.length] ?? 'de';
          const region = ({ de: 'DE', fr: 'FR', es: 'ES', it: 'IT', nl: 'NL' } as const)[lang];
          return makeNote(r.rand, lang, 0.3, textPii(r, region, region, region, REAL_CITIES[region]));
        },
      ],
      ['kategorie', 'none', (r) => pickOne(r.rand, ['Reklamation', 'Rechnung', 'Lieferung', 'Sonstiges'])],
      ['bearbeiter_kuerzel', 'none', (r) => alnum(r.rand, 3, 'ABCDEFGHIJKLMNOPRSTUVWZ')],
      ['antwortzeit_min', 'none', (r) => randInt(r.rand, 1, 2880)],
    ],
  },
  {
    name: 'iot_gateway_logs',
    rows: 250,
    locale: en,
    columns: [
      ['ts', 'none', (r) => datetime(r.rand, '2024-10-01', '2024-10-31')],
      ['device_id', 'none', (r) => `dev-${padNumber(randInt(r.rand, 1, 400), 5)}`],
      ['mac', 'mac_address', (r) => mac(r.rand, r.rand() < 0.5 ? 'colon' : 'dash')],
      ['ipv4', 'ip_address', (r) => ipv4(r.rand)],
      ['ipv6', 'ip_address', sometimesNull(0.3, (r) => ipv6(r.rand))],
      ['firmware', 'none', (r) => versionLikeIp(r.rand)],
      ['rssi_dbm', 'none', (r) => -randInt(r.rand, 30, 95)],
      ['temp_c', 'none', (r) => (12 + r.rand() * 25).toFixed(4)],
      ['humidity_pct', 'none', (r) => (20 + r.rand() * 60).toFixed(1)],
      ['log_line', 'free_text', (r) => makeIotLogLine(r.rand, ipv4(r.rand), mac(r.rand, 'colon'))],
      ['level', 'none', (r) => pickOne(r.rand, ['DEBUG', 'INFO', 'WARN', 'ERROR'])],
      ['uptime_s', 'none', (r) => randInt(r.rand, 10, 5_000_000)],
    ],
  },
  {
    name: 'network_inventory',
    rows: 90,
    locale: en,
    columns: [
      [
        'hostname',
        'none',
        (r) =>
          `${pickOne(r.rand, ['sw', 'rtr', 'ap', 'fw'])}-${pickOne(r.rand, ['fra', 'ams', 'lon', 'par'])}-${padNumber(r.i + 1, 3)}`,
      ],
      ['c1', 'ip_address', (r) => ipv4(r.rand)],
      ['c2', 'mac_address', (r) => mac(r.rand, 'cisco')],
      [
        'c3',
        'none',
        (r) => `FOC${randomDigits(r.rand, 4)}${alnum(r.rand, 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
      ],
      ['c4', 'none', (r) => versionLikeIp(r.rand)],
      ['vlan', 'none', (r) => randInt(r.rand, 1, 4094)],
      ['rack_pos', 'none', (r) => `R${randInt(r.rand, 1, 20)}U${randInt(r.rand, 1, 42)}`],
      [
        'mgmt_url',
        'url_with_credentials',
        (r) =>
          `https://${pickOne(r.rand, ['admin', 'netops', 'root'])}:${alnum(r.rand, 12)}@${ipv4(r.rand)}/`,
      ],
      ['snmp_community', 'secret', (r) => alnum(r.rand, 20)],
      [
        'notes',
        'none',
        (r) => pickOne(r.rand, ['replaced PSU 2023', '', 'uplink to core', 'spare', 'EOL 2026']),
      ],
    ],
  },
  {
    name: 'clinic_appointments',
    rows: 170,
    locale: en_US,
    columns: [
      ['appt_id', 'none', (r) => 900_000 + r.i],
      ['patient_mrn', 'identifier', (r) => `MRN${randomDigits(r.rand, 8)}`],
      ['pt_name', 'person_name', (r) => `${r.person().last}, ${r.person().first}`],
      ['dob', 'date_of_birth', (r) => iso(r.person().birth)],
      ['appt_date', 'none', (r) => iso(makeDateBetween(r.rand, '2025-01-02', '2025-06-30'))],
      [
        'appt_time',
        'none',
        (r) => `${padNumber(randInt(r.rand, 8, 17), 2)}:${pickOne(r.rand, ['00', '15', '30', '45'])}`,
      ],
      ['clinician', 'person_name', (r) => `Dr. ${fullName(makePerson(r.f, r.rand))}`],
      [
        'dept',
        'none',
        (r) => pickOne(r.rand, ['Cardiology', 'Dermatology', 'Family Medicine', 'Orthopedics', 'Pediatrics']),
      ],
      [
        'reason_code',
        'none',
        (r) => pickOne(r.rand, ['J45.909', 'I10', 'E11.9', 'M54.5', 'Z00.00', 'L20.9']),
      ],
      [
        'notes',
        'free_text',
        (r) =>
          makeClinicalNote(r.rand, () => {
            const p = r.person();
            return {
              ...textPii(r, 'US', 'GB', 'US', REAL_CITIES.US)(),
              name: fullName(p),
              dob: formatDate(p.birth, 'MM/DD/YYYY'),
            };
          }),
      ],
      [
        'insurance_member_id',
        'identifier',
        (r) => `${alnum(r.rand, 3, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${randomDigits(r.rand, 9)}`,
      ],
      ['copay_usd', 'none', (r) => pickOne(r.rand, [0, 10, 20, 25, 40, 50])],
      ['no_show', 'none', (r) => r.rand() < 0.08],
    ],
  },
  {
    name: 'gp_patient_register',
    rows: 140,
    locale: en_GB,
    columns: [
      ['nhs_number', 'national_id', (r) => makeNhsNumber(r.rand)],
      [
        'title',
        'none',
        (r) =>
          r.person().female ? pickOne(r.rand, ['Mrs', 'Ms', 'Miss', 'Dr']) : pickOne(r.rand, ['Mr', 'Dr']),
      ],
      ['forename', 'first_name', (r) => r.person().first],
      ['surname', 'last_name', (r) => r.person().last],
      ['birth_date', 'date_of_birth', (r) => iso(r.person().birth)],
      ['ni_no', 'uk_nino', sometimesNull(0.15, (r) => makeNino(r.rand, r.rand() < 0.5))],
      ['postcode', 'postal_code', (r) => makePostcode(r.rand, 'GB')],
      ['address_line_1', 'street_address', (r) => r.f.location.streetAddress()],
      ['town', 'city', (r) => pickOne(r.rand, REAL_CITIES.GB)],
      [
        'gp_practice_code',
        'none',
        (r) =>
          `${pickOne(r.rand, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Y'])}${randomDigits(r.rand, 5)}`,
      ],
      ['home_tel', 'phone', sometimesNull(0.3, (r) => makePhone(r.rand, 'GB', 'national'))],
      ['registered_on', 'none', (r) => iso(makeDateBetween(r.rand, '1995-01-01', '2024-12-01'))],
    ],
  },
  {
    name: 'benefits_enrollment_us',
    rows: 150,
    locale: en_US,
    columns: [
      ['enrollment_id', 'none', (r) => `ENR-${2024}${padNumber(r.i + 1, 5)}`],
      ['ssn', 'ssn', (r) => makeSsn(r.rand, r.rand() < 0.8)],
      ['ssn_verified', 'none', (r) => r.rand() < 0.9],
      ['full_name', 'person_name', (r) => fullName(r.person())],
      ['dob', 'date_of_birth', (r) => formatDate(r.person().birth, 'MM/DD/YYYY')],
      ['zip', 'postal_code', (r) => makePostcode(r.rand, 'US')],
      ['state', 'none', (r) => r.f.location.state({ abbreviated: true })],
      ['address1', 'street_address', (r) => r.f.location.streetAddress()],
      ['plan_code', 'none', (r) => pickOne(r.rand, ['PPO-500', 'HMO-250', 'HDHP-3000', 'EPO-1000'])],
      ['dependents', 'none', (r) => randInt(r.rand, 0, 5)],
      ['monthly_premium', 'none', (r) => money(r.rand, 80, 1400)],
      ['email_opt_in', 'none', (r) => r.rand() < 0.4],
    ],
  },
  {
    name: 'export_20240611',
    rows: 160,
    locale: en_GB,
    columns: [
      ['c1', 'none', (r) => r.i + 1],
      ['c2', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.GB)],
      ['c3', 'none', (r) => randInt(r.rand, 0, 250)],
      ['c4', 'phone', (r) => makePhone(r.rand, 'GB', 'mixed')],
      ['c5', 'person_name', (r) => fullName(r.person())],
      ['c6', 'date_of_birth', (r) => iso(r.person().birth)],
      ['c7', 'none', (r) => money(r.rand, 0, 3000)],
      ['c8', 'iban', (r) => makeIban(r.rand, 'GB', false)],
      ['c9', 'none', (r) => pickOne(r.rand, ['active', 'dormant', 'closed'])],
      ['c10', 'credit_card', (r) => makeCardNumber(r.rand, ' ')],
      ['c11', 'ip_address', (r) => ipv4(r.rand)],
      ['c12', 'none', (r) => versionLikeIp(r.rand)],
      ['c13', 'none', (r) => hex(r.rand, 64)],
      ['c14', 'secret', (r) => `sk_live_${alnum(r.rand, 24)}`],
      ['c15', 'none', (r) => iso(makeDateBetween(r.rand, '2023-01-01', '2024-06-01'))],
      ['c16', 'postal_code', (r) => makePostcode(r.rand, 'GB')],
      ['c17', 'uk_nino', (r) => makeNino(r.rand, false)],
    ],
  },
  {
    name: 'legacy_dump',
    rows: 140,
    locale: nl,
    columns: [
      ['field_1', 'none', (r) => 10_000 + r.i],
      ['field_2', 'first_name', (r) => r.person().first],
      ['field_3', 'last_name', (r) => r.person().last],
      ['field_4', 'street_address', (r) => r.f.location.streetAddress()],
      ['field_5', 'postal_code', (r) => makePostcode(r.rand, 'NL')],
      ['field_6', 'city', (r) => pickOne(r.rand, REAL_CITIES.NL)],
      ['field_7', 'national_id', (r) => makeBsn(r.rand)],
      ['field_8', 'mac_address', (r) => mac(r.rand, 'bare')],
      ['field_9', 'geo_coordinate', (r) => `${latitude(r.rand, 50.8, 53.4)},${latitude(r.rand, 3.4, 7.1)}`],
      ['field_10', 'none', (r) => randInt(r.rand, 1, 99_999)],
      ['field_11', 'none', (r) => iso(makeDateBetween(r.rand, '2019-01-01', '2024-12-01'))],
      ['field_12', 'phone', (r) => makePhone(r.rand, 'NL', 'national')],
      ['field_13', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.NL)],
      ['field_14', 'none', (r) => pickOne(r.rand, ['J', 'N'])],
    ],
  },
  {
    name: 'webshop_orders',
    rows: 200,
    locale: en_US,
    columns: [
      // 16-digit order numbers: random ones pass Luhn one time in ten; these never carry an issuer prefix.
      [
        'order_number',
        'none',
        (r) => {
          const b = '1000' + randomDigits(r.rand, 11);
          return b + String(computeLuhnDigit(b));
        },
      ],
      ['legacy_order_ref', 'none', (r) => String(randInt(r.rand, 1, 9)) + randomDigits(r.rand, 15)],
      ['invoice_no', 'none', (r) => `INV-2024-${padNumber(r.i + 1, 6)}`],
      [
        'sku',
        'none',
        (r) =>
          `${pickOne(r.rand, ['TS', 'HD', 'KB', 'MS'])}-${alnum(r.rand, 2, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}-${randomDigits(r.rand, 5)}`,
      ],
      [
        'ean13',
        'none',
        (r) => {
          const b = '40' + randomDigits(r.rand, 10);
          let s = 0;
          for (let k = 0; k < 12; k++) s += Number(b[k]) * (k % 2 === 0 ? 1 : 3);
          return b + String((10 - (s % 10)) % 10);
        },
      ],
      ['qty', 'none', (r) => randInt(r.rand, 1, 12)],
      ['unit_price', 'none', (r) => money(r.rand, 2, 400)],
      ['email_count', 'none', (r) => randInt(r.rand, 0, 12)],
      [
        'phone_model',
        'none',
        (r) =>
          pickOne(r.rand, [
            'iPhone 15 Pro',
            'iPhone 13',
            'Galaxy S23',
            'Pixel 8',
            'Xperia 10 V',
            'Moto G84',
            'Nokia G42',
            'OnePlus 12',
          ]),
      ],
      ['shipping_zone', 'none', (r) => pickOne(r.rand, ['Z1', 'Z2', 'Z3', 'INTL'])],
      [
        'coupon_code',
        'none',
        sometimesNull(
          0.6,
          (r) =>
            `${pickOne(r.rand, ['SPRING', 'WELCOME', 'VIP'])}-${alnum(r.rand, 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`,
        ),
      ],
      [
        'tracking_number',
        'none',
        (r) => `1Z${alnum(r.rand, 6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}${randomDigits(r.rand, 10)}`,
      ],
      ['buyer_email', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.US)],
      [
        'ship_to',
        'street_address',
        (r) =>
          `${r.f.location.streetAddress()}, ${pickOne(r.rand, REAL_CITIES.US)}, ${r.f.location.state({ abbreviated: true })} ${makePostcode(r.rand, 'US')}`,
      ],
      ['customer_ip', 'ip_address', (r) => ipv4(r.rand)],
      ['placed_at', 'none', (r) => datetime(r.rand, '2024-01-01', '2024-12-31')],
    ],
  },
  {
    name: 'app_users',
    rows: 180,
    locale: en_IN,
    columns: [
      ['id', 'none', (r) => r.i + 1],
      ['username', 'identifier', (r) => makeUsername(r.rand, r.person())],
      ['email', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.IN)],
      ['display_name', 'person_name', (r) => fullName(r.person())],
      ['avatar_url', 'none', (r) => `https://cdn.example.com/avatars/${hex(r.rand, 16)}.png`],
      ['last_login_ip', 'ip_address', (r) => (r.rand() < 0.8 ? ipv4(r.rand) : ipv6(r.rand))],
      ['locale', 'none', (r) => pickOne(r.rand, ['en-IN', 'hi-IN', 'en-GB', 'ta-IN'])],
      ['timezone', 'none', (r) => pickOne(r.rand, ['Asia/Kolkata', 'Europe/London', 'Asia/Dubai'])],
      [
        'totp_secret',
        'secret',
        sometimesNull(0.5, (r) => alnum(r.rand, 32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')),
      ],
      ['api_token', 'secret', (r) => `ghp_${alnum(r.rand, 36)}`],
      ['created_at', 'none', (r) => datetime(r.rand, '2020-01-01', '2024-12-01')],
      ['login_count', 'none', (r) => randInt(r.rand, 0, 3000)],
      ['is_admin', 'none', (r) => r.rand() < 0.03],
      ['referral_code', 'none', (r) => alnum(r.rand, 8, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')],
      ['mobile', 'phone', sometimesNull(0.3, (r) => makePhone(r.rand, 'IN', 'mixed'))],
    ],
  },
  {
    name: 'service_config',
    rows: 60,
    locale: en,
    columns: [
      [
        'service',
        'none',
        (r) => pickOne(r.rand, ['orders', 'billing', 'search', 'auth', 'reports', 'mailer']),
      ],
      ['env', 'none', (r) => pickOne(r.rand, ['dev', 'staging', 'prod'])],
      [
        'db_url',
        'url_with_credentials',
        (r) =>
          pickOne(r.rand, [
            () =>
              `postgres://${pickOne(r.rand, ['app', 'svc_orders', 'report_ro'])}:${alnum(r.rand, 16)}@db-${r.i}.internal:5432/${pickOne(r.rand, ['orders', 'billing', 'main'])}`,
            () =>
              `mysql://root:${alnum(r.rand, 12)}@10.0.${randInt(r.rand, 0, 9)}.${randInt(r.rand, 2, 250)}:3306/shop`,
            () =>
              `mongodb+srv://admin:${alnum(r.rand, 14)}@cluster0.${alnum(r.rand, 5, 'abcdefghijklmnopqrstuvwxyz0123456789')}.mongodb.net/?retryWrites=true&w=majority`,
          ])(),
      ],
      [
        'broker_url',
        'url_with_credentials',
        (r) =>
          `amqp://${pickOne(r.rand, ['guest', 'svc', 'events'])}:${alnum(r.rand, 10)}@rabbit-${randInt(r.rand, 1, 3)}:5672/`,
      ],
      ['aws_access_key_id', 'secret', (r) => `AKIA${alnum(r.rand, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`],
      [
        'aws_secret_access_key',
        'secret',
        (r) => alnum(r.rand, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
      ],
      ['git_sha', 'none', (r) => hex(r.rand, 40)],
      ['image_digest', 'none', (r) => `sha256:${hex(r.rand, 64)}`],
      [
        'docker_image',
        'none',
        (r) =>
          `registry.example.com/${pickOne(r.rand, ['orders', 'billing', 'search'])}:${randInt(r.rand, 1, 4)}.${randInt(r.rand, 0, 30)}.${randInt(r.rand, 0, 9)}`,
      ],
      ['build_no', 'none', (r) => randInt(r.rand, 1000, 9999)],
      ['replicas', 'none', (r) => randInt(r.rand, 1, 12)],
      [
        'health_url',
        'none',
        (r) => `https://${pickOne(r.rand, ['orders', 'billing', 'search'])}.example.com/healthz?verbose=1`,
      ],
      ['max_token_count', 'none', (r) => pickOne(r.rand, [1024, 2048, 4096, 8192])],
    ],
  },
  {
    name: 'store_locator',
    rows: 80,
    locale: de_AT,
    columns: [
      ['store_id', 'none', (r) => 100 + r.i],
      ['store_name', 'none', (r) => `Filiale ${r.f.location.city()}`],
      ['latitude', 'geo_coordinate', (r) => latitude(r.rand, 46.4, 48.9)],
      ['longitude', 'geo_coordinate', (r) => latitude(r.rand, 9.6, 17.1)],
      ['anschrift', 'street_address', (r) => r.f.location.streetAddress()],
      ['plz', 'postal_code', (r) => makePostcode(r.rand, 'AT')],
      [
        'oeffnungszeiten',
        'none',
        (r) => pickOne(r.rand, ['Mo-Fr 8-18, Sa 8-13', 'Mo-Sa 7:30-20', 'Mo-Fr 9-19']),
      ],
      ['filialleiter', 'person_name', (r) => fullName(r.person())],
      ['telefon', 'phone', (r) => makePhone(r.rand, 'AT', 'mixed')],
      ['verkaufsflaeche_m2', 'none', (r) => randInt(r.rand, 180, 2400)],
      ['avg_basket_eur', 'none', (r) => money(r.rand, 8, 90)],
    ],
  },
  {
    name: 'sensor_readings',
    rows: 220,
    locale: en,
    columns: [
      ['sensor_id', 'none', (r) => `S${padNumber(randInt(r.rand, 1, 64), 3)}`],
      ['ts', 'none', (r) => datetime(r.rand, '2024-11-01', '2024-11-07')],
      ['lat_ms', 'none', (r) => (0.4 + r.rand() * 60).toFixed(3)],
      ['accel_x', 'none', (r) => (r.rand() * 4 - 2).toFixed(6)],
      ['accel_y', 'none', (r) => (r.rand() * 4 - 2).toFixed(6)],
      ['temp', 'none', (r) => (-5 + r.rand() * 40).toFixed(5)],
      ['pressure_hpa', 'none', (r) => (980 + r.rand() * 50).toFixed(2)],
      ['x_m', 'none', (r) => (r.rand() * 120).toFixed(3)],
      ['y_m', 'none', (r) => (r.rand() * 80).toFixed(3)],
      ['battery_v', 'none', (r) => (3 + r.rand() * 1.2).toFixed(3)],
      ['fw', 'none', (r) => versionLikeIp(r.rand)],
      ['exchange_rate', 'none', (r) => (1.02 + r.rand() * 0.12).toFixed(6)],
    ],
  },
  {
    name: 'nps_survey_responses',
    rows: 190,
    locale: en_US,
    columns: [
      ['resp_id', 'none', (r) => uuid(r.rand)],
      ['submitted', 'none', (r) => datetime(r.rand, '2024-06-01', '2024-07-01')],
      ['age_band', 'none', (r) => pickOne(r.rand, ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'])],
      ['q1_score', 'none', (r) => randInt(r.rand, 1, 5)],
      ['q2_score', 'none', (r) => randInt(r.rand, 1, 5)],
      ['nps', 'none', (r) => randInt(r.rand, 0, 10)],
      [
        'comment',
        'free_text',
        (r) =>
          r.rand() < 0.2
            ? pickOne(r.rand, [
                `Please have ${r.person().first} from your team call me at ${makePhone(r.rand, 'US', 'national')}.`,
                `Contact me at ${makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.US)} about the billing error.`,
                `My name is ${fullName(r.person())} and I have been a customer for ten years.`,
              ])
            : pickOne(r.rand, [
                'Great service!',
                'Delivery was slow.',
                'App keeps logging me out.',
                'Prices went up too much.',
                'Love the new checkout.',
                'n/a',
                '',
              ]),
      ],
      ['contact_me', 'none', (r) => r.rand() < 0.35],
      [
        'contact_email',
        'email',
        sometimesNull(0.6, (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.US)),
      ],
      ['respondent_zip', 'postal_code', (r) => makePostcode(r.rand, 'US').slice(0, 5)],
    ],
  },
  {
    name: 'karta_lojalnosciowa_pl',
    rows: 120,
    locale: pl,
    columns: [
      ['nr_klienta', 'none', (r) => 70_000 + r.i],
      ['imie', 'first_name', (r) => r.person().first],
      ['nazwisko', 'last_name', (r) => r.person().last],
      ['pesel', 'national_id', (r) => makePesel(r.rand, r.person().birth, r.person().female)],
      ['data_urodzenia', 'date_of_birth', (r) => iso(r.person().birth)],
      ['ulica', 'street_address', (r) => r.f.location.streetAddress()],
      ['kod_pocztowy', 'postal_code', (r) => makePostcode(r.rand, 'PL')],
      ['miasto', 'city', (r) => pickOne(r.rand, REAL_CITIES.PL)],
      ['telefon', 'phone', (r) => makePhone(r.rand, 'PL', 'mixed')],
      ['e_mail', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.PL)],
      ['punkty', 'none', (r) => randInt(r.rand, 0, 20_000)],
    ],
  },
  {
    name: 'kundregister_se',
    rows: 110,
    locale: sv,
    columns: [
      ['kundnummer', 'none', (r) => `K${padNumber(r.i + 1, 6)}`],
      ['fornamn', 'first_name', (r) => r.person().first],
      ['efternamn', 'last_name', (r) => r.person().last],
      ['personnummer', 'national_id', (r) => makePersonnummer(r.rand, r.person().birth, r.rand() < 0.5)],
      ['adress', 'street_address', (r) => r.f.location.streetAddress()],
      ['postnummer', 'postal_code', (r) => makePostcode(r.rand, 'SE')],
      ['ort', 'city', (r) => pickOne(r.rand, REAL_CITIES.SE)],
      ['mobilnummer', 'phone', (r) => makePhone(r.rand, 'SE', 'mixed')],
      ['epost', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.SE)],
      ['medlem_sedan', 'none', (r) => iso(makeDateBetween(r.rand, '2012-01-01', '2024-12-01'))],
    ],
  },
  {
    name: 'contatos_br',
    rows: 110,
    locale: pt_BR,
    columns: [
      ['nome_completo', 'person_name', (r) => fullName(r.person())],
      ['cpf', 'national_id', (r) => makeCpf(r.rand)],
      ['data_nasc', 'date_of_birth', (r) => formatDate(r.person().birth, 'DD/MM/YYYY')],
      ['celular', 'phone', (r) => makePhone(r.rand, 'BR', 'mixed')],
      ['email', 'email', (r) => makeEmailFor(r.rand, r.person(), MAIL_DOMAINS.BR)],
      ['cep', 'postal_code', (r) => makePostcode(r.rand, 'BR')],
      ['logradouro', 'street_address', (r) => r.f.location.streetAddress()],
      ['cidade', 'city', (r) => pickOne(r.rand, REAL_CITIES.BR)],
      ['uf', 'none', (r) => pickOne(r.rand, ['SP', 'RJ', 'MG', 'BA', 'PR', 'RS', 'PE', 'CE'])],
      ['valor_compras', 'none', (r) => money(r.rand, 0, 8000)],
    ],
  },
  {
    name: 'call_center_log',
    rows: 200,
    locale: en_GB,
    columns: [
      ['call_id', 'none', (r) => `C${padNumber(r.i + 1, 7)}`],
      ['caller_number', 'phone', (r) => makePhone(r.rand, 'GB', 'international').replace(/ /g, '')],
      ['callee_ext', 'none', (r) => randInt(r.rand, 200, 4999)],
      ['agent_id', 'none', (r) => `AG${randInt(r.rand, 100, 180)}`],
      ['duration_s', 'none', (r) => randInt(r.rand, 12, 2400)],
      ['queue', 'none', (r) => pickOne(r.rand, ['billing', 'tech', 'sales', 'retention'])],
      ['wrapup_code', 'none', (r) => pickOne(r.rand, ['RESOLVED', 'CALLBACK', 'TRANSFER', 'ABANDONED'])],
      [
        'transcript_snippet',
        'free_text',
        (r) => makeTranscript(r.rand, textPii(r, 'GB', 'GB', 'GB', REAL_CITIES.GB)),
      ],
      ['recording_url', 'none', (r) => `https://recordings.example.net/2024/${hex(r.rand, 12)}.wav`],
    ],
  },
  {
    name: 'campaign_stats',
    rows: 100,
    locale: en,
    columns: [
      ['campaign_id', 'none', (r) => `cmp_${hex(r.rand, 10)}`],
      [
        'name',
        'none',
        (r) =>
          `${pickOne(r.rand, ['Spring', 'Summer', 'Black Friday', 'Winter', 'Back to School'])} ${pickOne(r.rand, ['Sale', 'Launch', 'Reminder', 'Newsletter'])} ${randInt(r.rand, 2021, 2024)}`,
      ],
      ['channel', 'none', (r) => pickOne(r.rand, ['email', 'sms', 'push', 'display'])],
      ['emails_sent', 'none', (r) => randInt(r.rand, 1000, 500_000)],
      ['emails_opened', 'none', (r) => randInt(r.rand, 100, 100_000)],
      ['phone_calls_made', 'none', (r) => randInt(r.rand, 0, 900)],
      ['sms_sent', 'none', (r) => randInt(r.rand, 0, 50_000)],
      ['click_rate', 'none', (r) => (r.rand() * 0.12).toFixed(4)],
      ['cost_eur', 'none', (r) => money(r.rand, 50, 40_000)],
      ['start_date', 'none', (r) => iso(makeDateBetween(r.rand, '2021-01-01', '2024-10-01'))],
      ['owner_team', 'none', (r) => pickOne(r.rand, ['CRM', 'Growth', 'Brand'])],
      ['utm_source', 'none', (r) => pickOne(r.rand, ['newsletter', 'facebook', 'google', 'partner'])],
      ['address_book_size', 'none', (r) => randInt(r.rand, 1000, 900_000)],
    ],
  },
  {
    name: 'staff_directory',
    rows: 120,
    locale: en_IN,
    columns: [
      ['emp_code', 'identifier', (r) => `E${randomDigits(r.rand, 5)}`],
      ['name', 'person_name', (r) => fullName(r.person())],
      [
        'work_email',
        'email',
        (r) => `${makeEmailFor(r.rand, r.person(), ['x']).split('@')[0]}@${pickOne(r.rand, WORK_DOMAINS)}`,
      ],
      ['desk_phone', 'phone', (r) => makePhone(r.rand, 'IN', 'international')],
      ['manager_name', 'person_name', (r) => fullName(makePerson(r.f, r.rand))],
      [
        'passport_no',
        'identifier',
        sometimesNull(
          0.4,
          (r) =>
            `${pickOne(r.rand, ['J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'U', 'V', 'W', 'Z'])}${randomDigits(r.rand, 7)}`,
        ),
      ],
      ['hire_dt', 'none', (r) => iso(makeDateBetween(r.rand, '2010-01-01', '2024-12-01'))],
      ['grade', 'none', (r) => pickOne(r.rand, ['L1', 'L2', 'L3', 'M1', 'M2'])],
      [
        'review_comment',
        'free_text',
        (r) => makeReviewComment(r.rand, fullName(r.person()), r.person().first),
      ],
    ],
  },
  {
    name: 'kyc_checks',
    rows: 120,
    locale: fr_BE,
    columns: [
      ['check_id', 'none', (r) => uuid(r.rand)],
      ['holder', 'person_name', (r) => fullName(r.person())],
      ['rijksregisternummer', 'national_id', (r) => makeBelgianNrn(r.rand, r.person().birth)],
      ['doc_type', 'none', (r) => pickOne(r.rand, ['passport', 'id_card', 'residence_permit'])],
      ['doc_expiry', 'none', (r) => iso(makeDateBetween(r.rand, '2025-02-01', '2034-12-31'))],
      ['birth_dt', 'date_of_birth', (r) => iso(r.person().birth)],
      ['nationality', 'none', (r) => pickOne(r.rand, ['BE', 'FR', 'NL', 'DE', 'MA', 'TR', 'IT'])],
      ['selfie_match_score', 'none', (r) => (0.6 + r.rand() * 0.4).toFixed(3)],
      ['gsm', 'phone', (r) => makePhone(r.rand, 'BE', 'mixed')],
      ['iban_valid', 'none', (r) => r.rand() < 0.95],
      ['rekening', 'iban', (r) => makeIban(r.rand, 'BE', r.rand() < 0.5)],
    ],
  },
  {
    name: 'web_analytics_events',
    rows: 250,
    locale: en,
    columns: [
      ['event_id', 'none', (r) => uuid(r.rand)],
      ['session_hash', 'none', (r) => hex(r.rand, 40)],
      [
        'page_path',
        'none',
        (r) => pickOne(r.rand, ['/', '/pricing', '/blog/how-we-test', '/signup', '/docs/api']),
      ],
      [
        'referrer',
        'none',
        (r) =>
          pickOne(r.rand, [
            'https://www.google.com/',
            'https://medium.com/@devrel/testing-data-42',
            'https://news.ycombinator.com/item?id=41234567',
            '',
          ]),
      ],
      [
        'user_agent',
        'none',
        (r) =>
          pickOne(r.rand, [
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
          ]),
      ],
      ['client_ip', 'ip_address', (r) => (r.rand() < 0.7 ? ipv4(r.rand) : ipv6(r.rand))],
      ['country', 'none', (r) => pickOne(r.rand, ['DE', 'US', 'GB', 'FR', 'IN'])],
      ['screen_res', 'none', (r) => pickOne(r.rand, ['1920x1080', '390x844', '1440x900', '2560x1440'])],
      ['duration_ms', 'none', (r) => randInt(r.rand, 40, 600_000)],
      [
        'utm_campaign',
        'none',
        sometimesNull(0.7, (r) => pickOne(r.rand, ['spring24', 'bf2024', 'retarget_q3'])),
      ],
    ],
  },
  {
    name: 'sepa_transfers',
    rows: 170,
    locale: de,
    columns: [
      ['transfer_id', 'none', (r) => `TRF${padNumber(r.i + 1, 8)}`],
      ['auftraggeber', 'person_name', (r) => fullName(r.person())],
      [
        'auftraggeber_iban',
        'iban',
        (r) => makeIban(r.rand, pickOne(r.rand, ['DE', 'AT', 'NL', 'FR', 'LU']), r.rand() < 0.5),
      ],
      ['empfaenger', 'none', (r) => r.f.company.name()],
      [
        'bic',
        'none',
        (r) => pickOne(r.rand, ['COBADEFFXXX', 'DEUTDEFF', 'INGBNL2A', 'BNPAFRPP', 'GENODEF1S04']),
      ],
      [
        'verwendungszweck',
        'none',
        (r) =>
          `Rechnung ${randInt(r.rand, 2023, 2024)}-${padNumber(randInt(r.rand, 1, 9999), 5)} / Kd-Nr ${randomDigits(r.rand, 6)}`,
      ],
      ['betrag_eur', 'none', (r) => money(r.rand, 5, 12_000)],
      ['end_to_end_id', 'none', (r) => `E2E${alnum(r.rand, 20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`],
      ['buchungsdatum', 'none', (r) => iso(makeDateBetween(r.rand, '2024-01-01', '2024-12-31'))],
      ['mandatsreferenz', 'none', (r) => `MR-${randomDigits(r.rand, 10)}`],
    ],
  },
  {
    name: 'delivery_addresses_fr',
    rows: 140,
    locale: fr,
    columns: [
      ['id_livraison', 'none', (r) => r.i + 1],
      [
        'destinataire',
        'person_name',
        (r) =>
          r.rand() < 0.5 ? fullName(r.person()) : `${r.person().last.toUpperCase()} ${r.person().first}`,
      ],
      ['rue', 'street_address', (r) => r.f.location.streetAddress()],
      [
        'complement',
        'none',
        sometimesNull(0.6, (r) =>
          pickOne(r.rand, ['Bâtiment B', 'Digicode 4521', '3e étage', 'Porte gauche']),
        ),
      ],
      ['cp', 'postal_code', (r) => makePostcode(r.rand, 'FR')],
      ['commune', 'city', (r) => pickOne(r.rand, REAL_CITIES.FR)],
      ['tel', 'phone', (r) => makePhone(r.rand, 'FR', 'mixed')],
      [
        'instructions',
        'free_text',
        (r) =>
          r.rand() < 0.25
            ? pickOne(r.rand, [
                `Appeler ${r.person().first} au ${makePhone(r.rand, 'FR', 'national')} en arrivant.`,
                `Si absent, laisser chez Mme ${fullName(makePerson(r.f, r.rand))} (voisine).`,
              ])
            : pickOne(r.rand, ['Laisser devant la porte.', 'Sonner deux fois.', 'Livraison après 18h.', '']),
      ],
      ['poids_kg', 'none', (r) => (0.2 + r.rand() * 25).toFixed(2)],
      ['transporteur', 'none', (r) => pickOne(r.rand, ['Colissimo', 'Chronopost', 'DPD', 'Mondial Relay'])],
    ],
  },
  {
    name: 'credentials_audit',
    rows: 70,
    locale: en,
    columns: [
      [
        'account',
        'none',
        (r) => pickOne(r.rand, ['svc-backup', 'svc-etl', 'jenkins', 'grafana', 'ci-runner', 'reporting']),
      ],
      [
        'pwd',
        'secret',
        (r) =>
          pickOne(r.rand, [
            () =>
              `${pickOne(r.rand, ['Summer', 'Winter', 'Welcome', 'Passw0rd', 'Company', 'Autumn'])}${randInt(r.rand, 2018, 2025)}${pickOne(r.rand, ['!', '#', '?', ''])}`,
            () => alnum(r.rand, 14, 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%'),
          ])(),
      ],
      [
        'slack_bot_token',
        'secret',
        (r) => `xoxb-${randomDigits(r.rand, 12)}-${randomDigits(r.rand, 13)}-${alnum(r.rand, 24)}`,
      ],
      [
        'jwt',
        'secret',
        (r) =>
          `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${alnum(r.rand, 60, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}.${alnum(r.rand, 43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`,
      ],
      ['password_min_length', 'none', (r) => pickOne(r.rand, [8, 10, 12, 14])],
      ['password_last_changed', 'none', (r) => iso(makeDateBetween(r.rand, '2022-01-01', '2024-12-01'))],
      ['file_md5', 'none', (r) => hex(r.rand, 32)],
      [
        'repo_url',
        'url_with_credentials',
        (r) =>
          `https://${pickOne(r.rand, ['deploy', 'ci', 'x-access-token'])}:${alnum(r.rand, 20)}@git.example.org/platform/${pickOne(r.rand, ['api', 'web', 'infra'])}.git`,
      ],
      [
        'docs_url',
        'none',
        (r) =>
          `https://wiki.example.org/display/OPS/${pickOne(r.rand, ['Rotation', 'Backups', 'Secrets+Policy'])}`,
      ],
      ['rotation_days', 'none', (r) => pickOne(r.rand, [30, 60, 90, 180])],
    ],
  },
];

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Renders one table spec to CSV text and its label map, from its own seed. */
export function renderTable(spec: TableSpec, seed: number): { csv: string; labels: Record<string, Label> } {
  const rand = prng(seed);
  const f = new Faker({ locale: [spec.locale, en, base] });
  f.seed(seed);
  const lines = [spec.columns.map(([name]) => csvCell(name)).join(',')];
  for (let i = 0; i < spec.rows; i++) {
    let person: Person | undefined;
    const ctx: RowContext = {
      i,
      rand,
      f,
      person: () => (person ??= makePerson(f, rand)),
    };
    lines.push(spec.columns.map(([, , make]) => csvCell(make(ctx))).join(','));
  }
  const labels: Record<string, Label> = {};
  for (const [name, label] of spec.columns) labels[name] = label;
  return { csv: lines.join('\n') + '\n', labels };
}

function main(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const labels: Record<string, Record<string, Label>> = {};
  let columns = 0;
  TABLES.forEach((spec, k) => {
    const out = renderTable(spec, 7_000_001 + k * 7919);
    writeFileSync(path.join(OUT, `${spec.name}.csv`), out.csv);
    labels[spec.name] = out.labels;
    columns += spec.columns.length;
  });
  writeFileSync(path.join(OUT, 'labels.json'), JSON.stringify(labels, null, 2) + '\n');
  console.log(`wrote ${TABLES.length} tables, ${columns} columns to ${path.relative(process.cwd(), OUT)}`);
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) main();
