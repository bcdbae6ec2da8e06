/**
 * Records the histories replayed by test/replay/replay.test.ts: a happy path and an approval + pause
 * path. Run after an intended workflow change that is NOT behind patched() only, and commit the files:
 *   npx tsx test/replay/record-histories.ts
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findTemporalCli } from '../../workers/dev-server.js';
import { startLocalStack } from '../../workers/local-stack.js';
import {
  PIPELINE_WORKFLOW_TYPE,
  statusQuery,
  type PipelineInput,
  type PipelineStatus,
} from '../../workflows/pipeline/contract.js';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'test/replay/histories');
const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-record-'));
const stack = await startLocalStack({ workDir: work, baseDir: root, taskQueue: 'record-histories' });
const { client, taskQueue } = stack;

const base: PipelineInput = {
  source: { uri: 'examples/customers.csv' },
  rows: 3000,
  seed: 5,
  chunkSize: 500,
  maxChunksPerRun: 50,
  gates: { sensitivity: { enabled: false }, quality: { enabled: false } },
  targets: [
    {
      type: 'database',
      url: `sqlite:${path.join(work, 'target.db')}`,
      table: 'customers',
      strategy: 'truncate_insert',
      batchSize: 500,
    },
    { type: 'file', path: 'customers.csv' },
  ],
};

async function record(name: string, input: PipelineInput, drive?: (id: string) => Promise<void>) {
  const handle = await client.workflow.start(PIPELINE_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: name,
    args: [input],
  });
  await drive?.(handle.workflowId);
  await handle.result();
  // The Temporal CLI's JSON is the format the UI downloads and Worker.runReplayHistories reads.
  const shown = spawnSync(
    findTemporalCli() ?? 'temporal',
    ['workflow', 'show', '--address', stack.address, '--workflow-id', name, '--output', 'json'],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
  const history = JSON.parse(shown.stdout) as { events: unknown[] };
  await writeFile(path.join(outDir, `${name}.json`), JSON.stringify(history, null, 1) + '\n');
  console.log(`recorded ${name}: ${history.events.length} events`);
}

try {
  await record('happy-path', base);
  await record(
    'approval-pause',
    {
      ...base,
      parallelism: 1,
      gates: { sensitivity: { enabled: true }, quality: { enabled: true, threshold: 1 } },
    },
    async (id) => {
      const h = client.workflow.getHandle(id);
      const until = async (pred: (s: PipelineStatus) => boolean) => {
        for (;;) {
          const s = await h.query(statusQuery).catch(() => undefined);
          if (s && pred(s)) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await h.signal('approve', { gate: 'sensitivity', by: 'early-bird', approvalId: 'early' });
      await until((s) => s.stage === 'synthesize');
      await h.signal('pause');
      await until((s) => s.paused);
      await new Promise((r) => setTimeout(r, 500));
      await h.signal('resume');
      await until((s) => s.pendingApproval?.gate === 'quality');
      await h.signal('approve', {
        gate: 'quality',
        by: 'reviewer',
        approvalId: 'q',
        comment: 'fine for tests',
      });
      await h.signal('approve', { gate: 'quality', by: 'reviewer', approvalId: 'q' });
    },
  );
} finally {
  await stack.stop();
}
