/**
 * One test process: spawned in its own process group with its output going straight to a log file,
 * stopped as a group when it overruns its time or the run is cancelled, and its leftovers (browsers,
 * worker forks) killed when it ends.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** What to run. */
export interface ProcessSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Wall-clock limit; the process group is killed when it is reached. */
  timeoutMs: number;
  /** File that receives stdout and stderr (appended to). */
  logFile: string;
  /** Line written to the log first, e.g. the redacted command line. */
  logHeader?: string;
  signal?: AbortSignal;
}

/** How a process ended. */
export interface ProcessOutcome {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Stopped because the run's signal was aborted. */
  aborted: boolean;
  durationMs: number;
  /** Set when the process could not be started (e.g. the command does not exist). */
  spawnError?: string;
}

/** Time a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3_000;

/** Runs a process to its end, its time limit or cancellation, whichever comes first. */
export async function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  const started = performance.now();
  const fd = openSync(spec.logFile, 'a');
  try {
    if (spec.logHeader) writeSync(fd, `${spec.logHeader}\n`);
    return await new Promise<ProcessOutcome>((resolve) => {
      let timedOut = false;
      let aborted = false;
      let killTimer: NodeJS.Timeout | undefined;
      let done = false;
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        stdio: ['ignore', fd, fd],
        // Its own process group, so that a timeout stops the browsers and workers it started too.
        detached: true,
      });
      const stop = (): void => {
        killGroup(child.pid, 'SIGTERM');
        killTimer ??= setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, spec.timeoutMs);
      const onAbort = (): void => {
        aborted = true;
        stop();
      };
      if (spec.signal?.aborted) onAbort();
      else spec.signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (outcome: Omit<ProcessOutcome, 'durationMs' | 'timedOut' | 'aborted'>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        spec.signal?.removeEventListener('abort', onAbort);
        // Whatever the test left behind in its group (a browser, a worker fork) goes with it.
        killGroup(child.pid, 'SIGKILL');
        resolve({ ...outcome, timedOut, aborted, durationMs: Math.round(performance.now() - started) });
      };
      child.once('error', (error: NodeJS.ErrnoException) => {
        finish({
          exitCode: null,
          exitSignal: null,
          spawnError: `could not start ${spec.command}: ${error.code ?? error.name}`,
        });
      });
      child.once('close', (exitCode, exitSignal) => finish({ exitCode, exitSignal }));
    });
  } finally {
    closeSync(fd);
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
