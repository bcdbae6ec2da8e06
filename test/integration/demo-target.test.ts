/**
 * The demo system under test (examples/demo-target) over a real SQLite database filled from
 * examples/customers.csv through the database target's load path: every route, its two deliberate
 * bugs, the state before any load, HTML escaping, the command line, and its scenarios file.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenariosFile } from '../../core/scenarios/scenarios-file.js';
import { loadCustomersCsv } from '../../examples/demo-target/load-customers.js';
import { startDemoTarget, type DemoTarget } from '../../examples/demo-target/server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(ROOT, 'examples', 'demo-target');

let dir: string;
let databaseFile: string;
let target: DemoTarget;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'understudy-demo-target-'));
  databaseFile = path.join(dir, 'demo.db');
  target = await startDemoTarget({ databaseFile, port: 0 });
});

afterAll(async () => {
  await target?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function get(url: string, init?: RequestInit): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await get(url);
  expect(r.type).toMatch(/^application\/json/);
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
}

/** The page's text without tags, spaces collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('demo target', () => {
  it('answers 503 before the customers are loaded, and serves the empty search page', async () => {
    const health = await getJson(`${target.url}/api/health`);
    expect(health).toMatchObject({ status: 503, body: { status: 'unavailable' } });
    expect((await get(`${target.url}/customers/CUST-000001`)).status).toBe(503);
    expect((await getJson(`${target.url}/api/customers/CUST-000001`)).status).toBe(503);
    expect((await get(`${target.url}/`)).status).toBe(200);
  });

  describe('after loading examples/customers.csv', () => {
    beforeAll(async () => {
      const rows = await loadCustomersCsv({
        csvFile: path.join(ROOT, 'examples', 'customers.csv'),
        databaseFile,
      });
      expect(rows).toBe(5000);
    }, 120_000);

    it('reports health with the row count', async () => {
      expect(await getJson(`${target.url}/api/health`)).toEqual({
        status: 200,
        body: { status: 'ok', customers: 5000 },
      });
    });

    it('serves a customer as JSON with the flag as a boolean and no identity numbers, and 404 for unknown ids', async () => {
      const { status, body } = await getJson(`${target.url}/api/customers/CUST-000001`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        customer_id: 'CUST-000001',
        first_name: 'Orion',
        last_name: 'Hamill',
        email: 'orion_hamill74@hotmail.com',
        segment: 'enterprise',
        credit_score: 716,
        is_active: true,
        date_of_birth: '1986-11-08',
      });
      for (const hidden of ['ssn', 'credit_card', 'ip_address', 'notes'])
        expect(body).not.toHaveProperty(hidden);
      expect((await getJson(`${target.url}/api/customers/CUST-000003`)).body.is_active).toBe(false);
      expect(await getJson(`${target.url}/api/customers/NO-SUCH-CUSTOMER`)).toEqual({
        status: 404,
        body: { error: 'customer not found' },
      });
      expect((await getJson(`${target.url}/api/customers/%E0%A4%A`)).status).toBe(404);
    });

    it('has deliberate bug 2: the API leaves out city', async () => {
      const { body } = await getJson(`${target.url}/api/customers/CUST-000001`);
      expect(body).not.toHaveProperty('city');
      const page = visibleText((await get(`${target.url}/customers/CUST-000001`)).text);
      expect(page).toContain('City San Diego');
    });

    it('lists customers by segment with a limit, in id order, and refuses bad limits', async () => {
      const { status, body } = await getJson(`${target.url}/api/customers?segment=small_business&limit=3`);
      expect(status).toBe(200);
      const customers = body.customers as Record<string, unknown>[];
      expect(body.count).toBe(3);
      expect(customers.map((c) => c.segment)).toEqual(['small_business', 'small_business', 'small_business']);
      const ids = customers.map((c) => String(c.customer_id));
      expect(ids).toEqual([...ids].sort());
      expect((await getJson(`${target.url}/api/customers`)).body.count).toBe(20);
      expect((await getJson(`${target.url}/api/customers?segment=government`)).body).toEqual({
        count: 0,
        customers: [],
      });
      for (const limit of ['0', '101', 'ten', '2.5'])
        expect((await getJson(`${target.url}/api/customers?limit=${limit}`)).status).toBe(400);
    });

    it('shows a customer page with name, badge, city, credit score and status', async () => {
      const consumer = await get(`${target.url}/customers/CUST-000002`);
      expect(consumer.status).toBe(200);
      expect(consumer.type).toMatch(/^text\/html/);
      const text = visibleText(consumer.text);
      expect(text).toContain('Dallin Olson');
      expect(consumer.text).toContain('<span class="badge" id="segment-badge">Consumer</span>');
      expect(text).toContain('City Los Angeles');
      expect(text).toContain('Credit score 834');
      expect(text).toContain('Status Active');
      const enterprise = await get(`${target.url}/customers/CUST-000001`);
      expect(enterprise.text).toContain('id="segment-badge">Enterprise<');
      const unknown = await get(`${target.url}/customers/NO-SUCH-CUSTOMER`);
      expect(unknown.status).toBe(404);
      expect(visibleText(unknown.text)).toContain('Customer not found');
    });

    it('has deliberate bug 1: small-business customers wear the Enterprise badge', async () => {
      const page = await get(`${target.url}/customers/CUST-000003`);
      const text = visibleText(page.text);
      expect(text).toContain('Brant Harvey');
      expect(text).toContain('Status Inactive');
      expect(page.text).toContain('id="segment-badge">Enterprise<');
      expect(text).not.toContain('Small business');
    });

    it('searches by e-mail: exact ignoring case first, else containing, else none found', async () => {
      const form = (await get(`${target.url}/`)).text;
      expect(form).toContain('<label for="email">Email</label>');
      expect(form).toMatch(/<input id="email" name="email"/);
      expect(form).toContain('<button type="submit">Search</button>');

      const exact = await get(`${target.url}/?email=${encodeURIComponent('BRANT.HARVEY@gmail.com')}`);
      expect(visibleText(exact.text)).toContain('1 customer found.');
      expect(exact.text).toContain('<a href="/customers/CUST-000003">Brant Harvey</a>');

      const partial = visibleText((await get(`${target.url}/?email=hotmail.com`)).text);
      expect(partial).toContain('20 customers found.');

      const none = visibleText((await get(`${target.url}/?email=nobody%40nowhere.invalid`)).text);
      expect(none).toContain('No customers found.');
      expect(visibleText((await get(`${target.url}/?email=`)).text)).toContain('No customers found.');
    });

    it('answers other methods with 405 and unknown paths with 404', async () => {
      const post = await get(`${target.url}/api/customers/CUST-000001`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect((await get(`${target.url}/nothing/here`)).status).toBe(404);
      expect((await getJson(`${target.url}/api/nothing`)).status).toBe(404);
    });
  });

  it('escapes HTML, names unknown segments itself, and tolerates a table without some columns', async () => {
    const csv = path.join(dir, 'odd.csv');
    writeFileSync(
      csv,
      'customer_id,first_name,last_name,email,segment,is_active\nX-1,Ada,<b>Lovelace</b> & co,ada@example.com,public_sector,false\n',
    );
    const oddDb = path.join(dir, 'odd.db');
    await loadCustomersCsv({ csvFile: csv, databaseFile: oddDb });
    const odd = await startDemoTarget({ databaseFile: oddDb });
    try {
      const page = (await get(`${odd.url}/customers/X-1`)).text;
      expect(page).toContain('&lt;b&gt;Lovelace&lt;/b&gt; &amp; co');
      expect(page).not.toContain('<b>Lovelace');
      expect(page).toContain('id="segment-badge">Public Sector<');
      const { body } = await getJson(`${odd.url}/api/customers/X-1`);
      expect(body).toEqual({
        customer_id: 'X-1',
        first_name: 'Ada',
        last_name: '<b>Lovelace</b> & co',
        email: 'ada@example.com',
        segment: 'public_sector',
        is_active: false,
      });
    } finally {
      await odd.close();
    }
  }, 60_000);

  it('runs from the command line and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(DEMO, 'main.ts'), '--database', databaseFile, '--port', '0'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`the CLI exited early with ${String(code)}`)));
      });
      expect((await getJson(`${url}/api/health`)).body.status).toBe('ok');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('demo scenarios file', () => {
  const scenarios = parseScenariosFile(readFileSync(path.join(DEMO, 'scenarios.yaml'), 'utf8'), {
    file: 'examples/demo-target/scenarios.yaml',
  });

  it('parses into 8–12 scenarios, each with steps and a distinct id', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
    expect(scenarios.length).toBeLessThanOrEqual(12);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) {
      expect(s.steps.length, s.id).toBeGreaterThan(0);
      expect(s.problems, s.id).toEqual([]);
    }
  });

  it('covers UI, API and database scenarios, with the designed failures labelled and documented', () => {
    const labelled = (label: string): string[] =>
      scenarios.filter((s) => s.labels.includes(label)).map((s) => s.id);
    expect(labelled('ui').length).toBeGreaterThan(0);
    expect(labelled('api').length).toBeGreaterThan(0);
    expect(labelled('db').length).toBeGreaterThan(0);
    expect(labelled('known-bug')).toEqual(['DEMO-4', 'DEMO-7']);
    const readme = readFileSync(path.join(DEMO, 'README.md'), 'utf8');
    for (const id of [
      ...labelled('known-bug'),
      ...labelled('unsupported-step'),
      ...labelled('unresolved-data'),
    ])
      expect(readme).toMatch(new RegExp(`\\| ${id} .*\\*\\*(fails|skipped)\\*\\*`));
  });

  it('uses data references in preconditions and placeholders in steps', () => {
    const preconditions = scenarios.flatMap((s) => s.preconditions);
    expect(preconditions).toContain('an enterprise customer');
    expect(preconditions).toContain('an active customer with credit_score above 700 and a city');
    const texts = scenarios.flatMap((s) => s.steps.flatMap((step) => [step.action, step.expected ?? '']));
    expect(texts.some((t) => /\{customer\.customer_id\}/.test(t))).toBe(true);
  });
});
