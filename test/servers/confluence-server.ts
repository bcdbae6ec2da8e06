/**
 * A local Confluence Cloud REST server (v1 API under `/wiki/rest/api`) with the endpoints
 * confluence.js calls for data-dictionary lookups: content search by CQL (cursor pagination,
 * capped limit), the generic search, and content by id with `expand=body.storage`; and the page
 * endpoints a publisher calls: content listed by space and title, create (unique titles per space,
 * parent pages), update (the version must be exactly the current one plus one, else 409), with
 * storage bodies checked for well-formed XHTML as Confluence does (400 otherwise). It checks basic
 * auth (email:API token) or a personal access token, answers errors in Confluence's JSON shape, and
 * can be told to rate-limit or fail the next requests, or to let "someone else" edit a page just
 * before the next update.
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
  /** Arrival time (ms since the epoch), for checking waits between requests. */
  at: number;
  /** The JSON body of a POST or PUT. */
  body?: unknown;
}

/** A page as stored: the seed fields plus its version history. */
export interface StoredPage extends SeedPage {
  version: number;
  /** The message of the current version (publishers keep a body hash there). */
  versionMessage: string;
  parentId?: string;
  /** Every version's storage body, oldest first (seed pages start with their current one). */
  history: string[];
}

/** Options of {@link startConfluenceServer}. */
export interface ConfluenceServerOptions {
  email: string;
  apiToken: string;
  /** Personal access token accepted as `Authorization: Bearer` (Confluence Data Center). */
  pat?: string;
  /** @default SEED_PAGES */
  pages?: readonly SeedPage[];
  /** Space keys with names, where pages may be created. @default SEED_SPACES */
  spaces?: Readonly<Record<string, string>>;
  /** The largest `limit` honoured by searches (Confluence caps it, whatever is asked). @default 25 */
  maxLimit?: number;
}

/** A running local Confluence. */
export interface ConfluenceServer extends RunningServer {
  /** Every request so far, in arrival order. */
  readonly requests: RecordedConfluenceRequest[];
  /** Pages by id (seeded and created). */
  readonly pages: Map<string, StoredPage>;
  /** Why storage bodies were refused, newest last. */
  readonly storageRejections: string[];
  /** Answer the next `n` requests with 429 and this Retry-After (seconds). */
  throttleNext(n: number, retryAfter?: string): void;
  /** Answer the next `n` requests with this status (500 by default). */
  failNext(n: number, status?: number): void;
  /**
   * Handle the next request matching `method` (and `path`, when given) but answer it with a 500, as
   * when the client dies or the connection drops after the server has done the work.
   */
  loseNextResponse(method: string, path?: RegExp): void;
  /** Before the next PUT of a page, another user edits that page (the PUT then conflicts). */
  editBeforeNextUpdate(storage: string): void;
  /** Forget the recorded requests. */
  resetRequests(): void;
}

const PREFIX = '/wiki/rest/api';

/** Starts a local Confluence on a random port. */
export async function startConfluenceServer(options: ConfluenceServerOptions): Promise<ConfluenceServer> {
  const spaces = options.spaces ?? SEED_SPACES;
  const maxLimit = options.maxLimit ?? 25;
  const expectedAuth = new Set([
    `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`,
    ...(options.pat === undefined ? [] : [`Bearer ${options.pat}`]),
  ]);
  const pages = new Map<string, StoredPage>();
  // Seed pages have been edited a few times before the tests start, as real dictionaries have.
  for (const seed of options.pages ?? SEED_PAGES)
    pages.set(seed.id, { ...seed, version: 7, versionMessage: '', history: [seed.storage] });
  const documents = new Map<string, CqlDocument>([...pages.values()].map((p) => [p.id, toDocument(p)]));
  const requests: RecordedConfluenceRequest[] = [];
  const storageRejections: string[] = [];
  const faults: { status: number; retryAfter?: string }[] = [];
  const lostResponses: { method: string; path?: RegExp }[] = [];
  const pendingEdits: string[] = [];
  let nextPageId = 9_000_001;
  let baseUrl = '';

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const authorized = expectedAuth.has(req.headers.authorization ?? '');
    const method = req.method ?? '';
    const record: RecordedConfluenceRequest = {
      method,
      path: url.pathname,
      query,
      authorized,
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    let body: unknown;
    if ((method === 'POST' || method === 'PUT') && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
        record.body = body;
      } catch {
        record.status = 400;
        sendJson(res, 400, badRequest('Unexpected character: the request body is not valid JSON'));
        return;
      }
    }
    const lost = lostResponses.findIndex(
      (l) => l.method === method && (l.path === undefined || l.path.test(url.pathname)),
    );
    if (lost >= 0) lostResponses.splice(lost, 1);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      if (lost >= 0) {
        // The work is done; only the answer is lost.
        record.status = 500;
        sendJson(res, 500, { statusCode: 500, message: 'connection lost after the request was handled' });
        return;
      }
      record.status = status;
      sendJson(res, status, payload, headers);
    };

    const fault = faults.shift();
    if (fault !== undefined) {
      if (fault.status === 429) {
        reply(
          429,
          {
            statusCode: 429,
            message: 'Rate limit exceeded. Please retry after the time in the Retry-After header.',
          },
          { 'retry-after': fault.retryAfter ?? '1' },
        );
      } else reply(fault.status, { statusCode: fault.status, message: 'Internal server error' });
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
    const path = url.pathname.replace(/\/+/g, '/').replace(/\/$/, '');
    if (method === 'GET' && path === `${PREFIX}/content/search`) {
      searchContent(url.searchParams, reply);
    } else if (method === 'GET' && path === `${PREFIX}/search`) {
      search(url.searchParams, reply);
    } else if (method === 'GET' && path === `${PREFIX}/content`) {
      listContent(url.searchParams, reply);
    } else if (method === 'POST' && path === `${PREFIX}/content`) {
      createContent(body, reply);
    } else if (
      path.startsWith(`${PREFIX}/content/`) &&
      !path.slice(`${PREFIX}/content/`.length).includes('/')
    ) {
      const id = decodeURIComponent(path.slice(`${PREFIX}/content/`.length));
      if (method === 'GET') getContent(id, url.searchParams, reply);
      else if (method === 'PUT') updateContent(id, body, reply);
      else reply(405, { statusCode: 405, message: 'Method not allowed' });
    } else if (method !== 'GET' && method !== 'POST' && method !== 'PUT') {
      reply(405, { statusCode: 405, message: 'Method not allowed' });
    } else {
      reply(404, { statusCode: 404, message: `null for uri: ${baseUrl}${url.pathname}` });
    }
  };

  type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

  function runCql(
    params: URLSearchParams,
    reply: Reply,
  ): { matches: StoredPage[]; offset: number; limit: number } | undefined {
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
    const matches = [...pages.values()].filter((p) => {
      const doc = documents.get(p.id);
      return doc !== undefined && predicate(doc);
    });
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
    const page = pages.get(id);
    if (page === undefined) {
      reply(404, notFound(id));
      return;
    }
    reply(200, {
      ...contentJson(page, expandsOf(params)),
      _links: { ...links(page), base: `${baseUrl}/wiki`, context: '/wiki' },
    });
  }

  /** `GET /content?spaceKey&title&type&expand`: Confluence matches the title exactly, ignoring case. */
  function listContent(params: URLSearchParams, reply: Reply): void {
    const spaceKey = params.get('spaceKey');
    const title = params.get('title');
    const type = params.get('type') ?? 'page';
    const start = Math.max(0, Number(params.get('start') ?? 0) || 0);
    const limit = Math.min(maxLimit, Math.max(1, Number(params.get('limit') ?? 25) || 25));
    const matches = [...pages.values()].filter(
      (p) =>
        (p.type ?? 'page') === type &&
        (spaceKey === null || p.spaceKey === spaceKey) &&
        (title === null || p.title.toLowerCase() === title.toLowerCase()),
    );
    const slice = matches.slice(start, start + limit);
    const expand = expandsOf(params);
    reply(200, {
      results: slice.map((p) => contentJson(p, expand)),
      start,
      limit,
      size: slice.length,
      _links: {
        base: `${baseUrl}/wiki`,
        context: '/wiki',
        self: `${baseUrl}/wiki/rest/api/content?${params.toString()}`,
        ...(start + limit < matches.length ? { next: `/rest/api/content?start=${start + limit}` } : {}),
      },
    });
  }

  /** The storage body of a create or update request, or why it is refused (already answered). */
  function storageOf(body: Json, reply: Reply): string | undefined {
    const storage = isObject(body.body) && isObject(body.body.storage) ? body.body.storage : undefined;
    if (storage === undefined || typeof storage.value !== 'string') {
      reply(400, badRequest('Content body is required (body.storage.value)'));
      return undefined;
    }
    if (storage.representation !== 'storage') {
      reply(400, badRequest(`Unsupported representation: ${String(storage.representation)}`));
      return undefined;
    }
    const problem = validateStorageXhtml(storage.value);
    if (problem !== undefined) {
      storageRejections.push(problem);
      reply(400, badRequest(`Error parsing xhtml: ${problem}`));
      return undefined;
    }
    return storage.value;
  }

  function titleTaken(spaceKey: string, title: string, exceptId?: string): boolean {
    const lower = title.toLowerCase();
    return [...pages.values()].some(
      (p) => p.spaceKey === spaceKey && p.id !== exceptId && p.title.toLowerCase() === lower,
    );
  }

  function titleProblem(title: unknown): string | undefined {
    if (typeof title !== 'string' || title.trim().length === 0) return 'Title is required';
    if (title.length > 255) return 'Title cannot be longer than 255 characters';
    return undefined;
  }

  function createContent(body: unknown, reply: Reply): void {
    if (!isObject(body)) {
      reply(400, badRequest('Content is required'));
      return;
    }
    const type = body.type ?? 'page';
    if (type !== 'page') {
      reply(400, badRequest(`Unsupported content type: ${String(type)}`));
      return;
    }
    const spaceKey = isObject(body.space) && typeof body.space.key === 'string' ? body.space.key : undefined;
    if (spaceKey === undefined || spaces[spaceKey] === undefined) {
      reply(400, badRequest('Could not create content with space: space does not exist'));
      return;
    }
    const problem = titleProblem(body.title);
    if (problem !== undefined) {
      reply(400, badRequest(problem));
      return;
    }
    const title = body.title as string;
    const ancestors = Array.isArray(body.ancestors) ? body.ancestors : [];
    const parent = ancestors.at(-1);
    let parentId: string | undefined;
    if (parent !== undefined) {
      parentId = isObject(parent) && parent.id !== undefined ? String(parent.id) : undefined;
      const found = parentId === undefined ? undefined : pages.get(parentId);
      if (found === undefined || found.spaceKey !== spaceKey) {
        reply(400, badRequest('Could not find ancestor page in the same space'));
        return;
      }
    }
    if (titleTaken(spaceKey, title)) {
      reply(
        400,
        badRequest(
          'A page with this title already exists: A page already exists with the same TITLE in this space',
        ),
      );
      return;
    }
    const storage = storageOf(body, reply);
    if (storage === undefined) return;
    const id = String(nextPageId++);
    const page: StoredPage = {
      id,
      spaceKey,
      title,
      storage,
      type: 'page',
      version: 1,
      versionMessage: versionMessageOf(body),
      ...(parentId === undefined ? {} : { parentId }),
      history: [storage],
    };
    pages.set(id, page);
    documents.set(id, toDocument(page));
    reply(200, {
      ...contentJson(page, new Set(['version', 'space', 'body.storage'])),
      _links: { ...links(page), base: `${baseUrl}/wiki`, context: '/wiki' },
    });
  }

  function updateContent(id: string, body: unknown, reply: Reply): void {
    const page = pages.get(id);
    if (page === undefined) {
      reply(404, notFound(id));
      return;
    }
    const edit = pendingEdits.shift();
    if (edit !== undefined) {
      // Someone saved the page in the editor a moment before this request arrived.
      page.storage = edit;
      page.history.push(edit);
      page.version += 1;
      page.versionMessage = 'edited in the browser';
      documents.set(id, toDocument(page));
    }
    if (!isObject(body)) {
      reply(400, badRequest('Content is required'));
      return;
    }
    const version = isObject(body.version) ? body.version.number : undefined;
    if (typeof version !== 'number') {
      reply(
        400,
        badRequest('Must supply an incremented version when updating Content. No version supplied.'),
      );
      return;
    }
    if (version !== page.version + 1) {
      reply(409, {
        statusCode: 409,
        data: { authorized: true, valid: true, errors: [], successful: false },
        message: `Version must be incremented on update. Current version is: ${page.version}`,
      });
      return;
    }
    if ((body.type ?? 'page') !== (page.type ?? 'page')) {
      reply(400, badRequest('The content type cannot be changed'));
      return;
    }
    const problem = titleProblem(body.title);
    if (problem !== undefined) {
      reply(400, badRequest(problem));
      return;
    }
    const title = body.title as string;
    if (titleTaken(page.spaceKey, title, page.id)) {
      reply(
        400,
        badRequest(
          'A page with this title already exists: A page already exists with the same TITLE in this space',
        ),
      );
      return;
    }
    const storage = storageOf(body, reply);
    if (storage === undefined) return;
    page.title = title;
    page.storage = storage;
    page.history.push(storage);
    page.version = version;
    page.versionMessage = versionMessageOf(body);
    documents.set(id, toDocument(page));
    reply(200, {
      ...contentJson(page, new Set(['version', 'space', 'body.storage'])),
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

  function contentJson(p: StoredPage, expand: ReadonlySet<string>): Record<string, unknown> {
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
      json.version = {
        number: p.version,
        when: '2024-03-14T09:26:53.000Z',
        minorEdit: false,
        message: p.versionMessage,
      };
    }
    if (expand.has('ancestors')) {
      const chain: StoredPage[] = [];
      for (let at = p.parentId; at !== undefined; at = pages.get(at)?.parentId) {
        const parent = pages.get(at);
        if (parent === undefined) break;
        chain.unshift(parent);
      }
      json.ancestors = chain.map((a) => contentJson(a, new Set()));
    }
    return json;
  }

  const running = await listen(handle);
  baseUrl = running.url;
  return {
    ...running,
    requests,
    pages,
    storageRejections,
    throttleNext(n, retryAfter = '1') {
      // Replaces any 429s still queued, as before (a count of 0 clears them).
      for (let i = faults.length - 1; i >= 0; i--) if (faults[i]?.status === 429) faults.splice(i, 1);
      for (let i = 0; i < n; i++) faults.push({ status: 429, retryAfter });
    },
    failNext(n, status = 500) {
      for (let i = 0; i < n; i++) faults.push({ status });
    },
    loseNextResponse(method, path) {
      lostResponses.push({ method, ...(path === undefined ? {} : { path }) });
    },
    editBeforeNextUpdate(storage) {
      pendingEdits.push(storage);
    },
    resetRequests() {
      requests.length = 0;
    },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function notFound(id: string): Record<string, unknown> {
  return {
    statusCode: 404,
    data: { authorized: true, valid: true, errors: [], successful: true },
    message: `No content found with id: ContentId{id=${id}}`,
  };
}

function versionMessageOf(body: Json): string {
  return isObject(body.version) && typeof body.version.message === 'string' ? body.version.message : '';
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

// ---------------------------------------------------------------------------------------------
// Storage-format validation: Confluence parses the body as XHTML (with the HTML entities) and
// refuses it when it is not well formed.

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// The HTML entities Confluence's parser knows that show up in hand- and machine-written pages.
const HTML_ENTITIES = new Set([
  'nbsp',
  'ndash',
  'mdash',
  'hellip',
  'copy',
  'reg',
  'trade',
  'laquo',
  'raquo',
  'lsquo',
  'rsquo',
  'ldquo',
  'rdquo',
  'bull',
  'middot',
  'times',
  'divide',
  'deg',
  'plusmn',
  'euro',
  'pound',
  'yen',
  'cent',
  'sect',
  'para',
  'shy',
  'zwj',
  'zwnj',
  'thinsp',
  'ensp',
  'emsp',
  'larr',
  'rarr',
  'uarr',
  'darr',
  'harr',
  'le',
  'ge',
  'ne',
  'asymp',
  'infin',
  'minus',
  'prime',
  'auml',
  'ouml',
  'uuml',
  'Auml',
  'Ouml',
  'Uuml',
  'szlig',
  'eacute',
  'egrave',
  'agrave',
  'ccedil',
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;

/** Why a storage-format body is not well-formed XHTML (tag names and offsets only), or undefined. */
export function validateStorageXhtml(storage: string): string | undefined {
  const stack: string[] = [];
  let i = 0;
  const at = (): string => `at offset ${i}`;
  const badChar = (s: string): boolean =>
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s);
  const entity = (): string | undefined => {
    const m = /^&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/.exec(storage.slice(i, i + 40));
    if (!m) return `Unescaped '&' ${at()}`;
    const ref = m[1] ?? '';
    if (ref.startsWith('#')) {
      const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const ok =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!ok) return `Character reference to an invalid character ${at()}`;
    } else if (!XML_ENTITIES.has(ref) && !HTML_ENTITIES.has(ref)) {
      return `Undeclared entity '${ref}' ${at()}`;
    }
    i += m[0].length;
    return undefined;
  };
  while (i < storage.length) {
    const ch = storage[i];
    if (ch === '&') {
      const problem = entity();
      if (problem) return problem;
      continue;
    }
    if (ch !== '<') {
      const next = storage.slice(i).search(/[<&]/);
      const end = next < 0 ? storage.length : i + next;
      const run = storage.slice(i, end);
      if (badChar(run)) return `Invalid character in text ${at()}`;
      if (run.includes(']]>')) return `']]>' is not allowed in text ${at()}`;
      i = end;
      continue;
    }
    if (storage.startsWith('<!--', i)) {
      const end = storage.indexOf('-->', i + 4);
      if (end < 0) return `Unterminated comment ${at()}`;
      if (storage.slice(i + 4, end).includes('--')) return `'--' inside a comment ${at()}`;
      i = end + 3;
      continue;
    }
    if (storage.startsWith('<![CDATA[', i)) {
      const end = storage.indexOf(']]>', i + 9);
      if (end < 0) return `Unterminated CDATA section ${at()}`;
      if (badChar(storage.slice(i + 9, end))) return `Invalid character in CDATA ${at()}`;
      i = end + 3;
      continue;
    }
    if (storage.startsWith('<!', i) || storage.startsWith('<?', i))
      return `Declarations and processing instructions are not allowed ${at()}`;
    if (storage.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][A-Za-z0-9_.:-]*)\s*>/.exec(storage.slice(i, i + 200));
      if (!m) return `Malformed close tag ${at()}`;
      const open = stack.pop();
      if (open === undefined) return `Unexpected close tag </${m[1] ?? ''}> ${at()}`;
      if (open !== m[1]) return `Unexpected close tag </${m[1] ?? ''}>; expected </${open}> ${at()}`;
      i += m[0].length;
      continue;
    }
    // A start tag: name, attributes with quoted values, then `>` or `/>`.
    i++;
    const name = NAME.exec(storage.slice(i, i + 200))?.[0];
    if (name === undefined) return `Unescaped '<' ${at()}`;
    i += name.length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(storage.slice(i, i + 200))?.[0] ?? '';
      i += ws.length;
      if (storage.startsWith('/>', i)) {
        i += 2;
        break;
      }
      if (storage[i] === '>') {
        i++;
        stack.push(name);
        break;
      }
      if (ws.length === 0) return `Expected whitespace, '>' or '/>' in <${name}> ${at()}`;
      const attr = NAME.exec(storage.slice(i, i + 200))?.[0];
      if (attr === undefined) return `Malformed attribute in <${name}> ${at()}`;
      if (seen.has(attr)) return `Duplicate attribute '${attr}' in <${name}> ${at()}`;
      seen.add(attr);
      i += attr.length;
      const eq = /^\s*=\s*/.exec(storage.slice(i, i + 200))?.[0];
      if (eq === undefined) return `Attribute '${attr}' in <${name}> has no value ${at()}`;
      i += eq.length;
      const quote = storage[i];
      if (quote !== '"' && quote !== "'") return `Attribute '${attr}' in <${name}> is not quoted ${at()}`;
      const end = storage.indexOf(quote, i + 1);
      if (end < 0) return `Unterminated attribute '${attr}' in <${name}> ${at()}`;
      const value = storage.slice(i + 1, end);
      if (value.includes('<')) return `'<' in attribute '${attr}' of <${name}> ${at()}`;
      if (badChar(value)) return `Invalid character in attribute '${attr}' of <${name}> ${at()}`;
      // Entities inside the value follow the same rules as in text.
      const saved = i;
      for (let j = 0; j < value.length; j++) {
        if (value[j] !== '&') continue;
        i = saved + 1 + j;
        const problem = entity();
        if (problem) return problem;
      }
      i = end + 1;
    }
    if ((name === 'ac:structured-macro' || name === 'ac:parameter') && !seen.has('ac:name'))
      return `<${name}> needs an ac:name attribute ${at()}`;
  }
  if (stack.length > 0) return `Unclosed tag <${stack.at(-1) ?? ''}> at the end of the body`;
  return undefined;
}
