/**
 * Columns generated outside any joint model: keys, sensitive fakes, free text and always-null
 * columns. Like the copula, they are sampled in fixed blocks of rows with a stream per
 * (seed, block, column), so a value depends only on the run seed, the column and its global row
 * number, never on how the run was cut into chunks.
 */
import { createRng, deriveSeed, type Rng } from '../random/index.js';
import type { CellValue } from '../table.js';
import { createFakeGenerator } from './fake-values.js';
import { createIdentifierGenerator } from './identifiers.js';
import type { ColumnModel } from './model.js';
import { BLOCK_ROWS } from './prepared-model.js';
import { createTextGenerator } from './text-profile.js';

/** Draws the cell of one global row from the column's block stream, and can skip a row cheaply. */
export interface RowSampler {
  next(rng: Rng, row: number): CellValue;
  /** Consumes exactly what `next` would for that row, without building the value when possible. */
  skip(rng: Rng, row: number): void;
}

/**
 * The row sampler of a non-copula column. `seed` is the run seed (keys take decorative
 * characters from it); copula columns get a sampler of nulls.
 */
export function createRowSampler(column: ColumnModel, index: number, seed: number): RowSampler {
  const nullRate = column.nullRate;
  const isNull = (rng: Rng): boolean => nullRate > 0 && rng.nextDouble() < nullRate;
  switch (column.kind) {
    case 'identifier': {
      const generate = createIdentifierGenerator(column, deriveSeed(seed, index));
      const offset = column.offset;
      return {
        next: (rng, row) => (isNull(rng) ? null : generate(offset + row)),
        skip: (rng) => void isNull(rng),
      };
    }
    case 'fake': {
      const generate = createFakeGenerator(column);
      const physical = column.physicalType;
      const next = (rng: Rng): CellValue => {
        if (isNull(rng)) return null;
        if (physical === 'boolean') return rng.nextBoolean(0.5);
        const text = generate(rng);
        if (physical === 'integer' || physical === 'float') {
          // Numbers stored as integers (zip codes, phone numbers): keep the digits.
          const digits = text.replace(/\D/g, '').slice(0, 15);
          return digits.length > 0 ? Number(digits) : rng.nextInt(1_000_000);
        }
        return text;
      };
      return { next, skip: (rng) => void next(rng) };
    }
    case 'text': {
      const generate = createTextGenerator(column);
      const next = (rng: Rng): CellValue => (isNull(rng) ? null : generate(rng));
      return { next, skip: (rng) => void next(rng) };
    }
    default:
      return { next: () => null, skip: () => undefined };
  }
}

/** The stream of a non-copula column within one block. */
export function blockStream(seed: number, block: number, columnIndex: number): Rng {
  return createRng(deriveSeed(seed, block, columnIndex));
}

/** Calls `visit` for each block overlapping global rows [startRow, startRow + rowCount): block b, its rows [lo, hi) and where row lo goes in the output. */
export function forEachBlock(
  startRow: number,
  rowCount: number,
  visit: (block: number, lo: number, hi: number, offset: number) => void,
): void {
  const end = startRow + rowCount;
  for (let block = Math.floor(startRow / BLOCK_ROWS); block * BLOCK_ROWS < end; block++) {
    const first = block * BLOCK_ROWS;
    const lo = Math.max(0, startRow - first);
    const hi = Math.min(BLOCK_ROWS, end - first);
    visit(block, lo, hi, first + lo - startRow);
  }
}

/** Which rows to fill and with which seed (the shape of a SampleRequest). */
export interface RowRange {
  seed: number;
  startRow: number;
  rowCount: number;
}

/** Fills out[0 … rowCount) with the column's cells for global rows startRow…, block by block. */
export function fillIndependentColumn(
  column: ColumnModel,
  index: number,
  range: RowRange,
  out: CellValue[],
): void {
  if (column.kind === 'empty' || column.nullRate >= 1) {
    out.fill(null, 0, range.rowCount);
    return;
  }
  const sampler = createRowSampler(column, index, range.seed);
  forEachBlock(range.startRow, range.rowCount, (block, lo, hi, offset) => {
    const rng = blockStream(range.seed, block, index);
    const first = block * BLOCK_ROWS;
    for (let r = 0; r < lo; r++) sampler.skip(rng, first + r);
    for (let r = lo; r < hi; r++) out[offset + r - lo] = sampler.next(rng, first + r);
  });
}

/**
 * Redraws one cell of a sensitive column (a fake, or a key with a PII kind) for global row `row`,
 * attempt `attempt`, from a stream of its own: used to replace generated values that happen to equal a
 * sample value. Fakes draw from (seed, stream, column, row, attempt). Sensitive keys must stay unique,
 * so attempt a of row n takes the key of number `offset + (a + 1) · totalRows + n`, which no row of the
 * run uses. Undefined for columns that are not sensitive.
 */
export function createSensitiveCellRedrawer(
  column: ColumnModel,
  index: number,
  seed: number,
  totalRows: number,
): ((row: number, attempt: number) => CellValue) | undefined {
  if (column.kind === 'fake') {
    const sampler = createRowSampler(column, index, seed);
    return (row, attempt) =>
      sampler.next(createRng(deriveSeed(seed, REDRAW_SENSITIVE_STREAM, index, row, attempt)), row);
  }
  if (column.kind === 'identifier' && column.piiKind !== null) {
    const generate = createIdentifierGenerator(column, deriveSeed(seed, index));
    const offset = column.offset;
    return (row, attempt) => generate(offset + (attempt + 1) * totalRows + row);
  }
  return undefined;
}

/** Stream tag of {@link createSensitiveCellRedrawer} ("sens"), so redraws share no stream with sampling. */
const REDRAW_SENSITIVE_STREAM = 0x73656e73;
