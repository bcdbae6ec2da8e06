/**
 * Loading into an existing table whose column names differ from the synthetic ones: a mapping from
 * synthetic column to target column (`null` leaves a column out), checked before anything is loaded.
 */
import { ConfigError } from '../../core/errors.js';
import type { Table, TableSchema } from '../../core/table.js';

/** Synthetic column → target column, or null to leave the column out. */
export type ColumnMapping = Readonly<Record<string, string | null>>;

/**
 * The schema as the target sees it. Throws a ConfigError naming `<field>.<column>` for a mapped column
 * the synthetic data does not have, and `<field>` when two columns would load into one.
 */
export function mapSchema(
  schema: TableSchema,
  mapping: ColumnMapping | undefined,
  field: string,
): TableSchema {
  if (mapping === undefined) return schema;
  const names = new Set(schema.columns.map((c) => c.name));
  for (const from of Object.keys(mapping))
    if (!names.has(from)) throw new ConfigError('no synthetic column of that name', `${field}.${from}`);
  const columns = schema.columns.flatMap((c) => {
    const to = Object.hasOwn(mapping, c.name) ? mapping[c.name] : c.name;
    return to === null || to === undefined ? [] : [{ ...c, name: to }];
  });
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name))
      throw new ConfigError('two synthetic columns would load into the same column', field);
    seen.add(c.name);
  }
  if (columns.length === 0) throw new ConfigError('leaves no column to load', field);
  return { ...schema, columns };
}

/** A batch with its columns renamed or left out as the mapping says (call {@link mapSchema} first to check it). */
export function mapColumns(table: Table, mapping: ColumnMapping | undefined): Table {
  if (mapping === undefined) return table;
  return {
    rowCount: table.rowCount,
    columns: table.columns.flatMap((c) => {
      const to = Object.hasOwn(mapping, c.name) ? mapping[c.name] : c.name;
      return to === null || to === undefined ? [] : [{ ...c, name: to }];
    }),
  };
}
