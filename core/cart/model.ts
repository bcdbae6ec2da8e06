/**
 * The fitted sequential-CART model: JSON-serialisable, stored as an artifact between fitting and
 * the (chunked, resumable) sampling activities. Each modelled column has a decision tree over the
 * columns before it in the visit order; leaves hold aggregates only (category counts, a few
 * quantile knots, the frequent values of numbers, a within-leaf correlation), never sample rows. Keys, sensitive fakes, free
 * text and empty columns are the copula's own column models, generated the same way.
 */
import type {
  EmptyColumnModel,
  FakeColumnModel,
  IdentifierColumnModel,
  TextColumnModel,
} from '../synth/index.js';
import type { CellValue, PhysicalType } from '../table.js';

/** Current CART model format version; bump on any incompatible change. */
export const CART_MODEL_VERSION = 1;

/** Limits that shape the model format (changing one changes what a model means: bump the version). */
export const CART_LIMITS = {
  /** Rows per sampling block: each block has its own random stream, so chunking never changes output. */
  blockRows: 1024,
  /** Most quantile bins of a numeric or datetime column used as a predictor (plus one for null). */
  predictorBins: 32,
  /** Categories of a categorical predictor with a code of their own; rarer ones share one code (plus one for null). */
  predictorCategories: 63,
  /** Categories of a categorical column predicted individually; rarer ones form one class drawn from their frequencies. */
  targetClasses: 255,
  /** Categories kept per column at all (like the copula); rarer ones are dropped. */
  maxCategories: 10_000,
} as const;

/** A split: rows whose predictor code has its bit set in `leftCodes` go to `left`, the others to `right`. */
export interface CartSplitNode {
  /** Index into {@link CartModel.columns} of the predictor; always a column earlier in the visit order. */
  predictor: number;
  /** Bitmask over the predictor's codes, lowest code in the last hex digit's lowest bit. */
  leftCodes: string;
  /** Index of the left child in the tree's node list. */
  left: number;
  /** Index of the right child in the tree's node list. */
  right: number;
}

/** A leaf of a categorical column: counts of the classes seen there (class = index into categories; categories.length = null). */
export interface CartClassLeaf {
  classes: number[];
  counts: number[];
}

/**
 * A leaf of a numeric or datetime column: a mixture of null, frequent exact values ("atoms", such
 * as 0 or 40) and a continuous rest drawn by interpolating between its quantile knots.
 */
export interface CartValueLeaf {
  nulls: number;
  atoms: number[];
  atomCounts: number[];
  /** Non-null values that are not atoms. */
  rest: number;
  /** Quantiles of the rest at evenly spaced probabilities (empty when rest = 0). */
  knots: number[];
  /** Dependence within the leaf on a numeric predictor, when there is a strong one. */
  link?: CartValueLink;
}

/**
 * Within-leaf dependence of a numeric target on a numeric or datetime predictor: a Gaussian copula
 * between the two inside the leaf. Trees only place a value in its predictor's bin; in heavy tails
 * (totals and their parts, amounts and dates that follow one another) the order inside the bin is
 * what carries the correlation, and the link keeps it.
 */
export interface CartValueLink {
  /** Index into {@link CartModel.columns} of the predictor; a numeric or datetime column earlier in the visit order. */
  predictor: number;
  /** Correlation of the normal scores of target and predictor among the leaf's rows (−1..1). */
  rho: number;
  /** Quantiles of the predictor among the leaf's rows, to place a synthetic predictor value within the leaf. */
  knots: number[];
}

/** A tree node: a split, or a leaf holding a distribution. */
export type CartNode<Leaf> = CartSplitNode | { leaf: Leaf };

interface CartColumnBase {
  name: string;
  physicalType: PhysicalType;
  /** Share of null cells in the fitted rows (0..1). */
  nullRate: number;
}

/** A numeric column: values from its tree's leaves, rounded like the source and clipped to its range. */
export interface CartNumericColumn extends CartColumnBase {
  kind: 'numeric';
  integer: boolean;
  /** Decimal places of the source (0..6), or null when it needs more (no rounding). */
  decimals: number | null;
  min: number;
  max: number;
  /** Upper bounds (inclusive) of the predictor bins: code i holds values ≤ binEdges[i]; above all → binEdges.length; null → binEdges.length + 1. */
  binEdges: number[];
  tree: CartNode<CartValueLeaf>[];
}

/** A datetime column: like {@link CartNumericColumn} over epoch milliseconds. */
export interface CartDatetimeColumn extends CartColumnBase {
  kind: 'datetime';
  /** `date` → `YYYY-MM-DD`, `timestamp` → `YYYY-MM-DDTHH:mm:ss.sssZ` (numbers stay epoch ms). */
  format: 'date' | 'timestamp';
  /** Granularity of the source (86,400,000 for dates, 1,000 for whole seconds, …). */
  resolutionMs: number;
  min: number;
  max: number;
  binEdges: number[];
  tree: CartNode<CartValueLeaf>[];
}

/** A categorical or boolean column: a class per frequent category, the rare ones sharing the last class. */
export interface CartCategoricalColumn extends CartColumnBase {
  kind: 'categorical';
  /** Categories by descending frequency; the first `classCount` are classes (the last of them stands for the tail when there are more). */
  categories: CellValue[];
  /** Number of non-null classes. */
  classCount: number;
  /** Frequencies of categories[classCount − 1 …] when the last class stands for several categories, else empty. */
  tailCounts: number[];
  tree: CartNode<CartClassLeaf>[];
}

/** A column generated outside the trees, exactly as the copula generates it. */
export type CartIndependentColumn =
  IdentifierColumnModel | FakeColumnModel | TextColumnModel | EmptyColumnModel;

/** How one source column is generated. */
export type CartColumn =
  CartNumericColumn | CartDatetimeColumn | CartCategoricalColumn | CartIndependentColumn;

/** A tree-modelled column. */
export type CartModelledColumn = CartNumericColumn | CartDatetimeColumn | CartCategoricalColumn;

/** A fitted sequential-CART synthesizer for one table. */
export interface CartModel {
  version: typeof CART_MODEL_VERSION;
  kind: 'cart';
  /** Version of the copula column-model format the independent columns follow. */
  independentVersion: number;
  /** Sample rows the model was fitted on (after subsampling to maxFitRows). */
  rowCountFitted: number;
  /** One entry per source column, in source order. */
  columns: CartColumn[];
  /** Visit sequence: indices into `columns` of the tree-modelled columns, each predicted from those before it. */
  order: number[];
}

/** Whether a column is modelled by a tree. */
export function isModelledColumn(column: CartColumn): column is CartModelledColumn {
  return column.kind === 'numeric' || column.kind === 'datetime' || column.kind === 'categorical';
}

/** Whether a node is a split. */
export function isSplit<Leaf>(node: CartNode<Leaf>): node is CartSplitNode {
  return (node as { leaf?: unknown }).leaf === undefined;
}
