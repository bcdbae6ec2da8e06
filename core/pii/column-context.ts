/** What every local classifier may look at for one column, prepared once. */
import { SemanticType, type ColumnProfile } from '../profile/index.js';
import { PhysicalType, type ColumnData } from '../table.js';
import { emailAgreementShare } from './email-agreement.js';
import { matchColumnName, type NameMatch } from './name-rules.js';
import { sampleEvenly } from './sample.js';
import type { PiiKind } from './types.js';

/** One column as the classifiers see it. */
export interface ColumnContext {
  column: ColumnData;
  profile: ColumnProfile | undefined;
  semantic: SemanticType | undefined;
  /** Evenly spaced non-null values, trimmed. */
  sample: string[];
  name: NameMatch | undefined;
  /** The kind the column name announces when it names personal data. */
  nameKind: PiiKind | undefined;
  stringStored: boolean;
  numericStored: boolean;
  /** Values are text the validators can check (string storage, not dates, at least one value). */
  checkable: boolean;
  asOfMs: number;
  /** Share of rows whose value's words occur in the same row's email address (0 without email columns; see email-agreement.ts). */
  emailAgreement: number;
}

/** Prepares the context of one column. */
export function columnContext(
  column: ColumnData,
  profile: ColumnProfile | undefined,
  sampleSize: number,
  asOfMs: number,
  emailColumns: readonly ColumnData[] = [],
): ColumnContext {
  const semantic = profile?.semanticType;
  const name = matchColumnName(column.name);
  const sample = sampleEvenly(column.values, sampleSize).map((v) => v.trim());
  const stringStored = column.type === PhysicalType.String;
  return {
    column,
    profile,
    semantic,
    sample,
    name,
    nameKind: name?.personal === true ? name.rule.kind : undefined,
    stringStored,
    numericStored: column.type === PhysicalType.Integer || column.type === PhysicalType.Float,
    checkable: stringStored && sample.length > 0 && semantic !== SemanticType.Datetime,
    asOfMs,
    emailAgreement: stringStored && emailColumns.length > 0 ? emailAgreementShare(column, emailColumns) : 0,
  };
}

/** Share of the sample passing a test (0 for an empty sample). */
export function shareOf(sample: readonly string[], test: (value: string) => boolean): number {
  if (sample.length === 0) return 0;
  let hits = 0;
  for (const v of sample) if (test(v)) hits++;
  return hits / sample.length;
}

/** A share as a whole percentage for reasons. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
