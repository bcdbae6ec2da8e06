/**
 * Worker entry: `understudy worker` or `node dist/workers/main.js`. Reads its settings from the
 * environment, logs one JSON line per event, and on SIGINT/SIGTERM stops taking work, lets in-flight
 * activities finish their current batch (each batch is one transaction), then exits.
 */
import { NativeConnection, Runtime, makeTelemetryFilterString, DefaultLogger } from '@temporalio/worker';
import { pathToFileURL } from 'node:url';
import { loadWorkflowBundle } from './bundle.js';
import { readWorkerConfig, type WorkerConfig } from './config.js';
import { createUnderstudyWorker } from './create-worker.js';

/** Runs a worker until it is signalled to stop. */
export async function runWorker(config: WorkerConfig = readWorkerConfig()): Promise<void> {
  installJsonLogger();
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

let loggerInstalled = false;
function installJsonLogger(): void {
  if (loggerInstalled) return;
  loggerInstalled = true;
  Runtime.install({
    logger: new DefaultLogger((process.env.UNDERSTUDY_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO', (entry) => {
      logLine(entry.level.toLowerCase(), entry.message, entry.meta ?? {});
    }),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

function logLine(level: string, msg: string, meta: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...meta }) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWorker().catch((err: unknown) => {
    logLine('error', 'worker failed', { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });
}
