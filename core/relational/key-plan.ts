/**
 * Which columns of a table are keys and how each is generated so that primary keys are unique
 * (composite ones included) and every reference hits an existing parent:
 * - foreign key columns copy the referenced parent row's key;
 * - a primary key made of the primary parent's key plus an integer column (order lines keyed by
 *   (order_id, line_no)) numbers the children of each parent from the sample's usual start;
 * - any other primary key gets one column that is unique across the table (from the global row
 *   number, in the sample's key shape); its other columns are ordinary data;
 * - a primary key that is exactly the primary parent's key makes the table one-to-one with it;
 * - a key made of the primary parent's key plus another foreign key (a link table) makes siblings
 *   pick distinct parents of that other key.
 * Columns the profiler calls identifiers but the metadata does not declare are generated unique
 * too, because per-stratum models would otherwise restart their counters and collide.
 */
import { ConfigError } from '../errors.js';
import type { FieldSensitivity } from '../pii/index.js';
import type { ColumnProfile } from '../profile/index.js';
import type { IdentifierColumnModel } from '../synth/index.js';
import type { ColumnData, Table } from '../table.js';
import type { ResolvedForeignKey, TableMetadata } from './metadata.js';
import type { KeyColumnPlan } from './model.js';
import { toNumber } from './strata.js';

/** The key columns of a table and what that implies for generation. */
export interface KeyPlan {
  keys: KeyColumnPlan[];
  dataColumns: string[];
  oneToOne: boolean;
  distinctReference: number | null;
}

/** What {@link planKeys} needs. */
export interface KeyPlanInput {
  name: string;
  sample: Table;
  meta: TableMetadata;
  foreignKeys: readonly ResolvedForeignKey[];
  profiles: ReadonlyMap<string, ColumnProfile>;
  fields: ReadonlyMap<string, FieldSensitivity>;
  /** Parent row of each sample row under the primary foreign key (when there is one). */
  primaryParentRows: Int32Array | undefined;
}

/** Plans the key columns of one table. */
export function planKeys(input: KeyPlanInput): KeyPlan {
  const { name, sample, meta, foreignKeys } = input;
  const keys: KeyColumnPlan[] = [];
  const referenceOf = new Map<string, ResolvedForeignKey>();
  for (const fk of foreignKeys) {
    fk.columns.forEach((column, i) => {
      referenceOf.set(column, fk);
      keys.push({
        column,
        role: 'reference',
        foreignKey: fk.index,
        parentColumn: fk.parentColumns[i] as string,
      });
    });
  }
  const pk = meta.primaryKey ?? [];
  const primary = foreignKeys.find((fk) => fk.primary);
  const scoped = primary !== undefined && primary.columns.every((c) => pk.includes(c));
  const ownColumns = pk.filter((c) => !referenceOf.has(c));
  let oneToOne = false;
  let distinctReference: number | null = null;
  if (ownColumns.length > 0) {
    const maker = chooseKeyMaker(ownColumns, input);
    const start = scoped ? sequenceStart(column(sample, maker), input.primaryParentRows) : undefined;
    keys.push(
      start === undefined
        ? { column: maker, role: 'unique', identifier: identifierModel(column(sample, maker), input, 0) }
        : { column: maker, role: 'sequence', start },
    );
  } else if (pk.length > 0) {
    if (scoped && pk.length === primary.columns.length) oneToOne = true;
    else {
      const other = scoped
        ? foreignKeys.find((fk) => !fk.primary && fk.columns.every((c) => pk.includes(c)))
        : undefined;
      if (other === undefined) {
        throw new ConfigError(
          `primary key (${pk.join(', ')}) of table "${name}" is made of foreign key columns that cannot be kept unique; include the primary foreign key's columns, or mark the foreign key whose columns form the key as primary`,
          `tables.${name}.primaryKey`,
        );
      }
      distinctReference = other.index;
    }
  }
  const planned = new Set(keys.map((k) => k.column));
  for (const data of sample.columns) {
    if (planned.has(data.name) || input.profiles.get(data.name)?.semanticType !== 'identifier') continue;
    const nullRate = input.profiles.get(data.name)?.nullRate ?? 0;
    keys.push({ column: data.name, role: 'unique', identifier: identifierModel(data, input, nullRate) });
    planned.add(data.name);
  }
  return {
    keys,
    dataColumns: sample.columns.filter((c) => !planned.has(c.name)).map((c) => c.name),
    oneToOne,
    distinctReference,
  };
}

/** The own key column with the most distinct values (ties: declaration order). */
function chooseKeyMaker(columns: readonly string[], input: KeyPlanInput): string {
  let best = columns[0] as string;
  let bestDistinct = -1;
  for (const c of columns) {
    const distinct = input.profiles.get(c)?.distinctCount ?? 0;
    if (distinct > bestDistinct) {
      best = c;
      bestDistinct = distinct;
    }
  }
  return best;
}

function column(sample: Table, name: string): ColumnData {
  return sample.columns.find((c) => c.name === name) as ColumnData;
}

/**
 * The most common first number of a per-parent counter (1 for line numbers 1, 2, 3), or undefined
 * when the column is not an integer counter.
 */
function sequenceStart(data: ColumnData, parentRows: Int32Array | undefined): number | undefined {
  if (parentRows === undefined) return undefined;
  const minimum = new Map<number, number>();
  for (let r = 0; r < data.values.length; r++) {
    const x = toNumber(data.values[r] ?? null);
    if (!Number.isInteger(x)) return undefined;
    const p = parentRows[r] as number;
    const m = minimum.get(p);
    if (m === undefined || x < m) minimum.set(p, x);
  }
  const tally = new Map<number, number>();
  for (const m of minimum.values()) tally.set(m, (tally.get(m) ?? 0) + 1);
  let start: number | undefined;
  let best = 0;
  for (const [m, n] of tally) {
    if (n > best || (n === best && start !== undefined && m < start)) {
      start = m;
      best = n;
    }
  }
  return start ?? 1;
}

/** An identifier column model in the sample's key shape; counts from 1 so no sample key value is kept. */
function identifierModel(data: ColumnData, input: KeyPlanInput, nullRate: number): IdentifierColumnModel {
  const profile = input.profiles.get(data.name);
  const field = input.fields.get(data.name);
  const sensitive = field !== undefined && (field.override?.sensitive ?? field.sensitive);
  const text = profile?.text;
  // A variable, not a literal: stays assignable whichever optional extras the synth's model type carries.
  const model = {
    name: data.name,
    physicalType: data.type,
    nullRate,
    kind: 'identifier' as const,
    pattern: profile?.pattern ?? null,
    offset: 1,
    length: text === undefined ? null : { min: text.minLength, max: text.maxLength, mean: text.meanLength },
    piiKind: sensitive && field !== undefined ? (field.override?.kind ?? field.kind) : null,
    letterCase: letterCaseOf(data),
  };
  return model;
}

/** Whether most letters of the column's (first few thousand) string values are upper or lower case. */
function letterCaseOf(data: ColumnData): 'upper' | 'lower' {
  let upper = 0;
  let lower = 0;
  const end = Math.min(data.values.length, 2000);
  for (let r = 0; r < end; r++) {
    const v = data.values[r];
    if (typeof v !== 'string') continue;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 65 && c <= 90) upper++;
      else if (c >= 97 && c <= 122) lower++;
    }
  }
  return lower > upper ? 'lower' : 'upper';
}
