/**
 * The Confluence classifier through the real confluence.js client against the local Confluence
 * server (test/servers/confluence-server.ts); one test runs against a real site when
 * UNDERSTUDY_CONFLUENCE_HOST/EMAIL/API_TOKEN/SPACE are set.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FieldContext } from '../../core/pii/external.js';
import { PiiKind, type ClassifierContribution } from '../../core/pii/types.js';
import {
  ConfluenceRequestError,
  createConfluenceClassifier,
  createJsonFileAnswerCache,
  judgeDictionaryText,
  parseDataDictionary,
  type ConfluenceClassifierOptions,
} from '../../integrations/confluence/index.js';
import { SEED_PAGES } from '../servers/confluence-seed.js';
import { startConfluenceServer, type ConfluenceServer } from '../servers/confluence-server.js';

const EMAIL = 'svc-understudy@example.org';
const TOKEN = 'ATATT3xFfGF0-test-token';

function field(table: string, column: string): FieldContext {
  return { table, column, physicalType: 'string', maskedExamples: [] };
}

function only(result: Map<string, ClassifierContribution[]>, column: string): ClassifierContribution {
  const list = result.get(column);
  expect(list, column).toBeDefined();
  expect(list).toHaveLength(1);
  return (list as ClassifierContribution[])[0] as ClassifierContribution;
}

describe('Confluence classifier (confluence.js ↔ local Confluence)', () => {
  let server: ConfluenceServer;
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const make = (extra: Partial<ConfluenceClassifierOptions> = {}) =>
    createConfluenceClassifier({
      host: server.url,
      email: EMAIL,
      apiToken: TOKEN,
      spaceKey: 'DATA',
      sleep,
      ...extra,
    });

  beforeAll(async () => {
    server = await startConfluenceServer({ email: EMAIL, apiToken: TOKEN });
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(() => {
    server.resetRequests();
    sleeps.length = 0;
  });

  it('maps dictionary entries to kinds and scores and cites the page', async () => {
    const columns = [
      'customer_id',
      'email',
      'phone_number',
      'date_of_birth',
      'first_name',
      'loyalty_tier',
      'created_at',
      'support_notes',
      'email_count',
      'favourite_colour',
    ];
    const result = await make().classify(columns.map((c) => field('customers', c)));

    const email = only(result, 'email');
    expect(email).toMatchObject({ classifier: 'confluence', kind: PiiKind.Email, score: 0.9 });
    expect(email.source?.title).toBe('Data dictionary — customers');
    expect(email.source?.url).toBe(
      `${server.url}/wiki/spaces/DATA/pages/98305/Data%2Bdictionary%2B%E2%80%94%2Bcustomers`,
    );
    expect(email.reason).toContain('"Data dictionary — customers"');
    expect(email.reason).toContain('customers.email');
    expect(email.reason).toContain('"PII"');

    expect(only(result, 'phone_number')).toMatchObject({ kind: PiiKind.Phone, score: 0.9 });
    expect(only(result, 'date_of_birth')).toMatchObject({ kind: PiiKind.DateOfBirth, score: 0.9 });
    expect(only(result, 'first_name')).toMatchObject({ kind: PiiKind.FirstName, score: 0.9 });
    expect(only(result, 'support_notes')).toMatchObject({ kind: PiiKind.FreeText, score: 0.8 });
    expect(only(result, 'loyalty_tier')).toMatchObject({ kind: PiiKind.None, score: 0.8 });
    expect(only(result, 'created_at')).toMatchObject({ kind: PiiKind.None, score: 0.8 });
    expect(only(result, 'email_count')).toMatchObject({ kind: PiiKind.None, score: 0.8 });
    expect(only(result, 'customer_id')).toMatchObject({ kind: PiiKind.None, score: 0.5 });
    expect(result.has('favourite_colour')).toBe(false);

    // Pages that merely mention the words (offsite agenda, release notes) are never cited.
    const cited = [...result.values()].flat().map((c) => c.source?.title);
    expect(cited.every((t) => t === 'Data dictionary — customers')).toBe(true);
    // Every request carried the right basic-auth header; all were answered 200.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authorized && r.status === 200)).toBe(true);
  });

  it('keeps tables apart: the same column name means different things in customers and suppliers', async () => {
    // The port answers per column name, so each table is asked on its own (as the classify stage does).
    const customers = await make().classify([field('customers', 'email')]);
    expect(only(customers, 'email')).toMatchObject({
      kind: PiiKind.Email,
      source: { title: 'Data dictionary — customers' },
    });
    const suppliers = await make().classify([field('suppliers', 'email')]);
    expect(only(suppliers, 'email')).toMatchObject({
      kind: PiiKind.None,
      source: { title: 'Data dictionary — suppliers' },
    });
    // A table no page documents gets nothing from pages about other tables, nor from another space.
    const employees = await make().classify([field('employees', 'email'), field('employees', 'salary')]);
    expect(employees.size).toBe(0);
    const hr = await make({ spaceKey: 'HR' }).classify([field('employees', 'email')]);
    expect(only(hr, 'email')).toMatchObject({
      kind: PiiKind.Email,
      source: { title: 'Data dictionary — employees' },
    });
  });

  it('uses headings, PII columns and unscoped pages, with lower scores where the table is not stated', async () => {
    const addresses = await make().classify([
      field('customer_addresses', 'postcode'),
      field('customer_addresses', 'city'),
    ]);
    expect(only(addresses, 'postcode')).toMatchObject({ kind: PiiKind.PostalCode, score: 0.9 });
    expect(only(addresses, 'city')).toMatchObject({ kind: PiiKind.City, score: 0.9 });
    const legacy = await make().classify([field('payouts', 'c17'), field('payouts', 'nin')]);
    expect(only(legacy, 'c17')).toMatchObject({ kind: PiiKind.Iban, score: 0.6 });
    expect(only(legacy, 'nin')).toMatchObject({ kind: PiiKind.Ssn, score: 0.675 });
    expect(only(legacy, 'nin').reason).toContain('does not say which table');
  });

  it('answers the second run from the cache without any HTTP call', async () => {
    const classifier = make();
    const fields = [
      field('customers', 'email'),
      field('customers', 'favourite_colour'),
      field('customers', 'phone_number'),
    ];
    const first = await classifier.classify(fields);
    const firstRequests = server.requests.length;
    expect(firstRequests).toBeGreaterThan(0);
    const second = await classifier.classify(fields);
    expect(server.requests.length).toBe(firstRequests);
    expect(second).toEqual(first);
    expect(classifier.stats().cacheHits).toBe(3);
  });

  it('keeps answers in a JSON file that a new process reuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-confluence-'));
    try {
      const path = join(dir, 'cache', 'confluence.json');
      const fields = [field('customers', 'email'), field('customers', 'favourite_colour')];
      const first = await make({ cache: createJsonFileAnswerCache(path) }).classify(fields);
      const afterFirst = server.requests.length;
      const stored = JSON.parse(await readFile(path, 'utf8')) as { answers: Record<string, unknown> };
      expect(Object.keys(stored.answers).sort()).toEqual([
        '["DATA","customers","email"]',
        '["DATA","customers","favourite_colour"]',
      ]);

      const again = make({ cache: createJsonFileAnswerCache(path) });
      expect(await again.classify(fields)).toEqual(first);
      expect(server.requests.length).toBe(afterFirst);

      // Expired answers are looked up again.
      const later = make({
        cache: createJsonFileAnswerCache(path, { maxAgeMs: 1000, now: () => Date.now() + 60_000 }),
      });
      await later.classify(fields);
      expect(server.requests.length).toBeGreaterThan(afterFirst);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('batches columns into CQL queries and fetches each page once', async () => {
    const columns = Array.from({ length: 22 }, (_, i) => `unused_${i}`).concat([
      'email',
      'phone_number',
      'date_of_birth',
    ]);
    const classifier = make({ columnsPerSearch: 10 });
    const result = await classifier.classify(columns.map((c) => field('customers', c)));
    expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    const searches = server.requests.filter((r) => r.path.endsWith('/content/search'));
    expect(searches).toHaveLength(3);
    for (const s of searches) expect(s.query.cql).toMatch(/^space = "DATA" AND type = page AND \(text ~ "/);
    const fetches = server.requests.filter((r) => /\/content\/\d+$/.test(r.path));
    const fetched = fetches.map((r) => r.path);
    expect(new Set(fetched).size).toBe(fetched.length);
    expect(fetches.every((r) => r.query.expand?.split(',').includes('body.storage'))).toBe(true);
  });

  it('follows cursor pagination when Confluence caps the page size', async () => {
    // Noise first, so the dictionary is only on a later result page.
    const noiseFirst = [...SEED_PAGES].sort(
      (a, b) => Number(a.title.startsWith('Data dictionary')) - Number(b.title.startsWith('Data dictionary')),
    );
    const small = await startConfluenceServer({
      email: EMAIL,
      apiToken: TOKEN,
      pages: noiseFirst,
      maxLimit: 2,
    });
    try {
      const classifier = createConfluenceClassifier({
        host: small.url,
        email: EMAIL,
        apiToken: TOKEN,
        spaceKey: 'DATA',
      });
      const result = await classifier.classify([
        field('customers', 'email'),
        field('customers', 'phone_number'),
      ]);
      expect(only(result, 'email').kind).toBe(PiiKind.Email);
      const searches = small.requests.filter((r) => r.path.endsWith('/content/search'));
      expect(searches.length).toBeGreaterThan(1);
      expect(searches[0]?.query.limit).toBe('25');
      expect(
        searches.slice(1).every((s) => typeof s.query.cursor === 'string' && s.query.cursor.length > 0),
      ).toBe(true);
    } finally {
      await small.stop();
    }
  });

  it('quotes column names so CQL stays valid', async () => {
    const result = await make().classify([field('customers', 'we"ird\\name'), field('customers', 'email')]);
    expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('retries rate limits with doubling backoff, then gives up with a value-free error', async () => {
    server.throttleNext(2);
    const classifier = make({ retryBaseDelayMs: 100 });
    const result = await classifier.classify([field('customers', 'email')]);
    expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    expect(sleeps).toEqual([100, 200]);
    expect(classifier.stats().retries).toBe(2);
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(2);

    server.throttleNext(10);
    const error = await make({ maxRetries: 2 })
      .classify([field('customers', 'secret_column_x')])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRequestError);
    expect((error as ConfluenceRequestError).status).toBe(429);
    expect((error as ConfluenceRequestError).retryable).toBe(true);
    expect((error as Error).message).not.toContain('secret_column_x');
    server.throttleNext(0);
  });

  it('fails fast on bad credentials, naming what to check', async () => {
    const error = await make({ apiToken: 'wrong-token', maxRetries: 3 })
      .classify([field('customers', 'email')])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRequestError);
    expect((error as ConfluenceRequestError).status).toBe(401);
    expect((error as Error).message).toContain('UNDERSTUDY_CONFLUENCE_API_TOKEN');
    expect(sleeps).toEqual([]);
    expect(server.requests.every((r) => !r.authorized)).toBe(true);
  });

  it('reports an unreachable host as a retryable error without an HTTP status', async () => {
    const gone = await startConfluenceServer({ email: EMAIL, apiToken: TOKEN });
    await gone.stop();
    const error = await createConfluenceClassifier({
      host: gone.url,
      email: EMAIL,
      apiToken: TOKEN,
      spaceKey: 'DATA',
      maxRetries: 1,
      sleep,
    })
      .classify([field('customers', 'email')])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRequestError);
    expect((error as ConfluenceRequestError).status).toBeUndefined();
    expect(sleeps).toEqual([1000]);
  });
});

const real = {
  host: process.env.UNDERSTUDY_CONFLUENCE_HOST,
  email: process.env.UNDERSTUDY_CONFLUENCE_EMAIL,
  apiToken: process.env.UNDERSTUDY_CONFLUENCE_API_TOKEN,
  space: process.env.UNDERSTUDY_CONFLUENCE_SPACE,
};

describe.skipIf(!real.host || !real.email || !real.apiToken || !real.space)(
  'Confluence classifier against a real site',
  () => {
    it('searches the configured space and cites pages of that site', async () => {
      const table = process.env.UNDERSTUDY_CONFLUENCE_TEST_TABLE ?? 'customers';
      const columns = (
        process.env.UNDERSTUDY_CONFLUENCE_TEST_COLUMNS ?? 'email,phone_number,created_at'
      ).split(',');
      const classifier = createConfluenceClassifier({
        host: real.host as string,
        email: real.email as string,
        apiToken: real.apiToken as string,
        spaceKey: real.space as string,
      });
      const result = await classifier.classify(columns.map((c) => field(table, c.trim())));
      expect(classifier.stats().searches).toBeGreaterThan(0);
      for (const contributions of result.values()) {
        for (const c of contributions) {
          expect(Object.values(PiiKind)).toContain(c.kind);
          expect(c.source?.url.startsWith(new URL(real.host as string).origin)).toBe(true);
        }
      }
    });
  },
);

describe('data-dictionary reading', () => {
  it('maps classification and description wording to kinds and scores', () => {
    const cases: [string | undefined, string | undefined, string | undefined, number | undefined][] = [
      ['PII', 'Email address of the customer', PiiKind.Email, 0.9],
      ['Confidential — personal data', 'Mobile number', PiiKind.Phone, 0.9],
      ['Non-PII', 'Number of marketing emails sent', PiiKind.None, 0.8],
      ['Not personal data', 'Surname of the contact', PiiKind.None, 0.8],
      ['Restricted', 'IBAN of the payout account', PiiKind.Iban, 0.8],
      ['Sensitive', 'Quarterly revenue', PiiKind.Identifier, 0.6],
      [undefined, 'Date of birth of the patient', PiiKind.DateOfBirth, 0.7],
      ['Internal', 'Surrogate key', PiiKind.None, 0.5],
      [undefined, 'Surrogate key', undefined, undefined],
    ];
    for (const [classification, description, kind, score] of cases) {
      const verdict = judgeDictionaryText(classification, description);
      expect(verdict?.kind, `${classification} / ${description}`).toBe(kind);
      expect(verdict?.score).toBe(score);
    }
  });

  it('reads header rows in thead, skips nested tables and tables that are not dictionaries', () => {
    const storage =
      '<h3>orders</h3><table><thead><tr><th>Column</th><th>Description</th></tr></thead><tbody>' +
      '<tr><td><code>card_last4</code></td><td>Last four digits of the payment card<table><tbody><tr><td>Field</td><td>Notes</td></tr>' +
      '<tr><td>nested_field</td><td>x</td></tr></tbody></table></td></tr></tbody></table>' +
      '<table><tbody><tr><th>Time</th><th>Session</th></tr><tr><td>10:00</td><td>email etiquette</td></tr></tbody></table>';
    const entries = parseDataDictionary(storage, 'Orders');
    expect(entries.map((e) => [e.field, e.table])).toEqual([['card_last4', 'orders']]);
    expect(entries[0]?.description).toContain('payment card');
  });
});
