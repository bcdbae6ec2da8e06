/**
 * Growing one classification or regression tree on binned predictors, histogram style: at each
 * node every predictor's rows are tallied per code (O(rows)), and splits are found by scanning the
 * codes in order (numbers, datetimes) or sorted by their target mean (categories, the classic
 * ordering that makes the best two-way partition a prefix). Classification uses Gini impurity;
 * regression uses the squared error of the target's rank (robust to heavy tails) plus a Gini term
 * for being null, so missingness is predicted too.
 */
import type { ClassTarget, PredictorCodes, ValueTarget } from './column-encoding.js';
import type { CartNode } from './model.js';

/** A predictor column as the grower sees it. */
export interface TreePredictor extends PredictorCodes {
  /** Index into the model's columns, written into splits. */
  column: number;
}

/** Stopping rules. */
export interface TreeLimits {
  /** Fewest rows a leaf may hold. */
  minLeaf: number;
  /** Deepest a leaf may sit (the root is depth 0). */
  maxDepth: number;
  /** A split must reduce impurity by at least this share of the root's impurity (rpart's cp). */
  complexity: number;
}

/** Weight of the null-indicator Gini term against the rank variance (a uniform rank has variance 1/12). */
const NULL_WEIGHT = 1 / 3;

/** The best split found at a node. */
interface Split {
  gain: number;
  predictor: number;
  /** Per code: 1 = left. */
  left: Uint8Array;
}

/** Grows a tree over `rowCount` rows and returns its nodes (root first); `makeLeaf` summarises a leaf's rows. */
export function growTree<Leaf>(
  rowCount: number,
  predictors: readonly TreePredictor[],
  target: ClassTarget | ValueTarget,
  limits: TreeLimits,
  makeLeaf: (rows: Uint32Array) => Leaf,
): CartNode<Leaf>[] {
  const grower = new Grower(rowCount, predictors, target, limits, makeLeaf);
  return grower.grow();
}

class Grower<Leaf> {
  private readonly nodes: CartNode<Leaf>[] = [];
  private readonly rows: Uint32Array;
  private readonly scratchRows: Uint32Array;
  private readonly maxCodes: number;
  /** Per code: rows of the node with that code. */
  private readonly codeTotals: Float64Array;
  /** Codes seen at the current node for the current predictor. */
  private readonly touched: Int32Array;
  private readonly sortKeys: Float64Array;
  // Classification scratch.
  private readonly classCount: number;
  private readonly hist: Float64Array;
  private readonly nodeClassCounts: Float64Array;
  private readonly leftClassCounts: Float64Array;
  private readonly presentClasses: Int32Array;
  // Regression scratch: per code non-null count, null count, sum and sum of squares of ranks.
  private readonly codeCount: Float64Array;
  private readonly codeNulls: Float64Array;
  private readonly codeSum: Float64Array;
  private readonly codeSq: Float64Array;
  private minGain = 0;

  constructor(
    rowCount: number,
    private readonly predictors: readonly TreePredictor[],
    private readonly target: ClassTarget | ValueTarget,
    private readonly limits: TreeLimits,
    private readonly makeLeaf: (rows: Uint32Array) => Leaf,
  ) {
    this.rows = new Uint32Array(rowCount);
    for (let i = 0; i < rowCount; i++) this.rows[i] = i;
    this.scratchRows = new Uint32Array(rowCount);
    this.maxCodes = predictors.reduce((m, p) => Math.max(m, p.codeCount), 1);
    this.codeTotals = new Float64Array(this.maxCodes);
    this.touched = new Int32Array(this.maxCodes);
    this.sortKeys = new Float64Array(this.maxCodes);
    this.classCount = target.kind === 'class' ? target.classCount : 0;
    this.hist = new Float64Array(this.maxCodes * this.classCount);
    this.nodeClassCounts = new Float64Array(this.classCount);
    this.leftClassCounts = new Float64Array(this.classCount);
    this.presentClasses = new Int32Array(this.classCount);
    const valueCodes = target.kind === 'value' ? this.maxCodes : 0;
    this.codeCount = new Float64Array(valueCodes);
    this.codeNulls = new Float64Array(valueCodes);
    this.codeSum = new Float64Array(valueCodes);
    this.codeSq = new Float64Array(valueCodes);
  }

  grow(): CartNode<Leaf>[] {
    const n = this.rows.length;
    this.minGain = Math.max(1e-12, this.limits.complexity * this.impurity(0, n));
    this.growNode(0, n, 0);
    return this.nodes;
  }

  private growNode(start: number, end: number, depth: number): number {
    const index = this.nodes.length;
    this.nodes.push({ leaf: undefined as unknown as Leaf });
    const n = end - start;
    const impurity = this.impurity(start, end);
    let split: Split | undefined;
    if (n >= 2 * this.limits.minLeaf && depth < this.limits.maxDepth && impurity > 1e-12) {
      split = this.bestSplit(start, end, impurity);
    }
    if (split === undefined || split.gain < this.minGain) {
      this.nodes[index] = { leaf: this.makeLeaf(this.rows.subarray(start, end)) };
      return index;
    }
    const mid = this.partition(start, end, split);
    const left = this.growNode(start, mid, depth + 1);
    const right = this.growNode(mid, end, depth + 1);
    const predictor = this.predictors[split.predictor] as TreePredictor;
    this.nodes[index] = { predictor: predictor.column, leftCodes: maskToHex(split.left), left, right };
    return index;
  }

  /** Node impurity: n·Gini for classes; rank SSE plus weighted null Gini for values. */
  private impurity(start: number, end: number): number {
    const rows = this.rows;
    const n = end - start;
    if (n === 0) return 0;
    if (this.target.kind === 'class') {
      const classes = this.target.classes;
      const counts = this.nodeClassCounts;
      counts.fill(0);
      for (let i = start; i < end; i++) {
        const k = classes[rows[i] as number] as number;
        counts[k] = (counts[k] as number) + 1;
      }
      let sq = 0;
      for (let k = 0; k < counts.length; k++) sq += (counts[k] as number) ** 2;
      return n - sq / n;
    }
    const ranks = this.target.ranks;
    let cnt = 0;
    let sum = 0;
    let sq = 0;
    for (let i = start; i < end; i++) {
      const r = ranks[rows[i] as number] as number;
      if (r !== r) continue;
      cnt++;
      sum += r;
      sq += r * r;
    }
    return valueImpurity(cnt, n - cnt, sum, sq);
  }

  private bestSplit(start: number, end: number, impurity: number): Split | undefined {
    let best: Split | undefined;
    for (let p = 0; p < this.predictors.length; p++) {
      const candidate =
        this.target.kind === 'class'
          ? this.bestClassSplit(p, start, end, impurity)
          : this.bestValueSplit(p, start, end, impurity);
      if (candidate !== undefined && (best === undefined || candidate.gain > best.gain)) best = candidate;
    }
    return best;
  }

  /** Lists the codes the node's rows have (totals already tallied), ascending for ordered predictors. */
  private listTouched(p: number): number {
    const predictor = this.predictors[p] as TreePredictor;
    const totals = this.codeTotals;
    const touched = this.touched;
    let m = 0;
    for (let code = 0; code < predictor.codeCount; code++)
      if ((totals[code] as number) > 0) touched[m++] = code;
    return m;
  }

  private bestClassSplit(p: number, start: number, end: number, impurity: number): Split | undefined {
    const target = this.target as ClassTarget;
    const classes = target.classes;
    const c = this.classCount;
    const hist = this.hist;
    const totals = this.codeTotals;
    const codes = (this.predictors[p] as TreePredictor).codes;
    const rows = this.rows;
    for (let i = start; i < end; i++) {
      const row = rows[i] as number;
      const code = codes[row] as number;
      totals[code] = (totals[code] as number) + 1;
      const cell = code * c + (classes[row] as number);
      hist[cell] = (hist[cell] as number) + 1;
    }
    const m = this.listTouched(p);
    let best: Split | undefined;
    if (m >= 2) {
      // nodeClassCounts still holds this node's counts (impurity() ran last for this node).
      const counts = this.nodeClassCounts;
      const present = this.presentClasses;
      let k = 0;
      for (let cls = 0; cls < c; cls++) if ((counts[cls] as number) > 0) present[k++] = cls;
      const predictor = this.predictors[p] as TreePredictor;
      if (predictor.ordered) {
        best = this.scanClasses(p, m, end - start, k, impurity);
      } else {
        // Orderings by the share of each of the two most frequent classes; with two classes one is exact.
        const top = topTwo(counts, present, k);
        for (const cls of top) {
          this.sortTouched(m, (code) => (hist[code * c + cls] as number) / (this.codeTotals[code] as number));
          const candidate = this.scanClasses(p, m, end - start, k, impurity);
          if (candidate !== undefined && (best === undefined || candidate.gain > best.gain)) best = candidate;
          if (k <= 2) break;
        }
      }
    }
    // Clear only what this node touched.
    for (let i = 0; i < m; i++) {
      const code = this.touched[i] as number;
      this.codeTotals[code] = 0;
      hist.fill(0, code * c, code * c + c);
    }
    return best;
  }

  private scanClasses(p: number, m: number, n: number, k: number, impurity: number): Split | undefined {
    const c = this.classCount;
    const hist = this.hist;
    const counts = this.nodeClassCounts;
    const left = this.leftClassCounts;
    const present = this.presentClasses;
    const touched = this.touched;
    const minLeaf = this.limits.minLeaf;
    let rightSq = 0;
    for (let j = 0; j < k; j++) rightSq += (counts[present[j] as number] as number) ** 2;
    let leftSq = 0;
    let leftN = 0;
    let bestGain = -Infinity;
    let bestAt = -1;
    for (let i = 0; i < m - 1; i++) {
      const code = touched[i] as number;
      const base = code * c;
      for (let j = 0; j < k; j++) {
        const cls = present[j] as number;
        const x = hist[base + cls] as number;
        if (x === 0) continue;
        const l = left[cls] as number;
        const r = (counts[cls] as number) - l;
        leftSq += 2 * l * x + x * x;
        rightSq += x * x - 2 * r * x;
        left[cls] = l + x;
      }
      leftN += this.codeTotals[code] as number;
      const rightN = n - leftN;
      if (leftN < minLeaf || rightN < minLeaf) continue;
      const gain = impurity - (leftN - leftSq / leftN) - (rightN - rightSq / rightN);
      if (gain > bestGain) {
        bestGain = gain;
        bestAt = i;
      }
    }
    for (let j = 0; j < k; j++) left[present[j] as number] = 0;
    return bestAt < 0 ? undefined : this.splitAt(p, m, bestAt, bestGain, n);
  }

  private bestValueSplit(p: number, start: number, end: number, impurity: number): Split | undefined {
    const ranks = (this.target as ValueTarget).ranks;
    const cnt = this.codeCount;
    const nul = this.codeNulls;
    const sum = this.codeSum;
    const sq = this.codeSq;
    const totals = this.codeTotals;
    const codes = (this.predictors[p] as TreePredictor).codes;
    const rows = this.rows;
    for (let i = start; i < end; i++) {
      const row = rows[i] as number;
      const code = codes[row] as number;
      totals[code] = (totals[code] as number) + 1;
      const r = ranks[row] as number;
      if (r !== r) nul[code] = (nul[code] as number) + 1;
      else {
        cnt[code] = (cnt[code] as number) + 1;
        sum[code] = (sum[code] as number) + r;
        sq[code] = (sq[code] as number) + r * r;
      }
    }
    const m = this.listTouched(p);
    let best: Split | undefined;
    if (m >= 2) {
      const predictor = this.predictors[p] as TreePredictor;
      if (!predictor.ordered)
        this.sortTouched(m, (code) =>
          (cnt[code] as number) > 0 ? (sum[code] as number) / (cnt[code] as number) : -1,
        );
      best = this.scanValues(p, m, end - start, impurity);
    }
    for (let i = 0; i < m; i++) {
      const code = this.touched[i] as number;
      this.codeTotals[code] = 0;
      cnt[code] = 0;
      nul[code] = 0;
      sum[code] = 0;
      sq[code] = 0;
    }
    return best;
  }

  private scanValues(p: number, m: number, n: number, impurity: number): Split | undefined {
    const cnt = this.codeCount;
    const nul = this.codeNulls;
    const sum = this.codeSum;
    const sq = this.codeSq;
    const touched = this.touched;
    let totalCnt = 0;
    let totalNul = 0;
    let totalSum = 0;
    let totalSq = 0;
    for (let i = 0; i < m; i++) {
      const code = touched[i] as number;
      totalCnt += cnt[code] as number;
      totalNul += nul[code] as number;
      totalSum += sum[code] as number;
      totalSq += sq[code] as number;
    }
    const minLeaf = this.limits.minLeaf;
    let lc = 0;
    let ln = 0;
    let ls = 0;
    let lq = 0;
    let bestGain = -Infinity;
    let bestAt = -1;
    for (let i = 0; i < m - 1; i++) {
      const code = touched[i] as number;
      lc += cnt[code] as number;
      ln += nul[code] as number;
      ls += sum[code] as number;
      lq += sq[code] as number;
      const leftN = lc + ln;
      const rightN = n - leftN;
      if (leftN < minLeaf || rightN < minLeaf) continue;
      const gain =
        impurity -
        valueImpurity(lc, ln, ls, lq) -
        valueImpurity(totalCnt - lc, totalNul - ln, totalSum - ls, totalSq - lq);
      if (gain > bestGain) {
        bestGain = gain;
        bestAt = i;
      }
    }
    return bestAt < 0 ? undefined : this.splitAt(p, m, bestAt, bestGain, n);
  }

  /** The split sending touched[0..at] left; codes the node never saw follow the threshold (ordered) or the larger side. */
  private splitAt(p: number, m: number, at: number, gain: number, n: number): Split {
    const predictor = this.predictors[p] as TreePredictor;
    const left = new Uint8Array(predictor.codeCount);
    let leftN = 0;
    for (let i = 0; i <= at; i++) {
      const code = this.touched[i] as number;
      left[code] = 1;
      leftN += this.codeTotals[code] as number;
    }
    if (predictor.ordered) {
      const threshold = this.touched[at] as number;
      for (let code = 0; code < threshold; code++) left[code] = 1;
    } else if (leftN > n - leftN) {
      const seen = new Uint8Array(predictor.codeCount);
      for (let i = 0; i < m; i++) seen[this.touched[i] as number] = 1;
      for (let code = 0; code < predictor.codeCount; code++) if (seen[code] === 0) left[code] = 1;
    }
    return { gain, predictor: p, left };
  }

  /** Sorts touched[0..m) by key (ties by code, so the order is deterministic). */
  private sortTouched(m: number, key: (code: number) => number): void {
    const keys = this.sortKeys;
    const touched = this.touched;
    for (let i = 0; i < m; i++) {
      const code = touched[i] as number;
      keys[code] = key(code);
    }
    // Insertion sort: at most 64 codes, and no allocation per node.
    for (let i = 1; i < m; i++) {
      const code = touched[i] as number;
      const k = keys[code] as number;
      let j = i - 1;
      while (j >= 0) {
        const other = touched[j] as number;
        const ko = keys[other] as number;
        if (ko < k || (ko === k && other < code)) break;
        touched[j + 1] = other;
        j--;
      }
      touched[j + 1] = code;
    }
  }

  /** Moves the node's left rows before its right rows (stable); returns the first right position. */
  private partition(start: number, end: number, split: Split): number {
    const codes = (this.predictors[split.predictor] as TreePredictor).codes;
    const rows = this.rows;
    const scratch = this.scratchRows;
    const left = split.left;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i] as number;
      if (left[codes[row] as number] === 1) rows[l++] = row;
      else scratch[r++] = row;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }
}

function valueImpurity(cnt: number, nulls: number, sum: number, sq: number): number {
  const sse = cnt > 0 ? Math.max(0, sq - (sum * sum) / cnt) : 0;
  const n = cnt + nulls;
  return n > 0 ? sse + (NULL_WEIGHT * nulls * cnt) / n : 0;
}

/** The (up to) two most frequent classes among the present ones, most frequent first. */
function topTwo(counts: Float64Array, present: Int32Array, k: number): number[] {
  let a = -1;
  let b = -1;
  for (let j = 0; j < k; j++) {
    const cls = present[j] as number;
    const c = counts[cls] as number;
    if (a < 0 || c > (counts[a] as number)) {
      b = a;
      a = cls;
    } else if (b < 0 || c > (counts[b] as number)) b = cls;
  }
  return b < 0 ? [a] : [a, b];
}

/** Bitmask of the codes set in `left` as hex, code 0 in the lowest bit of the last digit. */
export function maskToHex(left: Uint8Array): string {
  const digits = Math.max(1, Math.ceil(left.length / 4));
  let out = '';
  for (let d = digits - 1; d >= 0; d--) {
    let v = 0;
    for (let b = 3; b >= 0; b--) v = (v << 1) | (left[d * 4 + b] === 1 ? 1 : 0);
    out += v.toString(16);
  }
  return out;
}

/** Codes set in a hex mask written by {@link maskToHex}, as 0/1 per code (codes beyond the mask are 0). */
export function hexToMask(hex: string, codeCount: number): Uint8Array {
  const out = new Uint8Array(codeCount);
  const digits = hex.length;
  for (let d = 0; d < digits; d++) {
    const v = Number.parseInt(hex[digits - 1 - d] as string, 16);
    for (let b = 0; b < 4; b++) {
      const code = d * 4 + b;
      if (code < codeCount && ((v >> b) & 1) === 1) out[code] = 1;
    }
  }
  return out;
}
