/** Worker settings, read once from environment variables (documented in the README). */
import path from 'node:path';
import { DEFAULT_TASK_QUEUE } from '../workflows/pipeline/contract.js';

/** Everything a worker needs to know about its deployment. */
export interface WorkerConfig {
  /** @default "localhost:7233" (TEMPORAL_ADDRESS) */
  temporalAddress: string;
  /** @default "default" (TEMPORAL_NAMESPACE) */
  namespace: string;
  /** @default "understudy" (UNDERSTUDY_TASK_QUEUE) */
  taskQueue: string;
  /** @default ".understudy/artifacts" (UNDERSTUDY_ARTIFACT_ROOT) */
  artifactRoot: string;
  /** @default the working directory (UNDERSTUDY_BASE_DIR) */
  baseDir: string;
  /** @default ".understudy/output" (UNDERSTUDY_OUTPUT_DIR) */
  outputRoot: string;
  /** Named database URLs from UNDERSTUDY_DB_<NAME>_URL. */
  connections: Record<string, string>;
  /** Pre-built workflow bundle (UNDERSTUDY_WORKFLOW_BUNDLE); bundled at start-up when absent. */
  workflowBundlePath?: string;
  /** @default 4 (UNDERSTUDY_MAX_ACTIVITIES) */
  maxConcurrentActivities: number;
}

/** Reads the worker configuration from an environment (process.env by default). */
export function readWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const baseDir = path.resolve(env.UNDERSTUDY_BASE_DIR ?? process.cwd());
  const connections: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^UNDERSTUDY_DB_([A-Z0-9_]+)_URL$/.exec(key);
    if (m?.[1] && value) connections[m[1].toLowerCase()] = value;
  }
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.UNDERSTUDY_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    // An s3:// root selects the S3 artifact store and is kept as given; a path resolves against the base dir.
    artifactRoot: /^s3:\/\//i.test(env.UNDERSTUDY_ARTIFACT_ROOT ?? '')
      ? (env.UNDERSTUDY_ARTIFACT_ROOT as string)
      : path.resolve(baseDir, env.UNDERSTUDY_ARTIFACT_ROOT ?? '.understudy/artifacts'),
    baseDir,
    outputRoot: path.resolve(baseDir, env.UNDERSTUDY_OUTPUT_DIR ?? '.understudy/output'),
    connections,
    workflowBundlePath: env.UNDERSTUDY_WORKFLOW_BUNDLE || undefined,
    maxConcurrentActivities: Number(env.UNDERSTUDY_MAX_ACTIVITIES ?? 4),
  };
}
