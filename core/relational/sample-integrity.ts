/**
 * Checks the sample tables against the metadata before anything is fitted: every declared column
 * exists, primary keys are non-null and unique, and every child row's reference finds its parent.
 * Orphan rows (a reference that matches no parent row, or a null reference to the primary parent)
 * are an error naming the table, the foreign key and the first row, or are dropped and counted.
 * Rows are numbered from 1 in the order the sample table holds them.
 */
import { ConfigError, DataError } from '../errors.js';
import type { ColumnData, Table } from '../table.js';
import { tupleKey } from './key-tuples.js';
import type { ResolvedForeignKey, ResolvedMetadata } from './metadata.js';

/** What to do with child rows whose reference finds no parent row in the sample. */
export const OrphanPolicy = {
  /** Reject the sample with a DataError naming table, foreign key and row. */
  Error: 'error',
  /** Drop such rows (and, in turn, their own children) and count them. */
  Drop: 'drop',
} as const;
/** One of {@link OrphanPolicy}. */
export type OrphanPolicy = (typeof OrphanPolicy)[keyof typeof OrphanPolicy];

/** The checked sample: tables with orphans removed, and per foreign key the parent row of every child row. */
export interface CheckedSample {
  tables: Map<string, Table>;
  /** `child → fk.index →` parent row per child row, −1 for a null reference (secondary keys only). */
  parentRows: Map<string, Map<number, Int32Array>>;
  /** Rows dropped per table as orphans (absent when none). */
  orphansDropped: Record<string, number>;
}

/** Validates the samples against the resolved metadata; throws ConfigError (missing tables/columns) or DataError (keys, orphans). */
export function checkSampleIntegrity(
  resolved: ResolvedMetadata,
  samples: Readonly<Record<string, Table>>,
  orphans: OrphanPolicy,
): CheckedSample {
  for (const name of Object.keys(samples)) {
    if (resolved.metadata.tables[name] === undefined)
      throw new ConfigError(
        `a sample table "${name}" was given but is not defined in the metadata`,
        `tables.${name}`,
      );
  }
  const tables = new Map<string, Table>();
  const parentRows = new Map<string, Map<number, Int32Array>>();
  const orphansDropped: Record<string, number> = {};
  for (const name of resolved.order) {
    const sample = samples[name];
    if (sample === undefined)
      throw new ConfigError(`no sample table was given for table "${name}"`, `tables.${name}`);
    const meta = resolved.metadata.tables[name];
    const fks = resolved.foreignKeys.get(name) ?? [];
    const pk = meta?.primaryKey;
    if (pk !== undefined) checkPrimaryKey(name, sample, pk);
    const keep = new Uint8Array(sample.rowCount).fill(1);
    const rowsByFk = new Map<number, Int32Array>();
    for (const fk of fks) {
      const parent = tables.get(fk.parent) as Table;
      rowsByFk.set(fk.index, matchParents(name, sample, fk, parent, keep, orphans));
    }
    let dropped = 0;
    for (let r = 0; r < sample.rowCount; r++) if (keep[r] === 0) dropped++;
    if (dropped === 0) {
      tables.set(name, sample);
      parentRows.set(name, rowsByFk);
      continue;
    }
    orphansDropped[name] = dropped;
    const kept: number[] = [];
    for (let r = 0; r < sample.rowCount; r++) if (keep[r] === 1) kept.push(r);
    tables.set(name, {
      rowCount: kept.length,
      columns: sample.columns.map((c) => ({ ...c, values: kept.map((r) => c.values[r] ?? null) })),
    });
    const filtered = new Map<number, Int32Array>();
    for (const [index, rows] of rowsByFk)
      filtered.set(
        index,
        Int32Array.from(kept, (r) => rows[r] as number),
      );
    parentRows.set(name, filtered);
  }
  return { tables, parentRows, orphansDropped };
}

/** The sample's column of that name, or a ConfigError at `field`. */
export function requireColumn(table: string, sample: Table, column: string, field: string): ColumnData {
  const found = sample.columns.find((c) => c.name === column);
  if (found === undefined)
    throw new ConfigError(`column "${column}" is not in the sample of table "${table}"`, field);
  return found;
}

function checkPrimaryKey(name: string, sample: Table, pk: readonly string[]): void {
  const columns = pk.map((c, i) => requireColumn(name, sample, c, `tables.${name}.primaryKey[${i}]`));
  const seen = new Set<string>();
  for (let r = 0; r < sample.rowCount; r++) {
    const key = tupleKey(columns, r);
    if (key === undefined) {
      throw new DataError(`table "${name}": primary key (${pk.join(', ')}) is null`, {
        row: r + 1,
        column: pk.join(', '),
      });
    }
    if (seen.has(key)) {
      throw new DataError(`table "${name}": primary key (${pk.join(', ')}) repeats an earlier row's key`, {
        row: r + 1,
        column: pk.join(', '),
      });
    }
    seen.add(key);
  }
}

function matchParents(
  name: string,
  sample: Table,
  fk: ResolvedForeignKey,
  parent: Table,
  keep: Uint8Array,
  orphans: OrphanPolicy,
): Int32Array {
  const childColumns = fk.columns.map((c, i) =>
    requireColumn(name, sample, c, `tables.${name}.foreignKeys[${fk.index}].columns[${i}]`),
  );
  const parentColumns = fk.parentColumns.map((c) =>
    requireColumn(fk.parent, parent, c, `tables.${fk.parent}.primaryKey`),
  );
  const index = new Map<string, number>();
  for (let r = 0; r < parent.rowCount; r++) index.set(tupleKey(parentColumns, r) as string, r);
  const rows = new Int32Array(sample.rowCount);
  let firstOrphan = -1;
  let orphanCount = 0;
  let firstIsNull = false;
  for (let r = 0; r < sample.rowCount; r++) {
    const key = tupleKey(childColumns, r);
    if (key === undefined && !fk.primary) {
      rows[r] = -1;
      continue;
    }
    const found = key === undefined ? undefined : index.get(key);
    if (found !== undefined) {
      rows[r] = found;
      continue;
    }
    rows[r] = -1;
    keep[r] = 0;
    if (orphanCount === 0) {
      firstOrphan = r;
      firstIsNull = key === undefined;
    }
    orphanCount++;
  }
  if (orphanCount > 0 && orphans === OrphanPolicy.Error) {
    const what = firstIsNull
      ? `has a null reference to its primary parent "${fk.parent}"`
      : `references no existing row of table "${fk.parent}"`;
    throw new DataError(
      `table "${name}": foreign key (${fk.columns.join(', ')}) ${what} (${orphanCount} orphan row(s) in all; set orphans: "drop" to drop them)`,
      { row: firstOrphan + 1, column: fk.columns.join(', ') },
    );
  }
  return rows;
}
