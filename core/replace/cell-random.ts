/**
 * Random streams per cell: every replaced cell draws from its own generator seeded by
 * (run seed, table, stream name, global row), so a value never depends on which chunk the row
 * fell into, on the order columns are processed, or on how many draws other cells made.
 */
import { createRng, deriveSeed, type Rng } from '../random/index.js';

/** A stable 32-bit hash of a name (FNV-1a over UTF-16 code units), used to salt seeds with column and group names. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Makes the generator of one named stream at one global row. */
export type CellRngFactory = (stream: number, row: number) => Rng;

/** Cell generators for one table under one run seed; `stream` is a {@link hashName} of a column or row group. */
export function createCellRngFactory(seed: number, table: string | undefined): CellRngFactory {
  const tableSalt = table === undefined ? 0 : hashName(table);
  return (stream, row) => createRng(deriveSeed(seed, tableSalt, stream, row));
}
