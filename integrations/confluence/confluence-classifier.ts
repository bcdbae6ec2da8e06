/**
 * The Confluence knowledge classifier: finds each field's entry in the data dictionaries of one
 * space (CQL full-text search through confluence.js, then the pages' storage bodies), turns the
 * entry's classification and description into a kind and score, and cites the page.
 */
import { ConfluenceClient, type Models } from 'confluence.js';
import { ConfigError } from '../../core/errors.js';
import type { ExternalClassifier, FieldContext } from '../../core/pii/external.js';
import { ClassifierName, type ClassifierContribution } from '../../core/pii/types.js';
import {
  confluenceCacheKey,
  createMemoryAnswerCache,
  type CachedAnswer,
  type ConfluenceAnswerCache,
} from './answer-cache.js';
import { judgeDictionaryText } from './classification-text.js';
import { buildDictionarySearchCql } from './cql.js';
import { matchTable, parseDataDictionary, type DictionaryEntry, type TableMatch } from './data-dictionary.js';
import { ConfluenceRequestError } from './errors.js';

/** Options of {@link createConfluenceClassifier}. */
export interface ConfluenceClassifierOptions {
  /** Site URL, e.g. `https://your-domain.atlassian.net` (the REST prefix `/wiki/rest/` is added). */
  host: string;
  /** Atlassian account email for basic auth (unused when `client` is given). */
  email?: string;
  /** API token of that account (unused when `client` is given). */
  apiToken?: string;
  /** Key of the space holding the data dictionaries. */
  spaceKey: string;
  /** Where answers are kept. @default an in-memory cache */
  cache?: ConfluenceAnswerCache;
  /** A configured client (e.g. with OAuth 2.0) instead of basic auth. */
  client?: ConfluenceClient;
  /** Column names combined into one CQL query. @default 10 */
  columnsPerSearch?: number;
  /** Results asked per search call (Confluence caps it). @default 25 */
  pageSize?: number;
  /** Search results read per query, over all its result pages. @default 100 */
  maxResultsPerSearch?: number;
  /** Distinct pages fetched per classify call. @default 50 */
  maxPages?: number;
  /** Page fetches in flight at once. @default 4 */
  concurrency?: number;
  /** Attempts after a rate limit (429), server error or lost connection. @default 4 */
  maxRetries?: number;
  /** First backoff delay; doubles per retry. @default 1000 */
  retryBaseDelayMs?: number;
  /** How to wait between retries (tests pass a recorder). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** The clock for cache timestamps. @default Date.now */
  now?: () => number;
}

/** A Confluence classifier plus the counters tests and reports read. */
export interface ConfluenceClassifier extends ExternalClassifier {
  /** Calls made so far (searches, page fetches, retries) and cache hits. */
  stats(): { searches: number; pageFetches: number; retries: number; cacheHits: number };
}

interface FetchedPage {
  title: string;
  url: string;
  entries: DictionaryEntry[];
}

const MATCH_RANK: Record<TableMatch, number> = { exact: 3, context: 2, unscoped: 1, other: 0 };
// A page that does not say which table it documents is weaker evidence for this table's column.
const UNSCOPED_FACTOR = 0.75;
const MAX_CONTRIBUTIONS_PER_FIELD = 3;

/** A classifier that looks fields up in a Confluence space's data dictionaries. */
export function createConfluenceClassifier(options: ConfluenceClassifierOptions): ConfluenceClassifier {
  const client = options.client ?? createBasicClient(options);
  const cache = options.cache ?? createMemoryAnswerCache();
  const columnsPerSearch = Math.max(1, options.columnsPerSearch ?? 10);
  const pageSize = Math.max(1, options.pageSize ?? 25);
  const maxResults = Math.max(1, options.maxResultsPerSearch ?? 100);
  const maxPages = Math.max(1, options.maxPages ?? 50);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxRetries = Math.max(0, options.maxRetries ?? 4);
  const baseDelay = options.retryBaseDelayMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const counters = { searches: 0, pageFetches: 0, retries: 0, cacheHits: 0 };

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (thrown) {
        const error = new ConfluenceRequestError(operation, statusOf(thrown), { cause: thrown });
        if (!error.retryable || attempt >= maxRetries) throw error;
        counters.retries++;
        await sleep(baseDelay * 2 ** attempt);
      }
    }
  }

  async function searchPageIds(columns: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < columns.length; i += columnsPerSearch) {
      const cql = buildDictionarySearchCql(options.spaceKey, columns.slice(i, i + columnsPerSearch));
      let cursor: string | undefined;
      let read = 0;
      do {
        counters.searches++;
        const page: Models.ContentArray = await call('search', () =>
          client.content.searchContentByCQL({
            cql,
            limit: pageSize,
            ...(cursor === undefined ? {} : { cursor }),
          }),
        );
        for (const result of page.results) {
          if (!seen.has(result.id)) {
            seen.add(result.id);
            ids.push(result.id);
          }
        }
        read += page.results.length;
        cursor = page.results.length > 0 ? cursorOf(page._links?.next) : undefined;
      } while (cursor !== undefined && read < maxResults);
    }
    return ids.slice(0, maxPages);
  }

  async function fetchPage(id: string): Promise<FetchedPage> {
    counters.pageFetches++;
    const content: Models.Content = await call('get page', () =>
      client.content.getContentById({ id, expand: ['body.storage', 'version', 'space'] }),
    );
    const links = content._links;
    const base = typeof links?.base === 'string' ? links.base : `${options.host.replace(/\/+$/, '')}/wiki`;
    const url =
      typeof links?.webui === 'string'
        ? `${base}${links.webui}`
        : `${base}/pages/viewpage.action?pageId=${id}`;
    const storage = content.body?.storage?.value ?? '';
    return { title: content.title, url, entries: parseDataDictionary(storage, content.title) };
  }

  async function fetchPages(ids: readonly string[]): Promise<FetchedPage[]> {
    const pages: FetchedPage[] = new Array<FetchedPage>(ids.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const i = next++;
        pages[i] = await fetchPage(ids[i] as string);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    return pages;
  }

  return {
    name: ClassifierName.Confluence,
    stats: () => ({ ...counters }),
    async classify(fields) {
      const keyOf = (f: FieldContext): string => confluenceCacheKey(options.spaceKey, f.table, f.column);
      const cached = await cache.getMany(fields.map(keyOf));
      counters.cacheHits += fields.filter((f) => cached.has(keyOf(f))).length;
      const pending = fields.filter((f) => !cached.has(keyOf(f)));
      const fresh = new Map<string, CachedAnswer>();
      if (pending.length > 0) {
        const columns = [...new Set(pending.map((f) => f.column))];
        const pages = await fetchPages(await searchPageIds(columns));
        const at = new Date(now()).toISOString();
        for (const field of pending) fresh.set(keyOf(field), { contributions: judgeField(field, pages), at });
        await cache.setMany(fresh);
      }
      const result = new Map<string, ClassifierContribution[]>();
      for (const field of fields) {
        const answer = cached.get(keyOf(field)) ?? fresh.get(keyOf(field));
        if (answer !== undefined && answer.contributions.length > 0)
          result.set(field.column, answer.contributions);
      }
      return result;
    },
  };
}

function createBasicClient(options: ConfluenceClassifierOptions): ConfluenceClient {
  if (options.email === undefined || options.apiToken === undefined) {
    throw new ConfigError(
      'an email and API token (or a configured client) are required',
      'confluence.apiToken',
    );
  }
  return new ConfluenceClient({
    host: options.host,
    authentication: { basic: { email: options.email, apiToken: options.apiToken } },
  });
}

/** Contributions for one field from the best-matching dictionary entries (exact table over heading over unscoped). */
function judgeField(field: FieldContext, pages: readonly FetchedPage[]): ClassifierContribution[] {
  const column = field.column.toLowerCase();
  const matches: { page: FetchedPage; entry: DictionaryEntry; match: TableMatch }[] = [];
  for (const page of pages) {
    for (const entry of page.entries) {
      if (entry.field.toLowerCase() !== column) continue;
      const match = matchTable(entry, field.table);
      if (match !== 'other') matches.push({ page, entry, match });
    }
  }
  const best = Math.max(0, ...matches.map((m) => MATCH_RANK[m.match]));
  const contributions: ClassifierContribution[] = [];
  for (const { page, entry, match } of matches) {
    if (MATCH_RANK[match] !== best || contributions.length >= MAX_CONTRIBUTIONS_PER_FIELD) continue;
    const verdict = judgeDictionaryText(entry.classification, entry.description);
    if (verdict === undefined) continue;
    const scoped = match === 'unscoped';
    const where = scoped
      ? `${field.column} (the page does not say which table)`
      : `${field.table}.${field.column}`;
    contributions.push({
      classifier: ClassifierName.Confluence,
      kind: verdict.kind,
      score: scoped ? round(verdict.score * UNSCOPED_FACTOR) : verdict.score,
      reason: `Confluence page "${page.title}" documents ${where}: ${verdict.because}`,
      source: { title: page.title, url: page.url },
    });
  }
  return contributions;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The cursor in a `_links.next` URL (`/rest/api/content/search?cursor=…&next=true&…`). */
function cursorOf(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length === 0) return undefined;
  const cursor = new URL(next, 'http://confluence.invalid').searchParams.get('cursor');
  return cursor === null || cursor.length === 0 ? undefined : cursor;
}

/**
 * The HTTP status of a failed confluence.js call. The client rethrows the response body, which for
 * Confluence errors is `{statusCode, message}`; without a response it fails reading one, so any
 * other thrown value means no usable answer arrived.
 */
function statusOf(thrown: unknown): number | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const body = thrown as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  if (typeof body.statusCode === 'number') return body.statusCode;
  if (typeof body.response?.status === 'number') return body.response.status;
  if (typeof body.status === 'number') return body.status;
  return undefined;
}
