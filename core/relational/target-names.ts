/**
 * A synthetic set loaded into existing tables whose names differ from the metadata's: per synthetic
 * table, the target's table name and column names (`null` leaves a column out). From the mapping and
 * the metadata this builds the metadata as the target names things (tables, primary and foreign keys
 * renamed) and, per table, the columns to load under their target names. Every problem is a
 * ConfigError naming the mapping's field; names only, never values.
 */
import { ConfigError } from '../errors.js';
import { parseRelationalMetadata, type RelationalMetadata } from './metadata.js';

/** How one synthetic table is named in the target. */
export interface TableTargetNames {
  /** The target's table. @default the table's own name */
  table?: string;
  /** Synthetic column → target column, or `null` to leave it out; columns not listed keep their names. */
  columns?: Readonly<Record<string, string | null>>;
}

/** A column loaded under the target's name. */
export interface ColumnRename {
  from: string;
  to: string;
}

/** The set as the target names it. */
export interface TargetNaming {
  /** The metadata with every table, primary key and foreign key under its target name. */
  metadata: RelationalMetadata;
  /** Per synthetic table: its target table and the columns it loads, in the synthetic table's order. */
  tables: Record<string, { table: string; columns: ColumnRename[] }>;
}

/**
 * Renames a relational set for a target. `columns` lists each synthetic table's columns; `field` is
 * the path of the mapping in the config (e.g. `targets[0].tables`), used in error messages.
 */
export function targetNaming(
  metadata: unknown,
  columns: Readonly<Record<string, readonly string[]>>,
  mapping: Readonly<Record<string, TableTargetNames>>,
  field: string,
): TargetNaming {
  const resolved = parseRelationalMetadata(metadata);
  for (const table of Object.keys(mapping))
    if (resolved.metadata.tables[table] === undefined)
      throw new ConfigError('is not a table of the metadata file', `${field}.${table}`);

  const tableName = (t: string): string => mapping[t]?.table ?? t;
  const seenTables = new Map<string, string>();
  for (const t of resolved.order) {
    const name = tableName(t);
    // A load gathers each table into `<work dir>/<table>.parquet`: the name must stay one file name.
    if (/[/\\\0]/.test(name) || name === '.' || name === '..')
      throw new ConfigError(
        'must be a table name, not a path (no "/", "\\" or NUL, not "." or "..")',
        `${field}.${t}.table`,
      );
    if (seenTables.has(name))
      throw new ConfigError(
        `loads into the same table as "${seenTables.get(name)}"`,
        `${field}.${t}${mapping[t]?.table !== undefined ? '.table' : ''}`,
      );
    seenTables.set(name, t);
  }

  const tables: TargetNaming['tables'] = {};
  const renamed = new Map<string, Map<string, string>>();
  for (const t of resolved.order) {
    const own = columns[t] ?? [];
    const given = mapping[t]?.columns ?? {};
    for (const c of Object.keys(given))
      if (!own.includes(c))
        throw new ConfigError('is not a column of the table', `${field}.${t}.columns.${c}`);
    const names = new Map<string, string>();
    const loaded: ColumnRename[] = [];
    for (const c of own) {
      const to = Object.hasOwn(given, c) ? given[c] : c;
      if (to === null || to === undefined) continue;
      const clash = loaded.find((l) => l.to === to);
      if (clash !== undefined)
        throw new ConfigError(`loads into the same column as "${clash.from}"`, `${field}.${t}.columns.${c}`);
      names.set(c, to);
      loaded.push({ from: c, to });
    }
    if (loaded.length === 0)
      throw new ConfigError('leaves every column of the table out', `${field}.${t}.columns`);
    renamed.set(t, names);
    tables[t] = { table: tableName(t), columns: loaded };
  }

  const keyColumn = (t: string, c: string): string => {
    const to = renamed.get(t)?.get(c);
    if (to === undefined)
      throw new ConfigError('is a key column: it cannot be left out', `${field}.${t}.columns.${c}`);
    return to;
  };
  const out: RelationalMetadata = { tables: {} };
  for (const t of resolved.order) {
    const table = resolved.metadata.tables[t] as RelationalMetadata['tables'][string];
    out.tables[tableName(t)] = {
      ...(table.primaryKey !== undefined ? { primaryKey: table.primaryKey.map((c) => keyColumn(t, c)) } : {}),
      foreignKeys: (resolved.foreignKeys.get(t) ?? []).map((fk) => ({
        ...(table.foreignKeys[fk.index] as RelationalMetadata['tables'][string]['foreignKeys'][number]),
        columns: fk.columns.map((c) => keyColumn(t, c)),
        references: {
          table: tableName(fk.parent),
          columns: fk.parentColumns.map((c) => keyColumn(fk.parent, c)),
        },
        // Conditioning names the parent's columns; only generation reads it, and a load does not generate.
        conditionOn: [],
      })),
    };
  }
  return { metadata: out, tables };
}
