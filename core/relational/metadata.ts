/**
 * The relational metadata: which tables exist, their primary keys and the foreign keys between
 * them. One plain JSON object, validated with zod so that every problem names its exact path
 * (`tables.orders.foreignKeys[0].references.table`), then checked as a whole: referenced tables
 * and columns exist, foreign keys point at the parent's primary key, and the tables form no cycle.
 * Messages name tables and columns (config), never data values.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { findCycle } from './table-graph.js';

const nameSchema = z.string().min(1, 'must be a non-empty name');

/** A key given as one column name or a list of them; normalised to a list. */
const keyColumnsSchema = z
  .union([nameSchema, z.array(nameSchema).min(1, 'must name at least one column')])
  .transform((key) => (typeof key === 'string' ? [key] : key))
  .refine((key) => new Set(key).size === key.length, 'must not name a column twice');

const foreignKeySchema = z.strictObject({
  /** Columns of the child table holding the reference. */
  columns: keyColumnsSchema,
  references: z.strictObject({
    table: nameSchema,
    /** The parent's columns, in the order of `columns`; defaults to the parent's primary key. */
    columns: keyColumnsSchema.optional(),
  }),
  /**
   * The primary relationship of the child: children are generated per row of this parent, with
   * this relationship's child-count distribution, and conditioned on this parent's columns.
   */
  primary: z.boolean().optional(),
  /** Parent columns to condition on (the default picks them by measured association); [] for none. */
  conditionOn: z.array(nameSchema).optional(),
});

const tableSchema = z.strictObject({
  primaryKey: keyColumnsSchema.optional(),
  foreignKeys: z.array(foreignKeySchema).default([]),
});

/** The schema of {@link RelationalMetadata}, for callers that embed it in a larger config. */
export const relationalMetadataSchema = z.strictObject({
  tables: z
    .record(nameSchema, tableSchema)
    .refine((tables) => Object.keys(tables).length > 0, 'must define at least one table'),
});

/** Relational metadata as written by the user (keys may be a single column name). */
export type RelationalMetadataInput = z.input<typeof relationalMetadataSchema>;
/** Relational metadata with keys normalised to column lists and defaults applied. */
export type RelationalMetadata = z.output<typeof relationalMetadataSchema>;
/** One table of {@link RelationalMetadata}. */
export type TableMetadata = RelationalMetadata['tables'][string];
/** One foreign key of a table. */
export type ForeignKeyMetadata = TableMetadata['foreignKeys'][number];

/** A problem in the metadata at a dotted path. */
export interface MetadataIssue {
  field: string;
  message: string;
}

/** A foreign key resolved against its parent: the child's columns and the matching parent columns, in order. */
export interface ResolvedForeignKey {
  /** Position in the child table's `foreignKeys`. */
  index: number;
  child: string;
  parent: string;
  columns: string[];
  parentColumns: string[];
  /** Whether children are generated per row of this parent. */
  primary: boolean;
  conditionOn: string[] | undefined;
}

/** Validated metadata with every foreign key resolved and the tables in generation order. */
export interface ResolvedMetadata {
  metadata: RelationalMetadata;
  /** Parents before children; ties broken by name so the order never depends on key order. */
  order: string[];
  /** Foreign keys by child table, in declaration order. */
  foreignKeys: Map<string, ResolvedForeignKey[]>;
}

/** Checks metadata and lists every problem with its path; never throws. */
export function validateRelationalMetadata(
  input: unknown,
): { ok: true; resolved: ResolvedMetadata } | { ok: false; issues: MetadataIssue[] } {
  const parsed = relationalMetadataSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message })),
    };
  }
  const metadata = parsed.data;
  const issues: MetadataIssue[] = [];
  const foreignKeys = resolveForeignKeys(metadata, issues);
  if (issues.length > 0) return { ok: false, issues };
  const edges = new Map<string, string[]>();
  for (const [child, fks] of foreignKeys)
    edges.set(
      child,
      fks.map((fk) => fk.parent),
    );
  const cycle = findCycle(Object.keys(metadata.tables), edges);
  if (cycle !== undefined) {
    const first = cycle[0] as string;
    const fkIndex = (foreignKeys.get(first) ?? []).find((fk) => fk.parent === cycle[1])?.index ?? 0;
    issues.push({
      field: `tables.${first}.foreignKeys[${fkIndex}]`,
      message: `foreign keys form a cycle: ${cycle.join(' → ')} (cycles, self-references included, cannot be generated parents first)`,
    });
    return { ok: false, issues };
  }
  return { ok: true, resolved: { metadata, order: topologicalOrder(metadata, foreignKeys), foreignKeys } };
}

/** Validates metadata, throwing a ConfigError at the first problem's path (its message counts the others). */
export function parseRelationalMetadata(input: unknown): ResolvedMetadata {
  const result = validateRelationalMetadata(input);
  if (result.ok) return result.resolved;
  const [first, ...rest] = result.issues;
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more: ${rest.map((i) => i.field).join(', ')})`;
  throw new ConfigError(`${first?.message ?? 'invalid relational metadata'}${more}`, first?.field);
}

function resolveForeignKeys(
  metadata: RelationalMetadata,
  issues: MetadataIssue[],
): Map<string, ResolvedForeignKey[]> {
  const out = new Map<string, ResolvedForeignKey[]>();
  for (const [child, table] of Object.entries(metadata.tables)) {
    const resolved: ResolvedForeignKey[] = [];
    const primaries = table.foreignKeys.flatMap((fk, i) => (fk.primary === true ? [i] : []));
    if (primaries.length > 1) {
      issues.push({
        field: `tables.${child}.foreignKeys[${primaries[1]}].primary`,
        message: `table "${child}" marks more than one foreign key as primary`,
      });
    }
    const owner = new Map<string, number>();
    table.foreignKeys.forEach((fk, index) => {
      const path = `tables.${child}.foreignKeys[${index}]`;
      for (const column of fk.columns) {
        const previous = owner.get(column);
        if (previous !== undefined) {
          issues.push({
            field: `${path}.columns`,
            message: `column "${column}" of table "${child}" already belongs to foreign key ${previous}; a column can hold one reference only`,
          });
        }
        owner.set(column, index);
      }
      const parentTable = metadata.tables[fk.references.table];
      if (parentTable === undefined) {
        issues.push({
          field: `${path}.references.table`,
          message: `table "${child}" references table "${fk.references.table}", which is not defined in "tables"`,
        });
        return;
      }
      const parentKey = parentTable.primaryKey;
      if (parentKey === undefined) {
        issues.push({
          field: `${path}.references.table`,
          message: `table "${child}" references table "${fk.references.table}", which has no primaryKey`,
        });
        return;
      }
      const parentColumns = fk.references.columns ?? parentKey;
      if (parentColumns.length !== fk.columns.length) {
        issues.push({
          field: `${path}.${fk.references.columns === undefined ? 'columns' : 'references.columns'}`,
          message: `foreign key of table "${child}" has ${fk.columns.length} column(s) but references ${parentColumns.length} column(s) of table "${fk.references.table}"`,
        });
        return;
      }
      if (!sameSet(parentColumns, parentKey)) {
        issues.push({
          field: `${path}.references.columns`,
          message: `table "${child}" references columns (${parentColumns.join(', ')}) of table "${fk.references.table}", which are not its primary key (${parentKey.join(', ')})`,
        });
        return;
      }
      if (fk.conditionOn !== undefined) {
        for (const [i, column] of fk.conditionOn.entries()) {
          if (parentKey.includes(column) || parentTable.foreignKeys.some((p) => p.columns.includes(column))) {
            issues.push({
              field: `${path}.conditionOn[${i}]`,
              message: `column "${column}" of table "${fk.references.table}" is a key column; condition on data columns only`,
            });
          }
        }
      }
      resolved.push({
        index,
        child,
        parent: fk.references.table,
        columns: fk.columns,
        parentColumns,
        primary: false,
        conditionOn: fk.conditionOn,
      });
    });
    markPrimary(table, resolved);
    for (const fk of resolved) {
      if (!fk.primary && fk.conditionOn !== undefined && fk.conditionOn.length > 0) {
        issues.push({
          field: `tables.${child}.foreignKeys[${fk.index}].conditionOn`,
          message: `table "${child}" conditions on a foreign key that is not its primary one; only the primary parent's columns condition the child`,
        });
      }
    }
    out.set(child, resolved);
  }
  return out;
}

/**
 * The explicit primary foreign key, else the first whose columns all lie in the child's primary
 * key (an "owned" child such as order lines keyed by order), else the first one.
 */
function markPrimary(table: TableMetadata, resolved: ResolvedForeignKey[]): void {
  if (resolved.length === 0) return;
  const explicit = resolved.find((fk) => table.foreignKeys[fk.index]?.primary === true);
  const pk = table.primaryKey ?? [];
  const owned = resolved.find((fk) => fk.columns.every((c) => pk.includes(c)));
  const chosen = explicit ?? owned ?? (resolved[0] as ResolvedForeignKey);
  chosen.primary = true;
}

function topologicalOrder(
  metadata: RelationalMetadata,
  foreignKeys: Map<string, ResolvedForeignKey[]>,
): string[] {
  const names = Object.keys(metadata.tables).sort();
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    // Kahn's algorithm taking the smallest ready name each round: small table counts, so O(n²) is fine.
    const ready = names.find(
      (name) => !done.has(name) && (foreignKeys.get(name) ?? []).every((fk) => done.has(fk.parent)),
    );
    if (ready === undefined) throw new Error('unreachable: cycle passed validation');
    done.add(ready);
    order.push(ready);
  }
  return order;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
