/**
 * The test runners for real: hand-written Playwright, Robot Framework and vitest files run as
 * processes against the demo app (examples/demo-target) over a SQLite database loaded from
 * examples/customers.csv, with Debian's Chromium and chromedriver. Checked: outcomes, failed steps,
 * failure screenshots, logs, time limits (the whole process group killed), the parallelism limit,
 * skip reasons, cancellation, and that no secret of the environment reaches results or logs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedTest, TestEnvironment, TestFramework, TestResult } from '../../core/testing/types.js';
import { loadCustomersCsv } from '../../examples/demo-target/load-customers.js';
import { startDemoTarget, type DemoTarget } from '../../examples/demo-target/server.js';
import {
  runGeneratedTests,
  runLimited,
  type RunGeneratedTestsOptions,
} from '../../integrations/test-runners/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const HAS_ROBOT =
  hasPythonModules(['robot', 'SeleniumLibrary', 'RequestsLibrary']) && existsSync('/usr/bin/chromedriver');
/** Generous: the machine may be busy, and no assertion depends on how long anything took. */
const TIMEOUT_MS = 90_000;

// Rows of examples/customers.csv the hand-written tests use.
const ENTERPRISE = { id: 'CUST-000001', lastName: 'Hamill', city: 'San Diego' };
const SMALL_BUSINESS = { id: 'CUST-000003', lastName: 'Harvey', email: 'brant.harvey@gmail.com' };

let dir: string;
let databaseFile: string;
let target: DemoTarget;
let environment: TestEnvironment;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'understudy-runners-'));
  databaseFile = path.join(dir, 'demo.db');
  await loadCustomersCsv({ csvFile: path.join(ROOT, 'examples', 'customers.csv'), databaseFile });
  target = await startDemoTarget({ databaseFile, port: 0 });
  environment = {
    baseUrl: target.url,
    apiUrl: target.url,
    database: { client: 'better-sqlite3', connection: { filename: databaseFile } },
  };
});

afterAll(async () => {
  await target?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function hasPythonModules(modules: string[]): boolean {
  try {
    execFileSync('python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function generated(
  id: string,
  framework: TestFramework,
  content: string,
  extra: Partial<GeneratedTest> = {},
): GeneratedTest {
  const suffix = { playwright: '.spec.ts', robot: '.robot', api: '.test.ts' }[framework];
  return {
    testCase: {
      id,
      scenarioId: id.split('--')[0] ?? id,
      scenarioTitle: `hand-written ${id}`,
      framework,
      dataReferences: [],
      steps: [],
      stepSources: [],
    },
    fileName: `${id}${suffix}`,
    content,
    generator: 'template',
    ...extra,
  };
}

async function run(
  name: string,
  tests: GeneratedTest[],
  options: Partial<RunGeneratedTestsOptions> = {},
): Promise<{ results: TestResult[]; outputDir: string }> {
  const workDir = path.join(dir, name);
  const results = await runGeneratedTests(tests, {
    workDir,
    environment,
    parallelism: 2,
    timeoutMs: TIMEOUT_MS,
    ...options,
  });
  return { results, outputDir: options.outputDir ?? path.join(workDir, 'output') };
}

function byId(results: TestResult[], id: string): TestResult {
  const found = results.find((r) => r.testId === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

function expectPng(outputDir: string, file: string | undefined): void {
  expect(file).toBeDefined();
  const bytes = readFileSync(path.join(outputDir, file as string));
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  // A zombie has ended; it only waits for its (re-)parent to collect it.
  return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

const PLAYWRIGHT_PASSES = `import { expect, test } from '@playwright/test';

test('search, customer page and API', async ({ page, request }) => {
  await test.step('Go to /', async () => {
    await page.goto('/');
  });
  await test.step('Fill "Email" with ${SMALL_BUSINESS.email}', async () => {
    await page.getByLabel('Email').fill('${SMALL_BUSINESS.email}');
  });
  await test.step('Click "Search"', async () => {
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByText('${SMALL_BUSINESS.lastName}').first()).toBeVisible();
  });
  await test.step('Open /customers/${ENTERPRISE.id}', async () => {
    await page.goto('/customers/${ENTERPRISE.id}');
    await expect(page.locator('#segment-badge')).toHaveText('Enterprise');
  });
  await test.step('GET /api/customers/${ENTERPRISE.id}', async () => {
    const response = await request.get(process.env.UNDERSTUDY_TEST_API_URL + '/api/customers/${ENTERPRISE.id}');
    expect(response.status()).toBe(200);
    expect((await response.json()).segment).toBe('enterprise');
  });
});
`;

const PLAYWRIGHT_FAILS = `import { expect, test } from '@playwright/test';

test('small-business badge', async ({ page }) => {
  await test.step('Open /customers/${SMALL_BUSINESS.id}', async () => {
    await page.goto('/customers/${SMALL_BUSINESS.id}');
  });
  await test.step('Expect text "Small business"', async () => {
    await expect(page.getByText('Small business')).toBeVisible({ timeout: 2000 });
  });
});
`;

const PLAYWRIGHT_API_ONLY = `import { expect, test } from '@playwright/test';

test('health', async ({ request }) => {
  await test.step('GET /api/health', async () => {
    const response = await request.get('/api/health');
    expect(response.status()).toBe(200);
  });
});
`;

const ROBOT_PASSES = `*** Settings ***
Library    SeleniumLibrary
Library    RequestsLibrary

*** Test Cases ***
Search and API
    GROUP    Go to /
        Open Browser    \${BASE_URL}/    headlesschrome
    END
    GROUP    Fill "Email" with ${SMALL_BUSINESS.email}
        Input Text    id:email    ${SMALL_BUSINESS.email}
    END
    GROUP    Click "Search"
        Click Button    Search
    END
    GROUP    The page shows ${SMALL_BUSINESS.lastName}
        Wait Until Page Contains    ${SMALL_BUSINESS.lastName}    10s
    END
    GROUP    GET /api/customers/${SMALL_BUSINESS.id}
        \${response}=    GET    \${API_URL}/api/customers/${SMALL_BUSINESS.id}    expected_status=200
        Should Be Equal    \${response.json()}[segment]    small_business
    END
    [Teardown]    Close All Browsers
`;

const ROBOT_FAILS = `*** Settings ***
Library    SeleniumLibrary

*** Test Cases ***
Small-business badge
    GROUP    Open /customers/${SMALL_BUSINESS.id}
        Open Browser    \${BASE_URL}/customers/${SMALL_BUSINESS.id}    headlesschrome
    END
    GROUP    Expect text "Small business"
        Page Should Contain    Small business
    END
    [Teardown]    Close All Browsers
`;

const ROBOT_API_FAILS = `*** Settings ***
Library    RequestsLibrary
Library    Collections

*** Test Cases ***
City in the API
    \${response}=    GET    \${API_URL}/api/customers/${ENTERPRISE.id}    expected_status=200
    Dictionary Should Contain Key    \${response.json()}    city
`;

const VITEST_PASSES = `import knex from 'knex';
import { expect, test } from 'vitest';

test('the customer is served and stored', async () => {
  const response = await fetch(process.env.UNDERSTUDY_TEST_API_URL + '/api/customers/${ENTERPRISE.id}');
  expect(response.status).toBe(200);
  const db = knex({ ...JSON.parse(process.env.UNDERSTUDY_TEST_DATABASE!), useNullAsDefault: true });
  try {
    const rows = await db('customers').where({ customer_id: '${ENTERPRISE.id}' });
    expect(rows).toHaveLength(1);
    expect(rows[0].city).toBe('${ENTERPRISE.city}');
  } finally {
    await db.destroy();
  }
});
`;

const VITEST_FAILS = `import { expect, test } from 'vitest';

test('the API gives the city', async ({ task }) => {
  task.meta.step = 'GET /api/customers/${ENTERPRISE.id}';
  const response = await fetch(process.env.UNDERSTUDY_TEST_API_URL + '/api/customers/${ENTERPRISE.id}');
  expect(response.status).toBe(200);
  task.meta.step = 'Response field city equals "${ENTERPRISE.city}"';
  expect((await response.json()).city).toBe('${ENTERPRISE.city}');
});
`;

const VITEST_FAILS_WITH_LABEL = `import { expect, test } from 'vitest';

test('the API gives the city', async () => {
  const response = await fetch(process.env.UNDERSTUDY_TEST_API_URL + '/api/customers/${ENTERPRISE.id}');
  expect(response.status, 'Step 1: GET /api/customers/{customer.customer_id}').toBe(200);
  expect((await response.json()).city, 'Step 2: Response field city equals {customer.city}').toBe('${ENTERPRISE.city}');
});
`;

/** A test whose case carries step labels (as generated test cases do), read loosely from the case. */
function labelled(id: string, content: string, stepLabels: string[]): GeneratedTest {
  const plain = generated(id, 'api', content);
  const testCase = { ...plain.testCase, stepLabels };
  return { ...plain, testCase };
}

describe.skipIf(!HAS_CHROMIUM)('Playwright and vitest tests against the demo app', () => {
  let results: TestResult[];
  let outputDir: string;
  beforeAll(async () => {
    ({ results, outputDir } = await run('pw-vitest', [
      generated('PW-PASS--playwright', 'playwright', PLAYWRIGHT_PASSES),
      generated('PW-FAIL--playwright', 'playwright', PLAYWRIGHT_FAILS),
      generated('API-PASS--api', 'api', VITEST_PASSES),
      generated('API-FAIL--api', 'api', VITEST_FAILS),
      generated(
        'API-BROKEN--api',
        'api',
        'import { test } from "vitest";\ntest("x", () => { const = ; });\n',
      ),
      labelled('API-LABEL--api', VITEST_FAILS_WITH_LABEL, [
        'Step 1: GET /api/customers/{customer.customer_id}',
        'Step 2: Response field city equals {customer.city}',
      ]),
    ]));
  }, 600_000);

  it('gives one result per test, in input order', () => {
    expect(results.map((r) => r.testId)).toEqual([
      'PW-PASS--playwright',
      'PW-FAIL--playwright',
      'API-PASS--api',
      'API-FAIL--api',
      'API-BROKEN--api',
      'API-LABEL--api',
    ]);
  });

  it('reports a passing Playwright test with its log and no screenshot', () => {
    const r = byId(results, 'PW-PASS--playwright');
    expect(r, r.message).toMatchObject({ outcome: 'passed', scenarioId: 'PW-PASS', framework: 'playwright' });
    expect(r.screenshotFile).toBeUndefined();
    expect(r.failedStep).toBeUndefined();
    expect(readFileSync(path.join(outputDir, r.logFile as string), 'utf8')).toContain('1 passed');
  });

  it('reports a failing Playwright test with the failing step and a screenshot', () => {
    const r = byId(results, 'PW-FAIL--playwright');
    expect(r.outcome, r.message).toBe('failed');
    expect(r.failedStep).toBe('Expect text "Small business"');
    expect(r.message).toMatch(/toBeVisible/);
    expectPng(outputDir, r.screenshotFile);
  });

  it('reports vitest API/database tests: passed, failed at the step the test named, and a broken file as error', () => {
    const pass = byId(results, 'API-PASS--api');
    expect(pass.outcome, pass.message).toBe('passed');
    const fail = byId(results, 'API-FAIL--api');
    expect(fail.outcome, fail.message).toBe('failed');
    expect(fail.failedStep).toBe(`Response field city equals "${ENTERPRISE.city}"`);
    expect(fail.message).toMatch(/expected undefined to be 'San Diego'/);
    expect(fail.message).not.toMatch(/^\s+at /m);
    const labelledFail = byId(results, 'API-LABEL--api');
    expect(labelledFail.outcome, labelledFail.message).toBe('failed');
    expect(labelledFail.failedStep).toBe('Step 2: Response field city equals {customer.city}');
    const broken = byId(results, 'API-BROKEN--api');
    expect(broken.outcome).toBe('error');
    expect(broken.message).toBeTruthy();
    expect(readFileSync(path.join(outputDir, broken.logFile as string), 'utf8').length).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAS_CHROMIUM || !HAS_ROBOT)('Robot Framework tests against the demo app', () => {
  let results: TestResult[];
  let outputDir: string;
  beforeAll(async () => {
    ({ results, outputDir } = await run('robot', [
      generated('RB-PASS--robot', 'robot', ROBOT_PASSES),
      generated('RB-FAIL--robot', 'robot', ROBOT_FAILS),
      generated('RB-API-FAIL--robot', 'robot', ROBOT_API_FAILS),
      generated('RB-BROKEN--robot', 'robot', '*** Test Cases ***\nBroken\n    No Such Keyword Here    1\n'),
    ]));
  }, 600_000);

  it('runs SeleniumLibrary (headless Chromium through chromedriver) and RequestsLibrary steps', () => {
    const r = byId(results, 'RB-PASS--robot');
    expect(r.outcome, r.message).toBe('passed');
    expect(r.attachments).toContain('RB-PASS--robot/log.html');
    expect(r.screenshotFile).toBeUndefined();
  });

  it('reports the failing GROUP as the failed step, with the failure screenshot', () => {
    const r = byId(results, 'RB-FAIL--robot');
    expect(r.outcome, r.message).toBe('failed');
    expect(r.failedStep).toBe('Expect text "Small business"');
    expect(r.message).toBe("Page should have contained text 'Small business' but did not.");
    expectPng(outputDir, r.screenshotFile);
  });

  it('reports a failing keyword with its arguments as written when there are no groups', () => {
    const r = byId(results, 'RB-API-FAIL--robot');
    expect(r.outcome, r.message).toBe('failed');
    expect(r.failedStep).toBe('Dictionary Should Contain Key    ${response.json()}    city');
    expect(r.screenshotFile).toBeUndefined();
  });

  it('reports a test that calls a keyword that does not exist as error, not as a failure of the app', () => {
    const r = byId(results, 'RB-BROKEN--robot');
    expect(r).toMatchObject({ outcome: 'error', failedStep: 'No Such Keyword Here    1' });
    expect(r.message).toMatch(/No keyword with name 'No Such Keyword Here' found/);
  });
});

describe('time limits, skips, parallelism, cancellation and secrets', () => {
  it('stops a test at its time limit, killing its whole process group', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const hangs = `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test } from 'vitest';

test('hangs', async () => {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  writeFileSync(process.env.PID_FILE!, String(child.pid));
  await new Promise(() => undefined);
});
`;
    const { results, outputDir } = await run('timeout', [generated('HANG--api', 'api', hangs)], {
      timeoutMs: 20_000,
      env: { PID_FILE: pidFile },
    });
    const r = byId(results, 'HANG--api');
    expect(r).toMatchObject({ outcome: 'error', message: 'timed out after 20 s' });
    expect(existsSync(path.join(outputDir, r.logFile as string))).toBe(true);
    // The test got far enough to start its child, and that child died with the group.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(isGone(pid)).toBe(true);
  }, 120_000);

  it.skipIf(!HAS_CHROMIUM)(
    'reports a Playwright test that overruns as error "timed out", with a screenshot',
    async () => {
      const hangs = `import { test } from '@playwright/test';
test('hangs', async ({ page }) => {
  await test.step('Open /', async () => { await page.goto('/'); });
  await test.step('Wait forever', async () => { await new Promise(() => undefined); });
});
`;
      const { results, outputDir } = await run(
        'pw-timeout',
        [generated('PW-HANG--playwright', 'playwright', hangs)],
        {
          timeoutMs: 30_000,
        },
      );
      const r = byId(results, 'PW-HANG--playwright');
      expect(r).toMatchObject({ outcome: 'error', message: 'timed out after 30 s' });
      // Playwright's own limit comes first (so it can take the screenshot); when the machine is too slow
      // for that, the process limit still ends the test, without a screenshot.
      if (r.screenshotFile !== undefined) expectPng(outputDir, r.screenshotFile);
    },
    120_000,
  );

  it('skips tests with a skip reason, and tests whose tools are missing, without running them', async () => {
    const started: string[] = [];
    const reported: string[] = [];
    const { results } = await run(
      'skips',
      [
        generated('SKIP--api', 'api', 'this is not even TypeScript', { skipReason: 'no customer matched' }),
        generated('NO-ROBOT--robot', 'robot', ROBOT_API_FAILS),
        generated('NO-CHROMIUM--playwright', 'playwright', PLAYWRIGHT_FAILS),
        generated('REQUEST-ONLY--playwright', 'playwright', PLAYWRIGHT_API_ONLY),
      ],
      {
        tools: { python: path.join(dir, 'no-such-python'), chromium: path.join(dir, 'no-such-chromium') },
        onStart: (t) => started.push(t.testCase.id),
        onResult: (r) => reported.push(r.testId),
      },
    );
    expect(byId(results, 'SKIP--api')).toMatchObject({
      outcome: 'skipped',
      message: 'no customer matched',
      durationMs: 0,
    });
    expect(byId(results, 'SKIP--api').logFile).toBeUndefined();
    expect(byId(results, 'NO-ROBOT--robot')).toMatchObject({ outcome: 'skipped' });
    expect(byId(results, 'NO-ROBOT--robot').message).toMatch(/no-such-python not found/);
    expect(byId(results, 'NO-CHROMIUM--playwright')).toMatchObject({ outcome: 'skipped' });
    expect(byId(results, 'NO-CHROMIUM--playwright').message).toMatch(/Chromium not found/);
    // A test that only calls the API needs no browser.
    const requestOnly = byId(results, 'REQUEST-ONLY--playwright');
    expect(requestOnly.outcome, requestOnly.message).toBe('passed');
    expect(started).toEqual(['REQUEST-ONLY--playwright']);
    expect([...reported].sort()).toEqual(results.map((r) => r.testId).sort());
  }, 300_000);

  it.skipIf(!HAS_ROBOT)(
    'skips only the Robot tests that need chromedriver when it is missing',
    async () => {
      const { results } = await run(
        'no-driver',
        [generated('SEL--robot', 'robot', ROBOT_FAILS), generated('REQ--robot', 'robot', ROBOT_API_FAILS)],
        { tools: { chromedriver: path.join(dir, 'no-such-chromedriver') } },
      );
      expect(byId(results, 'SEL--robot')).toMatchObject({ outcome: 'skipped' });
      expect(byId(results, 'SEL--robot').message).toMatch(/chromedriver not found/);
      expect(byId(results, 'REQ--robot').outcome).toBe('failed');
    },
    300_000,
  );

  it('runs at most `parallelism` test processes at once, and uses that many', async () => {
    const quick = `import { expect, test } from 'vitest';\ntest('ok', () => { expect(1 + 1).toBe(2); });\n`;
    const tests = [1, 2, 3, 4, 5].map((n) => generated(`PAR-${n}--api`, 'api', quick));
    let running = 0;
    let most = 0;
    const { results } = await run('parallel', tests, {
      parallelism: 2,
      onStart: () => {
        running += 1;
        most = Math.max(most, running);
      },
      onResult: () => {
        running -= 1;
      },
    });
    expect(results.map((r) => r.outcome)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(most).toBe(2);
    expect(running).toBe(0);
  }, 300_000);

  it('limits work in flight in the pool itself, starting the next item as soon as one ends', async () => {
    const gates = Array.from({ length: 5 }, () => {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    const done = runLimited([0, 1, 2, 3, 4], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      events.push(`start ${n}`);
      await gates[n]?.promise;
      inFlight -= 1;
      return n * 10;
    });
    await Promise.resolve();
    expect(events).toEqual(['start 0', 'start 1']);
    gates[1]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['start 0', 'start 1', 'start 2']);
    for (const gate of gates) gate.resolve();
    expect(await done).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it('cancels: the running process is killed, nothing more starts, and the call rejects', async () => {
    const pidFile = path.join(dir, 'cancelled.pid');
    const hangs = `import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
test('hangs', async () => {
  writeFileSync(process.env.PID_FILE!, String(process.pid));
  await new Promise(() => undefined);
});
`;
    const controller = new AbortController();
    const reported: TestResult[] = [];
    const started: string[] = [];
    const running = run('cancel', [generated('C1--api', 'api', hangs), generated('C2--api', 'api', hangs)], {
      parallelism: 1,
      env: { PID_FILE: pidFile },
      signal: controller.signal,
      onStart: (t) => started.push(t.testCase.id),
      onResult: (r) => reported.push(r),
    });
    // Cancel once the first test is really running (its pid file exists).
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(new Error('run cancelled'));
    await expect(running).rejects.toThrow('run cancelled');
    expect(started).toEqual(['C1--api']);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ testId: 'C1--api', outcome: 'error', message: 'cancelled' });
    expect(isGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  }, 120_000);

  it('keeps environment secrets out of results and logs, and the worker environment out of tests', async () => {
    const secretEnvironment: TestEnvironment = {
      baseUrl: 'http://tester:Url-Pa55-9876@127.0.0.1:9',
      database: { client: 'pg', connection: { host: '127.0.0.1', user: 'app', password: 'Db-S3cret-4321' } },
    };
    process.env.UNDERSTUDY_FAKE_WORKER_SECRET = 'worker-secret-value';
    const leaks = `import { expect, test } from 'vitest';
test('leaks', () => {
  expect(process.env.UNDERSTUDY_FAKE_WORKER_SECRET).toBeUndefined();
  console.log('database', process.env.UNDERSTUDY_TEST_DATABASE, 'url', process.env.UNDERSTUDY_TEST_BASE_URL);
  throw new Error('cannot connect with ' + process.env.UNDERSTUDY_TEST_DATABASE + ' at ' + process.env.UNDERSTUDY_TEST_BASE_URL);
});
`;
    try {
      const { results, outputDir } = await run('secrets', [generated('LEAK--api', 'api', leaks)], {
        environment: secretEnvironment,
      });
      const r = byId(results, 'LEAK--api');
      expect(r.outcome).toBe('failed');
      expect(r.message).toContain('cannot connect with');
      expect(r.message).toContain('***');
      const log = readFileSync(path.join(outputDir, r.logFile as string), 'utf8');
      expect(log).toContain('database');
      for (const text of [JSON.stringify(r), log]) {
        expect(text).not.toContain('Db-S3cret-4321');
        expect(text).not.toContain('Url-Pa55-9876');
      }
    } finally {
      delete process.env.UNDERSTUDY_FAKE_WORKER_SECRET;
    }
  }, 120_000);

  it('reports unusable and duplicate file names as errors without running them', async () => {
    const quick = `import { test } from 'vitest';\ntest('ok', () => undefined);\n`;
    const { results } = await run(
      'names',
      [
        generated('BAD--api', 'api', quick, { fileName: '../escape.test.ts' }),
        generated('DUP1--api', 'api', quick, { fileName: 'same.test.ts' }),
        generated('DUP2--api', 'api', quick, { fileName: 'same.test.ts' }),
      ],
      { parallelism: 1 },
    );
    expect(byId(results, 'BAD--api').outcome).toBe('error');
    expect(byId(results, 'BAD--api').message).toMatch(/file name/);
    expect(existsSync(path.join(dir, 'escape.test.ts'))).toBe(false);
    expect(byId(results, 'DUP1--api').outcome).toBe('passed');
    expect(byId(results, 'DUP2--api')).toMatchObject({
      outcome: 'error',
      message: 'another test has the same file name',
    });
  }, 120_000);
});
