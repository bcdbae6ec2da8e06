/**
 * Random strings that match a regular expression, drawn from our seeded PRNG. The pattern is read
 * with JavaScript RegExp syntax in unicode (`u`) mode: literals, escapes (`\d \w \s \D \W \S`,
 * `\t \n \xHH \uHHHH \u{H…}`, `\p{…}`/`\P{…}` within the Basic Multilingual Plane), classes and
 * ranges (negated too), `.`, groups (capturing, named, non-capturing), alternation and every
 * quantifier. Anchors `^ $` emit nothing; they are accepted where they can only sit at the start
 * (end) of the generated string, and refused elsewhere (`a^b` matches nothing).
 * Lookarounds, backreferences and word boundaries are refused with a ConfigError, because a
 * generator cannot honour them without rejection sampling of unbounded cost.
 *
 * Hand-written rather than built on `ret`/`randexp`: those read patterns as UTF-16 code units
 * (astral characters in classes split into surrogates) and know no `\p{…}` or `\u{…}`.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../random/index.js';

/** Options of {@link createRegexSampler}. */
export interface RegexSamplerOptions {
  /**
   * Most extra repetitions for an unbounded quantifier (`*`, `+`, `{n,}`): it repeats min..min+maxRepeat times.
   * @default 8
   */
  maxRepeat?: number;
  /**
   * Config path of the pattern, named in errors.
   * @default 'regex'
   */
  field?: string;
}

/** A compiled pattern node; character sets are sorted disjoint code-point ranges [lo, hi] flattened. */
type Node =
  | { kind: 'literal'; text: string }
  | { kind: 'set'; ranges: number[]; size: number }
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'alternation'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number }
  | { kind: 'anchor' };

const DEFAULT_MAX_REPEAT = 8;
/** Upper bound on an explicit `{n,m}` so a typo such as `{1,1000000000}` cannot exhaust memory. */
const MAX_EXPLICIT_REPEAT = 100_000;
/** Longest string a pattern may produce: nested quantifiers multiply (`((a*)*)*`), and one cell must stay small. */
const MAX_OUTPUT_LENGTH = 100_000;
const SURROGATE_LO = 0xd800;
const SURROGATE_HI = 0xdfff;
const MAX_CODE_POINT = 0x10ffff;

/** Printable ASCII: what `.`, negated classes and `\D \W \S` draw from, so output stays readable. */
const PRINTABLE_ASCII: readonly number[] = [0x20, 0x7e];
/** Used when a negated class excludes every printable ASCII character. */
const WIDE_UNIVERSE: readonly number[] = [0x20, 0x7e, 0xa1, 0xd7ff, 0xe000, 0xfffd];

const DIGIT: readonly number[] = [0x30, 0x39];
const WORD: readonly number[] = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
/** Only the plain space and tab are generated for `\s`; both match it. */
const SPACE: readonly number[] = [0x09, 0x09, 0x20, 0x20];
/** Every character `\s` matches, for the complement `\S`. */
const SPACE_ALL: readonly number[] = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
];

/** A generator of strings matching `pattern`; deterministic for a given rng state. Throws ConfigError for patterns it cannot honour. */
export function createRegexSampler(pattern: string, options: RegexSamplerOptions = {}): (rng: Rng) => string {
  const field = options.field ?? 'regex';
  const maxRepeat = options.maxRepeat ?? DEFAULT_MAX_REPEAT;
  if (!Number.isInteger(maxRepeat) || maxRepeat < 0) {
    throw new ConfigError('maxRepeat must be a non-negative integer', field);
  }
  assertValidRegExp(pattern, field);
  const root = new PatternParser(pattern, field, maxRepeat).parse();
  return (rng) => {
    const out: string[] = [];
    emit(root, rng, out);
    return out.join('');
  };
}

/** Accepts what either RegExp mode accepts, so habits such as `\-` outside a class keep working. */
function assertValidRegExp(pattern: string, field: string): void {
  for (const flags of ['u', '']) {
    try {
      new RegExp(pattern, flags);
      return;
    } catch {
      // try the next mode
    }
  }
  throw new ConfigError('is not a valid regular expression (JavaScript syntax)', field);
}

function emit(node: Node, rng: Rng, out: string[]): void {
  switch (node.kind) {
    case 'literal':
      out.push(node.text);
      return;
    case 'set':
      out.push(String.fromCodePoint(pickCodePoint(node.ranges, node.size, rng)));
      return;
    case 'sequence':
      for (const item of node.items) emit(item, rng, out);
      return;
    case 'alternation':
      emit(node.options[rng.nextInt(node.options.length)] as Node, rng, out);
      return;
    case 'repeat': {
      const n = node.min + rng.nextInt(node.max - node.min + 1);
      for (let i = 0; i < n; i++) emit(node.node, rng, out);
      return;
    }
    case 'anchor':
      return;
  }
}

function pickCodePoint(ranges: number[], size: number, rng: Rng): number {
  let k = rng.nextIntLarge(size);
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    const width = (ranges[i + 1] as number) - lo + 1;
    if (k < width) return lo + k;
    k -= width;
  }
  return ranges[0] as number;
}

/** Recursive-descent parser from pattern text to {@link Node}; positions are code-point indexes. */
class PatternParser {
  private readonly chars: string[];
  private pos = 0;

  constructor(
    pattern: string,
    private readonly field: string,
    private readonly maxRepeat: number,
  ) {
    this.chars = Array.from(pattern);
  }

  parse(): Node {
    const node = this.parseAlternation();
    if (this.pos < this.chars.length) this.fail(`unbalanced ')' at position ${this.pos}`);
    this.checkAnchors(node, true, true);
    if (maxLength(node) > MAX_OUTPUT_LENGTH) {
      this.fail(
        `can produce strings longer than ${MAX_OUTPUT_LENGTH} characters (lower the quantifiers or maxRepeat)`,
      );
    }
    return node;
  }

  /** Refuses an anchor that text could precede (`^`) or follow (`$`), since the output would not match. */
  private checkAnchors(node: Node, atStart: boolean, atEnd: boolean): void {
    switch (node.kind) {
      case 'anchor':
        if (!atStart && !atEnd)
          this.fail('has an anchor (^ or $) away from the ends, which generation does not support');
        return;
      case 'sequence':
        node.items.forEach((item, i) => {
          const before = node.items.slice(0, i).every(isZeroWidth);
          const after = node.items.slice(i + 1).every(isZeroWidth);
          this.checkAnchors(item, atStart && before, atEnd && after);
        });
        return;
      case 'alternation':
        for (const option of node.options) this.checkAnchors(option, atStart, atEnd);
        return;
      case 'repeat':
        if (node.max > 1 && !isZeroWidth(node.node)) this.checkAnchors(node.node, false, false);
        else this.checkAnchors(node.node, atStart, atEnd);
        return;
      default:
        return;
    }
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private fail(reason: string): never {
    throw new ConfigError(`regular expression ${reason}`, this.field);
  }

  private unsupported(construct: string): never {
    throw new ConfigError(
      `regular expression uses ${construct} at position ${this.pos}, which generation does not support`,
      this.field,
    );
  }

  private parseAlternation(): Node {
    const options = [this.parseSequence()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.parseSequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alternation', options };
  }

  private parseSequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const atom = this.parseAtom();
      items.push(atom.kind === 'anchor' ? atom : this.parseQuantifier(atom));
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'sequence', items };
  }

  /** One atom (an anchor is one that emits nothing). */
  private parseAtom(): Node {
    const c = this.peek() as string;
    switch (c) {
      case '^':
      case '$':
        this.pos++;
        return { kind: 'anchor' };
      case '(':
        return this.parseGroup();
      case '[':
        return this.parseClass();
      case '.':
        this.pos++;
        return makeSet(PRINTABLE_ASCII);
      case '\\':
        return this.parseEscapeAtom();
      case '*':
      case '+':
      case '?':
        return this.fail(`has a quantifier with nothing to repeat at position ${this.pos}`);
      default:
        this.pos++;
        return { kind: 'literal', text: c };
    }
  }

  private parseGroup(): Node {
    this.pos++;
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.pos += 2;
      else if (next === '=' || next === '!') this.unsupported('a lookahead');
      else if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!'))
        this.unsupported('a lookbehind');
      else if (next === '<') {
        const close = this.chars.indexOf('>', this.pos);
        if (close < 0) this.fail('has an unterminated group name');
        this.pos = close + 1;
      } else this.unsupported('a group modifier');
    }
    const inner = this.parseAlternation();
    if (this.peek() !== ')') this.fail('has an unterminated group');
    this.pos++;
    return inner;
  }

  private parseQuantifier(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : min + this.maxRepeat;
    } else if (c === '{') {
      const bounds = this.readBraces();
      if (bounds === null) return atom;
      [min, max] = bounds;
    } else return atom;
    if (this.peek() === '?') this.pos++; // laziness changes matching order, not the language
    return { kind: 'repeat', node: atom, min, max };
  }

  /** Reads `{n}`, `{n,}` or `{n,m}`; null (and no advance) if the brace is a literal. */
  private readBraces(): [number, number] | null {
    const m = this.readBracesAhead();
    if (m === null) return null;
    this.pos += m.length;
    const min = Number(m.min);
    const max = m.max === undefined ? min : m.max === '' ? min + this.maxRepeat : Number(m.max);
    if (max < min) this.fail('has a quantifier {n,m} with m below n');
    if (max > MAX_EXPLICIT_REPEAT) this.fail(`has a quantifier above ${MAX_EXPLICIT_REPEAT}`);
    return [min, max];
  }

  private readBracesAhead(): { length: number; min: string; max: string | undefined } | null {
    const rest = this.chars.slice(this.pos, this.pos + 32).join('');
    const m = /^\{(\d+)(?:,(\d*))?\}/.exec(rest);
    if (!m) return null;
    return { length: Array.from(m[0]).length, min: m[1] as string, max: m[2] };
  }

  private parseEscapeAtom(): Node {
    this.pos++;
    const c = this.peek();
    if (c === undefined) this.fail('ends with a lone backslash');
    if (c === 'b' || c === 'B') this.unsupported('a word boundary');
    if (/[1-9]/.test(c) || (c === 'k' && this.peek(1) === '<')) this.unsupported('a backreference');
    const set = this.readClassEscape();
    if (set !== null) return makeSet(set);
    return { kind: 'literal', text: String.fromCodePoint(this.readCharEscape()) };
  }

  /** A class escape (`\d`, `\p{L}`, …) at the current position as ranges, advancing past it; else null. */
  private readClassEscape(): number[] | null {
    const c = this.peek();
    const simple: Record<string, () => number[]> = {
      d: () => [...DIGIT],
      D: () => complement(DIGIT, PRINTABLE_ASCII),
      w: () => [...WORD],
      W: () => complement(WORD, PRINTABLE_ASCII),
      s: () => [...SPACE],
      S: () => complement(SPACE_ALL, PRINTABLE_ASCII),
    };
    const make = c === undefined ? undefined : simple[c];
    if (make) {
      this.pos++;
      return make();
    }
    if (c === 'p' || c === 'P') {
      if (this.peek(1) !== '{') this.fail('has \\p without {property}');
      const close = this.chars.indexOf('}', this.pos);
      if (close < 0) this.fail('has an unterminated \\p{…}');
      const body = this.chars.slice(this.pos + 2, close).join('');
      this.pos = close + 1;
      return propertyRanges(body, c === 'P', this.field);
    }
    return null;
  }

  /** A single-character escape at the current position (after the backslash), advancing past it. */
  private readCharEscape(): number {
    const c = this.peek() as string;
    this.pos++;
    const controls: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };
    const control = controls[c];
    if (control !== undefined && !(c === '0' && /[0-9]/.test(this.peek() ?? ''))) return control;
    if (c === 'x') return this.readHex(2);
    if (c === 'u') {
      if (this.peek() === '{') {
        const close = this.chars.indexOf('}', this.pos);
        const cp = parseInt(this.chars.slice(this.pos + 1, close).join(''), 16);
        if (close < 0 || !(cp <= MAX_CODE_POINT)) this.fail('has an invalid \\u{…} escape');
        this.pos = close + 1;
        return cp;
      }
      const unit = this.readHex(4);
      // A surrogate pair written as two \u escapes is one code point in unicode mode.
      if (unit >= 0xd800 && unit <= 0xdbff && this.peek() === '\\' && this.peek(1) === 'u') {
        const save = this.pos;
        this.pos += 2;
        const low = /^[0-9a-fA-F]{4}$/.test(this.chars.slice(this.pos, this.pos + 4).join(''))
          ? this.readHex(4)
          : -1;
        if (low >= 0xdc00 && low <= 0xdfff) return 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        this.pos = save;
      }
      return unit;
    }
    if (c === 'c') {
      const letter = this.peek();
      if (letter === undefined || !/[A-Za-z]/.test(letter)) this.fail('has an invalid \\c escape');
      this.pos++;
      return (letter.codePointAt(0) as number) % 32;
    }
    return c.codePointAt(0) as number;
  }

  private readHex(digits: number): number {
    const text = this.chars.slice(this.pos, this.pos + digits).join('');
    if (text.length !== digits || !/^[0-9a-fA-F]+$/.test(text))
      this.fail('has an invalid hexadecimal escape');
    this.pos += digits;
    return parseInt(text, 16);
  }

  private parseClass(): Node {
    this.pos++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: number[] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) this.fail('has an unterminated character class');
      const first = this.readClassAtom();
      if (Array.isArray(first)) {
        ranges.push(...first);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const last = this.readClassAtom();
        if (Array.isArray(last)) {
          // `[a-\d]`: the dash is literal (only outside unicode mode, but harmless to accept).
          ranges.push(first, first, 0x2d, 0x2d, ...last);
          continue;
        }
        if (last < first) this.fail('has a character range out of order');
        ranges.push(first, last);
      } else ranges.push(first, first);
    }
    this.pos++;
    const members = normalize(ranges);
    if (!negated) {
      if (members.length === 0) this.fail('has an empty character class, which matches nothing');
      return makeSet(members);
    }
    // `[^]` matches anything; a class that excludes all printable ASCII falls back to a wider alphabet.
    let rest = complement(members, PRINTABLE_ASCII);
    if (rest.length === 0) rest = complement(members, WIDE_UNIVERSE);
    if (rest.length === 0) this.fail('has a negated class that leaves no character to generate');
    return makeSet(rest);
  }

  /** One class member: a code point, or ranges for a class escape. */
  private readClassAtom(): number | number[] {
    const c = this.peek() as string;
    if (c !== '\\') {
      this.pos++;
      return c.codePointAt(0) as number;
    }
    this.pos++;
    if (this.peek() === undefined) this.fail('ends with a lone backslash');
    if (this.peek() === 'b') {
      this.pos++;
      return 8; // backspace inside a class
    }
    const set = this.readClassEscape();
    if (set !== null) return set;
    return this.readCharEscape();
  }
}

function maxLength(node: Node): number {
  switch (node.kind) {
    case 'anchor':
      return 0;
    case 'literal':
      return node.text.length;
    case 'set':
      return 1;
    case 'sequence':
      return node.items.reduce((sum, item) => sum + maxLength(item), 0);
    case 'alternation':
      return Math.max(...node.options.map(maxLength));
    case 'repeat':
      return node.max === 0 ? 0 : node.max * maxLength(node.node);
  }
}

function isZeroWidth(node: Node): boolean {
  switch (node.kind) {
    case 'anchor':
      return true;
    case 'literal':
      return node.text === '';
    case 'set':
      return false;
    case 'sequence':
      return node.items.every(isZeroWidth);
    case 'alternation':
      return node.options.every(isZeroWidth);
    case 'repeat':
      return node.max === 0 || isZeroWidth(node.node);
  }
}

function makeSet(ranges: readonly number[]): Node {
  const normalized = normalize([...ranges]);
  let size = 0;
  for (let i = 0; i < normalized.length; i += 2)
    size += (normalized[i + 1] as number) - (normalized[i] as number) + 1;
  return { kind: 'set', ranges: normalized, size };
}

/** Sorts, merges and strips surrogates from flattened [lo, hi] pairs. */
function normalize(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    const hi = ranges[i + 1] as number;
    // Lone surrogates would match in unicode mode but are not valid text in any output file.
    if (lo < SURROGATE_LO && hi > SURROGATE_HI) pairs.push([lo, SURROGATE_LO - 1], [SURROGATE_HI + 1, hi]);
    else if (lo >= SURROGATE_LO && hi <= SURROGATE_HI) continue;
    else if (lo < SURROGATE_LO) pairs.push([lo, Math.min(hi, SURROGATE_LO - 1)]);
    else pairs.push([Math.max(lo, SURROGATE_HI + 1), hi]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const lastHi = out[out.length - 1];
    if (lastHi !== undefined && lo <= lastHi + 1) out[out.length - 1] = Math.max(lastHi, hi);
    else out.push(lo, hi);
  }
  return out;
}

/** The members of `universe` not in `excluded` (both flattened range lists). */
function complement(excluded: readonly number[], universe: readonly number[]): number[] {
  const ex = normalize(excluded);
  const out: number[] = [];
  for (let u = 0; u < universe.length; u += 2) {
    let lo = universe[u] as number;
    const hi = universe[u + 1] as number;
    for (let i = 0; i < ex.length && lo <= hi; i += 2) {
      const eLo = ex[i] as number;
      const eHi = ex[i + 1] as number;
      if (eHi < lo || eLo > hi) continue;
      if (eLo > lo) out.push(lo, eLo - 1);
      lo = eHi + 1;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return normalize(out);
}

const propertyCache = new Map<string, number[]>();

/** Members of a unicode property within the printable BMP, found by asking the engine (cached per property). */
function propertyRanges(body: string, negated: boolean, field: string): number[] {
  const key = `${negated ? 'P' : 'p'}{${body}}`;
  const cached = propertyCache.get(key);
  if (cached) return [...cached];
  let test: RegExp;
  try {
    test = new RegExp(`^\\${key}$`, 'u');
  } catch {
    throw new ConfigError(`regular expression names an unknown unicode property`, field);
  }
  const out: number[] = [];
  let start = -1;
  // Control characters are skipped: they match some properties (\P{L}) but make unreadable output.
  for (let cp = 0x20; cp <= 0xfffd + 1; cp++) {
    const inside =
      cp <= 0xfffd &&
      (cp < 0x7f || cp > 0x9f) &&
      (cp < SURROGATE_LO || cp > SURROGATE_HI) &&
      test.test(String.fromCodePoint(cp));
    if (inside && start < 0) start = cp;
    else if (!inside && start >= 0) {
      out.push(start, cp - 1);
      start = -1;
    }
  }
  if (out.length === 0)
    throw new ConfigError('regular expression has a unicode property with no generable character', field);
  propertyCache.set(key, out);
  return [...out];
}
