/**
 * Format-preserving generation: a new value with the synthetic value's pattern (every separator in
 * place, digits for digits, letters for letters of the same case), its length, and its checksum
 * validity — Luhn for cards (issuer prefix kept), ISO 7064 mod-97 for IBANs (country kept),
 * libphonenumber validity for phone numbers, the SSA rules for SSNs.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { IBAN_LENGTHS } from '../pii/index.js';
import type { Rng } from '../random/index.js';
import { formatPreservingPhone } from './phone-numbers.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** Every ASCII digit and letter redrawn within its class (case kept); all other characters kept. */
export function shapePreserving(value: string, rng: Rng, firstDigitNonZero = false): string {
  let out = '';
  let seenDigit = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A leading zero would change how the value reads as a number.
      out += !seenDigit && firstDigitNonZero ? String(1 + rng.nextInt(9)) : String(rng.nextInt(10));
      seenDigit = true;
    } else if (c >= 65 && c <= 90) out += UPPER[rng.nextInt(26)];
    else if (c >= 97 && c <= 122) out += LOWER[rng.nextInt(26)];
    else out += value[i];
  }
  return out;
}

/** The Luhn check digit that completes a digit payload. */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * Length of the card network's prefix (the issuer identification we keep): Amex 34/37, Mastercard
 * 51–55 and 2221–2720, Discover 6011/644–649/65, JCB 3528–3589, Diners 36/38/300–305, Visa 4;
 * otherwise the first digit (the major industry identifier).
 */
export function issuerPrefixLength(digits: string): number {
  const n2 = Number(digits.slice(0, 2));
  const n3 = Number(digits.slice(0, 3));
  const n4 = Number(digits.slice(0, 4));
  if (n2 === 34 || n2 === 37 || (n2 >= 51 && n2 <= 55) || n2 === 65 || n2 === 36 || n2 === 38) return 2;
  if (n4 === 6011 || (n4 >= 2221 && n4 <= 2720) || (n4 >= 3528 && n4 <= 3589)) return 4;
  if ((n3 >= 644 && n3 <= 649) || (n3 >= 300 && n3 <= 305)) return 3;
  return 1;
}

/** A Luhn-valid card number with the same layout, length and network prefix as `value`. */
export function formatPreservingCard(value: string, rng: Rng): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 2) return shapePreserving(value, rng);
  const keep = Math.min(issuerPrefixLength(digits), digits.length - 1);
  let payload = digits.slice(0, keep);
  for (let i = keep; i < digits.length - 1; i++) payload += String(rng.nextInt(10));
  return fillDigits(value, payload + luhnCheckDigit(payload));
}

/** Writes `digits` into the digit positions of `layout`, in order. */
export function fillDigits(layout: string, digits: string): string {
  let k = 0;
  let out = '';
  for (let i = 0; i < layout.length; i++) {
    const c = layout.charCodeAt(i);
    out += c >= 48 && c <= 57 ? (digits[k++] ?? '0') : layout[i];
  }
  return out;
}

/** ISO 13616 check digits for a country code and BBAN (letters count as 10–35). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    rest = c >= 65 ? (rest * 100 + (c - 55)) % 97 : (rest * 10 + (c - 48)) % 97;
  }
  return String(98 - rest).padStart(2, '0');
}

/**
 * An IBAN with the same country, length and layout (spaces kept, letters and digits redrawn
 * within their class) and valid check digits; values that are not IBAN-shaped keep only their shape.
 */
export function formatPreservingIban(value: string, rng: Rng): string {
  const compact = value.replace(/\s+/g, '');
  const country = compact.slice(0, 2).toUpperCase();
  if (!/^[A-Za-z]{2}\d{2}[A-Za-z0-9]+$/.test(compact)) return shapePreserving(value, rng);
  const bban = shapePreserving(compact.slice(4), rng).toUpperCase();
  const expected = IBAN_LENGTHS[country];
  if (expected !== undefined && expected !== compact.length) return shapePreserving(value, rng);
  const fresh = `${compact.slice(0, 2)}${ibanCheckDigits(country, bban)}${bban}`;
  // Re-insert the original spacing (print format groups of four, or whatever the value used).
  let k = 0;
  let out = '';
  for (const c of value) out += /\s/.test(c) ? c : (fresh[k++] ?? '');
  return out;
}

/** A US SSN with the same layout whose area, group and serial follow the SSA rules (no 000/666/9xx, 00, 0000). */
export function formatPreservingSsn(value: string, rng: Rng): string {
  const digitCount = value.replace(/\D/g, '').length;
  if (digitCount !== 9) return shapePreserving(value, rng);
  let area = 1 + rng.nextInt(899);
  if (area === 666) area = 667;
  const group = 1 + rng.nextInt(99);
  const serial = 1 + rng.nextInt(9999);
  const digits =
    String(area).padStart(3, '0') + String(group).padStart(2, '0') + String(serial).padStart(4, '0');
  return fillDigits(value, digits);
}

/** An email with the same shape: local part and domain labels redrawn by character class, top-level domain kept. */
export function formatPreservingEmail(value: string, rng: Rng): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return shapePreserving(value, rng);
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const head = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${shapePreserving(value.slice(0, at), rng)}@${shapePreserving(head, rng)}${tld}`;
}

/** An IPv4 address with the same dotted layout (ordinary unicast), or an IPv6 with the same hextet layout. */
export function formatPreservingIp(value: string, rng: Rng): string {
  if (value.includes(':')) {
    return value.replace(/[0-9a-fA-F]/g, (c) => {
      const digit = '0123456789abcdef'[rng.nextInt(16)] as string;
      return c >= 'A' && c <= 'F' ? digit.toUpperCase() : digit;
    });
  }
  if (!/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return shapePreserving(value, rng);
  let a = 1 + rng.nextInt(223);
  if (a === 10 || a === 127) a++;
  return `${a}.${rng.nextInt(256)}.${rng.nextInt(256)}.${1 + rng.nextInt(254)}`;
}

/** Rules by kind; a kind without special rules keeps the value's shape. */
export function formatPreservingValue(kind: string, value: string, rng: Rng, region: CountryCode): string {
  switch (kind) {
    case 'credit_card':
      return formatPreservingCard(value, rng);
    case 'iban':
      return formatPreservingIban(value, rng);
    case 'ssn':
      return formatPreservingSsn(value, rng);
    case 'phone':
      return formatPreservingPhone(value, region, rng) ?? shapePreserving(value, rng);
    case 'email':
      return formatPreservingEmail(value, rng);
    case 'ip_address':
      return formatPreservingIp(value, rng);
    default:
      return shapePreserving(value, rng);
  }
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

/** An ISO date (or timestamp) moved by up to a year either way, in the same format; null when not ISO. */
export function formatPreservingDate(value: string, rng: Rng): string | null {
  const m = ISO_DATE.exec(value);
  if (m === null) return null;
  const ms = Date.parse(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : value);
  if (Number.isNaN(ms)) return null;
  const shifted = new Date(ms + (rng.nextInt(731) - 365) * DAY_MS).toISOString();
  return m[4] === undefined ? shifted.slice(0, 10) : shifted;
}

/** A number with the same sign, digit count and decimals (integers stay integers). */
export function formatPreservingNumber(value: number, rng: Rng): number {
  if (!Number.isFinite(value)) return value;
  const text = String(Math.abs(value));
  if (text.includes('e')) return value;
  const fresh = Number(shapePreserving(text, rng, text.length > 1 && !text.startsWith('0.')));
  return value < 0 ? -fresh : fresh;
}
