/**
 * Check-digit generators for the holdout corpus, written from the public specifications and
 * deliberately independent of core/pii (the corpus must not share code with what it measures).
 */

/** A seeded random source: uniform floats in [0, 1). */
export type Rand = () => number;

/** An integer in [lo, hi], both included. */
export function randInt(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** One element of a non-empty list. */
export function pickOne<T>(rand: Rand, list: readonly T[]): T {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) throw new Error('pickOne on an empty list');
  return v;
}

/** A string of n random decimal digits. */
export function randomDigits(rand: Rand, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

/** Zero-pads an integer to width w. */
export function padNumber(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** The Luhn check digit that completes a digit string. */
export function computeLuhnDigit(body: string): number {
  let sum = 0;
  // The check digit will sit at the right, so the rightmost body digit is doubled.
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a digit string passes the Luhn test. */
export function passesLuhn(digits: string): boolean {
  return computeLuhnDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

const CARD_BRANDS = {
  visa: { prefixes: ['4'], length: 16 },
  mastercard: { prefixes: ['51', '52', '53', '54', '55', '2221', '2300', '2720'], length: 16 },
  amex: { prefixes: ['34', '37'], length: 15 },
  discover: { prefixes: ['6011', '65', '644'], length: 16 },
  jcb: { prefixes: ['3528', '3566', '3589'], length: 16 },
} as const;

/** A Luhn-valid card number of a real issuer range, grouped the way the brand prints it. */
export function makeCardNumber(rand: Rand, separator: '' | ' ' | '-'): string {
  const brand = pickOne(rand, Object.keys(CARD_BRANDS) as (keyof typeof CARD_BRANDS)[]);
  const spec = CARD_BRANDS[brand];
  const prefix = pickOne(rand, spec.prefixes);
  const body = prefix + randomDigits(rand, spec.length - prefix.length - 1);
  const pan = body + String(computeLuhnDigit(body));
  const groups = spec.length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    parts.push(pan.slice(at, at + g));
    at += g;
  }
  return parts.join(separator);
}

function mod97(numeric: string): number {
  let r = 0;
  for (const ch of numeric) r = (r * 10 + Number(ch)) % 97;
  return r;
}

function lettersToDigits(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
}

function spanishControlDigit(ten: string): string {
  const weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(ten[i]) * (weights[i] ?? 0);
  const d = 11 - (sum % 11);
  return String(d === 11 ? 0 : d === 10 ? 1 : d);
}

const IBAN_BBAN: Record<string, (rand: Rand) => string> = {
  DE: (r) => pickOne(r, ['10070000', '50010517', '37040044', '20041133', '70150000']) + randomDigits(r, 10),
  AT: (r) => pickOne(r, ['12000', '20111', '32000']) + randomDigits(r, 11),
  NL: (r) => pickOne(r, ['ABNA', 'INGB', 'RABO', 'TRIO', 'SNSB', 'KNAB']) + randomDigits(r, 10),
  BE: (r) => {
    const d = pickOne(r, ['001', '063', '068', '310', '363', '735', '750', '091']) + randomDigits(r, 7);
    return d + padNumber(Number(BigInt(d) % 97n) || 97, 2);
  },
  FR: (r) => {
    const bank = pickOne(r, ['30004', '30003', '20041', '10278', '30002']);
    const branch = randomDigits(r, 5);
    const account = randomDigits(r, 11);
    const key = 97 - Number((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
    return bank + branch + account + padNumber(key, 2);
  },
  ES: (r) => {
    const bankBranch = pickOne(r, ['2100', '0049', '0182', '2085']) + randomDigits(r, 4);
    const account = randomDigits(r, 10);
    return bankBranch + spanishControlDigit('00' + bankBranch) + spanishControlDigit(account) + account;
  },
  IT: (r) =>
    String.fromCharCode(65 + Math.floor(r() * 26)) +
    pickOne(r, ['03069', '02008', '05034']) +
    randomDigits(r, 5) +
    randomDigits(r, 12),
  PL: (r) => randomDigits(r, 24),
  PT: (r) => randomDigits(r, 21),
  SE: (r) => randomDigits(r, 20),
  GB: (r) => pickOne(r, ['NWBK', 'BARC', 'LOYD', 'HBUK', 'MIDL']) + randomDigits(r, 14),
  IE: (r) => pickOne(r, ['AIBK', 'BOFI']) + randomDigits(r, 14),
  LU: (r) => randomDigits(r, 16),
  CH: (r) => randomDigits(r, 17),
};

/** A mod-97-valid IBAN for the country, compact or printed in groups of four. */
export function makeIban(rand: Rand, country: string, grouped: boolean): string {
  const bban = IBAN_BBAN[country];
  if (bban === undefined) throw new Error(`no IBAN layout for ${country}`);
  const b = bban(rand);
  const check = 98 - mod97(lettersToDigits(b + country + '00'));
  const iban = country + padNumber(check, 2) + b;
  return grouped ? iban.replace(/(.{4})/g, '$1 ').trim() : iban;
}

/** Every IBAN country this module can lay out. */
export const IBAN_COUNTRIES = Object.keys(IBAN_BBAN);

/** A Dutch BSN (nine digits passing the 11-test). */
export function makeBsn(rand: Rand): string {
  for (;;) {
    const body = String(randInt(rand, 1, 9)) + randomDigits(rand, 7);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(body[i]) * (9 - i);
    const last = sum % 11;
    if (last <= 9) return body + String(last);
  }
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** A Spanish DNI (eight digits and the mod-23 letter). */
export function makeDni(rand: Rand): string {
  const n = randInt(rand, 1_000_000, 99_999_999);
  return padNumber(n, 8) + DNI_LETTERS.charAt(n % 23);
}

/** A Spanish NIE (X/Y/Z, seven digits, the mod-23 letter). */
export function makeNie(rand: Rand): string {
  const lead = randInt(rand, 0, 2);
  const n = randInt(rand, 0, 9_999_999);
  return 'XYZ'.charAt(lead) + padNumber(n, 7) + DNI_LETTERS.charAt((lead * 10_000_000 + n) % 23);
}

const CF_ODD: Record<string, number> = {};
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
for (let i = 0; i < 10; i++) CF_ODD[String(i)] = ODD_VALUES[i] ?? 0;
for (let i = 0; i < 26; i++) CF_ODD[String.fromCharCode(65 + i)] = ODD_VALUES[i] ?? 0;

function cfConsonants(s: string): string {
  return s
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .replace(/[AEIOU]/g, '');
}
function cfVowels(s: string): string {
  return s.toUpperCase().replace(/[^AEIOU]/g, '');
}
function cfPart(s: string, isFirstName: boolean): string {
  const c = cfConsonants(s);
  if (isFirstName && c.length >= 4) return c.charAt(0) + c.charAt(2) + c.charAt(3);
  return (c + cfVowels(s) + 'XXX').slice(0, 3);
}

/** An Italian codice fiscale built from the person's names, birth date and a real municipality code. */
export function makeCodiceFiscale(
  rand: Rand,
  first: string,
  last: string,
  birth: Date,
  female: boolean,
): string {
  const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const month = 'ABCDEHLMPRST'.charAt(birth.getUTCMonth());
  const day = birth.getUTCDate() + (female ? 40 : 0);
  const place = pickOne(rand, [
    'H501',
    'F205',
    'L219',
    'F839',
    'A944',
    'D612',
    'G273',
    'L736',
    'C351',
    'B157',
  ]);
  const body =
    cfPart(ascii(last), false) +
    cfPart(ascii(first), true) +
    padNumber(birth.getUTCFullYear() % 100, 2) +
    month +
    padNumber(day, 2) +
    place;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i);
    if (i % 2 === 0) sum += CF_ODD[ch] ?? 0;
    else sum += /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
  }
  return body + String.fromCharCode(65 + (sum % 26));
}

/** A French NIR (social security number) with its 97-complement key. */
export function makeNir(rand: Rand, birth: Date, female: boolean, spaced: boolean): string {
  const sex = female ? '2' : '1';
  const yy = padNumber(birth.getUTCFullYear() % 100, 2);
  const mm = padNumber(birth.getUTCMonth() + 1, 2);
  const dept = padNumber(randInt(rand, 1, 95), 2);
  const commune = padNumber(randInt(rand, 1, 990), 3);
  const order = padNumber(randInt(rand, 1, 999), 3);
  const n = sex + yy + mm + dept + commune + order;
  const key = padNumber(97 - Number(BigInt(n) % 97n), 2);
  return spaced ? `${sex} ${yy} ${mm} ${dept} ${commune} ${order} ${key}` : n + key;
}

/** A German tax id (Steuer-IdNr): one digit twice, one absent, ISO 7064 MOD 11,10 check digit. */
export function makeSteuerId(rand: Rand): string {
  for (;;) {
    const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const missing = randInt(rand, 0, 9);
    const pool = digits.filter((d) => d !== missing);
    pool.push(pickOne(rand, pool));
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = pool[i] as number;
      pool[i] = pool[j] as number;
      pool[j] = t;
    }
    if (pool[0] === 0) continue;
    let product = 10;
    for (const d of pool) {
      let sum = (d + product) % 10;
      if (sum === 0) sum = 10;
      product = (sum * 2) % 11;
    }
    const check = (11 - product) % 10;
    return pool.join('') + String(check);
  }
}

/** A German pension insurance number (Rentenversicherungsnummer) with its check digit. */
export function makeRvnr(
  rand: Rand,
  birth: Date,
  lastName: string,
  female: boolean,
  spaced: boolean,
): string {
  const area = pickOne(rand, [
    '02',
    '04',
    '08',
    '10',
    '12',
    '13',
    '15',
    '16',
    '17',
    '18',
    '23',
    '24',
    '25',
    '26',
    '28',
    '29',
    '38',
    '39',
    '40',
    '42',
    '43',
    '44',
    '45',
    '46',
    '47',
    '48',
    '49',
    '50',
    '51',
    '52',
    '53',
    '54',
    '55',
    '56',
    '57',
    '58',
    '59',
    '60',
    '61',
    '62',
    '63',
    '64',
    '65',
    '66',
    '67',
    '68',
    '69',
    '70',
    '71',
    '72',
    '73',
    '74',
    '75',
    '76',
    '77',
    '78',
    '79',
    '80',
    '81',
    '82',
    '89',
  ]);
  const date =
    padNumber(birth.getUTCDate(), 2) +
    padNumber(birth.getUTCMonth() + 1, 2) +
    padNumber(birth.getUTCFullYear() % 100, 2);
  const letter = (
    lastName
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .charAt(0) || 'M'
  ).toUpperCase();
  const serial = padNumber(female ? randInt(rand, 50, 99) : randInt(rand, 0, 49), 2);
  const numeric = area + date + padNumber(letter.charCodeAt(0) - 64, 2) + serial;
  const weights = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const p = Number(numeric[i]) * (weights[i] ?? 0);
    sum += Math.floor(p / 10) + (p % 10);
  }
  const check = String(sum % 10);
  return spaced ? `${area} ${date} ${letter} ${serial}${check}` : `${area}${date}${letter}${serial}${check}`;
}

/** A Polish PESEL encoding the birth date and sex, with its weighted check digit. */
export function makePesel(rand: Rand, birth: Date, female: boolean): string {
  const y = birth.getUTCFullYear();
  const month = birth.getUTCMonth() + 1 + (y >= 2000 ? 20 : 0);
  const serial = randomDigits(rand, 3);
  let sexDigit = randInt(rand, 0, 9);
  if (female !== (sexDigit % 2 === 0)) sexDigit = (sexDigit + 1) % 10;
  const body =
    padNumber(y % 100, 2) +
    padNumber(month, 2) +
    padNumber(birth.getUTCDate(), 2) +
    serial +
    String(sexDigit);
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(body[i]) * (weights[i] ?? 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** A Swedish personnummer (YYYYMMDD-NNNC or YYMMDD-NNNC), Luhn over the ten short-form digits. */
export function makePersonnummer(rand: Rand, birth: Date, long: boolean): string {
  const yyyy = String(birth.getUTCFullYear());
  const mmdd = padNumber(birth.getUTCMonth() + 1, 2) + padNumber(birth.getUTCDate(), 2);
  const nnn = randomDigits(rand, 3);
  const short = yyyy.slice(2) + mmdd + nnn;
  const c = computeLuhnDigit(short);
  return `${long ? yyyy : yyyy.slice(2)}${mmdd}-${nnn}${c}`;
}

/** A Brazilian CPF with both check digits, printed 000.000.000-00. */
export function makeCpf(rand: Rand): string {
  const d = randomDigits(rand, 9).split('').map(Number);
  const next = (ds: number[]) => {
    let s = 0;
    for (let i = 0; i < ds.length; i++) s += (ds[i] ?? 0) * (ds.length + 1 - i);
    const r = (s * 10) % 11;
    return r === 10 ? 0 : r;
  };
  d.push(next(d));
  d.push(next(d));
  const s = d.join('');
  return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
}

/** A UK NHS number (mod-11 check digit), printed 3-3-4. */
export function makeNhsNumber(rand: Rand): string {
  for (;;) {
    const body = randomDigits(rand, 9);
    let s = 0;
    for (let i = 0; i < 9; i++) s += Number(body[i]) * (10 - i);
    const c = 11 - (s % 11);
    if (c === 10) continue;
    const full = body + String(c === 11 ? 0 : c);
    return `${full.slice(0, 3)} ${full.slice(3, 6)} ${full.slice(6)}`;
  }
}

/** A US SSN obeying the SSA rules (area not 000/666/9xx, group not 00, serial not 0000). */
export function makeSsn(rand: Rand, dashed: boolean): string {
  let area = randInt(rand, 1, 899);
  if (area === 666) area = 667;
  const group = randInt(rand, 1, 99);
  const serial = randInt(rand, 1, 9999);
  const a = padNumber(area, 3);
  const g = padNumber(group, 2);
  const s = padNumber(serial, 4);
  return dashed ? `${a}-${g}-${s}` : a + g + s;
}

/** A UK National Insurance number with a valid prefix and suffix. */
export function makeNino(rand: Rand, spaced: boolean): string {
  const first = 'ABCEGHJKLMNOPRSTWXYZ';
  const second = 'ABCEGHJKLMNPRSTWXYZ';
  let prefix = '';
  do {
    prefix = pickOne(rand, first.split('')) + pickOne(rand, second.split(''));
  } while (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix));
  const digits = randomDigits(rand, 6);
  const suffix = pickOne(rand, ['A', 'B', 'C', 'D']);
  return spaced
    ? `${prefix} ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4)} ${suffix}`
    : prefix + digits + suffix;
}

/** A Belgian national register number (YY.MM.DD-SSS.CC) with its mod-97 check. */
export function makeBelgianNrn(rand: Rand, birth: Date): string {
  const yy = padNumber(birth.getUTCFullYear() % 100, 2);
  const mm = padNumber(birth.getUTCMonth() + 1, 2);
  const dd = padNumber(birth.getUTCDate(), 2);
  const serial = padNumber(randInt(rand, 1, 997), 3);
  const base = (birth.getUTCFullYear() >= 2000 ? '2' : '') + yy + mm + dd + serial;
  const check = padNumber(97 - Number(BigInt(base) % 97n), 2);
  return `${yy}.${mm}.${dd}-${serial}.${check}`;
}
