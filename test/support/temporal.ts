/** Workflow-test helpers: the shared dev server, a worker per test on its own task queue. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createUnderstudyWorker } from '../../workers/create-worker.js';
import { installWorkerLogger } from '../../workers/logging.js';
import {
  PIPELINE_WORKFLOW_TYPE,
  statusQuery,
  type PipelineInput,
  type PipelineStatus,
} from '../../workflows/pipeline/contract.js';

// Test output stays readable: the SDK's per-worker state lines are INFO.
installWorkerLogger('WARN');

/** Repository root: sample data and fixtures are resolved against it. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A connected test environment on the shared dev server. */
export function connectTestEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

/** A running in-process worker and the directories it writes to. */
export interface TestWorker {
  taskQueue: string;
  workDir: string;
  artifactRoot: string;
  outputRoot: string;
  worker: Worker;
  stop(): Promise<void>;
}

/** Starts an in-process worker on a fresh task queue with its own artifact and output directories. */
export async function startTestWorker(
  opts: { maxCachedWorkflows?: number; workDir?: string; taskQueue?: string } = {},
): Promise<TestWorker> {
  const workDir = opts.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'understudy-wf-')));
  const artifactRoot = path.join(workDir, 'artifacts');
  const outputRoot = path.join(workDir, 'output');
  const taskQueue = opts.taskQueue ?? `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createUnderstudyWorker({
    config: {
      temporalAddress: inject('temporalAddress'),
      namespace: 'default',
      taskQueue,
      artifactRoot,
      baseDir: repoRoot,
      outputRoot,
      connections: { pg: inject('postgresUrl') },
      maxConcurrentActivities: 4,
    },
    connection,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    maxCachedWorkflows: opts.maxCachedWorkflows,
  });
  const running = worker.run();
  return {
    taskQueue,
    workDir,
    artifactRoot,
    outputRoot,
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Starts a pipeline run on a task queue. */
export function startPipeline(
  client: Client,
  taskQueue: string,
  input: PipelineInput,
  workflowId = `wf-${randomUUID()}`,
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return client.workflow.start(PIPELINE_WORKFLOW_TYPE, { taskQueue, workflowId, args: [input] });
}

/** Polls the status query until `predicate` holds (or fails after `timeoutMs`). */
export async function waitForStatus(
  handle: WorkflowHandle,
  predicate: (s: PipelineStatus) => boolean,
  timeoutMs = 60_000,
): Promise<PipelineStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: PipelineStatus | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(statusQuery);
      if (predicate(last)) return last;
    } catch {
      // between continue-as-new runs
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`status condition not met in ${timeoutMs} ms; last status: ${JSON.stringify(last)}`);
}

/** A small demo-like config: the bundled customers sample, gates off unless the test turns them on. */
export function smallConfig(overrides: Partial<PipelineInput> = {}): PipelineInput {
  return {
    source: { uri: 'examples/customers.csv' },
    rows: 3000,
    seed: 7,
    chunkSize: 1000,
    // The privacy gate has its own test (test/workflows/privacy-gate.test.ts); chance leak-scan hits on
    // small demo runs would otherwise make unrelated tests wait for an approval.
    gates: { sensitivity: { enabled: false }, quality: { enabled: false }, privacy: { enabled: false } },
    targets: [],
    ...overrides,
  };
}

/** The innermost failure of a failed run: its type, message and whether it was retryable. */
export async function failureOf(
  handle: WorkflowHandle,
): Promise<{ type?: string; message: string; nonRetryable?: boolean; chain: string[] }> {
  try {
    await handle.result();
  } catch (err) {
    const chain: string[] = [];
    let e: unknown = err;
    let last: { type?: string; message: string; nonRetryable?: boolean } = { message: String(err) };
    while (e && typeof e === 'object') {
      const f = e as {
        name?: string;
        message?: string;
        type?: string;
        nonRetryable?: boolean;
        cause?: unknown;
      };
      chain.push(`${f.name}:${f.type ?? ''}:${f.message ?? ''}`);
      last = { type: f.type ?? undefined, message: f.message ?? '', nonRetryable: f.nonRetryable };
      e = f.cause;
    }
    return { ...last, chain };
  }
  throw new Error('the run completed but was expected to fail');
}

/** The events of a run's history: all runs of its continue-as-new chain, oldest first. */
export async function historyEvents(handle: WorkflowHandle) {
  const client = handle.client;
  const desc = await handle.describe();
  let runId: string | undefined = desc.raw.workflowExecutionInfo?.firstRunId ?? desc.runId;
  const events: NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']> = [];
  while (runId) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await client
      .getHandle(handle.workflowId, runId)
      .fetchHistory();
    const runEvents = history.events ?? [];
    events.push(...runEvents);
    runId = runEvents.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return events;
}

/** Opens a knex connection to a SQLite file or a database URL (tests only). */
export function openDb(target: string): Knex {
  if (target.startsWith('postgres')) return knex({ client: 'pg', connection: target });
  if (target.startsWith('mysql')) return knex({ client: 'mysql2', connection: target });
  return knex({ client: 'better-sqlite3', connection: { filename: target }, useNullAsDefault: true });
}

/** Rows in a table, and distinct values of one column. */
export async function countRows(
  db: Knex,
  table: string,
  distinctColumn?: string,
): Promise<{ rows: number; distinct: number }> {
  const total = (await db(table).count({ n: '*' })) as { n: number | string }[];
  const distinct = distinctColumn
    ? ((await db(table).countDistinct({ d: distinctColumn })) as { d: number | string }[])
    : [{ d: 0 }];
  return { rows: Number(total[0]?.n ?? 0), distinct: Number(distinct[0]?.d ?? 0) };
}

/** Registers beforeAll/afterAll hooks that give a describe block a test environment and a worker. */
export function useTestWorker(opts: { maxCachedWorkflows?: number } = {}): {
  env: TestWorkflowEnvironment;
  worker: TestWorker;
} {
  const ctx = {} as { env: TestWorkflowEnvironment; worker: TestWorker };
  beforeAll(async () => {
    ctx.env = await connectTestEnv();
    ctx.worker = await startTestWorker(opts);
  });
  afterAll(async () => {
    await ctx.worker?.stop();
    await ctx.env?.teardown();
  });
  return ctx;
}
