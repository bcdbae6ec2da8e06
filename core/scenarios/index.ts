/** Test scenarios: the model and its parsers (Jira ADF and wiki descriptions, step fields, scenarios files). */
export { ScenarioSourceKind, createEmptyBody, normalizeScenarioText } from './scenario.js';
export type {
  ParsedScenarioBody,
  Scenario,
  ScenarioBody,
  ScenarioProblem,
  ScenarioSource,
  ScenarioStep,
} from './scenario.js';
export { extractAdfText, parseAdfDescription } from './adf-description.js';
export {
  decodeWikiInline,
  encodeWikiInline,
  parseWikiDescription,
  renderWikiDescription,
} from './wiki-description.js';
export { parseStepField } from './step-fields.js';
export type { StepFieldResult } from './step-fields.js';
export { scenarioFromJiraIssue } from './jira-issue.js';
export type { JiraIssueScenarioOptions } from './jira-issue.js';
export { parseScenariosFile, ScenariosFileError } from './scenarios-file.js';
export type { ScenariosFileOptions, ScenariosFileProblem } from './scenarios-file.js';
export { classifyHeading, mapStepColumns, SectionKind } from './sections.js';
export { adfInline, adfParagraph, renderAdfDescription } from './adf-render.js';
export type { AdfDocument, AdfNode } from './adf-render.js';
