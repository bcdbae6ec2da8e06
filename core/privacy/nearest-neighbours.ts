/**
 * Exact nearest-neighbour search under Gower distance, built for mixed tables where categorical
 * columns carry most of the distance. Real rows are grouped into buckets by their tuple of
 * categories; each bucket keeps the bounding box of its numeric values. A query visits buckets in
 * order of how many categories they disagree on (L = 0, 1, 2, …): a bucket is skipped when L plus
 * its box distance already reaches the k-th best distance found, and the walk stops once L alone
 * does, which for real data is after L = 2 or 3. Within a bucket the rows form a k-d tree over
 * the numeric columns (median splits, bounding boxes), searched nearer child first and pruned by
 * box distance, so large buckets — all of a numeric-only table is one bucket — are not scanned in full. The buckets of level L come from maps keyed by
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
  /** Rows' numbers in bucket order, and within a bucket in the order of its tree (row-major). */
  numbers: Float64Array;
  /** Root node of each bucket's tree. */
  bucketRoot: Int32Array;
  /** Per tree node: its rows [start, end), and its children (−1 for a leaf). */
  nodeStart: Int32Array;
  nodeEnd: Int32Array;
  nodeLeft: Int32Array;
  nodeRight: Int32Array;
  /** Per node × numeric column: min and max of non-null values (NaN if none), and 1 when a row is null. */
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
  const order = new Int32Array(n);
  const fill = bucketStart.slice(0, bucketCount);
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i] as number;
    order[fill[b] as number] = i;
    fill[b] = (fill[b] as number) + 1;
  }
  const tree = new TreeBuilder(rows.numbers, m, order);
  const bucketRoot = new Int32Array(bucketCount);
  for (let b = 0; b < bucketCount; b++)
    bucketRoot[b] = tree.build(bucketStart[b] as number, bucketStart[b + 1] as number);
  const numbers = new Float64Array(n * m);
  order.forEach((src, dst) => {
    for (let j = 0; j < m; j++) numbers[dst * m + j] = rows.numbers[src * m + j] as number;
  });
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
    bucketRoot,
    nodeStart: Int32Array.from(tree.start),
    nodeEnd: Int32Array.from(tree.end),
    nodeLeft: Int32Array.from(tree.left),
    nodeRight: Int32Array.from(tree.right),
    boxMin: Float64Array.from(tree.boxMin),
    boxMax: Float64Array.from(tree.boxMax),
    boxNull: Uint8Array.from(tree.boxNull),
    postings,
    bucketCodes,
    wildcards,
    tupleHash,
    wildcardLevels,
  };
}

/** Rows per tree leaf: small enough to prune, large enough to amortise a node visit. */
const LEAF_ROWS = 16;

/**
 * Builds one k-d tree per bucket over the numeric columns: each node splits its rows at the
 * median of the column with the widest spread (nulls count as spread 1 and sort last) and keeps
 * their bounding box. Reorders `order` in place so that every node's rows are contiguous.
 */
class TreeBuilder {
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly boxMin: number[] = [];
  readonly boxMax: number[] = [];
  readonly boxNull: number[] = [];

  constructor(
    private readonly numbers: Float64Array,
    private readonly m: number,
    private readonly order: Int32Array,
  ) {}

  build(lo: number, hi: number): number {
    const { numbers, m, order } = this;
    const id = this.start.length;
    this.start.push(lo);
    this.end.push(hi);
    this.left.push(-1);
    this.right.push(-1);
    let widest = -1;
    let widestSpread = 0;
    for (let j = 0; j < m; j++) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let hasNull = 0;
      for (let i = lo; i < hi; i++) {
        const x = numbers[(order[i] as number) * m + j] as number;
        if (x !== x) hasNull = 1;
        else {
          if (x < min) min = x;
          if (x > max) max = x;
        }
      }
      const any = min <= max;
      this.boxMin.push(any ? min : Number.NaN);
      this.boxMax.push(any ? max : Number.NaN);
      this.boxNull.push(hasNull);
      const spread = (any ? max - min : 0) + (any && hasNull ? 1 : 0);
      if (spread > widestSpread) {
        widestSpread = spread;
        widest = j;
      }
    }
    if (hi - lo <= LEAF_ROWS || widest < 0) return id;
    const key = (r: number): number => {
      const x = numbers[r * m + widest] as number;
      return x === x ? x : Number.POSITIVE_INFINITY;
    };
    order.set(
      Array.from(order.subarray(lo, hi)).sort((a, b) => key(a) - key(b) || a - b),
      lo,
    );
    // The median, moved to the edge of its run of equal values so the children's boxes do not overlap.
    let mid = lo + ((hi - lo) >> 1);
    const pivot = key(order[mid] as number);
    let up = mid;
    while (up < hi && key(order[up] as number) === pivot) up++;
    let down = mid;
    while (down > lo && key(order[down - 1] as number) === pivot) down--;
    mid = up < hi ? up : down;
    if (mid <= lo || mid >= hi) return id;
    const l = this.build(lo, mid);
    const r = this.build(mid, hi);
    this.left[id] = l;
    this.right[id] = r;
    return id;
  }
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
  const search = new TreeSearch(index, m, neighbours);
  for (const members of groups.values()) {
    levels.reset(queries.codes, (members[0] as number) * k);
    for (const i of members) {
      search.start(queries.numbers, i * m);
      for (let L = 0; L <= k; L++) {
        if (L >= search.limit()) break;
        const buckets = levels.at(L);
        for (let t = 0; t < buckets.length; t++) {
          const root = index.bucketRoot[buckets[t] as number] as number;
          search.visit(root, L, L + search.boxDistance(root));
        }
      }
      first[i] = search.best1 / d;
      if (neighbours === 2) second[i] = search.best2 / d;
    }
  }
  return { first, second };
}

/** Depth-first search of bucket trees for one query, keeping the best one or two summed distances. */
class TreeSearch {
  best1 = Number.POSITIVE_INFINITY;
  best2 = Number.POSITIVE_INFINITY;
  private readonly q: Float64Array;
  /** Category mismatches of the bucket being searched, added to every distance in it. */
  private mismatch = 0;

  constructor(
    private readonly index: NeighbourIndex,
    private readonly m: number,
    private readonly neighbours: 1 | 2,
  ) {
    this.q = new Float64Array(m);
  }

  start(numbers: Float64Array, offset: number): void {
    for (let j = 0; j < this.m; j++) this.q[j] = numbers[offset + j] as number;
    this.best1 = Number.POSITIVE_INFINITY;
    this.best2 = Number.POSITIVE_INFINITY;
  }

  /** The summed distance a row must beat to change the result. */
  limit(): number {
    return this.neighbours === 2 ? this.best2 : this.best1;
  }

  /** Lower bound on the numeric part of the distance from the query to any row under `node`. */
  boxDistance(node: number): number {
    const { m, q, index } = this;
    let s = 0;
    for (let j = 0; j < m; j++) {
      const x = q[j] as number;
      const at = node * m + j;
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
    return s;
  }

  /** Searches the subtree of `node` (rows `L` category mismatches away, at least `bound` away in all). */
  visit(node: number, L: number, bound: number): void {
    if (bound >= this.limit()) return;
    const index = this.index;
    const l = index.nodeLeft[node] as number;
    if (l < 0) {
      this.mismatch = L;
      this.scan(node);
      return;
    }
    const r = index.nodeRight[node] as number;
    const bl = L + this.boxDistance(l);
    const br = L + this.boxDistance(r);
    if (bl <= br) {
      this.visit(l, L, bl);
      this.visit(r, L, br);
    } else {
      this.visit(r, L, br);
      this.visit(l, L, bl);
    }
  }

  private scan(node: number): void {
    const { m, q, index } = this;
    const numbers = index.numbers;
    const end = index.nodeEnd[node] as number;
    for (let r = index.nodeStart[node] as number; r < end; r++) {
      const bound = this.limit();
      let sum = this.mismatch;
      const base = r * m;
      for (let j = 0; j < m; j++) {
        const x = q[j] as number;
        const y = numbers[base + j] as number;
        sum += x === x && y === y ? (x > y ? x - y : y - x) : numericContribution(x, y);
        if (sum >= bound) break;
      }
      if (sum < this.best1) {
        this.best2 = this.best1;
        this.best1 = sum;
      } else if (sum < this.best2) this.best2 = sum;
    }
  }
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

  /** Columns whose query value no real row holds: every bucket differs there. */
  private unseen: number[] = [];

  reset(codes: Int32Array, offset: number): void {
    this.codes = codes;
    this.offset = offset;
    this.cache.fill(undefined);
    this.counted = undefined;
    this.unseen = [];
    for (let j = 0; j < this.k; j++)
      if ((this.index.postings[j]?.[codes[offset + j] as number]?.length ?? 0) === 0) this.unseen.push(j);
  }

  at(level: number): Int32Array {
    let list = this.cache[level];
    if (list === undefined) {
      list =
        level < this.unseen.length
          ? EMPTY
          : level <= this.index.wildcardLevels
            ? this.fromWildcards(level)
            : this.fromCounts(level);
      this.cache[level] = list;
    }
    return list;
  }

  private fromWildcards(level: number): Int32Array {
    const { index, k, codes, offset, unseen } = this;
    const full = hashTuple(codes, offset, k);
    const out: number[] = [];
    for (const { columns, hashes, buckets } of index.wildcards[level] ?? []) {
      // Columns with an unseen value differ from every bucket, so only sets blanking them all can match.
      if (unseen.length > 0 && !unseen.every((j) => columns.includes(j))) continue;
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
