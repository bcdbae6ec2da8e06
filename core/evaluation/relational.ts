/**
 * Multi-table numbers per relationship: SDMetrics' CardinalityShapeSimilarity (from core/relational's
 * evaluation: KSComplement of the children-per-parent counts, childless parents included) and
 * SDMetrics' ReferentialIntegrity (share of synthetic child references that find a synthetic
 * parent; missing references are left out only when the real child has missing references too,
 * as SDMetrics does, otherwise they count as broken).
 */
import { evaluateRelational, parseRelationalMetadata } from '../relational/index.js';
import type { CellValue, ColumnData, Table } from '../table.js';
import { finiteOrNull, meanOfPresent } from './columns.js';
import type { RelationalInput, RelationalResult, RelationshipEvaluation } from './types.js';

/** Evaluates every foreign key of the metadata. */
export function evaluateRelationships(input: RelationalInput): RelationalResult {
  const resolved = parseRelationalMetadata(input.metadata);
  const base = evaluateRelational(input.metadata, input.real, input.synthetic);
  const relationships: RelationshipEvaluation[] = [];
  let i = 0;
  for (const name of resolved.order) {
    for (const fk of resolved.foreignKeys.get(name) ?? []) {
      const found = base.foreignKeys[i++];
      const ri = referentialIntegrity(
        input.real[fk.child],
        input.synthetic[fk.child],
        input.synthetic[fk.parent],
        fk.columns,
        fk.parentColumns,
      );
      relationships.push({
        parent: fk.parent,
        child: fk.child,
        columns: [...fk.columns],
        cardinalityShapeSimilarity: finiteOrNull(found?.childCountKsComplement ?? Number.NaN),
        referentialIntegrity: ri.score,
        orphans: ri.orphans,
        realMeanChildren: finiteOrNull(found?.realMeanChildren ?? Number.NaN),
        syntheticMeanChildren: finiteOrNull(found?.syntheticMeanChildren ?? Number.NaN),
      });
    }
  }
  return {
    relationships,
    cardinalityScore: meanOfPresent(relationships.map((r) => r.cardinalityShapeSimilarity)),
    referentialIntegrityScore: meanOfPresent(relationships.map((r) => r.referentialIntegrity)),
  };
}

function referentialIntegrity(
  realChild: Table | undefined,
  child: Table | undefined,
  parent: Table | undefined,
  columns: readonly string[],
  parentColumns: readonly string[],
): { score: number; orphans: number } {
  if (child === undefined || child.rowCount === 0) return { score: 1, orphans: 0 };
  const fk = pick(child, columns);
  const pk = parent === undefined ? undefined : pick(parent, parentColumns);
  const keys = new Set<string>();
  if (pk !== undefined && parent !== undefined)
    for (let r = 0; r < parent.rowCount; r++) keys.add(key(pk, r));
  const realFk = realChild === undefined ? undefined : pick(realChild, columns);
  const skipMissing =
    columns.length === 1 &&
    realFk !== undefined &&
    realFk[0] !== undefined &&
    realFk[0].values.some(isMissing);
  let checked = 0;
  let orphans = 0;
  for (let r = 0; r < child.rowCount; r++) {
    // pandas' dropna on a one-column key drops rows with a missing reference.
    if (skipMissing && isMissing(fk[0]?.values[r])) continue;
    checked++;
    if (fk.some((c) => isMissing(c.values[r])) || !keys.has(key(fk, r))) orphans++;
  }
  return { score: checked === 0 ? 1 : (checked - orphans) / checked, orphans };
}

function pick(table: Table, names: readonly string[]): ColumnData[] {
  return names.map((n) => table.columns.find((c) => c.name === n) ?? { name: n, type: 'string', values: [] });
}

function key(columns: readonly ColumnData[], r: number): string {
  let k = '';
  for (const c of columns) {
    const v = c.values[r] ?? null;
    // Numbers and numeric strings meet: keys read from CSV files may differ only in type.
    k += `\u0000${v === null ? 'z' : typeof v === 'boolean' ? `b${v}` : `v${String(v)}`}`;
  }
  return k;
}

function isMissing(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}
