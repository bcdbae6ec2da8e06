/**
 * A test case to a generated file with the deterministic templates: placeholders replaced by the
 * chosen records, steps grouped by scenario step, the framework's template applied. A test that
 * cannot be meaningful (unresolved data, a phrase no template understands, a step its framework
 * cannot express, a check before anything to check) is still rendered, but marked with a skip reason.
 */
import { substituteStep } from './placeholders.js';
import { renderPlaywright } from './templates/playwright.js';
import { renderRobot } from './templates/robot.js';
import { groupSteps, type TemplateInput } from './templates/template-input.js';
import { renderVitestApi } from './templates/vitest-api.js';
import { canExpress, stepArea, testFileName } from './test-cases.js';
import type { GeneratedTest, StepShape, TestCase, TestFramework } from './types.js';

/** A test case with its steps substituted and checked, ready for a template (or a Bedrock prompt). */
export interface PreparedTest {
  input: TemplateInput;
  /** The substituted steps, parallel to the test case's steps (plus an implicit first `open` when one was needed). */
  steps: StepShape[];
  /** Why the template's file is not worth running; empty when it is. */
  skipReasons: string[];
  /** The subset of `skipReasons` about data (Bedrock cannot help with these). */
  dataProblems: string[];
}

const TEMPLATES: Readonly<Record<TestFramework, (input: TemplateInput) => string>> = {
  playwright: renderPlaywright,
  robot: renderRobot,
  api: renderVitestApi,
};

/** Renders a test case with its framework's template; `skipReason` says why it should not run, if so. */
export function renderTest(testCase: TestCase): GeneratedTest {
  const prepared = prepareTest(testCase);
  const content = TEMPLATES[testCase.framework](prepared.input);
  const test: GeneratedTest = {
    testCase,
    fileName: testFileName(testCase),
    content,
    generator: 'template',
  };
  if (prepared.skipReasons.length > 0) test.skipReason = summarize(prepared.skipReasons);
  return test;
}

/** Substitutes and checks a test case's steps (see {@link renderTest}). */
export function prepareTest(testCase: TestCase): PreparedTest {
  const dataProblems: string[] = [];
  const stepProblems: string[] = [];
  for (const reference of testCase.dataReferences) {
    if (reference.unresolved !== undefined) {
      dataProblems.push(`data reference ${reference.alias} is unresolved: ${reference.unresolved}`);
    }
  }
  const steps: StepShape[] = [];
  const sources: number[] = [];
  const labels: string[] = [];
  testCase.steps.forEach((step, i) => {
    const where = stepWhere(testCase, i);
    const substituted = substituteStep(step, testCase.dataReferences);
    for (const problem of substituted.problems) {
      const message = `${where}: ${problem.message}`;
      if (!dataProblems.includes(message)) dataProblems.push(message);
    }
    steps.push(substituted.step);
    sources.push(testCase.stepSources[i] ?? -1);
    labels.push(testCase.stepLabels?.[i] ?? `Step ${(testCase.stepSources[i] ?? i) + 1}`);
    if (step.kind === 'unsupported') stepProblems.push(`${where} is not a phrase the templates understand`);
    else if (!canExpress(testCase.framework, step)) {
      stepProblems.push(
        `${where} needs ${stepArea(step) ?? 'an unknown'} steps, which ${testCase.framework} tests do not express`,
      );
    }
  });
  stepProblems.push(...orderProblems(testCase, steps));
  withImplicitOpen(testCase.framework, steps, sources, labels);
  const withLabels: TestCase = { ...testCase, steps, stepSources: sources, stepLabels: labels };
  return {
    input: { testCase, groups: groupSteps(withLabels, steps) },
    steps,
    skipReasons: [
      ...dataProblems,
      ...stepProblems,
      ...(steps.length === 0 ? ['the scenario has no steps'] : []),
    ],
    dataProblems,
  };
}

function stepWhere(testCase: TestCase, i: number): string {
  const label = testCase.stepLabels?.[i];
  const m = label === undefined ? null : /^(Step \d+|Expected result \d+)/.exec(label);
  return m?.[1] !== undefined
    ? m[1].replace(/^Step/, 'step').replace(/^Expected/, 'expected')
    : `step ${i + 1}`;
}

/** A check with nothing before it to check: a response check before any call, a row count before any query. */
function orderProblems(testCase: TestCase, steps: readonly StepShape[]): string[] {
  const problems: string[] = [];
  let called = false;
  let queried = false;
  steps.forEach((step, i) => {
    if (step.kind === 'call') called = true;
    if (step.kind === 'query') queried = true;
    const where = stepWhere(testCase, i);
    if (
      (step.kind === 'expectStatus' || step.kind === 'expectBody' || step.kind === 'expectJson') &&
      !called
    ) {
      problems.push(`${where} checks a response, but no request is made before it`);
    }
    if (step.kind === 'expectRows' && !queried)
      problems.push(`${where} counts rows, but no query is made before it`);
  });
  return problems;
}

/** Browser tests start on the home page when the scenario uses the page before opening one. */
function withImplicitOpen(
  framework: TestFramework,
  steps: StepShape[],
  sources: number[],
  labels: string[],
): void {
  if (framework === 'api') return;
  const first = steps.findIndex((s) => stepArea(s) === 'browser');
  if (first < 0 || steps[first]?.kind === 'open') return;
  steps.splice(first, 0, { kind: 'open', path: '/' });
  sources.splice(first, 0, sources[first] ?? -1);
  labels.splice(first, 0, labels[first] ?? 'Step');
}

function summarize(reasons: readonly string[]): string {
  const shown = reasons.slice(0, 3).join('; ');
  return reasons.length > 3 ? `${shown}; and ${reasons.length - 3} more` : shown;
}
