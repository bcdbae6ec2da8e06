/**
 * Exact nearest-neighbour search under Gower distance, built for mixed tables where categorical
 * columns carry most of the distance. Real rows are grouped into buckets by their tuple of
 * categories; each bucket keeps the bounding box of its numeric values. A query visits buckets in
 * order of how many categories they disagree on (L = 0, 1, 2, …): a bucket is skipped when L plus
 * its box distance already reaches the k-th best distance found, and the walk stops once L alone
 * does, which for real data is after L = 2 or 3. The buckets of level L come from maps keyed by
 * the category tuple with L columns blanked (one lookup per set of L columns), so a query never
 * touches the buckets it cannot use; only queries far from every real row fall back to counting
 * matches over per-column posting lists. Queries with the same category tuple share this work. Distances are compared as sums (divided
 * by the column count at the end), and the per-row loop exits as soon as the partial sum is too large.
 */
import { numericContribution, type GowerLayout, type GowerRows } from './gower-encoding.js';

/** Real rows indexed for nearest-neighbour queries. */
export interface NeighbourIndex {
  layout: GowerLayout;
  rowCount: number;
  bucketCount: number;
  /** Start of each bucket's rows; bucketCount + 1 entries. */
  bucketStart: Int32Array;
  /** Rows' numbers in bucket order (row-major). */
  numbers: Float64Array;
  /** Per bucket × numeric column: min and max of non-null values (NaN if none), and 1 when a row is null. */
  boxMin: Float64Array;
  boxMax: Float64Array;
  boxNull: Uint8Array;
  /** Per categorical column, per code: the buckets holding that code. */
  postings: Int32Array[][];
  /** Category tuple of each bucket (bucketCount × categorical columns). */
  bucketCodes: Int32Array;
  /**
   * Buckets by a hash of their tuple with a set of columns blanked, for every set of up to
   * `wildcardLevels` columns, so the buckets differing from a query in exactly those columns are
   * found by one binary search. Per set: the blanked columns, and the bucket ids sorted by hash.
   */
  wildcards: { columns: number[]; hashes: Uint32Array; buckets: Int32Array }[][];
  /** Per bucket: hash of its whole tuple. */
  tupleHash: Uint32Array;
  wildcardLevels: number;
}

function tupleKey(codes: Int32Array, offset: number, k: number): string {
  let key = '';
  for (let j = 0; j < k; j++) key += (j === 0 ? '' : ',') + (codes[offset + j] as number);
  return key;
}

/** Options of {@link buildNeighbourIndex}. */
export interface NeighbourIndexOptions {
  /**
   * Most entries (bucket ids, 8 bytes each) in the wildcard lists; fewer levels are kept when the
   * lists would exceed it, and deeper levels are found by counting instead.
   * @default 4000000
   */
  wildcardBudget?: number;
}

/** Builds the index over the rows of a real table. */
export function buildNeighbourIndex(
  rows: GowerRows,
  layout: GowerLayout,
  options: NeighbourIndexOptions = {},
): NeighbourIndex {
  const n = rows.rowCount;
  const m = layout.numeric.length;
  const k = layout.categorical.length;
  const bucketByKey = new Map<string, number>();
  const bucketOf = new Int32Array(n);
  const firstRow: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = tupleKey(rows.codes, i * k, k);
    let b = bucketByKey.get(key);
    if (b === undefined) {
      b = firstRow.length;
      bucketByKey.set(key, b);
      firstRow.push(i);
    }
    bucketOf[i] = b;
  }
  const bucketCount = firstRow.length;
  const bucketStart = new Int32Array(bucketCount + 1);
  for (let i = 0; i < n; i++) {
    const slot = (bucketOf[i] as number) + 1;
    bucketStart[slot] = (bucketStart[slot] as number) + 1;
  }
  for (let b = 0; b < bucketCount; b++)
    bucketStart[b + 1] = (bucketStart[b + 1] as number) + (bucketStart[b] as number);
  const fill = bucketStart.slice(0, bucketCount);
  const numbers = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i] as number;
    const dst = fill[b] as number;
    fill[b] = dst + 1;
    for (let j = 0; j < m; j++) numbers[dst * m + j] = rows.numbers[i * m + j] as number;
  }
  const boxMin = new Float64Array(bucketCount * m).fill(Number.NaN);
  const boxMax = new Float64Array(bucketCount * m).fill(Number.NaN);
  const boxNull = new Uint8Array(bucketCount * m);
  for (let b = 0; b < bucketCount; b++) {
    for (let r = bucketStart[b] as number; r < (bucketStart[b + 1] as number); r++) {
      for (let j = 0; j < m; j++) {
        const x = numbers[r * m + j] as number;
        const at = b * m + j;
        if (x !== x) boxNull[at] = 1;
        else {
          const lo = boxMin[at] as number;
          if (!(x >= lo)) boxMin[at] = x;
          const hi = boxMax[at] as number;
          if (!(x <= hi)) boxMax[at] = x;
        }
      }
    }
  }
  const bucketCodes = new Int32Array(bucketCount * k);
  const postingLists: number[][][] = Array.from({ length: k }, () => []);
  firstRow.forEach((row, b) => {
    for (let j = 0; j < k; j++) {
      const code = rows.codes[row * k + j] as number;
      bucketCodes[b * k + j] = code;
      const lists = postingLists[j] as number[][];
      (lists[code] ??= []).push(b);
    }
  });
  const postings = postingLists.map((lists) => Array.from(lists, (list) => Int32Array.from(list ?? [])));
  const tupleHash = new Uint32Array(bucketCount);
  for (let b = 0; b < bucketCount; b++) tupleHash[b] = hashTuple(bucketCodes, b * k, k);
  const wildcardLevels = chooseWildcardLevels(k, bucketCount, options.wildcardBudget ?? MAX_WILDCARD_ENTRIES);
  const sortKeys = new Float64Array(bucketCount);
  const wildcards = Array.from({ length: wildcardLevels + 1 }, (_, level) =>
    subsetsOfSize(k, level).map((columns) => {
      // Hash and bucket id packed into one double (hash · 2^21 + id) so one native sort orders both.
      for (let b = 0; b < bucketCount; b++)
        sortKeys[b] = blankedHash(tupleHash[b] as number, bucketCodes, b * k, columns) * PACK + b;
      sortKeys.sort();
      const hashes = new Uint32Array(bucketCount);
      const buckets = new Int32Array(bucketCount);
      for (let t = 0; t < bucketCount; t++) {
        const v = sortKeys[t] as number;
        const b = v % PACK;
        hashes[t] = (v - b) / PACK;
        buckets[t] = b;
      }
      return { columns, hashes, buckets };
    }),
  );
  return {
    layout,
    rowCount: n,
    bucketCount,
    bucketStart,
    numbers,
    boxMin,
    boxMax,
    boxNull,
    postings,
    bucketCodes,
    wildcards,
    tupleHash,
    wildcardLevels,
  };
}

/** Most wildcard entries kept (each is one bucket id in one sorted list, 8 bytes). */
const MAX_WILDCARD_ENTRIES = 4_000_000;
const MAX_WILDCARD_LEVEL = 3;
/** Bucket ids packed below the hash must stay under this (2^21), so hash · PACK + id is exact. */
const PACK = 2 ** 21;

function binomial(n: number, r: number): number {
  let out = 1;
  for (let i = 0; i < r; i++) out = (out * (n - i)) / (i + 1);
  return out;
}

/** Deepest level whose maps, with all shallower ones, fit the entry budget. */
function chooseWildcardLevels(k: number, buckets: number, budget: number): number {
  if (buckets >= PACK) return 0;
  let entries = 0;
  let level = 0;
  for (let L = 1; L <= Math.min(k, MAX_WILDCARD_LEVEL); L++) {
    entries += binomial(k, L) * buckets;
    if (entries > budget) break;
    level = L;
  }
  return level;
}

function subsetsOfSize(k: number, size: number): number[][] {
  const out: number[][] = [];
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === size) {
      out.push([...chosen]);
      return;
    }
    for (let j = from; j < k; j++) pick(j + 1, [...chosen, j]);
  };
  pick(0, []);
  return out;
}

/** Per-column odd multipliers of the tuple hash, and the value a blanked column counts as. */
const MULTIPLIERS = Array.from({ length: 64 }, (_, j) => (Math.imul(j + 1, 0x9e3779b1) ^ 0x85ebca6b) | 1);
const BLANK = 0x7fffffff;

function multiplier(j: number): number {
  return MULTIPLIERS[j % 64] as number;
}

/** Σ code_j · P_j (mod 2^32): blanking a column is then one subtraction and one addition. */
function hashTuple(codes: Int32Array, offset: number, k: number): number {
  let h = 0;
  for (let j = 0; j < k; j++) h = (h + Math.imul(codes[offset + j] as number, multiplier(j))) | 0;
  return h >>> 0;
}

/** The tuple hash with the given columns blanked (collisions are resolved by comparing tuples). */
function blankedHash(full: number, codes: Int32Array, offset: number, blank: readonly number[]): number {
  let h = full | 0;
  for (const j of blank) h = (h + Math.imul(BLANK - (codes[offset + j] as number), multiplier(j))) | 0;
  return h >>> 0;
}

/** Distances (mean Gower) of each query row to its nearest and second-nearest indexed rows (Infinity when absent; `second` is NaN when only the nearest was asked for). */
export interface NearestDistances {
  first: Float64Array;
  second: Float64Array;
}

/**
 * Nearest (and, with `neighbours: 2`, second-nearest) distances of every row of `queries` to the
 * indexed rows. Exact: equal to a brute-force scan up to floating-point summation order.
 */
export function findNearest(
  index: NeighbourIndex,
  queries: GowerRows,
  neighbours: 1 | 2 = 1,
): NearestDistances {
  const m = index.layout.numeric.length;
  const k = index.layout.categorical.length;
  const d = m + k;
  const nq = queries.rowCount;
  const first = new Float64Array(nq);
  const second = new Float64Array(nq).fill(Number.NaN);
  if (d === 0) {
    first.fill(index.rowCount > 0 ? 0 : Number.POSITIVE_INFINITY);
    if (neighbours === 2) second.fill(index.rowCount > 1 ? 0 : Number.POSITIVE_INFINITY);
    return { first, second };
  }
  // Queries grouped by category tuple: the buckets of each mismatch level are found once per tuple.
  const groups = new Map<string, number[]>();
  for (let i = 0; i < nq; i++) {
    const key = tupleKey(queries.codes, i * k, k);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  }
  const levels = new BucketLevels(index, k);
  const q = new Float64Array(m);
  for (const members of groups.values()) {
    levels.reset(queries.codes, (members[0] as number) * k);
    for (const i of members) {
      for (let j = 0; j < m; j++) q[j] = queries.numbers[i * m + j] as number;
      let best1 = Number.POSITIVE_INFINITY;
      let best2 = Number.POSITIVE_INFINITY;
      for (let L = 0; L <= k; L++) {
        if (L >= (neighbours === 2 ? best2 : best1)) break;
        const buckets = levels.at(L);
        for (let t = 0; t < buckets.length; t++) {
          const limit = neighbours === 2 ? best2 : best1;
          const b = buckets[t] as number;
          // The bucket's box bound: numeric distance to the box, on top of the mismatches.
          let s = L;
          for (let j = 0; j < m && s < limit; j++) {
            const x = q[j] as number;
            const at = b * m + j;
            const lo = index.boxMin[at] as number;
            if (x !== x) {
              if (index.boxNull[at] === 0) s += 1;
            } else if (lo !== lo) s += 1;
            else if (x < lo) s += lo - x;
            else {
              const hi = index.boxMax[at] as number;
              if (x > hi) s += x - hi;
            }
          }
          if (s >= limit) continue;
          const end = index.bucketStart[b + 1] as number;
          for (let r = index.bucketStart[b] as number; r < end; r++) {
            const bound = neighbours === 2 ? best2 : best1;
            let sum = L;
            const base = r * m;
            for (let j = 0; j < m; j++) {
              const x = q[j] as number;
              const y = index.numbers[base + j] as number;
              sum += x === x && y === y ? (x > y ? x - y : y - x) : numericContribution(x, y);
              if (sum >= bound) break;
            }
            if (sum < best1) {
              best2 = best1;
              best1 = sum;
            } else if (sum < best2) best2 = sum;
          }
        }
      }
      first[i] = best1 / d;
      if (neighbours === 2) second[i] = best2 / d;
    }
  }
  return { first, second };
}

const EMPTY = new Int32Array(0);

/**
 * The buckets differing from one category tuple in exactly L columns, per level, computed on
 * demand: shallow levels through the wildcard maps, deeper ones (rarely needed) by counting
 * matches over the posting lists once and sorting the buckets by mismatch.
 */
class BucketLevels {
  private readonly cache: (Int32Array | undefined)[];
  private codes: Int32Array = EMPTY;
  private offset = 0;
  private counted: { levelStart: Int32Array; ordered: Int32Array } | undefined;

  constructor(
    private readonly index: NeighbourIndex,
    private readonly k: number,
  ) {
    this.cache = new Array<Int32Array | undefined>(k + 1);
  }

  reset(codes: Int32Array, offset: number): void {
    this.codes = codes;
    this.offset = offset;
    this.cache.fill(undefined);
    this.counted = undefined;
  }

  at(level: number): Int32Array {
    let list = this.cache[level];
    if (list === undefined) {
      list = level <= this.index.wildcardLevels ? this.fromWildcards(level) : this.fromCounts(level);
      this.cache[level] = list;
    }
    return list;
  }

  private fromWildcards(level: number): Int32Array {
    const { index, k, codes, offset } = this;
    const full = hashTuple(codes, offset, k);
    const out: number[] = [];
    for (const { columns, hashes, buckets } of index.wildcards[level] ?? []) {
      const h = blankedHash(full, codes, offset, columns);
      let lo = 0;
      let hi = hashes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((hashes[mid] as number) < h) lo = mid + 1;
        else hi = mid;
      }
      // Keep buckets that differ exactly in the blanked columns (hash collisions and buckets of
      // lower levels fail this check).
      for (let t = lo; t < hashes.length && hashes[t] === h; t++) {
        const b = buckets[t] as number;
        const row = b * k;
        // Blanked columns first: most candidates are buckets of lower levels, which agree on one of them.
        let ok = true;
        for (let c = 0; c < columns.length && ok; c++) {
          const j = columns[c] as number;
          ok = index.bucketCodes[row + j] !== codes[offset + j];
        }
        if (!ok) continue;
        let next = 0;
        for (let j = 0; j < k && ok; j++) {
          if (next < columns.length && columns[next] === j) next++;
          else ok = index.bucketCodes[row + j] === codes[offset + j];
        }
        if (ok) out.push(b);
      }
    }
    return Int32Array.from(out);
  }

  private fromCounts(level: number): Int32Array {
    if (this.counted === undefined) {
      const { index, k, codes, offset } = this;
      const B = index.bucketCount;
      const matches = new Uint16Array(B);
      for (let j = 0; j < k; j++) {
        const list = index.postings[j]?.[codes[offset + j] as number];
        if (list === undefined) continue;
        for (let t = 0; t < list.length; t++) {
          const b = list[t] as number;
          matches[b] = (matches[b] as number) + 1;
        }
      }
      const levelStart = new Int32Array(k + 2);
      for (let b = 0; b < B; b++) {
        const slot = k - (matches[b] as number) + 1;
        levelStart[slot] = (levelStart[slot] as number) + 1;
      }
      for (let L = 0; L <= k; L++)
        levelStart[L + 1] = (levelStart[L + 1] as number) + (levelStart[L] as number);
      const cursor = levelStart.slice(0, k + 1);
      const ordered = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const L = k - (matches[b] as number);
        ordered[cursor[L] as number] = b;
        cursor[L] = (cursor[L] as number) + 1;
      }
      this.counted = { levelStart, ordered };
    }
    const { levelStart, ordered } = this.counted;
    return ordered.subarray(levelStart[level] as number, levelStart[level + 1] as number);
  }
}
