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
import type { ColumnData, Table } from '../table.js';
import { columnContext } from './column-context.js';
import { combineContributions } from './combine.js';
import { classifyByFreeText } from './free-text-classifier.js';
import { classifyByColumnName } from './name-classifier.js';
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
  return {
    threshold,
    sampledValuesPerColumn: sampleSize,
    fields: table.columns.map((c) =>
      classifyColumn(c, profiles.get(c.name), sampleSize, { threshold, asOfMs }),
    ),
  };
}

/** Every local classifier's contributions for one column. */
export function localContributions(
  column: ColumnData,
  profile: ColumnProfile | undefined,
  sampleSize = DEFAULT_SAMPLE_SIZE,
  asOfMs: number = Date.now(),
): ClassifierContribution[] {
  const ctx = columnContext(column, profile, sampleSize, asOfMs);
  const stats = classifyByContentStats(ctx);
  // A veto (two-valued flag) settles the column: the other classifiers would only add noise to the report.
  if (stats.some((c) => c.kind === PiiKind.None && c.score >= 1)) return stats;
  return [...classifyByValues(ctx), ...classifyByColumnName(ctx), ...stats, ...classifyByFreeText(ctx)];
}

/** Classifies one column. */
export function classifyColumn(
  column: ColumnData,
  profile: ColumnProfile | undefined,
  sampleSize = DEFAULT_SAMPLE_SIZE,
  options: { threshold?: number; asOfMs?: number } = {},
): FieldSensitivity {
  const contributions = localContributions(column, profile, sampleSize, options.asOfMs);
  return fieldFrom(column.name, contributions, options.threshold ?? SENSITIVE_THRESHOLD);
}

function fieldFrom(column: string, contributions: ClassifierContribution[], threshold: number): FieldSensitivity {
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
  return { ...next, kind: field.override.kind ?? next.kind, sensitive: field.override.sensitive, override: field.override };
}
