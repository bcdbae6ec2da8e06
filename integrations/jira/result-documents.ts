/**
 * The ADF documents Understudy writes to Jira: the result comment on a scenario and the
 * description of a Bug. Every text node is non-empty and every link has an href, because Jira
 * rejects the whole document otherwise.
 */
import { adfInline, type AdfDocument, type AdfNode } from '../../core/scenarios/adf-render.js';

/** Outcome of one executed test, as reported to Jira. */
export const TestStatus = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  skipped: 'skipped',
} as const;
/** One of {@link TestStatus}. */
export type TestStatus = (typeof TestStatus)[keyof typeof TestStatus];

/** A titled link (report, log, screenshot, run in the Temporal UI). */
export interface ResultLink {
  title: string;
  url: string;
}

/** Input of {@link buildResultComment}. */
export interface ResultCommentInput {
  runId: string;
  status: TestStatus;
  durationMs: number;
  links?: readonly ResultLink[];
  /** Test name or framework, e.g. `playwright: pay overdue invoice`. */
  test?: string;
  /** Key of the Bug filed for a failure. */
  bugKey?: string;
}

/**
 * The text that marks a comment as written for `runId` (used to avoid a second comment on retry).
 * It ends with a colon so that the marker of `run-1` is not found inside a comment of `run-10`.
 */
export function resultCommentMarker(runId: string): string {
  return `Understudy run ${runId}:`;
}

/** Formats a duration the way people read them: `850 ms`, `12.4 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown duration';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

const STATUS_COLOR: Record<TestStatus, string> = {
  passed: 'green',
  failed: 'red',
  error: 'red',
  skipped: 'neutral',
};

/** Builds the result comment: run marker, status lozenge, duration, test name and links. */
export function buildResultComment(input: ResultCommentInput): AdfDocument {
  const first: AdfNode[] = [
    { type: 'text', text: `${resultCommentMarker(input.runId)} `, marks: [{ type: 'strong' }] },
    { type: 'status', attrs: { text: input.status.toUpperCase(), color: STATUS_COLOR[input.status] } },
    { type: 'text', text: ` in ${formatDuration(input.durationMs)}` },
  ];
  const content: AdfNode[] = [{ type: 'paragraph', content: first }];
  if (input.test) content.push({ type: 'paragraph', content: adfInline(`Test: ${input.test}`) });
  if (input.bugKey) content.push({ type: 'paragraph', content: adfInline(`Bug: ${input.bugKey}`) });
  const links = linkList(input.links ?? []);
  if (links) content.push(links);
  return { type: 'doc', version: 1, content };
}

/** Input of {@link buildBugDescription}. */
export interface BugDescriptionInput {
  scenarioKey: string;
  scenarioTitle: string;
  runId: string;
  /** The failing step's action, when known. */
  failedStep?: string;
  /** The failure message (synthetic data only ever reaches the tests). */
  message?: string;
  fingerprint: string;
  links?: readonly ResultLink[];
}

/** Builds a Bug's description: which scenario failed where, the message, links, and the fingerprint. */
export function buildBugDescription(input: BugDescriptionInput): AdfDocument {
  const content: AdfNode[] = [
    paragraph(
      `Scenario ${input.scenarioKey} (${input.scenarioTitle}) failed in Understudy run ${input.runId}.`,
    ),
  ];
  if (input.failedStep) content.push(paragraph(`Failed step: ${input.failedStep}`));
  if (input.message && input.message.trim().length > 0) {
    content.push({ type: 'codeBlock', attrs: {}, content: [{ type: 'text', text: input.message }] });
  }
  const links = linkList(input.links ?? []);
  if (links) content.push(links);
  content.push(paragraph(`Failure fingerprint: ${input.fingerprint}`));
  return { type: 'doc', version: 1, content };
}

function paragraph(text: string): AdfNode {
  return { type: 'paragraph', content: adfInline(text) };
}

function linkList(links: readonly ResultLink[]): AdfNode | undefined {
  const usable = links.filter((l) => l.url.length > 0);
  if (usable.length === 0) return undefined;
  return {
    type: 'bulletList',
    content: usable.map((l) => ({
      type: 'listItem',
      content: [
        {
          type: 'paragraph',
          content: [
            {
              type: 'text',
              text: l.title.trim() || l.url,
              marks: [{ type: 'link', attrs: { href: l.url } }],
            },
          ],
        },
      ],
    })),
  };
}
