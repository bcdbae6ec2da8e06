/**
 * What every framework runner gets for one generated test (its files, directories, environment and
 * limits), and the small helpers they share to turn a run into a {@link TestResult}.
 */
import path from 'node:path';
import type { GeneratedTest, TestEnvironment, TestResult } from '../../core/testing/types.js';
import type { Redactor } from './redact.js';
import type { ToolPaths } from './tools.js';

/** One generated test, ready to run. */
export interface TestRunContext {
  test: GeneratedTest;
  /** The workspace: tests, runner configs and the `node_modules` link live here. */
  workDir: string;
  /** Absolute path of the test file inside the workspace. */
  testFile: string;
  /** The run's output directory; result file references are relative to it. */
  outputDir: string;
  /** This test's own output directory (inside `outputDir`). */
  testOutputDir: string;
  /** This test's runner configuration directory (inside the workspace). */
  configDir: string;
  /** The runner's log file for this test (inside `testOutputDir`). */
  logFile: string;
  environment: TestEnvironment;
  /** Complete environment of the test process. */
  env: Record<string, string>;
  timeoutMs: number;
  tools: ToolPaths;
  redact: Redactor;
  signal?: AbortSignal;
}

/** Longest message kept in a result. */
export const MAX_MESSAGE_CHARS = 4_000;

/** A result with the fields every outcome shares. */
export function baseResult(
  test: GeneratedTest,
  outcome: TestResult['outcome'],
  durationMs: number,
): TestResult {
  return {
    testId: test.testCase.id,
    scenarioId: test.testCase.scenarioId,
    framework: test.testCase.framework,
    outcome,
    durationMs,
  };
}

/** A path inside the run's output directory, as results record it (forward slashes). */
export function outputRelative(ctx: Pick<TestRunContext, 'outputDir'>, file: string): string {
  return path.relative(ctx.outputDir, file).split(path.sep).join('/');
}

/** A message fit for a result: colour codes removed, secrets masked, trimmed to a few KB. */
export function cleanMessage(text: string, redact: Redactor): string {
  // eslint-disable-next-line no-control-regex
  const plain = redact(text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')).trim();
  return plain.length > MAX_MESSAGE_CHARS ? `${plain.slice(0, MAX_MESSAGE_CHARS - 1)}…` : plain;
}

/** The message of a test stopped at its time limit. */
export function timeoutMessage(timeoutMs: number): string {
  const seconds = timeoutMs / 1000;
  return `timed out after ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** The command line written at the top of a test's log: node's own path left out, secrets masked. */
export function commandLine(
  ctx: Pick<TestRunContext, 'redact'>,
  args: readonly string[],
  command = 'node',
): string {
  return ctx.redact(`$ ${command} ${args.join(' ')}`);
}
