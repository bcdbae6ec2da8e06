/** Test generation: scenario phrases to step shapes and data references, test cases per framework, template rendering. */
export * from './types.js';
export type { TestGenerationProblem } from './problems.js';
export { isExpectationShape, parseExpectation, parseStep } from './step-shapes.js';
export { parseCondition, parseConditions } from './conditions.js';
export type { WrittenCondition, WrittenConditions } from './conditions.js';
export {
  coerceValue,
  findColumn,
  findTable,
  hashText,
  parsePrecondition,
  parsePreconditions,
  recordOffset,
  tableForNoun,
  valueKindOf,
} from './data-references.js';
export type { ParsedPreconditions, TableColumnInfo, TableInfo, ValueKind } from './data-references.js';
export {
  findPlaceholders,
  lookupPlaceholder,
  substitutePlaceholders,
  substituteStep,
  substituteValue,
  valueText,
} from './placeholders.js';
export type { PlaceholderProblem, SubstitutionMode } from './placeholders.js';
export {
  buildTestCases,
  canExpress,
  FRAMEWORK_AREAS,
  scenarioSteps,
  stepArea,
  stepLabel,
  stepSourceText,
  testCaseId,
  testFileName,
} from './test-cases.js';
export type { BuildTestCasesOptions, BuiltTestCases, StepArea } from './test-cases.js';
export { prepareTest, renderTest } from './render-test.js';
export type { PreparedTest } from './render-test.js';
export { renderPlaywright } from './templates/playwright.js';
export { renderRobot, ROBOT_BROWSER_OPTIONS, robotStepNames } from './templates/robot.js';
export { renderVitestApi } from './templates/vitest-api.js';
export { robotCell, robotName, tsString, xpathLiteral } from './templates/escape.js';
export type { StepGroup, TemplateInput } from './templates/template-input.js';
