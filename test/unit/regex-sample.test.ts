import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { createRng } from '../../core/random/index.js';
import { createRegexSampler } from '../../core/text/regex-sample.js';

/** Patterns covering anchors, classes, escapes, quantifiers, groups, alternation and unicode. */
const CORPUS = [
  '^[A-Z]{2}\\d{4}$',
  'CUST-\\d{6}',
  '[a-z]+@[a-z]{3,8}\\.(com|org|de)',
  '^(?:\\+49|0)[1-9]\\d{2,4} ?\\d{4,7}$',
  '[^a-z]{5}',
  '[^\\x20-\\x7e]{3}',
  '.{0,10}',
  '\\w+\\s\\W\\S\\D',
  'a*b+c?d{2,}e{1,3}?',
  '(ab|cd|)+',
  '(?<year>19|20)\\d\\d-(0[1-9]|1[0-2])',
  '[\\u0400-\\u04FF]{2,5}',
  '\\u{1F600}[😀-😂]+',
  '\\p{Lu}\\p{Ll}{3}',
  '\\P{L}{2}',
  '[\\d\\-_.]{4}',
  '[a\\-z]',
  'x|y|z|',
  '\\t\\n\\x41\\u00e9\\cJ',
  '[\\b]',
  '^$',
  'Straße [0-9]{1,3}[a-c]?',
  '\\-\\d', // valid only outside unicode mode
  '\\{\\}\\(\\)\\[\\]\\*\\+\\?\\.\\^\\$\\|\\\\',
];

function fullMatch(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return new RegExp(`^(?:${pattern})$`);
  }
}

describe('createRegexSampler', () => {
  it.each(CORPUS)('generates strings matching %s', (pattern) => {
    const sample = createRegexSampler(pattern);
    const re = fullMatch(pattern);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const s = sample(rng);
          expect(re.test(s), `${JSON.stringify(s)} !~ ${pattern}`).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('generates matching strings for random patterns built from the supported grammar', () => {
    // Groups take only bounded quantifiers: nested unbounded ones (`(.+|.*)*`) send the checking RegExp
    // into catastrophic backtracking, which would test V8 rather than the sampler.
    const leaf = fc.constantFrom(
      'a',
      'Z',
      '\\d',
      '\\w',
      '\\s',
      '\\D',
      '[a-f]',
      '[^0-9]',
      '.',
      'é',
      '\\u{1F600}',
      '\\.',
      '[\\d_-]',
    );
    const leafQuantifier = fc.constantFrom('', '*', '+', '?', '{2}', '{1,3}', '{0,}', '+?');
    const groupQuantifier = fc.constantFrom('', '?', '{2}');
    const { pattern } = fc.letrec<{ pattern: string; piece: string }>((tie) => ({
      piece: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        fc.tuple(leaf, leafQuantifier).map(([a, q]) => a + q),
        fc.tuple(tie('pattern'), groupQuantifier).map(([p, q]) => `(${p})${q}`),
        fc.tuple(tie('pattern'), groupQuantifier).map(([p, q]) => `(?:${p})${q}`),
      ),
      pattern: fc
        .array(tie('piece'), { minLength: 1, maxLength: 4 })
        .chain((parts) => fc.constantFrom(parts.join(''), parts.join('|'), `^${parts.join('')}$`)),
    }));
    fc.assert(
      fc.property(pattern, fc.integer({ min: 0, max: 0xffffffff }), (p, seed) => {
        let sample: (rng: ReturnType<typeof createRng>) => string;
        try {
          sample = createRegexSampler(p);
        } catch (error) {
          // Only anchors that text could precede or follow may be refused; the grammar nests them in groups.
          expect((error as Error).message).toContain('anchor');
          expect(p.slice(1, -1)).toMatch(/[$^]/);
          return;
        }
        const re = fullMatch(p);
        const rng = createRng(seed);
        for (let i = 0; i < 5; i++) {
          const s = sample(rng);
          expect(re.test(s), `${JSON.stringify(s)} !~ ${p}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic for a given rng state and varies across seeds', () => {
    const sample = createRegexSampler('[A-Z]{3}-\\d{5}');
    const a = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sample(rng)
      )(createRng(7)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sample(rng)
      )(createRng(7)),
    );
    const c = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sample(rng)
      )(createRng(8)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('bounds unbounded quantifiers by maxRepeat', () => {
    const sample = createRegexSampler('a+', { maxRepeat: 3 });
    const rng = createRng(1);
    const lengths = new Set(Array.from({ length: 500 }, () => sample(rng).length));
    expect([...lengths].sort()).toEqual([1, 2, 3, 4]);
  });

  it('covers every alternative and class member', () => {
    const sample = createRegexSampler('(cat|dog|[xyz])');
    const rng = createRng(3);
    const seen = new Set(Array.from({ length: 1000 }, () => sample(rng)));
    expect([...seen].sort()).toEqual(['cat', 'dog', 'x', 'y', 'z']);
  });

  it.each([
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'lookbehind'],
    ['a(?=b)', 'lookahead'],
    ['a(?!b)', 'lookahead'],
    ['(a)\\1', 'backreference'],
    ['(?<n>a)\\k<n>', 'backreference'],
    ['\\bword\\b', 'word boundary'],
    ['[a-', 'not a valid regular expression'],
    ['(ab', 'not a valid regular expression'],
    ['[]', 'matches nothing'],
    ['[^]', null],
    ['a^b', 'anchor'],
    ['((a{1,100}){1,100}){1,100}', 'longer than'],
    ['(^a)+', 'anchor'],
    ['a$b', 'anchor'],
    ['(^a|b$)', null],
    ['^(?:^a$)$', null],
  ])('refuses %s naming the field', (pattern, reason) => {
    if (reason === null) {
      expect(() => createRegexSampler(pattern)).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      createRegexSampler(pattern, { field: 'tables.t.columns.code.regex' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('tables.t.columns.code.regex');
    expect((error as ConfigError).message).toContain(reason);
  });
});
