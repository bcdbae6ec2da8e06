/**
 * Fitting a multi-table model. Per table, in parents-first order:
 * 1. key columns are planned (see key-plan.ts) and left out of the synthesizer's fit;
 * 2. a table without a primary parent gets one synthesizer model of its data columns;
 * 3. a child table is stratified by its primary parent: the parent columns that best explain the
 *    child (ω² of the child count and of numeric child columns, bias-corrected Cramér's V² of
 *    categorical ones, per parent bin) define strata; one synthesizer model is fitted on all child
 *    rows and one more per stratum with at least `minStratumRows` rows, and the child-count
 *    distribution is tallied over all parents and per stratum with at least `minStratumParents`
 *    parents. At sample time a synthetic parent's own column values select its stratum, so its
 *    child count and its children's columns follow the sample's children of similar parents;
 * 4. every other foreign key keeps the distribution of children per referenced row (popularity)
 *    and its null share.
 * Stratifying, rather than asking the synthesizer for conditional samples, works with any
 * single-table synthesizer and keeps arbitrary (non-monotone) category → value relations, at the
 * price of coarse conditioning on numeric parent columns (quartiles) and of fewer rows per model.
 */
import { ConfigError } from '../errors.js';
import { classifyTable, type FieldSensitivity, type SensitivityReport } from '../pii/index.js';
import { profileTable, type ColumnProfile, type DatasetProfile } from '../profile/index.js';
import { schemaOf, type Table } from '../table.js';
import { tallyCounts, type CountDistribution } from './count-distribution.js';
import { planKeys } from './key-plan.js';
import { parseRelationalMetadata, type ResolvedForeignKey, type ResolvedMetadata } from './metadata.js';
import {
  RELATIONAL_MODEL_VERSION,
  type PrimaryParentPlan,
  type RelationalModel,
  type RelationalTableModel,
  type SecondaryParentPlan,
} from './model.js';
import { checkSampleIntegrity, OrphanPolicy, requireColumn, type CheckedSample } from './sample-integrity.js';
import {
  chooseStrata,
  stratumColumnFor,
  strataCount,
  strataOfRows,
  type ScoredColumn,
  type StratumColumn,
} from './strata.js';
import type { SynthesizerKind } from '../synthesizer/index.js';
import { resolveTableSynthesizer, type TableSynthesizer } from './table-synthesizer.js';

/** Options of {@link fitRelationalModel}. */
export interface RelationalFitOptions {
  /**
   * The per-table synthesizer: a kind of the core/synthesizer facade (`auto` decides once per table,
   * from all its rows) or any {@link TableSynthesizer}.
   * @default 'copula'
   */
  synthesizer?: TableSynthesizer | SynthesizerKind;
  /**
   * Child rows of the sample whose reference finds no parent row: an error, or dropped and counted.
   * @default 'error'
   */
  orphans?: OrphanPolicy;
  /** Profiles per table (computed from the sample when absent). */
  profiles?: Readonly<Record<string, DatasetProfile>>;
  /** Sensitivity reports per table, reviewer overrides applied (computed from the sample when absent). */
  sensitivity?: Readonly<Record<string, SensitivityReport>>;
  /**
   * Fewest child rows a stratum needs for a synthesizer model of its own (smaller strata use the model of all rows).
   * @default 100
   */
  minStratumRows?: number;
  /**
   * Fewest parents a stratum needs for a child-count distribution of its own.
   * @default 30
   */
  minStratumParents?: number;
  /**
   * Most parent columns chosen automatically to condition a child on.
   * @default 2
   */
  maxConditionColumns?: number;
  /**
   * Smallest chance-corrected association (share of variance explained) for a parent column to be chosen.
   * @default 0.02
   */
  minAssociation?: number;
}

/** Defaults of {@link RelationalFitOptions}. */
export const RELATIONAL_FIT_DEFAULTS = {
  minStratumRows: 100,
  minStratumParents: 30,
  maxConditionColumns: 2,
  minAssociation: 0.02,
} as const;

/** Most strata one relationship may have (explicit `conditionOn` lists can multiply up quickly). */
const MAX_STRATA = 4096;

/** Fits a relational model: validates the metadata and the samples (keys, orphans), then fits every table parents first. */
export function fitRelationalModel(
  metadata: unknown,
  samples: Readonly<Record<string, Table>>,
  options: RelationalFitOptions = {},
): RelationalModel {
  const resolved = parseRelationalMetadata(metadata);
  const checked = checkSampleIntegrity(resolved, samples, options.orphans ?? OrphanPolicy.Error);
  const synthesizer = resolveTableSynthesizer(options.synthesizer);
  const limits = { ...RELATIONAL_FIT_DEFAULTS, ...definedOnly(options) };
  const described = new Map<string, Described>();
  const tables: Record<string, RelationalTableModel> = {};
  for (const name of resolved.order) {
    const sample = checked.tables.get(name) as Table;
    const profile = options.profiles?.[name] ?? profileTable(sample);
    const sensitivity = options.sensitivity?.[name] ?? classifyTable(sample, profile);
    const info: Described = {
      profile,
      sensitivity,
      profiles: new Map(profile.columns.map((c) => [c.name, c])),
      fields: new Map(sensitivity.fields.map((f) => [f.column, f])),
      keyColumns: new Set<string>(),
    };
    described.set(name, info);
    tables[name] = fitTable(name, resolved, checked, info, described, synthesizer, limits);
    for (const key of tables[name].keys) info.keyColumns.add(key.column);
  }
  return {
    version: RELATIONAL_MODEL_VERSION,
    kind: 'relational',
    synthesizer: synthesizer.name,
    metadata: resolved.metadata,
    order: resolved.order,
    tables,
  };
}

interface Described {
  profile: DatasetProfile;
  sensitivity: SensitivityReport;
  profiles: Map<string, ColumnProfile>;
  fields: Map<string, FieldSensitivity>;
  keyColumns: Set<string>;
}

type Limits = Required<Omit<RelationalFitOptions, 'synthesizer' | 'orphans' | 'profiles' | 'sensitivity'>>;

function fitTable(
  name: string,
  resolved: ResolvedMetadata,
  checked: CheckedSample,
  info: Described,
  described: ReadonlyMap<string, Described>,
  synthesizer: TableSynthesizer,
  limits: Limits,
): RelationalTableModel {
  const sample = checked.tables.get(name) as Table;
  const meta = resolved.metadata.tables[name] as NonNullable<(typeof resolved.metadata.tables)[string]>;
  const fks = resolved.foreignKeys.get(name) ?? [];
  const rowsByFk = checked.parentRows.get(name) ?? new Map<number, Int32Array>();
  const primaryFk = fks.find((fk) => fk.primary);
  const primaryRows = primaryFk === undefined ? undefined : rowsByFk.get(primaryFk.index);
  const plan = planKeys({
    name,
    sample,
    meta,
    foreignKeys: fks,
    profiles: info.profiles,
    fields: info.fields,
    primaryParentRows: primaryRows,
  });
  const data = project(sample, plan.dataColumns);
  const dataProfile: DatasetProfile = {
    rowCount: info.profile.rowCount,
    columns: info.profile.columns.filter((c) => plan.dataColumns.includes(c.name)),
  };
  const dataSensitivity: SensitivityReport = {
    ...info.sensitivity,
    fields: info.sensitivity.fields.filter((f) => plan.dataColumns.includes(f.column)),
  };
  const canFit = data.columns.length > 0 && data.rowCount > 0;
  const models: unknown[] = canFit ? [synthesizer.fit(data, dataProfile, dataSensitivity)] : [];
  const strataSynthesizer = canFit ? (synthesizer.forStrata?.(models[0]) ?? synthesizer) : synthesizer;
  const fit = (rows: Table): unknown => strataSynthesizer.fit(rows, dataProfile, dataSensitivity);
  const modelRows: number[] = canFit ? [data.rowCount] : [];

  let primaryParent: PrimaryParentPlan | null = null;
  if (primaryFk !== undefined && primaryRows !== undefined) {
    const parent = checked.tables.get(primaryFk.parent) as Table;
    const parentInfo = described.get(primaryFk.parent) as Described;
    const childCounts = new Int32Array(parent.rowCount);
    for (const p of primaryRows) childCounts[p] = (childCounts[p] as number) + 1;
    const { strata, scored, explicit } = pickStrata(
      primaryFk,
      parent,
      parentInfo,
      data,
      info,
      primaryRows,
      childCounts,
      limits,
    );
    const parentStrata = strataOfRows(parent, strata);
    const stratumTotal = strataCount(strata);
    const childRowsOf: number[][] = Array.from({ length: stratumTotal }, () => []);
    primaryRows.forEach((p, r) => childRowsOf[parentStrata[p] as number]?.push(r));
    const parentsOf: number[][] = Array.from({ length: stratumTotal }, () => []);
    parentStrata.forEach((s, p) => parentsOf[s]?.push(p));

    const stratumModel = new Array<number>(stratumTotal).fill(0);
    const stratumCounts = new Array<number>(stratumTotal).fill(0);
    const counts: CountDistribution[] = [tallyCounts(childCounts)];
    for (let s = 0; s < stratumTotal && strata.length > 0; s++) {
      const rows = childRowsOf[s] as number[];
      if (canFit && rows.length >= limits.minStratumRows) {
        stratumModel[s] = models.length;
        models.push(fit(selectRows(data, rows)));
        modelRows.push(rows.length);
      }
      const parents = parentsOf[s] as number[];
      if (parents.length >= limits.minStratumParents) {
        stratumCounts[s] = counts.length;
        counts.push(tallyCounts(parents.map((p) => childCounts[p] as number)));
      }
    }
    primaryParent = {
      foreignKey: primaryFk.index,
      parent: primaryFk.parent,
      strata,
      stratumModel,
      stratumCounts,
      counts,
      association: scored.map((s) => ({
        column: s.column.column,
        score: round(s.score),
        strongestFor: s.strongestFor,
      })),
      explicit,
    };
  }

  const secondaryParents: SecondaryParentPlan[] = fks
    .filter((fk) => !fk.primary)
    .map((fk) => {
      const rows = rowsByFk.get(fk.index) as Int32Array;
      const parentRowCount = (checked.tables.get(fk.parent) as Table).rowCount;
      const perParent = new Int32Array(parentRowCount);
      let nulls = 0;
      for (const p of rows) {
        if (p < 0) nulls++;
        else perParent[p] = (perParent[p] as number) + 1;
      }
      return {
        foreignKey: fk.index,
        parent: fk.parent,
        nullRate: rows.length === 0 ? 0 : nulls / rows.length,
        popularity: tallyCounts(perParent),
      };
    });

  return {
    sampleRows: sample.rowCount,
    columns: schemaOf(sample).columns,
    keys: plan.keys,
    dataColumns: plan.dataColumns,
    models,
    modelRows,
    primaryParent,
    secondaryParents,
    oneToOne: plan.oneToOne,
    distinctReference: plan.distinctReference,
    orphansDropped: checked.orphansDropped[name] ?? 0,
  };
}

function pickStrata(
  fk: ResolvedForeignKey,
  parent: Table,
  parentInfo: Described,
  childData: Table,
  childInfo: Described,
  parentRows: Int32Array,
  childCounts: Int32Array,
  limits: Limits,
): { strata: StratumColumn[]; scored: ScoredColumn[]; explicit: boolean } {
  if (fk.conditionOn !== undefined) {
    const strata = fk.conditionOn.map((column, i) => {
      const field = `tables.${fk.child}.foreignKeys[${fk.index}].conditionOn[${i}]`;
      const data = requireColumn(fk.parent, parent, column, field);
      const sensitivity = parentInfo.fields.get(column);
      if (sensitivity !== undefined && (sensitivity.override?.sensitive ?? sensitivity.sensitive))
        throw new ConfigError(
          `column "${column}" of table "${fk.parent}" is classified sensitive; its values cannot define strata`,
          field,
        );
      const stratum = stratumColumnFor(data, parentInfo.profiles.get(column));
      if (stratum === undefined)
        throw new ConfigError(
          `column "${column}" of table "${fk.parent}" is not categorical or numeric; it cannot define strata`,
          field,
        );
      return stratum;
    });
    if (strataCount(strata) > MAX_STRATA)
      throw new ConfigError(
        `conditioning columns make more than ${MAX_STRATA} strata; name fewer columns`,
        `tables.${fk.child}.foreignKeys[${fk.index}].conditionOn`,
      );
    return { strata, scored: [], explicit: true };
  }
  const { chosen, scored } = chooseStrata(
    {
      parent,
      parentProfiles: parentInfo.profiles,
      parentFields: parentInfo.fields,
      parentKeyColumns: parentInfo.keyColumns,
      child: childData,
      childProfiles: childInfo.profiles,
      childFields: childInfo.fields,
      parentRows,
      childCounts,
    },
    {
      maxColumns: limits.maxConditionColumns,
      minAssociation: limits.minAssociation,
      minStratumRows: limits.minStratumRows,
    },
  );
  return { strata: chosen, scored, explicit: false };
}

function project(table: Table, columns: readonly string[]): Table {
  return { rowCount: table.rowCount, columns: table.columns.filter((c) => columns.includes(c.name)) };
}

function selectRows(table: Table, rows: readonly number[]): Table {
  return {
    rowCount: rows.length,
    columns: table.columns.map((c) => ({ ...c, values: rows.map((r) => c.values[r] ?? null) })),
  };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function definedOnly(options: RelationalFitOptions): Partial<Limits> {
  const out: Partial<Limits> = {};
  if (options.minStratumRows !== undefined) out.minStratumRows = options.minStratumRows;
  if (options.minStratumParents !== undefined) out.minStratumParents = options.minStratumParents;
  if (options.maxConditionColumns !== undefined) out.maxConditionColumns = options.maxConditionColumns;
  if (options.minAssociation !== undefined) out.minAssociation = options.minAssociation;
  return out;
}
