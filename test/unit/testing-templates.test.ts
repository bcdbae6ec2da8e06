/**
 * The deterministic templates: every step shape in every framework that expresses it, skip
 * reasons, and escaping (any text in a field or value gives valid TypeScript that means that text,
 * and Robot cells that Robot reads back as that text).
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  renderTest,
  robotCell,
  robotName,
  tsString,
  xpathLiteral,
  type DataReference,
  type StepShape,
  type TestCase,
  type TestFramework,
} from '../../core/testing/index.js';

const CUSTOMER: DataReference = {
  alias: 'customer',
  table: 'customers',
  filters: [{ column: 'segment', op: 'eq', value: 'enterprise' }],
  description: 'an enterprise customer',
  record: {
    customer_id: 'CUST-7',
    email: "o'neil@example.com",
    last_name: "O'Neil",
    score: 720,
    active: true,
  },
};

function testCase(
  framework: TestFramework,
  steps: StepShape[],
  refs: DataReference[] = [CUSTOMER],
): TestCase {
  return {
    id: `S-1--${framework}`,
    scenarioId: 'S-1',
    scenarioTitle: 'Everything at once',
    framework,
    dataReferences: refs,
    steps,
    stepSources: steps.map((_, i) => i),
    stepLabels: steps.map((s, i) => `Step ${i + 1}: ${s.kind}`),
  };
}

const UI_STEPS: StepShape[] = [
  { kind: 'open', path: '/customers/{customer.customer_id}' },
  { kind: 'fill', field: 'Email', value: '{customer.email}' },
  { kind: 'click', target: 'Search' },
  { kind: 'expectText', text: '{customer.last_name}' },
  { kind: 'expectText', text: 'Error', negate: true },
];
const API_STEPS: StepShape[] = [
  {
    kind: 'call',
    method: 'POST',
    path: '/api/notes',
    body: '{"customer": "{customer.customer_id}", "score": {customer.score}}',
  },
  { kind: 'expectStatus', status: 201 },
  { kind: 'expectBody', contains: '{customer.customer_id}' },
  { kind: 'expectJson', path: 'customer.segment', equals: 'enterprise' },
  { kind: 'expectJson', path: 'items[0].score', equals: '{customer.score}' },
  { kind: 'expectJson', path: 'active', equals: '{customer.active}' },
  { kind: 'expectJson', path: 'deleted', equals: null },
];
const DB_STEPS: StepShape[] = [
  {
    kind: 'query',
    table: 'customers',
    filters: [
      { column: 'customer_id', op: 'eq', value: '{customer.customer_id}' },
      { column: 'score', op: 'ge', value: 700 },
      { column: 'email', op: 'contains', value: '50%_off' },
      { column: 'phone', op: 'is_null' },
      { column: 'segment', op: 'ne', value: 'consumer' },
    ],
  },
  { kind: 'expectRows', count: 1 },
  { kind: 'expectRows', min: 1, max: 3 },
];

function syntaxErrors(content: string): string[] {
  const out = ts.transpileModule(content, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('Playwright template', () => {
  it('renders every browser and API shape, one named test.step per scenario step', () => {
    const g = renderTest(testCase('playwright', [...UI_STEPS, ...API_STEPS]));
    expect(g.skipReason).toBeUndefined();
    expect(g.fileName).toBe('S-1--playwright.spec.ts');
    expect(g.generator).toBe('template');
    const c = g.content;
    expect(syntaxErrors(c)).toEqual([]);
    expect(c).toContain(
      "import { expect, test, type APIResponse, type Locator, type Page } from '@playwright/test';",
    );
    expect(c).toContain("test('S-1: Everything at once', async ({ page, request }) => {");
    expect(c).toContain("await test.step('Step 1: open', async () => {");
    expect(c).toContain("await page.goto('/customers/CUST-7');");
    expect(c).toContain("await field(page, 'Email').fill('o\\'neil@example.com');");
    expect(c).toContain("await control(page, 'Search').click();");
    expect(c).toContain("await expect(page.getByText('O\\'Neil').first()).toBeVisible();");
    expect(c).toContain("await expect(page.locator('body')).not.toContainText('Error');");
    expect(c).toContain(
      `response = await request.fetch(api('/api/notes'), { method: 'POST', headers: { 'content-type': 'application/json' }, data: '{"customer": "CUST-7", "score": 720}' });`,
    );
    expect(c).toContain("expect(response.status(), 'HTTP status of the last response').toBe(201);");
    expect(c).toContain("toContain('CUST-7')");
    expect(c).toContain(
      "expect(String(valueAt(await response.json(), 'items[0].score')), 'field items[0].score of the last response').toBe('720');",
    );
    expect(c).toContain('.toBe(true);');
    expect(c).toContain('.toBeNull();');
    expect(c).toContain('.getByLabel(name)');
    expect(c).toContain('.getByPlaceholder(name)');
    expect(c).toContain(".getByRole('button', { name })");
    expect(c).toContain("process.env['UNDERSTUDY_TEST_API_URL']");
  });

  it('opens the home page first when the scenario uses the page before opening one', () => {
    const g = renderTest(testCase('playwright', [{ kind: 'click', target: 'Login' }]));
    expect(g.content.indexOf("await page.goto('/');")).toBeLessThan(
      g.content.indexOf("control(page, 'Login')"),
    );
    expect(g.content.indexOf("await page.goto('/');")).toBeGreaterThan(0);
  });

  it('leaves out helpers and fixtures it does not use', () => {
    const g = renderTest(
      testCase('playwright', [
        { kind: 'open', path: '/' },
        { kind: 'expectText', text: 'Hi' },
      ]),
    );
    expect(g.content).toContain('async ({ page }) =>');
    expect(g.content).not.toContain('function api(');
    expect(g.content).not.toContain('function field(');
    expect(g.content).toContain("import { expect, test } from '@playwright/test';");
  });
});

describe('vitest API/database template', () => {
  it('renders every API and database shape with the step label as assertion message', () => {
    const g = renderTest(testCase('api', [...API_STEPS, ...DB_STEPS]));
    expect(g.skipReason).toBeUndefined();
    expect(g.fileName).toBe('S-1--api.test.ts');
    const c = g.content;
    expect(syntaxErrors(c)).toEqual([]);
    expect(c).toContain("import { afterAll, expect, test } from 'vitest';");
    expect(c).toContain("import knex, { type Knex } from 'knex';");
    expect(c).toContain('const db = knex(databaseConfig());');
    expect(c).toContain('// Step 1: call');
    expect(c).toContain(
      `response = await fetch(api('/api/notes'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"customer": "CUST-7", "score": 720}' });`,
    );
    expect(c).toContain("expect(response.status, 'Step 2: expectStatus').toBe(201);");
    expect(c).toContain("expect(responseText, 'Step 3: expectBody').toContain('CUST-7');");
    expect(c).toContain("rows = await db('customers')");
    expect(c).toContain(".where('customer_id', 'CUST-7')");
    expect(c).toContain(".where('score', '>=', 700)");
    expect(c).toContain(".whereRaw('LOWER(??) LIKE ? ESCAPE ?', ['email', '%50\\\\%\\\\_off%', '\\\\'])");
    expect(c).toContain(".whereNull('phone')");
    expect(c).toContain(".whereNot('segment', 'consumer')");
    expect(c).toContain("expect(rows, 'Step 9: expectRows').toHaveLength(1);");
    expect(c).toContain("expect(rows.length, 'Step 10: expectRows').toBeGreaterThanOrEqual(1);");
    expect(c).toContain("expect(rows.length, 'Step 10: expectRows').toBeLessThanOrEqual(3);");
    expect(c).toContain("process.env['UNDERSTUDY_TEST_DATABASE']");
  });

  it('has no knex when there are no database steps', () => {
    const g = renderTest(testCase('api', API_STEPS));
    expect(g.content).not.toContain('knex');
  });
});

describe('Robot Framework template', () => {
  it('renders every browser and API shape, one keyword per scenario step', () => {
    const g = renderTest(testCase('robot', [...UI_STEPS, ...API_STEPS]));
    expect(g.skipReason).toBeUndefined();
    expect(g.fileName).toBe('S-1--robot.robot');
    const c = g.content;
    expect(c).toMatch(/^\*\*\* Settings \*\*\*\n/);
    expect(c).toContain('Library    SeleniumLibrary');
    expect(c).toContain('Library    RequestsLibrary');
    expect(c).toContain('Test Teardown    Close All Browsers');
    expect(c).toContain(
      '    Open Browser    ${BASE_URL}/customers/CUST-7    ${BROWSER}    options=${BROWSER_OPTIONS}    executable_path=${CHROMEDRIVER}',
    );
    expect(c).toContain('${BROWSER}    headlesschrome');
    expect(c).toMatch(/\$\{BROWSER_OPTIONS\} {4}.*--no-sandbox/);
    expect(c).toContain("    Input Text    ${field}    o'neil@example.com");
    expect(c).toContain('    Click Element    ${control}');
    expect(c).toContain("    Wait Until Page Contains    O'Neil");
    expect(c).toContain('    Wait Until Page Does Not Contain    Error');
    expect(c).toContain('    ${body}=    Set Variable    {"customer": "CUST-7", "score": 720}');
    expect(c).toContain(
      "    ${response}=    POST    ${API_URL}/api/notes    data=${body.encode('utf-8')}    headers=${JSON_HEADERS}    expected_status=any",
    );
    expect(c).toContain('    Status Should Be    201    ${response}');
    expect(c).toContain('    Should Contain    ${response.text}    CUST-7');
    expect(c).toContain('    ${value}=    Response Field    items    0    score');
    expect(c).toContain('    Should Be Equal As Numbers    ${value}    720');
    expect(c).toContain('    Should Be Equal    ${value}    ${TRUE}');
    expect(c).toContain('    Should Be Equal    ${value}    ${NONE}');
    expect(c).toContain('*** Test Cases ***\nS-1 Everything at once\n    Step 1: open\n    Step 2: fill');
    // Keyword names are the labels themselves when Robot allows it.
    const labelled = renderTest({
      ...testCase('robot', API_STEPS.slice(0, 2)),
      stepLabels: ['Step 1: GET /api/c/{customer.id} = "x"', 'Step 2: ${x} \\ y'],
    });
    expect(labelled.content).toContain('\n    Step 1: GET /api/c/{customer.id} = "x"\n    Step 2: {x} y\n');
    expect(c).toContain('\nStep 1: open\n    [Documentation]    Step 1: open\n');
  });

  it('uses Go To after the browser is open, and no browser for API-only suites', () => {
    const ui = renderTest(
      testCase('robot', [
        { kind: 'open', path: '/a' },
        { kind: 'open', path: '/b' },
      ]),
    );
    expect(ui.content).toContain('    Go To    ${BASE_URL}/b');
    const api = renderTest(testCase('robot', API_STEPS.slice(0, 2)));
    expect(api.content).not.toContain('SeleniumLibrary');
    expect(api.content).toContain('Suite Setup    Should Not Be Empty    ${API_URL}');
  });
});

describe('skip reasons', () => {
  it('skips a test whose data reference is unresolved, naming the alias, not values', () => {
    const unresolved: DataReference = {
      alias: 'customer',
      table: 'customers',
      filters: [{ column: 'segment', op: 'eq', value: 'zq-secret' }],
      description: 'x',
      unresolved: 'no row of customers matches the filters on segment',
    };
    const g = renderTest(testCase('playwright', UI_STEPS, [unresolved]));
    expect(g.skipReason).toContain('data reference customer is unresolved');
    expect(g.skipReason).not.toContain('zq-secret');
  });

  it('skips unsupported steps, steps the framework cannot express, and checks with nothing to check', () => {
    expect(renderTest(testCase('api', [{ kind: 'unsupported', text: 'Dance' }])).skipReason).toContain(
      'step 1 is not a phrase the templates understand',
    );
    expect(renderTest(testCase('robot', DB_STEPS)).skipReason).toContain('needs database steps');
    expect(renderTest(testCase('api', UI_STEPS)).skipReason).toContain('needs browser steps');
    expect(renderTest(testCase('api', [{ kind: 'expectStatus', status: 200 }])).skipReason).toContain(
      'checks a response, but no request is made before it',
    );
    expect(renderTest(testCase('api', [{ kind: 'expectRows', count: 1 }])).skipReason).toContain(
      'counts rows, but no query is made before it',
    );
    expect(
      renderTest(testCase('api', [{ kind: 'call', method: 'GET', path: '/x/{buyer.id}' }])).skipReason,
    ).toContain('names no data reference buyer');
    expect(renderTest(testCase('api', [])).skipReason).toContain('no steps');
  });
});

// Printable and unprintable text, quotes, backslashes, `${`, line separators, lone surrogates.
const nasty = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '\\',
      "'",
      '"',
      '`',
      '$',
      '{',
      '}',
      '#',
      '=',
      ' ',
      '\n',
      '\r',
      '\t',
      '\u2028',
      '\ud800',
      'a',
      '@',
      '&',
      '%',
      '|',
      '*',
    ),
  }),
);

describe('escaping (properties)', () => {
  it('tsString is a string literal for exactly the text', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const literal = tsString(text);
        expect(syntaxErrors(`export const x = ${literal};\n`)).toEqual([]);
        expect(new Function(`return ${literal};`)()).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('any text in fields, values, paths, titles and labels yields valid TypeScript (Playwright and vitest)', () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, fc.integer({ min: 0, max: 2 }), (a, b, c, pick) => {
        const ref: DataReference = {
          ...CUSTOMER,
          record: { customer_id: a, email: b, last_name: c, score: 1, active: false },
        };
        const steps: StepShape[] = [
          { kind: 'open', path: `/x/${a}` },
          { kind: 'fill', field: a, value: '{customer.email}' },
          { kind: 'click', target: c },
          { kind: 'expectText', text: b, negate: pick === 1 },
          {
            kind: 'call',
            method: 'PUT',
            path: '/api/{customer.customer_id}',
            body: `{"v": "{customer.last_name}", "w": ${JSON.stringify(c)}}`,
          },
          { kind: 'expectBody', contains: c },
          { kind: 'expectJson', path: 'a.b', equals: b },
          {
            kind: 'query',
            table: a,
            filters: [
              { column: b, op: 'contains', value: c },
              { column: c, op: 'lt', value: b },
            ],
          },
          { kind: 'expectRows', count: 2 },
        ];
        for (const framework of ['playwright', 'api'] as const) {
          const t = testCase(framework, steps, [ref]);
          t.scenarioTitle = c;
          t.scenarioId = b;
          t.stepLabels = steps.map(() => a + b);
          const content = renderTest(t).content;
          expect(syntaxErrors(content)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('robotCell gives one cell (no separators, no variables, no comments, no named arguments) that unescapes to the text', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const cell = robotCell(text);
        expect(cell).not.toMatch(/ {2}|\t|\n|\r|\u2028|\u2029|\u0085/);
        expect(cell).not.toMatch(/^ | $/);
        expect(unescapeRobot(cell)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('robotName and xpathLiteral stay inert', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const name = robotName(text);
        expect(name).toMatch(/^[\p{L}\p{N}]/u);
        expect(name).not.toMatch(/[$@&%]\{|\\|\s{2}|[\t\n\r\u2028\u2029]/);
        expect([...name].length).toBeLessThanOrEqual(160);
        const x = xpathLiteral(text);
        expect(x.startsWith('"') || x.startsWith("'") || x.startsWith('concat(')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * Robot Framework's reading of one argument cell, as far as robotCell uses it: `${SPACE}`,
 * `${EMPTY}`, and backslash escapes (`\\`, `\n`, `\r`, `\t`, `\xhh`, `\uhhhh`, and `\c` for any other c).
 * The integration tests check the same cells with Robot Framework itself.
 */
function unescapeRobot(cell: string): string {
  if (cell === '${EMPTY}') return '';
  let out = '';
  for (let i = 0; i < cell.length; i++) {
    if (cell.startsWith('${SPACE}', i)) {
      out += ' ';
      i += '${SPACE}'.length - 1;
      continue;
    }
    const c = cell[i]!;
    if ('$@&%'.includes(c) && cell[i + 1] === '{') throw new Error(`unescaped variable at ${i}`);
    if (c === '#' || c === '=') throw new Error(`unescaped ${c} at ${i}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = cell[i + 1];
    if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else if (next === 't') out += '\t';
    else if (next === 'x') {
      out += String.fromCharCode(parseInt(cell.slice(i + 2, i + 4), 16));
      i += 2;
    } else if (next === 'u') {
      out += String.fromCharCode(parseInt(cell.slice(i + 2, i + 6), 16));
      i += 4;
    } else if (next !== undefined) out += next;
    i++;
  }
  return out;
}
