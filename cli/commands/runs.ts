/** Client commands that start, follow, signal, query and list pipeline runs on a Temporal server. */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { describePrivacyFailure } from '../../core/report/run-report.js';
import { parsePipelineConfig } from '../../workflows/pipeline/config-schema.js';
import {
  DEFAULT_TASK_QUEUE,
  PIPELINE_WORKFLOW_TYPE,
  statusQuery,
  type ApproveSignal,
  type PipelineStatus,
  type RejectSignal,
  type SensitivityOverride,
} from '../../workflows/pipeline/contract.js';
import { withClient, type ClientOptions } from '../client.js';
import { followRun } from '../follow.js';

/** Thrown for wrong command-line input; main prints it and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads and validates a run config file, naming the field at fault. */
export async function readRunConfig(file: string): Promise<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: not a readable JSON file (${(err as Error).message})`);
  }
  const parsed = parsePipelineConfig(raw);
  if (!parsed.ok)
    throw new UsageError(
      `${file}: invalid run config: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    );
  return raw as Record<string, unknown>;
}

/** `understudy run CONFIG.json`: starts a run and (unless --no-follow) follows it to the end. */
export async function runCommand(
  file: string,
  opts: ClientOptions & { id?: string; taskQueue?: string; follow: boolean },
) {
  const config = await readRunConfig(file);
  const workflowId =
    opts.id ?? `understudy-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
  await withClient(opts, async (client) => {
    await client.workflow.start(PIPELINE_WORKFLOW_TYPE, {
      taskQueue: opts.taskQueue ?? process.env.UNDERSTUDY_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
      workflowId,
      args: [config],
    });
    console.log(`started ${workflowId}`);
    if (!opts.follow) return;
    const result = await followRun(client, workflowId, {
      address: opts.address ?? process.env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    });
    console.log(JSON.stringify(result.metrics, null, 2));
    for (const [k, v] of Object.entries(result.artifacts)) console.log(`${k}: ${v}`);
  });
}

/** `understudy status RUN_ID`. */
export async function statusCommand(id: string, opts: ClientOptions & { json?: boolean }) {
  await withClient(opts, async (client) => {
    const handle = client.workflow.getHandle(id);
    const [desc, status] = await Promise.all([
      handle.describe(),
      handle.query(statusQuery).catch(() => undefined),
    ]);
    if (opts.json) {
      console.log(JSON.stringify({ execution: desc.status.name, ...status }, null, 2));
      return;
    }
    console.log(`${id}: ${desc.status.name}`);
    if (!status) return;
    console.log(`stage: ${status.stage}${status.paused ? ' (paused)' : ''}`);
    if (status.progress)
      console.log(`progress: ${status.progress.done}/${status.progress.total} ${status.progress.unit}`);
    if (status.pendingApproval)
      console.log(
        `waiting for approval: ${status.pendingApproval.gate} since ${status.pendingApproval.since}`,
      );
    console.log(`done: ${status.stagesDone.join(', ') || '-'}`);
    console.log(`metrics: ${JSON.stringify(status.metrics)}`);
    for (const line of privacyStatusLines(status)) console.log(line);
  });
}

/** What `status` prints about privacy: the gate's failed thresholds, leaks, and where the evaluation report is. */
export function privacyStatusLines(status: Pick<PipelineStatus, 'metrics' | 'artifacts'>): string[] {
  const lines: string[] = [];
  const { privacyGate, leaks, leakRowsScanned } = status.metrics;
  if (privacyGate) {
    lines.push(`privacy gate: ${privacyGate.passed ? 'passed' : 'failed'}`);
    for (const f of privacyGate.failures) lines.push(`  ${describePrivacyFailure(f)}`);
  }
  if (leaks !== undefined)
    lines.push(`leak scan: ${leaks} leak(s) in ${leakRowsScanned ?? '?'} rows scanned`);
  if (status.artifacts.evaluationHtml) lines.push(`evaluation report: ${status.artifacts.evaluationHtml}`);
  if (status.artifacts.evaluationJson) lines.push(`evaluation JSON: ${status.artifacts.evaluationJson}`);
  return lines;
}

/** Parses `--override email=sensitive` / `notes=not-sensitive[:kind]` flags. */
export function parseOverrides(values: string[] = []): SensitivityOverride[] {
  return values.map((v) => {
    const m = /^([^=]+)=(sensitive|not-sensitive)(?::([a-z_]+))?$/.exec(v);
    if (!m?.[1])
      throw new UsageError(`--override "${v}": expected COLUMN=sensitive[:kind] or COLUMN=not-sensitive`);
    return { column: m[1], sensitive: m[2] === 'sensitive', ...(m[3] ? { kind: m[3] } : {}) };
  });
}

/** `understudy approve RUN_ID --gate G --by NAME`. */
export async function approveCommand(
  id: string,
  opts: ClientOptions & {
    gate: string;
    by: string;
    comment?: string;
    approvalId?: string;
    override?: string[];
  },
) {
  const signal: ApproveSignal = {
    gate: opts.gate as ApproveSignal['gate'],
    by: opts.by,
    approvalId: opts.approvalId ?? randomUUID(),
    ...(opts.comment ? { comment: opts.comment } : {}),
    ...(opts.override?.length ? { overrides: parseOverrides(opts.override) } : {}),
  };
  await withClient(opts, (client) => client.workflow.getHandle(id).signal('approve', signal));
  console.log(`approved gate "${opts.gate}" of ${id}`);
}

/** `understudy reject RUN_ID --gate G --by NAME --reason R`. */
export async function rejectCommand(
  id: string,
  opts: ClientOptions & { gate: string; by: string; reason: string },
) {
  const signal: RejectSignal = {
    gate: opts.gate as RejectSignal['gate'],
    by: opts.by,
    reason: opts.reason,
    approvalId: randomUUID(),
  };
  await withClient(opts, (client) => client.workflow.getHandle(id).signal('reject', signal));
  console.log(`rejected gate "${opts.gate}" of ${id}`);
}

/** `understudy pause|resume RUN_ID`. */
export async function simpleSignalCommand(id: string, name: 'pause' | 'resume', opts: ClientOptions) {
  await withClient(opts, (client) => client.workflow.getHandle(id).signal(name));
  console.log(`${name} sent to ${id}`);
}

/** `understudy cancel RUN_ID`. */
export async function cancelCommand(id: string, opts: ClientOptions) {
  await withClient(opts, (client) => client.workflow.getHandle(id).cancel());
  console.log(`cancel requested for ${id}`);
}

/** `understudy list`: recent pipeline runs. */
export async function listCommand(opts: ClientOptions & { limit: number }) {
  await withClient(opts, async (client) => {
    let n = 0;
    for await (const wf of client.workflow.list({ query: `WorkflowType = '${PIPELINE_WORKFLOW_TYPE}'` })) {
      console.log(`${wf.workflowId}\t${wf.status.name}\t${wf.startTime.toISOString()}`);
      if (++n >= opts.limit) break;
    }
    if (n === 0) console.log('no runs');
  });
}
