/**
 * Generated tests run for real: scenarios become test cases, records are chosen from a SQLite
 * database loaded by the real target, the templates write Playwright, Robot Framework and vitest
 * files, the validator accepts them, and the project's runners execute them against a small web
 * app with an API over the same database. Passing scenarios pass in every framework; a scenario
 * designed to fail fails, and the failure names the scenario step.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../core/scenarios/index.js';
import type { Table } from '../../core/table.js';
import { buildTestCases, renderTest, type TableInfo } from '../../core/testing/index.js';
import { createDatabaseTarget } from '../../integrations/database/index.js';
import { chooseRecords, createTestValidator } from '../../integrations/test-generation/index.js';
import { runGeneratedTests } from '../../integrations/test-runners/index.js';

const ROWS = 12;
const SEGMENTS = ['enterprise', 'consumer', 'smb'];

function customers(): Table {
  const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
  return {
    rowCount: ROWS,
    columns: [
      { name: 'customer_id', type: 'string', values: ids.map((i) => `CUST-${String(i).padStart(3, '0')}`) },
      {
        name: 'last_name',
        type: 'string',
        values: ids.map((i) => (i % 4 === 0 ? `O'Hara-${i}` : `Lovelace${i}`)),
      },
      { name: 'email', type: 'string', values: ids.map((i) => `ada${i}@example.test`) },
      { name: 'segment', type: 'string', values: ids.map((i) => SEGMENTS[i % 3]!) },
      { name: 'is_active', type: 'boolean', values: ids.map((i) => i % 5 !== 0) },
    ],
  };
}

const TABLES: TableInfo[] = [
  {
    name: 'customers',
    columns: [
      { name: 'customer_id', type: 'string' },
      { name: 'last_name', type: 'string' },
      { name: 'email', type: 'string' },
      { name: 'segment', type: 'string', categories: SEGMENTS },
      { name: 'is_active', type: 'boolean' },
    ],
  },
];

function scenario(
  id: string,
  title: string,
  preconditions: string[],
  steps: Scenario['steps'],
  expectedResults: string[] = [],
): Scenario {
  return {
    id,
    title,
    labels: [],
    preconditions,
    steps,
    expectedResults,
    source: { kind: 'file', location: 'x' },
    problems: [],
  };
}

const SCENARIOS: Scenario[] = [
  scenario(
    'RUN-1',
    'Customer page and API agree',
    ['an active enterprise customer'],
    [
      { action: 'Open /customers/{customer.customer_id}', expected: 'The page shows {customer.last_name}' },
      { action: 'GET /api/customers/{customer.customer_id}', expected: 'Status 200' },
    ],
    ['Response field segment equals {customer.segment}', 'Should not see "Not found"'],
  ),
  scenario(
    'RUN-2',
    'Search by email finds the customer',
    ['a consumer customer'],
    [
      { action: 'Go to /' },
      { action: 'Fill "Email" with {customer.email}' },
      { action: 'Click "Search"', expected: 'Should see {customer.last_name}' },
    ],
  ),
  scenario(
    'RUN-3',
    'API and database hold the same customer',
    ['a customer with segment "smb"'],
    [
      {
        action: 'GET /api/customers/{customer.customer_id}',
        expected: 'Status 200 and the response contains {customer.email}',
      },
      {
        action:
          'Query customers where customer_id = {customer.customer_id} and is_active = {customer.is_active}',
        expected: 'Expect 1 row',
      },
    ],
  ),
  scenario(
    'RUN-4',
    'Notes are created',
    ['a customer'],
    [
      {
        action:
          'POST /api/notes with {"customer_id": "{customer.customer_id}", "text": "Call back \\"soon\\""}',
        expected: 'Status 201',
      },
    ],
    ['Response field customer_id equals {customer.customer_id}'],
  ),
  scenario(
    'RUN-5',
    'A deleted customer is gone (designed to fail)',
    ['a customer'],
    [{ action: 'GET /api/customers/{customer.customer_id}', expected: 'The response status is 404' }],
  ),
];

// better-sqlite3 ships no type declarations; this is the little of it the app uses.
interface SqliteStatement {
  get(...params: unknown[]): unknown;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean },
) => { prepare(sql: string): SqliteStatement; close(): void };

interface App {
  url: string;
  stop(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small web app and API over the loaded table. */
async function startApp(file: string, table: string): Promise<App> {
  const db = new Database(file, { readonly: true });
  const byId = db.prepare(`SELECT * FROM "${table}" WHERE customer_id = ?`);
  const byEmail = db.prepare(`SELECT * FROM "${table}" WHERE email = ?`);
  const page = (body: string): string =>
    `<!doctype html><html><head><title>Shop</title></head><body>${body}</body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const customer = /^\/(api\/)?customers\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/') {
      return send(
        200,
        'text/html',
        page(
          '<h1>Customers</h1><form action="/search" method="get"><label for="email">Email</label><input id="email" name="email"><button type="submit">Search</button></form>',
        ),
      );
    }
    if (req.method === 'GET' && url.pathname === '/search') {
      const row = byEmail.get(url.searchParams.get('email') ?? '') as Record<string, unknown> | undefined;
      return send(
        200,
        'text/html',
        page(row ? `<p>Found ${escapeHtml(String(row['last_name']))}</p>` : '<p>Not found</p>'),
      );
    }
    if (req.method === 'GET' && customer) {
      const row = byId.get(decodeURIComponent(customer[2]!)) as Record<string, unknown> | undefined;
      if (customer[1]) {
        if (!row) return send(404, 'application/json', JSON.stringify({ error: 'not found' }));
        return send(200, 'application/json', JSON.stringify({ ...row, is_active: row['is_active'] === 1 }));
      }
      return send(
        row ? 200 : 404,
        'text/html',
        page(
          row
            ? `<h1>${escapeHtml(String(row['last_name']))}</h1><p>${escapeHtml(String(row['segment']))}</p>`
            : '<p>Not found</p>',
        ),
      );
    }
    if (req.method === 'POST' && url.pathname === '/api/notes') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        try {
          const note = JSON.parse(body) as Record<string, unknown>;
          send(201, 'application/json', JSON.stringify({ id: 1, ...note }));
        } catch {
          send(400, 'application/json', '{"error":"bad json"}');
        }
      });
      return;
    }
    send(404, 'text/plain', 'no such page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

describe('generated tests run against a live app', () => {
  let dir: string;
  let dbUrl: string;
  let dbFile: string;
  let app: App;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'understudy-generated-run-'));
    dbFile = path.join(dir, 'shop.db');
    dbUrl = `sqlite://${dbFile}`;
    const target = createDatabaseTarget(dbUrl);
    try {
      const data = customers();
      const runId = `run-${randomUUID()}`;
      await target.ensureTable(
        'customers',
        { columns: data.columns.map((c) => ({ name: c.name, type: c.type })) },
        { primaryKey: ['customer_id'] },
      );
      await target.acquireLease({ runId, table: 'customers', token: 't' });
      await target.prepareLoad({ runId, table: 'customers', token: 't', strategy: 'append' });
      await target.loadBatch({ runId, table: 'customers', token: 't', batchId: 'b1', rows: data });
    } finally {
      await target.close();
    }
    app = await startApp(dbFile, 'customers');
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes the passing scenarios in every framework and fails the failing one at its step', async () => {
    const built = buildTestCases(SCENARIOS, { frameworks: ['playwright', 'robot', 'api'], tables: TABLES });
    expect(built.problems).toEqual([]);
    const cases = await chooseRecords(built.cases, { url: dbUrl, seed: 99, tables: TABLES });
    const tests = cases.map(renderTest);
    expect(tests.map((t) => [t.testCase.id, t.skipReason])).toEqual(
      tests.map((t) => [t.testCase.id, undefined]),
    );
    expect(tests.map((t) => t.testCase.id).sort()).toEqual([
      'RUN-1--playwright',
      'RUN-1--robot',
      'RUN-2--playwright',
      'RUN-2--robot',
      'RUN-3--api',
      'RUN-4--api',
      'RUN-4--playwright',
      'RUN-4--robot',
      'RUN-5--api',
      'RUN-5--playwright',
      'RUN-5--robot',
    ]);
    const validator = createTestValidator();
    for (const t of tests) {
      const verdict = await validator.validate(t.content, t.testCase.framework, t.fileName);
      expect(verdict.errors, t.fileName).toEqual([]);
    }

    const results = await runGeneratedTests(tests, {
      workDir: path.join(dir, 'work'),
      environment: {
        baseUrl: app.url,
        apiUrl: app.url,
        database: {
          client: 'better-sqlite3',
          connection: { filename: dbFile },
          useNullAsDefault: true,
        } as never,
      },
      parallelism: 2,
      timeoutMs: 120_000,
    });
    const byId = Object.fromEntries(results.map((r) => [r.testId, r]));
    const summary = results
      .map((r) => `${r.testId}: ${r.outcome}${r.message ? ` (${r.message.slice(0, 300)})` : ''}`)
      .join('\n');
    for (const r of results) {
      if (r.outcome === 'skipped') console.warn(`${r.testId} skipped by the runner: ${r.message ?? ''}`);
    }
    for (const id of ['RUN-1', 'RUN-2', 'RUN-3', 'RUN-4']) {
      for (const r of results.filter((x) => x.scenarioId === id)) {
        expect(['passed', 'skipped'], summary).toContain(r.outcome);
      }
    }
    for (const r of results.filter((x) => x.scenarioId === 'RUN-5')) {
      if (r.outcome === 'skipped') continue;
      expect(r.outcome, summary).toBe('failed');
      expect(r.failedStep, summary).toBe('Step 1: GET /api/customers/{customer.customer_id}');
    }
    // At least the API tests ran everywhere (no browser needed).
    expect(byId['RUN-3--api']?.outcome, summary).toBe('passed');
    expect(byId['RUN-5--api']?.outcome, summary).toBe('failed');
  }, 600_000);
});
