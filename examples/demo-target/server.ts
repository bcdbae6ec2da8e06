/**
 * The demo system under test: a small customer web app (search page, customer pages, JSON API) over the
 * SQLite database the pipeline loads synthetic customers into. It has two deliberate bugs (README.md)
 * so that some of the demo scenarios fail the way real regressions do.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCustomerStore, readFlag, StoreUnavailable, type CustomerRow } from './customer-store.js';
import { renderCustomerPage, renderMessagePage, renderSearchPage } from './pages.js';

/** Options of {@link startDemoTarget}. */
export interface DemoTargetOptions {
  /** SQLite file holding (or about to hold) the `customers` table. */
  databaseFile: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default 127.0.0.1 */
  host?: string;
}

/** A running demo app. */
export interface DemoTarget {
  /** Root URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Most customers one API list call returns. */
const MAX_LIST_LIMIT = 100;
const DEFAULT_LIST_LIMIT = 20;
const SEARCH_LIMIT = 20;

/**
 * Fields the API publishes; identity numbers, cards, IP addresses and notes stay out on purpose.
 * DELIBERATE BUG 2 (see README.md): `city` is missing from this list, so the API drops it although
 * the customer page shows it.
 */
const API_FIELDS = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'street_address',
  'state',
  'postal_code',
  'date_of_birth',
  'signup_date',
  'age',
  'segment',
  'annual_income',
  'credit_score',
  'is_active',
  'lifetime_value',
] as const;

/** The API's JSON form of a customer row. */
export function toApiCustomer(row: CustomerRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of API_FIELDS) {
    if (!(field in row)) continue;
    const value = row[field];
    out[field] =
      field === 'is_active' ? readFlag(value) : typeof value === 'bigint' ? Number(value) : (value ?? null);
  }
  return out;
}

/** Starts the demo app and resolves once it listens. */
export async function startDemoTarget(options: DemoTargetOptions): Promise<DemoTarget> {
  const store = createCustomerStore(options.databaseFile);
  const server = http.createServer((req, res) => {
    try {
      handle(store, req, res);
    } catch (error) {
      if (error instanceof StoreUnavailable) {
        sendFor(req, res, 503, 'No data yet', `The customer database is not loaded: ${error.message}.`);
        return;
      }
      // The reason goes to the console only: error texts of the driver may quote data.
      console.error('demo-target: request failed:', error instanceof Error ? error.name : 'unknown error');
      sendFor(req, res, 500, 'Server error', 'The request failed.');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Store = ReturnType<typeof createCustomerStore>;

function handle(store: Store, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendFor(req, res, 405, 'Method not allowed', 'Only GET is supported.');
    return;
  }

  if (path === '/api/health') {
    let customers: number;
    try {
      customers = store.count();
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      sendJson(res, 503, { status: 'unavailable', reason: error.message });
      return;
    }
    sendJson(res, 200, { status: 'ok', customers });
    return;
  }
  if (path === '/api/customers') {
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null || limitText === '' ? DEFAULT_LIST_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      sendJson(res, 400, { error: `limit must be an integer from 1 to ${MAX_LIST_LIMIT}` });
      return;
    }
    const segment = url.searchParams.get('segment') || undefined;
    const customers = store.list(segment, limit).map(toApiCustomer);
    sendJson(res, 200, { count: customers.length, customers });
    return;
  }
  const apiCustomer = /^\/api\/customers\/([^/]+)$/.exec(path);
  if (apiCustomer) {
    const id = decodeSegment(apiCustomer[1]);
    const row = id === undefined ? undefined : store.findById(id);
    if (row === undefined) sendJson(res, 404, { error: 'customer not found' });
    else sendJson(res, 200, toApiCustomer(row));
    return;
  }
  if (path.startsWith('/api/')) {
    sendJson(res, 404, { error: 'no such endpoint' });
    return;
  }

  if (path === '/') {
    const email = url.searchParams.get('email')?.trim();
    const results = email ? store.searchByEmail(email, SEARCH_LIMIT) : email === '' ? [] : undefined;
    sendHtml(res, 200, renderSearchPage(email, results));
    return;
  }
  const customerPage = /^\/customers\/([^/]+)$/.exec(path);
  if (customerPage) {
    const id = decodeSegment(customerPage[1]);
    const row = id === undefined ? undefined : store.findById(id);
    if (row === undefined)
      sendHtml(res, 404, renderMessagePage('Customer not found', 'No customer has this id.'));
    else sendHtml(res, 200, renderCustomerPage(row));
    return;
  }
  sendHtml(res, 404, renderMessagePage('Page not found', 'There is no page at this address.'));
}

function decodeSegment(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendFor(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  title: string,
  message: string,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if ((req.url ?? '').startsWith('/api/')) sendJson(res, status, { error: message });
  else sendHtml(res, status, renderMessagePage(title, message));
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? Number(value) : value,
  );
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  res.end(html);
}
