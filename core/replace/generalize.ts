/** Generalization: coarser values that keep analytic use while hiding the exact value. */

/** The band label of a number (`30-39` for 34 with width 10); bands start at multiples of the width. */
export function bandOf(value: number, width: number): string {
  const lo = Math.floor(value / width) * width;
  return width === 1 ? String(lo) : `${lo}-${lo + width - 1}`;
}

/** The lower bound of the number's bucket of size `step` (34,567 → 34,000 with step 1000). */
export function roundDown(value: number, step: number): number {
  const r = Math.floor(value / step) * step;
  // Steps like 0.1 leave binary noise (0.30000000000000004); trim it to the step's decimals.
  const decimals = (String(step).split('.')[1] ?? '').length;
  return decimals === 0 ? r : Number(r.toFixed(decimals));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

/** The first day of the date's month or year, in the same format (date or ISO timestamp); null when not an ISO date. */
export function truncateDate(value: string, to: 'month' | 'year'): string | null {
  const m = ISO_DATE.exec(value);
  if (m === null) return null;
  const day = `${m[1]}-${to === 'year' ? '01' : m[2]}-01`;
  return m[4] === undefined ? day : `${day}T00:00:00.000Z`;
}

/** The first `length` characters of a postcode (outward part, district). */
export function prefixOf(value: string, length: number): string {
  return value.trim().slice(0, length);
}
