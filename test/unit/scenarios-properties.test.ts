import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizeScenarioText,
  parseAdfDescription,
  parseWikiDescription,
  renderAdfDescription,
  renderWikiDescription,
  type ScenarioBody,
  type ScenarioStep,
} from '../../core/scenarios/index.js';

// Wiki markup cannot write a backslash before a markup character, another backslash or a line end
// (`\\` is a line break), and the inline decoder reserves two private-use characters; everything
// else, markup characters and lone backslashes included, must survive a round trip.
const wikiChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019 .,:;"\'()') },
  { weight: 4, arbitrary: fc.constantFrom(...'|*_{}[]!^~+?#-h\n\t=@/&<>\\') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const rawText = (alphabet: fc.Arbitrary<string>) =>
  fc
    .array(alphabet, { minLength: 1, maxLength: 30 })
    .map((chars) => normalizeScenarioText(chars.join('')))
    .filter((t) => t.length > 0 && !/[\uE000\uE001]|\\(?=[|*_{}[\]!^~+?#\-\\\n]|$)/.test(t));

function bodyArbitrary(alphabet: fc.Arbitrary<string>): fc.Arbitrary<ScenarioBody> {
  const text = rawText(alphabet);
  const step: fc.Arbitrary<ScenarioStep> = fc
    .record({
      action: text,
      data: fc.option(text, { nil: undefined }),
      expected: fc.option(text, { nil: undefined }),
    })
    .map((s) => ({
      action: s.action,
      ...(s.data !== undefined ? { data: s.data } : {}),
      ...(s.expected !== undefined ? { expected: s.expected } : {}),
    }));
  return fc.record({
    preconditions: fc.array(text, { maxLength: 4 }),
    steps: fc.array(step, { maxLength: 5 }),
    expectedResults: fc.array(text, { maxLength: 4 }),
  });
}

describe('scenario description round trips', () => {
  it('parseWikiDescription(renderWikiDescription(body)) gives the body back', () => {
    fc.assert(
      fc.property(bodyArbitrary(wikiChar), (body) => {
        const parsed = parseWikiDescription(renderWikiDescription(body));
        expect(parsed.problems).toEqual([]);
        expect(parsed.body).toEqual(body);
      }),
      { numRuns: 400 },
    );
  });

  it('parseAdfDescription(renderAdfDescription(body)) gives the body back', () => {
    const anyChar = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 });
    fc.assert(
      fc.property(bodyArbitrary(fc.oneof(wikiChar, anyChar)), (body) => {
        const parsed = parseAdfDescription(renderAdfDescription(body));
        expect(parsed.problems).toEqual([]);
        expect(parsed.body).toEqual(body);
      }),
      { numRuns: 400 },
    );
  });

  it('a backslash before a markup character is the one known loss of the wiki form', () => {
    const parsed = parseWikiDescription(
      renderWikiDescription({ preconditions: ['a\\|b', 'C:\\temp'], steps: [], expectedResults: [] }),
    );
    expect(parsed.body.preconditions).toEqual(['a\n|b', 'C:\\temp']);
  });
});

const MARKER = 'SECRET-VALUE-7f3a';
const NODE_TYPES = [
  'doc',
  'paragraph',
  'heading',
  'text',
  'hardBreak',
  'bulletList',
  'orderedList',
  'listItem',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'codeBlock',
  'panel',
  'mention',
  'emoji',
  'date',
  'status',
  'expand',
  'mediaSingle',
  'taskList',
  'taskItem',
  'unknownThing',
];

// ADF-shaped junk: the right vocabulary in arbitrary arrangements, with wrong types sprinkled in.
const adfish = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        type: fc.oneof(fc.constantFrom(...NODE_TYPES), fc.integer(), fc.constant(null)),
        text: fc.oneof(
          fc.constant(MARKER),
          fc.string(),
          fc.integer(),
          fc.constantFrom('Steps', 'Given x', 'Expected: y'),
        ),
        attrs: fc.oneof(
          fc.record({
            level: fc.integer(),
            text: fc.constant(MARKER),
            timestamp: fc.oneof(fc.string(), fc.double()),
          }),
          fc.constant('attrs'),
        ),
        content: fc.oneof(fc.array(tie('node'), { maxLength: 4 }), fc.string(), fc.constant({})),
      },
      { requiredKeys: [] },
    ),
    fc.constant(MARKER),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.constant(MARKER), { maxLength: 2 }),
  ),
}));

function resolvePath(root: unknown, path: string): { found: boolean; parentFound: boolean } {
  const parts = path.replace(/^description/, '').match(/\.[A-Za-z_]+|\[\d+\]/g) ?? [];
  let value: unknown = root;
  let parentFound = true;
  for (const [i, part] of parts.entries()) {
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
    if (typeof value !== 'object' || value === null) return { found: false, parentFound: i === parts.length };
    parentFound = true;
    value = (value as Record<string | number, unknown>)[key];
  }
  return { found: value !== undefined, parentFound };
}

describe('ADF parsing of arbitrary input', () => {
  it('never throws, names real node paths, and never puts node text in a message', () => {
    fc.assert(
      fc.property(adfish.node, fc.boolean(), (node, wrap) => {
        const input = wrap ? { type: 'doc', version: 1, content: [node] } : node;
        const { body, problems } = parseAdfDescription(input);
        for (const problem of problems) {
          expect(problem.path).toMatch(/^description(\.[A-Za-z_]+|\[\d+\])*$/);
          // The path leads to the faulty node; only a missing field (`.type`, `.text`) may not exist.
          const { found, parentFound } = resolvePath(input, problem.path);
          expect(
            found ||
              (parentFound && /\.(type|text|content)$/.test(problem.path)) ||
              problem.path === 'description',
          ).toBe(true);
          expect(problem.message).not.toContain(MARKER);
        }
        for (const text of [
          ...body.preconditions,
          ...body.expectedResults,
          ...body.steps.map((s) => s.action),
        ]) {
          expect(text.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('reports nesting deeper than the limit instead of overflowing the stack', () => {
    let node: unknown = { type: 'text', text: 'deep' };
    for (let i = 0; i < 5000; i++) node = { type: 'panel', content: [node] };
    const { problems } = parseAdfDescription({ type: 'doc', content: [node] });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/nested deeper than/);
  });

  it('wiki parsing never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(wikiChar, { maxLength: 200 }), (chars) => {
        const { body } = parseWikiDescription(chars.join(''));
        for (const s of body.steps) expect(s.action.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
