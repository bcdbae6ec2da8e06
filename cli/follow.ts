/**
 * Following a run from the terminal: a progress bar for chunked stages, one line per stage change,
 * and the exact `temporal workflow signal` command when the run waits at a gate.
 */
import cliProgress from 'cli-progress';
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  statusQuery,
  type PipelineOutput,
  type PipelineStatus,
  type SensitivityFieldSummary,
} from '../workflows/pipeline/contract.js';

/** What to do when the run reaches a gate; return true once handled so it is not called again. */
export type GateHandler = (status: PipelineStatus, handle: WorkflowHandle) => Promise<void>;

/** The shell command that approves a gate, as printed for humans. */
export function approveCommand(workflowId: string, gate: string, address: string): string {
  const input = JSON.stringify({ gate, by: process.env.USER ?? 'me', approvalId: `${gate}-1` });
  return `temporal workflow signal --address ${address} --workflow-id ${workflowId} --name approve --input '${input}'`;
}

/**
 * The sensitivity report as the approver sees it at the gate: one line per field with the verdict,
 * type, confidence and first reason, sensitive fields first.
 */
export function formatSensitivityRequest(fields: readonly SensitivityFieldSummary[]): string {
  const sorted = [...fields].sort(
    (a, b) => Number(b.sensitive) - Number(a.sensitive) || b.confidence - a.confidence,
  );
  const width = Math.min(32, Math.max(6, ...sorted.map((f) => f.name.length)));
  const lines = sorted.map((f) => {
    const verdict = f.sensitive ? 'SENSITIVE' : 'ok       ';
    const override = f.overriddenBy ? ` (overridden by ${f.overriddenBy})` : '';
    return `    ${f.name.padEnd(width)}  ${verdict}  ${f.type.padEnd(14)} ${f.confidence.toFixed(2)}  ${f.reasons[0] ?? ''}${override}`;
  });
  const sensitive = fields.filter((f) => f.sensitive).length;
  return `  sensitivity report: ${sensitive} of ${fields.length} fields sensitive\n${lines.join('\n')}\n`;
}

/** Polls the run's status until it ends, drawing progress; returns the workflow result. */
export async function followRun(
  client: Client,
  workflowId: string,
  opts: { address: string; onGate?: GateHandler; pollMs?: number; out?: NodeJS.WriteStream },
): Promise<PipelineOutput> {
  const out = opts.out ?? process.stderr;
  const handle = client.workflow.getHandle(workflowId);
  const result = handle.result() as Promise<PipelineOutput>;
  let finished = false;
  result.then(
    () => (finished = true),
    () => (finished = true),
  );
  let lastStage = '';
  let bar: cliProgress.SingleBar | undefined;
  const gatesSeen = new Set<string>();
  const announced = new Set<string>();
  while (!finished) {
    let status: PipelineStatus | undefined;
    try {
      status = await handle.query(statusQuery);
    } catch {
      // The run may be between continue-as-new executions, or just finished: try again.
    }
    if (status) {
      if (status.stage !== lastStage) {
        bar?.stop();
        bar = undefined;
        // Quick stages can start and finish between two polls: name every stage once, in order.
        for (const done of status.stagesDone) {
          if (!announced.has(done)) out.write(`• ${done}\n`);
          announced.add(done);
        }
        lastStage = status.stage;
        if (!announced.has(status.stage)) out.write(`• ${status.stage}${status.paused ? ' (paused)' : ''}\n`);
        announced.add(status.stage);
      }
      if (status.progress && status.progress.total > 1) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: `  {bar} {value}/{total} ${status.progress.unit} | ETA {eta_formatted}`,
              stream: out,
              noTTYOutput: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(status.progress.total, status.progress.done);
        }
        bar.update(status.progress.done);
      }
      const gate = status.pendingApproval?.gate;
      if (gate && !gatesSeen.has(gate)) {
        gatesSeen.add(gate);
        const fields = status.pendingApproval?.sensitivity;
        if (fields) out.write(formatSensitivityRequest(fields));
        out.write(
          `  waiting for approval of gate "${gate}". Approve with:\n    ${approveCommand(workflowId, gate, opts.address)}\n`,
        );
        if (opts.onGate) await opts.onGate(status, handle);
      }
    }
    await Promise.race([
      result.catch(() => undefined),
      new Promise((r) => setTimeout(r, opts.pollMs ?? 500)),
    ]);
  }
  bar?.stop();
  return result;
}
