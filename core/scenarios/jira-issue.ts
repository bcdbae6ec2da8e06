/**
 * Turns a Jira issue (the JSON of REST v2 or v3) into a {@link Scenario}: summary and labels from
 * the issue, preconditions, steps and expected results from the description (ADF in v3, wiki text
 * in v2 and Data Center), steps from an Xray/Zephyr-style step field when one is present.
 */
import { parseAdfDescription } from './adf-description.js';
import {
  ScenarioSourceKind,
  type Scenario,
  type ScenarioProblem,
  type ScenarioSourceKind as Kind,
} from './scenario.js';
import { parseStepField } from './step-fields.js';
import { parseWikiDescription } from './wiki-description.js';

/** Options of {@link scenarioFromJiraIssue}. */
export interface JiraIssueScenarioOptions {
  /**
   * Field ids holding steps (e.g. `customfield_10040`), tried in order. When absent every
   * `customfield_*` holding a list of steps is a candidate.
   */
  stepFields?: readonly string[];
  /** Site URL used to build the issue's browse link, e.g. `https://example.atlassian.net`. */
  siteUrl?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds a scenario from one issue as returned by Jira's search or issue endpoints. */
export function scenarioFromJiraIssue(issue: unknown, options: JiraIssueScenarioOptions = {}): Scenario {
  const problems: ScenarioProblem[] = [];
  const root = isObject(issue) ? issue : {};
  if (!isObject(issue)) problems.push({ path: 'issue', message: 'issue is not an object' });
  const fields = isObject(root.fields) ? root.fields : {};
  const key = typeof root.key === 'string' ? root.key : typeof root.id === 'string' ? root.id : '';
  if (key.length === 0) problems.push({ path: 'key', message: 'issue has no key' });
  const title = typeof fields.summary === 'string' ? fields.summary.trim() : '';
  if (title.length === 0) problems.push({ path: 'fields.summary', message: 'issue has no summary' });
  const labels = Array.isArray(fields.labels)
    ? fields.labels.filter((l): l is string => typeof l === 'string')
    : [];

  let kind: Kind = ScenarioSourceKind.jiraAdf;
  let parsed;
  const description = fields.description;
  if (typeof description === 'string') {
    kind = ScenarioSourceKind.jiraWiki;
    parsed = parseWikiDescription(description, 'fields.description');
  } else if (description === undefined || description === null) {
    parsed = { body: { preconditions: [], steps: [], expectedResults: [] }, problems: [] };
  } else {
    parsed = parseAdfDescription(description, 'fields.description');
  }
  problems.push(...parsed.problems);
  const body = parsed.body;

  const candidates =
    options.stepFields ??
    Object.keys(fields)
      .filter((k) => k.startsWith('customfield_'))
      .sort(compareFieldIds);
  for (const fieldId of candidates) {
    const result = parseStepField(fields[fieldId], `fields.${fieldId}`);
    if (!result || result.steps.length === 0) continue;
    // A dedicated step field is the tester's structured intent; description steps are prose.
    body.steps = result.steps;
    problems.push(...result.problems);
    kind = ScenarioSourceKind.jiraStepField;
    break;
  }
  if (body.steps.length === 0) problems.push({ path: 'fields.description', message: 'no steps found' });

  const id = typeof root.id === 'string' ? root.id : undefined;
  const site = options.siteUrl?.replace(/\/+$/, '');
  return {
    id: key,
    title,
    labels,
    preconditions: body.preconditions,
    steps: body.steps,
    expectedResults: body.expectedResults,
    source: {
      kind,
      location: key,
      ...(id ? { issueId: id } : {}),
      ...(site && key ? { url: `${site}/browse/${encodeURIComponent(key)}` } : {}),
    },
    problems,
  };
}

function compareFieldIds(a: string, b: string): number {
  const na = Number(a.slice('customfield_'.length));
  const nb = Number(b.slice('customfield_'.length));
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.localeCompare(b);
}
