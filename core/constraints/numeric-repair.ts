/**
 * Repair of the order constraints of one row: ranges, signs and inequalities between columns form
 * a system of bounds `lo ≤ x ≤ hi` and differences `big ≥ small` (or `>`). Bounds are first
 * tightened through the inequalities (so `ship_date ≥ order_date` with `ship_date ≤ 2024-12-31`
 * caps `order_date` too), values are clipped into them, and each violated inequality is fixed by
 * swapping the two values when that keeps everything else intact, otherwise by raising the larger
 * side to the smallest value that satisfies it. Raising only ever moves values up within bounds
 * that already account for every inequality, so a few passes reach a fixed point whenever the
 * constraints can hold at all.
 */
import type { CellValue, PhysicalType } from '../table.js';
import {
  decimalsOf,
  gridAbove,
  gridAtOrAbove,
  gridAtOrBelow,
  gridBelow,
  GridKind,
  isDateOnlyCell,
  readComparable,
  ValueDomain,
  writeComparable,
  type Grid,
} from './cell-domain.js';
import type { CompiledBounds, CompiledInequality } from './compile.js';

interface SystemColumn {
  column: number;
  physical: PhysicalType;
  domain: ValueDomain;
  bounds: CompiledBounds[];
  /** Lower bound comes from a sign constraint: a negative value is mirrored rather than clipped. */
  mirrorBelow: boolean;
  mirrorAbove: boolean;
}

/** The order constraints of a constraint set, ready to repair rows. */
export interface OrderSystem {
  columns: SystemColumn[];
  /** Inequalities as positions into `columns`. */
  edges: { big: number; small: number; strict: boolean; constraint: CompiledInequality }[];
}

/** Builds the system from the bounds and inequality constraints (undefined when there are none). */
export function buildOrderSystem(
  bounds: readonly CompiledBounds[],
  inequalities: readonly CompiledInequality[],
  types: readonly PhysicalType[],
): OrderSystem | undefined {
  if (bounds.length === 0 && inequalities.length === 0) return undefined;
  const columns: SystemColumn[] = [];
  const at = new Map<number, number>();
  const slot = (column: number, domain: ValueDomain): SystemColumn => {
    let k = at.get(column);
    if (k === undefined) {
      k = columns.length;
      at.set(column, k);
      columns.push({
        column,
        physical: types[column] as PhysicalType,
        domain,
        bounds: [],
        mirrorBelow: false,
        mirrorAbove: false,
      });
    }
    return columns[k] as SystemColumn;
  };
  for (const b of bounds) {
    const s = slot(b.column, b.domain);
    s.bounds.push(b);
    if (b.kind === 'positive') s.mirrorBelow = true;
    if (b.kind === 'negative') s.mirrorAbove = true;
  }
  const edges = inequalities.map((c) => {
    slot(c.big, c.domain);
    slot(c.small, c.domain);
    return {
      big: at.get(c.big) as number,
      small: at.get(c.small) as number,
      strict: c.strict,
      constraint: c,
    };
  });
  return { columns, edges };
}

function gridFor(s: SystemColumn, v: CellValue): Grid {
  if (s.domain === ValueDomain.Datetime) {
    const dateOnly = s.physical === 'date' || (v === null ? false : isDateOnlyCell(v));
    return { kind: dateOnly ? GridKind.Day : GridKind.Millisecond, decimals: 0 };
  }
  if (s.physical === 'integer') return { kind: GridKind.Integer, decimals: 0 };
  let decimals = typeof v === 'number' ? decimalsOf(v) : 0;
  for (const b of s.bounds) decimals = Math.max(decimals, decimalsOf(b.min), decimalsOf(b.max));
  return { kind: GridKind.Decimal, decimals };
}

/**
 * Repairs the order constraints of row `i` in place; returns false when they cannot all hold
 * for this row (contradictory bounds). Null cells are left alone: they satisfy every order constraint.
 */
export function repairOrderRow(system: OrderSystem, arrays: CellValue[][], i: number): boolean {
  const m = system.columns.length;
  const x = new Float64Array(m);
  const lo = new Float64Array(m);
  const hi = new Float64Array(m);
  const present = new Uint8Array(m);
  const grids: Grid[] = [];
  for (let k = 0; k < m; k++) {
    const s = system.columns[k] as SystemColumn;
    const v = (arrays[s.column] as CellValue[])[i] ?? null;
    const g = gridFor(s, v);
    grids.push(g);
    present[k] = v === null ? 0 : 1;
    x[k] = v === null ? Number.NaN : readComparable(v, s.domain);
    let l = Number.NEGATIVE_INFINITY;
    let h = Number.POSITIVE_INFINITY;
    for (const b of s.bounds) {
      l = Math.max(l, b.minExclusive ? gridAbove(g, b.min) : gridAtOrAbove(g, b.min));
      h = Math.min(h, b.maxExclusive ? gridBelow(g, b.max) : gridAtOrBelow(g, b.max));
    }
    lo[k] = l;
    hi[k] = h;
  }
  if (!propagate(system, grids, lo, hi, present)) return false;
  for (let k = 0; k < m; k++) {
    if (present[k] === 0) continue;
    if ((lo[k] as number) > (hi[k] as number)) return false;
    x[k] = clip(system.columns[k] as SystemColumn, x[k] as number, lo[k] as number, hi[k] as number);
  }
  const holds = (e: OrderSystem['edges'][number]): boolean =>
    present[e.big] === 0 ||
    present[e.small] === 0 ||
    (e.strict
      ? (x[e.big] as number) > (x[e.small] as number)
      : (x[e.big] as number) >= (x[e.small] as number));
  // First pass: swap when the swapped values keep their bounds and every inequality they take part in.
  for (const e of system.edges) {
    if (holds(e)) continue;
    const a = x[e.big] as number;
    const b = x[e.small] as number;
    const sameGrid = (grids[e.big] as Grid).kind === (grids[e.small] as Grid).kind;
    const fits =
      b >= (lo[e.big] as number) &&
      b <= (hi[e.big] as number) &&
      a >= (lo[e.small] as number) &&
      a <= (hi[e.small] as number);
    if (!sameGrid || !fits) continue;
    x[e.big] = b;
    x[e.small] = a;
    const touched = (f: OrderSystem['edges'][number]) =>
      f.big === e.big || f.big === e.small || f.small === e.big || f.small === e.small;
    if (!system.edges.every((f) => !touched(f) || holds(f))) {
      x[e.big] = a;
      x[e.small] = b;
    }
  }
  for (let pass = 0; pass <= m + 1; pass++) {
    let changed = false;
    for (const e of system.edges) {
      if (holds(e)) continue;
      const g = grids[e.big] as Grid;
      x[e.big] = e.strict ? gridAbove(g, x[e.small] as number) : gridAtOrAbove(g, x[e.small] as number);
      changed = true;
    }
    if (!changed) break;
  }
  if (!system.edges.every(holds)) return false;
  for (let k = 0; k < m; k++) {
    if (present[k] === 0) continue;
    const s = system.columns[k] as SystemColumn;
    const values = arrays[s.column] as CellValue[];
    const before = values[i] ?? null;
    const now = x[k] as number;
    if (before !== null && readComparable(before, s.domain) === now) continue;
    values[i] = writeComparable(now, s.domain, grids[k] as Grid);
  }
  return true;
}

/**
 * Tightens bounds through the inequalities until nothing changes (longest-path relaxation);
 * false when they keep growing, i.e. a cycle of strict inequalities.
 */
function propagate(
  system: OrderSystem,
  grids: readonly Grid[],
  lo: Float64Array,
  hi: Float64Array,
  present: Uint8Array,
): boolean {
  const m = system.columns.length;
  for (let pass = 0; pass <= m + 1; pass++) {
    let changed = false;
    for (const e of system.edges) {
      if (present[e.big] === 0 || present[e.small] === 0) continue;
      const gb = grids[e.big] as Grid;
      const gs = grids[e.small] as Grid;
      const l = e.strict ? gridAbove(gb, lo[e.small] as number) : gridAtOrAbove(gb, lo[e.small] as number);
      if (l > (lo[e.big] as number)) {
        lo[e.big] = l;
        changed = true;
      }
      const h = e.strict ? gridBelow(gs, hi[e.big] as number) : gridAtOrBelow(gs, hi[e.big] as number);
      if (h < (hi[e.small] as number)) {
        hi[e.small] = h;
        changed = true;
      }
    }
    if (!changed) return true;
  }
  return false;
}

function clip(s: SystemColumn, x: number, lo: number, hi: number): number {
  // Unreadable values become the nearest finite bound (or 0 within unbounded ranges).
  if (Number.isNaN(x))
    return Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : Math.min(Math.max(0, lo), hi);
  if (x < lo) return s.mirrorBelow && -x >= lo && -x <= hi ? -x : lo;
  if (x > hi) return s.mirrorAbove && -x >= lo && -x <= hi ? -x : hi;
  return x;
}
