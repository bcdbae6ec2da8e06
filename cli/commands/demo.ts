/**
 * `understudy demo`: the main job on the embedded default, unattended. Finds or starts a local Temporal
 * dev server, runs a worker in this process, runs the whole pipeline on the bundled customers sample,
 * approves the sensitivity gate (after printing the command a human would type) and loads the result
 * into a SQLite file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { loadWorkflowBundle } from '../../workers/bundle.js';
import { readWorkerConfig } from '../../workers/config.js';
import { createUnderstudyWorker } from '../../workers/create-worker.js';
import { installWorkerLogger } from '../../workers/logging.js';
import { isServing, startDevServer, type DevServer } from '../../workers/dev-server.js';
import { PIPELINE_WORKFLOW_TYPE, type PipelineStatus } from '../../workflows/pipeline/contract.js';
import { connectClient } from '../client.js';
import { followRun } from '../follow.js';
import type { PipelineConfigInput } from '../../workflows/pipeline/config-schema.js';
import { startDemoStack } from './demo-stack.js';
import { readRunConfig } from './runs.js';

/** Options of the demo command. */
export interface DemoOptions {
  config: string;
  interactive: boolean;
  stopServer: boolean;
  /** Also generate tests from the demo scenarios, run them against the demo app and report them. */
  withTests?: boolean;
}

/** The run config `--with-tests` uses when no other `--config` is given. */
export const DEMO_WITH_TESTS_CONFIG = 'examples/demo-with-tests.json';

/** Runs the demo end to end and prints where everything is. */
export async function demoCommand(opts: DemoOptions): Promise<void> {
  const started = Date.now();
  await mkdir('.understudy', { recursive: true });
  let config = await readRunConfig(
    opts.withTests && opts.config === 'examples/demo.json' ? DEMO_WITH_TESTS_CONFIG : opts.config,
  );
  // The demo app, and local Jira and Confluence, must be up before the worker reads its environment.
  const stack = opts.withTests ? await startDemoStack(config as PipelineConfigInput) : undefined;
  if (stack) {
    config = stack.config as Record<string, unknown>;
    for (const line of stack.describe) console.log(`  ${line}`);
  }
  let server: DevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  let uiUrl = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  if (!(await isServing(address))) {
    console.log(`No Temporal server at ${address}: starting a local dev server (temporal server start-dev)…`);
    server = await startDevServer({
      port: 7233,
      uiPort: 8233,
      dbFile: path.resolve('.understudy/temporal-dev.db'),
      logFile: path.resolve('.understudy/temporal-dev.log'),
      detached: !opts.stopServer,
    });
    address = server.address;
    uiUrl = server.uiUrl ?? uiUrl;
  }
  installWorkerLogger('WARN');
  const taskQueue = `understudy-demo-${process.pid}`;
  const workerConfig = { ...readWorkerConfig(), temporalAddress: address, taskQueue };
  const connection = await NativeConnection.connect({ address });
  const worker = await createUnderstudyWorker({
    config: workerConfig,
    connection,
    workflowBundle: await loadWorkflowBundle(workerConfig.workflowBundlePath),
  });
  const running = worker.run();
  const { client, connection: clientConnection } = await connectClient({ address });
  const workflowId = `understudy-demo-${randomUUID().slice(0, 8)}`;
  try {
    await client.workflow.start(PIPELINE_WORKFLOW_TYPE, { taskQueue, workflowId, args: [config] });
    console.log(`Started run ${workflowId} on task queue ${taskQueue}`);
    const result = await followRun(client, workflowId, {
      address,
      onGate: async (status: PipelineStatus, handle) => {
        if (opts.interactive) return;
        const gate = status.pendingApproval?.gate;
        console.error(`  --interactive not set: approving "${gate}" as "demo" now.`);
        await handle.signal('approve', {
          gate,
          by: 'demo',
          approvalId: `demo-${gate}`,
          comment: 'approved automatically by understudy demo',
        });
      },
    });
    const m = result.metrics;
    console.log('\nDone.');
    console.log(`  sample rows:        ${m.sampleRows}`);
    console.log(`  sensitive columns:  ${(m.sensitiveColumns ?? []).join(', ')}`);
    console.log(`  synthetic rows:     ${m.syntheticRows}`);
    console.log(
      `  quality score:      ${((m.qualityScore ?? 0) * 100).toFixed(1)}%  (exact copies of sample rows: ${m.exactCopies})`,
    );
    for (const [target, rows] of Object.entries(m.loadedRows ?? {}))
      console.log(`  loaded into ${target}: ${rows} rows`);
    if (m.tests) {
      const t = m.tests;
      console.log(
        `  tests:              ${t.generated} generated from ${t.scenarios} scenarios: ${t.passed ?? 0} passed, ${t.failed ?? 0} failed, ${t.error ?? 0} errors, ${t.skipped ?? 0} skipped`,
      );
      if (t.jiraComments !== undefined) console.log(`  Jira comments:      ${t.jiraComments}`);
      if (t.bugs?.length) console.log(`  Jira bugs:          ${t.bugs.join(', ')}`);
      if (t.confluencePageUrl) console.log(`  Confluence page:    ${t.confluencePageUrl}`);
      if (result.artifacts.testResults) console.log(`  test results:       ${result.artifacts.testResults}`);
    }
    if (stack?.local) {
      for (const bug of stack.local.jira.bugs()) {
        console.log(
          `    ${bug.key}: ${bug.summary} (${bug.attachments} attachment${bug.attachments === 1 ? '' : 's'})`,
        );
      }
    }
    console.log(`  synthetic parts:    ${result.artifacts.partsPrefix ?? ''}`);
    console.log(`  report:             ${result.artifacts.reportHtml ?? ''}`);
    console.log(`                      ${result.artifacts.reportMarkdown ?? ''}`);
    console.log(`  Temporal UI:        ${uiUrl}/namespaces/default/workflows/${workflowId}`);
    console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (server && !opts.stopServer) {
      console.log(
        `\nThe dev server keeps running for the UI (pid ${server.pid}); stop it with: kill ${server.pid}`,
      );
    }
  } finally {
    worker.shutdown();
    await running;
    await clientConnection.close();
    await connection.close();
    if (server && opts.stopServer) await server.stop();
    await stack?.stop();
  }
}
