/**
 * Which table columns become which CSV header of an object's jobs: mapped or same-named fields, and
 * lookup columns sent as `Relationship.ExternalIdField`, so a child names its parent by external id.
 */
import { ConfigError } from '../../core/errors.js';
import type { CellValue, Table } from '../../core/table.js';
import { BULK_NULL, encodeBulkCell } from './bulk-csv.js';
import type { ObjectSpec } from './port.js';

/** One CSV column: the table column it reads and the header Salesforce sees. */
export interface ObjectColumn {
  column: string;
  header: string;
}

/**
 * The CSV columns of an object, checked against the table's columns; `field` prefixes the config path
 * named in errors (e.g. `targets[0].objects[1]`).
 */
export function planObjectColumns(
  spec: ObjectSpec,
  tableColumns: readonly string[],
  field: string,
): ObjectColumn[] {
  const present = new Set(tableColumns);
  const lookupColumns = new Set(spec.lookups.map((l) => l.column));
  const out: ObjectColumn[] = [];
  if (spec.fields !== undefined) {
    for (const [column, header] of Object.entries(spec.fields)) {
      if (!present.has(column))
        throw new ConfigError(`the table has no column "${column}"`, `${field}.fields.${column}`);
      out.push({ column, header });
    }
  } else {
    for (const column of tableColumns) if (!lookupColumns.has(column)) out.push({ column, header: column });
  }
  spec.lookups.forEach((l, i) => {
    if (!present.has(l.column))
      throw new ConfigError(`the table has no column "${l.column}"`, `${field}.lookups[${i}].column`);
    out.push({ column: l.column, header: `${l.relationship}.${l.externalIdField}` });
  });
  const seen = new Set<string>();
  for (const c of out) {
    const key = c.header.toLowerCase();
    if (seen.has(key)) throw new ConfigError(`field ${c.header} is sent twice`, `${field}.fields`);
    seen.add(key);
  }
  const headers = out.map((c) => c.header.toLowerCase());
  if (spec.operation === 'upsert') {
    if (spec.externalIdField === undefined)
      throw new ConfigError('upsert needs an external id field', `${field}.externalIdField`);
    if (!headers.includes(spec.externalIdField.toLowerCase())) {
      throw new ConfigError(
        `no column is sent as the external id field ${spec.externalIdField}`,
        `${field}.externalIdField`,
      );
    }
  }
  if (spec.operation === 'update' && !headers.includes('id')) {
    throw new ConfigError('update needs a column sent as Id', `${field}.fields`);
  }
  return out;
}

/** The object's rows as encoded CSV cells, in `columns` order. */
export function encodeObjectRows(
  spec: ObjectSpec,
  table: Table,
  columns: readonly ObjectColumn[],
): string[][] {
  // Empty means "leave unchanged" on update and upsert; #N/A clears the field, which is what a null means here.
  const nullText = spec.operation === 'insert' ? '' : BULK_NULL;
  // A lookup header holds the parent's external id; "#N/A" there would be looked up as an id, so a missing parent stays empty.
  const lookupColumns = new Set(spec.lookups.map((l) => l.column));
  const nulls = columns.map((c) => (lookupColumns.has(c.column) ? '' : nullText));
  const sources: CellValue[][] = columns.map(
    (c) => table.columns.find((t) => t.name === c.column)?.values ?? [],
  );
  const rows: string[][] = new Array(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) {
    const row = new Array<string>(columns.length);
    for (let j = 0; j < columns.length; j++) {
      row[j] = encodeBulkCell(sources[j]?.[r] ?? null, nulls[j] ?? nullText, {
        object: spec.object,
        column: columns[j]?.column ?? '',
        row: r,
      });
    }
    rows[r] = row;
  }
  return rows;
}
