/**
 * Reviewer overrides: the approver of the sensitivity gate may mark any column sensitive or not
 * and correct its kind. The decision and who made it are kept on the field for the audit trail.
 */
import { ConfigError } from '../errors.js';
import { PiiKind, type FieldSensitivity, type SensitivityOverride, type SensitivityReport } from './types.js';

const KINDS: ReadonlySet<string> = new Set(Object.values(PiiKind));

/**
 * A new report with the overrides applied in order (a later override of the same column wins).
 * The field's `sensitive` becomes the override's, its `kind` the override's kind when given, and its
 * confidence stays the classifier's so the disagreement remains visible.
 * @throws ConfigError naming `overrides[i].column` for a column not in the report, or the
 *   `sensitive`/`kind` field of an override that is malformed (overrides arrive as JSON in signals).
 */
export function applyOverrides(
  report: SensitivityReport,
  overrides: readonly SensitivityOverride[],
  audit: { by: string; at: string; comment?: string },
): SensitivityReport {
  const fields = report.fields.map((f) => ({ ...f, reasons: [...f.reasons] }));
  const byColumn = new Map(fields.map((f, i) => [f.column, i] as const));
  overrides.forEach((o, i) => {
    const at = byColumn.get(o.column);
    if (at === undefined)
      throw new ConfigError('no column of that name in the sensitivity report', `overrides[${i}].column`);
    if (typeof o.sensitive !== 'boolean')
      throw new ConfigError('must be true or false', `overrides[${i}].sensitive`);
    if (o.kind !== undefined && !KINDS.has(o.kind)) {
      throw new ConfigError(`must be one of ${[...KINDS].join(', ')}`, `overrides[${i}].kind`);
    }
    fields[at] = overridden(fields[at] as FieldSensitivity, o, audit);
  });
  return { ...report, fields };
}

function overridden(
  field: FieldSensitivity,
  o: SensitivityOverride,
  audit: { by: string; at: string; comment?: string },
): FieldSensitivity {
  // Reasons describe the classifier's evidence; an earlier override's note is replaced, not stacked.
  const reasons = field.reasons.filter((r) => !r.startsWith('reviewer override:'));
  const kindNote = o.kind !== undefined && o.kind !== field.kind ? `, kind ${field.kind} → ${o.kind}` : '';
  reasons.push(`reviewer override: ${o.sensitive ? 'sensitive' : 'not sensitive'}${kindNote}`);
  const override: FieldSensitivity['override'] = { sensitive: o.sensitive, by: audit.by, at: audit.at };
  if (o.kind !== undefined) override.kind = o.kind;
  if (audit.comment !== undefined) override.comment = audit.comment;
  return { ...field, kind: o.kind ?? field.kind, sensitive: o.sensitive, reasons, override };
}

/** The fields that must be replaced by generated values: sensitive by confidence or by override. */
export function sensitiveColumns(report: SensitivityReport): FieldSensitivity[] {
  return report.fields.filter((f) => f.sensitive);
}
