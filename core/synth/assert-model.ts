/**
 * Validation of a model read back from JSON (an artifact written by another worker, possibly by
 * another version): every field the sampler relies on is checked, and the error names the field.
 */
import { DataError } from '../errors.js';
import { PiiKind } from '../pii/types.js';
import { PhysicalType } from '../table.js';
import { parseTemplate } from './datetime-layout.js';
import { ColumnModelKind, MarginalFamily, MODEL_VERSION, type SynthModel } from './model.js';

const PHYSICAL_TYPES = new Set<string>(Object.values(PhysicalType));
const COLUMN_KINDS = new Set<string>(Object.values(ColumnModelKind));
const FAMILIES = new Set<string>(Object.values(MarginalFamily));
// Every kind the classifier can report, so a model fitted after a new kind was added still loads.
const PII_KINDS = new Set<string>(Object.values(PiiKind));

type Obj = Record<string, unknown>;

function fail(field: string, problem: string): never {
  throw new DataError(`invalid synthesizer model: ${field} ${problem}`);
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

function integerIn(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    fail(field, `must be an integer in ${min}..${max}`);
  }
  return value as number;
}

function rate(value: unknown, field: string): number {
  const v = finite(value, field);
  if (v < 0 || v > 1) fail(field, 'must be in 0..1');
  return v;
}

function oneOf(value: unknown, field: string, allowed: Set<string>): string {
  if (typeof value !== 'string' || !allowed.has(value))
    fail(field, `must be one of ${[...allowed].join(', ')}`);
  return value;
}

function stringOrNull(value: unknown, field: string): void {
  if (value !== null && typeof value !== 'string') fail(field, 'must be a string or null');
}

function lengthOrNull(value: unknown, field: string): void {
  if (value === null) return;
  const o = object(value, field);
  const min = finite(o.min, `${field}.min`);
  const max = finite(o.max, `${field}.max`);
  finite(o.mean, `${field}.mean`);
  if (min < 0 || max < min) fail(field, 'must have 0 ≤ min ≤ max');
}

function knots(value: unknown, field: string): void {
  const list = array(value, field);
  if (list.length < 2) fail(field, 'must have at least 2 knots');
  let previous = -Infinity;
  list.forEach((k, i) => {
    const v = finite(k, `${field}[${i}]`);
    if (v < previous) fail(`${field}[${i}]`, 'must not be below the previous knot');
    previous = v;
  });
}

function positive(value: unknown, field: string): number {
  const v = finite(value, field);
  if (!(v > 0)) fail(field, 'must be positive');
  return v;
}

/** The min/max/marginal/fitStatistic fields of a numeric or datetime column. */
function fittedMarginal(col: Obj, f: string): void {
  const min = finite(col.min, `${f}.min`);
  const max = finite(col.max, `${f}.max`);
  if (max < min) fail(`${f}.max`, 'must not be below min');
  finite(col.fitStatistic, `${f}.fitStatistic`);
  const m = object(col.marginal, `${f}.marginal`);
  const g = `${f}.marginal`;
  switch (oneOf(m.family, `${g}.family`, FAMILIES)) {
    case 'empirical':
      knots(m.knots, `${g}.knots`);
      break;
    case 'normal':
    case 'truncated_normal':
      finite(m.mean, `${g}.mean`);
      positive(m.std, `${g}.std`);
      break;
    case 'beta': {
      positive(m.alpha, `${g}.alpha`);
      positive(m.beta, `${g}.beta`);
      const low = finite(m.low, `${g}.low`);
      if (finite(m.high, `${g}.high`) <= low) fail(`${g}.high`, 'must exceed low');
      break;
    }
    case 'gamma':
      positive(m.shape, `${g}.shape`);
      positive(m.scale, `${g}.scale`);
      finite(m.loc, `${g}.loc`);
      break;
    case 'uniform': {
      const low = finite(m.low, `${g}.low`);
      if (finite(m.high, `${g}.high`) < low) fail(`${g}.high`, 'must not be below low');
      break;
    }
    default:
      positive(m.df, `${g}.df`);
      finite(m.loc, `${g}.loc`);
      positive(m.scale, `${g}.scale`);
  }
}

function textProfile(value: unknown, field: string): void {
  const p = object(value, field);
  if (typeof p.prose !== 'boolean') fail(`${field}.prose`, 'must be a boolean');
  const shares = array(p.classShares, `${field}.classShares`);
  if (shares.length !== 5) fail(`${field}.classShares`, 'must have 5 entries');
  shares.forEach((s, i) => rate(s, `${field}.classShares[${i}]`));
  const rows = array(p.transitions, `${field}.transitions`);
  if (rows.length !== 6) fail(`${field}.transitions`, 'must have 6 rows');
  rows.forEach((row, r) => {
    const cells = array(row, `${field}.transitions[${r}]`);
    if (cells.length !== 5) fail(`${field}.transitions[${r}]`, 'must have 5 entries');
    cells.forEach((c, i) => rate(c, `${field}.transitions[${r}][${i}]`));
  });
  if (typeof p.punctuation !== 'string') fail(`${field}.punctuation`, 'must be a string');
}

/** Checks that a value is a usable {@link SynthModel} and returns it typed; throws DataError naming the first bad field. */
export function assertModel(value: unknown): SynthModel {
  const m = object(value, 'model');
  if (m.version !== MODEL_VERSION) {
    // Older models were sampled differently; silently reading one would change a run's output.
    const found = Number.isInteger(m.version)
      ? ` (this model has version ${String(m.version)}: fit it again)`
      : '';
    fail('version', `must be ${MODEL_VERSION}${found}`);
  }
  if (m.kind !== 'gaussian_copula') fail('kind', "must be 'gaussian_copula'");
  integerIn(m.rowCountFitted, 'rowCountFitted', 0, Number.MAX_SAFE_INTEGER);
  finite(m.shrinkage, 'shrinkage');
  const columns = array(m.columns, 'columns');
  const dimensions = array(m.dimensions, 'dimensions');
  const d = dimensions.length;
  const claimed = new Set<number>();
  columns.forEach((c, i) => {
    const f = `columns[${i}]`;
    const col = object(c, f);
    if (typeof col.name !== 'string') fail(`${f}.name`, 'must be a string');
    oneOf(col.physicalType, `${f}.physicalType`, PHYSICAL_TYPES);
    rate(col.nullRate, `${f}.nullRate`);
    const kind = oneOf(col.kind, `${f}.kind`, COLUMN_KINDS);
    if (kind === 'numeric' || kind === 'datetime' || kind === 'categorical') {
      const vd = integerIn(col.valueDimension, `${f}.valueDimension`, 0, d - 1);
      checkDimension(dimensions, vd, i, 'value', `${f}.valueDimension`);
      claimed.add(vd);
      if (col.nullDimension !== null) {
        const nd = integerIn(col.nullDimension, `${f}.nullDimension`, 0, d - 1);
        checkDimension(dimensions, nd, i, 'null', `${f}.nullDimension`);
        claimed.add(nd);
      }
    }
    switch (kind) {
      case 'numeric':
        if (typeof col.integer !== 'boolean') fail(`${f}.integer`, 'must be a boolean');
        if (col.decimals !== null) integerIn(col.decimals, `${f}.decimals`, 0, 15);
        fittedMarginal(col, f);
        break;
      case 'datetime':
        oneOf(col.format, `${f}.format`, new Set(['date', 'timestamp']));
        if (finite(col.resolutionMs, `${f}.resolutionMs`) <= 0) fail(`${f}.resolutionMs`, 'must be positive');
        fittedMarginal(col, f);
        if (col.layout !== null) {
          const layout = object(col.layout, `${f}.layout`);
          if (typeof layout.template !== 'string' || parseTemplate(layout.template) === undefined)
            fail(`${f}.layout.template`, 'must be a template of known {TOKEN}s');
          integerIn(layout.offsetMinutes, `${f}.layout.offsetMinutes`, -1080, 1080);
        }
        break;
      case 'categorical': {
        const categories = array(col.categories, `${f}.categories`);
        const probabilities = array(col.probabilities, `${f}.probabilities`);
        if (categories.length === 0) fail(`${f}.categories`, 'must not be empty');
        if (probabilities.length !== categories.length)
          fail(`${f}.probabilities`, 'must have one entry per category');
        categories.forEach((v, k) => {
          if (v === null || !['string', 'number', 'boolean'].includes(typeof v))
            fail(`${f}.categories[${k}]`, 'must be a string, number or boolean');
        });
        let sum = 0;
        probabilities.forEach((p, k) => (sum += rate(p, `${f}.probabilities[${k}]`)));
        if (Math.abs(sum - 1) > 1e-6) fail(`${f}.probabilities`, 'must sum to 1');
        break;
      }
      case 'identifier':
        oneOf(col.letterCase, `${f}.letterCase`, new Set(['upper', 'lower']));
        stringOrNull(col.pattern, `${f}.pattern`);
        integerIn(col.offset, `${f}.offset`, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        lengthOrNull(col.length, `${f}.length`);
        if (col.piiKind !== null) oneOf(col.piiKind, `${f}.piiKind`, PII_KINDS);
        break;
      case 'fake':
        oneOf(col.piiKind, `${f}.piiKind`, PII_KINDS);
        stringOrNull(col.pattern, `${f}.pattern`);
        lengthOrNull(col.length, `${f}.length`);
        oneOf(col.dateFormat, `${f}.dateFormat`, new Set(['date', 'timestamp']));
        if (col.dateRange !== null) {
          const r = object(col.dateRange, `${f}.dateRange`);
          finite(r.minMs, `${f}.dateRange.minMs`);
          finite(r.maxMs, `${f}.dateRange.maxMs`);
        }
        break;
      case 'text':
        if (col.length === null) fail(`${f}.length`, 'must be present');
        lengthOrNull(col.length, `${f}.length`);
        if (col.profile !== null) textProfile(col.profile, `${f}.profile`);
        break;
      default:
        break;
    }
  });
  if (claimed.size !== d) fail('dimensions', 'must each belong to exactly one modelled column');
  const correlation = array(m.correlation, 'correlation');
  if (correlation.length !== d) fail('correlation', `must be ${d}×${d}`);
  correlation.forEach((row, i) => {
    const r = array(row, `correlation[${i}]`);
    if (r.length !== d) fail(`correlation[${i}]`, `must have ${d} entries`);
    r.forEach((v, j) => {
      const x = finite(v, `correlation[${i}][${j}]`);
      if (x < -1 || x > 1) fail(`correlation[${i}][${j}]`, 'must be in -1..1');
      if (i === j && x !== 1) fail(`correlation[${i}][${j}]`, 'must be 1 on the diagonal');
    });
  });
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const a = (correlation[i] as number[])[j] as number;
      const b = (correlation[j] as number[])[i] as number;
      if (Math.abs(a - b) > 1e-12) fail(`correlation[${i}][${j}]`, 'must equal its transpose');
    }
  }
  return value as SynthModel;
}

function checkDimension(
  dimensions: unknown[],
  index: number,
  column: number,
  role: string,
  field: string,
): void {
  const dim = object(dimensions[index], `dimensions[${index}]`);
  if (dim.column !== column || dim.role !== role)
    fail(field, `must point at a ${role} dimension of this column`);
}
