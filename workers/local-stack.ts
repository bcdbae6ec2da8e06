/** A throwaway local stack for scripts (benchmarks, history recording): dev server, worker, client. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadWorkflowBundle } from './bundle.js';
import { createUnderstudyWorker } from './create-worker.js';
import { startDevServer } from './dev-server.js';

/** A running dev server with an in-process worker and a client. */
export interface LocalStack {
  address: string;
  client: Client;
  taskQueue: string;
  stop(): Promise<void>;
}

/** Starts a headless dev server and a worker whose artifacts and outputs live under `workDir`. */
export async function startLocalStack(opts: {
  workDir: string;
  baseDir: string;
  taskQueue: string;
  maxConcurrentActivities?: number;
}): Promise<LocalStack> {
  const server = await startDevServer({ headless: true });
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await createUnderstudyWorker({
    config: {
      temporalAddress: server.address,
      namespace: 'default',
      taskQueue: opts.taskQueue,
      artifactRoot: path.join(opts.workDir, 'artifacts'),
      baseDir: opts.baseDir,
      outputRoot: path.join(opts.workDir, 'output'),
      connections: {},
      maxConcurrentActivities: opts.maxConcurrentActivities ?? 4,
    },
    connection: native,
    workflowBundle: await loadWorkflowBundle(),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  return {
    address: server.address,
    client: new Client({ connection }),
    taskQueue: opts.taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      await server.stop();
    },
  };
}
