/**
 * Publishes one page per run through confluence.js's content API: find the page by space and
 * title, create it (under an optional parent) when absent, or update it with version + 1 when its
 * body changed. Confluence keeps titles unique per space, so a retried publish finds what an
 * earlier attempt created instead of making a second page; a 409 (someone saved in between) is
 * answered by reading the page again; 429 waits for Retry-After.
 */
import { createHash } from 'node:crypto';
import { ConfluenceClient, type Models } from 'confluence.js';
import { ConfigError } from '../../core/errors.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { ConfluenceRequestError } from './errors.js';
import type { ConfluencePagePort, PublishPageInput, PublishPageResult } from './port.js';

/** How requests authenticate: email + API token (Cloud) or a personal access token (Data Center). */
export type ConfluenceAuth =
  { kind: 'basic'; email: string; apiToken: string } | { kind: 'bearer'; token: string };

/** Where to publish and how to log in, as read from the environment. */
export interface ConfluencePublisherSettings {
  /** Site URL without a trailing slash, e.g. `https://your-domain.atlassian.net`. */
  host: string;
  auth: ConfluenceAuth;
  /** Space of the run pages. */
  spaceKey: string;
  /** Page the run pages are created under. */
  parentId?: string;
  /** REST prefix after the host. @default '/wiki/rest/' (Confluence Cloud) */
  apiPrefix?: string;
}

/** Options of {@link createConfluencePagePublisher}; every retry field has a default. */
export interface ConfluencePagePublisherOptions {
  host: string;
  auth: ConfluenceAuth;
  /** REST prefix after the host; Data Center serves `/rest/`. @default '/wiki/rest/' */
  apiPrefix?: string;
  /** A configured client instead of `host`/`auth` (Retry-After is then not visible: backoff is used). */
  client?: ConfluenceClient;
  /** Retries of one call after 429, 5xx or a lost connection. @default 5 */
  maxRetries?: number;
  /** First backoff when Confluence gives no Retry-After; doubles per retry. @default 1000 */
  baseDelayMs?: number;
  /** Longest wait accepted; a longer Retry-After fails at once with the wait in the error. @default 60000 */
  maxDelayMs?: number;
  /** Times a page is read again after a version conflict or a title taken meanwhile. @default 5 */
  maxConflicts?: number;
  /** How to wait (tests pass a recorder). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, for Retry-After given as a date. @default Date.now */
  now?: () => number;
}

/** Confluence kept answering 429 (or asked to wait longer than allowed): try again after `retryAfterMs`. */
export class ConfluenceRateLimitedError extends ConfluenceRequestError {
  /** Error type for failure mapping (the class name stays `ConfluenceRequestError` for older callers). */
  readonly type = 'ConfluenceRateLimited';
  /** How long Confluence asked to wait before the next request (ms), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(operation: string, retryAfterMs: number | undefined, cause: unknown) {
    super(operation, 429, { cause });
    this.retryAfterMs = retryAfterMs;
  }
}

/** Environment variables read by {@link readConfluencePublisherSettings}. */
export const ConfluencePublisherEnv = {
  host: 'UNDERSTUDY_CONFLUENCE_HOST',
  email: 'UNDERSTUDY_CONFLUENCE_EMAIL',
  apiToken: 'UNDERSTUDY_CONFLUENCE_API_TOKEN',
  pat: 'UNDERSTUDY_CONFLUENCE_PAT',
  /** Space of the run pages; falls back to UNDERSTUDY_CONFLUENCE_SPACE (the data-dictionary space). */
  reportSpace: 'UNDERSTUDY_CONFLUENCE_REPORT_SPACE',
  space: 'UNDERSTUDY_CONFLUENCE_SPACE',
  reportParentId: 'UNDERSTUDY_CONFLUENCE_REPORT_PARENT_ID',
  apiPrefix: 'UNDERSTUDY_CONFLUENCE_API_PREFIX',
} as const;

/** Reads publishing settings; undefined when `UNDERSTUDY_CONFLUENCE_HOST` is unset (publishing off). */
export function readConfluencePublisherSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfluencePublisherSettings | undefined {
  const E = ConfluencePublisherEnv;
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v.length === 0 ? undefined : v;
  };
  const url = get(E.host);
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('not a URL (expected e.g. https://your-domain.atlassian.net)', E.host);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConfigError('must be an http(s) URL', E.host);
  const pat = get(E.pat);
  const email = get(E.email);
  const apiToken = get(E.apiToken);
  let auth: ConfluenceAuth;
  if (pat !== undefined) {
    if (email !== undefined || apiToken !== undefined)
      throw new ConfigError(
        `set either ${E.pat} (bearer) or ${E.email} with ${E.apiToken} (basic), not both`,
        E.pat,
      );
    auth = { kind: 'bearer', token: pat };
  } else {
    if (email === undefined)
      throw new ConfigError(`required with ${E.apiToken} (or set ${E.pat} instead)`, E.email);
    if (apiToken === undefined) throw new ConfigError(`required with ${E.email}`, E.apiToken);
    auth = { kind: 'basic', email, apiToken };
  }
  const spaceKey = get(E.reportSpace) ?? get(E.space);
  if (spaceKey === undefined)
    throw new ConfigError(`required to publish run pages (or set ${E.space})`, E.reportSpace);
  const parentId = get(E.reportParentId);
  if (parentId !== undefined && !/^\d+$/.test(parentId))
    throw new ConfigError('must be a page id (digits)', E.reportParentId);
  const apiPrefix = get(E.apiPrefix);
  return {
    host: url.replace(/\/+$/, ''),
    auth,
    spaceKey,
    ...(parentId === undefined ? {} : { parentId }),
    ...(apiPrefix === undefined ? {} : { apiPrefix }),
  };
}

// The Retry-After of a failed answer, kept on the error body confluence.js rethrows (it drops the headers).
const RETRY_AFTER = Symbol('understudy.retryAfter');

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A page as read: id, body, version and where it is shown. */
interface CurrentPage {
  id: string;
  title: string;
  storage: string | undefined;
  version: number;
  versionMessage: string;
  url: string;
}

/** Creates the page publisher for one site. */
export function createConfluencePagePublisher(options: ConfluencePagePublisherOptions): ConfluencePagePort {
  const host = options.host.replace(/\/+$/, '');
  const client = options.client ?? createClient(options);
  const maxRetries = Math.max(0, options.maxRetries ?? 5);
  const base = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const maxConflicts = Math.max(0, options.maxConflicts ?? 5);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (thrown) {
        const status = statusOf(thrown);
        const error = new ConfluenceRequestError(operation, status, { cause: thrown });
        // 409 and 400 are answered by the publish loop; a lost answer to a write is safe to send
        // again because the loop re-reads the page (titles are unique, versions must be +1).
        if (!error.retryable) throw error;
        const retryAfter = isObject(thrown)
          ? parseRetryAfter(stringOrUndefined((thrown as { [RETRY_AFTER]?: unknown })[RETRY_AFTER]), now())
          : undefined;
        const delay = retryAfter ?? base * 2 ** attempt;
        if (attempt >= maxRetries || delay > maxDelay) {
          if (status === 429) throw new ConfluenceRateLimitedError(operation, retryAfter, thrown);
          throw error;
        }
        await sleep(delay);
      }
    }
  }

  /** A page from an answer; list answers carry the site base once, at the top, not per item. */
  function toPage(content: Models.Content, listBase?: unknown): CurrentPage {
    const links = content._links;
    const root =
      typeof links?.base === 'string' ? links.base : typeof listBase === 'string' ? listBase : `${host}/wiki`;
    return {
      id: String(content.id),
      title: content.title,
      storage: content.body?.storage?.value,
      version: content.version?.number ?? 0,
      versionMessage: content.version?.message ?? '',
      url:
        typeof links?.webui === 'string'
          ? `${root}${links.webui}`
          : `${root}/pages/viewpage.action?pageId=${String(content.id)}`,
    };
  }

  async function findPage(spaceKey: string, title: string): Promise<CurrentPage | undefined> {
    const answer: Models.ContentArray = await call('find page', () =>
      client.content.getContent({ spaceKey, title, type: 'page', expand: ['body.storage', 'version'] }),
    );
    // Confluence matches titles ignoring case; the same rule decides whether a create would clash.
    const match = answer.results.find((c) => c.title.toLowerCase() === title.toLowerCase());
    if (match === undefined) return undefined;
    const page = toPage(match, (answer._links as { base?: unknown } | undefined)?.base);
    // Some versions leave body or version out of list answers; read the page itself then.
    return page.storage === undefined || page.version === 0 ? readPage(page.id) : page;
  }

  async function readPage(id: string): Promise<CurrentPage> {
    const content: Models.Content = await call('get page', () =>
      client.content.getContentById({ id, expand: ['body.storage', 'version'] }),
    );
    return toPage(content);
  }

  return {
    async publishPage(input: PublishPageInput): Promise<PublishPageResult> {
      const marker = `understudy-body:${createHash('sha256').update(input.storage).digest('hex').slice(0, 16)}`;
      const message = `${(input.versionMessage ?? 'Published by Understudy').replace(/\s+/g, ' ').trim()} [${marker}]`;
      let page: CurrentPage | undefined;
      let known = false;
      for (let conflicts = 0; ; conflicts++) {
        if (conflicts > maxConflicts)
          throw new ConfluenceRequestError(`publish page (gave up after ${maxConflicts} conflicts)`, 409);
        if (!known) page = await findPage(input.spaceKey, input.title);
        known = false;
        if (page === undefined) {
          try {
            const created: Models.Content = await call('create page', () =>
              client.content.createContent({
                type: 'page',
                title: input.title,
                space: { key: input.spaceKey },
                ...(input.parentId === undefined ? {} : { ancestors: [{ id: input.parentId }] }),
                body: { storage: { value: input.storage, representation: 'storage' } },
                version: { message },
              }),
            );
            const done = toPage(created);
            return { pageId: done.id, url: done.url, version: done.version || 1, action: 'created' };
          } catch (error) {
            // The title is taken: an earlier attempt (whose answer was lost) or someone else made it.
            if (!(error instanceof ConfluenceRequestError) || error.status !== 400) throw error;
            page = await findPage(input.spaceKey, input.title);
            if (page === undefined) throw error;
            known = true;
            continue;
          }
        }
        // Confluence rewrites storage on save, so an exact comparison alone would update every time;
        // the body hash in our own last version message says whether this body is already there.
        if (page.storage === input.storage || page.versionMessage.includes(marker))
          return { pageId: page.id, url: page.url, version: page.version, action: 'unchanged' };
        try {
          const current = page;
          const updated: Models.Content = await call('update page', () =>
            client.content.updateContent({
              id: current.id,
              type: 'page',
              title: input.title,
              version: { number: current.version + 1, message },
              body: { storage: { value: input.storage, representation: 'storage' } },
            }),
          );
          const done = toPage(updated);
          return {
            pageId: done.id,
            url: done.url,
            version: done.version || current.version + 1,
            action: 'updated',
          };
        } catch (error) {
          if (!(error instanceof ConfluenceRequestError) || error.status !== 409) throw error;
          // Someone saved in between (or our own earlier attempt did): read the page again and decide anew.
          page = await readPage(page.id);
          known = true;
        }
      }
    },
  };
}

function createClient(options: ConfluencePagePublisherOptions): ConfluenceClient {
  const auth = options.auth;
  return new ConfluenceClient({
    host: options.host.replace(/\/+$/, ''),
    ...(options.apiPrefix === undefined ? {} : { apiPrefix: options.apiPrefix }),
    authentication:
      auth.kind === 'basic'
        ? { basic: { email: auth.email, apiToken: auth.apiToken } }
        : // A PAT travels as a bearer token, which is what confluence.js sends for OAuth 2.0.
          { oauth2: { accessToken: auth.token } },
    baseRequestConfig: { transformResponse: [keepRetryAfter] },
  });
}

/**
 * Axios response transform (replacing the default, so it parses JSON itself): on an error answer
 * it keeps the Retry-After header on the body, which is all confluence.js passes on.
 */
function keepRetryAfter(data: unknown, headers: unknown, status?: number): unknown {
  let parsed = data;
  if (typeof data === 'string' && data.length > 0) {
    try {
      parsed = JSON.parse(data) as unknown;
    } catch {
      // Not JSON (an HTML error page from a proxy): keep the text.
    }
  }
  if (status === undefined || status < 400) return parsed;
  const body: Json = isObject(parsed) ? parsed : {};
  if (typeof body.statusCode !== 'number') body.statusCode = status;
  const retryAfter = headerOf(headers, 'retry-after');
  if (retryAfter !== undefined) Object.defineProperty(body, RETRY_AFTER, { value: retryAfter });
  return body;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const get = (headers as { get?: unknown }).get;
  const value: unknown =
    typeof get === 'function' ? (get as (n: string) => unknown).call(headers, name) : headers[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The HTTP status of a failed confluence.js call: it rethrows the response body (`{statusCode,
 * message}`), or a TypeError when no response arrived at all.
 */
function statusOf(thrown: unknown): number | undefined {
  if (!isObject(thrown)) return undefined;
  const body = thrown as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  if (typeof body.statusCode === 'number') return body.statusCode;
  if (typeof body.response?.status === 'number') return body.response.status;
  if (typeof body.status === 'number') return body.status;
  return undefined;
}
