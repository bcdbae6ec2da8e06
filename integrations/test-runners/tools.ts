/**
 * The programs the runners start (Node CLIs of Playwright and vitest, Python's Robot Framework, Chromium,
 * chromedriver), where they are, and which of them this machine has, checked once per run so a test
 * that needs a missing one is skipped with the reason instead of failing.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the runners find their programs. */
export interface ToolPaths {
  /** Node executable for the Playwright and vitest CLIs. */
  node: string;
  /** The project's `node_modules` (linked into the workspace). */
  nodeModulesDir: string;
  /** Python 3 with Robot Framework. */
  python: string;
  /** Chromium for Playwright and for Robot's SeleniumLibrary. */
  chromium: string;
  /** chromedriver for SeleniumLibrary. */
  chromedriver: string;
}

/** Which tools are usable; a missing one has the reason a test needing it is skipped. */
export interface ToolAvailability {
  /** Skip reason for Playwright tests, or undefined when `@playwright/test` is installed. */
  playwright?: string;
  /** Skip reason for tests that drive Chromium, or undefined when it is there. */
  chromium?: string;
  /** Skip reason for vitest tests, or undefined. */
  vitest?: string;
  /** Skip reason for every Robot test, or undefined when `python -m robot` can run. */
  robot?: string;
  /** Skip reason for Robot tests using SeleniumLibrary (library, chromedriver or Chromium missing). */
  seleniumLibrary?: string;
  /** Skip reason for Robot tests using RequestsLibrary. */
  requestsLibrary?: string;
}

/** Playwright Test's CLI inside `node_modules`. */
export function playwrightCli(tools: ToolPaths): string {
  return path.join(tools.nodeModulesDir, '@playwright', 'test', 'cli.js');
}

/** vitest's CLI inside `node_modules`. */
export function vitestCli(tools: ToolPaths): string {
  return path.join(tools.nodeModulesDir, 'vitest', 'vitest.mjs');
}

/** The `node_modules` directory nearest above this module (the project's). */
export function findNodeModules(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (existsSync(path.join(candidate, 'vitest'))) return candidate;
    if (path.dirname(dir) === dir) return path.join(from, 'node_modules');
  }
}

/** Default tool locations: this Node, the project's modules, `python3`, Debian's Chromium and chromedriver. */
export function defaultToolPaths(): ToolPaths {
  return {
    node: process.execPath,
    nodeModulesDir: findNodeModules(),
    python: 'python3',
    chromium: '/usr/bin/chromium',
    chromedriver: '/usr/bin/chromedriver',
  };
}

const PYTHON_PROBE = `
import importlib.util, json
print(json.dumps({m: importlib.util.find_spec(m) is not None for m in ("robot", "SeleniumLibrary", "RequestsLibrary")}))
`;

/** Checks which tools are usable (one short Python call; nothing is installed or downloaded). */
export async function detectTools(tools: ToolPaths, env: Record<string, string>): Promise<ToolAvailability> {
  const out: ToolAvailability = {};
  if (!existsSync(playwrightCli(tools)))
    out.playwright = '@playwright/test is not installed in node_modules (npm install @playwright/test)';
  if (!existsSync(vitestCli(tools))) out.vitest = 'vitest is not installed in node_modules';
  if (!isExecutable(tools.chromium)) out.chromium = `Chromium not found at ${tools.chromium}`;

  const modules = await probePython(tools.python, env);
  if (typeof modules === 'string') {
    out.robot = modules;
  } else if (!modules.robot) {
    out.robot = `Robot Framework is not installed for ${tools.python} (pip install robotframework)`;
  } else {
    if (!modules.SeleniumLibrary)
      out.seleniumLibrary = 'SeleniumLibrary is not installed (pip install robotframework-seleniumlibrary)';
    else if (!isExecutable(tools.chromedriver))
      out.seleniumLibrary = `chromedriver not found at ${tools.chromedriver} (apt-get install chromium-driver)`;
    else if (out.chromium) out.seleniumLibrary = out.chromium;
    if (!modules.RequestsLibrary)
      out.requestsLibrary = 'RequestsLibrary is not installed (pip install robotframework-requests)';
  }
  return out;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function probePython(python: string, env: Record<string, string>): Promise<Record<string, boolean> | string> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PYTHON_PROBE], { env, timeout: 30_000 }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve(
          code === 'ENOENT'
            ? `${python} not found, so Robot Framework cannot run`
            : `${python} could not check for Robot Framework (${String(code ?? error.name)})`,
        );
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim()) as Record<string, boolean>);
      } catch {
        resolve(`${python} gave an unreadable answer when checking for Robot Framework`);
      }
    });
  });
}
