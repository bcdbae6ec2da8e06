import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { PipelineOutput } from '../../workflows/pipeline/contract.js';
import { connectTestEnv, smallConfig, startPipeline, startTestWorker } from '../support/temporal.js';

describe('history stays bounded', () => {
  it(
    '1,000,000 rows in 10,000-row chunks: every run of the chain has a history under 1 MB',
    { timeout: 600_000 },
    async () => {
      const env = await connectTestEnv();
      const worker = await startTestWorker();
      try {
        const handle = await startPipeline(
          env.client,
          worker.taskQueue,
          smallConfig({ rows: 1_000_000, chunkSize: 10_000, maxChunksPerRun: 25, parallelism: 2 }),
        );
        const out = (await handle.result()) as PipelineOutput;
        expect(out.metrics.syntheticRows).toBe(1_000_000);

        // Walk the continue-as-new chain from the first run.
        const sizes: number[] = [];
        let runId: string | undefined = handle.firstExecutionRunId;
        while (runId) {
          const run: WorkflowHandle = env.client.workflow.getHandle(handle.workflowId, runId);
          const history = await run.fetchHistory();
          sizes.push(JSON.stringify(history).length);
          const last = history.events?.at(-1);
          runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
        }
        expect(sizes.length).toBeGreaterThanOrEqual(4);
        for (const size of sizes) expect(size).toBeLessThan(1_000_000);
      } finally {
        await worker.stop();
        await env.teardown();
      }
    },
  );
});
