/**
 * Scenarios to test cases: each scenario's preconditions become data references and its steps
 * become step shapes; one test case is made per configured framework that can express every
 * step (Playwright: browser and API; Robot: browser and API; api: API and database).
 */
import type { Scenario } from '../scenarios/scenario.js';
import { columnKeyOf } from './conditions.js';
import {
  coerceValue,
  findColumn,
  findTable,
  hashText,
  parsePreconditions,
  type TableInfo,
} from './data-references.js';
import type { TestGenerationProblem } from './problems.js';
import { parseExpectation, parseStep } from './step-shapes.js';
import type { DataFilter, StepShape, TestCase, TestFramework } from './types.js';

/** Options of {@link buildTestCases}. */
export interface BuildTestCasesOptions {
  /** Frameworks to generate for, in order of preference. */
  frameworks: readonly TestFramework[];
  /** The loaded tables (names, columns, types, category values). */
  tables: readonly TableInfo[];
}

/** The test cases of a set of scenarios and what could not be used. */
export interface BuiltTestCases {
  cases: TestCase[];
  problems: TestGenerationProblem[];
}

/** Which group of step kinds a shape belongs to. */
export type StepArea = 'browser' | 'api' | 'database';

const AREA: Readonly<Record<Exclude<StepShape['kind'], 'unsupported'>, StepArea>> = {
  open: 'browser',
  fill: 'browser',
  click: 'browser',
  expectText: 'browser',
  call: 'api',
  expectStatus: 'api',
  expectBody: 'api',
  expectJson: 'api',
  query: 'database',
  expectRows: 'database',
};

/** The step areas each framework's templates express. */
export const FRAMEWORK_AREAS = {
  playwright: ['browser', 'api'],
  robot: ['browser', 'api'],
  api: ['api', 'database'],
} as const satisfies Record<TestFramework, readonly StepArea[]>;

/** The area of a step shape, or undefined for unsupported steps. */
export function stepArea(step: StepShape): StepArea | undefined {
  return step.kind === 'unsupported' ? undefined : AREA[step.kind];
}

/** True when `framework`'s template can express `step`. */
export function canExpress(framework: TestFramework, step: StepShape): boolean {
  const area = stepArea(step);
  return area !== undefined && (FRAMEWORK_AREAS[framework] as readonly StepArea[]).includes(area);
}

/** Builds the test cases of `scenarios` for the configured frameworks (see the module comment for the rules). */
export function buildTestCases(
  scenarios: readonly Scenario[],
  options: BuildTestCasesOptions,
): BuiltTestCases {
  const out: BuiltTestCases = { cases: [], problems: [] };
  const frameworks = [...new Set(options.frameworks)];
  const ids = new Set<string>();
  if (frameworks.length === 0) return out;
  for (const scenario of scenarios) {
    const references = parsePreconditions(scenario.id, scenario.preconditions, options.tables);
    out.problems.push(...references.problems);
    const parsed = scenarioSteps(scenario);
    const steps = parsed.steps.map((step, i) => {
      if (step.kind !== 'query' || options.tables.length === 0) return step;
      const checked = checkQuery(step, options.tables);
      for (const message of checked.problems) {
        out.problems.push({
          scenarioId: scenario.id,
          path: sourceLocation(scenario, parsed.stepSources[i] ?? 0),
          message,
        });
      }
      return checked.step;
    });
    parsed.steps.forEach((step, i) => {
      if (step.kind === 'unsupported') {
        out.problems.push({
          scenarioId: scenario.id,
          path: sourceLocation(scenario, parsed.stepSources[i] ?? 0),
          message: 'the phrase matches no step shape of the template grammar',
        });
      }
    });
    const chosen = chooseFrameworks(steps, frameworks);
    if (chosen.problem)
      out.problems.push({ scenarioId: scenario.id, path: 'scenario', message: chosen.problem });
    for (const framework of chosen.frameworks) {
      const id = uniqueId(testCaseId(scenario.id, framework), ids);
      out.cases.push({
        id,
        scenarioId: scenario.id,
        scenarioTitle: scenario.title,
        framework,
        dataReferences: references.references.map((r) => ({
          ...r,
          filters: r.filters.map((f) => ({ ...f })),
        })),
        steps: steps.map((s) => structuredClone(s)),
        stepSources: [...parsed.stepSources],
        stepLabels: [...parsed.stepLabels],
      });
    }
  }
  return out;
}

/** The shapes of a scenario's steps and expected results, with where each came from. */
export function scenarioSteps(scenario: Scenario): {
  steps: StepShape[];
  stepSources: number[];
  stepLabels: string[];
} {
  const steps: StepShape[] = [];
  const stepSources: number[] = [];
  const stepLabels: string[] = [];
  const push = (shape: StepShape, source: number): void => {
    steps.push(shape);
    stepSources.push(source);
    stepLabels.push(stepLabel(scenario, source));
  };
  scenario.steps.forEach((step, i) => {
    if (step.action.trim().length > 0) for (const s of actionShapes(step.action, step.data)) push(s, i);
    if (step.expected !== undefined) for (const s of parseExpectation(step.expected)) push(s, i);
  });
  scenario.expectedResults.forEach((text, k) => {
    for (const s of parseExpectation(text)) push(s, scenario.steps.length + k);
  });
  return { steps, stepSources, stepLabels };
}

/** An action's shapes; an action that is itself a check ("Expect status 200") also reads with the expectation forms. */
function actionShapes(action: string, data: string | undefined): StepShape[] {
  const shape = parseStep(action, data);
  if (shape.kind !== 'unsupported') return [shape];
  const asExpectation = parseExpectation(action);
  if (asExpectation.length > 0 && asExpectation.every((s) => s.kind !== 'unsupported')) return asExpectation;
  return [shape];
}

/**
 * The label of a step source: `Step 2: Click "Search"` for scenario steps, `Expected result 1: ...`
 * for indices past the steps (one line, at most 160 characters).
 */
export function stepLabel(scenario: Scenario, source: number): string {
  const step = scenario.steps[source];
  const text =
    step !== undefined
      ? `Step ${source + 1}: ${step.action}`
      : `Expected result ${source - scenario.steps.length + 1}: ${scenario.expectedResults[source - scenario.steps.length] ?? ''}`;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/** The scenario text a step source points to: the step's action, or the expected result. */
export function stepSourceText(scenario: Scenario, source: number): string | undefined {
  const step = scenario.steps[source];
  if (step !== undefined) return step.action;
  return scenario.expectedResults[source - scenario.steps.length];
}

function sourceLocation(scenario: Scenario, source: number): string {
  return source < scenario.steps.length
    ? `step ${source + 1}`
    : `expected result ${source - scenario.steps.length + 1}`;
}

function chooseFrameworks(
  steps: readonly StepShape[],
  frameworks: readonly TestFramework[],
): { frameworks: TestFramework[]; problem?: string } {
  const supported = steps.filter((s) => s.kind !== 'unsupported');
  const first = frameworks[0]!;
  if (supported.length === 0) {
    return {
      frameworks: [first],
      ...(steps.length === 0 ? { problem: 'the scenario has no steps' } : {}),
    };
  }
  const able = frameworks.filter((f) => supported.every((s) => canExpress(f, s)));
  if (able.length > 0) return { frameworks: able };
  // None can do it all: the one expressing most steps gets the case, which its template will skip.
  let best = first;
  let bestCount = -1;
  for (const f of frameworks) {
    const count = supported.filter((s) => canExpress(f, s)).length;
    if (count > bestCount) {
      best = f;
      bestCount = count;
    }
  }
  const areas = [...new Set(supported.map((s) => stepArea(s)))].join(', ');
  return {
    frameworks: [best],
    problem: `no configured framework expresses every step (the steps need ${areas}); a ${best} case was made and its template will be skipped`,
  };
}

function checkQuery(
  step: Extract<StepShape, { kind: 'query' }>,
  tables: readonly TableInfo[],
): { step: StepShape; problems: string[] } {
  const table = findTable(step.table, tables) ?? findTable(columnKeyOf(step.table), tables);
  if (!table) return { step, problems: ['the query names a table that is not loaded'] };
  const problems: string[] = [];
  const filters: DataFilter[] = step.filters.map((f, i) => {
    const column = findColumn(f.column, table);
    if (!column) {
      problems.push(`condition ${i + 1} of the query names no column of table ${table.name}`);
      return f;
    }
    if (f.value === undefined) return { ...f, column: column.name };
    const coerced = coerceValue(f.value, column, f.op);
    if ('problem' in coerced) {
      problems.push(`condition ${i + 1} of the query ${coerced.problem} (column ${column.name})`);
      return { ...f, column: column.name };
    }
    return { ...f, column: column.name, value: coerced.value };
  });
  return { step: { ...step, table: table.name, filters }, problems };
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/**
 * `<scenarioId>--<framework>`, safe as a file name on every system: other characters become `_`,
 * and an id that had to change (or was too long) gets a hash of the original so two ids never collide.
 */
export function testCaseId(scenarioId: string, framework: TestFramework): string {
  return `${safeName(scenarioId)}--${framework}`;
}

function safeName(name: string): string {
  if (SAFE_ID.test(name) && !name.includes('--') && !name.endsWith('.')) return name;
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/-{2,}/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 60)
    .replace(/[.]+$/, '');
  return `${cleaned || 'scenario'}-${hashText(name).toString(36)}`;
}

function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  // File systems that ignore case would merge SHOP-1 and shop-1.
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${id}-${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The file name of a test case's generated file. */
export function testFileName(testCase: Pick<TestCase, 'id' | 'framework'>): string {
  switch (testCase.framework) {
    case 'playwright':
      return `${testCase.id}.spec.ts`;
    case 'robot':
      return `${testCase.id}.robot`;
    case 'api':
      return `${testCase.id}.test.ts`;
  }
}
