/**
 * Validation of generated test files with the real tools: the TypeScript compiler (syntax and types
 * against the installed @playwright/test, vitest and knex), and Robot Framework's dry run when it is
 * installed (pip install robotframework robotframework-requests robotframework-seleniumlibrary).
 * Every template output validates; broken files fail with line numbers; Robot reads every escaped
 * cell back as the original text.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderTest,
  robotCell,
  type DataReference,
  type StepShape,
  type TestCase,
  type TestFramework,
} from '../../core/testing/index.js';
import {
  checkRobotStructure,
  createTestValidator,
  type TestValidator,
} from '../../integrations/test-generation/index.js';

const validator: TestValidator = createTestValidator();
let robotInstalled = false;

beforeAll(async () => {
  robotInstalled = await validator.robotDryRunAvailable();
  if (!robotInstalled)
    console.warn('Robot Framework or its libraries are not installed: dry-run cases are skipped');
}, 60_000);

const CUSTOMER: DataReference = {
  alias: 'customer',
  table: 'customers',
  filters: [],
  description: 'a customer',
  record: { customer_id: 'CUST-7', email: 'ada@example.com', last_name: "O'Neil ${x} \\ #1", score: 720 },
};

function testCase(framework: TestFramework, steps: StepShape[]): TestCase {
  return {
    id: `V-1--${framework}`,
    scenarioId: 'V-1',
    scenarioTitle: 'Validation of ${every} "shape" #1',
    framework,
    dataReferences: [CUSTOMER],
    steps,
    stepSources: steps.map((_, i) => i),
    stepLabels: steps.map((s, i) => `Step ${i + 1}: ${s.kind} {customer.last_name}`),
  };
}

const UI: StepShape[] = [
  { kind: 'open', path: '/customers/{customer.customer_id}' },
  { kind: 'fill', field: 'Last  "name"', value: '{customer.last_name}' },
  { kind: 'click', target: "Search 'now'" },
  { kind: 'expectText', text: '{customer.last_name}' },
  { kind: 'expectText', text: 'Error = ${oops}', negate: true },
];
const API: StepShape[] = [
  {
    kind: 'call',
    method: 'PATCH',
    path: '/api/c/{customer.customer_id}?q=a b',
    body: '{"name": "{customer.last_name}", "score": {customer.score}}',
  },
  { kind: 'expectStatus', status: 200 },
  { kind: 'expectBody', contains: '{customer.last_name}' },
  { kind: 'expectJson', path: 'items[0].name', equals: '{customer.last_name}' },
  { kind: 'expectJson', path: 'score', equals: 720 },
  { kind: 'expectJson', path: 'active', equals: false },
  { kind: 'expectJson', path: 'deleted_at', equals: null },
];
const DB: StepShape[] = [
  {
    kind: 'query',
    table: 'customers',
    filters: [
      { column: 'last_name', op: 'eq', value: '{customer.last_name}' },
      { column: 'score', op: 'gt', value: 1 },
      { column: 'notes', op: 'contains', value: '50%' },
      { column: 'email', op: 'not_null' },
    ],
  },
  { kind: 'expectRows', min: 1 },
];

describe('TypeScript validation', () => {
  it('accepts every template output (type-checked against the installed packages)', async () => {
    for (const [framework, steps] of [
      ['playwright', [...UI, ...API]],
      ['api', [...API, ...DB]],
    ] as const) {
      const generated = renderTest(testCase(framework, [...steps]));
      expect(generated.skipReason).toBeUndefined();
      const result = await validator.validate(generated.content, framework, generated.fileName);
      expect(result, generated.content).toEqual({ ok: true, errors: [], method: 'typescript-types' });
    }
  }, 120_000);

  it('reports syntax errors, type errors, foreign imports and missing tests with line numbers', async () => {
    const syntax = await validator.validate(
      "import { test } from '@playwright/test';\n\ntest('x', async ({ page }) => {\n  await page.goto('/';\n});\n",
      'playwright',
    );
    expect(syntax.ok).toBe(false);
    expect(syntax.method).toBe('typescript-syntax');
    expect(syntax.errors[0]).toMatch(/^line 4, column \d+: .*expected/);

    const types = await validator.validate(
      "import { expect, test } from '@playwright/test';\n\ntest('x', async ({ page }) => {\n  await page.fillIn('#a', 'b');\n  expect(1).toBe(1);\n});\n",
      'playwright',
    );
    expect(types).toMatchObject({ ok: false, method: 'typescript-types' });
    expect(types.errors.join('\n')).toMatch(/^line 4, column \d+: Property 'fillIn' does not exist/m);

    const imports = await validator.validate(
      "import axios from 'axios';\nimport { expect, test } from 'vitest';\ntest('x', () => expect(axios).toBeDefined());\n",
      'api',
    );
    expect(imports.ok).toBe(false);
    expect(imports.errors[0]).toMatch(/^line 1: imports "axios"/);

    const noTest = await validator.validate("import { expect } from 'vitest';\nexpect(1).toBe(1);\n", 'api');
    expect(noTest.errors).toContain('line 1: the file defines no test');

    const wrongRunner = await validator.validate(
      "import { expect, test } from 'vitest';\ntest('x', () => expect(1).toBe(1));\n",
      'playwright',
    );
    expect(wrongRunner.errors.join('\n')).toContain('must import test and expect from @playwright/test');
  }, 120_000);
});

describe('Robot Framework validation', () => {
  it('dry-runs every template output without errors', async (ctx) => {
    if (!robotInstalled) ctx.skip();
    const generated = renderTest(testCase('robot', [...UI, ...API]));
    const result = await validator.validate(generated.content, 'robot');
    expect(result, generated.content).toEqual({ ok: true, errors: [], method: 'robot-dryrun' });
  }, 120_000);

  it('reports unknown keywords, wrong arguments and foreign libraries with line numbers', async (ctx) => {
    if (!robotInstalled) ctx.skip();
    const broken = [
      '*** Settings ***',
      'Library    SeleniumLibrary',
      'Library    Browser',
      '',
      '*** Test Cases ***',
      'Broken',
      '    Clikc Element    id:go',
      '    Open Browser',
      '    Should Be Equal    only-one',
      '',
    ].join('\n');
    const result = await validator.validate(broken, 'robot');
    expect(result.ok).toBe(false);
    expect(result.method).toBe('robot-dryrun');
    const text = result.errors.join('\n');
    expect(text).toMatch(/line 3: imports library "Browser"/);
    expect(text).toMatch(/line 7: No keyword with name 'Clikc Element' found/);
    expect(text).toMatch(/line 9: Keyword 'BuiltIn.Should Be Equal' expected 2 to \d+ arguments, got 1/);
  }, 120_000);

  it('falls back to a structure check that finds misplaced lines and unclosed variables', () => {
    const generated = renderTest(testCase('robot', [...UI, ...API]));
    expect(checkRobotStructure(generated.content)).toEqual([]);
    const problems = checkRobotStructure(
      [
        '*** Setings ***',
        'x',
        '*** Test Cases ***',
        ' One space',
        'T',
        '    Log    ${oops',
        '    FOR    ${i}    IN    a',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'line 1: unknown section header',
      'line 4: indent the body with at least two spaces',
      'line 6: a variable is not closed with }',
      'line 5: a FOR/IF/WHILE/TRY block has no END',
    ]);
    expect(checkRobotStructure('*** Keywords ***\nK\n    Log    x\n')).toContain(
      'line 1: the file has no test case (a *** Test Cases *** section with a named test)',
    );
  });
});

describe('Robot Framework reads escaped cells back exactly', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'understudy-robot-cells-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('for arbitrary text (quotes, backslashes, ${, #, =, spaces, control characters, line separators, lone surrogates)', async (ctx) => {
    if (!robotInstalled) ctx.skip();
    const unit = fc.constantFrom(
      '\\',
      "'",
      '"',
      '$',
      '{',
      '}',
      '#',
      '=',
      ' ',
      '  ',
      '\n',
      '\r',
      '\t',
      '\u2028',
      '\u00a0',
      '\ud800',
      '@',
      '&',
      '%',
      '|',
      '*',
      'a',
      'é',
      '😀',
      '\u0085',
      '\u000b',
    );
    const texts = [
      ...fc.sample(fc.string({ unit, maxLength: 12 }), { numRuns: 150, seed: 7 }),
      ...fc.sample(fc.string({ unit: 'binary', maxLength: 12 }), { numRuns: 150, seed: 11 }),
      '',
      ' ',
      '${x}',
      '# not a comment',
      'name=value',
      '...',
      'FOR',
    ];
    const data = path.join(dir, 'texts.json');
    await writeFile(data, JSON.stringify(texts), 'utf8');
    const suite = [
      '*** Test Cases ***',
      ...texts.flatMap((text, i) => [
        `Cell ${i}`,
        `    \${expected}=    Evaluate    json.load(open($DATA, encoding='utf-8'))[${i}]    modules=json`,
        `    Should Be Equal    \${expected}    ${robotCell(text)}`,
      ]),
      '',
    ].join('\n');
    const file = path.join(dir, 'cells.robot');
    await writeFile(file, suite, 'utf8');
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        'python3',
        [
          '-m',
          'robot',
          '--output',
          'NONE',
          '--report',
          'NONE',
          '--log',
          'NONE',
          '--variable',
          `DATA:${data}`,
          '--console',
          'dotted',
          file,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, out: stdout + stderr }),
      );
    });
    expect(result.out).toContain(`${texts.length} tests, ${texts.length} passed, 0 failed`);
    expect(result.code).toBe(0);
  }, 180_000);
});
