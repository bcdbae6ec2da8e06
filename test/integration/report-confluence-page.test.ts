/**
 * The run page publisher through the real confluence.js client against the local Confluence
 * (test/servers/confluence-server.ts): create under a parent, no second page on retries or lost
 * answers, updates only when the body changed, version conflicts, Retry-After, XHTML validation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderRunPage, runPageTitle } from '../../core/testing/run-page.js';
import {
  ConfluenceRateLimitedError,
  ConfluenceRequestError,
  createConfluencePagePublisher,
  readConfluencePublisherSettings,
  type ConfluencePagePort,
  type ConfluencePagePublisherOptions,
  type PublishPageInput,
} from '../../integrations/confluence/index.js';
import { startConfluenceServer, type ConfluenceServer } from '../servers/confluence-server.js';

const EMAIL = 'svc-understudy@example.org';
const TOKEN = 'ATATT3xFfGF0-test-token';
const PAT = 'dc-personal-access-token';
const PARENT_ID = '500';

let server: ConfluenceServer;
let sleeps: { ms: number; requestsBefore: number }[];
let seq = 0;

function publisher(extra: Partial<ConfluencePagePublisherOptions> = {}): ConfluencePagePort {
  return createConfluencePagePublisher({
    host: server.url,
    auth: { kind: 'basic', email: EMAIL, apiToken: TOKEN },
    sleep: (ms) => {
      // Recorded, not waited: what matters is that no request leaves before the wait.
      sleeps.push({ ms, requestsBefore: server.requests.length });
      return Promise.resolve();
    },
    ...extra,
  });
}

/** A page input with a title no other test uses. */
function input(body = '<p>first</p>', extra: Partial<PublishPageInput> = {}): PublishPageInput {
  seq++;
  return { spaceKey: 'QA', title: `Understudy run r${seq}`, storage: body, parentId: PARENT_ID, ...extra };
}

function pagesTitled(title: string) {
  return [...server.pages.values()].filter((p) => p.spaceKey === 'QA' && p.title === title);
}

const writes = () => server.requests.filter((r) => r.method === 'POST' || r.method === 'PUT');

beforeAll(async () => {
  server = await startConfluenceServer({
    email: EMAIL,
    apiToken: TOKEN,
    pat: PAT,
    spaces: { QA: 'Quality', DATA: 'Data Platform' },
    pages: [{ id: PARENT_ID, spaceKey: 'QA', title: 'Test runs', storage: '<p>All runs</p>' }],
  });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  sleeps = [];
  server.resetRequests();
});

describe('publishPage', () => {
  it('creates the page under its parent, then leaves it alone when the body is the same', async () => {
    const page = input();
    const first = await publisher().publishPage(page);
    expect(first).toMatchObject({ action: 'created', version: 1 });
    expect(first.url).toBe(
      `${server.url}/wiki/spaces/QA/pages/${first.pageId}/${encodeURIComponent(page.title.replace(/ /g, '+'))}`,
    );
    const stored = server.pages.get(first.pageId);
    expect(stored).toMatchObject({
      title: page.title,
      storage: '<p>first</p>',
      parentId: PARENT_ID,
      version: 1,
    });
    expect(stored?.versionMessage).toMatch(/^Published by Understudy \[understudy-body:[0-9a-f]{16}\]$/);

    server.resetRequests();
    const again = await publisher().publishPage(page);
    expect(again).toEqual({ ...first, action: 'unchanged' });
    expect(writes()).toEqual([]);
    expect(pagesTitled(page.title)).toHaveLength(1);
  });

  it('updates with version + 1 only when the body changed, keeping the page where it is', async () => {
    const page = input('<p>v1</p>');
    const created = await publisher().publishPage(page);
    const updated = await publisher().publishPage({ ...page, storage: '<p>v2</p>', parentId: undefined });
    expect(updated).toMatchObject({ action: 'updated', pageId: created.pageId, version: 2 });
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({ version: { number: 2 }, title: page.title, type: 'page' });
    expect(server.pages.get(created.pageId)).toMatchObject({
      storage: '<p>v2</p>',
      parentId: PARENT_ID,
      history: ['<p>v1</p>', '<p>v2</p>'],
    });
  });

  it('knows its own body even when Confluence stored it rewritten (hash in the version message)', async () => {
    const page = input('<p>a<br/>b</p>');
    const created = await publisher().publishPage(page);
    // Confluence normalises storage on save; the exact text comes back different.
    const stored = server.pages.get(created.pageId);
    if (stored) stored.storage = '<p>a<br />b</p>';
    server.resetRequests();
    expect((await publisher().publishPage(page)).action).toBe('unchanged');
    expect(writes()).toEqual([]);
  });

  it('overwrites a page someone edited since, and reads again after a 409 version conflict', async () => {
    const page = input('<p>ours 1</p>');
    const created = await publisher().publishPage(page);
    server.editBeforeNextUpdate('<p>edited in the browser</p>');
    server.resetRequests();
    const result = await publisher().publishPage({ ...page, storage: '<p>ours 2</p>' });
    expect(result).toMatchObject({ action: 'updated', pageId: created.pageId, version: 3 });
    expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([409, 200]);
    expect(server.pages.get(created.pageId)?.history).toEqual([
      '<p>ours 1</p>',
      '<p>edited in the browser</p>',
      '<p>ours 2</p>',
    ]);
  });

  it('makes no second page when the answer to the create is lost', async () => {
    const page = input('<p>once</p>');
    server.loseNextResponse('POST');
    const result = await publisher().publishPage(page);
    expect(result.action).toBe('unchanged');
    expect(pagesTitled(page.title)).toHaveLength(1);
    // The retried create was refused for the taken title, and the page found instead.
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([500, 400]);
  });

  it('makes no extra version when the answer to the update is lost', async () => {
    const page = input('<p>one</p>');
    const created = await publisher().publishPage(page);
    server.loseNextResponse('PUT');
    const result = await publisher().publishPage({ ...page, storage: '<p>two</p>' });
    expect(result).toMatchObject({ action: 'unchanged', version: 2 });
    expect(server.pages.get(created.pageId)?.history).toEqual(['<p>one</p>', '<p>two</p>']);
  });

  it('makes one page when two attempts publish at the same time', async () => {
    const page = input('<p>race</p>');
    const results = await Promise.all([publisher().publishPage(page), publisher().publishPage(page)]);
    expect(results.map((r) => r.action).sort()).toEqual(['created', 'unchanged']);
    expect(pagesTitled(page.title)).toHaveLength(1);
  });

  it('refuses a body that is not well-formed XHTML, as Confluence does', async () => {
    const error = await publisher()
      .publishPage(input('<p><b>bold</p></b>'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRequestError);
    expect((error as ConfluenceRequestError).status).toBe(400);
    expect(server.storageRejections.at(-1)).toBe('Unexpected close tag </p>; expected </b> at offset 10');
  });

  it('publishes the rendered run page', async () => {
    const storage = renderRunPage({
      runId: 'run-9',
      runName: 'Nightly <main> & "friends"',
      quality: { score: 0.91 },
      loads: [{ target: 'postgres', rows: 10, loaded: 10, skipped: 0, failed: 0, durationMs: 80 }],
      scenarios: [{ id: 'SHOP-1', title: 'Pay </p> an invoice', url: 'https://jira.example/browse/SHOP-1' }],
      results: [
        {
          testId: 'SHOP-1--api',
          scenarioId: 'SHOP-1',
          framework: 'api',
          outcome: 'failed',
          durationMs: 90,
          failedStep: '<ac:x>',
        },
      ],
    });
    const title = runPageTitle({ runId: 'run-9', runName: 'Nightly <main> & "friends"' });
    const result = await publisher().publishPage({ spaceKey: 'QA', title, storage });
    expect(result.action).toBe('created');
    expect(server.pages.get(result.pageId)?.storage).toBe(storage);
  });

  it('authenticates with a personal access token as a bearer token', async () => {
    const result = await publisher({ auth: { kind: 'bearer', token: PAT } }).publishPage(input());
    expect(result.action).toBe('created');
    expect(server.requests.every((r) => r.authorized)).toBe(true);
  });

  it('names a missing parent or space with Confluence status, not the page content', async () => {
    const error = await publisher()
      .publishPage(input('<p>secret body</p>', { parentId: '424242' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRequestError);
    expect((error as Error).message).toBe('Confluence create page failed: HTTP 400');
  });
});

describe('rate limits', () => {
  it('waits the Retry-After of each 429 before the next request', async () => {
    server.throttleNext(2, '3');
    const result = await publisher().publishPage(input());
    expect(result.action).toBe('created');
    expect(sleeps).toEqual([
      { ms: 3000, requestsBefore: 1 },
      { ms: 3000, requestsBefore: 2 },
    ]);
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200, 200]);
  });

  it('really waits at least Retry-After before sending again', async () => {
    server.throttleNext(1, '1');
    const real = createConfluencePagePublisher({
      host: server.url,
      auth: { kind: 'basic', email: EMAIL, apiToken: TOKEN },
    });
    await real.publishPage(input());
    const [limited, next] = server.requests;
    expect(limited?.status).toBe(429);
    // Timers may fire up to a millisecond early; the wait asked for is a whole second.
    expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(999);
  });

  it('fails with the typed rate-limit error when a 429 storm outlasts the retries', async () => {
    server.throttleNext(10, '2');
    const error = await publisher({ maxRetries: 3 })
      .publishPage(input())
      .catch((e: unknown) => e);
    server.throttleNext(0);
    expect(error).toBeInstanceOf(ConfluenceRateLimitedError);
    expect((error as ConfluenceRateLimitedError).retryAfterMs).toBe(2000);
    expect((error as ConfluenceRateLimitedError).status).toBe(429);
    expect(server.requests).toHaveLength(4);
    expect(sleeps.map((s) => s.ms)).toEqual([2000, 2000, 2000]);
  });

  it('does not wait when asked for longer than allowed, and says how long', async () => {
    server.throttleNext(1, '3600');
    const error = await publisher({ maxDelayMs: 60_000 })
      .publishPage(input())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRateLimitedError);
    expect((error as ConfluenceRateLimitedError).retryAfterMs).toBe(3_600_000);
    expect(sleeps).toEqual([]);
  });

  it('backs off on server errors without Retry-After', async () => {
    server.failNext(2, 503);
    await publisher({ baseDelayMs: 250 }).publishPage(input());
    expect(sleeps.map((s) => s.ms)).toEqual([250, 500]);
  });
});

describe('readConfluencePublisherSettings', () => {
  it('reads the UNDERSTUDY_CONFLUENCE_* variables, naming the one at fault', () => {
    expect(readConfluencePublisherSettings({})).toBeUndefined();
    expect(
      readConfluencePublisherSettings({
        UNDERSTUDY_CONFLUENCE_HOST: 'https://x.atlassian.net/',
        UNDERSTUDY_CONFLUENCE_EMAIL: 'a@example.org',
        UNDERSTUDY_CONFLUENCE_API_TOKEN: 't',
        UNDERSTUDY_CONFLUENCE_SPACE: 'DATA',
        UNDERSTUDY_CONFLUENCE_REPORT_SPACE: 'QA',
        UNDERSTUDY_CONFLUENCE_REPORT_PARENT_ID: '123',
      }),
    ).toEqual({
      host: 'https://x.atlassian.net',
      auth: { kind: 'basic', email: 'a@example.org', apiToken: 't' },
      spaceKey: 'QA',
      parentId: '123',
    });
    expect(
      readConfluencePublisherSettings({
        UNDERSTUDY_CONFLUENCE_HOST: 'https://wiki.corp',
        UNDERSTUDY_CONFLUENCE_PAT: 'p',
        UNDERSTUDY_CONFLUENCE_SPACE: 'DATA',
        UNDERSTUDY_CONFLUENCE_API_PREFIX: '/rest/',
      }),
    ).toEqual({
      host: 'https://wiki.corp',
      auth: { kind: 'bearer', token: 'p' },
      spaceKey: 'DATA',
      apiPrefix: '/rest/',
    });
    const fails = (env: Record<string, string>) => () => readConfluencePublisherSettings(env);
    const host = { UNDERSTUDY_CONFLUENCE_HOST: 'https://x.atlassian.net' };
    expect(fails({ ...host, UNDERSTUDY_CONFLUENCE_API_TOKEN: 'secret' })).toThrow(
      /^UNDERSTUDY_CONFLUENCE_EMAIL: required/,
    );
    expect(fails({ ...host, UNDERSTUDY_CONFLUENCE_PAT: 'p', UNDERSTUDY_CONFLUENCE_EMAIL: 'e' })).toThrow(
      /not both/,
    );
    expect(fails({ ...host, UNDERSTUDY_CONFLUENCE_PAT: 'p' })).toThrow(
      /^UNDERSTUDY_CONFLUENCE_REPORT_SPACE: required/,
    );
    expect(
      fails({
        ...host,
        UNDERSTUDY_CONFLUENCE_PAT: 'p',
        UNDERSTUDY_CONFLUENCE_SPACE: 'Q',
        UNDERSTUDY_CONFLUENCE_REPORT_PARENT_ID: 'Runs',
      }),
    ).toThrow(/^UNDERSTUDY_CONFLUENCE_REPORT_PARENT_ID: must be a page id/);
    expect(fails({ UNDERSTUDY_CONFLUENCE_HOST: 'not a url' })).toThrow(
      /^UNDERSTUDY_CONFLUENCE_HOST: not a URL/,
    );
    expect(() =>
      readConfluencePublisherSettings({ ...host, UNDERSTUDY_CONFLUENCE_API_TOKEN: 'secret' }),
    ).not.toThrow(/secret/);
  });
});
