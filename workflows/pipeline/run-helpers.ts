/** Small pure helpers shared by the single-table and relational paths of `syntheticDataPipeline`. */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { PipelineConfig } from './config-schema.js';
import type { Gate, PipelineCarry, PipelineInput, Stage } from './contract.js';

/** What the relational stages need of the run that drives them (state, stages, gates, budget, pause). */
export interface RunControls {
  readonly carry: PipelineCarry;
  readonly state: { progress?: { done: number; total: number; unit: string } };
  runStage(stage: Stage, work: () => Promise<void>): Promise<void>;
  gate(gate: Gate, stage: Stage): Promise<void>;
  budget(rawConfig: PipelineInput): Promise<void>;
  whenRunning(): Promise<void>;
  appliedDecision(gate: Gate): { by: string; at: string; comment?: string } | undefined;
}

/** The value a previous stage must have produced; its absence is a bug, not a retryable failure. */
export function need<T>(value: T | undefined): T {
  if (value === undefined) {
    throw ApplicationFailure.create({ message: 'A previous stage produced no result', nonRetryable: true });
  }
  return value;
}

/** How a target is named in status and reports: its index and what it writes to. */
export function targetLabel(i: number, target: PipelineConfig['targets'][number]): string {
  switch (target.type) {
    case 'database':
      return `targets[${i}] ${target.table ?? ''}`.trimEnd();
    case 'file':
      return `targets[${i}] ${target.path ?? target.uri ?? ''}`;
    case 'rest':
      return `targets[${i}] ${target.name ?? target.url.split(/[?#]/)[0] ?? ''}`;
    case 'salesforce':
      return `targets[${i}] ${target.name}`;
  }
}

/**
 * The error message to report for a target that failed, so the other targets still load. Only an
 * activity's failure is the target's: cancellation, continue-as-new (thrown to unwind the run) and
 * workflow errors are thrown on, and so is every failure when the run stops at the first failing target.
 */
export function targetFailureMessage(err: unknown, stopOnTargetFailure: boolean): string {
  if (!(err instanceof ActivityFailure) || isCancellation(err) || stopOnTargetFailure) throw err;
  return failureMessage(err);
}

/** The message of a failed target's error (activity errors never carry data values). */
function failureMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: unknown } }).cause;
  const message = typeof cause?.message === 'string' ? cause.message : (err as Error).message;
  return String(message ?? 'failed').slice(0, 500);
}

/** The thresholds of `gates.privacy`, without the gate's own settings. */
export function privacyThresholdsOf(config: PipelineConfig) {
  const { maxExactCopyRate, maxLeaks, maxSensitiveSampleValues, minDcrMedianRatio } = config.gates.privacy;
  return { maxExactCopyRate, maxLeaks, maxSensitiveSampleValues, minDcrMedianRatio };
}
