/**
 * The public contract of `syntheticDataPipeline`: names, signals, queries and payload types.
 * These are wire formats: renaming anything here is a breaking change for running workflows and users.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PipelineConfigInput } from './config-schema.js';

/** Workflow type name, as typed in `temporal workflow start --type`. */
export const PIPELINE_WORKFLOW_TYPE = 'syntheticDataPipeline';
/** Default task queue. */
export const DEFAULT_TASK_QUEUE = 'understudy';

/** The gates a run can wait at. */
export const Gate = { Sensitivity: 'sensitivity', Quality: 'quality', Privacy: 'privacy' } as const;
/** One of {@link Gate}. */
export type Gate = (typeof Gate)[keyof typeof Gate];

/** The pipeline stages, in order; these are also the names shown by the `status` query. */
export const Stage = {
  Ingest: 'ingest',
  Profile: 'profile',
  Classify: 'classify',
  SensitivityGate: 'approval:sensitivity',
  Fit: 'fit',
  Synthesize: 'synthesize',
  Evaluate: 'evaluate',
  QualityGate: 'approval:quality',
  /** Reached only when a threshold of `gates.privacy` failed. */
  PrivacyGate: 'approval:privacy',
  Distribute: 'distribute',
  /** Reached only when the config has a `tests` section: scenarios → test files with synthetic records. */
  GenerateTests: 'generate-tests',
  /** The generated tests run against the system under test. */
  ExecuteTests: 'execute-tests',
  /** Results written back to Jira and a Confluence page. */
  ReportTests: 'report-tests',
  Report: 'report',
  Done: 'done',
} as const;
/** One of {@link Stage}. */
export type Stage = (typeof Stage)[keyof typeof Stage];

/** A per-field override carried by an approval of the sensitivity gate. */
export interface SensitivityOverride {
  column: string;
  sensitive: boolean;
  kind?: string;
}

/** Payload of the `approve` signal. */
export interface ApproveSignal {
  gate: Gate;
  by: string;
  comment?: string;
  /** Makes the approval idempotent: a second signal with the same id is ignored (and audited). */
  approvalId?: string;
  overrides?: SensitivityOverride[];
}

/** Payload of the `reject` signal. */
export interface RejectSignal {
  gate: Gate;
  by: string;
  reason: string;
  approvalId?: string;
}

/** Approve a gate (idempotent by approvalId; may arrive before the gate is reached). */
export const approveSignal = defineSignal<[ApproveSignal]>('approve');
/** Reject a gate: the run ends with an ApprovalRejected failure. */
export const rejectSignal = defineSignal<[RejectSignal]>('reject');
/** Pause: no new chunk, batch or stage starts; the one in flight finishes. */
export const pauseSignal = defineSignal<[]>('pause');
/** Resume after a pause. */
export const resumeSignal = defineSignal<[]>('resume');

/** One entry of the approval audit log. */
export interface ApprovalAuditEntry {
  gate: string;
  decision: 'approve' | 'reject';
  by: string;
  at: string;
  approvalId?: string;
  comment?: string;
  reason?: string;
  overrides?: SensitivityOverride[];
  /** applied, or why it was not (duplicate id, gate already decided, unknown gate, gate disabled). */
  outcome: 'applied' | 'duplicate' | 'late' | 'unknown_gate' | 'gate_disabled';
}

/** Progress of the current stage. */
export interface Progress {
  done: number;
  total: number;
  unit: string;
}

/** Timing of one finished stage. */
export interface StageTiming {
  stage: Stage;
  startedAt: string;
  finishedAt: string;
  ms: number;
}

/**
 * Distance to closest record (mean Gower distance over the compared columns, 0..1) of a bounded
 * subsample of the synthetic rows to the sample, and the same for a holdout of real rows to the rest
 * of the sample as the reference; null where a figure is undefined (core/privacy/dcr-summary.ts).
 */
export interface DcrMetrics {
  median: number | null;
  p05: number | null;
  /** Share of synthetic rows equal to a sample row in every compared column. */
  zeroShare: number | null;
  holdoutMedian: number | null;
  holdoutP05: number | null;
  holdoutZeroShare: number | null;
  /** median / holdoutMedian: near 1, synthetic rows are as far from real rows as real rows are from each other. */
  medianRatio: number | null;
  syntheticRows: number;
  holdoutRows: number;
  columns: number;
}

/** One failed threshold of the privacy gate (never a data value: counts, shares and distances only). */
export interface PrivacyGateFailure {
  /** The threshold's name, as in `gates.privacy` (e.g. `maxLeaks`). */
  metric: string;
  /** What was measured; null when it could not be computed (which fails the threshold). */
  value: number | null;
  threshold: number;
}

/** The privacy gate's verdict on the evaluated run. */
export interface PrivacyGateVerdict {
  passed: boolean;
  failures: PrivacyGateFailure[];
}

/** Headline figures of a run. */
export interface HeadlineMetrics {
  sampleRows?: number;
  columns?: number;
  sensitiveColumns?: string[];
  syntheticRows?: number;
  qualityScore?: number;
  exactCopies?: number;
  /** Sensitive cells redrawn during generation because they equalled a sample value. */
  sensitiveRedraws?: number;
  /** Sensitive cells still equal to a sample value after every redraw (a privacy finding when not 0). */
  sensitiveSampleValues?: number;
  /** Distance to closest record, with the real-vs-real reference. */
  dcr?: DcrMetrics;
  /** SDMetrics NewRowSynthesis match rate of the evaluated subsample (non-sensitive columns, numbers within 1 %). */
  exactCopyRate?: number;
  /** Sensitive sample values the leak scan found in the evaluated subsample, and the rows it scanned. */
  leaks?: number;
  leakRowsScanned?: number;
  /** The privacy gate's verdict; the run waits at `approval:privacy` when it did not pass. */
  privacyGate?: PrivacyGateVerdict;
  loadedRows?: Record<string, number>;
  /** Per target (by label): rows loaded, skipped (committed by an earlier attempt) and failed, time, and its error if it failed. */
  targets?: Record<string, TargetReport>;
  /** The test stages: tests generated, their outcomes, and where they were reported. */
  tests?: TestsMetrics;
  /** Relational runs: rows and quality per table, and the set's referential integrity. */
  relational?: RelationalMetrics;
}

/** Headline figures of the test stages. */
export interface TestsMetrics {
  scenarios: number;
  generated: number;
  passed?: number;
  failed?: number;
  error?: number;
  skipped?: number;
  /** Jira comments written (or found from an earlier attempt) and Bugs filed or already open. */
  jiraComments?: number;
  bugs?: string[];
  /** Jira writes that failed (scenario, step, test, error; never data), at most 20 and a count of the rest. */
  jiraFailures?: string[];
  /** The run's Confluence page. */
  confluencePageUrl?: string;
}

/** What one target of the distribute stage came to. */
export interface TargetReport {
  loaded: number;
  /** Rows an earlier attempt had already committed (ledger, acknowledged batch, complete file). */
  skipped: number;
  /** Rows the target refused (REST and Salesforce per-record failures). */
  failed: number;
  durationMs?: number;
  /** Why the target failed (no data values); the other targets were still loaded. */
  error?: string;
}

/** One field of the sensitivity report, as shown in the approval request (no data values). */
export interface SensitivityFieldSummary {
  name: string;
  sensitive: boolean;
  type: string;
  confidence: number;
  reasons: string[];
  /** Who overrode the classifier's verdict at the sensitivity gate. */
  overriddenBy?: string;
}

/** A gate the run waits at, with what the approver needs to decide. */
export interface PendingApproval {
  gate: Gate;
  since: string;
  timeout?: string;
  /** At the sensitivity gate: every field's verdict, confidence and reasons (the full report is the `sensitivity` artifact). */
  sensitivity?: SensitivityFieldSummary[];
}

/** Answer of the `status` query. */
export interface PipelineStatus {
  runKey: string;
  stage: Stage;
  stagesDone: Stage[];
  progress?: Progress;
  pendingApproval?: PendingApproval;
  paused: boolean;
  artifacts: Record<string, string>;
  metrics: HeadlineMetrics;
  approvals: ApprovalAuditEntry[];
  /** How many times the run has continued as new. */
  continuedAsNew: number;
}

/** Query the run's status. */
export const statusQuery = defineQuery<PipelineStatus>('status');

/** What the workflow returns. */
export interface PipelineOutput {
  runKey: string;
  status: 'completed';
  artifacts: Record<string, string>;
  metrics: HeadlineMetrics;
  timings: StageTiming[];
  approvals: ApprovalAuditEntry[];
}

/**
 * The workflow input: the user's config, plus (only when the workflow continues as new) the state it
 * carries over. Users never write `carry`.
 */
export type PipelineInput = PipelineConfigInput & { carry?: PipelineCarry };

/** References to what earlier stages produced; only URIs, counts and checksums (never rows). */
export interface StageResults {
  sampleUri?: string;
  schema?: { name: string; type: string }[];
  sampleRows?: number;
  profileUri?: string;
  sensitivityUri?: string;
  approvedSensitivityUri?: string;
  sensitiveColumns?: string[];
  /** The classifier's verdict per field (see {@link SensitivityFieldSummary}). */
  sensitivityFields?: SensitivityFieldSummary[];
  modelUri?: string;
  /** The synthesizer that was fitted (`auto` resolved to the one it picked). */
  synthesizer?: string;
  /** Constraints and edge-case rules checked against the sample's columns, for the chunks. */
  generationUri?: string;
  partsPrefix?: string;
  chunksDone?: number;
  /** Rows the chunks resampled because they copied a real row, or to satisfy a constraint. */
  synthResampledCopies?: number;
  synthConstraintFixes?: number;
  /** Rows that received an edge case. */
  synthEdgeCaseRows?: number;
  /** Sensitive cells the chunks redrew for equalling a sample value, and those still equal to one. */
  synthSensitiveRedraws?: number;
  synthSensitiveSampleValues?: number;
  /** Exact copies found by the chunks so far, and the rows they checked. */
  synthExactCopies?: number;
  synthRowsChecked?: number;
  qualityUri?: string;
  qualityScore?: number;
  exactCopies?: number;
  /** Distance to closest record (absent when the sample was too small to hold rows out). */
  dcr?: DcrMetrics;
  /** The full DCR summary artifact. */
  dcrUri?: string;
  /** The full evaluation (SDMetrics-compatible quality, diagnostics, privacy, leak scan) as JSON and as a self-contained HTML report. */
  evaluationJsonUri?: string;
  evaluationHtmlUri?: string;
  exactCopyRate?: number;
  leaks?: number;
  leakRowsScanned?: number;
  privacyGate?: PrivacyGateVerdict;
  /** Per target index: parts fully loaded so far. */
  targetPartsDone?: number[];
  /** Per target index: rows the target reports after the load. */
  loadedRows?: Record<string, number>;
  targetOutputs?: string[];
  /** Per target label: what it came to (see {@link TargetReport}). */
  targetReports?: Record<string, TargetReport>;
  /** The generated tests: manifest (test cases, files, skip reasons) and counts. */
  testsManifestUri?: string;
  /** The test results (outcomes, durations, logs and screenshots) and their summary. */
  testResultsUri?: string;
  tests?: TestsMetrics;
  /** Relational runs only: every table's references and figures. */
  relational?: RelationalResults;
}

/** Where one synthetic table of a relational run is, and what it came to. */
export interface RelationalTableParts {
  partsPrefix: string;
  partCount: number;
  rows: number;
  /** Synthetic rows equal to a sample row on every data (non-key) column. */
  exactCopies: number;
  /** Sensitive cells still equal to an identifying sample value after every redraw (absent from manifests written before it was counted). */
  sensitiveSampleValues?: number;
  /** Sensitive cells redrawn because they equalled an identifying sample value (absent from manifests written before redraws). */
  sensitiveRedraws?: number;
}

/** What the stages of a relational run produced for one table. */
export interface RelationalTableResults {
  /** Path segment of the table's artifacts (`runs/<runKey>/tables/<segment>/…`). */
  segment: string;
  /** Columns the relational layer generates (keys), evaluated as identifiers. */
  keyColumns?: string[];
  sampleUri?: string;
  sampleRows?: number;
  schema?: { name: string; type: string }[];
  profileUri?: string;
  sensitivityUri?: string;
  approvedSensitivityUri?: string;
  sensitiveColumns?: string[];
  /** The table's fields as the sensitivity gate shows them (names without the table). */
  sensitivityFields?: SensitivityFieldSummary[];
  synthetic?: RelationalTableParts;
  qualityUri?: string;
  qualityScore?: number;
  evaluationHtmlUri?: string;
  exactCopyRate?: number;
  leaks?: number;
  privacyGate?: PrivacyGateVerdict;
}

/** References and figures of a relational run (several tables synthesized together). */
export interface RelationalResults {
  metadataUri: string;
  /** Tables, parents first. */
  order: string[];
  tables: Record<string, RelationalTableResults>;
  modelUri?: string;
  orphansDropped?: Record<string, number>;
  integrityUri?: string;
  referentialIntegrity?: number;
  duplicateKeys?: number;
  cardinalityScore?: number;
  /** Per target index: whether it is done (loaded, or failed and reported). */
  targetsDone?: boolean[];
}

/** Headline figures of a relational run, per table and for the set. */
export interface RelationalMetrics {
  tables: Record<string, { sampleRows?: number; syntheticRows?: number; qualityScore?: number }>;
  referentialIntegrity?: number;
  duplicateKeys?: number;
  cardinalityScore?: number;
}

/** State carried across continue-as-new. */
export interface PipelineCarry {
  runKey: string;
  results: StageResults;
  stagesDone: Stage[];
  timings: StageTiming[];
  approvals: ApprovalAuditEntry[];
  decided: Partial<Record<Gate, 'approved' | 'rejected'>>;
  pendingOverrides?: SensitivityOverride[];
  seenApprovalIds: string[];
  paused: boolean;
  continuedAsNew: number;
  stageStartedAt?: string;
}
