/** The composition root: wires activities to their dependencies and builds a Temporal worker. */
import type { NativeConnection } from '@temporalio/worker';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createPipelineActivities, sharedThreadPool } from '../activities/index.js';
import { createArtifactStore } from '../integrations/storage/index.js';
import { readPiiIntegrationsFromEnv } from '../integrations/pii-integrations.js';
import { readTestIntegrationsFromEnv } from '../integrations/test-integrations.js';
import type { WorkerConfig } from './config.js';

/** Options of {@link createUnderstudyWorker}. */
export interface CreateWorkerOptions {
  config: WorkerConfig;
  connection: NativeConnection;
  /** The bundled workflow code, or a path to a pre-built bundle (`{ codePath }`). */
  workflowBundle: NonNullable<WorkerOptions['workflowBundle']>;
  /** @default 1000 */
  maxCachedWorkflows?: number;
}

/** Builds a worker that runs `syntheticDataPipeline` and its activities on the configured task queue. */
export async function createUnderstudyWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const { config } = opts;
  const activities = createPipelineActivities({
    store: createArtifactStore({ root: config.artifactRoot }),
    baseDir: config.baseDir,
    outputRoot: config.outputRoot,
    connectionUrl: (name) => config.connections[name.toLowerCase()],
    // Confluence and Bedrock classifiers when their variables are set (docs/confluence-bedrock.md).
    piiClassifiers: readPiiIntegrationsFromEnv(process.env).classifiers,
    // Jira, Confluence and Bedrock for the test stages when their variables are set (README, "Tests").
    tests: readTestIntegrationsFromEnv(process.env),
  });
  // Pool threads load their code while the worker connects and the first stages run.
  sharedThreadPool().warm();
  return Worker.create({
    connection: opts.connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: opts.workflowBundle,
    activities,
    maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
    maxCachedWorkflows: opts.maxCachedWorkflows,
    // On SIGTERM, in-flight activities get this long to finish their batch before they are cancelled.
    shutdownGraceTime: '20s',
    // Heartbeats carry cancellation back to activities: keep the delay short so cancel and pause are prompt.
    maxHeartbeatThrottleInterval: '2s',
  });
}
