import type { SensitivityReport } from '../pii/index.js';
import type { DatasetProfile } from '../profile/index.js';

/** The profile without the columns that were faked: their shape differs from the sample by design. */
export function withoutSensitive(profile: DatasetProfile, sensitivity: SensitivityReport): DatasetProfile {
  const faked = new Set(sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column));
  return { ...profile, columns: profile.columns.filter((c) => !faked.has(c.name)) };
}
