/**
 * Runs generated tests for real: writes them into a workspace, checks which tools the machine has,
 * and runs each test in its own process (at most `parallelism` at once, each with a time limit) with
 * the runner of its framework, giving one {@link TestResult} per test in input order.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  TestEnvVar,
  TestFramework,
  type GeneratedTest,
  type TestEnvironment,
  type TestResult,
} from '../../core/testing/types.js';
import { runPlaywrightTest } from './playwright-runner.js';
import { buildTestProcessEnv } from './process-env.js';
import { createRedactor, type Redactor } from './redact.js';
import { robotLibraries, runRobotTest } from './robot-runner.js';
import { runLimited } from './run-limited.js';
import { baseResult, cleanMessage, outputRelative, type TestRunContext } from './test-run-context.js';
import { defaultToolPaths, detectTools, type ToolAvailability, type ToolPaths } from './tools.js';
import { runVitestTest } from './vitest-runner.js';
import { checkTestFileName, prepareWorkspace, safeDirName } from './workspace.js';
import { pathExists } from '../files/path-exists.js';

/** Options of {@link runGeneratedTests}. */
export interface RunGeneratedTestsOptions {
  /** Directory of the workspace (created; should be dedicated to this run). */
  workDir: string;
  /** Where the system under test is. */
  environment: TestEnvironment;
  /** Most test processes at once. */
  parallelism: number;
  /** Wall-clock limit of each test process, in milliseconds. */
  timeoutMs: number;
  /** Where logs, screenshots and reports go; result file references are relative to it. @default `<workDir>/output` */
  outputDir?: string;
  /** Called as each test starts (not for tests skipped without running). */
  onStart?(test: GeneratedTest): void;
  /** Called with each result as soon as it is known (skipped ones included). */
  onResult?(result: TestResult): void;
  /** Aborting kills the running test processes and starts no more; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Program locations. @default {@link defaultToolPaths} */
  tools?: Partial<ToolPaths>;
  /** Extra environment variables for every test process (the worker's own environment is not passed on). */
  env?: Record<string, string>;
}

/** Runs every test and resolves to their results, in the order of `tests`. */
export async function runGeneratedTests(
  tests: readonly GeneratedTest[],
  options: RunGeneratedTestsOptions,
): Promise<TestResult[]> {
  options.signal?.throwIfAborted();
  const tools: ToolPaths = { ...defaultToolPaths(), ...options.tools };
  const workspace = await prepareWorkspace(options.workDir, tests, tools.nodeModulesDir);
  const outputDir = path.resolve(options.outputDir ?? path.join(workspace.workDir, 'output'));
  await mkdir(outputDir, { recursive: true });
  const redact = createRedactor(options.environment);
  const env = buildTestProcessEnv(options.environment, options.env);
  // Only API/DB tests query the database; browser tests do not get its credentials.
  const { [TestEnvVar.database]: _database, ...browserEnv } = env;
  const needsProbe = tests.some((t) => t.skipReason === undefined);
  const available: ToolAvailability = needsProbe ? await detectTools(tools, env) : {};

  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const report = (result: TestResult): TestResult => {
    options.onResult?.(result);
    return result;
  };
  const results = await runLimited(
    tests,
    options.parallelism,
    async (test) => {
      // Each test gets a directory of its own even when two ids clean up to the same name.
      let dirName = safeDirName(test.testCase.id);
      for (let n = 2; seenDirs.has(dirName); n++) dirName = `${safeDirName(test.testCase.id)}-${n}`;
      seenDirs.add(dirName);
      const reason = skipReasonFor(test, available);
      if (reason !== undefined) return report({ ...baseResult(test, 'skipped', 0), message: reason });
      const problem =
        checkTestFileName(test.fileName) ??
        (seenFiles.has(test.fileName) ? 'another test has the same file name' : undefined);
      if (problem !== undefined) return report({ ...baseResult(test, 'error', 0), message: problem });
      seenFiles.add(test.fileName);

      const testOutputDir = path.join(outputDir, dirName);
      await rm(testOutputDir, { recursive: true, force: true });
      await mkdir(testOutputDir, { recursive: true });
      const ctx: TestRunContext = {
        test,
        workDir: workspace.workDir,
        testFile: path.join(workspace.testsDir, test.fileName),
        outputDir,
        testOutputDir,
        configDir: path.join(workspace.configRoot, dirName),
        logFile: path.join(testOutputDir, 'run.log'),
        environment: options.environment,
        env: test.testCase.framework === TestFramework.api ? env : browserEnv,
        timeoutMs: options.timeoutMs,
        tools,
        redact,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      options.onStart?.(test);
      const started = performance.now();
      let result: TestResult;
      try {
        result = await runOne(ctx);
      } catch (error) {
        // A runner fault (disk full, unreadable file) is this test's error, not the whole run's.
        result = {
          ...baseResult(test, 'error', Math.round(performance.now() - started)),
          message: cleanMessage(
            `the runner failed: ${error instanceof Error ? error.message : String(error)}`,
            redact,
          ),
        };
        if (await pathExists(ctx.logFile)) result.logFile = outputRelative(ctx, ctx.logFile);
      }
      await redactFile(ctx.logFile, redact);
      return report(result);
    },
    options.signal,
  );
  options.signal?.throwIfAborted();
  return results.map(
    (r, i) => r ?? { ...baseResult(tests[i] as GeneratedTest, 'error', 0), message: 'not run' },
  );
}

function runOne(ctx: TestRunContext): Promise<TestResult> {
  switch (ctx.test.testCase.framework) {
    case TestFramework.playwright:
      return runPlaywrightTest(ctx);
    case TestFramework.robot:
      return runRobotTest(ctx);
    case TestFramework.api:
      return runVitestTest(ctx);
    default:
      return Promise.resolve({
        ...baseResult(ctx.test, 'error', 0),
        message: `no runner for framework ${JSON.stringify(String(ctx.test.testCase.framework))}`,
      });
  }
}

/** Why a test is skipped without running: the generator said so, or a tool it needs is missing. */
function skipReasonFor(test: GeneratedTest, available: ToolAvailability): string | undefined {
  if (test.skipReason !== undefined) return test.skipReason;
  switch (test.testCase.framework) {
    case TestFramework.playwright:
      return available.playwright ?? (usesBrowser(test.content) ? available.chromium : undefined);
    case TestFramework.api:
      return available.vitest;
    case TestFramework.robot: {
      if (available.robot) return available.robot;
      const libraries = robotLibraries(test.content);
      if (libraries.has('SeleniumLibrary') && available.seleniumLibrary) return available.seleniumLibrary;
      if (libraries.has('RequestsLibrary') && available.requestsLibrary) return available.requestsLibrary;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a Playwright test opens a browser (asks for the `page`, `context` or `browser` fixture). */
function usesBrowser(content: string): boolean {
  return /\(\s*\{[^}]*\b(page|context|browser)\b[^}]*\}/.test(content);
}

async function redactFile(file: string, redact: Redactor): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return;
  }
  const clean = redact(text);
  if (clean !== text) await writeFile(file, clean);
}
