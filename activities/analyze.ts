/** Stages profile and classify, and the application of a reviewer's sensitivity overrides. */
import { heartbeat } from '@temporalio/activity';
import { applyOverrides, sensitiveColumns, type SensitivityReport } from '../core/pii/index.js';
import { classifyWithOutsideHelp } from '../integrations/classify-with-outside.js';
import type { PiiKind } from '../core/pii/index.js';
import type { SensitivityFieldSummary } from '../workflows/pipeline/contract.js';
import { profileTable, type DatasetProfile } from '../core/profile/index.js';
import type { ActivityDeps } from './deps.js';
import { runArtifact } from './paths.js';
import { readJsonArtifact, readTableArtifact } from './sample-cache.js';

/** Input of profileSample. */
export interface ProfileSampleInput {
  runKey: string;
  sampleUri: string;
}
/** Output of profileSample. */
export interface ProfileSampleOutput {
  profileUri: string;
  columns: number;
}
/** Input of classifySample. */
export interface ClassifySampleInput {
  runKey: string;
  sampleUri: string;
  profileUri: string;
  /** The source table's name, for data-dictionary lookups (Confluence). @default 'sample' */
  tableName?: string;
}
/** Output of classifySample and applySensitivityOverrides. */
export interface SensitivityOutput {
  sensitivityUri: string;
  sensitiveColumns: string[];
  /** Every field's verdict, as `understudy classify --json` prints it, for the approval request. */
  fields: SensitivityFieldSummary[];
}
/** Input of applySensitivityOverrides. */
export interface ApplyOverridesInput {
  runKey: string;
  sensitivityUri: string;
  overrides: { column: string; sensitive: boolean; kind?: string }[];
  by: string;
  at: string;
  comment?: string;
}

/**
 * The report's verdicts in the shape `classify --json` prints (name, sensitive, type, confidence,
 * reasons), small enough for workflow state: at most three reasons per field, each shortened.
 */
export function summarizeSensitivity(report: SensitivityReport): SensitivityFieldSummary[] {
  return report.fields.map((f) => ({
    name: f.column,
    sensitive: f.sensitive,
    type: f.kind,
    confidence: Math.round(f.confidence * 1000) / 1000,
    reasons: f.reasons.slice(0, 3).map((r) => (r.length > 200 ? `${r.slice(0, 199)}…` : r)),
    ...(f.override ? { overriddenBy: f.override.by } : {}),
  }));
}

/** Creates the profile and classify activities. */
export function createAnalyzeActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /** Profiles every column of the sample (type, nulls, distincts, statistics, pattern). */
    async profileSample({ runKey, sampleUri }: ProfileSampleInput): Promise<ProfileSampleOutput> {
      const table = await readTableArtifact(store, sampleUri);
      heartbeat({ phase: 'profile' });
      const profile = profileTable(table);
      const profileUri = runArtifact(store, runKey, 'profile.json');
      await store.putJson(profileUri, profile);
      return { profileUri, columns: profile.columns.length };
    },

    /** Scores every column for personal data and writes the sensitivity report. */
    async classifySample({
      runKey,
      sampleUri,
      profileUri,
      tableName,
    }: ClassifySampleInput): Promise<SensitivityOutput> {
      const table = await readTableArtifact(store, sampleUri);
      const profile = await readJsonArtifact<DatasetProfile>(store, profileUri);
      heartbeat({ phase: 'classify' });
      // Outside classifiers (when configured) add their evidence; only masked example shapes leave.
      const report = await classifyWithOutsideHelp(table, profile, {
        tableName: tableName ?? 'sample',
        classifiers: deps.piiClassifiers ?? [],
      });
      const sensitivityUri = runArtifact(store, runKey, 'sensitivity.json');
      await store.putJson(sensitivityUri, report);
      return {
        sensitivityUri,
        sensitiveColumns: sensitiveColumns(report).map((f) => f.column),
        fields: summarizeSensitivity(report),
      };
    },

    /** Applies the approver's per-field overrides; unknown columns fail with a ConfigError. */
    async applySensitivityOverrides(input: ApplyOverridesInput): Promise<SensitivityOutput> {
      const report = await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri);
      const overrides = input.overrides.map((o) => ({ ...o, kind: o.kind as PiiKind | undefined }));
      const approved = applyOverrides(report, overrides, {
        by: input.by,
        at: input.at,
        comment: input.comment,
      });
      const sensitivityUri = runArtifact(store, input.runKey, 'sensitivity-approved.json');
      await store.putJson(sensitivityUri, approved);
      return {
        sensitivityUri,
        sensitiveColumns: sensitiveColumns(approved).map((f) => f.column),
        fields: summarizeSensitivity(approved),
      };
    },
  };
}

/** The profile and classify activities. */
export type AnalyzeActivities = ReturnType<typeof createAnalyzeActivities>;
