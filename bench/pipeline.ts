/**
 * Pipeline benchmark: N rows (default 1,000,000) of the demo customers table through the whole pipeline
 * on a local dev server, with an in-process worker: wall time per stage, synthetic rows/s, peak RSS,
 * and the pipeline overhead (workflow wall time minus the time any activity was running).
 *   npx tsx bench/pipeline.ts [--rows 1000000] [--chunk 100000] [--parallelism 2] [--synthesizer copula|cart|auto]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { startLocalStack } from '../workers/local-stack.js';
import {
  PIPELINE_WORKFLOW_TYPE,
  type PipelineInput,
  type PipelineOutput,
} from '../workflows/pipeline/contract.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    chunk: { type: 'string', default: '100000' },
    parallelism: { type: 'string', default: '2' },
    synthesizer: { type: 'string', default: 'copula' },
  },
});
const rows = Number(values.rows);
const root = path.resolve(import.meta.dirname, '..');
const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-bench-'));
const stack = await startLocalStack({
  workDir: work,
  baseDir: root,
  taskQueue: 'bench',
  maxConcurrentActivities: Number(values.parallelism) + 1,
});
const { client, taskQueue } = stack;

const input: PipelineInput = {
  source: { uri: 'examples/customers.csv' },
  rows,
  seed: 42,
  chunkSize: Number(values.chunk),
  parallelism: Number(values.parallelism),
  synthesizer: values.synthesizer as 'copula' | 'cart' | 'auto',
  gates: { sensitivity: { enabled: false }, quality: { enabled: false }, privacy: { enabled: false } },
  targets: [
    {
      type: 'database',
      url: `sqlite:${path.join(work, 'bench.db')}`,
      table: 'customers',
      strategy: 'truncate_insert',
      batchSize: 20_000,
    },
    { type: 'file', path: 'customers.parquet' },
  ],
};

try {
  const t0 = Date.now();
  const handle = await client.workflow.start(PIPELINE_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: `bench-${Date.now()}`,
    args: [input],
  });
  const out = (await handle.result()) as PipelineOutput;
  const wall = (Date.now() - t0) / 1000;

  // Busy time = union of [started, completed] of every activity across the continue-as-new chain.
  const intervals: [number, number][] = [];
  const perActivity = new Map<string, number[]>();
  let runId: string | undefined = handle.firstExecutionRunId;
  let workflowSpan = 0;
  while (runId) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await client.workflow
      .getHandle(handle.workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    type HistoryEvent = (typeof events)[number];
    const ms = (e: HistoryEvent): number =>
      Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
    const started = new Map<string, number>();
    const typeOf = new Map<string, string>();
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
      if (e.activityTaskStartedEventAttributes)
        started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), ms(e));
      const done = e.activityTaskCompletedEventAttributes;
      if (!done) continue;
      const span: [number, number] = [started.get(String(done.scheduledEventId)) ?? ms(e), ms(e)];
      intervals.push(span);
      const type = typeOf.get(String(done.scheduledEventId)) ?? '?';
      perActivity.set(type, [...(perActivity.get(type) ?? []), span[1] - span[0]]);
    }
    workflowSpan += ms(events.at(-1)!) - ms(events[0]!);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let end = -Infinity;
  for (const [s, e] of intervals) {
    if (s > end) {
      busy += e - s;
      end = e;
    } else if (e > end) {
      busy += e - end;
      end = e;
    }
  }
  const synth = out.timings.find((t) => t.stage === 'synthesize');
  console.log(
    `rows: ${rows}, chunk: ${values.chunk}, parallelism: ${values.parallelism}, CPUs: ${os.cpus().length} × ${os.cpus()[0]?.model}`,
  );
  console.log(`wall (client): ${wall.toFixed(2)} s; workflow span: ${(workflowSpan / 1000).toFixed(2)} s`);
  console.log('| stage | seconds |\n| --- | ---: |');
  for (const t of out.timings) console.log(`| ${t.stage} | ${(t.ms / 1000).toFixed(2)} |`);
  console.log('| activity | count | mean s | max s |\n| --- | ---: | ---: | ---: |');
  for (const [type, durations] of perActivity) {
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length / 1000;
    console.log(
      `| ${type} | ${durations.length} | ${mean.toFixed(2)} | ${(Math.max(...durations) / 1000).toFixed(2)} |`,
    );
  }
  if (synth)
    console.log(`synthesize: ${Math.round(rows / (synth.ms / 1000)).toLocaleString('en-US')} rows/s`);
  console.log(
    `pipeline overhead (workflow span − activity busy time): ${((workflowSpan - busy) / 1000).toFixed(2)} s`,
  );
  console.log(`peak RSS (worker process): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(
    `quality score: ${out.metrics.qualityScore?.toFixed(4)}; loaded: ${JSON.stringify(out.metrics.loadedRows)}`,
  );
} finally {
  await stack.stop();
  await rm(work, { recursive: true, force: true });
}
