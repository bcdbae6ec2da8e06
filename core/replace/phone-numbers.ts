/**
 * Phone numbers valid for a region per libphonenumber's full metadata: random national numbers
 * are drawn around the region's example number (or the synthetic number's own area code) and kept
 * only when the library validates them, so the result passes the same check the classifier uses.
 */
import examples from 'libphonenumber-js/examples.mobile.json';
import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import type { Rng } from '../random/index.js';

const ATTEMPTS = 24;

/** Whether libphonenumber knows the region (ISO 3166 alpha-2). */
export function isPhoneRegion(region: string): region is CountryCode {
  return isSupportedCountry(region);
}

/** A national significant number valid for `region`, drawn at random (null if the region has no example number). */
export function randomNationalNumber(
  region: CountryCode,
  rng: Rng,
  keepDigits = 0,
  like?: string,
): string | null {
  const base = like ?? (examples as Record<string, string | undefined>)[region];
  if (base === undefined) return null;
  const calling = getCountryCallingCode(region);
  // Keep the area code part when asked; always redraw at least the subscriber digits.
  const keep = Math.min(keepDigits, Math.max(0, base.length - 4));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // Later attempts keep more of the example, whose prefixes are valid by construction.
    const fixed = attempt < ATTEMPTS / 2 ? keep : Math.max(keep, Math.min(base.length - 4, 3));
    let digits = base.slice(0, fixed);
    for (let i = fixed; i < base.length; i++) digits += String(rng.nextInt(10));
    const parsed = parsePhoneNumberFromString(`+${calling}${digits}`);
    if (parsed !== undefined && parsed.country === region && parsed.isValid()) return digits;
  }
  return (examples as Record<string, string | undefined>)[region] ?? null;
}

/** A new phone number valid for `region`, in national format (or international when `international`). */
export function fakePhoneNumber(region: CountryCode, rng: Rng, international: boolean): string | null {
  const national = randomNationalNumber(region, rng);
  if (national === null) return null;
  const parsed = parsePhoneNumberFromString(`+${getCountryCallingCode(region)}${national}`);
  if (parsed === undefined) return null;
  return international ? parsed.formatInternational() : parsed.formatNational();
}

/**
 * A phone number with the same layout as `value` (every non-digit kept in place, same digit count)
 * whose digits form a number valid for the value's region; null when the value cannot be read as
 * a phone number of a region the library knows.
 */
export function formatPreservingPhone(value: string, defaultRegion: CountryCode, rng: Rng): string | null {
  const parsed = parsePhoneNumberFromString(value, defaultRegion);
  if (parsed === undefined) return null;
  const region = (parsed.country ?? defaultRegion) as CountryCode;
  const oldNational = parsed.nationalNumber;
  const valid = parsed.isValid();
  // A valid number keeps its area code (3 leading digits at most), so the region's shape survives.
  const fresh = valid
    ? randomNationalNumber(region, rng, Math.min(3, oldNational.length - 4), oldNational)
    : sameLengthNational(region, rng, oldNational.length);
  if (fresh === null || fresh.length !== oldNational.length) return null;
  return replaceTrailingDigits(value, oldNational, fresh);
}

function sameLengthNational(region: CountryCode, rng: Rng, length: number): string | null {
  const n = randomNationalNumber(region, rng);
  return n !== null && n.length === length ? n : null;
}

/** Puts `fresh` into the digit positions where `old` (the trailing national digits) was written. */
function replaceTrailingDigits(value: string, old: string, fresh: string): string | null {
  const chars = [...value];
  let k = fresh.length - 1;
  let o = old.length - 1;
  for (let i = chars.length - 1; i >= 0 && k >= 0; i--) {
    const c = chars[i] as string;
    if (c < '0' || c > '9') continue;
    // Only the national digits are rewritten; an extension after them would not match, so give up.
    if (c !== old[o]) return null;
    chars[i] = fresh[k] as string;
    k--;
    o--;
  }
  return k < 0 ? chars.join('') : null;
}

/** Parses for tests and callers that check results: the libphonenumber reading of a value in a region. */
export function readPhone(value: string, region: CountryCode): PhoneNumber | undefined {
  return parsePhoneNumberFromString(value, region);
}
