/**
 * Validation of a CART model read back from JSON (an artifact written by another worker, possibly
 * by another version): every field the sampler relies on is checked, including that every split
 * points forward in its tree (so walks end) and only at columns earlier in the visit order (so
 * their codes exist when the column is sampled). Errors name the field, never a value.
 */
import { DataError } from '../errors.js';
import { assertModel, MODEL_VERSION } from '../synth/index.js';
import { PhysicalType } from '../table.js';
import { categoricalCodeCount } from './column-encoding.js';
import { CART_LIMITS, CART_MODEL_VERSION, type CartModel } from './model.js';

const PHYSICAL_TYPES = new Set<string>(Object.values(PhysicalType));
const MODELLED_KINDS = new Set(['numeric', 'datetime', 'categorical']);
const INDEPENDENT_KINDS = new Set(['identifier', 'fake', 'text', 'empty']);

type Obj = Record<string, unknown>;

function fail(field: string, problem: string): never {
  throw new DataError(`invalid CART model: ${field} ${problem}`);
}

function object(value: unknown, field: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Obj;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  return value;
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, 'must be a finite number');
  return value;
}

function nonNegative(value: unknown, field: string): number {
  const v = finite(value, field);
  if (v < 0) fail(field, 'must not be negative');
  return v;
}

function integerIn(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    fail(field, `must be an integer in ${min}..${max}`);
  return value as number;
}

function finiteList(value: unknown, field: string, ascending: 'strict' | 'loose' | 'none'): number[] {
  const list = array(value, field).map((v, i) => finite(v, `${field}[${i}]`));
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1] as number;
    const b = list[i] as number;
    if ((ascending === 'strict' && !(b > a)) || (ascending === 'loose' && b < a))
      fail(field, ascending === 'strict' ? 'must be strictly increasing' : 'must be non-decreasing');
  }
  return list;
}

/** Checks that `value` is a CART model this version can sample, and returns it typed. */
export function assertCartModel(value: unknown): CartModel {
  const m = object(value, 'model');
  if (m.version !== CART_MODEL_VERSION) {
    const found = Number.isInteger(m.version)
      ? ` (this model has version ${String(m.version)}: fit it again)`
      : '';
    fail('version', `must be ${CART_MODEL_VERSION}${found}`);
  }
  if (m.kind !== 'cart') fail('kind', "must be 'cart'");
  if (m.independentVersion !== MODEL_VERSION)
    fail(
      'independentVersion',
      `must be ${MODEL_VERSION} (the column models changed since this model was fitted: fit it again)`,
    );
  integerIn(m.rowCountFitted, 'rowCountFitted', 0, Number.MAX_SAFE_INTEGER);
  const columns = array(m.columns, 'columns').map((c, i) => object(c, `columns[${i}]`));
  const order = array(m.order, 'order').map((v, i) =>
    integerIn(v, `order[${i}]`, 0, Math.max(0, columns.length - 1)),
  );

  const position = new Map<number, number>();
  order.forEach((index, i) => {
    if (position.has(index)) fail(`order[${i}]`, 'repeats a column');
    position.set(index, i);
  });
  const codeCounts = columns.map((col, i) => checkColumnHead(col, `columns[${i}]`, position.has(i)));
  columns.forEach((col, i) => {
    const f = `columns[${i}]`;
    if (INDEPENDENT_KINDS.has(col.kind as string)) return checkIndependent(col, f);
    checkTree(
      col,
      i,
      f,
      position,
      codeCounts,
      (c) => columns[c]?.kind === 'numeric' || columns[c]?.kind === 'datetime',
    );
  });
  return value as CartModel;
}

/** Checks a column's own fields; returns its predictor code count (0 for independent columns). */
function checkColumnHead(col: Obj, f: string, ordered: boolean): number {
  if (typeof col.name !== 'string') fail(`${f}.name`, 'must be a string');
  if (typeof col.physicalType !== 'string' || !PHYSICAL_TYPES.has(col.physicalType))
    fail(`${f}.physicalType`, `must be one of ${[...PHYSICAL_TYPES].join(', ')}`);
  const rate = finite(col.nullRate, `${f}.nullRate`);
  if (rate < 0 || rate > 1) fail(`${f}.nullRate`, 'must be in 0..1');
  const kind = col.kind;
  if (typeof kind !== 'string' || !(MODELLED_KINDS.has(kind) || INDEPENDENT_KINDS.has(kind)))
    fail(`${f}.kind`, `must be one of ${[...MODELLED_KINDS, ...INDEPENDENT_KINDS].join(', ')}`);
  if (MODELLED_KINDS.has(kind) !== ordered)
    fail(
      f,
      ordered ? 'is in the visit order but has no tree' : 'has a tree but is missing from the visit order',
    );
  switch (kind) {
    case 'numeric': {
      if (typeof col.integer !== 'boolean') fail(`${f}.integer`, 'must be a boolean');
      if (col.decimals !== null) integerIn(col.decimals, `${f}.decimals`, 0, 15);
      return checkRange(col, f);
    }
    case 'datetime': {
      if (col.format !== 'date' && col.format !== 'timestamp')
        fail(`${f}.format`, "must be 'date' or 'timestamp'");
      if (finite(col.resolutionMs, `${f}.resolutionMs`) <= 0) fail(`${f}.resolutionMs`, 'must be positive');
      return checkRange(col, f);
    }
    case 'categorical': {
      const categories = array(col.categories, `${f}.categories`);
      categories.forEach((c, j) => {
        if (typeof c !== 'string' && typeof c !== 'boolean' && !(typeof c === 'number' && Number.isFinite(c)))
          fail(`${f}.categories[${j}]`, 'must be a string, finite number or boolean');
      });
      if (categories.length === 0) fail(`${f}.categories`, 'must not be empty');
      const classCount = integerIn(
        col.classCount,
        `${f}.classCount`,
        1,
        Math.min(categories.length, CART_LIMITS.targetClasses),
      );
      const tail = array(col.tailCounts, `${f}.tailCounts`).map((v, j) =>
        nonNegative(v, `${f}.tailCounts[${j}]`),
      );
      const expected = categories.length > classCount ? categories.length - classCount + 1 : 0;
      if (tail.length !== expected) fail(`${f}.tailCounts`, `must have ${expected} entries`);
      if (expected > 0 && !tail.some((t) => t > 0)) fail(`${f}.tailCounts`, 'must have a positive entry');
      return categoricalCodeCount(classCount);
    }
    default:
      return 0;
  }
}

function checkRange(col: Obj, f: string): number {
  const min = finite(col.min, `${f}.min`);
  const max = finite(col.max, `${f}.max`);
  if (max < min) fail(f, 'must have min ≤ max');
  const edges = finiteList(col.binEdges, `${f}.binEdges`, 'strict');
  if (edges.length > CART_LIMITS.predictorBins)
    fail(`${f}.binEdges`, `must have at most ${CART_LIMITS.predictorBins} entries`);
  return edges.length + 2;
}

/** Independent columns are the copula's column models: its own validator checks them. */
function checkIndependent(col: Obj, f: string): void {
  try {
    assertModel({
      version: MODEL_VERSION,
      kind: 'gaussian_copula',
      rowCountFitted: 0,
      columns: [col],
      dimensions: [],
      correlation: [],
      shrinkage: 0,
    });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    const detail = error.message.replace(/^invalid synthesizer model: /, '').replace('columns[0]', f);
    throw new DataError(`invalid CART model: ${detail}`);
  }
}

function checkTree(
  col: Obj,
  index: number,
  f: string,
  position: Map<number, number>,
  codeCounts: number[],
  isValueKind: (column: number) => boolean,
): void {
  const nodes = array(col.tree, `${f}.tree`);
  if (nodes.length === 0) fail(`${f}.tree`, 'must not be empty');
  const self = position.get(index) as number;
  const valueColumns = new Set(codeCounts.map((_, i) => i).filter((i) => isValueKind(i)));
  const categorical = col.kind === 'categorical';
  const classLimit = categorical ? (col.classCount as number) : 0;
  const referenced = new Uint8Array(nodes.length);
  nodes.forEach((raw, i) => {
    const nf = `${f}.tree[${i}]`;
    const node = object(raw, nf);
    if (node.leaf !== undefined) {
      const leaf = object(node.leaf, `${nf}.leaf`);
      if (categorical) checkClassLeaf(leaf, `${nf}.leaf`, classLimit);
      else checkValueLeaf(leaf, `${nf}.leaf`, self, position, valueColumns);
      return;
    }
    const predictor = integerIn(node.predictor, `${nf}.predictor`, 0, codeCounts.length - 1);
    const at = position.get(predictor);
    if (at === undefined || at >= self)
      fail(`${nf}.predictor`, 'must be a modelled column earlier in the visit order');
    const codes = codeCounts[predictor] as number;
    if (
      typeof node.leftCodes !== 'string' ||
      !/^[0-9a-f]+$/.test(node.leftCodes) ||
      node.leftCodes.length > Math.ceil(codes / 4)
    )
      fail(`${nf}.leftCodes`, `must be a lowercase hex mask of at most ${Math.ceil(codes / 4)} digits`);
    // Children after their parent: every walk moves forward, so it ends.
    const left = integerIn(node.left, `${nf}.left`, i + 1, nodes.length - 1);
    const right = integerIn(node.right, `${nf}.right`, i + 1, nodes.length - 1);
    if (left === right) fail(nf, 'must have two different children');
    for (const child of [left, right]) {
      if (referenced[child] === 1) fail(`${f}.tree`, 'must be a tree (a node has two parents)');
      referenced[child] = 1;
    }
  });
}

function checkClassLeaf(leaf: Obj, f: string, classCount: number): void {
  const classes = array(leaf.classes, `${f}.classes`).map((c, j) =>
    integerIn(c, `${f}.classes[${j}]`, 0, classCount),
  );
  const counts = array(leaf.counts, `${f}.counts`).map((c, j) => nonNegative(c, `${f}.counts[${j}]`));
  if (classes.length !== counts.length) fail(f, 'must have as many counts as classes');
  if (!counts.some((c) => c > 0)) fail(`${f}.counts`, 'must have a positive entry');
}

function checkValueLeaf(
  leaf: Obj,
  f: string,
  self: number,
  position: Map<number, number>,
  valueColumns: Set<number>,
): void {
  if (leaf.link !== undefined) {
    const link = object(leaf.link, `${f}.link`);
    const predictor = integerIn(link.predictor, `${f}.link.predictor`, 0, Number.MAX_SAFE_INTEGER);
    const at = position.get(predictor);
    if (!valueColumns.has(predictor) || at === undefined || at >= self)
      fail(`${f}.link.predictor`, 'must be a numeric or datetime column earlier in the visit order');
    const rho = finite(link.rho, `${f}.link.rho`);
    if (rho < -1 || rho > 1) fail(`${f}.link.rho`, 'must be in −1..1');
    if (finiteList(link.knots, `${f}.link.knots`, 'loose').length === 0)
      fail(`${f}.link.knots`, 'must not be empty');
  }
  const nulls = nonNegative(leaf.nulls, `${f}.nulls`);
  finiteList(leaf.atoms, `${f}.atoms`, 'none');
  const atomCounts = array(leaf.atomCounts, `${f}.atomCounts`).map((c, j) =>
    nonNegative(c, `${f}.atomCounts[${j}]`),
  );
  if ((leaf.atoms as unknown[]).length !== atomCounts.length)
    fail(f, 'must have as many atom counts as atoms');
  const rest = nonNegative(leaf.rest, `${f}.rest`);
  const knots = finiteList(leaf.knots, `${f}.knots`, 'loose');
  if (rest > 0 && knots.length === 0) fail(`${f}.knots`, 'must not be empty when rest > 0');
  if (nulls + rest + atomCounts.reduce((a, b) => a + b, 0) <= 0) fail(f, 'must hold some weight');
}
