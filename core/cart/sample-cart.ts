/**
 * Sampling from a CART model. Rows come in fixed blocks of CART_LIMITS.blockRows global rows, each
 * block with its own stream deriveSeed(seed, block): a row's values depend only on (model, seed,
 * global row number), never on how the run is cut into chunks or which chunk index it has. Within
 * a block, columns are synthesized in visit order, each row walking the column's tree with the
 * codes of its already-synthesized predictors and drawing from the leaf it reaches.
 */
import { ConfigError } from '../errors.js';
import { createRng, deriveSeed, MAX_SEED, type Rng } from '../random/index.js';
import { createDateFormatter, DAY_MS, formatIsoTimestamp } from '../synth/datetime-codec.js';
import { normalCdf, normalQuantile, sampleIndependentColumn, type SampleRequest } from '../synth/index.js';
import type { CellValue, PhysicalType, Table } from '../table.js';
import { binCode, categoricalCodeCount, classCode } from './column-encoding.js';
import { hexToMask } from './grow-tree.js';
import {
  CART_LIMITS,
  isModelledColumn,
  isSplit,
  type CartCategoricalColumn,
  type CartClassLeaf,
  type CartDatetimeColumn,
  type CartModel,
  type CartModelledColumn,
  type CartNode,
  type CartNumericColumn,
  type CartValueLeaf,
} from './model.js';

/** Samples `rowCount` synthetic rows with the source's columns and physical types. */
export function sampleCartChunk(model: CartModel, req: SampleRequest): Table {
  checkRequest(req);
  const prepared = prepareCartModel(model);
  const { rowCount, startRow } = req;
  const outputs: CellValue[][] = model.columns.map(() => new Array<CellValue>(rowCount));
  const block = CART_LIMITS.blockRows;
  const end = startRow + rowCount;
  for (let b = Math.floor(startRow / block); b * block < end; b++) {
    const first = b * block;
    const lo = Math.max(0, startRow - first);
    const hi = Math.min(block, end - first);
    sampleBlock(prepared, createRng(deriveSeed(req.seed, b)));
    for (const column of prepared.columns)
      column.emit(lo, hi, outputs[column.index] as CellValue[], first + lo - startRow);
  }
  model.columns.forEach((column, index) => {
    if (!isModelledColumn(column)) sampleIndependentColumn(column, index, req, outputs[index] as CellValue[]);
  });
  return {
    rowCount,
    columns: model.columns.map((c, i) => ({
      name: c.name,
      type: c.physicalType,
      values: outputs[i] as CellValue[],
    })),
  };
}

function checkRequest(req: SampleRequest): void {
  const integer = (field: keyof SampleRequest, max: number) => {
    const v = req[field];
    if (!Number.isInteger(v) || v < 0 || v > max)
      throw new ConfigError(`must be an integer in 0..${max}`, field);
  };
  integer('seed', MAX_SEED);
  integer('chunkIndex', Number.MAX_SAFE_INTEGER);
  integer('startRow', Number.MAX_SAFE_INTEGER);
  integer('rowCount', 2 ** 31 - 1);
}

/** A modelled column ready to sample: its tree and leaves as typed arrays, and its block buffers. */
interface PreparedColumn {
  index: number;
  /** Row slot of this column's codes in the shared block code buffer. */
  slot: number;
  tree: FlatTree;
  sample(rng: Rng, codes: Uint8Array, values: (Float64Array | undefined)[]): void;
  /** Synthesized values of the current block (numeric and datetime columns), read by linked leaves of later columns. */
  values?: Float64Array;
  /** Writes block rows [lo, hi) as cells into out[offset…]. */
  emit(lo: number, hi: number, out: CellValue[], offset: number): void;
}

interface PreparedCartModel {
  /** Modelled columns in visit order. */
  columns: PreparedColumn[];
  /** Block values by model column index (numeric and datetime columns). */
  values: (Float64Array | undefined)[];
  /** Predictor codes of the current block: slot s holds rows s·blockRows … (s+1)·blockRows − 1. */
  codes: Uint8Array;
}

const preparedCache = new WeakMap<CartModel, PreparedCartModel>();

function prepareCartModel(model: CartModel): PreparedCartModel {
  const hit = preparedCache.get(model);
  if (hit !== undefined) return hit;
  const codeCounts = model.columns.map((c) => (isModelledColumn(c) ? predictorCodeCount(c) : 0));
  // Predictors are addressed by slot (their position in the visit order), so split nodes are rewritten to slots.
  const slots = new Int32Array(model.columns.length).fill(-1);
  model.order.forEach((index, slot) => (slots[index] = slot));
  const columns = model.order.map((index, slot) => {
    const column = model.columns[index] as CartModelledColumn;
    if (column.kind === 'categorical') return prepareCategorical(column, index, slot, slots, codeCounts);
    return prepareValueColumn(column, index, slot, slots, codeCounts);
  });
  const values: (Float64Array | undefined)[] = model.columns.map(() => undefined);
  for (const column of columns) values[column.index] = column.values;
  const prepared = {
    columns,
    values,
    codes: new Uint8Array(Math.max(1, columns.length) * CART_LIMITS.blockRows),
  };
  preparedCache.set(model, prepared);
  return prepared;
}

function sampleBlock(prepared: PreparedCartModel, rng: Rng): void {
  for (const column of prepared.columns) column.sample(rng, prepared.codes, prepared.values);
}

function predictorCodeCount(column: CartModelledColumn): number {
  return column.kind === 'categorical' ? categoricalCodeCount(column.classCount) : column.binEdges.length + 2;
}

/**
 * A tree packed for walking, four 32-bit words per node so a node is one cache line at most:
 * [predictor code offset, or ~leaf index for a leaf; left-going codes 0..31; codes 32..63; first
 * child]. Children sit side by side, right then left, so the next node is firstChild + bit.
 */
type FlatTree = Int32Array;

const NODE_WORDS = 4;

function flattenTree<Leaf>(
  nodes: CartNode<Leaf>[],
  slots: Int32Array,
  codeCounts: number[],
  onLeaf: (leaf: Leaf) => void,
): FlatTree {
  const flat = new Int32Array(Math.max(1, nodes.length) * NODE_WORDS);
  // Breadth-first renumbering puts each node's two children next to each other.
  const queue: number[] = [0];
  let placed = 1;
  let leaves = 0;
  for (let q = 0; q < queue.length; q++) {
    const node = nodes[queue[q] as number] as CartNode<Leaf>;
    const at = q * NODE_WORDS;
    if (!isSplit(node)) {
      flat[at] = ~leaves++;
      onLeaf(node.leaf);
      continue;
    }
    flat[at] = (slots[node.predictor] as number) * CART_LIMITS.blockRows;
    const mask = hexToMask(node.leftCodes, codeCounts[node.predictor] ?? 0);
    let low = 0;
    let high = 0;
    for (let code = 0; code < mask.length && code < 64; code++) {
      if (mask[code] !== 1) continue;
      if (code < 32) low |= 1 << code;
      else high |= 1 << (code - 32);
    }
    flat[at + 1] = low;
    flat[at + 2] = high;
    flat[at + 3] = placed;
    queue.push(node.right, node.left);
    placed += 2;
  }
  return flat;
}

/** Fills leafOf[r] with the leaf each block row reaches. */
function findLeaves(tree: FlatTree, codes: Uint8Array, leafOf: Int32Array): void {
  const rows = leafOf.length;
  for (let r = 0; r < rows; r++) {
    let at = 0;
    let head = tree[0] as number;
    while (head >= 0) {
      const code = codes[head + r] as number;
      const bit =
        code < 32 ? ((tree[at + 1] as number) >>> code) & 1 : ((tree[at + 2] as number) >>> (code - 32)) & 1;
      at = ((tree[at + 3] as number) + bit) * NODE_WORDS;
      head = tree[at] as number;
    }
    leafOf[r] = ~head;
  }
}

/** Index in [start, end) of the first cumulative weight above u (the last index when none is). */
function pickCumulative(cumulative: Float64Array, start: number, end: number, u: number): number {
  let lo = start;
  let hi = end - 1;
  if (hi - lo < 16) {
    while (lo < hi && u >= (cumulative[lo] as number)) lo++;
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u >= (cumulative[mid] as number)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Concatenated per-leaf lists: leaf l owns entries start[l] … start[l + 1] − 1. */
class RaggedBuilder {
  readonly start: number[] = [0];
  readonly values: number[] = [];
  push(list: readonly number[]): void {
    for (const v of list) this.values.push(v);
    this.start.push(this.values.length);
  }
}

function cumulative(counts: readonly number[], from = 0): number[] {
  let sum = from;
  return counts.map((c) => (sum += c));
}

function prepareCategorical(
  column: CartCategoricalColumn,
  index: number,
  slot: number,
  slots: Int32Array,
  codeCounts: number[],
): PreparedColumn {
  const block = CART_LIMITS.blockRows;
  const classLists = new RaggedBuilder();
  const cumulativeLists = new RaggedBuilder();
  const tree = flattenTree<CartClassLeaf>(column.tree, slots, codeCounts, (leaf) => {
    classLists.push(leaf.classes);
    cumulativeLists.push(cumulative(leaf.counts));
  });
  const leafStart = Int32Array.from(classLists.start);
  const leafClasses = Int32Array.from(classLists.values);
  const leafCumulative = Float64Array.from(cumulativeLists.values);
  const classCount = column.classCount;
  const tail = Float64Array.from(cumulative(column.tailCounts));
  const tailTotal = tail.length === 0 ? 0 : (tail[tail.length - 1] as number);
  const codeByClass = new Uint8Array(classCount + 1);
  for (let c = 0; c <= classCount; c++) codeByClass[c] = classCode(c, classCount);
  const categories = column.categories;
  const leafOf = new Int32Array(block);
  /** Category index per block row; −1 = null. */
  const category = new Int32Array(block);
  const offset = slot * block;
  return {
    index,
    slot,
    tree,
    sample(rng, codes) {
      findLeaves(tree, codes, leafOf);
      for (let r = 0; r < block; r++) {
        const l = leafOf[r] as number;
        const start = leafStart[l] as number;
        const end = leafStart[l + 1] as number;
        const total = leafCumulative[end - 1] as number;
        const cls = leafClasses[
          pickCumulative(leafCumulative, start, end, rng.nextDouble() * total)
        ] as number;
        codes[offset + r] = codeByClass[cls] as number;
        if (cls >= classCount) category[r] = -1;
        else if (tailTotal > 0 && cls === classCount - 1)
          category[r] = classCount - 1 + pickCumulative(tail, 0, tail.length, rng.nextDouble() * tailTotal);
        else category[r] = cls;
      }
    },
    emit(lo, hi, out, at) {
      for (let r = lo; r < hi; r++) {
        const c = category[r] as number;
        out[at + r - lo] = c < 0 ? null : (categories[c] ?? null);
      }
    },
  };
}

function prepareValueColumn(
  column: CartNumericColumn | CartDatetimeColumn,
  index: number,
  slot: number,
  slots: Int32Array,
  codeCounts: number[],
): PreparedColumn {
  const block = CART_LIMITS.blockRows;
  const nullsList: number[] = [];
  const totalList: number[] = [];
  const cdfLists = new RaggedBuilder();
  const valueLists = new RaggedBuilder();
  const linkPredictor: number[] = [];
  const linkRho: number[] = [];
  const linkKnots = new RaggedBuilder();
  const tree = flattenTree<CartValueLeaf>(column.tree, slots, codeCounts, (leaf) => {
    const inverse = inverseCdf(leaf);
    nullsList.push(leaf.nulls);
    totalList.push(leaf.nulls + inverse.weight);
    cdfLists.push(inverse.cdf);
    valueLists.push(inverse.values);
    linkPredictor.push(leaf.link?.predictor ?? -1);
    linkRho.push(leaf.link?.rho ?? 0);
    linkKnots.push(leaf.link?.knots ?? []);
  });
  const leafNulls = Float64Array.from(nullsList);
  const leafTotal = Float64Array.from(totalList);
  const cdfStart = Int32Array.from(cdfLists.start);
  const cdf = Float64Array.from(cdfLists.values);
  const cdfValues = Float64Array.from(valueLists.values);
  const leafLink = Int32Array.from(linkPredictor);
  const leafRho = Float64Array.from(linkRho);
  const knotStart = Int32Array.from(linkKnots.start);
  const knots = Float64Array.from(linkKnots.values);
  const edges = Float64Array.from(column.binEdges);
  const min = column.min;
  const max = column.max;
  const round = valueRounder(column);
  const toCell = column.kind === 'numeric' ? numberToCell(column) : datetimeToCell(column);
  const leafOf = new Int32Array(block);
  const values = new Float64Array(block);
  const offset = slot * block;
  return {
    index,
    slot,
    tree,
    values,
    sample(rng, codes, valuesByColumn) {
      findLeaves(tree, codes, leafOf);
      for (let r = 0; r < block; r++) {
        const l = leafOf[r] as number;
        const nulls = leafNulls[l] as number;
        const u0 = rng.nextDouble() * (leafTotal[l] as number);
        let v: number;
        if (u0 < nulls) v = Number.NaN;
        else {
          // The uniform that decided "not null" is uniform again above the null share: reuse it.
          let u = (u0 - nulls) / ((leafTotal[l] as number) - nulls);
          const link = leafLink[l] as number;
          if (link >= 0) {
            const x = (valuesByColumn[link] as Float64Array)[r] as number;
            if (x === x) {
              const rho = leafRho[l] as number;
              const up = placeInKnots(knots, knotStart[l] as number, knotStart[l + 1] as number, x, rng);
              u = normalCdf(rho * normalQuantile(up) + Math.sqrt(1 - rho * rho) * rng.nextNormal());
            }
          }
          v = round(invert(cdf, cdfValues, cdfStart[l] as number, cdfStart[l + 1] as number, u));
          if (v < min) v = min;
          else if (v > max) v = max;
        }
        values[r] = v;
        codes[offset + r] = binCode(edges, v);
      }
    },
    emit(lo, hi, out, at) {
      for (let r = lo; r < hi; r++) {
        const v = values[r] as number;
        out[at + r - lo] = v !== v ? null : toCell(v);
      }
    },
  };
}

/**
 * The leaf's non-null distribution as an inverse-CDF table of (cumulative probability, value)
 * points, interpolated linearly: the rest's knots carry equal shares of its weight, and each atom
 * is a jump (two points with one value), so a uniform draw lands on an atom with its exact weight.
 */
function inverseCdf(leaf: CartValueLeaf): { cdf: number[]; values: number[]; weight: number } {
  const weight = leaf.atomCounts.reduce((a, b) => a + b, 0) + leaf.rest;
  const cdf: number[] = [];
  const values: number[] = [];
  if (weight <= 0) return { cdf: [0], values: [Number.NaN], weight: 0 };
  // A rest of a single knot is one value: a point mass like an atom.
  const single = leaf.knots.length === 1 && leaf.rest > 0;
  const atoms = single ? [...leaf.atoms, leaf.knots[0] as number] : leaf.atoms;
  const atomCounts = single ? [...leaf.atomCounts, leaf.rest] : leaf.atomCounts;
  if (single) {
    const order = atoms.map((_, i) => i).sort((x, y) => (atoms[x] as number) - (atoms[y] as number));
    leaf = {
      ...leaf,
      atoms: order.map((i) => atoms[i] as number),
      atomCounts: order.map((i) => atomCounts[i] as number),
      rest: 0,
      knots: [],
    };
  }
  const knots = leaf.knots;
  const k = knots.length;
  const restShare = (j: number) => (k <= 1 ? (j > 0 ? 1 : 0) : j / (k - 1));
  /** Rest weight strictly below v (linear between knots). */
  const restBelow = (v: number): number => {
    if (k === 0 || v <= (knots[0] as number)) return 0;
    if (v > (knots[k - 1] as number)) return leaf.rest;
    let j = 1;
    while (j < k && (knots[j] as number) < v) j++;
    const a = knots[j - 1] as number;
    const b = knots[j] as number;
    const within = b > a ? (v - a) / (b - a) : 0;
    return leaf.rest * (restShare(j - 1) + within * (restShare(j) - restShare(j - 1)));
  };
  let below = 0;
  let a = 0;
  const push = (p: number, v: number) => {
    cdf.push(Math.min(1, p / weight));
    values.push(v);
  };
  for (let j = 0; j < k; j++) {
    const v = knots[j] as number;
    for (; a < leaf.atoms.length && (leaf.atoms[a] as number) <= v; a++) {
      const atom = leaf.atoms[a] as number;
      const start = below + restBelow(atom);
      push(start, atom);
      below += leaf.atomCounts[a] as number;
      push(start + (leaf.atomCounts[a] as number), atom);
    }
    push(below + leaf.rest * restShare(j), v);
  }
  for (; a < leaf.atoms.length; a++) {
    const atom = leaf.atoms[a] as number;
    push(below + leaf.rest, atom);
    below += leaf.atomCounts[a] as number;
    push(below + leaf.rest, atom);
  }
  return { cdf, values, weight };
}

/** The value at cumulative probability u of an inverse-CDF table held in [start, end). */
function invert(cdf: Float64Array, values: Float64Array, start: number, end: number, u: number): number {
  let lo = start;
  let hi = end - 1;
  if (hi <= lo) return values[lo] as number;
  if (u <= (cdf[lo] as number)) return values[lo] as number;
  if (u >= (cdf[hi] as number)) return values[hi] as number;
  // Last point with cdf ≤ u.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) <= u) lo = mid;
    else hi = mid;
  }
  const p0 = cdf[lo] as number;
  const p1 = cdf[hi] as number;
  const v0 = values[lo] as number;
  return p1 > p0 ? v0 + ((u - p0) / (p1 - p0)) * ((values[hi] as number) - v0) : v0;
}

/**
 * Where x falls in the distribution given by quantile knots in [start, end), as a probability in
 * (0, 1); a value equal to several knots (a tie) gets a uniform draw across their span.
 */
function placeInKnots(knots: Float64Array, start: number, end: number, x: number, rng: Rng): number {
  const k = end - start;
  const last = k - 1;
  let p: number;
  if (k <= 1 || x < (knots[start] as number)) p = 0;
  else if (x > (knots[end - 1] as number)) p = 1;
  else {
    // First knot ≥ x (binary search: up to 33 knots per leaf).
    let first = 0;
    let hi = last;
    while (first < hi) {
      const mid = (first + hi) >>> 1;
      if ((knots[start + mid] as number) < x) first = mid + 1;
      else hi = mid;
    }
    if ((knots[start + first] as number) === x) {
      let run = first;
      while (run < last && (knots[start + run + 1] as number) === x) run++;
      p = (first + rng.nextDouble() * (run - first)) / last;
    } else {
      const a = knots[start + first - 1] as number;
      const b = knots[start + first] as number;
      p = (first - 1 + (x - a) / (b - a)) / last;
    }
  }
  return Math.min(1 - 1e-9, Math.max(1e-9, p));
}

function valueRounder(column: CartNumericColumn | CartDatetimeColumn): (v: number) => number {
  if (column.kind === 'datetime') {
    const resolution = column.format === 'date' ? DAY_MS : Math.max(1, column.resolutionMs);
    return (v) => Math.round(v / resolution) * resolution;
  }
  if (column.integer) return Math.round;
  if (column.decimals === null) return (v) => v;
  const scale = 10 ** column.decimals;
  return (v) => Math.round(v * scale) / scale;
}

function numberToCell(column: CartNumericColumn): (v: number) => CellValue {
  const physical: PhysicalType = column.physicalType;
  switch (physical) {
    case 'integer':
      return (v) => Math.round(v);
    case 'float':
      return (v) => v;
    case 'boolean':
      return (v) => v !== 0;
    default: {
      const decimals = column.integer ? 0 : column.decimals;
      return decimals === null ? (v) => String(v) : (v) => v.toFixed(decimals);
    }
  }
}

function datetimeToCell(column: CartDatetimeColumn): (v: number) => CellValue {
  if (column.physicalType === 'integer' || column.physicalType === 'float') return (v) => v;
  return column.format === 'date' ? createDateFormatter(column.min, column.max) : formatIsoTimestamp;
}
