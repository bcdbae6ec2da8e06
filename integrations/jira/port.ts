/**
 * What the test stages need from Jira, independent of the client library: scenarios in, results
 * out. Every write is safe to repeat (activities run at least once).
 */
import type { AdfDocument } from '../../core/scenarios/adf-render.js';
import type { Scenario } from '../../core/scenarios/scenario.js';

/** An issue as Jira returns it: ids plus whatever fields were asked for. */
export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
}

/** A file to attach. */
export interface JiraAttachmentInput {
  filename: string;
  content: Buffer;
  /** @default guessed from the file name */
  mimeType?: string;
}

/** An attachment as stored on an issue. */
export interface JiraAttachment {
  id: string;
  filename: string;
  size: number;
}

/** Input of {@link JiraPort.searchIssues}. */
export interface SearchIssuesInput {
  jql: string;
  /** Fields to return. @default ['summary', 'labels', 'description', 'issuetype', 'status'] */
  fields?: readonly string[];
  /** Stop after this many issues. @default no limit */
  maxIssues?: number;
}

/** Input of {@link JiraPort.searchScenarios}. */
export interface SearchScenariosInput {
  /** E.g. `project = SHOP AND issuetype = Test AND labels = "release-42" ORDER BY key`. */
  jql: string;
  /** Custom fields holding Xray/Zephyr-style steps; when absent every custom field is inspected. */
  stepFields?: readonly string[];
  /** @default no limit */
  maxIssues?: number;
}

/** Input of {@link JiraPort.addComment}. */
export interface AddCommentInput {
  issueKey: string;
  body: AdfDocument;
  /** Text that identifies this comment (e.g. the run marker); an existing comment containing it is kept instead. */
  dedupeMarker?: string;
}

/** Input of {@link JiraPort.transitionIssue}. */
export interface TransitionIssueInput {
  issueKey: string;
  /** Transition name (e.g. `Pass`), matched without regard to case; failing that, a target status name. */
  transition: string;
  /** When the issue already has this status, nothing is done (a retried call after success). */
  targetStatus?: string;
}

/** Input of {@link JiraPort.ensureBug}. */
export interface EnsureBugInput {
  projectKey: string;
  /** @default 'Bug' */
  issueType?: string;
  summary: string;
  description: AdfDocument;
  /** Failure fingerprint (see fingerprintFailure); carried as a label and recorded on the scenario. */
  fingerprint: string;
  /** The scenario issue the Bug is about; the Bug's key is recorded on it as an issue property. */
  scenarioKey?: string;
  labels?: readonly string[];
  attachments?: readonly JiraAttachmentInput[];
}

/** Result of {@link JiraPort.ensureBug}. */
export interface EnsureBugResult {
  key: string;
  /** False when an earlier run already filed this Bug. */
  created: boolean;
  /** File names attached by this call (those missing from the Bug). */
  attached: string[];
}

/** The Jira operations of the test stages. */
export interface JiraPort {
  /** Issues matching JQL, page by page (enhanced search with nextPageToken, or startAt paging). */
  searchIssues(input: SearchIssuesInput): AsyncGenerator<JiraIssue>;
  /** Scenarios parsed from the issues matching JQL. */
  searchScenarios(input: SearchScenariosInput): Promise<Scenario[]>;
  /** One issue by key. */
  getIssue(issueKey: string, fields?: readonly string[]): Promise<JiraIssue>;
  /** Adds a comment, or finds the one an earlier attempt added. */
  addComment(input: AddCommentInput): Promise<{ commentId: string; created: boolean }>;
  /** Moves an issue through its workflow by transition name. */
  transitionIssue(input: TransitionIssueInput): Promise<{ status: string | undefined; changed: boolean }>;
  /** Files a Bug for a failure unless one with the same fingerprint exists; attaches missing files. */
  ensureBug(input: EnsureBugInput): Promise<EnsureBugResult>;
  /** Attaches files to an issue. */
  addAttachments(issueKey: string, files: readonly JiraAttachmentInput[]): Promise<JiraAttachment[]>;
}
