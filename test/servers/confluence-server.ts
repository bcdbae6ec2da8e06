/**
 * A local Confluence Cloud REST server (v1 API under `/wiki/rest/api`) with the endpoints
 * confluence.js calls for data-dictionary lookups: content search by CQL (cursor pagination,
 * capped limit), the generic search, and content by id with `expand=body.storage`. It checks
 * basic auth (email:API token), answers errors in Confluence's JSON shape, and can be told to
 * rate-limit the next requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node-html-parser';
import { compileCql, CqlError, type CqlDocument } from './cql.js';
import { SEED_PAGES, SEED_SPACES, type SeedPage } from './confluence-seed.js';
import { listen, sendJson, type RunningServer } from './http-helpers.js';

/** One request as the server saw it. */
export interface RecordedConfluenceRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorized: boolean;
  status: number;
}

/** Options of {@link startConfluenceServer}. */
export interface ConfluenceServerOptions {
  email: string;
  apiToken: string;
  /** @default SEED_PAGES */
  pages?: readonly SeedPage[];
  /** The largest `limit` honoured by searches (Confluence caps it, whatever is asked). @default 25 */
  maxLimit?: number;
}

/** A running local Confluence. */
export interface ConfluenceServer extends RunningServer {
  /** Every request so far, in arrival order. */
  readonly requests: RecordedConfluenceRequest[];
  /** Answer the next `n` requests with 429 and a Retry-After header. */
  throttleNext(n: number): void;
  /** Forget the recorded requests. */
  resetRequests(): void;
}

const PREFIX = '/wiki/rest/api';

/** Starts a local Confluence on a random port. */
export async function startConfluenceServer(options: ConfluenceServerOptions): Promise<ConfluenceServer> {
  const pages = options.pages ?? SEED_PAGES;
  const maxLimit = options.maxLimit ?? 25;
  const expectedAuth = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const documents = pages.map((p) => ({ page: p, doc: toDocument(p) }));
  const requests: RecordedConfluenceRequest[] = [];
  let throttle = 0;
  let baseUrl = '';

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const authorized = req.headers.authorization === expectedAuth;
    const record: RecordedConfluenceRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query,
      authorized,
      status: 0,
    };
    requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      sendJson(res, status, body, headers);
    };

    if (throttle > 0) {
      throttle--;
      reply(
        429,
        {
          statusCode: 429,
          message: 'Rate limit exceeded. Please retry after the time in the Retry-After header.',
        },
        { 'retry-after': '1' },
      );
      return;
    }
    if (!authorized) {
      reply(
        401,
        { statusCode: 401, message: 'Client must be authenticated to access this resource.' },
        {
          'www-authenticate': 'Basic realm="Confluence"',
        },
      );
      return;
    }
    if (req.method !== 'GET') {
      reply(405, { statusCode: 405, message: 'Method not allowed' });
      return;
    }
    const path = url.pathname.replace(/\/+/g, '/');
    if (path === `${PREFIX}/content/search`) {
      searchContent(url.searchParams, reply);
    } else if (path === `${PREFIX}/search`) {
      search(url.searchParams, reply);
    } else if (path.startsWith(`${PREFIX}/content/`)) {
      getContent(decodeURIComponent(path.slice(`${PREFIX}/content/`.length)), url.searchParams, reply);
    } else {
      reply(404, { statusCode: 404, message: `null for uri: ${baseUrl}${url.pathname}` });
    }
  };

  type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

  function runCql(
    params: URLSearchParams,
    reply: Reply,
  ): { matches: SeedPage[]; offset: number; limit: number } | undefined {
    const cql = params.get('cql');
    if (cql === null || cql.trim().length === 0) {
      reply(400, badRequest('CQL was not provided'));
      return undefined;
    }
    let predicate: (doc: CqlDocument) => boolean;
    try {
      predicate = compileCql(cql);
    } catch (error) {
      if (error instanceof CqlError) {
        reply(400, badRequest(`Could not parse cql : ${cql} (${error.message})`));
        return undefined;
      }
      throw error;
    }
    const limit = Math.min(maxLimit, Math.max(1, Number(params.get('limit') ?? 25) || 25));
    const offset = decodeCursor(params.get('cursor'));
    if (offset === undefined) {
      reply(400, badRequest('Invalid cursor'));
      return undefined;
    }
    const matches = documents.filter((d) => predicate(d.doc)).map((d) => d.page);
    return { matches, offset, limit };
  }

  function nextLink(
    path: string,
    params: URLSearchParams,
    offset: number,
    limit: number,
    total: number,
  ): Record<string, string> {
    if (offset + limit >= total) return {};
    const next = new URLSearchParams(params);
    next.set('next', 'true');
    next.set('cursor', encodeCursor(offset + limit));
    next.set('limit', String(limit));
    return { next: `/rest/api${path}?${next.toString()}` };
  }

  function searchContent(params: URLSearchParams, reply: Reply): void {
    const found = runCql(params, reply);
    if (found === undefined) return;
    const { matches, offset, limit } = found;
    const slice = matches.slice(offset, offset + limit);
    const expand = expandsOf(params);
    reply(200, {
      results: slice.map((p) => contentJson(p, expand)),
      start: offset,
      limit,
      size: slice.length,
      _links: {
        base: `${baseUrl}/wiki`,
        context: '/wiki',
        self: `${baseUrl}/wiki/rest/api/content/search?${params.toString()}`,
        ...nextLink('/content/search', params, offset, limit, matches.length),
      },
    });
  }

  function search(params: URLSearchParams, reply: Reply): void {
    const found = runCql(params, reply);
    if (found === undefined) return;
    const { matches, offset, limit } = found;
    const slice = matches.slice(offset, offset + limit);
    reply(200, {
      results: slice.map((p) => ({
        content: contentJson(p, new Set()),
        title: p.title,
        excerpt: plainText(p.storage).slice(0, 120),
        url: webui(p),
        resultGlobalContainer: {
          title: SEED_SPACES[p.spaceKey] ?? p.spaceKey,
          displayUrl: `/spaces/${p.spaceKey}`,
        },
        entityType: 'content',
        iconCssClass: 'aui-icon content-type-page',
        lastModified: '2024-03-14T09:26:53.000Z',
        friendlyLastModified: 'Mar 14, 2024',
        score: 1,
      })),
      start: offset,
      limit,
      size: slice.length,
      totalSize: matches.length,
      cqlQuery: params.get('cql'),
      searchDuration: 3,
      _links: {
        base: `${baseUrl}/wiki`,
        context: '/wiki',
        ...nextLink('/search', params, offset, limit, matches.length),
      },
    });
  }

  function getContent(id: string, params: URLSearchParams, reply: Reply): void {
    const page = pages.find((p) => p.id === id);
    if (page === undefined) {
      reply(404, {
        statusCode: 404,
        data: { authorized: true, valid: true, errors: [], successful: true },
        message: `No content found with id: ContentId{id=${id}}`,
      });
      return;
    }
    reply(200, {
      ...contentJson(page, expandsOf(params)),
      _links: { ...links(page), base: `${baseUrl}/wiki`, context: '/wiki' },
    });
  }

  function links(p: SeedPage): Record<string, string> {
    return {
      self: `${baseUrl}/wiki/rest/api/content/${p.id}`,
      tinyui: `/x/${Buffer.from(p.id).toString('base64url')}`,
      editui: `/pages/resumedraft.action?draftId=${p.id}`,
      webui: webui(p),
    };
  }

  function contentJson(p: SeedPage, expand: ReadonlySet<string>): Record<string, unknown> {
    const json: Record<string, unknown> = {
      id: p.id,
      type: p.type ?? 'page',
      status: 'current',
      title: p.title,
      macroRenderedOutput: {},
      extensions: { position: 0 },
      _expandable: {
        container: `/rest/api/space/${p.spaceKey}`,
        metadata: '',
        restrictions: `/rest/api/content/${p.id}/restriction/byOperation`,
        history: `/rest/api/content/${p.id}/history`,
        body: '',
        version: '',
        descendants: `/rest/api/content/${p.id}/descendant`,
        space: `/rest/api/space/${p.spaceKey}`,
        childTypes: '',
        operations: '',
        children: `/rest/api/content/${p.id}/child`,
        ancestors: '',
      },
      _links: links(p),
    };
    if (expand.has('body.storage') || expand.has('body')) {
      json.body = {
        storage: {
          value: p.storage,
          representation: 'storage',
          embeddedContent: [],
          _expandable: { content: `/rest/api/content/${p.id}` },
        },
        _expandable: {
          editor: '',
          atlas_doc_format: '',
          view: '',
          export_view: '',
          styled_view: '',
          dynamic: '',
          editor2: '',
          anonymous_export_view: '',
        },
      };
    }
    if (expand.has('space')) {
      json.space = {
        id: 65538,
        key: p.spaceKey,
        name: SEED_SPACES[p.spaceKey] ?? p.spaceKey,
        type: 'global',
        status: 'current',
      };
    }
    if (expand.has('version')) {
      json.version = { number: 7, when: '2024-03-14T09:26:53.000Z', minorEdit: false, message: '' };
    }
    return json;
  }

  const running = await listen(handle);
  baseUrl = running.url;
  return {
    ...running,
    requests,
    throttleNext(n) {
      throttle = n;
    },
    resetRequests() {
      requests.length = 0;
    },
  };
}

function badRequest(message: string): Record<string, unknown> {
  return {
    statusCode: 400,
    data: { authorized: true, valid: false, errors: [], successful: false },
    message,
  };
}

function expandsOf(params: URLSearchParams): Set<string> {
  return new Set((params.get('expand') ?? '').split(',').filter((e) => e.length > 0));
}

function webui(p: SeedPage): string {
  return `/spaces/${p.spaceKey}/pages/${p.id}/${encodeURIComponent(p.title.replace(/\s+/g, '+'))}`;
}

function toDocument(p: SeedPage): CqlDocument {
  return {
    id: p.id,
    type: p.type ?? 'page',
    spaceKey: p.spaceKey,
    title: p.title,
    text: plainText(p.storage),
  };
}

function plainText(storage: string): string {
  // Block and cell boundaries separate words in the index, so a space goes before every tag.
  return parse(storage.replace(/</g, ' <')).textContent.replace(/\s+/g, ' ').trim();
}

// Cursors are opaque to clients; here they carry the offset.
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeCursor(cursor: string | null): number | undefined {
  if (cursor === null || cursor.length === 0) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}
