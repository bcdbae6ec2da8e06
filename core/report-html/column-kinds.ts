/** Which chart each column gets, and whether its values may appear in the report at all. */
import type { FieldSensitivity } from '../pii/types.js';
import type { DatasetProfile, SemanticType } from '../profile/types.js';
import type { ColumnData } from '../table.js';
import { distinctCount } from './distributions.js';
import { ReportColumnKind } from './input.js';

/** A string column with at most this many distinct values (that repeat) is charted as categories. */
const MAX_INFERRED_CATEGORIES = 50;

const FROM_SEMANTIC: Record<SemanticType, ReportColumnKind> = {
  integer: ReportColumnKind.Numeric,
  float: ReportColumnKind.Numeric,
  boolean: ReportColumnKind.Boolean,
  categorical: ReportColumnKind.Categorical,
  datetime: ReportColumnKind.Datetime,
  text: ReportColumnKind.Text,
  identifier: ReportColumnKind.Text,
};

/** Chart kinds from a dataset profile's semantic types (keys and free text get length charts). */
export function columnKindsFromProfile(profile: DatasetProfile): Record<string, ReportColumnKind> {
  const out: Record<string, ReportColumnKind> = {};
  for (const c of profile.columns) out[c.name] = FROM_SEMANTIC[c.semanticType];
  return out;
}

/** The chart kind of a column from its physical type and, for strings, how often its values repeat. */
export function inferColumnKind(column: ColumnData): ReportColumnKind {
  switch (column.type) {
    case 'integer':
    case 'float':
      return ReportColumnKind.Numeric;
    case 'date':
    case 'timestamp':
      return ReportColumnKind.Datetime;
    case 'boolean':
      return ReportColumnKind.Boolean;
    default: {
      const { distinct, present } = distinctCount(column.values);
      return distinct <= MAX_INFERRED_CATEGORIES && distinct * 2 <= present
        ? ReportColumnKind.Categorical
        : ReportColumnKind.Text;
    }
  }
}

/** The resolved chart kind and, when values are withheld, why. */
export interface ResolvedColumnKind {
  kind: ReportColumnKind;
  valuesHidden?: string;
}

/**
 * The kind to chart: a sensitive column (other than dates of birth, whose histogram is an
 * aggregate) is charted by value length only, so no personal value reaches the report.
 */
export function resolveColumnKind(
  column: ColumnData,
  requested: ReportColumnKind | undefined,
  sensitivity: FieldSensitivity | undefined,
): ResolvedColumnKind {
  const kind = requested ?? inferColumnKind(column);
  if (sensitivity?.sensitive && sensitivity.kind !== 'date_of_birth')
    return { kind: ReportColumnKind.Text, valuesHidden: 'sensitive column: only value lengths are shown' };
  if (kind === ReportColumnKind.Text)
    return { kind, valuesHidden: 'key or free text: only value lengths are shown' };
  return { kind };
}
