/**
 * The privacy gate on a real dev server (workers without a workflow cache, so every task replays the
 * history, the `privacy-gate` patch marker included): a failing threshold stops the run at
 * `approval:privacy` with the failed checks in status; approve loads, reject loads nothing; a run
 * whose thresholds all pass never stops there.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineInput, PipelineOutput } from '../../workflows/pipeline/contract.js';
import {
  countRows,
  failureOf,
  historyEvents,
  openDb,
  smallConfig,
  startPipeline,
  useTestWorker,
  waitForStatus,
} from '../support/temporal.js';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
const filePath = (uri: string) => uri.replace(/^file:\/\//, '');

/** `privacy-gate` patch markers in a run's history. */
async function patchMarkers(handle: Parameters<typeof historyEvents>[0]): Promise<number> {
  const events = await historyEvents(handle);
  return events.filter((e) => {
    const marker = e.markerRecordedEventAttributes;
    const data = marker?.details?.['patch-data']?.payloads?.[0]?.data;
    if (marker?.markerName !== 'core_patch' || data == null) return false;
    const text =
      typeof data === 'string' ? Buffer.from(data, 'base64').toString() : Buffer.from(data).toString();
    return JSON.parse(text).id === 'privacy-gate';
  }).length;
}

describe('privacy gate', () => {
  const t = useTestWorker({ maxCachedWorkflows: 0 });

  /** A run whose DCR threshold cannot pass (synthetic rows are never 100× farther from the sample than real rows). */
  function failingRun(name: string): { config: PipelineInput; sqlite: string; file: string } {
    const sqlite = path.join(t.worker.workDir, `${name}.db`);
    return {
      sqlite,
      file: path.join(t.worker.outputRoot, `${name}/customers.csv`),
      config: smallConfig({
        rows: 600,
        chunkSize: 300,
        gates: {
          sensitivity: { enabled: false },
          quality: { enabled: false },
          privacy: { minDcrMedianRatio: 100 },
        },
        targets: [
          {
            type: 'database',
            url: `sqlite:${sqlite}`,
            table: 'customers',
            strategy: 'truncate_insert',
            batchSize: 200,
          },
          { type: 'file', path: `${name}/customers.csv` },
        ],
      }),
    };
  }

  it('waits at the privacy gate when a threshold fails, shows the failed checks, and loads after approval', async () => {
    const run = failingRun('approved');
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, run.config);
    const status = await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'privacy');
    expect(status.stage).toBe('approval:privacy');
    expect(status.stagesDone).toContain('evaluate');
    expect(status.stagesDone).not.toContain('distribute');
    expect(status.metrics.privacyGate?.passed).toBe(false);
    expect(status.metrics.privacyGate?.failures).toEqual([
      { metric: 'minDcrMedianRatio', value: status.metrics.dcr?.medianRatio, threshold: 100 },
    ]);
    expect(status.metrics.leakRowsScanned).toBe(600);
    expect(status.metrics.leaks).toBe(0);
    expect(await exists(filePath(status.artifacts.evaluationHtml as string))).toBe(true);
    const evaluation = JSON.parse(
      await readFile(filePath(status.artifacts.evaluationJson as string), 'utf8'),
    );
    expect(evaluation.gates.at(-1)).toMatchObject({ gate: 'privacy', passed: false });
    // Nothing is loaded while the gate waits.
    expect(await exists(run.sqlite)).toBe(false);
    expect(await exists(run.file)).toBe(false);

    await handle.signal('approve', {
      gate: 'privacy',
      by: 'priya',
      comment: 'DCR threshold was a test',
      approvalId: 'p1',
    });
    const result = (await handle.result()) as PipelineOutput;
    expect(result.approvals).toEqual([
      expect.objectContaining({ gate: 'privacy', decision: 'approve', by: 'priya', outcome: 'applied' }),
    ]);
    expect(result.timings.map((x) => x.stage)).toContain('approval:privacy');
    expect(Object.values(result.metrics.loadedRows ?? {})).toEqual([600, 600]);
    const db = openDb(run.sqlite);
    try {
      expect(await countRows(db, 'customers')).toMatchObject({ rows: 600 });
    } finally {
      await db.destroy();
    }
    const report = await readFile(filePath(result.artifacts.reportMarkdown as string), 'utf8');
    expect(report).toContain('Privacy gate: blocked (minDcrMedianRatio: measured');
    expect(report).toContain('| privacy | approve | priya |');
    expect(report).toContain('evaluation.html');
    // The new path is recorded behind the `privacy-gate` patch, so older histories replay unchanged.
    expect(await patchMarkers(handle)).toBe(1);
  });

  it('loads nothing when the privacy gate is rejected', async () => {
    const run = failingRun('rejected');
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, run.config);
    await waitForStatus(handle, (s) => s.pendingApproval?.gate === 'privacy');
    await handle.signal('reject', {
      gate: 'privacy',
      by: 'rita',
      reason: 'synthetic rows too close to real ones',
    });
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ApprovalRejected');
    expect(failure.message).toContain('"privacy"');
    expect(failure.message).toContain('rita');
    expect(await exists(run.sqlite)).toBe(false);
    expect(await exists(run.file)).toBe(false);
  });

  it('does not stop at the privacy gate when every threshold passes', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 600,
        chunkSize: 300,
        gates: { sensitivity: { enabled: false }, quality: { enabled: false } },
      }),
    );
    const result = (await handle.result()) as PipelineOutput;
    expect(result.metrics.privacyGate).toEqual({ passed: true, failures: [] });
    expect(result.timings.map((x) => x.stage)).not.toContain('approval:privacy');
    expect(result.approvals).toEqual([]);
    expect(result.artifacts.evaluationHtml).toMatch(/evaluation\.html$/);
    expect(await patchMarkers(handle)).toBe(0);
  });
});
