/**
 * Sampling one chunk from a fitted model. A chunk is a pure function of (model, seed, its global
 * rows): rows are drawn in fixed blocks of {@link BLOCK_ROWS} with streams seeded by
 * deriveSeed(seed, block[, column]), so cutting a run into chunks of any size, in any order, on
 * any worker, gives the same rows. Optionally, rows equal to a sample row are redrawn.
 */
import { ConfigError } from '../errors.js';
import { tableRowFingerprint } from '../quality/fingerprint.js';
import { createRng, deriveSeed, MAX_SEED } from '../random/index.js';
import type { CellValue, Table } from '../table.js';
import { createRowSampler, fillIndependentColumn, forEachBlock } from './independent-columns.js';
import { createLatentBuffer, latentBlock, latentRow } from './latent-block.js';
import type { ColumnModel, SynthModel } from './model.js';
import { BLOCK_ROWS, prepareModel, type PreparedModel } from './prepared-model.js';

/** Which rows to sample and with which seed. */
export interface SampleRequest {
  /** Run seed, an integer in 0..2^32−1. */
  seed: number;
  /** Chunk number k: validated and kept for callers' bookkeeping; output does not depend on it. */
  chunkIndex: number;
  /** Global row number of the chunk's first row (rows, and keys, derive from it). */
  startRow: number;
  /** Rows to produce. */
  rowCount: number;
}

/** Something that can tell whether a row fingerprint is excluded (a Set of fingerprints is one). */
export interface FingerprintSet {
  has(fingerprint: string): boolean;
}

/** Options of {@link sampleChunk} and {@link sampleChunkDetailed}. */
export interface SampleOptions {
  /**
   * Fingerprints (core/quality `fingerprintTable`) of the sample's rows: an output row with one of
   * them is redrawn from a stream derived from (seed, its global row), so it never equals a sample
   * row unless every redraw does too.
   */
  excludeFingerprints?: FingerprintSet;
}

/** A chunk and what keeping it apart from the sample took. */
export interface DetailedChunk {
  table: Table;
  /** Rows that equalled a sample row and were redrawn. */
  resampledRows: number;
  /** Rows that still equal a sample row after every redraw (0 unless the table's domain is tiny). */
  remainingCopies: number;
}

/** Redraws tried per row before a copy is left as it is. */
export const MAX_REDRAWS = 64;

/** Stream tag of redraws (a part of deriveSeed that chunk streams never use). */
const REDRAW_STREAM = 0x7ed4a3;

/** Samples `rowCount` synthetic rows with the source's columns and physical types. */
export function sampleChunk(model: SynthModel, req: SampleRequest, options: SampleOptions = {}): Table {
  return sampleChunkDetailed(model, req, options).table;
}

/** {@link sampleChunk}, also reporting how many rows were redrawn because they equalled a sample row. */
export function sampleChunkDetailed(
  model: SynthModel,
  req: SampleRequest,
  options: SampleOptions = {},
): DetailedChunk {
  checkRequest(req);
  const prepared = prepareModel(model);
  const { rowCount } = req;
  const outputs: CellValue[][] = model.columns.map(() => new Array<CellValue>(rowCount));
  if (prepared.d > 0) sampleCopula(prepared, req, outputs);
  model.columns.forEach((column, index) => {
    if (prepared.copulaColumns.has(index)) return;
    fillIndependentColumn(column, index, req, outputs[index] as CellValue[]);
  });
  const table: Table = {
    rowCount,
    columns: model.columns.map((c, i) => ({
      name: c.name,
      type: c.physicalType,
      values: outputs[i] as CellValue[],
    })),
  };
  if (options.excludeFingerprints === undefined) return { table, resampledRows: 0, remainingCopies: 0 };
  return { table, ...redrawCopies(prepared, table, req, options.excludeFingerprints) };
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

function sampleCopula(prepared: PreparedModel, req: SampleRequest, outputs: CellValue[][]): void {
  const z = createLatentBuffer(prepared.d);
  const columns = prepared.columns;
  const columnOutputs = columns.map((c) => outputs[c.index] as CellValue[]);
  forEachBlock(req.startRow, req.rowCount, (block, lo, hi, offset) => {
    latentBlock(prepared, req.seed, block, lo, hi, z);
    for (let i = 0; i < columns.length; i++) {
      (columns[i] as (typeof columns)[number]).decode(z, lo, hi, columnOutputs[i] as CellValue[], offset);
    }
  });
}

/**
 * Fills `out` (length = req.rowCount) for a column generated outside any joint model: keys,
 * sensitive fakes, free text, always-null columns. Each value depends only on (req.seed, column
 * index, global row number), so every synthesizer that shares these column models produces the
 * same values for them, whatever its chunking.
 */
export function sampleIndependentColumn(
  column: ColumnModel,
  index: number,
  req: SampleRequest,
  out: CellValue[],
): void {
  fillIndependentColumn(column, index, req, out);
}

/** Redraws the rows of `table` whose fingerprint is excluded; keys stay (they derive from the row number). */
function redrawCopies(
  prepared: PreparedModel,
  table: Table,
  req: SampleRequest,
  excluded: FingerprintSet,
): { resampledRows: number; remainingCopies: number } {
  const model = prepared.model;
  let resampledRows = 0;
  let remainingCopies = 0;
  let samplers: ReturnType<typeof createRowSampler>[] | undefined;
  const z = createLatentBuffer(prepared.d);
  const cell: CellValue[] = [null];
  for (let i = 0; i < table.rowCount; i++) {
    if (!excluded.has(tableRowFingerprint(table, i))) continue;
    resampledRows++;
    samplers ??= model.columns.map((c, index) => createRowSampler(c, index, req.seed));
    const row = req.startRow + i;
    let copy = true;
    for (let attempt = 0; attempt < MAX_REDRAWS && copy; attempt++) {
      const rng = createRng(deriveSeed(req.seed, REDRAW_STREAM, row, attempt));
      if (prepared.d > 0) latentRow(prepared, rng, z);
      for (const c of prepared.columns) {
        c.decode(z, 0, 1, cell, 0);
        (table.columns[c.index] as Table['columns'][number]).values[i] = cell[0] as CellValue;
      }
      model.columns.forEach((column, index) => {
        if (prepared.copulaColumns.has(index) || column.kind === 'identifier') return;
        (table.columns[index] as Table['columns'][number]).values[i] = (
          samplers as ReturnType<typeof createRowSampler>[]
        )[index]?.next(rng, row) as CellValue;
      });
      copy = excluded.has(tableRowFingerprint(table, i));
    }
    if (copy) remainingCopies++;
  }
  return { resampledRows, remainingCopies };
}

export { BLOCK_ROWS };
