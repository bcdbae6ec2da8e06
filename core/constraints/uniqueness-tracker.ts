/**
 * Memory-bounded record of the keys a run has already emitted, so that unique and primary-key
 * constraints hold across chunks. It stores 64-bit key hashes, not values: 8 bytes per slot in an
 * open-addressing table kept at most half full, i.e. at most 16 bytes per key, and never more than
 * `maxKeys` keys (default 2^24 ≈ 16.8M keys ≈ 256 MiB at the cap; past it `add` throws a
 * ConfigError naming `maxUniqueKeys`). Two distinct keys share a hash with probability about
 * n²/2^65 (≈ 4·10^-6 for 16M keys); a collision only makes a unique value look taken, so the row
 * is changed needlessly, never that a duplicate slips through.
 */
import { ConfigError } from '../errors.js';
import type { CellValue, Table } from '../table.js';
import { addCellToKeyHash, createKeyHash, finishKeyHash, startKeyHash, type KeyHash } from './key-hash.js';

/** Default cap on the number of keys one tracker holds. */
export const DEFAULT_MAX_UNIQUE_KEYS = 2 ** 24;
/** Bytes of memory per tracked key at worst (two 32-bit words per slot, load factor ≥ ½). */
export const UNIQUENESS_TRACKER_BYTES_PER_KEY = 16;

const INITIAL_SLOTS = 1024;

/** Options of {@link UniquenessTracker}. */
export interface UniquenessTrackerOptions {
  /**
   * Most keys held; adding more throws a ConfigError.
   * @default 16777216
   */
  maxKeys?: number;
}

/** A set of 64-bit key hashes with insertion, lookup and seeding from already emitted tables. */
export class UniquenessTracker {
  /** Most keys this tracker will hold. */
  readonly maxKeys: number;
  private slots = new Uint32Array(INITIAL_SLOTS * 2);
  private mask = INITIAL_SLOTS - 1;
  private count = 0;
  private readonly scratch: KeyHash = createKeyHash();

  /** An empty tracker. */
  constructor(options: UniquenessTrackerOptions = {}) {
    const max = options.maxKeys ?? DEFAULT_MAX_UNIQUE_KEYS;
    if (!(Number.isInteger(max) && max >= 1))
      throw new ConfigError('must be a positive integer', 'maxUniqueKeys');
    this.maxKeys = max;
  }

  /** Number of distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** Whether the key hash (lo, hi) is present ((0, 0) marks an empty slot, so it is stored as (0, 1)). */
  hasHash(lo: number, hi: number): boolean {
    const empty = lo === 0 && hi === 0;
    const l = lo >>> 0;
    const h = empty ? 1 : hi >>> 0;
    const slots = this.slots;
    let i = Math.imul(l ^ (h >>> 7), 0x9e3779b1) & this.mask;
    for (;;) {
      const sl = slots[2 * i] as number;
      const sh = slots[2 * i + 1] as number;
      if (sl === 0 && sh === 0) return false;
      if (sl === l && sh === h) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** Inserts the key hash (lo, hi); returns false if it was already present. */
  addHash(lo: number, hi: number): boolean {
    const empty = lo === 0 && hi === 0;
    const l = lo >>> 0;
    const h = empty ? 1 : hi >>> 0;
    let i = Math.imul(l ^ (h >>> 7), 0x9e3779b1) & this.mask;
    for (;;) {
      const sl = this.slots[2 * i] as number;
      const sh = this.slots[2 * i + 1] as number;
      if (sl === 0 && sh === 0) break;
      if (sl === l && sh === h) return false;
      i = (i + 1) & this.mask;
    }
    if (this.count >= this.maxKeys)
      throw new ConfigError(
        `uniqueness tracker is full (${this.maxKeys} keys); raise the limit or shorten the run`,
        'maxUniqueKeys',
      );
    this.slots[2 * i] = l;
    this.slots[2 * i + 1] = h;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  /** Whether the key made of `cells` is present. */
  has(cells: readonly CellValue[]): boolean {
    hashCells(this.scratch, cells);
    return this.hasHash(this.scratch.lo, this.scratch.hi);
  }

  /** Inserts the key made of `cells`; returns false if it was already present. */
  add(cells: readonly CellValue[]): boolean {
    hashCells(this.scratch, cells);
    return this.addHash(this.scratch.lo, this.scratch.hi);
  }

  /**
   * Records the keys of already emitted rows (e.g. earlier chunks when a run resumes); rows with a
   * null in the key are skipped, as unique constraints exempt them. Returns how many were duplicates.
   */
  addTable(table: Table, columns: readonly string[]): number {
    const arrays = columns.map((name) => {
      const col = table.columns.find((c) => c.name === name);
      if (col === undefined) throw new ConfigError('column not found in table', name);
      return col.values;
    });
    let duplicates = 0;
    const h = this.scratch;
    rows: for (let r = 0; r < table.rowCount; r++) {
      startKeyHash(h);
      for (const values of arrays) {
        const v = values[r] ?? null;
        if (v === null) continue rows;
        addCellToKeyHash(h, v);
      }
      finishKeyHash(h);
      if (!this.addHash(h.lo, h.hi)) duplicates++;
    }
    return duplicates;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Uint32Array(size * 2);
    this.mask = size - 1;
    for (let j = 0; j < old.length; j += 2) {
      const l = old[j] as number;
      const h = old[j + 1] as number;
      if (l === 0 && h === 0) continue;
      let i = Math.imul(l ^ (h >>> 7), 0x9e3779b1) & this.mask;
      while ((this.slots[2 * i] as number) !== 0 || (this.slots[2 * i + 1] as number) !== 0)
        i = (i + 1) & this.mask;
      this.slots[2 * i] = l;
      this.slots[2 * i + 1] = h;
    }
  }
}

function hashCells(h: KeyHash, cells: readonly CellValue[]): void {
  startKeyHash(h);
  for (const v of cells) addCellToKeyHash(h, v);
  finishKeyHash(h);
}
