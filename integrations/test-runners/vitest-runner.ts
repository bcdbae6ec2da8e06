/**
 * Runs one generated API/database test (framework `api`) with the vitest CLI and a configuration of
 * its own (no project config, no global setup), and reads vitest's JSON report into a {@link TestResult}.
 * The system under test reaches the test only through the {@link TestEnvVar} environment variables.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestResult } from '../../core/testing/types.js';
import { runTestCommand } from './run-test-command.js';
import { cleanMessage, timeoutMessage, type TestRunContext } from './test-run-context.js';
import { vitestCli } from './tools.js';

/** The parts of vitest's JSON report read here. */
export interface VitestJsonReport {
  testResults?: {
    name?: string;
    status?: string;
    message?: string;
    assertionResults?: {
      title?: string;
      fullName?: string;
      status?: string;
      duration?: number | null;
      failureMessages?: string[] | null;
      meta?: Record<string, unknown>;
    }[];
  }[];
}

/** Runs a vitest test file and reads its JSON report. */
export async function runVitestTest(ctx: TestRunContext): Promise<TestResult> {
  await mkdir(ctx.configDir, { recursive: true });
  const reportFile = path.join(ctx.testOutputDir, 'vitest-report.json');
  const configFile = path.join(ctx.configDir, 'vitest.config.mjs');
  await writeFile(configFile, vitestConfig(ctx, reportFile));
  const args = [vitestCli(ctx.tools), 'run', '--config', configFile];
  const { run, result, ended } = await runTestCommand(ctx, ctx.tools.node, args, {
    ...ctx.env,
    NODE_ENV: 'test',
  });
  if (ended) return ended;
  let report: VitestJsonReport;
  try {
    report = JSON.parse(await readFile(reportFile, 'utf8')) as VitestJsonReport;
  } catch {
    return {
      ...result,
      message: `vitest ended (exit code ${String(run.exitCode ?? run.exitSignal)}) without a report; see the log`,
    };
  }
  const labels = (ctx.test.testCase as { stepLabels?: unknown }).stepLabels;
  const stepLabels = Array.isArray(labels)
    ? labels.filter((l): l is string => typeof l === 'string')
    : undefined;
  return { ...result, ...readVitestReport(report, { ...ctx, ...(stepLabels ? { stepLabels } : {}) }) };
}

/** The config file; the test's own file is the only one included, matched literally. */
function vitestConfig(ctx: TestRunContext, reportFile: string): string {
  const relative = path.relative(ctx.workDir, ctx.testFile).split(path.sep).join('/');
  const config = {
    root: ctx.workDir,
    cacheDir: path.join(ctx.configDir, 'vite-cache'),
    test: {
      include: [relative.replace(/[*?[\]{}()!@+\\]/g, '\\$&')],
      globalSetup: [],
      setupFiles: [],
      pool: 'forks',
      fileParallelism: false,
      watch: false,
      testTimeout: ctx.timeoutMs,
      hookTimeout: ctx.timeoutMs,
      passWithNoTests: false,
      reporters: ['default', ['json', { outputFile: reportFile }]],
    },
  };
  return `// Written by the Understudy test runner for one generated test.\nexport default ${JSON.stringify(config, null, 2)};\n`;
}

type ReportFields = Pick<TestResult, 'outcome' | 'durationMs' | 'message' | 'failedStep'>;

/**
 * Reads a JSON report into result fields. The failed step is the failing test's `meta.step` (a generated
 * test may set `task.meta.step` to the step it is at), else the step label the failure message starts
 * with (templates give every assertion its step's label as message), else the failing test's title when
 * the file has one test per step.
 */
export function readVitestReport(
  report: VitestJsonReport,
  ctx: Pick<TestRunContext, 'redact' | 'timeoutMs'> & { stepLabels?: readonly string[] },
): ReportFields {
  const files = report.testResults ?? [];
  const tests = files.flatMap((f) => f.assertionResults ?? []);
  const durationMs = Math.round(tests.reduce((sum, t) => sum + (t.duration ?? 0), 0));
  const fileError = files.find((f) => f.status === 'failed' && (f.message ?? '').length > 0);
  if (tests.length === 0) {
    return {
      outcome: 'error',
      durationMs,
      message: cleanMessage(fileError?.message || 'vitest found no test in the file', ctx.redact),
    };
  }
  const failed = tests.find((t) => t.status === 'failed');
  if (failed) {
    const text =
      failed.failureMessages?.[0] ?? fileError?.message ?? 'the test failed without an error message';
    const timedOut = /^Error: Test timed out in \d+ms/.test(text);
    const step =
      typeof failed.meta?.step === 'string'
        ? failed.meta.step
        : (labelPrefix(text, ctx.stepLabels) ?? (tests.length > 1 ? failed.title : undefined));
    return {
      outcome: timedOut ? 'error' : 'failed',
      durationMs,
      message: cleanMessage(timedOut ? timeoutMessage(ctx.timeoutMs) : firstLines(text), ctx.redact),
      ...(step ? { failedStep: step } : {}),
    };
  }
  if (fileError)
    return { outcome: 'error', durationMs, message: cleanMessage(fileError.message ?? '', ctx.redact) };
  if (tests.every((t) => t.status !== 'passed'))
    return { outcome: 'skipped', durationMs, message: 'every test in the file was skipped' };
  return { outcome: 'passed', durationMs };
}

/** The step label a failure message starts with (`AssertionError: Step 2: …: expected …`), if any. */
function labelPrefix(message: string, labels: readonly string[] | undefined): string | undefined {
  const text = message.replace(/^[A-Za-z]*Error: /, '');
  return [...(labels ?? [])]
    .sort((a, b) => b.length - a.length)
    .find((label) => label.length > 0 && text.startsWith(`${label}:`));
}

/** The message without the stack trace (the log keeps it). */
function firstLines(text: string): string {
  const lines = text.split('\n');
  const stackStart = lines.findIndex((l) => /^\s+at\s/.test(l));
  return (stackStart > 0 ? lines.slice(0, stackStart) : lines).join('\n');
}
