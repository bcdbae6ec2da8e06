/**
 * The uniqueness memory of one run: one tracker per unique or primary-key constraint, carried from
 * chunk to chunk. Uniqueness across chunks is decided in global row order (the first occurrence
 * keeps its value), so chunks must pass through applyConstraints in order with one state; a resumed
 * run rebuilds the state by recording the chunks it already emitted.
 */
import { parseDatetimeMs } from '../synth/datetime-codec.js';
import type { Table } from '../table.js';
import type { Constraint } from './spec.js';
import { UniquenessTracker, type UniquenessTrackerOptions } from './uniqueness-tracker.js';

/** Trackers for the key constraints of a constraint list, by position in that list. */
export class UniquenessState {
  private readonly trackers = new Map<number, { columns: string[]; tracker: UniquenessTracker }>();

  /** One empty tracker per `unique`/`primaryKey` constraint of `constraints`. */
  constructor(constraints: readonly Constraint[], options: UniquenessTrackerOptions = {}) {
    constraints.forEach((c, index) => {
      if (c.kind === 'unique' || c.kind === 'primaryKey')
        this.trackers.set(index, { columns: [...c.columns], tracker: new UniquenessTracker(options) });
    });
  }

  /** The tracker of the constraint at `index`, if it is a key constraint. */
  trackerFor(index: number): UniquenessTracker | undefined {
    return this.trackers.get(index)?.tracker;
  }

  private readonly highest = new Map<string, number>();

  /** Records the keys of rows already emitted (earlier chunks of a resumed run). */
  recordEmitted(table: Table): void {
    for (const { columns, tracker } of this.trackers.values()) {
      tracker.addTable(table, columns);
      for (const name of columns) {
        const col = table.columns.find((c) => c.name === name);
        if (col === undefined) continue;
        const dates = col.type === 'date' || col.type === 'timestamp';
        for (const v of col.values) {
          if (typeof v === 'number') this.noteValue(name, v);
          else if (dates && typeof v === 'string') this.noteValue(name, parseDatetimeMs(v));
        }
      }
    }
  }

  /** Notes a numeric (or epoch-ms) key value, so that a bump can start above every value emitted. */
  noteValue(column: string, value: number): void {
    if (!(value <= (this.highest.get(column) ?? Number.NEGATIVE_INFINITY))) {
      if (!Number.isNaN(value)) this.highest.set(column, value);
    }
  }

  /** The highest numeric key value noted for `column`, or undefined. */
  highestValue(column: string): number | undefined {
    return this.highest.get(column);
  }

  /** Keys held, summed over the trackers (memory is at most 16 bytes per key). */
  get size(): number {
    let total = 0;
    for (const { tracker } of this.trackers.values()) total += tracker.size;
    return total;
  }
}

/** A fresh uniqueness state for a run with these constraints. */
export function createUniquenessState(
  constraints: readonly Constraint[],
  options: UniquenessTrackerOptions = {},
): UniquenessState {
  return new UniquenessState(constraints, options);
}
