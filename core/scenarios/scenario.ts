/**
 * The test-scenario model: what a tester wrote in Jira (or a scenarios file), reduced to the parts
 * test generation needs. Text is normalised (see {@link normalizeScenarioText}) so that every
 * source form of the same scenario compares equal.
 */

/** Where a scenario was read from; the kind says which parser produced it. */
export const ScenarioSourceKind = {
  jiraAdf: 'jira-adf',
  jiraWiki: 'jira-wiki',
  jiraStepField: 'jira-step-field',
  file: 'file',
} as const;
/** One of {@link ScenarioSourceKind}. */
export type ScenarioSourceKind = (typeof ScenarioSourceKind)[keyof typeof ScenarioSourceKind];

/** Provenance of a scenario, enough to link results back to it. */
export interface ScenarioSource {
  kind: ScenarioSourceKind;
  /** Jira issue key, or the scenarios file path. */
  location: string;
  /** Jira issue id, when read from Jira. */
  issueId?: string;
  /** Browser URL of the issue, when known. */
  url?: string;
  /** Index of the scenario inside a scenarios file. */
  index?: number;
}

/** One step: what to do, with which data, and what should happen. */
export interface ScenarioStep {
  action: string;
  data?: string;
  expected?: string;
}

/** Something a parser skipped or guessed, named by its place (node path, line, field), never by content. */
export interface ScenarioProblem {
  /** E.g. `description.content[2].content[0]`, `description line 14`, `customfield_10040[3]`. */
  path: string;
  message: string;
}

/** A test scenario ready for test generation. */
export interface Scenario {
  /** Stable identity: the Jira issue key, or the id given in the scenarios file. */
  id: string;
  title: string;
  labels: string[];
  preconditions: string[];
  steps: ScenarioStep[];
  /** Outcomes of the scenario as a whole (step-level outcomes live on the steps). */
  expectedResults: string[];
  source: ScenarioSource;
  /** What the parser could not use; empty when the description parsed cleanly. */
  problems: ScenarioProblem[];
}

/** The parts of a scenario a description carries (title and labels come from the issue itself). */
export interface ScenarioBody {
  preconditions: string[];
  steps: ScenarioStep[];
  expectedResults: string[];
}

/** A parsed description plus what could not be used. */
export interface ParsedScenarioBody {
  body: ScenarioBody;
  problems: ScenarioProblem[];
}

/** Returns an empty body, the starting point of every parser. */
export function createEmptyBody(): ScenarioBody {
  return { preconditions: [], steps: [], expectedResults: [] };
}

/**
 * Normalises free text the way every parser does: CRLF to LF, each line trimmed, blank lines and
 * non-breaking spaces dropped, so one scenario written in ADF, wiki or a file compares equal.
 */
export function normalizeScenarioText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}
