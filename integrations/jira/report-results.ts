/**
 * Writes a run's test results back to the Jira scenarios they came from: per scenario one comment
 * (the worst outcome of its tests, a line per test, links), a transition when configured, and a Bug
 * per failed test with its log and screenshot attached. Every write is found again on a retry (the
 * comment by its run marker, Bugs by failure fingerprint, transitions by the status they lead to), so
 * a call repeated after a crash midway, or a re-run, duplicates nothing.
 */
import { basename } from 'node:path';
import { adfInline, type AdfDocument, type AdfNode } from '../../core/scenarios/adf-render.js';
import type { ScenarioSourceKind } from '../../core/scenarios/scenario.js';
import { TestOutcome, type TestResult } from '../../core/testing/types.js';
import { JiraRequestError, JiraTransitionNotFoundError } from './errors.js';
import { fingerprintFailure } from './fingerprint.js';
import type { JiraAttachmentInput, JiraPort } from './port.js';
import {
  buildBugDescription,
  formatDuration,
  resultCommentMarker,
  type ResultLink,
} from './result-documents.js';

/** A scenario whose results are reported (a core Scenario fits). */
export interface ReportScenario {
  /** The Jira issue key for scenarios from Jira. */
  id: string;
  title: string;
  /** Browser URL of the issue. @default source.url */
  url?: string;
  /** Where the scenario was read from; only Jira scenarios are written to. */
  source: { kind: ScenarioSourceKind; url?: string };
}

/** Links shown in every comment and Bug. */
export interface ReportLinks {
  runReport?: string;
  temporalUi?: string;
  confluencePage?: string;
}

/** What to write besides the comment. */
export interface ReportToJiraOptions {
  /** One comment per scenario and run. @default true */
  comments?: boolean;
  /** Transition names (or target status names) for scenarios whose tests all passed, or one of which failed. */
  transitions?: { passed?: string; failed?: string };
  /** File a Bug per failed test in this project. */
  bugs?: {
    projectKey: string;
    /** @default 'Bug' */
    issueType?: string;
    labels?: readonly string[];
    /** Outcomes that get a Bug; `error` means the test could not run, often not a product bug. @default ['failed'] */
    outcomes?: readonly TestOutcome[];
  };
  /** Largest file attached; longer logs keep their end, larger screenshots are left out. @default 10 MiB */
  maxAttachmentBytes?: number;
}

/** Input of {@link reportResultsToJira}. */
export interface ReportResultsToJiraInput {
  runId: string;
  runName?: string;
  scenarios: readonly ReportScenario[];
  /** Every executed test, several frameworks per scenario. */
  results: readonly TestResult[];
  links?: ReportLinks;
  options?: ReportToJiraOptions;
  /** Reads a log or screenshot by its path relative to the run's test output directory. */
  readArtifact: (relPath: string) => Promise<Buffer>;
  /** Browser URL of an artifact, when the artifact store is reachable from a browser. */
  artifactUrl?: (relPath: string) => string | undefined;
  /** Jira site URL, for links to Bugs. @default derived from the scenarios' `/browse/` URLs */
  jiraUrl?: string;
}

/** A Bug filed (or found) for one failed test. */
export interface ReportedBug {
  testId: string;
  scenarioId: string;
  key: string;
  url?: string;
  /** False when an earlier run or attempt had filed it. */
  created: boolean;
  /** Files attached by this call. */
  attached: string[];
}

/** What went wrong for one scenario, while the others were still reported. */
export interface ScenarioReportFailure {
  scenarioId: string;
  /** The write that failed: `bug` (with the test id), `artifact` (a file left out), `comment` or `transition`. */
  step: 'bug' | 'artifact' | 'comment' | 'transition';
  testId?: string;
  /** Error message (names operations, keys and statuses, never data). */
  error: string;
}

/** What happened to one scenario. */
export interface ScenarioJiraReport {
  scenarioId: string;
  /** The worst outcome of its tests. */
  status: TestOutcome;
  tests: number;
  comment?: { id: string; created: boolean };
  transition?: { name: string; status: string | undefined; changed: boolean };
  bugs: ReportedBug[];
}

/** Result of {@link reportResultsToJira}: plain JSON, small enough for a workflow payload. */
export interface JiraReportSummary {
  scenarios: ScenarioJiraReport[];
  /** Scenarios not written to: read from a file, or without results. */
  skipped: { scenarioId: string; reason: 'not-from-jira' | 'no-results' }[];
  /** Every Bug filed or found, for the run page. */
  bugs: ReportedBug[];
  counts: {
    commentsCreated: number;
    commentsFound: number;
    bugsCreated: number;
    bugsExisting: number;
    filesAttached: number;
    transitionsChanged: number;
    transitionsUnchanged: number;
  };
  /** Partial errors; empty when everything was written. */
  failures: ScenarioReportFailure[];
}

/** Outcomes from best to worst: a scenario is as good as its worst test. */
const SEVERITY: Record<TestOutcome, number> = { passed: 0, skipped: 1, error: 2, failed: 3 };

const STATUS_COLOR: Record<TestOutcome, string> = {
  passed: 'green',
  failed: 'red',
  error: 'yellow',
  skipped: 'neutral',
};

const DEFAULT_MAX_ATTACHMENT = 10 * 1024 * 1024;

/**
 * The worst outcome of a scenario's tests (failed, then error, then skipped, then passed): a
 * scenario counts as passed only when every one of its tests passed.
 */
export function worstOutcome(outcomes: readonly TestOutcome[]): TestOutcome {
  let worst: TestOutcome = TestOutcome.passed;
  for (const o of outcomes) if (SEVERITY[o] > SEVERITY[worst]) worst = o;
  return worst;
}

/** Reports a run's results to Jira; safe to call again after a crash or for a re-run. */
export async function reportResultsToJira(
  port: JiraPort,
  input: ReportResultsToJiraInput,
): Promise<JiraReportSummary> {
  const summary: JiraReportSummary = {
    scenarios: [],
    skipped: [],
    bugs: [],
    counts: {
      commentsCreated: 0,
      commentsFound: 0,
      bugsCreated: 0,
      bugsExisting: 0,
      filesAttached: 0,
      transitionsChanged: 0,
      transitionsUnchanged: 0,
    },
    failures: [],
  };
  const byScenario = new Map<string, TestResult[]>();
  for (const r of input.results) {
    const list = byScenario.get(r.scenarioId);
    if (list) list.push(r);
    else byScenario.set(r.scenarioId, [r]);
  }
  const jiraUrl = input.jiraUrl?.replace(/\/+$/, '') ?? siteFromScenarios(input.scenarios);
  const seen = new Set<string>();
  for (const scenario of input.scenarios) {
    // A scenario listed twice is reported once.
    if (seen.has(scenario.id)) continue;
    seen.add(scenario.id);
    if (scenario.source.kind === 'file') {
      summary.skipped.push({ scenarioId: scenario.id, reason: 'not-from-jira' });
      continue;
    }
    const results = byScenario.get(scenario.id) ?? [];
    if (results.length === 0) {
      summary.skipped.push({ scenarioId: scenario.id, reason: 'no-results' });
      continue;
    }
    summary.scenarios.push(await reportScenario(port, input, scenario, results, jiraUrl, summary));
  }
  return summary;
}

async function reportScenario(
  port: JiraPort,
  input: ReportResultsToJiraInput,
  scenario: ReportScenario,
  results: readonly TestResult[],
  jiraUrl: string | undefined,
  summary: JiraReportSummary,
): Promise<ScenarioJiraReport> {
  const options = input.options ?? {};
  const status = worstOutcome(results.map((r) => r.outcome));
  const report: ScenarioJiraReport = { scenarioId: scenario.id, status, tests: results.length, bugs: [] };
  const fail = (step: ScenarioReportFailure['step'], error: unknown, testId?: string): void => {
    summary.failures.push({
      scenarioId: scenario.id,
      step,
      ...(testId === undefined ? {} : { testId }),
      error: messageOf(error),
    });
  };

  // Bugs first, so the comment can name them.
  const bugOutcomes = options.bugs?.outcomes ?? [TestOutcome.failed];
  if (options.bugs) {
    for (const result of results) {
      if (!bugOutcomes.includes(result.outcome)) continue;
      try {
        const bug = await fileBug(port, input, scenario, result, jiraUrl, fail);
        report.bugs.push(bug);
        summary.bugs.push(bug);
        if (bug.created) summary.counts.bugsCreated++;
        else summary.counts.bugsExisting++;
        summary.counts.filesAttached += bug.attached.length;
      } catch (error) {
        if (mustAbort(error)) throw error;
        fail('bug', error, result.testId);
      }
    }
  }

  if (options.comments ?? true) {
    try {
      const body = buildScenarioComment({
        runId: input.runId,
        ...(input.runName === undefined ? {} : { runName: input.runName }),
        status,
        results,
        bugs: report.bugs,
        links: runLinks(input.links),
        ...(input.artifactUrl === undefined ? {} : { artifactUrl: input.artifactUrl }),
      });
      const comment = await port.addComment({
        issueKey: scenario.id,
        body,
        dedupeMarker: resultCommentMarker(input.runId),
      });
      report.comment = { id: comment.commentId, created: comment.created };
      if (comment.created) summary.counts.commentsCreated++;
      else summary.counts.commentsFound++;
    } catch (error) {
      if (mustAbort(error)) throw error;
      fail('comment', error);
    }
  }

  // Only a clear verdict moves the issue: errors and skips say nothing about the product.
  const name =
    status === TestOutcome.passed
      ? options.transitions?.passed
      : status === TestOutcome.failed
        ? options.transitions?.failed
        : undefined;
  if (name !== undefined) {
    try {
      const moved = await port.transitionIssue({ issueKey: scenario.id, transition: name });
      report.transition = { name, status: moved.status, changed: moved.changed };
      if (moved.changed) summary.counts.transitionsChanged++;
      else summary.counts.transitionsUnchanged++;
    } catch (error) {
      if (mustAbort(error)) throw error;
      fail('transition', error);
    }
  }
  return report;
}

async function fileBug(
  port: JiraPort,
  input: ReportResultsToJiraInput,
  scenario: ReportScenario,
  result: TestResult,
  jiraUrl: string | undefined,
  fail: (step: 'artifact', error: unknown, testId?: string) => void,
): Promise<ReportedBug> {
  const bugs = input.options?.bugs;
  if (!bugs) throw new Error('unreachable: fileBug without bug options');
  const fingerprint = fingerprintFailure({
    scenarioId: scenario.id,
    test: result.framework,
    // Runners report the failed step's text, not its index; the text stands in for the error kind.
    ...(result.failedStep === undefined ? {} : { errorKind: `step: ${result.failedStep}` }),
    ...(result.message === undefined ? {} : { message: result.message }),
  });
  const attachments: JiraAttachmentInput[] = [];
  const max = input.options?.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT;
  for (const [relPath, kind] of [
    [result.logFile, 'log'],
    [result.screenshotFile, 'screenshot'],
  ] as const) {
    if (relPath === undefined) continue;
    try {
      const content = await input.readArtifact(relPath);
      const file = fitAttachment(relPath, content, kind, max);
      if (file) attachments.push(file);
      else
        fail(
          'artifact',
          new Error(`${kind} ${basename(relPath)} is larger than ${max} bytes; not attached`),
          result.testId,
        );
    } catch (error) {
      fail(
        'artifact',
        new Error(`${kind} ${basename(relPath)} could not be read: ${messageOf(error)}`),
        result.testId,
      );
    }
  }
  const links: ResultLink[] = [];
  const scenarioUrl = scenario.url ?? scenario.source.url;
  if (scenarioUrl) links.push({ title: `Scenario ${scenario.id}`, url: scenarioUrl });
  for (const [relPath, title] of [
    [result.logFile, 'Test log'],
    [result.screenshotFile, 'Screenshot'],
  ] as const) {
    const url = relPath === undefined ? undefined : input.artifactUrl?.(relPath);
    if (url) links.push({ title, url });
  }
  links.push(...runLinks(input.links));
  const ensured = await port.ensureBug({
    projectKey: bugs.projectKey,
    ...(bugs.issueType === undefined ? {} : { issueType: bugs.issueType }),
    summary: `${scenario.id} ${result.framework} test failed: ${scenario.title}`,
    description: buildBugDescription({
      scenarioKey: scenario.id,
      scenarioTitle: scenario.title,
      runId: input.runId,
      ...(result.failedStep === undefined ? {} : { failedStep: result.failedStep }),
      ...(result.message === undefined ? {} : { message: result.message }),
      fingerprint,
      links,
    }),
    fingerprint,
    scenarioKey: scenario.id,
    labels: bugs.labels ?? [],
    attachments,
  });
  return {
    testId: result.testId,
    scenarioId: scenario.id,
    key: ensured.key,
    ...(jiraUrl === undefined ? {} : { url: `${jiraUrl}/browse/${ensured.key}` }),
    created: ensured.created,
    attached: ensured.attached,
  };
}

/** A file as attached: logs longer than `max` keep their end (where the failure is); other files are left out. */
function fitAttachment(
  relPath: string,
  content: Buffer,
  kind: 'log' | 'screenshot',
  max: number,
): JiraAttachmentInput | undefined {
  const filename = basename(relPath);
  if (content.length <= max) return { filename, content };
  if (kind !== 'log') return undefined;
  const note = Buffer.from(`[start of log left out: longer than ${max} bytes]\n`);
  if (note.length >= max) return { filename, content: content.subarray(content.length - max) };
  return { filename, content: Buffer.concat([note, content.subarray(content.length - (max - note.length))]) };
}

/** Input of {@link buildScenarioComment}. */
export interface ScenarioCommentInput {
  runId: string;
  runName?: string;
  status: TestOutcome;
  results: readonly TestResult[];
  bugs?: readonly Pick<ReportedBug, 'testId' | 'key' | 'url'>[];
  links?: readonly ResultLink[];
  artifactUrl?: (relPath: string) => string | undefined;
}

/** The result comment of one scenario: run marker, overall status, a line per test, run links (valid ADF). */
export function buildScenarioComment(input: ScenarioCommentInput): AdfDocument {
  const total = input.results.reduce((sum, r) => sum + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
  const head: AdfNode[] = [
    { type: 'text', text: `${resultCommentMarker(input.runId)} `, marks: [{ type: 'strong' }] },
    lozenge(input.status),
    { type: 'text', text: ` ${input.results.length} test(s) in ${formatDuration(total)}` },
  ];
  const content: AdfNode[] = [{ type: 'paragraph', content: head }];
  const name = input.runName?.trim();
  if (name) content.push({ type: 'paragraph', content: adfInline(`Run: ${name}`) });
  const bugs = new Map((input.bugs ?? []).map((b) => [b.testId, b]));
  content.push({
    type: 'bulletList',
    content: input.results.map((r) => testItem(r, bugs.get(r.testId), input.artifactUrl)),
  });
  const links = input.links?.filter((l) => l.url.length > 0) ?? [];
  if (links.length > 0) {
    content.push({
      type: 'paragraph',
      content: links.flatMap((l, i) => [
        ...(i > 0 ? [{ type: 'text', text: ' · ' }] : []),
        linkText(l.title.trim() || l.url, l.url),
      ]),
    });
  }
  return { type: 'doc', version: 1, content };
}

function testItem(
  r: TestResult,
  bug: Pick<ReportedBug, 'key' | 'url'> | undefined,
  artifactUrl: ((relPath: string) => string | undefined) | undefined,
): AdfNode {
  const line: AdfNode[] = [
    { type: 'text', text: `${r.framework}: ` },
    lozenge(r.outcome),
    { type: 'text', text: ` in ${formatDuration(r.durationMs)}` },
  ];
  const step = oneLine(r.failedStep);
  if (step) line.push({ type: 'text', text: `; failed at: ${step}` });
  if (bug)
    line.push(
      { type: 'text', text: '; Bug ' },
      bug.url ? linkText(bug.key, bug.url) : { type: 'text', text: bug.key },
    );
  for (const [relPath, title] of [
    [r.logFile, 'log'],
    [r.screenshotFile, 'screenshot'],
  ] as const) {
    const url = relPath === undefined ? undefined : artifactUrl?.(relPath);
    if (url) line.push({ type: 'text', text: '; ' }, linkText(title, url));
  }
  const item: AdfNode[] = [{ type: 'paragraph', content: line }];
  const message = r.message
    ?.split(/\r?\n/)
    .find((l) => l.trim().length > 0)
    ?.trim();
  // Only the first line: the full message is in the log and the Bug.
  if (message && r.outcome !== TestOutcome.passed)
    item.push({ type: 'codeBlock', attrs: {}, content: [{ type: 'text', text: message.slice(0, 500) }] });
  return { type: 'listItem', content: item };
}

function lozenge(outcome: TestOutcome): AdfNode {
  return { type: 'status', attrs: { text: outcome.toUpperCase(), color: STATUS_COLOR[outcome] } };
}

function linkText(text: string, href: string): AdfNode {
  return { type: 'text', text, marks: [{ type: 'link', attrs: { href } }] };
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function runLinks(links: ReportLinks | undefined): ResultLink[] {
  const out: ResultLink[] = [];
  if (links?.runReport) out.push({ title: 'Run report', url: links.runReport });
  if (links?.confluencePage) out.push({ title: 'Confluence page', url: links.confluencePage });
  if (links?.temporalUi) out.push({ title: 'Run in Temporal UI', url: links.temporalUi });
  return out;
}

/** The Jira site of the scenarios' browse URLs (`https://x.atlassian.net/browse/KEY-1`). */
function siteFromScenarios(scenarios: readonly ReportScenario[]): string | undefined {
  for (const s of scenarios) {
    const url = s.url ?? s.source.url;
    const m = url === undefined ? null : /^(https?:\/\/.+?)\/browse\/[^/]+$/.exec(url);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * Rate limits, outages and lost connections end the call (the caller retries it as a whole, and
 * nothing written so far is written twice); so do bad credentials, which fail every scenario alike,
 * and anything unexpected. Refusals a retry would meet again on this one issue (a missing
 * transition, a 400, 403 or 404) are recorded and the next write goes ahead.
 */
function mustAbort(error: unknown): boolean {
  if (error instanceof JiraTransitionNotFoundError) return false;
  if (error instanceof JiraRequestError) return error.retryable || error.status === 401;
  return true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
