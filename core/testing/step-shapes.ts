/**
 * Scenario step phrases to {@link StepShape}s (the grammar is in docs/test-generation.md). Parsing
 * is forgiving (quotes optional where the value is unambiguous, keywords case-insensitive, Gherkin
 * words, bullets and trailing periods ignored) and never throws: what does not parse becomes
 * `{kind: 'unsupported'}`.
 */
import { parseConditions } from './conditions.js';
import {
  isWholePlaceholder,
  matchPhrase,
  normalizePhrase,
  readCount,
  readLiteral,
  readValue,
  splitOutside,
  toPhrase,
  type Phrase,
} from './phrase-text.js';
import type { StepShape } from './types.js';

type Method = Extract<StepShape, { kind: 'call' }>['method'];

/** Where a phrase was written: a step's action, or an expected result (which allows bare forms like `200 OK`). */
type Context = 'action' | 'expectation';

/**
 * Parses a step's action; `data` (the step's Data column) supplies a missing fill value or request
 * body. Never throws.
 */
export function parseStep(action: string, data?: string): StepShape {
  try {
    return parsePhrase(action, 'action', data?.trim() || undefined);
  } catch {
    return { kind: 'unsupported', text: action };
  }
}

/**
 * Parses an expected-result text into expectation shapes: one per line or `;`-separated clause, and
 * clauses joined by `and` are split when every part parses. Never throws; blank text gives `[]`.
 */
export function parseExpectation(text: string): StepShape[] {
  try {
    const shapes: StepShape[] = [];
    for (const clause of splitOutside(text, /\s*[\n;]\s*/g)) {
      const whole = parsePhrase(clause, 'expectation');
      if (whole.kind !== 'unsupported') {
        shapes.push(whole);
        continue;
      }
      const parts = splitOutside(clause, /\s*,?\s+and\s+(?:then\s+)?/gi);
      const parsed = parts.map((p) => parsePhrase(p, 'expectation'));
      if (parts.length > 1 && parsed.every((s) => s.kind !== 'unsupported')) shapes.push(...parsed);
      else shapes.push(whole);
    }
    return shapes;
  } catch {
    return text.trim().length > 0 ? [{ kind: 'unsupported', text }] : [];
  }
}

/** True for the shapes that check rather than act (what an Expected column holds). */
export function isExpectationShape(shape: StepShape): boolean {
  return (
    shape.kind === 'expectText' ||
    shape.kind === 'expectStatus' ||
    shape.kind === 'expectBody' ||
    shape.kind === 'expectJson' ||
    shape.kind === 'expectRows'
  );
}

type Rule = (p: Phrase, context: Context, data: string | undefined) => StepShape | undefined;

const RULES: readonly Rule[] = [
  callRule,
  queryRule,
  expectRowsRule,
  expectJsonRule,
  expectStatusRule,
  expectBodyRule,
  expectTextRule,
  openRule,
  fillRule,
  clickRule,
];

function parsePhrase(raw: string, context: Context, data?: string): StepShape {
  const text = normalizePhrase(raw);
  if (text.length === 0) return { kind: 'unsupported', text: raw.trim() };
  const phrase = toPhrase(text);
  for (const rule of RULES) {
    const shape = rule(phrase, context, data);
    if (shape) return shape;
  }
  return { kind: 'unsupported', text: raw.trim() };
}

// ---------------------------------------------------------------- browser steps

function openRule(p: Phrase): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:open|opens|go(?:es)?\s+to|navigates?\s+to|visits?|browses?\s+to|loads?)\s+(?:the\s+)?(?:(?:page|url|address)\s+)?(.+?)(?:\s+page)?$/di,
  );
  if (!m?.[0]) return undefined;
  const path = readValue(m[0]).value.trim();
  if (!isPathLike(path)) return undefined;
  return { kind: 'open', path };
}

function isPathLike(path: string): boolean {
  return /^(?:\/|https?:\/\/)\S*$/i.test(path) || /^\{[^{}]+\}\S*$/.test(path);
}

function fillRule(p: Phrase, _context: Context, data: string | undefined): StepShape | undefined {
  const withValue = matchPhrase(
    p,
    /^(?:fill(?:s)?(?:\s+in|\s+out)?|completes?|sets?|changes?)\s+(.+?)\s+(?:with|to)\s+(.+)$/di,
  );
  if (withValue?.[0] && withValue[1]) return fill(withValue[0], withValue[1]);
  const into = matchPhrase(
    p,
    /^(?:enters?|types?|inputs?|writes?|puts?|fills?\s+in)\s+(.+?)\s+(?:in|into|in\s+to|on)\s+(.+)$/di,
  );
  if (into?.[0] && into[1]) return fill(into[1], into[0]);
  if (data !== undefined) {
    const fieldOnly = matchPhrase(
      p,
      /^(?:fill(?:s)?(?:\s+in|\s+out)?|enters?(?:\s+in(?:to)?)?|types?(?:\s+in(?:to)?)?|completes?|sets?)\s+(.+)$/di,
    );
    if (fieldOnly?.[0]) return fill(fieldOnly[0], data, false);
  }
  return undefined;
}

function fill(rawField: string, rawValue: string, valueIsPhrase = true): StepShape | undefined {
  const field = cleanTarget(
    rawField,
    /\s+(?:field|box|input|text\s*box|textbox|text\s+field|area|textarea)$/i,
  );
  if (field.length === 0) return undefined;
  const value = valueIsPhrase ? readValue(rawValue).value : rawValue;
  return { kind: 'fill', field, value };
}

function clickRule(p: Phrase): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:click(?:s)?(?:\s+on)?|press(?:es)?(?:\s+on)?|taps?(?:\s+on)?|hits?|chooses?|activates?)\s+(.+)$/di,
  );
  if (!m?.[0]) return undefined;
  const target = cleanTarget(m[0], /\s+(?:button|link|tab|menu\s+item|item|icon|option)$/i);
  return target.length > 0 ? { kind: 'click', target } : undefined;
}

/** A field or button name: articles and a trailing kind word ("the "Pay" button") dropped, quotes removed. */
function cleanTarget(raw: string, trailingKind: RegExp): string {
  const phrase = toPhrase(raw.trim().replace(/^(?:the|a|an|on\s+the|on)\s+/i, ''));
  const m = trailingKind.exec(phrase.masked);
  const text = m ? phrase.text.slice(0, m.index) : phrase.text;
  return readValue(text).value.trim();
}

const NEGATED_SEE =
  /^(?:should\s+not|shouldn't|does\s+not|doesn't|do\s+not|don't|must\s+not|cannot|can't|can\s+not|will\s+not|won't)\s+see\s+(?:the\s+)?(?:text\s+)?(.+)$/di;
const NEGATED_PAGE =
  /^(?:expects?\s+)?(?:that\s+)?(?:the\s+)?(?:page|screen)\s+(?:does\s+not|doesn't|should\s+not|shouldn't|must\s+not|will\s+not|won't)\s+(?:show|display|contain|include)\s+(?:the\s+)?(?:text\s+)?(.+)$/di;
const NEGATED_EXPECT = /^expects?\s+(?:no\s+text|the\s+text\s+not|not\s+to\s+see)\s+(.+)$/di;
const NEGATED_SHOWN =
  /^(?:the\s+)?(?:text\s+)?(.+?)\s+(?:is|are)\s+not\s+(?:shown|displayed|visible|present)(?:\s+on\s+the\s+(?:page|screen))?$/di;
const SEE = /^(?:should\s+|must\s+|will\s+|can\s+)?(?:see|sees)\s+(?:the\s+)?(?:text\s+)?(.+)$/di;
const EXPECT_TEXT =
  /^expects?\s+(?:(?:the\s+)?(?:page|screen)\s+to\s+(?:show|contain|display|include)\s+)?(?:the\s+)?text\s+(.+)$/di;
const EXPECT_PAGE =
  /^expects?\s+(?:the\s+)?(?:page|screen)\s+to\s+(?:show|contain|display|include)\s+(.+)$/di;
const PAGE_SHOWS =
  /^(?:the\s+)?(?:page|screen)\s+(?:shows|displays|contains|includes|should\s+(?:show|display|contain|include)|must\s+(?:show|display|contain|include))\s+(?:the\s+)?(?:text\s+)?(.+)$/di;
const SHOWN =
  /^(?:the\s+)?(?:text\s+)?(.+?)\s+(?:is|are)\s+(?:shown|displayed|visible|present)(?:\s+on\s+the\s+(?:page|screen))?$/di;
const SHOWS = /^(?:shows|displays)\s+(?:the\s+)?(?:text\s+)?(.+)$/di;

function expectTextRule(p: Phrase, context: Context): StepShape | undefined {
  for (const pattern of [NEGATED_SEE, NEGATED_PAGE, NEGATED_EXPECT]) {
    const m = matchPhrase(p, pattern);
    if (m?.[0]) return expectText(m[0], true, false);
  }
  const negatedShown = matchPhrase(p, NEGATED_SHOWN);
  if (negatedShown?.[0]) return expectText(negatedShown[0], true, true);
  for (const pattern of [SEE, EXPECT_TEXT, EXPECT_PAGE, PAGE_SHOWS]) {
    const m = matchPhrase(p, pattern);
    if (m?.[0]) return expectText(m[0], false, false);
  }
  // Descriptive forms ("Error message is shown") only when the text is quoted or a placeholder.
  const shown = matchPhrase(p, SHOWN);
  if (shown?.[0]) return expectText(shown[0], false, true);
  if (context === 'expectation') {
    const shows = matchPhrase(p, SHOWS);
    if (shows?.[0]) return expectText(shows[0], false, true);
  }
  return undefined;
}

function expectText(raw: string, negate: boolean, needsQuotes: boolean): StepShape | undefined {
  const written = readValue(raw);
  if (needsQuotes && !written.quoted && !isWholePlaceholder(written.value)) return undefined;
  if (written.value.length === 0) return undefined;
  return negate
    ? { kind: 'expectText', text: written.value, negate: true }
    : { kind: 'expectText', text: written.value };
}

// ---------------------------------------------------------------- API steps

function callRule(p: Phrase, _context: Context, data: string | undefined): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:(?:calls?|sends?|makes?|requests?|does|do)\s+(?:an?\s+)?)?(get|post|put|patch|delete)\s+(?:request\s+(?:to\s+|on\s+)?|on\s+|to\s+)?(\S+)(?:\s+(?:with|using)(?:\s+(?:the\s+)?(?:json\s+)?(?:body|json|payload|data))?\s+(.+))?$/di,
  );
  if (!m?.[0] || !m[1]) return undefined;
  const path = readValue(m[1]).value;
  if (!isPathLike(path)) return undefined;
  const method = m[0].toUpperCase() as Method;
  const body = m[2] !== undefined ? readBody(m[2]) : data;
  return body === undefined || body.length === 0
    ? { kind: 'call', method, path }
    : { kind: 'call', method, path, body };
}

function readBody(raw: string): string {
  const t = raw.trim();
  // JSON is written bare; a quoted body is a JSON string only if the quotes are not JSON's own.
  if (/^[[{]/.test(t)) return t;
  const written = readValue(t);
  return written.value;
}

const STATUS_WORDS = '(?:\\s+[A-Za-z][A-Za-z \\-]*|\\s*\\([^)]*\\))?';

function expectStatusRule(p: Phrase, context: Context): StepShape | undefined {
  const patterns = [
    new RegExp(
      `^(?:expects?\\s+)?(?:that\\s+)?(?:the\\s+)?(?:http\\s+)?(?:response\\s+|api\\s+|request\\s+)?(?:http\\s+)?status(?:\\s+code)?\\s*(?:is|was|should\\s+be|must\\s+be|equals|=|==|of|to\\s+be|:)?\\s*(\\d{3})${STATUS_WORDS}$`,
      'di',
    ),
    new RegExp(
      `^(?:expects?\\s+)?(?:that\\s+)?(?:the\\s+)?(?:api|response|request|call|endpoint|server|it)?\\s*(?:returns|responds\\s+with|should\\s+return|should\\s+respond\\s+with|answers\\s+with|returned|fails\\s+with|succeeds\\s+with)\\s+(?:an?\\s+)?(?:http\\s+)?(?:status\\s+(?:code\\s+)?)?(\\d{3})${STATUS_WORDS}$`,
      'di',
    ),
    new RegExp(`^expects?\\s+(?:http\\s+)?(\\d{3})${STATUS_WORDS}$`, 'di'),
  ];
  if (context === 'expectation') {
    patterns.push(new RegExp(`^(?:http\\s+)?(\\d{3})${STATUS_WORDS}$`, 'di'));
  }
  for (const pattern of patterns) {
    const m = matchPhrase(p, pattern);
    const status = m?.[0] === undefined ? NaN : Number(m[0]);
    if (status >= 100 && status <= 599) return { kind: 'expectStatus', status };
  }
  return undefined;
}

function expectBodyRule(p: Phrase): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:expects?\s+)?(?:that\s+)?(?:the\s+)?(?:response(?:\s+body)?|body|json|reply)\s+(?:to\s+contain|contains|includes|to\s+include|should\s+contain|should\s+include|must\s+contain|has)\s+(?:the\s+)?(?:text\s+)?(.+)$/di,
  );
  if (!m?.[0]) return undefined;
  const contains = readValue(m[0]).value;
  return contains.length > 0 ? { kind: 'expectBody', contains } : undefined;
}

function expectJsonRule(p: Phrase): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:expects?\s+)?(?:that\s+)?(?:the\s+)?(?:response\s+|json\s+|body\s+)?(?:field|property|key|attribute|value\s+(?:of|at))\s+(.+?)\s+(?:equals|is|=|==|should\s+(?:be|equal)|to\s+(?:be|equal)|must\s+(?:be|equal))\s+(.+)$/di,
  );
  if (!m?.[0] || !m[1]) return undefined;
  const path = readValue(m[0]).value.trim();
  if (!/^[^\s.[\]]+(?:\.[^\s.[\]]+|\[\d+\])*$/.test(path)) return undefined;
  const literal = readLiteral(m[1]);
  return { kind: 'expectJson', path, equals: literal.value };
}

// ---------------------------------------------------------------- database steps

function queryRule(p: Phrase): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:query|queries|select\s+(?:\*\s+)?from|look\s+up|looks\s+up)\s+(?:the\s+)?(?:table\s+)?(\S+)(?:\s+table)?(?:\s+(?:where|with|whose|for)\s+(.+))?$/di,
  );
  if (!m?.[0]) return undefined;
  const table = readValue(m[0]).value.trim();
  if (table.length === 0) return undefined;
  if (m[1] === undefined) return { kind: 'query', table, filters: [] };
  const parsed = parseConditions(m[1]);
  if (parsed.unreadable.length > 0 || parsed.conditions.length === 0) return undefined;
  return {
    kind: 'query',
    table,
    filters: parsed.conditions.map((c) => ({
      column: c.column,
      op: c.op,
      ...(c.value === undefined ? {} : { value: c.value }),
    })),
  };
}

function expectRowsRule(p: Phrase): StepShape | undefined {
  const m = matchPhrase(
    p,
    /^(?:expects?\s+|should\s+(?:get|find|return|see|have)\s+|(?:the\s+)?(?:query|result|table|select)\s+(?:returns|has|gives|finds|should\s+(?:return|have|give|find))\s+|there\s+(?:is|are|should\s+be)\s+)?(exactly\s+|at\s+least\s+|at\s+most\s+|more\s+than\s+|fewer\s+than\s+|less\s+than\s+|no\s+more\s+than\s+)?(no|zero|none|a\s+single|an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,9})\s+(?:matching\s+)?(?:rows?|records?|results?|matches)(?:\s+(?:returned|found|match(?:es)?|are\s+returned|is\s+returned|in\s+the\s+result))?$/di,
  );
  if (!m?.[1]) return undefined;
  const n = readCount(m[1].replace(/\s+/g, ' '));
  if (n === undefined) return undefined;
  const qualifier = (m[0] ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  switch (qualifier) {
    case 'at least':
      return { kind: 'expectRows', min: n };
    case 'at most':
    case 'no more than':
      return { kind: 'expectRows', max: n };
    case 'more than':
      return { kind: 'expectRows', min: n + 1 };
    case 'fewer than':
    case 'less than':
      return n === 0 ? undefined : { kind: 'expectRows', max: n - 1 };
    default:
      return { kind: 'expectRows', count: n };
  }
}
