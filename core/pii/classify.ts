/**
 * The local classifier: four classifiers look at each column independently and each gives its
 * contributions (kind, score, reason) — the value validators (value-classifier.ts), the column
 * name (name-classifier.ts), content statistics (stats-classifier.ts) and PII spans in prose
 * (free-text-classifier.ts). combineContributions (combine.ts) turns them into one kind and one
 * confidence per field by noisy-OR per kind; every contribution stays in the report.
 *
 * Outside classifiers (Confluence, Bedrock; see external.ts) add their contributions later
 * through {@link reclassifyField}, which combines all of them by the same rule.
 */
import type { ColumnProfile, DatasetProfile } from '../profile/index.js';
import { PhysicalType, type ColumnData, type Table } from '../table.js';
import { columnContext } from './column-context.js';
import { combineContributions } from './combine.js';
import { emailAgreementShare } from './email-agreement.js';
import { classifyByFreeText } from './free-text-classifier.js';
import { classifyByColumnName } from './name-classifier.js';
import { matchColumnName } from './name-rules.js';
import { classifyByContentStats } from './stats-classifier.js';
import { classifyByValues } from './value-classifier.js';
import {
  PiiKind,
  SENSITIVE_THRESHOLD,
  type ClassifierContribution,
  type ClassifyOptions,
  type FieldSensitivity,
  type SensitivityReport,
} from './types.js';

export { shareConfidence } from './value-classifier.js';

const DEFAULT_SAMPLE_SIZE = 1000;

/** Classifies every column of a table; the profile supplies semantic types and text statistics. */
export function classifyTable(
  table: Table,
  profile: DatasetProfile,
  options: ClassifyOptions = {},
): SensitivityReport {
  const sampleSize = Math.max(1, Math.floor(options.sampleSize ?? DEFAULT_SAMPLE_SIZE));
  const threshold = options.threshold ?? SENSITIVE_THRESHOLD;
  const profiles = new Map(profile.columns.map((c) => [c.name, c] as const));
  const asOfMs = options.asOfMs ?? Date.now();
  const fields = table.columns.map((c) =>
    classifyColumn(c, profiles.get(c.name), sampleSize, { threshold, asOfMs }),
  );
  // Second look, with the table's email columns as witnesses, at name-like columns the first pass let through.
  const emailColumns = table.columns.filter(
    (_, i) => fields[i]?.sensitive === true && fields[i]?.kind === PiiKind.Email,
  );
  if (emailColumns.length > 0) {
    table.columns.forEach((c, i) => {
      if (fields[i]?.sensitive !== false || !mayHoldNames(c)) return;
      if (emailAgreementShare(c, emailColumns) < EMAIL_AGREEMENT_MIN) return;
      fields[i] = classifyColumn(c, profiles.get(c.name), sampleSize, { threshold, asOfMs, emailColumns });
    });
  }
  return { threshold, sampledValuesPerColumn: sampleSize, fields };
}

/** Share of rows agreeing with an email column from which a name-like column counts as personal names. */
export const EMAIL_AGREEMENT_MIN = 0.5;

const NAME_KINDS: ReadonlySet<PiiKind> = new Set([PiiKind.PersonName, PiiKind.FirstName, PiiKind.LastName]);

/** Text columns named for a person's name, or not named for anything. */
function mayHoldNames(c: ColumnData): boolean {
  if (c.type !== PhysicalType.String) return false;
  const match = matchColumnName(c.name);
  return match === undefined || (match.personal && NAME_KINDS.has(match.rule.kind));
}

/** Every local classifier's contributions for one column. */
export function localContributions(
  column: ColumnData,
  profile: ColumnProfile | undefined,
  sampleSize = DEFAULT_SAMPLE_SIZE,
  asOfMs: number = Date.now(),
  emailColumns: readonly ColumnData[] = [],
): ClassifierContribution[] {
  const ctx = columnContext(column, profile, sampleSize, asOfMs, emailColumns);
  const stats = classifyByContentStats(ctx);
  // A veto (two-valued flag) settles the column: the other classifiers would only add noise to the report.
  if (stats.some((c) => c.kind === PiiKind.None && c.score >= 1)) return stats;
  return [...classifyByValues(ctx), ...classifyByColumnName(ctx), ...stats, ...classifyByFreeText(ctx)];
}

/** Classifies one column; `emailColumns` (the table's email columns) lets names be confirmed against addresses. */
export function classifyColumn(
  column: ColumnData,
  profile: ColumnProfile | undefined,
  sampleSize = DEFAULT_SAMPLE_SIZE,
  options: { threshold?: number; asOfMs?: number; emailColumns?: readonly ColumnData[] } = {},
): FieldSensitivity {
  const contributions = localContributions(column, profile, sampleSize, options.asOfMs, options.emailColumns);
  return fieldFrom(column.name, contributions, options.threshold ?? SENSITIVE_THRESHOLD);
}

function fieldFrom(
  column: string,
  contributions: ClassifierContribution[],
  threshold: number,
): FieldSensitivity {
  const combined = combineContributions(contributions, threshold);
  return {
    column,
    kind: combined.kind,
    confidence: combined.confidence,
    sensitive: combined.sensitive,
    reasons: combined.reasons,
    contributions,
  };
}

/**
 * The field re-decided with more contributions (an outside classifier's), combined with the ones
 * it already has by the same rule; a reviewer's override, if any, is kept and still decides.
 */
export function reclassifyField(
  field: FieldSensitivity,
  extra: readonly ClassifierContribution[],
  threshold: number = SENSITIVE_THRESHOLD,
): FieldSensitivity {
  const next = fieldFrom(field.column, [...(field.contributions ?? []), ...extra], threshold);
  if (field.override === undefined) return next;
  return {
    ...next,
    kind: field.override.kind ?? next.kind,
    sensitive: field.override.sensitive,
    override: field.override,
  };
}
