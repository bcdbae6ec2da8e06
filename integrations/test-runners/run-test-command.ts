/**
 * What the three runners share: run the framework's command for one test (its log, time limit and
 * cancellation from the context), and turn a run that did not finish into the test's result.
 */
import { runProcess, type ProcessOutcome } from './run-process.js';
import {
  baseResult,
  commandLine,
  outputRelative,
  timeoutMessage,
  type TestRunContext,
} from './test-run-context.js';
import type { TestResult } from '../../core/testing/types.js';

/** A finished command: its outcome, and the result so far (outcome `error` until its report is read). */
export interface TestCommandRun {
  run: ProcessOutcome;
  result: TestResult;
  /** Set when the command did not run to its end (not started, cancelled, timed out): the test's final result. */
  ended?: TestResult;
}

/** Runs `command args` for the context's test in its work directory, with `env`. */
export async function runTestCommand(
  ctx: TestRunContext,
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<TestCommandRun> {
  const run = await runProcess({
    command,
    args,
    cwd: ctx.workDir,
    env,
    timeoutMs: ctx.timeoutMs,
    logFile: ctx.logFile,
    // node's own path is left out of the log's command line; other tools are named.
    logHeader: commandLine(ctx, args, command === ctx.tools.node ? 'node' : command),
    signal: ctx.signal,
  });
  const result = baseResult(ctx.test, 'error', run.durationMs);
  result.logFile = outputRelative(ctx, ctx.logFile);
  if (run.spawnError) return { run, result, ended: { ...result, message: run.spawnError } };
  if (run.aborted) return { run, result, ended: { ...result, message: 'cancelled' } };
  if (run.timedOut) return { run, result, ended: { ...result, message: timeoutMessage(ctx.timeoutMs) } };
  return { run, result };
}
