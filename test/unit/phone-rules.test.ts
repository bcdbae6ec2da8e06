import {
  getCountries,
  getCountryCallingCode,
  isValidPhoneNumber,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/random/index.js';
import { fakePhoneNumber, formatPreservingPhone } from '../../core/replace/phone-numbers.js';
import { formatNationalFor, isValidNationalFor } from '../../core/replace/phone-rules.js';

/** libphonenumber's own answer: `+cc national` parses to this region, as this national number, and is valid. */
function libraryValid(region: CountryCode, national: string): boolean {
  const p = parsePhoneNumberFromString(`+${getCountryCallingCode(region)}${national}`);
  return p !== undefined && p.country === region && p.nationalNumber === national && p.isValid();
}

describe('compiled phone validity', () => {
  it('agrees with libphonenumber on numbers drawn around every region’s example number', () => {
    const rng = createRng(2024);
    let compared = 0;
    let valid = 0;
    const disagreements: string[] = [];
    for (const region of getCountries()) {
      const example = (examples as Record<string, string | undefined>)[region];
      if (example === undefined) continue;
      for (let k = 0; k < 60; k++) {
        // Keep a random share of the example's prefix; now and then change the length by one.
        let n = example.slice(0, rng.nextInt(example.length + 1));
        const length = example.length + (rng.nextInt(5) === 0 ? rng.nextInt(3) - 1 : 0);
        while (n.length < length) n += String(rng.nextInt(10));
        const expected = libraryValid(region, n);
        if (expected) valid++;
        compared++;
        if (isValidNationalFor(region, n) !== expected) disagreements.push(`${region} ${n}`);
      }
    }
    expect(disagreements).toEqual([]);
    // Both answers occur in quantity, so agreement is not agreement on "false".
    expect(compared).toBeGreaterThan(10_000);
    expect(valid / compared).toBeGreaterThan(0.3);
    expect(valid / compared).toBeLessThan(0.95);
  });

  it('formats valid numbers of every region exactly as libphonenumber does, national and international', () => {
    const rng = createRng(77);
    const disagreements: string[] = [];
    let compared = 0;
    for (const region of getCountries()) {
      const example = (examples as Record<string, string | undefined>)[region];
      if (example === undefined) continue;
      for (let k = 0; k < 40; k++) {
        let n = example.slice(0, rng.nextInt(example.length + 1));
        while (n.length < example.length) n += String(rng.nextInt(10));
        if (!isValidNationalFor(region, n)) continue;
        const parsed = parsePhoneNumberFromString(`+${getCountryCallingCode(region)}${n}`);
        for (const international of [false, true]) {
          const expected = international ? parsed?.formatInternational() : parsed?.formatNational();
          compared++;
          if (formatNationalFor(region, n, international) !== expected)
            disagreements.push(`${region} ${n} ${international}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(5_000);
  });

  it('assigns numbers of shared calling codes to the right region (+1 CA vs US, +44 GG vs GB)', () => {
    expect(isValidNationalFor('CA', '6132345678')).toBe(true);
    expect(isValidNationalFor('US', '6132345678')).toBe(false);
    expect(isValidNationalFor('US', '4155552671')).toBe(true);
    expect(isValidNationalFor('GG', '7911123456')).toBe(true);
    expect(isValidNationalFor('GB', '7911123456')).toBe(false);
    expect(isValidNationalFor('GB', '7400123456')).toBe(true);
  });
});

describe('phone fakes for regions that share a calling code', () => {
  it('a Canadian number keeps its layout and region, valid, and is not one constant number', () => {
    const rng = createRng(5);
    const outs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const out = formatPreservingPhone('(416) 233-1631', 'US', rng);
      expect(out).not.toBeNull();
      expect((out as string).replace(/\d/g, '9')).toBe('(999) 999-9999');
      expect(parsePhoneNumberFromString(out as string, 'US')?.country).toBe('CA');
      expect(isValidPhoneNumber(out as string, 'CA')).toBe(true);
      outs.add(out as string);
    }
    expect(outs.size).toBeGreaterThan(150);
  });

  it('fake numbers are valid for their region, national and international', () => {
    const rng = createRng(6);
    for (const region of [
      'US',
      'CA',
      'GB',
      'DE',
      'FR',
      'ES',
      'IT',
      'NL',
      'PL',
      'SE',
      'BR',
      'IN',
      'JP',
      'AU',
    ] as CountryCode[]) {
      for (let i = 0; i < 50; i++) {
        const national = fakePhoneNumber(region, rng, false) as string;
        const international = fakePhoneNumber(region, rng, true) as string;
        expect(isValidPhoneNumber(national, region)).toBe(true);
        expect(parsePhoneNumberFromString(international)?.country).toBe(region);
        expect(isValidPhoneNumber(international)).toBe(true);
      }
    }
  });
});
