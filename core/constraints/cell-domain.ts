/**
 * How constraints read and write cells that they compare: numbers as they are, dates and
 * timestamps as epoch milliseconds (ISO strings in the table), and the grids repairs snap to
 * (whole numbers, whole days, milliseconds, or the decimals a float column shows).
 */
import { DAY_MS, formatIsoDate, formatIsoTimestamp, parseDatetimeMs } from '../synth/datetime-codec.js';
import type { CellValue } from '../table.js';

/** What a compared column holds. */
export const ValueDomain = { Number: 'number', Datetime: 'datetime' } as const;
/** One of {@link ValueDomain}. */
export type ValueDomain = (typeof ValueDomain)[keyof typeof ValueDomain];

/** The comparable value of a non-null cell: a number, or epoch ms for dates; NaN when unreadable. */
export function readComparable(v: CellValue, domain: ValueDomain): number {
  if (domain === ValueDomain.Datetime) return parseDatetimeMs(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

/** The grid a repaired value snaps to. */
export const GridKind = { Integer: 'integer', Day: 'day', Millisecond: 'ms', Decimal: 'decimal' } as const;
/** One of {@link GridKind}. */
export type GridKind = (typeof GridKind)[keyof typeof GridKind];

/** A grid of representable values: integers, days, milliseconds, or multiples of 10^-decimals. */
export interface Grid {
  kind: GridKind;
  /** Decimals of a Decimal grid (0..9). */
  decimals: number;
}

const MAX_DECIMALS = 9;

/** Decimals shown by a number's shortest representation (capped at 9; exponent forms count as 9). */
export function decimalsOf(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return 0;
  const s = String(x);
  if (s.includes('e')) return MAX_DECIMALS;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : Math.min(MAX_DECIMALS, s.length - dot - 1);
}

const float = new Float64Array(1);
const bits = new BigInt64Array(float.buffer);

/** The next representable double above `x`. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  float[0] = x;
  bits[0] = x > 0 ? (bits[0] as bigint) + 1n : (bits[0] as bigint) - 1n;
  return float[0] as number;
}

/** The next representable double below `x`. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

function roundDecimal(x: number, decimals: number, mode: 'ceil' | 'floor'): number {
  const f = 10 ** decimals;
  // The 1e-7 slack keeps 0.1 + 0.2 from rounding up to 0.31; exactness is restored by the caller's check.
  const scaled = mode === 'ceil' ? Math.ceil(x * f - 1e-7) : Math.floor(x * f + 1e-7);
  return Number((scaled / f).toFixed(decimals));
}

/** The smallest grid value ≥ x (x itself for infinities). */
export function gridAtOrAbove(g: Grid, x: number): number {
  if (!Number.isFinite(x)) return x;
  switch (g.kind) {
    case GridKind.Integer:
    case GridKind.Millisecond:
      return Math.ceil(x);
    case GridKind.Day:
      return Math.ceil(x / DAY_MS) * DAY_MS;
    default: {
      const r = roundDecimal(x, g.decimals, 'ceil');
      return r >= x ? r : x;
    }
  }
}

/** The smallest grid value > x. */
export function gridAbove(g: Grid, x: number): number {
  if (!Number.isFinite(x)) return x;
  switch (g.kind) {
    case GridKind.Integer:
    case GridKind.Millisecond:
      return Math.floor(x) + 1;
    case GridKind.Day:
      return (Math.floor(x / DAY_MS) + 1) * DAY_MS;
    default: {
      const r = Number((roundDecimal(x, g.decimals, 'floor') + 10 ** -g.decimals).toFixed(g.decimals));
      return r > x ? r : nextUp(x);
    }
  }
}

/** The largest grid value ≤ x. */
export function gridAtOrBelow(g: Grid, x: number): number {
  if (!Number.isFinite(x)) return x;
  switch (g.kind) {
    case GridKind.Integer:
    case GridKind.Millisecond:
      return Math.floor(x);
    case GridKind.Day:
      return Math.floor(x / DAY_MS) * DAY_MS;
    default: {
      const r = roundDecimal(x, g.decimals, 'floor');
      return r <= x ? r : x;
    }
  }
}

/** The largest grid value < x. */
export function gridBelow(g: Grid, x: number): number {
  if (!Number.isFinite(x)) return x;
  switch (g.kind) {
    case GridKind.Integer:
    case GridKind.Millisecond:
      return Math.ceil(x) - 1;
    case GridKind.Day:
      return (Math.ceil(x / DAY_MS) - 1) * DAY_MS;
    default: {
      const r = Number((roundDecimal(x, g.decimals, 'ceil') - 10 ** -g.decimals).toFixed(g.decimals));
      return r < x ? r : nextDown(x);
    }
  }
}

/** One grid step up from a grid value (used to walk to free values when bumping keys). */
export function gridStep(g: Grid): number {
  switch (g.kind) {
    case GridKind.Integer:
    case GridKind.Millisecond:
      return 1;
    case GridKind.Day:
      return DAY_MS;
    default:
      return 10 ** -g.decimals;
  }
}

/** Whether a stored datetime cell is a plain date (`YYYY-MM-DD`), which repairs must keep on whole days. */
export function isDateOnlyCell(v: CellValue): boolean {
  return typeof v === 'string' && v.trim().length === 10;
}

/** The cell for a comparable value, in the layout the grid implies (dates as ISO strings). */
export function writeComparable(x: number, domain: ValueDomain, g: Grid): CellValue {
  if (domain === ValueDomain.Number) return x;
  return g.kind === GridKind.Day ? formatIsoDate(x) : formatIsoTimestamp(x);
}
