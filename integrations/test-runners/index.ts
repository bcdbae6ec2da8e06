/**
 * Running generated tests for real: Playwright (Debian's Chromium), Robot Framework (SeleniumLibrary with
 * chromedriver, RequestsLibrary) and vitest API/database tests, each in its own process with a time
 * limit, at most a given number at once, with logs, reports and failure screenshots per test.
 */
export { runGeneratedTests, type RunGeneratedTestsOptions } from './run-generated-tests.js';
export { runPlaywrightTest, readPlaywrightReport } from './playwright-runner.js';
export { runRobotTest, robotLibraries } from './robot-runner.js';
export { readRobotOutput, type RobotVerdict } from './robot-output.js';
export { runVitestTest, readVitestReport, type VitestJsonReport } from './vitest-runner.js';
export { runProcess, type ProcessOutcome, type ProcessSpec } from './run-process.js';
export { runLimited } from './run-limited.js';
export { createRedactor, type Redactor } from './redact.js';
export { buildTestProcessEnv } from './process-env.js';
export { prepareWorkspace, checkTestFileName, type Workspace } from './workspace.js';
export {
  defaultToolPaths,
  detectTools,
  findNodeModules,
  type ToolAvailability,
  type ToolPaths,
} from './tools.js';
export type { TestRunContext } from './test-run-context.js';
