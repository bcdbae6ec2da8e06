/** Jira: scenarios in (JQL search, descriptions, step fields), results out (comments, transitions, Bugs). */
export {
  createJiraClient,
  isJiraNotFound,
  JiraSearchApi,
  quoteJql,
  BUG_INDEX_PROPERTY,
  SCENARIO_FIELDS,
  TRANSITION_PROPERTY,
} from './jira-client.js';
export type { JiraClientOptions } from './jira-client.js';
export type {
  AddCommentInput,
  EnsureBugInput,
  EnsureBugResult,
  JiraAttachment,
  JiraAttachmentInput,
  JiraIssue,
  JiraPort,
  SearchIssuesInput,
  SearchScenariosInput,
  TransitionIssueInput,
} from './port.js';
export {
  JiraErrorType,
  JiraRateLimitedError,
  JiraRequestError,
  JiraTransitionNotFoundError,
} from './errors.js';
export { JiraEnv, readJiraSettings } from './settings.js';
export type { JiraAuth, JiraSettings } from './settings.js';
export { callJira, parseRetryAfter, readHttpFailure, rejectedFields } from './retry.js';
export type { HttpFailure, JiraRetryOptions } from './retry.js';
export { BUG_LABEL_PREFIX, bugLabelFor, fingerprintFailure, normalizeFailureMessage } from './fingerprint.js';
export type { FailureIdentity } from './fingerprint.js';
export {
  buildBugDescription,
  buildResultComment,
  formatDuration,
  resultCommentMarker,
  TestStatus,
} from './result-documents.js';
export type { BugDescriptionInput, ResultCommentInput, ResultLink } from './result-documents.js';
export { buildScenarioComment, reportResultsToJira, worstOutcome } from './report-results.js';
export type {
  JiraReportSummary,
  ReportedBug,
  ReportLinks,
  ReportResultsToJiraInput,
  ReportScenario,
  ReportToJiraOptions,
  ScenarioCommentInput,
  ScenarioJiraReport,
  ScenarioReportFailure,
} from './report-results.js';
