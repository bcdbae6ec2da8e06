/** Scenarios to test cases: the framework rules, ids, step sources and labels, problems. */
import { describe, expect, it } from 'vitest';
import type { Scenario, ScenarioStep } from '../../core/scenarios/index.js';
import {
  buildTestCases,
  stepSourceText,
  testCaseId,
  testFileName,
  type TableInfo,
} from '../../core/testing/index.js';

const TABLES: TableInfo[] = [
  {
    name: 'customers',
    columns: [
      { name: 'customer_id', type: 'string' },
      { name: 'segment', type: 'string', categories: ['enterprise'] },
      { name: 'credit_score', type: 'integer' },
    ],
  },
];

function scenario(id: string, steps: ScenarioStep[], extra: Partial<Scenario> = {}): Scenario {
  return {
    id,
    title: `Scenario ${id}`,
    labels: [],
    preconditions: ['an enterprise customer'],
    steps,
    expectedResults: [],
    source: { kind: 'file', location: 'scenarios.yaml' },
    problems: [],
    ...extra,
  };
}

const ALL = ['playwright', 'robot', 'api'] as const;
const UI: ScenarioStep[] = [
  { action: 'Open /customers/{customer.customer_id}', expected: 'Should see "enterprise"' },
];
const API: ScenarioStep[] = [{ action: 'GET /api/customers/{customer.customer_id}', expected: 'Status 200' }];
const DB: ScenarioStep[] = [
  { action: 'Query customers where segment = "enterprise"', expected: 'At least 1 row' },
];

describe('buildTestCases', () => {
  it('makes one case per configured framework that expresses every step', () => {
    const frameworks = (steps: ScenarioStep[]) =>
      buildTestCases([scenario('S-1', steps)], { frameworks: ALL, tables: TABLES }).cases.map(
        (c) => c.framework,
      );
    expect(frameworks(UI)).toEqual(['playwright', 'robot']);
    expect(frameworks(API)).toEqual(['playwright', 'robot', 'api']);
    expect(frameworks(DB)).toEqual(['api']);
    expect(frameworks([...UI, ...API])).toEqual(['playwright', 'robot']);
    expect(frameworks([...API, ...DB])).toEqual(['api']);
  });

  it('honours the configured frameworks and their order', () => {
    const built = buildTestCases([scenario('S-1', API)], { frameworks: ['api', 'robot'], tables: TABLES });
    expect(built.cases.map((c) => c.framework)).toEqual(['api', 'robot']);
    expect(buildTestCases([scenario('S-1', API)], { frameworks: [], tables: TABLES }).cases).toEqual([]);
  });

  it('gives a scenario no framework can express whole to the framework expressing most, with a problem', () => {
    const built = buildTestCases([scenario('S-2', [...UI, ...DB, ...DB])], {
      frameworks: ALL,
      tables: TABLES,
    });
    expect(built.cases.map((c) => c.framework)).toEqual(['api']);
    expect(built.problems).toEqual([
      expect.objectContaining({
        scenarioId: 'S-2',
        path: 'scenario',
        message: expect.stringContaining('browser'),
      }),
    ]);
  });

  it('keeps unsupported steps (for Bedrock, or a skip) and reports them by step', () => {
    const built = buildTestCases([scenario('S-3', [{ action: 'Dance wildly' }, ...API])], {
      frameworks: ALL,
      tables: TABLES,
    });
    expect(built.cases).toHaveLength(3);
    expect(built.cases[0]?.steps[0]).toEqual({ kind: 'unsupported', text: 'Dance wildly' });
    expect(built.problems).toEqual([expect.objectContaining({ path: 'step 1' })]);
    expect(JSON.stringify(built.problems)).not.toContain('Dance');
    const onlyUnsupported = buildTestCases([scenario('S-4', [{ action: 'Dance wildly' }])], {
      frameworks: ['robot', 'api'],
      tables: TABLES,
    });
    expect(onlyUnsupported.cases.map((c) => c.framework)).toEqual(['robot']);
  });

  it('records where each shape came from: steps, their expected column, and the scenario expected results', () => {
    const s = scenario(
      'S-5',
      [
        {
          action: 'GET /api/customers/{customer.customer_id}',
          expected: 'Status 200; the response contains "ok"',
        },
        { action: 'Expect status 200' },
      ],
      { expectedResults: ['Response field segment equals "enterprise"'] },
    );
    const [c] = buildTestCases([s], { frameworks: ['api'], tables: TABLES }).cases;
    expect(c?.steps.map((x) => x.kind)).toEqual([
      'call',
      'expectStatus',
      'expectBody',
      'expectStatus',
      'expectJson',
    ]);
    expect(c?.stepSources).toEqual([0, 0, 0, 1, 2]);
    expect(c?.stepLabels).toEqual([
      'Step 1: GET /api/customers/{customer.customer_id}',
      'Step 1: GET /api/customers/{customer.customer_id}',
      'Step 1: GET /api/customers/{customer.customer_id}',
      'Step 2: Expect status 200',
      'Expected result 1: Response field segment equals "enterprise"',
    ]);
    expect(stepSourceText(s, 2)).toBe('Response field segment equals "enterprise"');
    expect(stepSourceText(s, 1)).toBe('Expect status 200');
    expect(c?.dataReferences).toEqual([
      {
        alias: 'customer',
        table: 'customers',
        filters: [{ column: 'segment', op: 'eq', value: 'enterprise' }],
        description: 'an enterprise customer',
      },
    ]);
  });

  it('checks query steps against the loaded tables (names fixed, values typed, unknowns reported)', () => {
    const built = buildTestCases(
      [
        scenario('S-6', [
          { action: 'Query Customers where Credit Score >= "700"', expected: 'Expect 1 row' },
          { action: 'Query invoices where x = 1', expected: 'Expect no rows' },
        ]),
      ],
      { frameworks: ['api'], tables: TABLES },
    );
    expect(built.cases[0]?.steps[0]).toEqual({
      kind: 'query',
      table: 'customers',
      filters: [{ column: 'credit_score', op: 'ge', value: 700 }],
    });
    expect(built.problems).toEqual([expect.objectContaining({ scenarioId: 'S-6', path: 'step 2' })]);
  });

  it('makes ids and file names safe, stable and unique', () => {
    expect(testCaseId('SHOP-12', 'playwright')).toBe('SHOP-12--playwright');
    const odd = testCaseId('../etc/passwd; rm -rf *', 'robot');
    expect(odd).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*--robot$/);
    expect(odd).toBe(testCaseId('../etc/passwd; rm -rf *', 'robot'));
    expect(testCaseId('A/B', 'api')).not.toBe(testCaseId('A_B', 'api'));
    expect(testCaseId('x'.repeat(500), 'api').length).toBeLessThan(100);
    const built = buildTestCases([scenario('dup', API), scenario('DUP', API)], {
      frameworks: ['api'],
      tables: TABLES,
    });
    expect(built.cases.map((c) => c.id)).toEqual(['dup--api', 'DUP--api-2']);
    expect(testFileName({ id: 'S--playwright', framework: 'playwright' })).toBe('S--playwright.spec.ts');
    expect(testFileName({ id: 'S--robot', framework: 'robot' })).toBe('S--robot.robot');
    expect(testFileName({ id: 'S--api', framework: 'api' })).toBe('S--api.test.ts');
  });
});
