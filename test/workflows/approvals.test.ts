import { describe, expect, it } from 'vitest';
import { PIPELINE_WORKFLOW_TYPE, type PipelineOutput } from '../../workflows/pipeline/contract.js';
import { failureOf, smallConfig, startPipeline, useTestWorker, waitForStatus } from '../support/temporal.js';

const gated = (timeout?: string) =>
  smallConfig({
    rows: 500,
    chunkSize: 500,
    gates: { sensitivity: { enabled: true, ...(timeout ? { timeout } : {}) }, quality: { enabled: false } },
  });

describe('approval gates', () => {
  const t = useTestWorker();

  it('waits at the sensitivity gate, shows it in status, and records the approval', async () => {
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, gated());
    const status = await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'sensitivity');
    expect(status.stage).toBe('approval:sensitivity');
    expect(status.stagesDone).toEqual(['ingest', 'profile', 'classify']);
    // The approval request carries the sensitivity report: every field with verdict, type, confidence, reasons.
    const fields = status.pendingApproval?.sensitivity ?? [];
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['email', 'ssn', 'segment']));
    const email = fields.find((f) => f.name === 'email');
    expect(email).toMatchObject({ sensitive: true, type: 'email' });
    expect(email?.confidence).toBeGreaterThan(0.7);
    expect(email?.reasons.length).toBeGreaterThan(0);
    expect(fields.find((f) => f.name === 'segment')?.sensitive).toBe(false);
    await handle.signal('approve', {
      gate: 'sensitivity',
      by: 'alice',
      comment: 'looks right',
      approvalId: 'a1',
    });
    const result = (await handle.result()) as PipelineOutput;
    const applied = result.approvals.filter((a) => a.outcome === 'applied');
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({
      gate: 'sensitivity',
      by: 'alice',
      decision: 'approve',
      approvalId: 'a1',
    });
    expect(Date.parse(applied[0]!.at)).not.toBeNaN();
  });

  it('applies an approval that arrives before the gate, once; duplicates and late ones are audited, not applied', async () => {
    const handle = await t.env.client.workflow.signalWithStart(PIPELINE_WORKFLOW_TYPE, {
      taskQueue: t.worker.taskQueue,
      workflowId: `early-${Date.now()}`,
      args: [gated()],
      signal: 'approve',
      signalArgs: [{ gate: 'sensitivity', by: 'bob', approvalId: 'early-1' }],
    });
    await handle.signal('approve', { gate: 'sensitivity', by: 'bob', approvalId: 'early-1' });
    await handle.signal('approve', { gate: 'sensitivity', by: 'carol', approvalId: 'other' });
    await handle.signal('approve', { gate: 'no-such-gate', by: 'mallory', approvalId: 'x' });
    const result = (await handle.result()) as PipelineOutput;
    const outcomes = result.approvals.map((a) => `${a.by}:${a.outcome}`);
    expect(outcomes).toEqual(['bob:applied', 'bob:duplicate', 'carol:late', 'mallory:unknown_gate']);
  });

  it('applies overrides carried by the approval', async () => {
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, gated());
    await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'sensitivity');
    await handle.signal('approve', {
      gate: 'sensitivity',
      by: 'dana',
      approvalId: 'ov',
      overrides: [
        { column: 'segment', sensitive: true, kind: 'free_text' },
        { column: 'email', sensitive: false },
      ],
    });
    const result = (await handle.result()) as PipelineOutput;
    expect(result.metrics.sensitiveColumns).toContain('segment');
    expect(result.metrics.sensitiveColumns).not.toContain('email');
    expect(result.artifacts.approvedSensitivity).toMatch(/sensitivity-approved\.json$/);
  });

  it('ends with a typed ApprovalRejected failure on reject', async () => {
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, gated());
    await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'sensitivity');
    await handle.signal('reject', { gate: 'sensitivity', by: 'erin', reason: 'notes column holds PII' });
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ApprovalRejected');
    expect(failure.message).toContain('erin');
    const desc = await handle.describe();
    expect(desc.status.name).toBe('FAILED');
  });

  it('fails with ApprovalTimeout when nobody decides in time', async () => {
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, gated('2s'));
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ApprovalTimeout');
  });

  it('does not wait when the gate is disabled', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({ rows: 300, chunkSize: 300 }),
    );
    const result = (await handle.result()) as PipelineOutput;
    expect(result.approvals).toEqual([]);
    expect(result.metrics.syntheticRows).toBe(300);
  });

  it('waits at the quality gate when the score is below the threshold', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 300,
        chunkSize: 300,
        gates: { sensitivity: { enabled: false }, quality: { enabled: true, threshold: 1 } },
      }),
    );
    const status = await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'quality');
    expect(status.metrics.qualityScore).toBeLessThan(1);
    await handle.signal('approve', { gate: 'quality', by: 'frank', approvalId: 'q1' });
    const result = (await handle.result()) as PipelineOutput;
    expect(result.approvals.map((a) => a.outcome)).toEqual(['applied']);
  });
});
