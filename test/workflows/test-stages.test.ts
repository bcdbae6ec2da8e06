/**
 * The whole pipeline with its test stages on the dev server: synthetic customers loaded into the demo
 * app's SQLite database, tests generated from the scenarios in the local Jira, run by Playwright,
 * Robot Framework and vitest against the demo app, and reported to the local Jira and Confluence. The
 * first reporting attempt loses Jira's answer after the work is done; the retry duplicates nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAdfDescription } from '../../core/scenarios/adf-render.js';
import { parseScenariosFile } from '../../core/scenarios/index.js';
import { startDemoTarget } from '../../examples/demo-target/index.js';
import type { PipelineOutput } from '../../workflows/pipeline/contract.js';
import { startConfluenceServer, type ConfluenceServer } from '../servers/confluence-server.js';
import { startJiraServer, type JiraServer } from '../servers/jira-server.js';
import { recordHistory, recordingHistories } from '../support/record-history.js';
import {
  connectTestEnv,
  smallConfig,
  startPipeline,
  startTestWorker,
  waitForStatus,
  type TestWorker,
} from '../support/temporal.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const SCENARIOS = 'examples/demo-target/scenarios.yaml';
const USER = { email: 'qa@example.com', apiToken: 'token-1' };

describe('pipeline with test stages', () => {
  let env: TestWorkflowEnvironment;
  let worker: TestWorker;
  let jira: JiraServer;
  let confluence: ConfluenceServer;
  let app: { url: string; close(): Promise<void> };
  let databaseFile: string;
  let scenarioCount = 0;

  beforeAll(async () => {
    jira = await startJiraServer({ basic: USER, projects: { DEMO: ['Test', 'Bug'] } });
    const scenarios = parseScenariosFile(await readFile(SCENARIOS, 'utf8'), { file: SCENARIOS });
    scenarioCount = scenarios.length;
    for (const s of scenarios) {
      jira.seedIssue({
        project: 'DEMO',
        issueType: 'Test',
        summary: s.title,
        labels: s.labels,
        description: renderAdfDescription(s),
      });
    }
    confluence = await startConfluenceServer({ ...USER, spaces: { DEMO: 'Demo' } });
    // The worker reads Jira and Confluence from its environment, as in production.
    Object.assign(process.env, {
      UNDERSTUDY_JIRA_URL: jira.url,
      UNDERSTUDY_JIRA_EMAIL: USER.email,
      UNDERSTUDY_JIRA_API_TOKEN: USER.apiToken,
      UNDERSTUDY_CONFLUENCE_HOST: confluence.url,
      UNDERSTUDY_CONFLUENCE_EMAIL: USER.email,
      UNDERSTUDY_CONFLUENCE_API_TOKEN: USER.apiToken,
      UNDERSTUDY_CONFLUENCE_REPORT_SPACE: 'DEMO',
    });
    env = await connectTestEnv();
    worker = await startTestWorker();
    databaseFile = path.join(worker.workDir, 'demo-target.db');
    // The app starts before the load, as a real system under test would be running already.
    app = await startDemoTarget({ databaseFile, port: 0 });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
    await app?.close();
    await jira?.stop();
    await confluence?.stop();
  });

  it('loads, tests and reports: expected failures with screenshots, Bugs and a page, nothing duplicated by a retried report', async () => {
    const handle = await startPipeline(
      env.client,
      worker.taskQueue,
      smallConfig({
        rows: 1000,
        targets: [
          {
            type: 'database',
            url: `sqlite:///${databaseFile.replace(/^\/+/, '')}`,
            table: 'customers',
            strategy: 'truncate_insert',
          },
        ],
        tests: {
          scenarios: { jql: 'project = DEMO AND labels = "demo" ORDER BY key' },
          environment: { baseUrl: app.url },
          timeout: '90s',
          report: {
            jira: { transitions: { passed: 'Pass', failed: 'Fail' }, bugs: { projectKey: 'DEMO' } },
            confluence: {},
          },
        },
      }),
    );
    // While the tests run, arrange for the first reporting attempt to lose an answer after Jira did the work.
    await waitForStatus(handle, (s) => s.stage === 'execute-tests', 300_000);
    jira.crashAt(2, 'after');
    const result = (await handle.result()) as PipelineOutput;
    if (recordingHistories) await recordHistory(handle.workflowId, 'test-stages');

    const tests = result.metrics.tests;
    expect(tests?.scenarios).toBe(scenarioCount);
    expect(tests?.failed).toBe(5);
    expect(tests?.error).toBe(0);
    expect(tests?.passed).toBeGreaterThanOrEqual(15);
    expect(result.artifacts.testResults).toBeDefined();
    expect(result.timings.map((t) => t.stage)).toEqual(
      expect.arrayContaining(['distribute', 'generate-tests', 'execute-tests', 'report-tests', 'report']),
    );

    // One comment per scenario with results, one Bug per failed test, each with its log or screenshot.
    const issues = [...jira.issues.values()];
    const tested = issues.filter((i) => i.issueType === 'Test');
    for (const issue of tested) expect(issue.comments.length).toBeLessThanOrEqual(1);
    expect(tested.filter((i) => i.comments.length === 1).length).toBe(tests?.jiraComments);
    const bugs = issues.filter((i) => i.issueType === 'Bug');
    expect(bugs).toHaveLength(5);
    expect(new Set(bugs.map((b) => b.summary)).size).toBe(5);
    expect(bugs.some((b) => b.attachments.some((a) => a.filename.endsWith('.png')))).toBe(true);
    expect(tests?.bugs?.sort()).toEqual(bugs.map((b) => b.key).sort());
    expect(tested.filter((i) => i.status === 'Failed')).toHaveLength(2);

    // The run report lists every test with its outcome and failing step.
    const report = await readFile(result.artifacts.reportMarkdown!.replace(/^file:\/\//, ''), 'utf8');
    expect(report).toContain('## Tests');
    expect(report).toMatch(/Small business badge \| playwright \| failed \|.*Small business/);

    // The injected crash happened: a write was done and its answer lost (500), then retried.
    expect(jira.requests.some((r) => r.status === 500 && r.method !== 'GET')).toBe(true);

    const pages = [...confluence.pages.values()].filter((p) => p.spaceKey === 'DEMO');
    expect(pages).toHaveLength(1);
    expect(tests?.confluencePageUrl).toContain(pages[0]!.id);
    expect(pages[0]!.history.at(-1)).toContain('Small-business customers wear the Small business badge');
  }, 900_000);
});
