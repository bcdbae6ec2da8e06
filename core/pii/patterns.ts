/**
 * Value validators: each says whether one string is a well-formed instance of a kind of personal
 * data, using checksums and registries where they exist (Luhn, IBAN mod-97, SSA rules, the
 * libphonenumber metadata) so that random digits rarely pass.
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { postcodeLocales } from './postcodes.js';

const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** An addr-spec email address (dot-atom local part, dotted domain with an alphabetic TLD), at most 254 characters. */
export function isValidEmail(value: string): boolean {
  if (value.length > 254 || value.indexOf('@') < 1) return false;
  const at = value.lastIndexOf('@');
  return at <= 64 && EMAIL.test(value);
}

const PHONE_SHAPE = /^\+?[\d\s().\-/]{7,24}(?:\s*(?:x|ext\.?|extension|#)\s*\d{1,6})?$/i;

/**
 * A phone number valid for its country per libphonenumber's full metadata; numbers without a
 * `+country` prefix are read in `defaultRegion`. A cheap shape check first keeps prose (which the
 * library would search for numbers) and long digit runs away from the parser.
 * @param defaultRegion ISO 3166 region for national numbers. @default 'US'
 */
export function isValidPhone(value: string, defaultRegion: 'US' | string = 'US'): boolean {
  if (!PHONE_SHAPE.test(value)) return false;
  const main = value.split(/x|ext|#/i)[0] ?? '';
  let digits = 0;
  for (let i = 0; i < main.length; i++) {
    const c = main.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits < 8 || digits > 15) return false;
  // The region type of libphonenumber is a closed union; any other code simply fails validation.
  return isValidPhoneNumber(value, defaultRegion as Parameters<typeof isValidPhoneNumber>[1]);
}

/** The Luhn (mod 10) checksum over a string of digits. */
export function luhnCheck(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const CARD_SHAPE = /^\d(?:[ -]?\d){12,18}$/;

/** A payment card number: 13–19 digits, optionally grouped by spaces or dashes, passing Luhn. */
export function isValidCreditCard(value: string): boolean {
  if (!CARD_SHAPE.test(value)) return false;
  return luhnCheck(value.replace(/[ -]/g, ''));
}

const SSN_DASHED = /^(\d{3})([- ])(\d{2})\2(\d{4})$/;
const SSN_BARE = /^(\d{3})(\d{2})(\d{4})$/;

/**
 * A US social security number `AAA-GG-SSSS` under the SSA rules: area not 000, 666 or 900–999,
 * group not 00, serial not 0000.
 * @param options.allowUndashed also accept nine bare digits; off by default because any
 *   nine-digit key would otherwise pass, so callers enable it only with other evidence.
 */
export function isValidSsn(value: string, options: { allowUndashed?: boolean } = {}): boolean {
  let area: string, group: string, serial: string;
  const dashed = SSN_DASHED.exec(value);
  if (dashed !== null) {
    area = dashed[1] as string;
    group = dashed[3] as string;
    serial = dashed[4] as string;
  } else {
    const bare = options.allowUndashed === true ? SSN_BARE.exec(value) : null;
    if (bare === null) return false;
    area = bare[1] as string;
    group = bare[2] as string;
    serial = bare[3] as string;
  }
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  return group !== '00' && serial !== '0000';
}

/** IBAN length per country, from the SWIFT IBAN registry. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

const IBAN_SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]+$/;

/** ISO 7064 mod 97-10 over an alphanumeric string (letters count as 10–35), one digit at a time so no big integers are needed. */
function mod97(text: string): number {
  let rest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65) rest = (rest * 100 + (c - 55)) % 97;
    else rest = (rest * 10 + (c - 48)) % 97;
  }
  return rest;
}

/** An IBAN in electronic or print format (spaces allowed): known country, that country's length, mod-97 remainder 1. */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/ /g, '').toUpperCase();
  if (!IBAN_SHAPE.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

const OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** Dotted-quad IPv4; leading zeros are rejected because some parsers read them as octal. */
export function isValidIpv4(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  for (const part of parts) if (!OCTET.test(part) || Number(part) > 255) return false;
  return true;
}

const HEXTET = /^[0-9A-Fa-f]{1,4}$/;
const ZONE = /^[0-9A-Za-z_.~-]+$/;

/** An IPv6 address per RFC 4291 text forms: eight hextets, one `::` run, an embedded IPv4 tail, an optional `%zone`. */
export function isValidIpv6(value: string): boolean {
  let address = value;
  const percent = address.indexOf('%');
  if (percent >= 0) {
    if (!ZONE.test(address.slice(percent + 1))) return false;
    address = address.slice(0, percent);
  }
  let tailGroups = 0;
  const lastColon = address.lastIndexOf(':');
  if (lastColon < 0) return false;
  if (address.indexOf('.', lastColon) >= 0) {
    if (!isValidIpv4(address.slice(lastColon + 1))) return false;
    // The IPv4 tail stands for two hextets; cut it so the rest is plain hextets.
    address = address.slice(0, lastColon + 1);
    tailGroups = 2;
    if (address.endsWith('::')) {
      // `::1.2.3.4`-style: the compression ends right before the tail.
    } else if (address.endsWith(':')) {
      address = address.slice(0, -1);
    }
  }
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (text: string): string[] | undefined => {
    if (text === '') return [];
    const parts = text.split(':');
    return parts.every((p) => HEXTET.test(p)) ? parts : undefined;
  };
  if (halves.length === 1) {
    const all = groups(halves[0] as string);
    return all !== undefined && all.length + tailGroups === 8;
  }
  const head = groups(halves[0] as string);
  const tail = groups(halves[1] as string);
  if (head === undefined || tail === undefined) return false;
  // `::` stands for at least one zero group.
  return head.length + tail.length + tailGroups <= 7;
}

/** IPv4 or IPv6. */
export function isValidIpAddress(value: string): boolean {
  return value.includes(':') ? isValidIpv6(value) : isValidIpv4(value);
}

/** A postcode shape of one of the locales in postcodes.ts (US ZIP/ZIP+4, UK, DE, FR, ES, IT, NL, CA); only used beside a postal-code column name, since five digits alone prove little. */
export function isPostalCodeShape(value: string): boolean {
  return postcodeLocales(value).length > 0;
}

const STREET_LINE = /^\d{1,6}[A-Za-z]?\s+\S+(?:\s+\S+)*$/;

/** A house number followed by words, the usual first line of a street address. */
export function isStreetAddressShape(value: string): boolean {
  return STREET_LINE.test(value) && /[A-Za-z]{2,}/.test(value);
}

const EMBEDDED_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const EMBEDDED_PHONE = /(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/;

/** Whether prose contains something shaped like an email address or phone number. */
export function containsContactDetails(text: string): boolean {
  return EMBEDDED_EMAIL.test(text) || EMBEDDED_PHONE.test(text);
}
