/**
 * Reporting test results to Jira through the real jira.js client against the local Jira
 * (test/servers/jira-server.ts): comments, Bugs with attachments, transitions; nothing duplicated
 * on a retried call, on a re-run, or after a crash at any request; 429 storms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { extractAdfText } from '../../core/scenarios/adf-description.js';
import type { TestResult } from '../../core/testing/types.js';
import {
  BUG_LABEL_PREFIX,
  buildScenarioComment,
  createJiraClient,
  JiraRateLimitedError,
  reportResultsToJira,
  resultCommentMarker,
  worstOutcome,
  type JiraClientOptions,
  type JiraPort,
  type ReportResultsToJiraInput,
  type ReportScenario,
} from '../../integrations/jira/index.js';
import { startJiraServer, validateAdf, type JiraServer } from '../servers/jira-server.js';

const EMAIL = 'qa@example.test';
const TOKEN = 'api-token-123';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);

const servers: JiraServer[] = [];
let sleeps: { ms: number; requestsBefore: number }[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  sleeps = [];
});

/** A local Jira with scenarios SHOP-1..SHOP-5 (To Do). */
async function freshJira(): Promise<JiraServer> {
  const server = await startJiraServer({ basic: { email: EMAIL, apiToken: TOKEN } });
  servers.push(server);
  for (let i = 1; i <= 5; i++) server.seedIssue({ project: 'SHOP', summary: `Scenario ${i}` });
  return server;
}

function client(server: JiraServer, extra: Partial<JiraClientOptions> = {}): JiraPort {
  return createJiraClient({
    settings: { host: server.url, auth: { kind: 'basic', email: EMAIL, apiToken: TOKEN } },
    sleep: (ms) => {
      // Recorded, not waited: what matters is that no request leaves before the wait.
      sleeps.push({ ms, requestsBefore: server.requests.length });
      return Promise.resolve();
    },
    ...extra,
  });
}

function jiraScenario(server: JiraServer, n: number, title = `Scenario ${n}`): ReportScenario {
  const url = `${server.url}/browse/SHOP-${n}`;
  return { id: `SHOP-${n}`, title, source: { kind: 'jira-adf', url } };
}

function result(
  scenarioId: string,
  framework: TestResult['framework'],
  outcome: TestResult['outcome'],
  extra: Partial<TestResult> = {},
): TestResult {
  return {
    testId: `${scenarioId}--${framework}`,
    scenarioId,
    framework,
    outcome,
    durationMs: 1500,
    ...extra,
  };
}

const ARTIFACTS = new Map<string, Buffer>([
  ['SHOP-1--playwright/output.log', Buffer.from('open /invoices ok\nclick Pay FAILED\n')],
  ['SHOP-1--playwright/failure.png', PNG],
  ['SHOP-4--api/output.log', Buffer.from('GET /api/orders -> 500\n')],
  ['SHOP-4--robot/log.txt', Buffer.from('robot says no\n')],
]);

async function readArtifact(relPath: string): Promise<Buffer> {
  const content = ARTIFACTS.get(relPath);
  if (content === undefined)
    throw Object.assign(new Error(`ENOENT: no such file ${relPath}`), { code: 'ENOENT' });
  return content;
}

/** The run used by most tests: every outcome, several frameworks per scenario, a file scenario. */
function runInput(server: JiraServer, runId = 'run-1'): ReportResultsToJiraInput {
  return {
    runId,
    runName: 'Release 7',
    scenarios: [
      jiraScenario(server, 1, 'Pay an overdue invoice'),
      jiraScenario(server, 2),
      jiraScenario(server, 3),
      jiraScenario(server, 4),
      jiraScenario(server, 5),
      { id: 'orders-export', title: 'From the scenarios file', source: { kind: 'file', url: undefined } },
    ],
    results: [
      result('SHOP-1', 'playwright', 'failed', {
        durationMs: 4200,
        failedStep: 'Click "Pay"',
        message: 'expected total 41.50 to equal 42 (took 1532 ms)\n  at pay.spec.ts:12',
        logFile: 'SHOP-1--playwright/output.log',
        screenshotFile: 'SHOP-1--playwright/failure.png',
      }),
      result('SHOP-1', 'robot', 'passed'),
      result('SHOP-1', 'api', 'passed', { durationMs: 80 }),
      result('SHOP-2', 'playwright', 'passed'),
      result('SHOP-2', 'api', 'passed'),
      result('SHOP-3', 'robot', 'error', { message: 'Timeout 120 s exceeded' }),
      result('SHOP-3', 'api', 'skipped', { durationMs: 0 }),
      result('SHOP-4', 'api', 'failed', {
        message: 'expected status 200, got 500',
        logFile: 'SHOP-4--api/output.log',
      }),
      result('SHOP-4', 'robot', 'failed', {
        message: 'Element not found: #orders',
        logFile: 'SHOP-4--robot/log.txt',
      }),
      result('orders-export', 'api', 'failed', { message: 'from a file: never written' }),
    ],
    links: {
      runReport: 'https://artifacts.example/run-1/report.html',
      temporalUi: 'http://localhost:8233/namespaces/default/workflows/run-1',
    },
    options: {
      transitions: { passed: 'Pass', failed: 'Fail' },
      bugs: { projectKey: 'SHOP', labels: ['understudy'] },
    },
    readArtifact,
    artifactUrl: (relPath) => `https://artifacts.example/run-1/tests/${relPath}`,
  };
}

/** Everything a report can change, in a form two servers can be compared by. */
function snapshot(server: JiraServer) {
  return [...server.issues.values()].map((i) => ({
    key: i.key,
    type: i.issueType,
    status: i.status,
    summary: i.summary,
    labels: i.labels,
    comments: i.comments.map((c) => extractAdfText(c.body)),
    attachments: i.attachments.map((a) => `${a.filename}:${a.content.toString('base64')}`),
    properties: Object.fromEntries(i.properties),
  }));
}

const writes = (server: JiraServer) =>
  server.requests.filter((r) => r.method === 'POST' || r.method === 'PUT' || r.method === 'DELETE');
const bugsOf = (server: JiraServer) => [...server.issues.values()].filter((i) => i.issueType === 'Bug');

describe('reportResultsToJira', () => {
  it('comments on each Jira scenario, files a Bug per failed test with its files, and transitions', async () => {
    const server = await freshJira();
    const summary = await reportResultsToJira(client(server), runInput(server));

    expect(summary.failures).toEqual([]);
    expect(summary.skipped).toEqual([
      { scenarioId: 'SHOP-5', reason: 'no-results' },
      { scenarioId: 'orders-export', reason: 'not-from-jira' },
    ]);
    expect(summary.scenarios.map((s) => [s.scenarioId, s.status, s.tests])).toEqual([
      ['SHOP-1', 'failed', 3],
      ['SHOP-2', 'passed', 2],
      ['SHOP-3', 'error', 2],
      ['SHOP-4', 'failed', 2],
    ]);
    expect(summary.counts).toEqual({
      commentsCreated: 4,
      commentsFound: 0,
      bugsCreated: 3,
      bugsExisting: 0,
      filesAttached: 4,
      transitionsChanged: 3,
      transitionsUnchanged: 0,
    });

    // Transitions: only clear verdicts move an issue.
    expect(
      ['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4', 'SHOP-5'].map((k) => server.issues.get(k)?.status),
    ).toEqual(['Failed', 'Passed', 'To Do', 'Failed', 'To Do']);

    // Bugs: one per failed test, fingerprint label plus the configured ones, files attached.
    const bugs = bugsOf(server);
    expect(bugs.map((b) => b.summary)).toEqual([
      'SHOP-1 playwright test failed: Pay an overdue invoice',
      'SHOP-4 api test failed: Scenario 4',
      'SHOP-4 robot test failed: Scenario 4',
    ]);
    for (const bug of bugs) {
      expect(bug.labels).toHaveLength(2);
      expect(bug.labels[0]?.startsWith(BUG_LABEL_PREFIX)).toBe(true);
      expect(bug.labels[1]).toBe('understudy');
      expect(validateAdf(bug.description)).toBeUndefined();
    }
    const payBug = bugs[0];
    expect(payBug?.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
      ['output.log', 'text/plain'],
      ['failure.png', 'image/png'],
    ]);
    expect(payBug?.attachments[1]?.content.equals(PNG)).toBe(true);
    const description = extractAdfText(payBug?.description);
    expect(description).toContain('Failed step: Click "Pay"');
    expect(description).toContain('expected total 41.50 to equal 42');
    expect(summary.bugs.map((b) => [b.testId, b.key, b.url, b.created])).toEqual([
      ['SHOP-1--playwright', payBug?.key, `${server.url}/browse/${payBug?.key}`, true],
      ['SHOP-4--api', bugs[1]?.key, `${server.url}/browse/${bugs[1]?.key}`, true],
      ['SHOP-4--robot', bugs[2]?.key, `${server.url}/browse/${bugs[2]?.key}`, true],
    ]);

    // Comments: marker, worst status, one line per test with framework, outcome, duration, Bug and links.
    const comment = server.issues.get('SHOP-1')?.comments;
    expect(comment).toHaveLength(1);
    expect(validateAdf(comment?.[0]?.body)).toBeUndefined();
    const text = extractAdfText(comment?.[0]?.body);
    expect(text).toContain('Understudy run run-1: FAILED 3 test(s) in 5.8 s');
    expect(text).toContain('Run: Release 7');
    expect(text).toContain(
      `playwright: FAILED in 4.2 s; failed at: Click "Pay"; Bug ${payBug?.key}; log; screenshot`,
    );
    expect(text).toContain('expected total 41.50 to equal 42 (took 1532 ms)');
    expect(text).not.toContain('at pay.spec.ts:12');
    expect(text).toContain('robot: PASSED in 1.5 s');
    expect(text).toContain('api: PASSED in 80 ms');
    expect(text).toContain('Run report · Run in Temporal UI');
    const json = JSON.stringify(comment?.[0]?.body);
    expect(json).toContain(`"href":"${server.url}/browse/${payBug?.key}"`);
    expect(json).toContain('"href":"https://artifacts.example/run-1/tests/SHOP-1--playwright/failure.png"');
    expect(extractAdfText(server.issues.get('SHOP-3')?.comments[0]?.body)).toContain(
      'Understudy run run-1: ERROR 2 test(s) in 1.5 s',
    );
    // Nothing for the scenario without results.
    expect(server.issues.get('SHOP-5')?.comments).toEqual([]);
  });

  it('writes nothing more when the same call is retried', async () => {
    const server = await freshJira();
    const port = client(server);
    await reportResultsToJira(port, runInput(server));
    const before = snapshot(server);
    server.resetRequests();
    const again = await reportResultsToJira(port, runInput(server));
    expect(writes(server)).toEqual([]);
    expect(snapshot(server)).toEqual(before);
    expect(again.counts).toEqual({
      commentsCreated: 0,
      commentsFound: 4,
      bugsCreated: 0,
      bugsExisting: 3,
      filesAttached: 0,
      transitionsChanged: 0,
      transitionsUnchanged: 3,
    });
    expect(again.failures).toEqual([]);
  });

  it('on a re-run adds a comment per scenario but finds the Bugs it filed before', async () => {
    const server = await freshJira();
    const port = client(server);
    await reportResultsToJira(port, runInput(server, 'run-1'));
    const rerun = runInput(server, 'run-10');
    // The same failures, with other timings in their messages.
    rerun.results = rerun.results.map((r) =>
      r.message
        ? { ...r, message: r.message.replace('1532 ms', '1877 ms'), durationMs: r.durationMs + 7 }
        : r,
    );
    const summary = await reportResultsToJira(port, rerun);
    expect(summary.counts).toMatchObject({ commentsCreated: 4, bugsCreated: 0, bugsExisting: 3 });
    expect(bugsOf(server)).toHaveLength(3);
    expect(server.issues.get('SHOP-1')?.comments.map((c) => extractAdfText(c.body).slice(0, 24))).toEqual([
      'Understudy run run-1: FA',
      'Understudy run run-10: F',
    ]);
    // run-1's marker is not found inside run-10's comment, nor the other way round.
    expect((await reportResultsToJira(port, runInput(server, 'run-1'))).counts.commentsCreated).toBe(0);
  });

  it('duplicates nothing when a crash at any request is followed by a retry', async () => {
    const baseline = await freshJira();
    await reportResultsToJira(client(baseline), runInput(baseline));
    const expected = snapshot(baseline);
    const requestCount = baseline.requests.length;
    expect(requestCount).toBeGreaterThan(30);

    for (const mode of ['before', 'after'] as const) {
      for (let n = 1; n <= requestCount; n++) {
        const server = await freshJira();
        server.crashAt(n, mode);
        const port = client(server);
        await expect(reportResultsToJira(port, runInput(server)), `${mode} request ${n}`).rejects.toThrow(
          /HTTP 500/,
        );
        const retried = await reportResultsToJira(port, runInput(server));
        expect(retried.failures, `crash ${mode} request ${n}`).toEqual([]);
        expect(snapshot(server), `crash ${mode} request ${n}`).toEqual(expected);
        await server.stop();
        servers.splice(servers.indexOf(server), 1);
      }
    }
  });

  it('records a missing file, files the Bug without it, and attaches it on a later call', async () => {
    const server = await freshJira();
    const port = client(server);
    const input = runInput(server);
    input.results = [result('SHOP-1', 'api', 'failed', { message: 'boom', logFile: 'missing/output.log' })];
    const first = await reportResultsToJira(port, input);
    expect(first.failures).toEqual([
      {
        scenarioId: 'SHOP-1',
        step: 'artifact',
        testId: 'SHOP-1--api',
        error: 'log output.log could not be read: ENOENT: no such file missing/output.log',
      },
    ]);
    expect(first.counts.bugsCreated).toBe(1);
    expect(bugsOf(server)[0]?.attachments).toEqual([]);
    ARTIFACTS.set('missing/output.log', Buffer.from('late log'));
    try {
      const second = await reportResultsToJira(port, input);
      expect(second.failures).toEqual([]);
      expect(second.bugs).toMatchObject([{ created: false, attached: ['output.log'] }]);
    } finally {
      ARTIFACTS.delete('missing/output.log');
    }
  });

  it('keeps the end of a long log and leaves out a screenshot above the size limit', async () => {
    const server = await freshJira();
    const input = runInput(server);
    input.results = [input.results[0] as TestResult];
    const log = Buffer.from(`${'step ok\n'.repeat(50)}click Pay FAILED\n`);
    input.readArtifact = (relPath) => Promise.resolve(relPath.endsWith('.log') ? log : Buffer.alloc(150, 1));
    input.options = { ...input.options, maxAttachmentBytes: 100 };
    const summary = await reportResultsToJira(client(server), input);
    expect(summary.failures.map((f) => f.error)).toEqual([
      'screenshot failure.png is larger than 100 bytes; not attached',
    ]);
    const attached = bugsOf(server)[0]?.attachments;
    expect(attached?.map((a) => a.filename)).toEqual(['output.log']);
    const text = attached?.[0]?.content.toString() ?? '';
    expect(text).toHaveLength(100);
    expect(text.startsWith('[start of log left out: longer than 100 bytes]\n')).toBe(true);
    expect(text.endsWith('step ok\nclick Pay FAILED\n')).toBe(true);
  });

  it('reports a transition the workflow does not offer and still writes everything else', async () => {
    const server = await freshJira();
    const input = runInput(server);
    input.options = { ...input.options, transitions: { passed: 'Approve', failed: 'Fail' } };
    const summary = await reportResultsToJira(client(server), input);
    expect(summary.failures).toEqual([
      {
        scenarioId: 'SHOP-2',
        step: 'transition',
        error:
          'Jira issue SHOP-2 has no transition "Approve" from status "To Do" (available: "Start Testing", "Pass", "Fail")',
      },
    ]);
    expect(summary.counts).toMatchObject({ commentsCreated: 4, bugsCreated: 3, transitionsChanged: 2 });
  });

  it('writes only what is configured', async () => {
    const server = await freshJira();
    const input = runInput(server);
    input.options = { comments: false };
    const summary = await reportResultsToJira(client(server), input);
    expect(writes(server)).toEqual([]);
    expect(summary.scenarios).toHaveLength(4);
    expect(summary.counts.commentsCreated).toBe(0);
  });

  it('files Bugs for errors too when asked', async () => {
    const server = await freshJira();
    const input = runInput(server);
    input.options = { bugs: { projectKey: 'SHOP', outcomes: ['failed', 'error'] } };
    const summary = await reportResultsToJira(client(server), input);
    expect(summary.bugs.map((b) => b.testId)).toEqual([
      'SHOP-1--playwright',
      'SHOP-3--robot',
      'SHOP-4--api',
      'SHOP-4--robot',
    ]);
  });
});

describe('rate limits while reporting', () => {
  it('waits each Retry-After before the next request and completes', async () => {
    const server = await freshJira();
    server.throttleNext(3, '2');
    const summary = await reportResultsToJira(client(server), runInput(server));
    expect(summary.failures).toEqual([]);
    expect(sleeps).toEqual([
      { ms: 2000, requestsBefore: 1 },
      { ms: 2000, requestsBefore: 2 },
      { ms: 2000, requestsBefore: 3 },
    ]);
    // The first answer after the storm: the scenario has no Bug index yet.
    expect(server.requests.slice(0, 4).map((r) => r.status)).toEqual([429, 429, 429, 404]);
  });

  it('really waits at least Retry-After before sending again', async () => {
    const server = await freshJira();
    server.throttleNext(1, '1');
    const real = createJiraClient({
      settings: { host: server.url, auth: { kind: 'basic', email: EMAIL, apiToken: TOKEN } },
    });
    const input = runInput(server);
    input.results = input.results.filter((r) => r.scenarioId === 'SHOP-2');
    await reportResultsToJira(real, input);
    const [limited, next] = server.requests;
    expect(limited?.status).toBe(429);
    // Timers may fire up to a millisecond early; the wait asked for is a whole second.
    expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(999);
  });

  it('fails with the typed rate-limit error when the storm outlasts the retries, then completes on retry', async () => {
    const server = await freshJira();
    const port = client(server, { maxRetries: 2 });
    await reportResultsToJira(port, { ...runInput(server), results: runInput(server).results.slice(0, 3) });
    server.throttleNext(20, '5');
    const error = await reportResultsToJira(port, runInput(server)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRateLimitedError);
    expect((error as JiraRateLimitedError).retryAfterMs).toBe(5000);
    expect(sleeps.map((s) => s.ms)).toEqual([5000, 5000]);
    server.clearFaults();
    const summary = await reportResultsToJira(port, runInput(server));
    expect(summary.failures).toEqual([]);
    expect(bugsOf(server)).toHaveLength(3);
    expect(server.issues.get('SHOP-1')?.comments).toHaveLength(1);
  });
});

describe('scenario comments and outcomes', () => {
  it('ranks outcomes: failed over error over skipped over passed', () => {
    expect(worstOutcome([])).toBe('passed');
    expect(worstOutcome(['passed', 'skipped'])).toBe('skipped');
    expect(worstOutcome(['skipped', 'error', 'passed'])).toBe('error');
    expect(worstOutcome(['error', 'failed'])).toBe('failed');
  });

  it('builds valid ADF whatever the messages, steps and links', () => {
    const doc = buildScenarioComment({
      runId: 'r',
      runName: ' ',
      status: 'failed',
      results: [
        result('S-1', 'api', 'failed', { message: '\n\n', failedStep: '  ' }),
        result('S-1', 'robot', 'error', { message: 'x'.repeat(2000), durationMs: Number.NaN }),
      ],
      bugs: [{ testId: 'S-1--api', key: 'S-9' }],
      links: [
        { title: '', url: 'https://x.example' },
        { title: 'none', url: '' },
      ],
      artifactUrl: () => undefined,
    });
    expect(validateAdf(doc)).toBeUndefined();
    const text = extractAdfText(doc);
    expect(text).toContain('api: FAILED in 1.5 s; Bug S-9');
    expect(text).toContain('robot: ERROR in unknown duration');
    expect(text.startsWith(resultCommentMarker('r'))).toBe(true);
  });
});
