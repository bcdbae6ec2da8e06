/**
 * The test stages as activities, for real: the demo app over a loaded SQLite table, the local Jira
 * seeded with the demo scenarios, the local Confluence, and the generated tests run by Playwright
 * (Debian's Chromium), Robot Framework and vitest.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestManifest } from '../../activities/test-stages.js';
import { renderAdfDescription } from '../../core/scenarios/adf-render.js';
import { parseScenariosFile } from '../../core/scenarios/index.js';
import type { TestResult } from '../../core/testing/index.js';
import { loadCustomersCsv, startDemoTarget } from '../../examples/demo-target/index.js';
import { createConfluencePagePublisher } from '../../integrations/confluence/index.js';
import { createJiraClient } from '../../integrations/jira/index.js';
import type { ArtifactStore } from '../../integrations/storage/index.js';
import { testsConfigSchema } from '../../workflows/pipeline/tests-schema.js';
import type { PipelineActivities } from '../../activities/index.js';
import { createBedrockRuntimeClient } from '../../integrations/bedrock/index.js';
import { createBedrockTestGenerator } from '../../integrations/test-generation/index.js';
import { startBedrockServer } from '../servers/bedrock-server.js';
import { startConfluenceServer, type ConfluenceServer } from '../servers/confluence-server.js';
import { startJiraServer, type JiraServer } from '../servers/jira-server.js';
import { analyzeSample, createTestActivities, runActivity } from '../support/activity-run.js';

const SCENARIOS = 'examples/demo-target/scenarios.yaml';
const USER = { email: 'qa@example.com', apiToken: 'token-1' };

describe('test stages (generate, execute, report)', () => {
  let acts: PipelineActivities;
  let store: ArtifactStore;
  let jira: JiraServer;
  let confluence: ConfluenceServer;
  let app: { url: string; close(): Promise<void> };
  let work: string;
  /** Temporary directories of the tests' own extra activity sets. */
  const cleanup: string[] = [];
  const runKey = 'tests/run-1';
  let profileUri: string;
  let sensitiveColumns: string[];
  const databaseTarget = {
    type: 'database' as const,
    url: '',
    table: 'customers',
    strategy: 'truncate_insert' as const,
    batchSize: 10_000,
  };

  beforeAll(async () => {
    jira = await startJiraServer({ basic: USER, projects: { DEMO: ['Test', 'Bug'] } });
    const scenarios = parseScenariosFile(await readFile(SCENARIOS, 'utf8'), { file: SCENARIOS });
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
    const created = await createTestActivities('us-test-stages-', {
      tests: {
        jira: createJiraClient({ settings: { host: jira.url, auth: { kind: 'basic', ...USER } } }),
        confluence: {
          pages: createConfluencePagePublisher({ host: confluence.url, auth: { kind: 'basic', ...USER } }),
          spaceKey: 'DEMO',
        },
      },
    });
    acts = created.acts;
    store = created.store;
    work = created.work;
    // The loaded target: the demo sample through the database target's own load path.
    const databaseFile = path.join(work, 'target.db');
    await loadCustomersCsv({ csvFile: 'examples/customers.csv', databaseFile });
    databaseTarget.url = `sqlite:///${databaseFile.replace(/^\/+/, '')}`;
    app = await startDemoTarget({ databaseFile, port: 0 });
    const analyzed = await analyzeSample(acts, runKey);
    profileUri = analyzed.base.profileUri;
    sensitiveColumns = analyzed.sensitiveColumns;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await jira?.stop();
    await confluence?.stop();
    if (work) await rm(work, { recursive: true, force: true });
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  const testsConfig = () =>
    testsConfigSchema.parse({
      scenarios: { jql: 'project = DEMO AND labels = "demo" ORDER BY key' },
      environment: { baseUrl: app.url },
      parallelism: 2,
      timeout: '90s',
      report: {
        jira: { transitions: { passed: 'Pass', failed: 'Fail' }, bugs: { projectKey: 'DEMO' } },
        confluence: {},
      },
    });

  it('generates, runs and reports the demo scenarios; a second report writes nothing new', async () => {
    const env = new MockActivityEnvironment();
    const tests = testsConfig();
    const generated = await runActivity(env, acts.generateTests, {
      runKey,
      seed: 42,
      tests,
      databaseTarget,
      profileUri,
      sensitiveColumns,
    });
    expect(generated.scenarios).toBe(12);
    const manifest = JSON.parse(
      (await store.getBytes(generated.manifestUri)).toString('utf8'),
    ) as TestManifest;
    expect(manifest.source).toBe('jira');
    const frameworksOf = (title: string) => {
      const id = manifest.scenarios.find((s) => s.title === title)?.id;
      return manifest.tests.filter((t) => t.testCase.scenarioId === id).map((t) => t.testCase.framework);
    };
    // UI scenarios: browser frameworks; API scenarios: all three; database scenarios: vitest only.
    expect(frameworksOf('Search finds a customer by e-mail').sort()).toEqual(['playwright', 'robot']);
    expect(frameworksOf('Loaded customers are in the database')).toEqual(['api']);
    // Every data reference that matched a row carries the chosen record; no sensitive sample category leaks in.
    const search = manifest.tests.find(
      (t) => t.testCase.scenarioTitle === 'Search finds a customer by e-mail',
    );
    expect(search?.testCase.dataReferences[0]?.record?.email).toEqual(expect.stringContaining('@'));
    expect(manifest.tests.filter((t) => t.skipReason !== undefined).length).toBe(generated.skipped);

    const executed = await runActivity(env, acts.executeTests, {
      runKey,
      manifestUri: generated.manifestUri,
      tests,
      databaseTarget,
    });
    const results = JSON.parse((await store.getBytes(executed.resultsUri)).toString('utf8')) as TestResult[];
    expect(results).toHaveLength(manifest.tests.length);
    const keyOf = (title: string) => manifest.scenarios.find((s) => s.title === title)?.id;
    const outcomes = (title: string) =>
      results
        .filter((r) => r.scenarioId === keyOf(title))
        .map((r) => `${r.framework}:${r.outcome}`)
        .sort();
    expect(outcomes('Small-business customers wear the Small business badge')).toEqual([
      'playwright:failed',
      'robot:failed',
    ]);
    expect(outcomes("Customer API returns the customer's city")).toEqual([
      'api:failed',
      'playwright:failed',
      'robot:failed',
    ]);
    expect(outcomes('Enterprise customers wear the Enterprise badge')).toEqual([
      'playwright:passed',
      'robot:passed',
    ]);
    expect(outcomes('Loaded customers are in the database')).toEqual(['api:passed']);
    expect(executed.counts.failed).toBe(5);
    expect(executed.counts.error).toBe(0);
    // The browser failure left a screenshot in the artifact store, next to its log.
    const badge = results.find(
      (r) =>
        r.scenarioId === keyOf('Small-business customers wear the Small business badge') &&
        r.framework === 'playwright',
    );
    expect(badge?.failedStep).toMatch(/Small business/);
    expect(badge?.screenshotFile).toBeDefined();
    const png = await store.getBytes(
      `${generated.manifestUri.replace(/manifest\.json$/, '')}output/${badge!.screenshotFile!}`,
    );
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    const input = {
      runKey,
      runName: 'activity test',
      manifestUri: generated.manifestUri,
      resultsUri: executed.resultsUri,
      report: tests.report,
      qualityScore: 0.93,
      targets: { 'targets[0] customers': { loaded: 100, skipped: 0, failed: 0 } },
    };
    const first = await runActivity(env, acts.reportTests, input);
    const commentsAfterFirst = [...jira.issues.values()].reduce((n, i) => n + i.comments.length, 0);
    const bugsAfterFirst = [...jira.issues.values()].filter((i) => i.issueType === 'Bug');
    expect(first.metrics.jiraComments).toBe(commentsAfterFirst);
    expect(bugsAfterFirst).toHaveLength(5);
    expect(bugsAfterFirst.every((b) => b.attachments.length >= 1)).toBe(true);
    expect(jira.issues.get(keyOf('Enterprise customers wear the Enterprise badge')!)?.status).toBe('Passed');
    expect(jira.issues.get(keyOf('Small-business customers wear the Small business badge')!)?.status).toBe(
      'Failed',
    );
    const pages = [...confluence.pages.values()].filter((p) => p.spaceKey === 'DEMO');
    expect(pages).toHaveLength(1);
    expect(first.metrics.confluencePageUrl).toContain(pages[0]!.id);

    // Reporting again (a retried activity) finds everything it wrote.
    const second = await runActivity(env, acts.reportTests, input);
    expect([...jira.issues.values()].reduce((n, i) => n + i.comments.length, 0)).toBe(commentsAfterFirst);
    expect([...jira.issues.values()].filter((i) => i.issueType === 'Bug')).toHaveLength(5);
    expect([...confluence.pages.values()].filter((p) => p.spaceKey === 'DEMO')).toHaveLength(1);
    expect(pages[0]!.version).toBe(1);
    expect(second.metrics.bugs?.sort()).toEqual(first.metrics.bugs?.sort());

    // A retried executeTests runs only the tests without a stored result.
    const dbTest = manifest.tests.find((t) => t.testCase.framework === 'api' && t.skipReason === undefined)!;
    const resultUri = generated.manifestUri.replace(/manifest\.json$/, `results/${dbTest.testCase.id}.json`);
    const before = (await store.getBytes(resultUri)).toString('utf8');
    const otherUri = generated.manifestUri.replace(
      /manifest\.json$/,
      `results/${manifest.tests.find((t) => t !== dbTest && t.skipReason === undefined)!.testCase.id}.json`,
    );
    const otherBefore = (await store.getBytes(otherUri)).toString('utf8');
    await rm(store.localPath(resultUri));
    const again = await runActivity(env, acts.executeTests, {
      runKey,
      manifestUri: generated.manifestUri,
      tests,
      databaseTarget,
    });
    expect(again.counts).toEqual(executed.counts);
    expect(JSON.parse((await store.getBytes(resultUri)).toString('utf8')).outcome).toBe(
      JSON.parse(before).outcome,
    );
    expect((await store.getBytes(otherUri)).toString('utf8')).toBe(otherBefore);
  }, 600_000);

  it('with generator bedrock, writes every test through the Converse API (a first invalid answer repaired) and records the cost', async () => {
    const bedrock = await startBedrockServer({ region: 'us-east-1', credentials: { AKIDTEST: 'secret' } });
    try {
      const generator = createBedrockTestGenerator({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        client: createBedrockRuntimeClient({
          region: 'us-east-1',
          endpoint: bedrock.url,
          credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
        }),
        sleep: () => Promise.resolve(),
      });
      // Over the same artifact store: generateTests reads the profile analyzed in beforeAll.
      const { acts: withBedrock, work: bedrockWork } = await createTestActivities('us-test-stages-bedrock-', {
        store,
        tests: { bedrock: generator },
      });
      cleanup.push(bedrockWork);
      // The first answer does not parse; the generator sends it back with the compiler's errors.
      bedrock.queueTestAnswers(
        '```typescript\nimport { test } from "@playwright/test";\ntest("x", async ({ page }) => {\n```',
      );
      const tests = testsConfigSchema.parse({
        scenarios: { file: SCENARIOS },
        frameworks: ['playwright'],
        environment: { baseUrl: app.url },
        generator: 'bedrock',
      });
      const out = await runActivity(new MockActivityEnvironment(), withBedrock.generateTests, {
        runKey: 'tests/run-bedrock',
        seed: 42,
        tests,
        databaseTarget,
        profileUri,
        sensitiveColumns,
      });
      const manifest = JSON.parse((await store.getBytes(out.manifestUri)).toString('utf8')) as TestManifest;
      const written = manifest.tests.filter((t) => t.skipReason === undefined);
      expect(written.length).toBeGreaterThan(0);
      expect(written.every((t) => t.generator === 'bedrock')).toBe(true);
      expect(manifest.bedrock?.calls).toBe(bedrock.requests.length);
      expect(manifest.bedrock?.calls).toBeGreaterThan(written.length);
      expect(manifest.bedrock?.inputTokens).toBeGreaterThan(0);
      // A scenario whose data no loaded row matches is still skipped, without a call.
      expect(manifest.tests.find((t) => t.testCase.scenarioId === 'DEMO-12')?.skipReason).toBeDefined();
    } finally {
      await bedrock.stop();
    }
  }, 300_000);

  it('fails at once, naming the field, when the run asks for Jira the worker does not have', async () => {
    const { acts: bare, work: bareWork } = await createTestActivities('us-test-stages-bare-');
    cleanup.push(bareWork);
    const env = new MockActivityEnvironment();
    await expect(
      runActivity(env, bare.generateTests, { runKey: 'tests/run-2', seed: 1, tests: testsConfig() }),
    ).rejects.toThrow(/tests\.scenarios\.jql: Jira is not configured/);
  });
});
