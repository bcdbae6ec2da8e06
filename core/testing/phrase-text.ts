/**
 * Reading scenario phrases: the tester's sentence is normalised (smart quotes, bullets, Gherkin
 * keywords, trailing periods) and matched against patterns on a *masked* copy in which quoted
 * strings and `{alias.column}` placeholders are blanked out, so that a keyword inside a quoted
 * value ("Fill "Ship with care" with x") is never taken for grammar.
 */

/** A phrase ready for matching: the text and its masked twin (same length, quotes and placeholders blanked). */
export interface Phrase {
  text: string;
  masked: string;
}

/** The `{alias.column}` placeholder syntax (global: use with matchAll or a fresh lastIndex). */
export const PLACEHOLDER_PATTERN = /\{\s*([A-Za-z_][\w-]*)\.([^{}"'\s][^{}"']*?)\s*\}/g;

const SMART_QUOTES: Readonly<Record<string, string>> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2018': "'",
  '\u2019': "'",
};

// Bullets and step numbers a tester or an editor puts in front of a step.
const LEADING_MARKER = /^(?:[-*•·]\s+|\d+[.)]\s+|step\s+\d+\s*[:.)-]\s*|#\s*\d+\s*[:.)-]?\s+)/i;
// Gherkin keywords and the grammatical subject: "When I click", "Then the user should see".
const LEADING_SUBJECT =
  /^(?:(?:given|when|then|and|but)\s+)?(?:(?:i|we|the\s+user|the\s+tester|user|tester)\s+)?/i;

/** Normalises a phrase: smart quotes to ASCII, whitespace collapsed, bullets and trailing periods dropped. */
export function normalizePhrase(raw: string, options: { stripSubject?: boolean } = {}): string {
  let text = raw.replace(/[\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]/g, (c) => SMART_QUOTES[c] ?? c);
  text = text.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) {
    const next = text.replace(LEADING_MARKER, '');
    if (next === text) break;
    text = next;
  }
  // "I should see" keeps "should see", "the user sees" keeps "sees": only the subject goes.
  if (options.stripSubject !== false) text = text.replace(LEADING_SUBJECT, '');
  text = stripTrailingPunctuation(text);
  return text.trim();
}

function stripTrailingPunctuation(text: string): string {
  const t = text.trimEnd();
  // A period after a closing quote or a bare word ends the sentence; one inside quotes is kept.
  const masked = maskPhrase(t);
  let end = t.length;
  while (end > 0 && /[.!;,\s]/.test(masked[end - 1]!)) end--;
  return t.slice(0, end);
}

/** The phrase with its masked twin. */
export function toPhrase(text: string): Phrase {
  return { text, masked: maskPhrase(text) };
}

const OPENER_BEFORE = /[\s([:=,]/;
const CLOSER_AFTER = /[\s)\].,;:!?]/;

/**
 * The text with every quoted span (quotes included) and placeholder replaced by `\uE000`, keeping
 * positions. A double quote opens a span at the start or after a space/bracket/`:`/`=`; a single
 * quote does too but only closes before a space, bracket or punctuation, so apostrophes
 * ("customer's") never open one.
 */
export function maskPhrase(text: string): string {
  const out = text.split('');
  const closers = closerTable(text);
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const before = i === 0 ? ' ' : text[i - 1]!;
    if ((c === '"' || c === "'") && OPENER_BEFORE.test(before)) {
      const end = (c === '"' ? closers.double : closers.single)[i + 1] ?? -1;
      if (end >= 0) {
        for (let k = i; k <= end; k++) out[k] = '\uE000';
        i = end + 1;
        continue;
      }
    }
    if (c === '{') {
      const match = /^\{\s*[A-Za-z_][\w-]*\.[^{}"'\s][^{}"']*?\s*\}/.exec(text.slice(i, i + 400));
      if (match) {
        for (let k = i; k < i + match[0].length; k++) out[k] = '\uE000';
        i += match[0].length;
        continue;
      }
    }
    i++;
  }
  return out.join('');
}

/** For each position, the next closing `"` and the next closing `'` at or after it (-1 for none): linear, not quadratic. */
function closerTable(text: string): { double: number[]; single: number[] } {
  const double = new Array<number>(text.length + 1).fill(-1);
  const single = new Array<number>(text.length + 1).fill(-1);
  for (let k = text.length - 1; k >= 0; k--) {
    const after = k + 1 >= text.length ? ' ' : text[k + 1]!;
    double[k] = text[k] === '"' ? k : double[k + 1]!;
    single[k] = text[k] === "'" && CLOSER_AFTER.test(after) ? k : single[k + 1]!;
  }
  return { double, single };
}

/** A value as written: quotes removed when the whole value is one quoted string. */
export interface WrittenValue {
  value: string;
  quoted: boolean;
}

/** Reads a value: one pair of outermost matching quotes (`"x"` or `'x'`) is removed, anything else is bare text. */
export function readValue(raw: string): WrittenValue {
  const t = raw.trim();
  const first = t[0];
  if (t.length >= 2 && (first === '"' || first === "'") && t.endsWith(first)) {
    return { value: t.slice(1, -1), quoted: true };
  }
  return { value: t, quoted: false };
}

/** True when `text` is exactly one `{alias.column}` placeholder. */
export function isWholePlaceholder(text: string): boolean {
  const t = text.trim();
  const re = new RegExp(`^${PLACEHOLDER_PATTERN.source}$`);
  return re.test(t);
}

/**
 * Matches `pattern` (anchored by the caller, compiled with the `d` flag) against the masked twin
 * and returns the capture groups sliced from the original text (undefined for groups that did not take part).
 */
export function matchPhrase(phrase: Phrase, pattern: RegExp): (string | undefined)[] | undefined {
  const m = pattern.exec(phrase.masked);
  if (!m) return undefined;
  const indices = m.indices;
  if (!indices) throw new Error('phrase patterns need the d flag');
  const groups: (string | undefined)[] = [];
  for (let g = 1; g < m.length; g++) {
    const span = indices[g];
    groups.push(span === undefined ? undefined : phrase.text.slice(span[0], span[1]));
  }
  return groups;
}

/** Splits `text` at every match of `separator` (a global regex) outside quotes and placeholders. */
export function splitOutside(text: string, separator: RegExp): string[] {
  const masked = maskPhrase(text);
  const parts: string[] = [];
  let last = 0;
  const re = new RegExp(
    separator.source,
    separator.flags.includes('g') ? separator.flags : `${separator.flags}g`,
  );
  for (const m of masked.matchAll(re)) {
    if (m[0].length === 0) continue;
    parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  no: 0,
  zero: 0,
  none: 0,
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  'a single': 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

/** A count written as digits or a small number word (`no`, `one` … `ten`), or undefined. */
export function readCount(word: string): number | undefined {
  const w = word.trim().toLowerCase();
  if (/^\d{1,9}$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A literal as written: quoted → string; bare numbers, `true`/`false` and `null` → their values; else text. */
export function readLiteral(raw: string): { value: string | number | boolean | null; quoted: boolean } {
  const written = readValue(raw);
  if (written.quoted) return { value: written.value, quoted: true };
  const v = written.value;
  const lower = v.toLowerCase();
  if (lower === 'true') return { value: true, quoted: false };
  if (lower === 'false') return { value: false, quoted: false };
  if (lower === 'null') return { value: null, quoted: false };
  if (NUMBER_TEXT.test(v) && Number.isFinite(Number(v))) return { value: Number(v), quoted: false };
  return { value: v, quoted: false };
}
