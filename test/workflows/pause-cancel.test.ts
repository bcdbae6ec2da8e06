import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineOutput } from '../../workflows/pipeline/contract.js';
import {
  countRows,
  openDb,
  failureOf,
  historyEvents,
  smallConfig,
  startPipeline,
  useTestWorker,
  waitForStatus,
} from '../support/temporal.js';

describe('pause, resume and cancel', () => {
  const t = useTestWorker();

  it('starts no chunk while paused, then completes after resume', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({ rows: 30_000, chunkSize: 500, parallelism: 1 }),
    );
    await waitForStatus(handle, (s) => s.stage === 'synthesize' && (s.progress?.done ?? 0) >= 1);
    await handle.signal('pause');
    const paused = await waitForStatus(handle, (s) => s.paused);
    expect(paused.progress!.done).toBeLessThan(60);
    await new Promise((r) => setTimeout(r, 2500));
    const still = await waitForStatus(handle, (s) => s.paused);
    await new Promise((r) => setTimeout(r, 1000));
    const later = await waitForStatus(handle, (s) => s.paused);
    expect(later.progress!.done).toBe(still.progress!.done);
    await handle.signal('resume');
    const result = (await handle.result()) as PipelineOutput;
    expect(result.metrics.syntheticRows).toBe(30_000);

    // From the history: no synthesizeChunk was scheduled between the pause and the resume signals.
    const events = await historyEvents(handle);
    const pauseAt = events.findIndex(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'pause',
    );
    const resumeAt = events.findIndex(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'resume',
    );
    expect(pauseAt).toBeGreaterThan(0);
    expect(resumeAt).toBeGreaterThan(pauseAt);
    const scheduledWhilePaused = events
      .slice(pauseAt, resumeAt)
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'synthesizeChunk');
    expect(scheduledWhilePaused).toEqual([]);
  });

  it('cancel mid-load ends the run cancelled with only whole batches in the target', async () => {
    const sqlitePath = path.join(t.worker.workDir, 'cancel.db');
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 40_000,
        chunkSize: 2000,
        targets: [
          {
            type: 'database',
            url: `sqlite:${sqlitePath}`,
            table: 'customers',
            strategy: 'append',
            batchSize: 100,
          },
        ],
      }),
    );
    await waitForStatus(handle, (s) => s.stage === 'distribute' && (s.progress?.done ?? 0) >= 1);
    await handle.cancel();
    const failure = await failureOf(handle);
    expect(failure.chain.join(' ')).toMatch(/Cancel/);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    const db = openDb(sqlitePath);
    try {
      const { rows, distinct } = await countRows(db, 'customers', 'customer_id');
      const ledger = (await db('understudy_load_ledger').sum({ rows: 'row_count' })) as { rows: number }[];
      expect(rows).toBe(Number(ledger[0]?.rows ?? 0));
      expect(rows % 100).toBe(0);
      expect(rows).toBeLessThan(40_000);
      expect(distinct).toBe(rows);
    } finally {
      await db.destroy();
    }
  });
});
