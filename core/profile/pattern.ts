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
const A = 65;
const NINE = 57;

/** Shape codes of the ASCII range, looked up rather than branched on in the per-character loops. */
const ASCII_SHAPE = Uint8Array.from({ length: 128 }, (_, c) =>
  c >= 48 && c <= 57 ? NINE : (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? A : c,
);

/** The shape code of one UTF-16 code unit: `A` for letters, `9` for digits, itself otherwise. */
function shapeCode(code: number): number {
  if (code < 128) return ASCII_SHAPE[code] as number;
  return LETTER.test(String.fromCharCode(code)) ? A : code;
}

/** The shape of one string: letters → `A`, digits → `9`, other characters kept. */
export function shapeOf(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) out += String.fromCharCode(shapeCode(value.charCodeAt(i)));
  return out;
}

/** Whether `value` has exactly `shape`, compared code by code without building the value's shape. */
export function matchesShape(value: string, shape: string): boolean {
  if (value.length !== shape.length) return false;
  for (let i = 0; i < value.length; i++) {
    if (shapeCode(value.charCodeAt(i)) !== shape.charCodeAt(i)) return false;
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
    const found = verifyShape(keys, counts, shape, allowedMisses);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The shape, with letters that are identical in every matching value kept literally, when the
 * values missing it weigh at most `allowedMisses`; otherwise undefined. One pass over the keys.
 */
function verifyShape(
  keys: readonly string[],
  counts: ArrayLike<number>,
  shape: string,
  allowedMisses: number,
): string | undefined {
  let misses = 0;
  let reference: string | undefined;
  const constant: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape.charCodeAt(i) === A) constant.push(i);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!matchesShape(key, shape)) {
      misses += counts[i] as number;
      if (misses > allowedMisses) return undefined;
      continue;
    }
    if (reference === undefined) {
      reference = key;
      continue;
    }
    for (let j = constant.length - 1; j >= 0; j--) {
      const at = constant[j] as number;
      if (key.charCodeAt(at) !== reference.charCodeAt(at)) constant.splice(j, 1);
    }
  }
  if (reference === undefined || constant.length === 0) return shape;
  const out = shape.split('');
  for (const at of constant) out[at] = reference.charAt(at);
  return out.join('');
}
