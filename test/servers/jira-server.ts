/**
 * A local Jira Cloud (REST v3) with exactly the endpoints the Jira integration calls through
 * jira.js, behaving as Jira does where a client can get it wrong:
 *
 * - search: `/rest/api/3/search/jql` (nextPageToken, returns only ids unless fields are asked,
 *   page size capped at 100 with fields) and the older `/rest/api/3/search` (startAt, total,
 *   maxResults capped at 100 whatever is asked); a JQL subset (`project`, `labels`, `issuetype`,
 *   `status`, `key` with `=`, `!=`, `in`, `not in`, joined by AND, `ORDER BY key|created`);
 *   either endpoint can be switched off, and new issues can be kept out of the search index
 *   (Jira Cloud's search is eventually consistent);
 * - issues: get, create (field validation with Jira's `{errorMessages, errors}` shape, echoing
 *   values in messages as Jira does), ADF validation of descriptions and comments;
 * - comments (paginated), transitions per status, issue properties;
 * - attachments: multipart parsing, 403 without `X-Atlassian-Token: no-check`;
 * - basic (email + API token) and bearer (PAT) auth, 401 otherwise;
 * - fault injection: 429 with Retry-After, 503 (with or without Retry-After), and a crash at the
 *   n-th request from now, before or after the server has done the work (a worker dying midway).
 *
 * Tests seed and inspect the in-memory store directly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson, type RunningServer } from './http-helpers.js';

/** One request as the server saw it. */
export interface RecordedJiraRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Arrival time (ms since the epoch), for checking waits between requests. */
  at: number;
}

/** A stored attachment. */
export interface StoredAttachment {
  id: string;
  filename: string;
  mimeType: string;
  content: Buffer;
}

/** A stored comment. */
export interface StoredComment {
  id: string;
  body: unknown;
  created: string;
}

/** An issue in the store. */
export interface StoredIssue {
  id: string;
  key: string;
  project: string;
  issueType: string;
  status: string;
  summary: string;
  labels: string[];
  description: unknown;
  /** Custom fields (e.g. `customfield_10040` holding steps). */
  custom: Record<string, unknown>;
  comments: StoredComment[];
  attachments: StoredAttachment[];
  properties: Map<string, unknown>;
  /** Visible to JQL search (false until reindex when indexing is off). */
  indexed: boolean;
  createdSeq: number;
}

/** A workflow transition. */
export interface WorkflowTransition {
  id: string;
  name: string;
  to: string;
}

/** Issue fields a test can seed. */
export interface SeedIssue {
  project: string;
  issueType?: string;
  summary: string;
  labels?: string[];
  description?: unknown;
  status?: string;
  custom?: Record<string, unknown>;
}

/** Options of {@link startJiraServer}. */
export interface JiraServerOptions {
  /** Basic-auth account (Jira Cloud). */
  basic?: { email: string; apiToken: string };
  /** Personal access token accepted as `Authorization: Bearer` (Data Center). */
  pat?: string;
  /** Project keys with their issue types. @default { SHOP: ['Test', 'Bug', 'Task'] } */
  projects?: Record<string, string[]>;
  /** Transitions offered per status. @default a To Do → In Testing → Passed/Failed workflow */
  workflow?: Record<string, WorkflowTransition[]>;
  /** Search endpoints served; a switched-off one answers 404 (older Jira) or 410 (Jira Cloud today). */
  searchEndpoints?: { enhanced?: boolean; legacy?: boolean | 'gone' };
}

/** A running local Jira. */
export interface JiraServer extends RunningServer {
  /** Every request so far, in arrival order. */
  readonly requests: RecordedJiraRequest[];
  /** Issues by key. */
  readonly issues: Map<string, StoredIssue>;
  /** Why ADF documents were refused (node path and reason), newest last. */
  readonly adfRejections: string[];
  /** Adds an issue and returns its key. */
  seedIssue(issue: SeedIssue): string;
  /** Answer the next `n` requests with 429 and this Retry-After (seconds or HTTP date). */
  throttleNext(n: number, retryAfter?: string): void;
  /** Answer the next `n` requests with this status (503 by default), with Retry-After when given. */
  failNext(n: number, status?: number, retryAfter?: string): void;
  /**
   * The `n`-th request from now (1-based) fails with a 500: `before` it is handled (nothing
   * changes), or `after` (the work is done and only the answer is lost, as when the caller dies).
   */
  crashAt(n: number, mode: 'before' | 'after'): void;
  /** Drop injected faults not yet served (crashes included). */
  clearFaults(): void;
  /** Keep newly created issues out of search results until {@link reindex} (eventual consistency). */
  setIndexing(on: boolean): void;
  /** Makes every issue searchable. */
  reindex(): void;
  /** Forget the recorded requests. */
  resetRequests(): void;
}

const DEFAULT_WORKFLOW: Record<string, WorkflowTransition[]> = {
  'To Do': [
    { id: '11', name: 'Start Testing', to: 'In Testing' },
    { id: '21', name: 'Pass', to: 'Passed' },
    { id: '31', name: 'Fail', to: 'Failed' },
  ],
  'In Testing': [
    { id: '21', name: 'Pass', to: 'Passed' },
    { id: '31', name: 'Fail', to: 'Failed' },
  ],
  Passed: [{ id: '41', name: 'Retest', to: 'In Testing' }],
  Failed: [{ id: '41', name: 'Retest', to: 'In Testing' }],
};

const PREFIX = '/rest/api/3';
const MAX_PAGE_WITH_FIELDS = 100;
const MAX_PAGE_IDS_ONLY = 5000;
const NAVIGABLE = [
  'summary',
  'labels',
  'description',
  'issuetype',
  'status',
  'project',
  'attachment',
  'created',
];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

class JqlError extends Error {}

/** Starts a local Jira on a random port. */
export async function startJiraServer(options: JiraServerOptions = {}): Promise<JiraServer> {
  const projects = new Map(
    Object.entries(options.projects ?? { SHOP: ['Test', 'Bug', 'Task'] }).map(([k, types]) => [
      k.toUpperCase(),
      types,
    ]),
  );
  const workflow = options.workflow ?? DEFAULT_WORKFLOW;
  const enhancedOn = options.searchEndpoints?.enhanced ?? true;
  const legacy = options.searchEndpoints?.legacy ?? true;
  const issues = new Map<string, StoredIssue>();
  const requests: RecordedJiraRequest[] = [];
  const adfRejections: string[] = [];
  const counters = new Map<string, number>();
  let nextId = 10000;
  let nextAttachmentId = 20000;
  let nextCommentId = 30000;
  let seq = 0;
  let indexing = true;
  const faults: { status: number; retryAfter?: string }[] = [];
  let crash: { countdown: number; mode: 'before' | 'after' } | undefined;
  let baseUrl = '';

  const expectedAuth = new Set<string>();
  if (options.basic) {
    expectedAuth.add(
      `Basic ${Buffer.from(`${options.basic.email}:${options.basic.apiToken}`).toString('base64')}`,
    );
  }
  if (options.pat) expectedAuth.add(`Bearer ${options.pat}`);

  function createIssue(seed: SeedIssue, indexed: boolean): StoredIssue {
    const project = seed.project.toUpperCase();
    const n = (counters.get(project) ?? 0) + 1;
    counters.set(project, n);
    const issue: StoredIssue = {
      id: String(nextId++),
      key: `${project}-${n}`,
      project,
      issueType: seed.issueType ?? 'Test',
      status: seed.status ?? 'To Do',
      summary: seed.summary,
      labels: seed.labels ?? [],
      description: seed.description ?? null,
      custom: seed.custom ?? {},
      comments: [],
      attachments: [],
      properties: new Map(),
      indexed,
      createdSeq: seq++,
    };
    issues.set(issue.key, issue);
    return issue;
  }

  function findIssue(idOrKey: string): StoredIssue | undefined {
    const byKey = issues.get(idOrKey.toUpperCase());
    if (byKey) return byKey;
    for (const issue of issues.values()) if (issue.id === idOrKey) return issue;
    return undefined;
  }

  function issueJson(issue: StoredIssue, fields: Set<string> | 'all'): Json {
    const all: Json = {
      summary: issue.summary,
      labels: issue.labels,
      description: issue.description,
      issuetype: {
        id: String(10 + (projects.get(issue.project)?.indexOf(issue.issueType) ?? 0)),
        name: issue.issueType,
      },
      status: {
        id: statusId(issue.status),
        name: issue.status,
        statusCategory: { key: statusCategory(issue.status) },
      },
      project: {
        id: String(100 + [...projects.keys()].indexOf(issue.project)),
        key: issue.project,
        name: issue.project,
      },
      created: new Date(Date.UTC(2024, 0, 1, 0, 0, issue.createdSeq)).toISOString(),
      attachment: issue.attachments.map((a) => attachmentJson(a)),
      ...issue.custom,
    };
    const selected =
      fields === 'all' ? all : Object.fromEntries(Object.entries(all).filter(([k]) => fields.has(k)));
    return {
      expand: 'renderedFields,names,schema,operations',
      id: issue.id,
      self: `${baseUrl}${PREFIX}/issue/${issue.id}`,
      key: issue.key,
      fields: selected,
    };
  }

  function attachmentJson(a: StoredAttachment): Json {
    return {
      self: `${baseUrl}${PREFIX}/attachment/${a.id}`,
      id: a.id,
      filename: a.filename,
      size: a.content.length,
      mimeType: a.mimeType,
      content: `${baseUrl}/secure/attachment/${a.id}/${encodeURIComponent(a.filename)}`,
      created: new Date(Date.UTC(2024, 0, 1)).toISOString(),
    };
  }

  /** Jira's `fields` parameter: a comma list, `*all`, `*navigable`, with `-name` exclusions. */
  function parseFields(
    param: string | null,
    fallback: 'id' | 'navigable' | 'all',
  ): Set<string> | 'all' | 'none' {
    const parts = (param ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (parts.length === 0)
      return fallback === 'id' ? 'none' : fallback === 'all' ? 'all' : new Set(NAVIGABLE);
    const out = new Set<string>();
    let all = false;
    for (const p of parts) {
      if (p === '*all') all = true;
      else if (p === '*navigable') {
        for (const n of NAVIGABLE) out.add(n);
        for (const issue of issues.values()) for (const k of Object.keys(issue.custom)) out.add(k);
      } else if (p.startsWith('-')) out.delete(p.slice(1));
      else out.add(p);
    }
    if (all) return 'all';
    if ([...out].every((f) => f === 'id' || f === 'key')) return 'none';
    return out;
  }

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const record: RecordedJiraRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    let crashMode: 'before' | 'after' | undefined;
    if (crash !== undefined && --crash.countdown === 0) {
      crashMode = crash.mode;
      crash = undefined;
    }
    const reply: Reply = (status, payload, headers = {}) => {
      if (crashMode === 'after') {
        record.status = 500;
        sendJson(res, 500, { errorMessages: ['Internal server error'], errors: {} });
        return;
      }
      record.status = status;
      if (status === 204) {
        res.writeHead(204, headers);
        res.end();
      } else sendJson(res, status, payload, headers);
    };

    if (crashMode === 'before') {
      reply(500, { errorMessages: ['Internal server error'], errors: {} });
      return;
    }
    const fault = faults.shift();
    if (fault) {
      const headers: Record<string, string> =
        fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
      if (fault.status === 429) {
        headers['x-ratelimit-limit'] = '100';
        headers['x-ratelimit-remaining'] = '0';
        headers['ratelimit-reason'] = 'jira-burst-based';
        reply(429, { errorMessages: ['Rate limit exceeded.'], errors: {} }, headers);
      } else reply(fault.status, { errorMessages: ['Service unavailable'], errors: {} }, headers);
      return;
    }
    if (!expectedAuth.has(req.headers.authorization ?? '')) {
      reply(
        401,
        {
          errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
          errors: {},
        },
        { 'www-authenticate': 'OAuth realm="https%3A%2F%2Fjira.local"' },
      );
      return;
    }

    const path = url.pathname.replace(/\/+$/, '');
    const params = url.searchParams;
    const notFound = (): void =>
      reply(404, {
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });

    if (path === `${PREFIX}/search/jql` && method === 'GET') {
      if (!enhancedOn) {
        reply(404, { errorMessages: [`null for uri: ${baseUrl}${url.pathname}`], errors: {} });
        return;
      }
      searchEnhanced(params, reply);
      return;
    }
    if (path === `${PREFIX}/search` && method === 'GET') {
      if (legacy === 'gone') {
        reply(410, {
          errorMessages: [
            'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
          ],
          errors: {},
        });
        return;
      }
      if (!legacy) {
        reply(404, { errorMessages: [`null for uri: ${baseUrl}${url.pathname}`], errors: {} });
        return;
      }
      searchLegacy(params, reply);
      return;
    }
    if (path === `${PREFIX}/issue` && method === 'POST') {
      const json = parseJson(body, reply);
      if (json !== undefined) createFromRequest(json, reply);
      return;
    }
    const m =
      /^\/rest\/api\/3\/issue\/([^/]+)(?:\/(comment|transitions|attachments|properties)(?:\/([^/]+))?)?$/.exec(
        path,
      );
    if (!m) {
      reply(404, { errorMessages: [`null for uri: ${baseUrl}${url.pathname}`], errors: {} });
      return;
    }
    const issue = findIssue(decodeURIComponent(m[1] ?? ''));
    if (!issue) {
      notFound();
      return;
    }
    const sub = m[2];
    if (sub === undefined && method === 'GET') {
      const fields = parseFields(params.get('fields'), 'all');
      reply(200, issueJson(issue, fields === 'none' ? new Set() : fields));
    } else if (sub === 'comment' && method === 'GET') {
      const startAt = intParam(params, 'startAt', 0);
      const asked = intParam(params, 'maxResults', 100);
      if (startAt === undefined || asked === undefined) {
        reply(400, { errorMessages: ['Invalid startAt or maxResults'], errors: {} });
        return;
      }
      const maxResults = Math.min(100, asked);
      reply(200, {
        startAt,
        maxResults,
        total: issue.comments.length,
        comments: issue.comments.slice(startAt, startAt + maxResults).map((c) => commentJson(issue, c)),
      });
    } else if (sub === 'comment' && method === 'POST') {
      const json = parseJson(body, reply);
      if (json === undefined) return;
      if (!isObject(json) || json.body === undefined) {
        reply(400, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
        return;
      }
      const problem = validateAdf(json.body);
      if (problem) {
        adfRejections.push(problem);
        reply(400, { errorMessages: ['INVALID_INPUT'], errors: {} });
        return;
      }
      const comment = {
        id: String(nextCommentId++),
        body: json.body,
        created: new Date(Date.UTC(2024, 0, 2)).toISOString(),
      };
      issue.comments.push(comment);
      reply(201, commentJson(issue, comment));
    } else if (sub === 'transitions' && method === 'GET') {
      reply(200, {
        expand: 'transitions',
        transitions: (workflow[issue.status] ?? []).map((t) => ({
          id: t.id,
          name: t.name,
          to: { id: statusId(t.to), name: t.to, statusCategory: { key: statusCategory(t.to) } },
          hasScreen: false,
          isGlobal: false,
          isInitial: false,
          isAvailable: true,
          isConditional: false,
          isLooped: false,
        })),
      });
    } else if (sub === 'transitions' && method === 'POST') {
      const json = parseJson(body, reply);
      if (json === undefined) return;
      const id = isObject(json) && isObject(json.transition) ? json.transition.id : undefined;
      if (id === undefined) {
        reply(400, { errorMessages: ["Missing 'transition' identifier"], errors: {} });
        return;
      }
      const t = (workflow[issue.status] ?? []).find((x) => x.id === String(id));
      if (!t) {
        reply(400, {
          errorMessages: [`Transition id '${String(id)}' is not valid for this issue.`],
          errors: {},
        });
        return;
      }
      issue.status = t.to;
      reply(204, undefined);
    } else if (sub === 'attachments' && method === 'POST') {
      if ((req.headers['x-atlassian-token'] ?? '').toString().toLowerCase() !== 'no-check') {
        record.status = 403;
        res.writeHead(403, { 'content-type': 'text/plain;charset=UTF-8' });
        res.end('XSRF check failed');
        return;
      }
      const parts = parseMultipart(req.headers['content-type'] ?? '', body);
      if (parts === undefined) {
        reply(400, { errorMessages: ['The request is not a multipart request.'], errors: {} });
        return;
      }
      const files = parts.filter((p) => p.name === 'file' && p.filename !== undefined);
      if (files.length === 0) {
        reply(400, {
          errorMessages: ["No file found in the request; the form field must be named 'file'."],
          errors: {},
        });
        return;
      }
      const stored = files.map((f) => {
        const a: StoredAttachment = {
          id: String(nextAttachmentId++),
          filename: f.filename ?? '',
          mimeType: f.contentType ?? 'application/octet-stream',
          content: f.content,
        };
        issue.attachments.push(a);
        return a;
      });
      reply(
        200,
        stored.map((a) => attachmentJson(a)),
      );
    } else if (sub === 'properties' && m[3] !== undefined && method === 'GET') {
      const key = decodeURIComponent(m[3]);
      if (!issue.properties.has(key)) {
        reply(404, { errorMessages: [`The property with key '${key}' does not exist.`], errors: {} });
        return;
      }
      reply(200, { key, value: issue.properties.get(key) });
    } else if (sub === 'properties' && m[3] !== undefined && method === 'PUT') {
      const json = parseJson(body, reply);
      if (json === undefined) return;
      const key = decodeURIComponent(m[3]);
      const existed = issue.properties.has(key);
      issue.properties.set(key, json);
      reply(existed ? 200 : 201, existed ? {} : { key });
    } else {
      reply(405, { errorMessages: ['Method not allowed'], errors: {} });
    }
  };

  function commentJson(issue: StoredIssue, c: StoredComment): Json {
    return {
      self: `${baseUrl}${PREFIX}/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: { accountId: 'understudy-bot', displayName: 'Understudy' },
      body: c.body,
      created: c.created,
      updated: c.created,
      jsdPublic: true,
    };
  }

  function runJql(jql: string | null, reply: Reply): StoredIssue[] | undefined {
    if (jql === null || jql.trim().length === 0) {
      // Jira refuses an unbounded search on the enhanced endpoint.
      reply(400, {
        errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction.'],
        errors: {},
      });
      return undefined;
    }
    try {
      const query = compileJql(jql, projects);
      return [...issues.values()].filter((i) => i.indexed && query.match(i)).sort(query.compare);
    } catch (error) {
      if (error instanceof JqlError) {
        reply(400, { errorMessages: [error.message], errors: {}, warningMessages: [] });
        return undefined;
      }
      throw error;
    }
  }

  function searchEnhanced(params: URLSearchParams, reply: Reply): void {
    const matches = runJql(params.get('jql'), reply);
    if (!matches) return;
    const fields = parseFields(params.get('fields'), 'id');
    const cap = fields === 'none' ? MAX_PAGE_IDS_ONLY : MAX_PAGE_WITH_FIELDS;
    const asked = intParam(params, 'maxResults', 50);
    if (asked === undefined || asked < 0) {
      reply(400, { errorMessages: ['maxResults must be a non-negative integer'], errors: {} });
      return;
    }
    const token = params.get('nextPageToken');
    let offset = 0;
    if (token !== null) {
      const decoded = decodeToken(token, params.get('jql') ?? '');
      if (decoded === undefined) {
        reply(400, { errorMessages: ['The provided next page token is invalid or expired.'], errors: {} });
        return;
      }
      offset = decoded;
    }
    const size = Math.min(cap, asked);
    const page = matches.slice(offset, offset + size);
    const more = offset + page.length < matches.length;
    reply(200, {
      issues: page.map((i) => (fields === 'none' ? { id: i.id } : issueJson(i, fields))),
      ...(more ? { nextPageToken: encodeToken(offset + page.length, params.get('jql') ?? '') } : {}),
      isLast: !more,
    });
  }

  function searchLegacy(params: URLSearchParams, reply: Reply): void {
    const matches = runJql(params.get('jql') ?? 'ORDER BY key', reply);
    if (!matches) return;
    const startAt = intParam(params, 'startAt', 0);
    const asked = intParam(params, 'maxResults', 50);
    if (startAt === undefined || asked === undefined || startAt < 0 || asked < 0) {
      reply(400, { errorMessages: ['startAt and maxResults must be non-negative integers'], errors: {} });
      return;
    }
    const fields = parseFields(params.get('fields'), 'navigable');
    const maxResults = Math.min(MAX_PAGE_WITH_FIELDS, asked);
    reply(200, {
      expand: 'schema,names',
      startAt,
      maxResults,
      total: matches.length,
      issues: matches
        .slice(startAt, startAt + maxResults)
        .map((i) => issueJson(i, fields === 'none' ? new Set() : fields)),
    });
  }

  function createFromRequest(json: unknown, reply: Reply): void {
    const fields = isObject(json) && isObject(json.fields) ? json.fields : undefined;
    if (!fields) {
      reply(400, { errorMessages: ['No fields were provided for the issue.'], errors: {} });
      return;
    }
    const errors: Record<string, string> = {};
    const projectRef = isObject(fields.project) ? fields.project : {};
    const projectKey =
      typeof projectRef.key === 'string'
        ? projectRef.key.toUpperCase()
        : [...projects.keys()].find((_, i) => String(100 + i) === String(projectRef.id));
    const types = projectKey !== undefined ? projects.get(projectKey) : undefined;
    if (!types || projectKey === undefined) errors.project = 'valid project is required';
    const typeRef = isObject(fields.issuetype) ? fields.issuetype : {};
    const issueType = types?.find(
      (t) => typeof typeRef.name === 'string' && t.toLowerCase() === typeRef.name.toLowerCase(),
    );
    if (types && !issueType) errors.issuetype = 'valid issue type is required';
    const summary = fields.summary;
    if (typeof summary !== 'string' || summary.trim().length === 0)
      errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary))
      errors.summary = 'The summary is invalid because it contains newline characters.';
    if (fields.description !== undefined && fields.description !== null) {
      const problem = validateAdf(fields.description);
      if (problem) {
        adfRejections.push(problem);
        errors.description =
          'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      }
    }
    const labels = fields.labels ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string'))
      errors.labels = 'Labels must be strings.';
    else {
      // Jira quotes the refused label in its message; clients must not pass that on.
      const bad = labels.find((l: string) => /\s/.test(l) || l.length === 0 || l.length > 255);
      if (bad !== undefined) errors.labels = `The label '${bad}' contains spaces which is invalid.`;
    }
    const known = new Set(['project', 'issuetype', 'summary', 'description', 'labels']);
    for (const k of Object.keys(fields)) {
      if (!known.has(k))
        errors[k] = `Field '${k}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    if (Object.keys(errors).length > 0) {
      reply(400, { errorMessages: [], errors });
      return;
    }
    const issue = createIssue(
      {
        project: projectKey ?? '',
        issueType: issueType ?? 'Bug',
        summary: summary as string,
        labels: labels as string[],
        description: fields.description ?? null,
      },
      indexing,
    );
    reply(201, { id: issue.id, key: issue.key, self: `${baseUrl}${PREFIX}/issue/${issue.id}` });
  }

  const running = await listen((req, res, body) => handle(req, res, body));
  baseUrl = running.url;
  return {
    ...running,
    requests,
    issues,
    adfRejections,
    seedIssue: (seed) => createIssue(seed, true).key,
    throttleNext(n, retryAfter = '1') {
      for (let i = 0; i < n; i++) faults.push({ status: 429, retryAfter });
    },
    failNext(n, status = 503, retryAfter) {
      for (let i = 0; i < n; i++)
        faults.push({ status, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    },
    crashAt(n, mode) {
      crash = { countdown: n, mode };
    },
    clearFaults() {
      faults.length = 0;
      crash = undefined;
    },
    setIndexing(on) {
      indexing = on;
    },
    reindex() {
      for (const issue of issues.values()) issue.indexed = true;
    },
    resetRequests() {
      requests.length = 0;
    },
  };
}

function statusId(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 9000;
  return String(1000 + h);
}

function statusCategory(name: string): string {
  if (name === 'To Do') return 'new';
  if (name === 'Passed' || name === 'Failed' || name === 'Done') return 'done';
  return 'indeterminate';
}

function intParam(params: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function parseJson(body: Buffer, reply: Reply): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    reply(400, { errorMessages: ['Unexpected character in the request body: not valid JSON.'], errors: {} });
    return undefined;
  }
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString('base64url');
}

function decodeToken(token: string, jql: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    // A token belongs to its query: reusing it with another JQL is refused, as Jira does.
    return typeof v.o === 'number' && v.q === jql ? v.o : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// JQL subset

interface CompiledJql {
  match(issue: StoredIssue): boolean;
  compare(a: StoredIssue, b: StoredIssue): number;
}

function tokenizeJql(jql: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < jql.length) {
    const ch = jql[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = '';
      while (j < jql.length && jql[j] !== ch) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        value += jql[j];
        j++;
      }
      if (j >= jql.length)
        throw new JqlError('Error in the JQL Query: The quoted string has not been completed.');
      tokens.push(`"${value}`);
      i = j + 1;
    } else if ('(),'.includes(ch)) {
      tokens.push(ch);
      i++;
    } else if (ch === '!' && jql[i + 1] === '=') {
      tokens.push('!=');
      i += 2;
    } else if (ch === '=') {
      tokens.push('=');
      i++;
    } else {
      let j = i;
      while (j < jql.length && /[A-Za-z0-9_.-]/.test(jql[j] ?? '')) j++;
      if (j === i)
        throw new JqlError(`Error in the JQL Query: The character '${ch}' is a reserved JQL character.`);
      tokens.push(jql.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const FIELDS = new Set(['project', 'labels', 'issuetype', 'type', 'status', 'key', 'issuekey']);

function compileJql(jql: string, projects: Map<string, string[]>): CompiledJql {
  const tokens = tokenizeJql(jql);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const take = (): string => {
    const t = tokens[pos++];
    if (t === undefined)
      throw new JqlError('Error in the JQL Query: Expecting more input at the end of the query.');
    return t;
  };
  const isWord = (t: string | undefined, w: string): boolean => t !== undefined && t.toLowerCase() === w;
  const value = (t: string): string => (t.startsWith('"') ? t.slice(1) : t);
  const clauses: ((i: StoredIssue) => boolean)[] = [];

  while (pos < tokens.length && !isWord(peek(), 'order')) {
    if (clauses.length > 0) {
      const and = take();
      if (!isWord(and, 'and')) {
        throw new JqlError(`Error in the JQL Query: Expecting either 'AND' or 'ORDER BY' but got '${and}'.`);
      }
    }
    const field = take().toLowerCase();
    if (!FIELDS.has(field))
      throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
    let op = take().toLowerCase();
    if (op === 'not') op = `not ${take().toLowerCase()}`;
    let values: string[];
    if (op === 'in' || op === 'not in') {
      if (take() !== '(') throw new JqlError("Error in the JQL Query: Expecting '(' after 'in'.");
      values = [];
      for (;;) {
        values.push(value(take()));
        const sep = take();
        if (sep === ')') break;
        if (sep !== ',') throw new JqlError("Error in the JQL Query: Expecting ',' or ')' in the list.");
      }
    } else if (op === '=' || op === '!=') values = [value(take())];
    else
      throw new JqlError(
        `Error in the JQL Query: The operator '${op}' is not supported by the '${field}' field.`,
      );
    if (field === 'project') {
      for (const v of values) {
        if (!projects.has(v.toUpperCase()))
          throw new JqlError(`The value '${v}' does not exist for the field 'project'.`);
      }
    }
    const lower = values.map((v) => v.toLowerCase());
    const get = (i: StoredIssue): string[] => {
      if (field === 'project') return [i.project.toLowerCase()];
      if (field === 'labels') return i.labels.map((l) => l.toLowerCase());
      if (field === 'issuetype' || field === 'type') return [i.issueType.toLowerCase()];
      if (field === 'status') return [i.status.toLowerCase()];
      return [i.key.toLowerCase()];
    };
    const positive = op === '=' || op === 'in';
    clauses.push((i) => get(i).some((v) => lower.includes(v)) === positive);
  }

  let compare = (a: StoredIssue, b: StoredIssue): number => b.createdSeq - a.createdSeq;
  if (pos < tokens.length) {
    take();
    if (!isWord(take(), 'by')) throw new JqlError("Error in the JQL Query: Expecting 'BY' after 'ORDER'.");
    const orders: ((a: StoredIssue, b: StoredIssue) => number)[] = [];
    for (;;) {
      const field = take().toLowerCase();
      let dir = 1;
      if (isWord(peek(), 'asc')) take();
      else if (isWord(peek(), 'desc')) {
        take();
        dir = -1;
      }
      if (field === 'key' || field === 'issuekey') orders.push((a, b) => dir * compareKeys(a.key, b.key));
      else if (field === 'created') orders.push((a, b) => dir * (a.createdSeq - b.createdSeq));
      else throw new JqlError(`Not able to sort using field '${field}'.`);
      if (peek() !== ',') break;
      take();
    }
    if (pos < tokens.length)
      throw new JqlError(`Error in the JQL Query: Unexpected '${tokens[pos] ?? ''}' after ORDER BY.`);
    compare = (a, b) => {
      for (const o of orders) {
        const c = o(a, b);
        if (c !== 0) return c;
      }
      return 0;
    };
  }
  return { match: (i) => clauses.every((c) => c(i)), compare };
}

function compareKeys(a: string, b: string): number {
  const [pa = '', na = '0'] = a.split('-');
  const [pb = '', nb = '0'] = b.split('-');
  return pa === pb ? Number(na) - Number(nb) : pa.localeCompare(pb);
}

// ---------------------------------------------------------------------------------------------
// Multipart

interface MultipartPart {
  name: string | undefined;
  filename: string | undefined;
  contentType: string | undefined;
  content: Buffer;
}

function parseMultipart(contentType: string, body: Buffer): MultipartPart[] | undefined {
  const m = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    // Skip the CRLF after the delimiter.
    start += 2;
    const end = body.indexOf(delimiter, start);
    if (end < 0) return undefined;
    const part = body.subarray(start, end - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = part.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/.exec(disposition)?.[1],
      filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim(),
      content: Buffer.from(part.subarray(split + 4)),
    });
    start = end;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// ADF validation (the structural rules of the ADF JSON schema a client can break)

const INLINE = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'status',
  'date',
  'placeholder',
]);
const BLOCK = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'codeBlock',
  'blockquote',
  'panel',
  'rule',
  'table',
  'mediaSingle',
  'mediaGroup',
  'expand',
  'taskList',
  'decisionList',
  'blockCard',
  'embedCard',
]);
const MARKS = new Set([
  'strong',
  'em',
  'code',
  'strike',
  'underline',
  'link',
  'subsup',
  'textColor',
  'backgroundColor',
]);
const STATUS_COLORS = new Set(['neutral', 'purple', 'blue', 'red', 'yellow', 'green']);
const CELL_CONTENT = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'codeBlock',
  'panel',
  'rule',
  'blockquote',
  'mediaGroup',
  'mediaSingle',
  'taskList',
  'decisionList',
  'nestedExpand',
  'blockCard',
  'embedCard',
]);
const LIST_ITEM_CONTENT = new Set([
  'paragraph',
  'bulletList',
  'orderedList',
  'codeBlock',
  'mediaSingle',
  'taskList',
]);

/** Returns why an ADF document is invalid (with the node path), or undefined when it is valid. */
export function validateAdf(doc: unknown): string | undefined {
  if (!isObject(doc) || doc.type !== 'doc') return 'doc: not an ADF document';
  if (doc.version !== 1) return 'doc.version: must be 1';
  if (!Array.isArray(doc.content)) return 'doc.content: must be an array';
  return children(doc, 'doc', (t) => BLOCK.has(t), 0);
}

function children(
  node: Json,
  path: string,
  allowed: (type: string) => boolean,
  min: number,
): string | undefined {
  const content = node.content;
  if (content === undefined) return min > 0 ? `${path}.content: required` : undefined;
  if (!Array.isArray(content)) return `${path}.content: must be an array`;
  if (content.length < min) return `${path}.content: needs at least ${min} node(s)`;
  for (const [i, child] of content.entries()) {
    const at = `${path}.content[${i}]`;
    if (!isObject(child) || typeof child.type !== 'string') return `${at}: not a node`;
    if (!allowed(child.type)) return `${at}: ${child.type} not allowed here`;
    const problem = validateNode(child, at);
    if (problem) return problem;
  }
  return undefined;
}

function validateNode(node: Json, path: string): string | undefined {
  const attrs = isObject(node.attrs) ? node.attrs : {};
  switch (node.type) {
    case 'paragraph':
      return children(node, path, (t) => INLINE.has(t), 0);
    case 'heading': {
      const level = attrs.level;
      if (typeof level !== 'number' || level < 1 || level > 6) return `${path}.attrs.level: must be 1 to 6`;
      return children(node, path, (t) => INLINE.has(t), 0);
    }
    case 'text': {
      if (typeof node.text !== 'string' || node.text.length === 0)
        return `${path}.text: must be a non-empty string`;
      if (node.marks === undefined) return undefined;
      if (!Array.isArray(node.marks)) return `${path}.marks: must be an array`;
      for (const [i, mark] of node.marks.entries()) {
        if (!isObject(mark) || typeof mark.type !== 'string' || !MARKS.has(mark.type))
          return `${path}.marks[${i}]: unknown mark`;
        if (
          mark.type === 'link' &&
          !(isObject(mark.attrs) && typeof mark.attrs.href === 'string' && mark.attrs.href.length > 0)
        ) {
          return `${path}.marks[${i}].attrs.href: required`;
        }
      }
      return undefined;
    }
    case 'hardBreak':
    case 'rule':
      return node.content === undefined ? undefined : `${path}: must not have content`;
    case 'status':
      if (typeof attrs.text !== 'string') return `${path}.attrs.text: required`;
      if (typeof attrs.color !== 'string' || !STATUS_COLORS.has(attrs.color))
        return `${path}.attrs.color: invalid`;
      return undefined;
    case 'mention':
      return typeof attrs.id === 'string' ? undefined : `${path}.attrs.id: required`;
    case 'emoji':
      return typeof attrs.shortName === 'string' ? undefined : `${path}.attrs.shortName: required`;
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard':
      return typeof attrs.url === 'string' || isObject(attrs.data)
        ? undefined
        : `${path}.attrs.url: required`;
    case 'date':
      return typeof attrs.timestamp === 'string' ? undefined : `${path}.attrs.timestamp: required`;
    case 'bulletList':
    case 'orderedList':
      return children(node, path, (t) => t === 'listItem', 1);
    case 'listItem': {
      const problem = children(node, path, (t) => LIST_ITEM_CONTENT.has(t), 1);
      if (problem) return problem;
      const first = (node.content as Json[])[0];
      return first?.type === 'bulletList' || first?.type === 'orderedList'
        ? `${path}.content[0]: a list item must start with a paragraph`
        : undefined;
    }
    case 'codeBlock': {
      const problem = children(node, path, (t) => t === 'text', 0);
      if (problem) return problem;
      const marked = ((node.content as Json[] | undefined) ?? []).findIndex((t) => t.marks !== undefined);
      return marked >= 0 ? `${path}.content[${marked}].marks: no marks in a code block` : undefined;
    }
    case 'blockquote':
    case 'panel':
    case 'expand':
      return children(node, path, (t) => BLOCK.has(t) && t !== 'table' && t !== 'expand', 1);
    case 'table':
      return children(node, path, (t) => t === 'tableRow', 1);
    case 'tableRow':
      return children(node, path, (t) => t === 'tableHeader' || t === 'tableCell', 1);
    case 'tableHeader':
    case 'tableCell':
      return children(node, path, (t) => CELL_CONTENT.has(t), 1);
    case 'taskList':
      return children(node, path, (t) => t === 'taskItem' || t === 'taskList', 1);
    case 'taskItem':
      return children(node, path, (t) => INLINE.has(t), 0);
    default:
      return undefined;
  }
}
