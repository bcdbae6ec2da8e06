/**
 * Worker entry: `understudy worker` or `node dist/workers/main.js`. Reads its settings from the
 * environment, logs one JSON line per event, and on SIGINT/SIGTERM stops taking work, lets in-flight
 * activities finish their current batch (each batch is one transaction), then exits.
 */
import { NativeConnection } from '@temporalio/worker';
import { pathToFileURL } from 'node:url';
import { loadWorkflowBundle } from './bundle.js';
import { readWorkerConfig, type WorkerConfig } from './config.js';
import { createUnderstudyWorker } from './create-worker.js';
import { installWorkerLogger, logLine } from './logging.js';

/** Runs a worker until it is signalled to stop. */
export async function runWorker(config: WorkerConfig = readWorkerConfig()): Promise<void> {
  installWorkerLogger();
  const workflowBundle = await loadWorkflowBundle(config.workflowBundlePath);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    const worker = await createUnderstudyWorker({ config, connection, workflowBundle });
    logLine('info', 'worker started', {
      taskQueue: config.taskQueue,
      namespace: config.namespace,
      address: config.temporalAddress,
      artifactRoot: config.artifactRoot,
    });
    // The SDK installs SIGINT/SIGTERM handlers that call worker.shutdown() (graceful) by default.
    await worker.run();
    logLine('info', 'worker stopped', {});
  } finally {
    await connection.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWorker().catch((err: unknown) => {
    logLine('error', 'worker failed', { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });
}
