import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderAdfDescription } from '../../core/scenarios/index.js';
import {
  buildBugDescription,
  buildResultComment,
  createJiraClient,
  fingerprintFailure,
  JiraRateLimitedError,
  JiraRequestError,
  JiraTransitionNotFoundError,
  readJiraSettings,
  resultCommentMarker,
  type JiraClientOptions,
  type JiraPort,
} from '../../integrations/jira/index.js';
import { startJiraServer, validateAdf, type JiraServer } from '../servers/jira-server.js';

const EMAIL = 'qa@example.test';
const TOKEN = 'api-token-123';
const PAT = 'pat-xyz';

let server: JiraServer;
let sleeps: { ms: number; requestsBefore: number }[];

function client(extra: Partial<JiraClientOptions> = {}): JiraPort {
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

async function collect(port: JiraPort, jql: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const issue of port.searchIssues({ jql })) keys.push(issue.key);
  return keys;
}

beforeAll(async () => {
  server = await startJiraServer({ basic: { email: EMAIL, apiToken: TOKEN }, pat: PAT });
  for (let i = 1; i <= 120; i++) {
    server.seedIssue({
      project: 'SHOP',
      issueType: 'Test',
      summary: `Scenario ${i}`,
      labels: i % 2 === 0 ? ['run-1', 'even'] : ['run-1'],
      description: renderAdfDescription({
        preconditions: [`customer ${i} exists`],
        steps: [{ action: `open page ${i}`, data: `id=${i}`, expected: 'page shown' }],
        expectedResults: ['done'],
      }),
    });
  }
  server.seedIssue({ project: 'SHOP', issueType: 'Task', summary: 'not a test', labels: ['run-1'] });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  sleeps = [];
  server.resetRequests();
});

const RUN_JQL = 'project = SHOP AND labels = "run-1" AND issuetype = Test ORDER BY key ASC';
const ALL_KEYS = Array.from({ length: 120 }, (_, i) => `SHOP-${i + 1}`);

describe('search with pagination', () => {
  it('reads 120 issues through the enhanced endpoint with nextPageToken, in key order', async () => {
    expect(await collect(client(), RUN_JQL)).toEqual(ALL_KEYS);
    const searches = server.requests.filter((r) => r.path === '/rest/api/3/search/jql');
    expect(searches).toHaveLength(3);
    expect(searches.map((r) => r.query.nextPageToken === undefined)).toEqual([true, false, false]);
    // Without fields the enhanced endpoint returns only ids.
    expect(searches[0]?.query.fields).toBe('summary,labels,description,issuetype,status');
  });

  it('reads every issue when Jira returns fewer than asked (page size above the cap)', async () => {
    expect(await collect(client({ pageSize: 150 }), RUN_JQL)).toEqual(ALL_KEYS);
    expect(server.requests.filter((r) => r.path === '/rest/api/3/search/jql')).toHaveLength(2);
  });

  it('falls back to startAt paging where /search/jql does not exist, advancing by what came back', async () => {
    const old = await startJiraServer({
      basic: { email: EMAIL, apiToken: TOKEN },
      searchEndpoints: { enhanced: false },
    });
    try {
      for (let i = 1; i <= 120; i++) old.seedIssue({ project: 'SHOP', summary: `s${i}`, labels: ['run-1'] });
      const port = createJiraClient({
        settings: { host: old.url, auth: { kind: 'basic', email: EMAIL, apiToken: TOKEN } },
        pageSize: 150,
      });
      expect(await collect(port, RUN_JQL)).toEqual(ALL_KEYS);
      const legacy = old.requests.filter((r) => r.path === '/rest/api/3/search');
      expect(legacy.map((r) => r.query.startAt)).toEqual(['0', '100']);
      // The fallback is remembered: a second search goes straight to the old endpoint.
      old.resetRequests();
      expect(await collect(port, 'project = SHOP AND labels in ("run-1") ORDER BY key')).toHaveLength(120);
      expect(old.requests.every((r) => r.path === '/rest/api/3/search')).toBe(true);
    } finally {
      await old.stop();
    }
  });

  it('stops at maxIssues without asking for another page', async () => {
    const keys: string[] = [];
    for await (const issue of client().searchIssues({ jql: RUN_JQL, maxIssues: 50 })) keys.push(issue.key);
    expect(keys).toEqual(ALL_KEYS.slice(0, 50));
    expect(server.requests).toHaveLength(1);
  });

  it('parses scenarios from the issues it finds, step fields included', async () => {
    const key = server.seedIssue({
      project: 'SHOP',
      summary: 'Xray scenario',
      labels: ['xray'],
      description: renderAdfDescription({
        preconditions: ['p'],
        steps: [{ action: 'prose' }],
        expectedResults: [],
      }),
      custom: {
        customfield_10040: {
          steps: [{ index: 1, fields: { Action: 'Structured', Data: 'd', 'Expected Result': 'r' } }],
        },
      },
    });
    const [fromField] = await client().searchScenarios({
      jql: 'labels = xray',
      stepFields: ['customfield_10040'],
    });
    expect(fromField).toMatchObject({
      id: key,
      title: 'Xray scenario',
      preconditions: ['p'],
      steps: [{ action: 'Structured', data: 'd', expected: 'r' }],
      source: { kind: 'jira-step-field', url: `${server.url}/browse/${key}` },
    });
    const [detected] = await client().searchScenarios({ jql: 'labels = xray' });
    expect(detected?.steps).toEqual([{ action: 'Structured', data: 'd', expected: 'r' }]);
    const scenarios = await client().searchScenarios({
      jql: 'labels = even AND project = SHOP ORDER BY key',
    });
    expect(scenarios).toHaveLength(60);
    expect(scenarios[0]).toMatchObject({
      id: 'SHOP-2',
      preconditions: ['customer 2 exists'],
      steps: [{ action: 'open page 2', data: 'id=2', expected: 'page shown' }],
      expectedResults: ['done'],
      problems: [],
    });
  });
});

describe('rate limits and outages', () => {
  it('waits the Retry-After of each 429 before the next request', async () => {
    server.throttleNext(2, '3');
    expect(await collect(client(), 'labels = even AND project = SHOP')).toHaveLength(60);
    expect(sleeps.map((s) => s.ms)).toEqual([3000, 3000]);
    // Each wait came right after the 429 it answers, and before any other request.
    expect(sleeps.map((s) => s.requestsBefore)).toEqual([1, 2]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200, 200]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    server.throttleNext(1, new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString());
    const now = () => Date.UTC(2030, 0, 1, 0, 0, 4);
    await client({ now }).getIssue('SHOP-1');
    expect(sleeps.map((s) => s.ms)).toEqual([6000]);
  });

  it('fails with a typed rate-limit error when a 429 storm outlasts the retries', async () => {
    server.throttleNext(10, '2');
    const error = await client({ maxRetries: 3 })
      .getIssue('SHOP-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRateLimitedError);
    expect((error as JiraRateLimitedError).retryAfterMs).toBe(2000);
    expect(server.requests).toHaveLength(4);
    expect(sleeps.map((s) => s.ms)).toEqual([2000, 2000, 2000]);
    server.clearFaults();
  });

  it('does not wait when Jira asks for longer than allowed, and says how long', async () => {
    server.throttleNext(1, '3600');
    const error = await client({ maxDelayMs: 60_000 })
      .getIssue('SHOP-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRateLimitedError);
    expect((error as JiraRateLimitedError).retryAfterMs).toBe(3_600_000);
    expect(sleeps).toEqual([]);
  });

  it('retries 503 with a doubling backoff when no Retry-After is given', async () => {
    server.failNext(2, 503);
    await client({ baseDelayMs: 500 }).getIssue('SHOP-1');
    expect(sleeps.map((s) => s.ms)).toEqual([500, 1000]);
  });
});

describe('results back to Jira', () => {
  it('adds the result comment once per run, as valid ADF', async () => {
    const port = client();
    const body = buildResultComment({
      runId: 'run-7',
      status: 'failed',
      durationMs: 12_345,
      test: 'playwright: pay invoice',
      bugKey: 'SHOP-999',
      links: [
        { title: 'Run report', url: 'https://artifacts.test/run-7/report.html' },
        { title: '', url: 'https://artifacts.test/run-7/shot.png' },
      ],
    });
    expect(validateAdf(body)).toBeUndefined();
    const first = await port.addComment({
      issueKey: 'SHOP-3',
      body,
      dedupeMarker: resultCommentMarker('run-7'),
    });
    const again = await port.addComment({
      issueKey: 'SHOP-3',
      body,
      dedupeMarker: resultCommentMarker('run-7'),
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ commentId: first.commentId, created: false });
    expect(server.issues.get('SHOP-3')?.comments).toHaveLength(1);
    expect(JSON.stringify(server.issues.get('SHOP-3')?.comments[0]?.body)).toContain('12.3 s');
  });

  it('finds the earlier comment past the first page of comments', async () => {
    const port = client();
    for (let i = 0; i < 105; i++) {
      await port.addComment({
        issueKey: 'SHOP-4',
        body: buildResultComment({ runId: `r${i}`, status: 'passed', durationMs: 1 }),
      });
    }
    const again = await port.addComment({
      issueKey: 'SHOP-4',
      body: buildResultComment({ runId: 'r104', status: 'passed', durationMs: 1 }),
      dedupeMarker: resultCommentMarker('r104'),
    });
    expect(again.created).toBe(false);
    expect(server.issues.get('SHOP-4')?.comments).toHaveLength(105);
  });

  it('refuses malformed ADF with Jira 400 and a value-free error', async () => {
    const error = await client()
      .addComment({
        issueKey: 'SHOP-5',
        body: {
          type: 'doc',
          version: 1,
          content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRequestError);
    expect((error as JiraRequestError).status).toBe(400);
    expect(server.adfRejections.at(-1)).toBe('doc.content[0].content[0].text: must be a non-empty string');
  });

  it('transitions by name, is a no-op when already there, and names a missing transition', async () => {
    const port = client();
    expect(
      await port.transitionIssue({ issueKey: 'SHOP-6', transition: 'pass', targetStatus: 'Passed' }),
    ).toEqual({
      status: 'Passed',
      changed: true,
    });
    expect(server.issues.get('SHOP-6')?.status).toBe('Passed');
    expect(
      await port.transitionIssue({ issueKey: 'SHOP-6', transition: 'Pass', targetStatus: 'Passed' }),
    ).toEqual({
      status: 'Passed',
      changed: false,
    });
    const error = await port
      .transitionIssue({ issueKey: 'SHOP-6', transition: 'Deploy' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraTransitionNotFoundError);
    expect((error as Error).message).toBe(
      'Jira issue SHOP-6 has no transition "Deploy" from status "Passed" (available: "Retest")',
    );
    // A target status name works as well as a transition name.
    await port.transitionIssue({ issueKey: 'SHOP-6', transition: 'In Testing' });
    expect(server.issues.get('SHOP-6')?.status).toBe('In Testing');
  });

  it('files one Bug per failure with the log and screenshot attached, none duplicated on re-run', async () => {
    const port = client();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    const fingerprint = fingerprintFailure({
      scenarioId: 'SHOP-7',
      errorKind: 'AssertionError',
      message: 'expected total 41.50 to equal 42 (took 1532 ms)',
    });
    const input = {
      projectKey: 'SHOP',
      summary: 'Understudy: SHOP-7 failed\nPay an overdue invoice',
      description: buildBugDescription({
        scenarioKey: 'SHOP-7',
        scenarioTitle: 'Scenario 7',
        runId: 'run-8',
        failedStep: 'Pay the invoice',
        message: 'expected total 41.50 to equal 42',
        fingerprint,
        links: [{ title: 'log', url: 'https://artifacts.test/log' }],
      }),
      fingerprint,
      scenarioKey: 'SHOP-7',
      attachments: [
        { filename: 'test.log', content: Buffer.from('step 1 ok\nstep 2 FAILED\n') },
        { filename: 'failure.png', content: png, mimeType: 'image/png' },
      ],
    };
    const first = await port.ensureBug(input);
    expect(first).toMatchObject({ created: true, attached: ['test.log', 'failure.png'] });
    // The same failure on the next run, with other timings in its message.
    const rerun = await port.ensureBug({
      ...input,
      fingerprint: fingerprintFailure({
        scenarioId: 'SHOP-7',
        errorKind: 'AssertionError',
        message: 'expected total 41.50 to equal 42 (took 1877 ms)',
      }),
    });
    expect(rerun).toEqual({ key: first.key, created: false, attached: [] });
    const bugs = [...server.issues.values()].filter((i) => i.issueType === 'Bug');
    expect(bugs).toHaveLength(1);
    const bug = bugs[0];
    expect(bug?.labels).toEqual([`understudy-fp-${fingerprint}`]);
    expect(bug?.summary).toBe('Understudy: SHOP-7 failed Pay an overdue invoice');
    expect(bug?.attachments.map((a) => [a.filename, a.mimeType])).toEqual([
      ['test.log', 'text/plain'],
      ['failure.png', 'image/png'],
    ]);
    expect(bug?.attachments[1]?.content.equals(png)).toBe(true);
    expect(bug?.attachments[0]?.content.toString()).toBe('step 1 ok\nstep 2 FAILED\n');
  });

  it('finds the Bug even while search has not indexed it yet (the scenario records it)', async () => {
    server.setIndexing(false);
    try {
      const port = client();
      const fingerprint = fingerprintFailure({ scenarioId: 'SHOP-8', message: 'timeout' });
      const input = {
        projectKey: 'SHOP',
        summary: 'SHOP-8 failed',
        description: buildBugDescription({
          scenarioKey: 'SHOP-8',
          scenarioTitle: 't',
          runId: 'r',
          fingerprint,
        }),
        fingerprint,
        scenarioKey: 'SHOP-8',
        attachments: [{ filename: 'a.log', content: Buffer.from('x') }],
      };
      const first = await port.ensureBug(input);
      const again = await port.ensureBug(input);
      expect(again).toEqual({ key: first.key, created: false, attached: [] });
      expect(server.issues.get('SHOP-8')?.properties.get('understudy.bugs')).toEqual({
        [fingerprint]: first.key,
      });
    } finally {
      server.setIndexing(true);
    }
  });

  it('files one Bug when the answer to its create was lost and search has not indexed it yet', async () => {
    const input = (scenarioKey: string) => {
      const fingerprint = fingerprintFailure({ scenarioId: scenarioKey, message: 'lost answer' });
      return {
        projectKey: 'SHOP',
        summary: `${scenarioKey} failed`,
        description: buildBugDescription({ scenarioKey, scenarioTitle: 't', runId: 'r', fingerprint }),
        fingerprint,
        scenarioKey,
      };
    };
    server.setIndexing(false);
    try {
      // Where the create falls among ensureBug's requests, seen on another scenario.
      server.resetRequests();
      await client().ensureBug(input('SHOP-10'));
      const createAt = server.requests.findIndex((r) => r.method === 'POST' && r.path.endsWith('/issue')) + 1;
      expect(createAt).toBeGreaterThan(0);

      server.resetRequests();
      server.crashAt(createAt, 'after');
      await expect(client().ensureBug(input('SHOP-11'))).rejects.toThrow();
      const bugsOf = () =>
        [...server.issues.values()].filter((i) => i.summary === 'SHOP-11 failed').map((i) => i.key);
      expect(bugsOf()).toHaveLength(1);
      // The retry waits for search to show the Bug the lost attempt made, instead of filing another.
      let waits = 0;
      const retry = await client({
        sleep: () => {
          if (++waits === 2) server.reindex();
          return Promise.resolve();
        },
      }).ensureBug(input('SHOP-11'));
      expect(retry).toMatchObject({ key: bugsOf()[0], created: false });
      expect(bugsOf()).toHaveLength(1);
      expect(server.issues.get('SHOP-11')?.properties.get('understudy.bugs')).toEqual({
        [input('SHOP-11').fingerprint]: retry.key,
      });
    } finally {
      server.setIndexing(true);
    }
  });

  it('finds the Bug by its fingerprint label when no scenario is given, and attaches only what is missing', async () => {
    const port = client();
    const fingerprint = fingerprintFailure({ scenarioId: 'SHOP-9', message: 'boom' });
    const base = {
      projectKey: 'SHOP',
      summary: 'SHOP-9 failed',
      description: buildBugDescription({
        scenarioKey: 'SHOP-9',
        scenarioTitle: 't',
        runId: 'r',
        fingerprint,
      }),
      fingerprint,
    };
    const first = await port.ensureBug({
      ...base,
      attachments: [{ filename: 'a.log', content: Buffer.from('1') }],
    });
    const again = await port.ensureBug({
      ...base,
      attachments: [
        { filename: 'a.log', content: Buffer.from('1') },
        { filename: 'b.png', content: Buffer.from('2') },
      ],
    });
    expect(again).toEqual({ key: first.key, created: false, attached: ['b.png'] });
    expect(server.issues.get(first.key)?.attachments.map((a) => a.filename)).toEqual(['a.log', 'b.png']);
  });

  it('refuses attachments without the XSRF header (what jira.js sends, and the client relies on)', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.txt');
    const auth = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;
    const res = await fetch(`${server.url}/rest/api/3/issue/SHOP-10/attachments`, {
      method: 'POST',
      headers: { authorization: auth },
      body: form,
    });
    expect(res.status).toBe(403);
    expect(server.issues.get('SHOP-10')?.attachments).toHaveLength(0);
    const stored = await client().addAttachments('SHOP-10', [
      { filename: 'x.txt', content: Buffer.from('x') },
    ]);
    expect(stored.map((a) => a.filename)).toEqual(['x.txt']);
  });
});

describe('auth and errors', () => {
  it('authenticates with a PAT as a bearer token', async () => {
    const port = createJiraClient({ settings: { host: server.url, auth: { kind: 'bearer', token: PAT } } });
    expect((await port.getIssue('SHOP-1')).key).toBe('SHOP-1');
  });

  it('answers 401 to wrong credentials with a hint, not the credentials', async () => {
    const port = createJiraClient({
      settings: { host: server.url, auth: { kind: 'basic', email: EMAIL, apiToken: 'wrong-secret' } },
    });
    const error = await port.getIssue('SHOP-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRequestError);
    expect((error as Error).message).toMatch(/HTTP 401 \(check UNDERSTUDY_JIRA_EMAIL/);
    expect((error as Error).message).not.toContain('wrong-secret');
  });

  it('names rejected fields but never the values Jira quotes back', async () => {
    const error = await client()
      .ensureBug({
        projectKey: 'SHOP',
        summary: 'x',
        description: buildBugDescription({
          scenarioKey: 'S',
          scenarioTitle: 't',
          runId: 'r',
          fingerprint: 'f',
        }),
        fingerprint: 'f0',
        labels: ['alice smith@example.com'],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRequestError);
    expect((error as JiraRequestError).fields).toEqual(['labels']);
    expect((error as Error).message).toBe(
      'Jira create issue in SHOP failed: HTTP 400; fields rejected: labels',
    );
    // With a scenario: the refused create leaves no pending mark that a later run would wait on.
    const withScenario = await client()
      .ensureBug({
        projectKey: 'SHOP',
        summary: 'x',
        description: buildBugDescription({
          scenarioKey: 'SHOP-12',
          scenarioTitle: 't',
          runId: 'r',
          fingerprint: 'f1',
        }),
        fingerprint: 'f1',
        scenarioKey: 'SHOP-12',
        labels: ['alice smith@example.com'],
      })
      .catch((e: unknown) => e);
    expect(withScenario).toBeInstanceOf(JiraRequestError);
    expect(server.issues.get('SHOP-12')?.properties.get('understudy.bugs') ?? {}).toEqual({});
    const jql = await collect(client(), 'project = SECRETPROJ').catch((e: unknown) => e);
    expect((jql as Error).message).toBe('Jira search failed: HTTP 400');
    expect(JSON.stringify(jql)).not.toContain('SECRETPROJ');
  });

  it('reads settings from the environment, naming the variable at fault', () => {
    expect(readJiraSettings({})).toBeUndefined();
    expect(
      readJiraSettings({
        UNDERSTUDY_JIRA_URL: 'https://x.atlassian.net/',
        UNDERSTUDY_JIRA_EMAIL: 'a',
        UNDERSTUDY_JIRA_API_TOKEN: 'b',
      }),
    ).toEqual({ host: 'https://x.atlassian.net', auth: { kind: 'basic', email: 'a', apiToken: 'b' } });
    expect(
      readJiraSettings({ UNDERSTUDY_JIRA_URL: 'https://jira.corp', UNDERSTUDY_JIRA_PAT: 'p' })?.auth,
    ).toEqual({
      kind: 'bearer',
      token: 'p',
    });
    expect(() =>
      readJiraSettings({ UNDERSTUDY_JIRA_URL: 'https://x', UNDERSTUDY_JIRA_API_TOKEN: 'secret' }),
    ).toThrow(/^UNDERSTUDY_JIRA_EMAIL: required/);
    expect(() => readJiraSettings({ UNDERSTUDY_JIRA_URL: 'not a url' })).toThrow(
      /^UNDERSTUDY_JIRA_URL: not a URL/,
    );
    expect(() =>
      readJiraSettings({
        UNDERSTUDY_JIRA_URL: 'https://x',
        UNDERSTUDY_JIRA_PAT: 'p',
        UNDERSTUDY_JIRA_EMAIL: 'e',
      }),
    ).toThrow(/not both/);
  });
});
