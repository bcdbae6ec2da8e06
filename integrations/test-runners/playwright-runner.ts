/**
 * Runs one generated Playwright test with the `@playwright/test` CLI and a configuration written for
 * it: Debian's Chromium, `baseURL` of the system under test, a screenshot on failure and a JSON report
 * read back into a {@link TestResult} (outcome, duration, first error, failing `test.step`, screenshot).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  JSONReport,
  JSONReportSuite,
  JSONReportTestResult,
  JSONReportTestStep,
} from '@playwright/test/reporter';
import type { TestResult } from '../../core/testing/types.js';
import { runTestCommand } from './run-test-command.js';
import { cleanMessage, outputRelative, timeoutMessage, type TestRunContext } from './test-run-context.js';
import { playwrightCli } from './tools.js';

/**
 * Share of the time limit kept back from Playwright's own test timeout (within bounds), so that it
 * times the test out, screenshots and reports before the process is killed: its timer starts after
 * the CLI and the browser are up, and the report is written after the screenshot.
 */
const ALLOWANCE = { share: 0.3, minMs: 12_000, maxMs: 30_000 } as const;

/** Playwright's own per-test timeout for a process time limit. */
export function playwrightTestTimeout(timeoutMs: number): number {
  const allowance = Math.min(ALLOWANCE.maxMs, Math.max(ALLOWANCE.minMs, timeoutMs * ALLOWANCE.share));
  return Math.max(1_000, Math.round(timeoutMs - allowance));
}

/** Runs a Playwright test file and reads its report. */
export async function runPlaywrightTest(ctx: TestRunContext): Promise<TestResult> {
  await mkdir(ctx.configDir, { recursive: true });
  const reportFile = path.join(ctx.testOutputDir, 'playwright-report.json');
  const configFile = path.join(ctx.configDir, 'playwright.config.mjs');
  await writeFile(configFile, playwrightConfig(ctx, reportFile));
  const args = [playwrightCli(ctx.tools), 'test', '--config', configFile];
  const { run, result, ended } = await runTestCommand(ctx, ctx.tools.node, args, ctx.env);
  if (ended) return ended;

  const report = await readJson<JSONReport>(reportFile);
  if (!report) {
    return {
      ...result,
      message: `Playwright ended (exit code ${String(run.exitCode ?? run.exitSignal)}) without a report; see the log`,
    };
  }
  return { ...result, ...readPlaywrightReport(report, ctx) };
}

/** The config file: everything the test needs comes from here, never from the test itself. */
function playwrightConfig(ctx: TestRunContext, reportFile: string): string {
  const escaped = ctx.test.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const config = {
    testDir: path.dirname(ctx.testFile),
    outputDir: path.join(ctx.testOutputDir, 'artifacts'),
    timeout: playwrightTestTimeout(ctx.timeoutMs),
    retries: 0,
    workers: 1,
    reporter: [['json', { outputFile: reportFile }], ['line']],
    use: {
      ...(ctx.environment.baseUrl !== undefined ? { baseURL: ctx.environment.baseUrl } : {}),
      headless: true,
      launchOptions: { executablePath: ctx.tools.chromium, args: ['--no-sandbox'] },
      screenshot: 'only-on-failure',
      trace: 'off',
      video: 'off',
    },
  };
  // JSON for the data; the file pattern is a RegExp so that nothing in the name acts as a glob.
  return `// Written by the Understudy test runner for one generated test.
const config = ${JSON.stringify(config, null, 2)};
config.testMatch = new RegExp(${JSON.stringify(`(^|/)${escaped}$`)});
export default config;
`;
}

type ReportFields = Pick<
  TestResult,
  'outcome' | 'durationMs' | 'message' | 'failedStep' | 'screenshotFile' | 'attachments'
>;

/** Reads a JSON report of one test file into result fields (a file with several tests gives one verdict). */
export function readPlaywrightReport(
  report: JSONReport,
  ctx: Pick<TestRunContext, 'outputDir' | 'redact' | 'timeoutMs'>,
): ReportFields {
  const results = collectResults(report.suites ?? []);
  const topErrors = (report.errors ?? []).map((e) => e.message ?? e.value ?? '').filter((m) => m.length > 0);
  if (results.length === 0) {
    return {
      outcome: 'error',
      durationMs: Math.round(report.stats?.duration ?? 0),
      message: cleanMessage(topErrors[0] ?? 'Playwright found no test in the file', ctx.redact),
    };
  }
  const durationMs = Math.round(results.reduce((sum, r) => sum + (r.duration ?? 0), 0));
  const attachments: string[] = [];
  let screenshotFile: string | undefined;
  for (const r of results) {
    for (const a of r.attachments ?? []) {
      if (!a.path) continue;
      const rel = outputRelative(ctx, a.path);
      if (rel.startsWith('..')) continue;
      if (a.name === 'screenshot' && screenshotFile === undefined && r.status !== 'passed')
        screenshotFile = rel;
      else attachments.push(rel);
    }
  }
  const bad = results.find(
    (r) => r.status === 'failed' || r.status === 'timedOut' || r.status === 'interrupted',
  );
  const fields: ReportFields = {
    outcome: 'passed',
    durationMs,
    ...(screenshotFile ? { screenshotFile } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
  if (bad) {
    const step = failingStep(bad.steps ?? []);
    const error = bad.error?.message ?? bad.errors?.[0]?.message ?? topErrors[0];
    return {
      ...fields,
      outcome: bad.status === 'failed' ? 'failed' : 'error',
      message: cleanMessage(
        bad.status === 'timedOut'
          ? timeoutMessage(ctx.timeoutMs)
          : bad.status === 'interrupted'
            ? 'interrupted'
            : (error ?? 'the test failed without an error message'),
        ctx.redact,
      ),
      ...(step !== undefined ? { failedStep: step } : {}),
    };
  }
  if (results.every((r) => r.status === 'skipped'))
    return { ...fields, outcome: 'skipped', message: 'every test in the file was skipped' };
  return fields;
}

function collectResults(suites: readonly JSONReportSuite[]): JSONReportTestResult[] {
  const out: JSONReportTestResult[] = [];
  for (const suite of suites) {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? []) {
        const last = test.results?.[test.results.length - 1];
        if (last) out.push(last);
      }
    out.push(...collectResults(suite.suites ?? []));
  }
  return out;
}

/** The title of the outermost `test.step` that failed (generated tests title steps with the scenario's action). */
function failingStep(steps: readonly JSONReportTestStep[]): string | undefined {
  return steps.find((s) => s.error !== undefined)?.title;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
