/**
 * Shape detection for string values: letters become `A`, digits `9`, everything else stays as it
 * is, so "XK-12" has the shape "AA-99". A column has a pattern when one shape covers at least
 * {@link PATTERN_MIN_SHARE} of its non-null values; letters that are the same in every matching
 * value are then kept literally, so customer keys "CUST-004211", "CUST-118034" give "CUST-999999",
 * which tells a generator the fixed prefix.
 */

/** Share of non-null values that must share one shape for the column to get a `pattern`. */
export const PATTERN_MIN_SHARE = 0.95;

/** Shapes longer than this are free text, never codes, so they are not worth comparing. */
const MAX_SHAPE_LENGTH = 64;

/** How many distinct values are looked at to propose candidate shapes. */
const CANDIDATE_SAMPLE = 64;

const LETTER = /\p{L}/u;

function shapeChar(code: number, ch: string): string {
  if (code >= 48 && code <= 57) return '9';
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return 'A';
  if (code > 127 && LETTER.test(ch)) return 'A';
  return ch;
}

/** The shape of one string: letters → `A`, digits → `9`, other characters kept. */
export function shapeOf(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) out += shapeChar(value.charCodeAt(i), value.charAt(i));
  return out;
}

/** Whether `value` has exactly `shape`, compared character by character without building the value's shape. */
export function matchesShape(value: string, shape: string): boolean {
  if (value.length !== shape.length) return false;
  for (let i = 0; i < value.length; i++) {
    if (shapeChar(value.charCodeAt(i), value.charAt(i)) !== shape.charAt(i)) return false;
  }
  return true;
}

/**
 * The shape shared by ≥95% of the (weighted) values, or undefined. Candidates come from the most
 * frequent value and an evenly spaced sample of distinct values; each is then verified exactly.
 * @param keys distinct values
 * @param counts occurrences of each key
 * @param total sum of counts
 */
export function detectPattern(
  keys: readonly string[],
  counts: ArrayLike<number>,
  total: number,
): string | undefined {
  if (total === 0 || keys.length === 0) return undefined;
  const candidates = new Map<string, number>();
  let top = 0;
  for (let i = 1; i < keys.length; i++) if ((counts[i] as number) > (counts[top] as number)) top = i;
  candidates.set(shapeOf(keys[top] as string), Number.POSITIVE_INFINITY);
  const step = Math.max(1, Math.floor(keys.length / CANDIDATE_SAMPLE));
  for (let i = 0; i < keys.length; i += step) {
    const key = keys[i] as string;
    if (key.length > MAX_SHAPE_LENGTH) continue;
    const shape = shapeOf(key);
    candidates.set(shape, (candidates.get(shape) ?? 0) + 1);
  }
  // Most promising candidates first, with a stable order so the result never depends on ties.
  const ordered = [...candidates.entries()]
    .filter(([shape]) => shape.length > 0 && shape.length <= MAX_SHAPE_LENGTH)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 3)
    .map(([shape]) => shape);
  const allowedMisses = total * (1 - PATTERN_MIN_SHARE);
  for (const shape of ordered) {
    let misses = 0;
    for (let i = 0; i < keys.length && misses <= allowedMisses; i++) {
      if (!matchesShape(keys[i] as string, shape)) misses += counts[i] as number;
    }
    if (misses <= allowedMisses) return keepConstantLetters(keys, shape);
  }
  return undefined;
}

/** Replaces each `A` of the shape by the letter itself when every matching value has the same letter there. */
function keepConstantLetters(keys: readonly string[], shape: string): string {
  let reference: string | undefined;
  const constant: boolean[] = [];
  for (const key of keys) {
    if (!matchesShape(key, shape)) continue;
    if (reference === undefined) {
      reference = key;
      for (let i = 0; i < shape.length; i++) constant.push(shape.charAt(i) === 'A');
      continue;
    }
    let any = false;
    for (let i = 0; i < shape.length; i++) {
      if (constant[i] && key.charCodeAt(i) !== reference.charCodeAt(i)) constant[i] = false;
      any ||= constant[i] === true;
    }
    if (!any) return shape;
  }
  if (reference === undefined) return shape;
  let out = '';
  for (let i = 0; i < shape.length; i++) out += constant[i] ? reference.charAt(i) : shape.charAt(i);
  return out;
}
