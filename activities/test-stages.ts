/**
 * The test stages: generateTests (scenarios → test files that use concrete loaded records),
 * executeTests (the files run against the system under test) and reportTests (results to Jira and a
 * Confluence page). Thin: core/testing decides what a test says, integrations/ talk to Jira,
 * Confluence, Bedrock, the database and the test frameworks. Every activity is safe to run twice:
 * generation is deterministic, each finished test's result is stored as it lands (a retry runs only
 * the rest), and reporting finds what an earlier attempt wrote instead of writing it again.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cancellationSignal, heartbeat } from '@temporalio/activity';
import { ConfigError } from '../core/errors.js';
import type { DatasetProfile } from '../core/profile/index.js';
import { parseScenariosFile, type Scenario } from '../core/scenarios/index.js';
import {
  buildTestCases,
  renderTest,
  summarizeResults,
  type GeneratedTest,
  type TableInfo,
  type TestCase,
  type TestEnvironment,
  type TestResult,
} from '../core/testing/index.js';
import { renderRunPage, runPageTitle } from '../core/testing/run-page.js';
import type { ConfluencePagePort } from '../integrations/confluence/index.js';
import { parseDatabaseUrl } from '../integrations/database/connection-url.js';
import type { JiraPort } from '../integrations/jira/index.js';
import { reportResultsToJira } from '../integrations/jira/report-results.js';
import { chooseRecords } from '../integrations/test-generation/record-lookup.js';
import { runGeneratedTests, type ToolPaths } from '../integrations/test-runners/index.js';
import type { DatabaseTargetConfig } from '../workflows/pipeline/config-schema.js';
import type { TargetReport, TestsMetrics } from '../workflows/pipeline/contract.js';
import type { TestsConfig } from '../workflows/pipeline/tests-schema.js';
import { databaseTargetUrl, tableOf } from './database-url.js';
import type { ActivityDeps } from './deps.js';
import { whileHeartbeating } from './heartbeat.js';
import { resolveSourcePath, runArtifact } from './paths.js';
import { readJsonArtifact } from './sample-cache.js';

/** Jira, Confluence and Bedrock for the test stages, as configured on the worker (none by default). */
export interface TestStageIntegrations {
  jira?: JiraPort;
  /** The page publisher, with the space and parent page set on the worker (a run's config may name others). */
  confluence?: { pages: ConfluencePagePort; spaceKey: string; parentId?: string };
  /** Writes tests through Bedrock's Converse API when a run asks for `generator: "bedrock"`. */
  bedrock?: TestWriter;
  /** Program locations for the test runners (tests pass their own). */
  tools?: Partial<ToolPaths>;
}

/**
 * Writes one test with a language model: validated, sent back with its error a bounded number of
 * times, and the template's test (`fallback`) kept when no answer is valid.
 */
export interface TestWriter {
  write(input: {
    testCase: TestCase;
    scenario: Scenario;
    maxRegenerations: number;
    fallback: GeneratedTest;
  }): Promise<{
    test: GeneratedTest;
    usage: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
  }>;
}

/** A scenario as the manifest keeps it: enough to link results back. */
export interface ManifestScenario {
  id: string;
  title: string;
  /** Browser URL of the Jira issue. */
  url?: string;
  /** Where it was read from (only Jira scenarios are written back to). */
  source: { kind: Scenario['source']['kind']; url?: string };
}

/** One generated test in the manifest: the test case and where its file is. */
export interface ManifestTest {
  testCase: TestCase;
  fileName: string;
  fileUri: string;
  generator: GeneratedTest['generator'];
  skipReason?: string;
}

/** The artifact generateTests writes (`tests/manifest.json`). */
export interface TestManifest {
  version: 1;
  /** Where the scenarios came from: only Jira scenarios get comments, transitions and Bugs. */
  source: 'jira' | 'file';
  scenarios: ManifestScenario[];
  tests: ManifestTest[];
  /** What could not be used, by scenario and place (never the text). */
  problems: { scenarioId?: string; path: string; message: string }[];
  /** Bedrock calls, tokens and cost when Bedrock wrote tests. */
  bedrock?: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
}

/** Input of generateTests. */
export interface GenerateTestsInput {
  runKey: string;
  seed: number;
  tests: TestsConfig;
  /** The database target whose loaded tables records are chosen from. */
  databaseTarget?: DatabaseTargetConfig;
  /** The sample's profile: column types and (non-sensitive) categories for data references. */
  profileUri?: string;
  sensitiveColumns?: string[];
}
/** Output of generateTests. */
export interface GenerateTestsOutput {
  manifestUri: string;
  scenarios: number;
  generated: number;
  skipped: number;
  problems: number;
}

/** Input of executeTests. */
export interface ExecuteTestsInput {
  runKey: string;
  manifestUri: string;
  tests: TestsConfig;
  databaseTarget?: DatabaseTargetConfig;
}
/** Output of executeTests. */
export interface ExecuteTestsOutput {
  resultsUri: string;
  counts: { passed: number; failed: number; error: number; skipped: number };
}

/** Input of reportTests. */
export interface ReportTestsInput {
  runKey: string;
  runName?: string;
  manifestUri: string;
  resultsUri: string;
  report: TestsConfig['report'];
  qualityScore?: number;
  privacyPassed?: boolean;
  targets: Record<string, TargetReport>;
}
/** Output of reportTests. */
export interface ReportTestsOutput {
  metrics: Pick<TestsMetrics, 'jiraComments' | 'bugs' | 'jiraFailures' | 'confluencePageUrl'>;
}

/** Creates the test-stage activities. */
export function createTestStageActivities(deps: ActivityDeps) {
  const { store } = deps;
  const integrations = deps.tests ?? {};

  const databaseUrl = (target: DatabaseTargetConfig): string => databaseTargetUrl(target, deps);

  /** Fails before any work when the run asks for an integration this worker lacks. */
  function checkIntegrations(tests: TestsConfig): void {
    if (tests.scenarios.jql !== undefined && !integrations.jira) {
      throw new ConfigError(
        'Jira is not configured on the worker: set UNDERSTUDY_JIRA_URL with UNDERSTUDY_JIRA_EMAIL and UNDERSTUDY_JIRA_API_TOKEN (or UNDERSTUDY_JIRA_PAT)',
        'tests.scenarios.jql',
      );
    }
    if (tests.report.confluence !== undefined && !integrations.confluence) {
      throw new ConfigError(
        'Confluence is not configured on the worker: set UNDERSTUDY_CONFLUENCE_HOST with UNDERSTUDY_CONFLUENCE_EMAIL and UNDERSTUDY_CONFLUENCE_API_TOKEN (or UNDERSTUDY_CONFLUENCE_PAT)',
        'tests.report.confluence',
      );
    }
    if (tests.generator === 'bedrock' && !integrations.bedrock) {
      throw new ConfigError(
        'Bedrock is not configured on the worker: set UNDERSTUDY_BEDROCK_MODEL_ID (and AWS credentials)',
        'tests.generator',
      );
    }
  }

  async function loadScenarios(
    tests: TestsConfig,
  ): Promise<{ scenarios: Scenario[]; source: 'jira' | 'file' }> {
    const { file, jql, stepFields, maxIssues } = tests.scenarios;
    if (file !== undefined) {
      const full = resolveSourcePath(file, deps.baseDir, 'tests.scenarios.file');
      let text: string;
      try {
        text = await readFile(full, 'utf8');
      } catch (err) {
        throw new ConfigError(
          `cannot read the scenarios file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
          'tests.scenarios.file',
          { cause: err },
        );
      }
      return { scenarios: parseScenariosFile(text, { file }), source: 'file' };
    }
    const jira = integrations.jira as JiraPort;
    const scenarios = await jira.searchScenarios({
      jql: jql as string,
      ...(stepFields ? { stepFields } : {}),
      maxIssues,
    });
    return { scenarios, source: 'jira' };
  }

  /** The loaded table as data references see it: live names (after the target's column mapping), types, categories. */
  async function tableInfo(input: GenerateTestsInput): Promise<TableInfo[]> {
    const target = input.databaseTarget;
    if (!target || !input.profileUri) return [];
    const profile = await readJsonArtifact<DatasetProfile>(store, input.profileUri);
    const sensitive = new Set(input.sensitiveColumns ?? []);
    const columns: TableInfo['columns'] = [];
    for (const c of profile.columns) {
      const mapped = target.columns?.[c.name];
      if (mapped === null) continue;
      // Categories are sample values: only those of non-sensitive categorical columns may appear in tests.
      const categorical =
        !sensitive.has(c.name) && (c.semanticType === 'categorical' || c.semanticType === 'boolean');
      const categories = categorical
        ? (c.topCategories ?? []).map((t) => String(t.value)).filter((v) => v.length > 0)
        : undefined;
      columns.push({
        name: mapped ?? c.name,
        type: c.physicalType,
        ...(categories?.length ? { categories } : {}),
      });
    }
    return [{ name: tableOf(target), columns }];
  }

  function environmentOf(tests: TestsConfig, target: DatabaseTargetConfig | undefined): TestEnvironment {
    const env: TestEnvironment = {};
    if (tests.environment.baseUrl !== undefined) env.baseUrl = tests.environment.baseUrl;
    const apiUrl = tests.environment.apiUrl ?? tests.environment.baseUrl;
    if (apiUrl !== undefined) env.apiUrl = apiUrl;
    if (target) {
      const { knexConfig } = parseDatabaseUrl(databaseUrl(target), deps.baseDir);
      env.database = {
        client: String(knexConfig.client),
        connection: knexConfig.connection,
        ...(knexConfig.useNullAsDefault ? { useNullAsDefault: true } : {}),
      } as TestEnvironment['database'];
    }
    return env;
  }

  const testsDir = (runKey: string, ...name: string[]): string =>
    runArtifact(store, runKey, 'tests', ...name);

  return {
    /**
     * Reads the scenarios (Jira JQL or a scenarios file), chooses a loaded record for each data
     * reference, and writes one test file per scenario and framework plus the manifest.
     */
    async generateTests(input: GenerateTestsInput): Promise<GenerateTestsOutput> {
      const { tests } = input;
      checkIntegrations(tests);
      // Jira paging (and its Retry-After waits) and Bedrock answers outlast the heartbeat timeout.
      const { scenarios, source } = await whileHeartbeating(loadScenarios(tests), { phase: 'scenarios' });
      const tables = await tableInfo(input);
      const built = buildTestCases(scenarios, { frameworks: tests.frameworks, tables });
      let cases = built.cases;
      if (input.databaseTarget && cases.some((c) => c.dataReferences.length > 0)) {
        const url = databaseUrl(input.databaseTarget);
        cases = await whileHeartbeating(
          chooseRecords(cases, { url, baseDir: deps.baseDir, seed: input.seed, tables }),
          { phase: 'records' },
        );
      }
      const byId = new Map(scenarios.map((s) => [s.id, s]));
      const manifest: TestManifest = {
        version: 1,
        source,
        scenarios: scenarios.map((s) => ({
          id: s.id,
          title: s.title,
          ...(s.source.url ? { url: s.source.url } : {}),
          source: { kind: s.source.kind, ...(s.source.url ? { url: s.source.url } : {}) },
        })),
        tests: [],
        problems: built.problems,
      };
      const usage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
      for (const testCase of cases) {
        heartbeat({ phase: 'render', test: testCase.id });
        let generated = renderTest(testCase);
        // Bedrock also writes the tests a template cannot (unsupported steps); a test without its data
        // stays skipped (the writer makes no call for it).
        if (tests.generator === 'bedrock' && integrations.bedrock) {
          const scenario = byId.get(testCase.scenarioId);
          if (scenario) {
            const out = await whileHeartbeating(
              integrations.bedrock.write({
                testCase,
                scenario,
                maxRegenerations: tests.maxRegenerations,
                fallback: generated,
              }),
              { phase: 'bedrock', test: testCase.id },
            );
            generated = out.test;
            usage.calls += out.usage.calls;
            usage.inputTokens += out.usage.inputTokens;
            usage.outputTokens += out.usage.outputTokens;
            usage.costUsd += out.usage.costUsd;
          }
        }
        const fileUri = testsDir(input.runKey, 'files', generated.fileName);
        await store.putBytes(fileUri, generated.content);
        manifest.tests.push({
          testCase: generated.testCase,
          fileName: generated.fileName,
          fileUri,
          generator: generated.generator,
          ...(generated.skipReason !== undefined ? { skipReason: generated.skipReason } : {}),
        });
      }
      if (usage.calls > 0) manifest.bedrock = usage;
      const manifestUri = testsDir(input.runKey, 'manifest.json');
      await store.putJson(manifestUri, manifest);
      return {
        manifestUri,
        scenarios: scenarios.length,
        generated: manifest.tests.length,
        skipped: manifest.tests.filter((t) => t.skipReason !== undefined).length,
        problems: manifest.problems.length,
      };
    },

    /**
     * Runs the generated tests against the system under test, at most `parallelism` at once, each
     * with the configured time limit. Each result (with its log and screenshot) is stored when it
     * lands, so a retried attempt runs only the tests that have none.
     */
    async executeTests(input: ExecuteTestsInput): Promise<ExecuteTestsOutput> {
      const manifest = await readJsonArtifact<TestManifest>(store, input.manifestUri);
      const resultUri = (testId: string): string => testsDir(input.runKey, 'results', `${testId}.json`);
      const pending: GeneratedTest[] = [];
      for (const t of manifest.tests) {
        heartbeat({ phase: 'reading', test: t.testCase.id });
        if (await store.exists(resultUri(t.testCase.id))) continue;
        pending.push({
          testCase: t.testCase,
          fileName: t.fileName,
          content: (await store.getBytes(t.fileUri)).toString('utf8'),
          generator: t.generator,
          ...(t.skipReason !== undefined ? { skipReason: t.skipReason } : {}),
        });
      }
      if (pending.length > 0) {
        const runDir = path.join(
          tmpdir(),
          'understudy-tests',
          createHash('sha256').update(input.runKey).digest('hex').slice(0, 16),
        );
        // A previous attempt's workspace may hold half-written reports: start clean.
        await rm(runDir, { recursive: true, force: true });
        const outputDir = path.join(runDir, 'output');
        await mkdir(outputDir, { recursive: true });
        const stored: Promise<void>[] = [];
        let storeError: unknown;
        const storeResult = async (result: TestResult): Promise<void> => {
          for (const rel of [result.logFile, result.screenshotFile, ...(result.attachments ?? [])]) {
            if (rel === undefined) continue;
            const bytes = await readFile(path.join(outputDir, rel)).catch(() => undefined);
            if (bytes) await store.putBytes(testsDir(input.runKey, 'output', ...rel.split(/[\\/]/)), bytes);
          }
          await store.putJson(resultUri(result.testId), result);
        };
        let finished = manifest.tests.length - pending.length;
        const cancelled = cancellationSignal();
        try {
          await whileHeartbeating(
            runGeneratedTests(pending, {
              workDir: path.join(runDir, 'workspace'),
              outputDir,
              environment: environmentOf(input.tests, input.databaseTarget),
              parallelism: input.tests.parallelism,
              timeoutMs: durationMs(input.tests.timeout),
              signal: cancellationSignal(),
              ...(integrations.tools ? { tools: integrations.tools } : {}),
              onResult: (result) => {
                finished += 1;
                heartbeat({ finished, total: manifest.tests.length });
                // A test killed because the attempt is being cancelled did not run: the retry runs it again.
                if (cancelled.aborted) return;
                // Observed at once: a failed upload must not be an unhandled rejection while tests still run.
                stored.push(
                  storeResult(result).catch((err: unknown) => {
                    storeError ??= err;
                  }),
                );
              },
            }),
            { phase: 'running', total: manifest.tests.length },
          );
        } finally {
          await Promise.all(stored);
          await rm(runDir, { recursive: true, force: true });
        }
        if (storeError !== undefined) throw storeError;
      }
      const results: TestResult[] = [];
      for (const t of manifest.tests) {
        heartbeat({ phase: 'collecting', test: t.testCase.id });
        results.push(await readJsonArtifact<TestResult>(store, resultUri(t.testCase.id)));
      }
      const resultsUri = testsDir(input.runKey, 'results.json');
      await store.putJson(resultsUri, results);
      const summary = summarizeResults(results);
      return {
        resultsUri,
        counts: {
          passed: summary.passed,
          failed: summary.failed,
          error: summary.error,
          skipped: summary.skipped,
        },
      };
    },

    /**
     * Writes the results back: a comment on each Jira scenario (with the configured transition and a
     * Bug per failure, logs and screenshots attached) and the run's Confluence page. Repeating it
     * finds the comments, Bugs and page an earlier attempt wrote.
     */
    async reportTests(input: ReportTestsInput): Promise<ReportTestsOutput> {
      const manifest = await readJsonArtifact<TestManifest>(store, input.manifestUri);
      const results = await readJsonArtifact<TestResult[]>(store, input.resultsUri);
      const readArtifact = (rel: string): Promise<Buffer> =>
        store.getBytes(testsDir(input.runKey, 'output', ...rel.split(/[\\/]/)));
      const metrics: ReportTestsOutput['metrics'] = {};
      let bugs: { testId: string; key: string; url?: string }[] = [];
      const jiraReport = input.report.jira;
      if (jiraReport && manifest.source === 'jira' && integrations.jira) {
        heartbeat({ phase: 'jira' });
        const out = await whileHeartbeating(
          reportResultsToJira(integrations.jira, {
            runId: input.runKey,
            scenarios: manifest.scenarios,
            ...(input.runName !== undefined ? { runName: input.runName } : {}),
            results,
            readArtifact,
            options: {
              comments: jiraReport.comments,
              ...(jiraReport.transitions ? { transitions: jiraReport.transitions } : {}),
              ...(jiraReport.bugs ? { bugs: jiraReport.bugs } : {}),
            },
          }),
          { phase: 'jira' },
        );
        metrics.jiraComments = out.counts.commentsCreated + out.counts.commentsFound;
        bugs = out.bugs.map((b) => ({ testId: b.testId, key: b.key, ...(b.url ? { url: b.url } : {}) }));
        metrics.bugs = [...new Set(out.bugs.map((b) => b.key))];
        // Writes Jira refused (a Bug's required field, a missing transition): reported, not hidden.
        if (out.failures.length > 0) {
          metrics.jiraFailures = out.failures
            .slice(0, MAX_REPORTED_FAILURES)
            .map((f) => `${f.scenarioId} ${f.step}${f.testId ? ` (${f.testId})` : ''}: ${f.error}`);
          if (out.failures.length > MAX_REPORTED_FAILURES)
            metrics.jiraFailures.push(`… and ${out.failures.length - MAX_REPORTED_FAILURES} more`);
        }
      }
      const confluence = input.report.confluence;
      if (confluence && integrations.confluence) {
        heartbeat({ phase: 'confluence' });
        const storage = renderRunPage({
          runId: input.runKey,
          ...(input.runName !== undefined ? { runName: input.runName } : {}),
          ...(input.qualityScore !== undefined ? { quality: { score: input.qualityScore } } : {}),
          loads: Object.entries(input.targets).map(([target, r]) => ({
            target,
            rows: r.loaded + r.skipped,
            ...r,
          })),
          scenarios: manifest.scenarios,
          results,
          bugs,
        });
        const parentId = confluence.parentId ?? integrations.confluence.parentId;
        const page = await whileHeartbeating(
          integrations.confluence.pages.publishPage({
            spaceKey: confluence.spaceKey ?? integrations.confluence.spaceKey,
            title: confluence.title ?? runPageTitle({ runId: input.runKey, runName: input.runName }),
            storage,
            ...(parentId !== undefined ? { parentId } : {}),
          }),
          { phase: 'confluence' },
        );
        metrics.confluencePageUrl = page.url;
      }
      return { metrics };
    },
  };
}

/** Jira write failures kept in the run's metrics (workflow state stays small). */
const MAX_REPORTED_FAILURES = 20;

/** `"90s"`, `"2m"`, `"1500ms"` → milliseconds (the schema has already checked the form). */
function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new ConfigError('must be a duration such as "90s" or "5m"', 'tests.timeout');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

/** The test-stage activities. */
export type TestStageActivities = ReturnType<typeof createTestStageActivities>;
