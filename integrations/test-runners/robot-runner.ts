/**
 * Runs one generated Robot Framework file with `python -m robot`: the system under test arrives as
 * `${BASE_URL}` and `${API_URL}`, SeleniumLibrary finds Debian's chromedriver and Chromium through
 * Selenium's environment variables (offline, no driver download), and output.xml is read back into a
 * {@link TestResult} with the failing step and SeleniumLibrary's failure screenshot.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestResult } from '../../core/testing/types.js';
import { readRobotOutput } from './robot-output.js';
import { runTestCommand } from './run-test-command.js';
import { cleanMessage, outputRelative, type TestRunContext } from './test-run-context.js';

/** Libraries a Robot file imports, read from its settings (`Library    SeleniumLibrary`). */
export function robotLibraries(content: string): Set<string> {
  const libraries = new Set<string>();
  for (const m of content.matchAll(/^\s*Library(?:\s{2,}|\t|\s*\|\s*)([A-Za-z_][\w.]*)/gm)) {
    if (m[1]) libraries.add(m[1]);
  }
  return libraries;
}

/** Runs a Robot test file and reads its output.xml. */
export async function runRobotTest(ctx: TestRunContext): Promise<TestResult> {
  await mkdir(ctx.configDir, { recursive: true });
  const browser = await writeChromiumLauncher(ctx);
  const apiUrl = ctx.environment.apiUrl ?? ctx.environment.baseUrl;
  const args = [
    '-m',
    'robot',
    '--outputdir',
    ctx.testOutputDir,
    '--output',
    'output.xml',
    '--log',
    'log.html',
    '--report',
    'NONE',
    '--consolecolors',
    'off',
    '--console',
    'verbose',
    '--variable',
    'BROWSER:headlesschrome',
    '--variable',
    `CHROMEDRIVER:${ctx.tools.chromedriver}`,
    ...(ctx.environment.baseUrl !== undefined ? ['--variable', `BASE_URL:${ctx.environment.baseUrl}`] : []),
    ...(apiUrl !== undefined ? ['--variable', `API_URL:${apiUrl}`] : []),
    ctx.testFile,
  ];
  const { run, result, ended } = await runTestCommand(ctx, ctx.tools.python, args, {
    ...ctx.env,
    // Selenium Manager would try to download a driver and Chrome for Testing; point it at Debian's.
    SE_OFFLINE: 'true',
    SE_DRIVER_PATH: ctx.tools.chromedriver,
    SE_BROWSER_PATH: browser,
    SE_AVOID_STATS: 'true',
  });
  if (ended) return ended;

  const outputFile = path.join(ctx.testOutputDir, 'output.xml');
  let xml: string;
  try {
    xml = await readFile(outputFile, 'utf8');
  } catch {
    const reason = await robotErrorLine(ctx.logFile);
    return {
      ...result,
      message: cleanMessage(
        `Robot Framework ended (exit code ${String(run.exitCode ?? run.exitSignal)}) without output.xml${reason ? `: ${reason}` : '; see the log'}`,
        ctx.redact,
      ),
    };
  }
  let verdict;
  try {
    verdict = readRobotOutput(xml);
  } catch {
    return { ...result, message: 'Robot Framework wrote an unreadable output.xml' };
  }
  const attachments = [outputFile, path.join(ctx.testOutputDir, 'log.html')]
    .filter((file) => existsSync(file))
    .map((file) => outputRelative(ctx, file));
  return {
    ...result,
    outcome: verdict.outcome,
    durationMs: verdict.durationMs || run.durationMs,
    ...(verdict.message !== undefined ? { message: cleanMessage(verdict.message, ctx.redact) } : {}),
    ...(verdict.failedStep !== undefined ? { failedStep: ctx.redact(verdict.failedStep) } : {}),
    ...(verdict.screenshot !== undefined
      ? { screenshotFile: outputRelative(ctx, path.join(ctx.testOutputDir, verdict.screenshot)) }
      : {}),
    attachments,
  };
}

/**
 * Chromium refuses to start as root without `--no-sandbox`, and SeleniumLibrary's plain
 * `Open Browser    ${BASE_URL}    headlesschrome` gives no way to add it: Selenium starts this launcher instead.
 */
async function writeChromiumLauncher(ctx: TestRunContext): Promise<string> {
  const launcher = path.join(ctx.configDir, 'chromium');
  await writeFile(launcher, `#!/bin/sh\nexec ${shellQuote(ctx.tools.chromium)} --no-sandbox "$@"\n`);
  await chmod(launcher, 0o755);
  return launcher;
}

/** Robot's own explanation when it stops before running anything (`[ ERROR ] … contains no tests`). */
async function robotErrorLine(logFile: string): Promise<string | undefined> {
  const log = await readFile(logFile, 'utf8').catch(() => '');
  return /^\[ ERROR \] (.+)$/m.exec(log)?.[1]?.trim();
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
