import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskedExamplesOf, maskExample } from '../../core/pii/llm-masking.js';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

describe('maskExample', () => {
  it('keeps the shape of common personal data', () => {
    expect(maskExample('jo.doe@ex.com')).toBe('xx.xxx@xx.xxx');
    expect(maskExample('+44 20 7946 0958')).toBe('+99 99 9999 9999');
    expect(maskExample('DE89 3704 0044 0532 0130 00')).toBe('XX99 9999 9999 9999 9999 99');
    expect(maskExample('Zoë Müller-Lüdenscheidt')).toBe('Xxx Xxxxxx-Xxxxxxxxxxxx');
    expect(maskExample('1985-04-12')).toBe('9999-99-99');
    expect(maskExample('')).toBe('');
  });

  it('masks letters and digits of other scripts and decomposed accents', () => {
    expect(maskExample('Иван Петров')).toBe('Xxxx Xxxxxx');
    expect(maskExample('山田太郎')).toBe('xxxx');
    expect(maskExample('٣٤٥')).toBe('999');
    // "é" as e + combining acute: the mark is dropped with its letter masked.
    expect(maskExample('Re\u0301my')).toBe('Xxxx');
  });

  it('cuts long values, and masking a cut value again changes nothing', () => {
    expect(maskExample('a'.repeat(100), { maxLength: 5 })).toBe('xxxxx…');
    expect(maskExample('xxxxx…')).toBe('xxxxx…');
    expect(maskExample('abcde', { maxLength: 5 })).toBe('xxxxx');
  });

  it('lets no letter or digit of the input survive (any unicode string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        const masked = maskExample(value, { maxLength: 1000 });
        for (const ch of masked) {
          if (LETTER_OR_DIGIT.test(ch)) expect(['x', 'X', '9']).toContain(ch);
        }
        // Nothing but the mask alphabet, ASCII punctuation, space and the placeholder.
        expect(masked).toMatch(/^[xX9 !-/:-@[-`{-~?…]*$/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('preserves the length and punctuation positions of ASCII values', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcXYZ019 .-@_+/()'.split('')), maxLength: 60 }),
        (value) => {
          const masked = maskExample(value, { maxLength: 1000 });
          expect(masked.length).toBe(value.length);
          for (let i = 0; i < value.length; i++) {
            const ch = value[i] as string;
            const m = masked[i];
            if (/[a-z]/.test(ch)) expect(m).toBe('x');
            else if (/[A-Z]/.test(ch)) expect(m).toBe('X');
            else if (/[0-9]/.test(ch)) expect(m).toBe('9');
            else expect(m).toBe(ch);
          }
        },
      ),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
        const once = maskExample(value, { maxLength: 1000 });
        expect(maskExample(once, { maxLength: 1000 })).toBe(once);
      }),
    );
  });
});

describe('maskedExamplesOf', () => {
  it('returns distinct shapes from across the column, skipping nulls and empty strings', () => {
    const values = [null, 'ab@cd.ef', 'gh@ij.kl', '', 'Mn Op', 12345, null, 'QR-99'];
    expect(maskedExamplesOf(values, 10)).toEqual(['xx@xx.xx', 'Xx Xx', '99999', 'XX-99']);
  });

  it('never returns more than max, and reaches late values of a sorted column', () => {
    const values = [
      ...Array.from({ length: 500 }, () => 'aaaa'),
      ...Array.from({ length: 500 }, () => '1234'),
    ];
    const shapes = maskedExamplesOf(values, 2);
    expect(shapes).toHaveLength(2);
    expect(shapes).toContain('9999');
    expect(maskedExamplesOf(values, 0)).toEqual([]);
  });

  it('contains no raw letter or digit for any input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.constant(null), fc.double())),
        fc.integer({ min: 0, max: 8 }),
        (values, max) => {
          const shapes = maskedExamplesOf(values, max);
          expect(shapes.length).toBeLessThanOrEqual(max);
          for (const s of shapes) expect(s.replace(/[xX9]/g, '')).not.toMatch(LETTER_OR_DIGIT);
        },
      ),
    );
  });
});
