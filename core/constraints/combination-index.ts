/**
 * The allowed value combinations of a fixed-combinations constraint (city ⇒ country), indexed for
 * a membership test per row and for finding the allowed combinations nearest to a row that has
 * none: those agreeing with it on the most columns, found through a per-column inverted index so
 * a repair costs the combinations sharing a value, not all of them.
 */
import { ConfigError } from '../errors.js';
import type { Rng } from '../random/index.js';
import type { CellValue, PhysicalType, Table } from '../table.js';

const NULL_KEY = '\u0001';
const SEPARATOR = '\u0000';

/**
 * Equality key of a cell that ignores representation: 10115 and "10115", true and "true" agree,
 * because combinations written in JSON need not spell values with the column's physical type.
 */
export function combinationCellKey(v: CellValue | undefined): string {
  return v === null || v === undefined ? NULL_KEY : String(v);
}

/** Allowed combinations with a membership set and a per-column inverted index. */
export class CombinationIndex {
  /** Allowed tuples, coerced to the columns' physical types. */
  readonly allowed: CellValue[][];
  private readonly keys: Set<string>;
  private readonly byValue: Map<string, number[]>[];

  /** Indexes `allowed` (duplicates are kept once) for columns of the given physical types. */
  constructor(types: readonly PhysicalType[], allowed: readonly (readonly CellValue[])[]) {
    this.keys = new Set();
    this.allowed = [];
    this.byValue = types.map(() => new Map());
    for (const tuple of allowed) {
      const key = tuple.map(combinationCellKey).join(SEPARATOR);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      const at = this.allowed.length;
      this.allowed.push(tuple.map((v, j) => coerceCell(v, types[j] as PhysicalType)));
      tuple.forEach((v, j) => {
        const k = combinationCellKey(v);
        const map = this.byValue[j] as Map<string, number[]>;
        const list = map.get(k);
        if (list === undefined) map.set(k, [at]);
        else list.push(at);
      });
    }
  }

  /** Whether row `i` holds an allowed combination in `columns` (rows with a null there pass). */
  allowsRow(arrays: readonly CellValue[][], columns: readonly number[], i: number): boolean {
    let key = '';
    for (let j = 0; j < columns.length; j++) {
      const v = (arrays[columns[j] as number] as CellValue[])[i] ?? null;
      if (v === null) return true;
      key = j === 0 ? String(v) : key + SEPARATOR + String(v);
    }
    return this.keys.has(key);
  }

  /**
   * Up to `limit` allowed tuples nearest to `values`: most agreeing columns first, ties in an
   * order drawn from `rng` so that repairs spread over the equally near combinations.
   */
  nearest(values: readonly CellValue[], rng: Rng, limit: number): CellValue[][] {
    const matches = new Map<number, number>();
    values.forEach((v, j) => {
      const list = (this.byValue[j] as Map<string, number[]>).get(combinationCellKey(v));
      if (list !== undefined) for (const at of list) matches.set(at, (matches.get(at) ?? 0) + 1);
    });
    const scored = [...matches.entries()].map(([at, m]) => ({ at, m, tie: rng.nextUint32() }));
    scored.sort((a, b) => b.m - a.m || a.tie - b.tie || a.at - b.at);
    const out = scored.slice(0, limit).map((s) => this.allowed[s.at] as CellValue[]);
    // Rows agreeing with no combination at all take random ones.
    const total = this.allowed.length;
    for (let tries = 0; out.length < Math.min(limit, total) && tries < limit * 4; tries++) {
      const pick = this.allowed[rng.nextInt(total)] as CellValue[];
      if (!out.includes(pick)) out.push(pick);
    }
    return out;
  }
}

/** A value in the physical type of its column (numbers for numeric columns, strings for text and dates). */
export function coerceCell(v: CellValue, type: PhysicalType): CellValue {
  if (v === null) return null;
  switch (type) {
    case 'integer':
    case 'float':
      return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' || v === 1;
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/**
 * A fixed-combinations constraint learned from a sample: every combination of `columns` seen
 * there (rows with a null in them are skipped). The combinations become part of the config, so
 * they may only come from non-sensitive columns: naming one listed in `sensitive` is a ConfigError.
 */
export function learnFixedCombinations(
  sample: Table,
  columns: readonly string[],
  options: { sensitive?: readonly string[]; field?: string } = {},
): { kind: 'fixedCombinations'; columns: string[]; allowed: CellValue[][] } {
  const field = options.field ?? 'columns';
  const sensitive = new Set(options.sensitive ?? []);
  const arrays = columns.map((name, j) => {
    if (sensitive.has(name))
      throw new ConfigError(
        'is a sensitive column: its values may not be copied into a constraint',
        `${field}[${j}]`,
      );
    const col = sample.columns.find((c) => c.name === name);
    if (col === undefined) throw new ConfigError('names a column the sample does not have', `${field}[${j}]`);
    return col.values;
  });
  const seen = new Set<string>();
  const allowed: CellValue[][] = [];
  rows: for (let i = 0; i < sample.rowCount; i++) {
    const tuple: CellValue[] = [];
    for (const values of arrays) {
      const v = values[i] ?? null;
      if (v === null) continue rows;
      tuple.push(v);
    }
    const key = tuple.map(combinationCellKey).join(SEPARATOR);
    if (seen.has(key)) continue;
    seen.add(key);
    allowed.push(tuple);
  }
  return { kind: 'fixedCombinations', columns: [...columns], allowed };
}
