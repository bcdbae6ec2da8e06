import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PipelineInput, PipelineOutput } from '../../workflows/pipeline/contract.js';
import { crashWorkerEnv, kill, spawnWorker } from '../support/worker-child.js';
import {
  connectTestEnv,
  countRows,
  openDb,
  smallConfig,
  startPipeline,
  startTestWorker,
  waitForStatus,
} from '../support/temporal.js';

async function partHashes(partsUri: string): Promise<string[]> {
  const dir = partsUri.replace(/^file:\/\//, '');
  const files = (await readdir(dir)).filter((f) => /^part-\d{6}\.parquet$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) =>
      createHash('sha256')
        .update(await readFile(path.join(dir, f)))
        .digest('hex'),
    ),
  );
}

describe('a worker killed mid-run', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await connectTestEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it(
    'is replaced and the run completes with the same bytes and exact, duplicate-free target rows',
    { timeout: 300_000 },
    async () => {
      const workDir = await mkdtemp(path.join(os.tmpdir(), 'understudy-crash-'));
      const sqlitePath = path.join(workDir, 'crash.db');
      const config = (db: string): PipelineInput =>
        smallConfig({
          rows: 60_000,
          chunkSize: 2000,
          parallelism: 1,
          seed: 1234,
          targets: [
            {
              type: 'database',
              url: `sqlite:${db}`,
              table: 'customers',
              strategy: 'truncate_insert',
              batchSize: 250,
            },
          ],
        });

      // The reference: the same config and seed on an in-process worker that nobody kills.
      const reference = await startTestWorker();
      let expected: string[];
      try {
        const out = (await (
          await startPipeline(env.client, reference.taskQueue, config(path.join(workDir, 'ref.db')))
        ).result()) as PipelineOutput;
        expected = await partHashes(out.artifacts.partsPrefix!);
      } finally {
        await reference.stop();
      }

      const workerEnv = crashWorkerEnv(workDir, 'crash');
      const taskQueue = workerEnv.UNDERSTUDY_TASK_QUEUE;
      let child = spawnWorker(workerEnv);
      const handle = await startPipeline(env.client, taskQueue, config(sqlitePath));
      try {
        // Kill mid-synthesis (or, on a very fast machine, just after it: the run must survive either way).
        await waitForStatus(
          handle,
          (s) =>
            (s.stage === 'synthesize' && (s.progress?.done ?? 0) >= 4) || s.stagesDone.includes('synthesize'),
          120_000,
        );
        await kill(child);
        child = spawnWorker(workerEnv);
        await waitForStatus(
          handle,
          (s) =>
            (s.stage === 'distribute' && (s.progress?.done ?? 0) >= 3) || s.stagesDone.includes('distribute'),
          180_000,
        );
        await kill(child);
        child = spawnWorker(workerEnv);
        const out = (await handle.result()) as PipelineOutput;
        expect(await partHashes(out.artifacts.partsPrefix!)).toEqual(expected);
        const db = openDb(sqlitePath);
        try {
          expect(await countRows(db, 'customers', 'customer_id')).toEqual({ rows: 60_000, distinct: 60_000 });
        } finally {
          await db.destroy();
        }
      } finally {
        await kill(child);
      }
    },
  );
});
