/**
 * National identity and tax numbers with their published check rules, so that random codes of
 * the same length rarely pass: ES DNI/NIE (mod-23 letter), IT codice fiscale (odd/even table
 * check letter), NL BSN (11-proof), FR NIR (97 − mod-97 key), DE Steuer-ID (ISO 7064 MOD 11,10
 * and the digit-repetition rule), and the UK National Insurance number (prefix rules; it has no
 * check digit).
 */

/** Which national-id scheme a value satisfies. */
export const NationalIdScheme = {
  EsDni: 'es_dni',
  EsNie: 'es_nie',
  ItCodiceFiscale: 'it_codice_fiscale',
  NlBsn: 'nl_bsn',
  FrNir: 'fr_nir',
  DeSteuerId: 'de_steuer_id',
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
const CF_ODD_LETTERS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
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

const NIR =
  /^([1-478])\s?(\d{2})\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2[AB])\s?(\d{3})\s?(\d{3})\s?(\d{2})$/;

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
