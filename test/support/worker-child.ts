/** Workers in child processes that a test can SIGKILL (see test/support/worker-process.ts), for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { repoRoot } from './temporal.js';

/** The environment of a crash-test worker: its own task queue, artifact and output directories under `workDir`. */
export function crashWorkerEnv(
  workDir: string,
  queuePrefix: string,
): Record<string, string> & { UNDERSTUDY_TASK_QUEUE: string } {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    UNDERSTUDY_TASK_QUEUE: `${queuePrefix}-${randomUUID()}`,
    UNDERSTUDY_ARTIFACT_ROOT: path.join(workDir, 'artifacts'),
    UNDERSTUDY_OUTPUT_DIR: path.join(workDir, 'output'),
    UNDERSTUDY_BASE_DIR: repoRoot,
    UNDERSTUDY_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    UNDERSTUDY_LOG_LEVEL: 'WARN',
  };
}

/** Starts a worker in a child process with `env` added to this process's environment. */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/support/worker-process.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** SIGKILLs a worker process (no chance to finish anything) and waits until it is gone. */
export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
