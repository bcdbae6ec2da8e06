/**
 * National identity and tax numbers with their published check rules, so that random codes of
 * the same length rarely pass: ES DNI/NIE (mod-23 letter), IT codice fiscale (odd/even table
 * check letter), NL BSN (11-proof), FR NIR (97 − mod-97 key), DE Steuer-ID (ISO 7064 MOD 11,10
 * and the digit-repetition rule), DE Rentenversicherungsnummer (weighted digit-sum check), PL
 * PESEL (weighted check digit and birth date), SE personnummer (birth date and Luhn), BE
 * national register number (97 − mod-97), UK NHS number (mod-11), BR CPF (two mod-11 digits),
 * and the UK National Insurance number (prefix rules; it has no check digit).
 */

/** Which national-id scheme a value satisfies. */
export const NationalIdScheme = {
  EsDni: 'es_dni',
  EsNie: 'es_nie',
  ItCodiceFiscale: 'it_codice_fiscale',
  NlBsn: 'nl_bsn',
  FrNir: 'fr_nir',
  DeSteuerId: 'de_steuer_id',
  DeRvnr: 'de_rvnr',
  PlPesel: 'pl_pesel',
  SePersonnummer: 'se_personnummer',
  BeNrn: 'be_nrn',
  UkNhs: 'uk_nhs',
  BrCpf: 'br_cpf',
} as const;
/** One of {@link NationalIdScheme}. */
export type NationalIdScheme = (typeof NationalIdScheme)[keyof typeof NationalIdScheme];

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const DNI = /^(\d{8})-?([A-Z])$/;
const NIE = /^([XYZ])-?(\d{7})-?([A-Z])$/;

/** The DNI/NIE control letter for a number (the remainder mod 23 indexes a fixed alphabet). */
export function dniLetter(number: number): string {
  return DNI_LETTERS[number % 23] as string;
}

/** A Spanish DNI: eight digits and the mod-23 control letter (`12345678Z`, a dash allowed). */
export function isValidSpanishDni(value: string): boolean {
  const m = DNI.exec(value.toUpperCase());
  return m !== null && dniLetter(Number(m[1])) === m[2];
}

/** A Spanish NIE: X, Y or Z (read as 0, 1, 2), seven digits and the mod-23 control letter. */
export function isValidSpanishNie(value: string): boolean {
  const m = NIE.exec(value.toUpperCase());
  if (m === null) return false;
  const prefix = 'XYZ'.indexOf(m[1] as string);
  return dniLetter(Number(`${prefix}${m[2]}`)) === m[3];
}

// Values of each character in odd (1st, 3rd, …) positions of a codice fiscale, digits then letters.
// Letters A–J take the same values as the digits 0–9.
const CF_ODD_LETTERS = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
const CF_ODD_DIGITS = CF_ODD_LETTERS.slice(0, 10);
// Omocodia: digits of the date and place may be replaced by these letters when codes collide.
const CF_DIGIT_OR_LETTER = '[0-9LMNPQRSTUV]';
const CODICE_FISCALE = new RegExp(
  `^[A-Z]{6}${CF_DIGIT_OR_LETTER}{2}[ABCDEHLMPRST]${CF_DIGIT_OR_LETTER}{2}[A-Z]${CF_DIGIT_OR_LETTER}{3}[A-Z]$`,
);

function cfValue(ch: string, odd: boolean): number {
  const c = ch.charCodeAt(0);
  const isDigit = c >= 48 && c <= 57;
  if (odd) return isDigit ? (CF_ODD_DIGITS[c - 48] as number) : (CF_ODD_LETTERS[c - 65] as number);
  return isDigit ? c - 48 : c - 65;
}

/** The check letter of the first 15 characters of a codice fiscale. */
export function codiceFiscaleCheck(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += cfValue(first15.charAt(i), i % 2 === 0);
  return String.fromCharCode(65 + (sum % 26));
}

/** An Italian codice fiscale: 16 characters in the surname/name/date/place shape with the check letter. */
export function isValidCodiceFiscale(value: string): boolean {
  const v = value.toUpperCase();
  return CODICE_FISCALE.test(v) && codiceFiscaleCheck(v.slice(0, 15)) === v.charAt(15);
}

/** A Dutch BSN: nine digits (eight with an implied leading zero) passing the 11-proof, not all zeros. */
export function isValidBsn(value: string): boolean {
  if (!/^\d{8,9}$/.test(value)) return false;
  const d = value.padStart(9, '0');
  if (/^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (d.charCodeAt(i) - 48);
  sum -= d.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

const NIR = /^([1-478])\s?(\d{2})\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2[AB])\s?(\d{3})\s?(\d{3})\s?(\d{2})$/;

/** The two-digit key of the 13 leading characters of a NIR (Corsica 2A/2B read as 19/18). */
export function nirKey(first13: string): string {
  const digits = first13.toUpperCase().replace('2A', '19').replace('2B', '18');
  let rest = 0;
  for (let i = 0; i < digits.length; i++) rest = (rest * 10 + (digits.charCodeAt(i) - 48)) % 97;
  return String(97 - rest).padStart(2, '0');
}

/** A French NIR (numéro de sécurité sociale): sex, year, month, département, commune, order, and the 97 − mod-97 key. */
export function isValidFrenchNir(value: string): boolean {
  const m = NIR.exec(value.toUpperCase());
  if (m === null) return false;
  const body = `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}`;
  return nirKey(body) === m[7];
}

/** The ISO 7064 MOD 11,10 check digit of the first ten digits of a Steuer-ID. */
export function steuerIdCheckDigit(first10: string): number {
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (first10.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

/**
 * A German Steuerliche Identifikationsnummer: eleven digits, no leading zero, in the first ten
 * exactly one digit repeated (twice or three times), and the MOD 11,10 check digit.
 */
export function isValidSteuerId(value: string): boolean {
  const v = value.replace(/ /g, '');
  if (!/^[1-9]\d{10}$/.test(v)) return false;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10; i++) {
    const digit = v.charCodeAt(i) - 48;
    counts[digit] = (counts[digit] ?? 0) + 1;
  }
  const repeated = counts.filter((c) => c > 1);
  if (repeated.length !== 1 || (repeated[0] as number) > 3) return false;
  return steuerIdCheckDigit(v) === v.charCodeAt(10) - 48;
}

const RVNR = /^(\d{2}) ?(\d{2})(\d{2})(\d{2}) ?([A-Z]) ?(\d{2})(\d)$/;
const RVNR_WEIGHTS = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];

/**
 * A German pension insurance number (Rentenversicherungsnummer, `12 150385 M 015`): area, birth
 * date DDMMYY, initial of the birth name, serial, and the check digit over the weighted digit sums
 * (the letter counts as its two-digit alphabet position).
 */
export function isValidGermanRvnr(value: string): boolean {
  const m = RVNR.exec(value.toUpperCase());
  if (m === null) return false;
  const day = Number(m[2]);
  const month = Number(m[3]);
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  const letter = (m[5] as string).charCodeAt(0) - 64;
  const digits = `${m[1]}${m[2]}${m[3]}${m[4]}${String(letter).padStart(2, '0')}${m[6]}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const p = (digits.charCodeAt(i) - 48) * (RVNR_WEIGHTS[i] as number);
    sum += Math.floor(p / 10) + (p % 10);
  }
  return sum % 10 === Number(m[7]);
}

const PESEL_WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/** A Polish PESEL: eleven digits, a real birth date (century coded in the month) and the weighted check digit. */
export function isValidPesel(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const month = Number(value.slice(2, 4)) % 20;
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (value.charCodeAt(i) - 48) * (PESEL_WEIGHTS[i] as number);
  return (10 - (sum % 10)) % 10 === value.charCodeAt(10) - 48;
}

const PERSONNUMMER =
  /^(?:(19|20)?(\d{2})(\d{2})(\d{2})([-+])(\d{3})(\d)|(19|20)(\d{2})(\d{2})(\d{2})(\d{3})(\d))$/;

/**
 * A Swedish personnummer or samordningsnummer: `YYMMDD-NNNC`, `YYYYMMDD-NNNC` or twelve bare digits
 * starting 19/20, with a real month and day (day + 60 for coordination numbers) and the Luhn digit
 * over the ten short-form digits. Ten bare digits are not accepted: one in ten random numbers would pass.
 */
export function isValidPersonnummer(value: string): boolean {
  const m = PERSONNUMMER.exec(value);
  if (m === null) return false;
  const [yy, mm, dd, nnn, c] =
    m[2] !== undefined ? [m[2], m[3], m[4], m[6], m[7]] : [m[9], m[10], m[11], m[12], m[13]];
  const month = Number(mm);
  const day = Number(dd) > 60 ? Number(dd) - 60 : Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const short = `${yy}${mm}${dd}${nnn}${c}`;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = short.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const BE_NRN = /^(\d{2})\.?(\d{2})\.?(\d{2})[-. ]?(\d{3})[. ]?(\d{2})$/;

/**
 * A Belgian national register number (`85.07.30-033.28`): birth date YYMMDD (month 0–12, or + 20 /
 * + 40 for bis numbers), serial, and the key 97 − (first nine digits mod 97), with a leading 2
 * in front for people born from 2000.
 */
export function isValidBelgianNrn(value: string): boolean {
  const m = BE_NRN.exec(value);
  if (m === null) return false;
  const month = Number(m[2]) % 20;
  if (month > 12 || Number(m[2]) > 52 || Number(m[3]) > 31) return false;
  const body = BigInt(`${m[1]}${m[2]}${m[3]}${m[4]}`);
  const key = Number(m[5]);
  return 97 - Number(body % 97n) === key || 97 - Number((2_000_000_000n + body) % 97n) === key;
}

const NHS = /^(\d{3})[ -]?(\d{3})[ -]?(\d{4})$/;

/** A UK NHS number (`943 476 5919`): ten digits whose last is the mod-11 check of the first nine (a remainder giving 10 is never issued). */
export function isValidNhsNumber(value: string): boolean {
  const m = NHS.exec(value);
  if (m === null) return false;
  const d = `${m[1]}${m[2]}${m[3]}`;
  if (/^(\d)\1{9}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === d.charCodeAt(9) - 48;
}

const CPF = /^(\d{3})\.?(\d{3})\.?(\d{3})-?(\d{2})$/;

/** A Brazilian CPF (`123.456.789-09`): nine digits and two mod-11 check digits; one digit repeated eleven times is invalid. */
export function isValidCpf(value: string): boolean {
  const m = CPF.exec(value);
  if (m === null) return false;
  const d = `${m[1]}${m[2]}${m[3]}${m[4]}`;
  if (/^(\d)\1{10}$/.test(d)) return false;
  const checkAt = (len: number) => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (d.charCodeAt(i) - 48) * (len + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return checkAt(9) === d.charCodeAt(9) - 48 && checkAt(10) === d.charCodeAt(10) - 48;
}

/** The national-id scheme a value satisfies, or undefined. */
export function nationalIdScheme(value: string): NationalIdScheme | undefined {
  const v = value.trim();
  if (v.length < 8 || v.length > 21) return undefined;
  if (isValidSpanishDni(v)) return NationalIdScheme.EsDni;
  if (isValidSpanishNie(v)) return NationalIdScheme.EsNie;
  if (isValidCodiceFiscale(v)) return NationalIdScheme.ItCodiceFiscale;
  if (isValidFrenchNir(v)) return NationalIdScheme.FrNir;
  if (isValidSteuerId(v)) return NationalIdScheme.DeSteuerId;
  if (isValidBsn(v)) return NationalIdScheme.NlBsn;
  if (isValidGermanRvnr(v)) return NationalIdScheme.DeRvnr;
  if (isValidPesel(v)) return NationalIdScheme.PlPesel;
  if (isValidPersonnummer(v)) return NationalIdScheme.SePersonnummer;
  if (isValidBelgianNrn(v)) return NationalIdScheme.BeNrn;
  if (isValidNhsNumber(v)) return NationalIdScheme.UkNhs;
  if (isValidCpf(v)) return NationalIdScheme.BrCpf;
  return undefined;
}

/** Whether a value satisfies any of the national-id schemes above. */
export function isValidNationalId(value: string): boolean {
  return nationalIdScheme(value) !== undefined;
}

// Prefixes never issued: D, F, I, Q, U, V anywhere in the prefix; O second; BG GB KN NK NT TN ZZ.
const NINO = /^([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([A-D])$/;
const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** A UK National Insurance number `AB 12 34 56 C`: the HMRC prefix rules and a suffix A–D. */
export function isValidUkNino(value: string): boolean {
  const m = NINO.exec(value.toUpperCase());
  return m !== null && !NINO_BAD_PREFIXES.has(m[1] as string);
}
