/**
 * Phone numbers valid for a region per libphonenumber's full metadata: random national numbers
 * are drawn around the region's example number (or the synthetic number's own area code) and kept
 * only when they pass the library's validity rules for that region (phone-rules.ts, the same
 * rules with patterns compiled once), so the result passes the same check the classifier uses.
 */
import examples from 'libphonenumber-js/examples.mobile.json';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Rng } from '../random/index.js';
import { formatNationalFor, isValidNationalFor } from './phone-rules.js';

const ATTEMPTS = 24;
/** Bounded size of the memo of readings by value layout. */
const MEMO_LIMIT = 200_000;

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
  // Keep the area code part when asked; always redraw at least the subscriber digits.
  const keep = Math.min(keepDigits, Math.max(0, base.length - 4));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // Later attempts keep more of the example, whose prefixes are valid by construction.
    const fixed = attempt < ATTEMPTS / 2 ? keep : Math.max(keep, Math.min(base.length - 4, 3));
    let digits = base.slice(0, fixed);
    for (let i = fixed; i < base.length; i++) digits += String(rng.nextInt(10));
    if (isValidNationalFor(region, digits)) return digits;
  }
  return (examples as Record<string, string | undefined>)[region] ?? null;
}

/** A new phone number valid for `region`, in national format (or international when `international`). */
export function fakePhoneNumber(region: CountryCode, rng: Rng, international: boolean): string | null {
  const national = randomNationalNumber(region, rng);
  if (national === null) return null;
  return formatNationalFor(region, national, international);
}

/**
 * A phone number with the same layout as `value` (every non-digit kept in place, same digit count)
 * whose digits form a number valid for the value's region; null when the value cannot be read as
 * a phone number of a region the library knows.
 */
export function formatPreservingPhone(value: string, defaultRegion: CountryCode, rng: Rng): string | null {
  const reading = readLayout(value, defaultRegion);
  if (reading === null) return null;
  const { region } = reading;
  const digits = value.replace(/\D/g, '');
  const oldNational = digits.slice(digits.length - reading.nationalLength);
  const valid = isValidNationalFor(region, oldNational);
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

interface LayoutReading {
  region: CountryCode;
  nationalLength: number;
}

/**
 * How a phone value reads (region, national-number length), memoised per layout with the last four
 * digits blanked: the prefix and length decide both, and text parsing is the expensive step.
 */
const readingMemo = new Map<string, LayoutReading | null>();
function readLayout(value: string, defaultRegion: CountryCode): LayoutReading | null {
  let seen = 0;
  const total = value.replace(/\D/g, '').length;
  let memoKey = `${defaultRegion}:`;
  let representative = '';
  for (const c of value) {
    const masked = c >= '0' && c <= '9' && ++seen > total - 4;
    memoKey += masked ? '#' : c;
    // The reading is that of a canonical value of the layout, never of whichever value came first.
    representative += masked ? String(4 - (total - seen)) : c;
  }
  const hit = readingMemo.get(memoKey);
  if (hit !== undefined) return hit;
  const parsed = parsePhoneNumberFromString(representative, defaultRegion);
  const digitsAfterNational =
    parsed === undefined ? -1 : representative.replace(/\D/g, '').lastIndexOf(parsed.nationalNumber);
  // Only layouts whose national number is the tail of the digits can be rewritten in place.
  const reading: LayoutReading | null =
    parsed === undefined || digitsAfterNational + parsed.nationalNumber.length !== total
      ? null
      : {
          region: (parsed.country ?? defaultRegion) as CountryCode,
          nationalLength: parsed.nationalNumber.length,
        };
  if (readingMemo.size >= MEMO_LIMIT) readingMemo.clear();
  readingMemo.set(memoKey, reading);
  return reading;
}

/** Parses for tests and callers that check results: the libphonenumber reading of a value in a region. */
export function readPhone(value: string, region: CountryCode): ReturnType<typeof parsePhoneNumberFromString> {
  return parsePhoneNumberFromString(value, region);
}
