/**
 * Relational quality of a synthetic database against the sample: referential integrity (share of
 * child rows whose reference finds a parent), primary-key uniqueness, and per foreign key how
 * close the children-per-parent distribution is (KSComplement, as SDMetrics' CardinalityShapeSimilarity).
 */
import { ConfigError } from '../errors.js';
import { ksComplement } from '../quality/index.js';
import type { ColumnData, Table } from '../table.js';
import { tupleKey } from './key-tuples.js';
import { parseRelationalMetadata } from './metadata.js';

/** Findings for one foreign key. */
export interface ForeignKeyEvaluation {
  child: string;
  parent: string;
  columns: string[];
  /** Synthetic child rows with a non-null reference. */
  references: number;
  /** Of those, how many find no synthetic parent row. */
  orphans: number;
  /** 1 − KS distance between the real and synthetic children-per-parent distributions (NaN without parents). */
  childCountKsComplement: number;
  realMeanChildren: number;
  syntheticMeanChildren: number;
}

/** Findings for a synthetic database. */
export interface RelationalEvaluation {
  foreignKeys: ForeignKeyEvaluation[];
  /** Synthetic rows whose primary key repeats an earlier row's, per table with a primary key. */
  duplicateKeys: Record<string, number>;
  /** Share of all non-null synthetic references that find their parent (1 when there are none). */
  referentialIntegrity: number;
}

/** Evaluates synthetic tables against the real ones under the given metadata. */
export function evaluateRelational(
  metadata: unknown,
  real: Readonly<Record<string, Table>>,
  synthetic: Readonly<Record<string, Table>>,
): RelationalEvaluation {
  const resolved = parseRelationalMetadata(metadata);
  const duplicateKeys: Record<string, number> = {};
  for (const name of resolved.order) {
    const pk = resolved.metadata.tables[name]?.primaryKey;
    const table = synthetic[name];
    if (pk === undefined || table === undefined) continue;
    const columns = pick(table, pk, name);
    const seen = new Set<string | undefined>();
    let duplicates = 0;
    for (let r = 0; r < table.rowCount; r++) {
      const key = tupleKey(columns, r);
      if (seen.has(key)) duplicates++;
      seen.add(key);
    }
    duplicateKeys[name] = duplicates;
  }
  const foreignKeys: ForeignKeyEvaluation[] = [];
  let references = 0;
  let orphans = 0;
  for (const name of resolved.order) {
    for (const fk of resolved.foreignKeys.get(name) ?? []) {
      const synth = childCounts(synthetic, name, fk.parent, fk.columns, fk.parentColumns);
      const truth = childCounts(real, name, fk.parent, fk.columns, fk.parentColumns);
      references += synth.references;
      orphans += synth.orphans;
      foreignKeys.push({
        child: name,
        parent: fk.parent,
        columns: fk.columns,
        references: synth.references,
        orphans: synth.orphans,
        childCountKsComplement: ksComplement(truth.counts, synth.counts),
        realMeanChildren: mean(truth.counts),
        syntheticMeanChildren: mean(synth.counts),
      });
    }
  }
  return {
    foreignKeys,
    duplicateKeys,
    referentialIntegrity: references === 0 ? 1 : (references - orphans) / references,
  };
}

function childCounts(
  tables: Readonly<Record<string, Table>>,
  childName: string,
  parentName: string,
  columns: readonly string[],
  parentColumns: readonly string[],
): { counts: Float64Array; references: number; orphans: number } {
  const child = tables[childName];
  const parent = tables[parentName];
  if (child === undefined || parent === undefined)
    return { counts: new Float64Array(0), references: 0, orphans: 0 };
  const parentKeys = pick(parent, parentColumns, parentName);
  const index = new Map<string, number>();
  for (let r = 0; r < parent.rowCount; r++) {
    const key = tupleKey(parentKeys, r);
    if (key !== undefined) index.set(key, r);
  }
  const counts = new Float64Array(parent.rowCount);
  const childKeys = pick(child, columns, childName);
  let references = 0;
  let orphans = 0;
  for (let r = 0; r < child.rowCount; r++) {
    const key = tupleKey(childKeys, r);
    if (key === undefined) continue;
    references++;
    const p = index.get(key);
    if (p === undefined) orphans++;
    else counts[p] = (counts[p] as number) + 1;
  }
  return { counts, references, orphans };
}

function pick(table: Table, names: readonly string[], tableName: string): ColumnData[] {
  return names.map((n) => {
    const found = table.columns.find((c) => c.name === n);
    if (found === undefined)
      throw new ConfigError(`column "${n}" is not in table "${tableName}"`, `tables.${tableName}`);
    return found;
  });
}

function mean(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
