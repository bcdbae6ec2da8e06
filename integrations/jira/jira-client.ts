/**
 * The Jira port over jira.js's Version3Client (Jira Cloud REST v3): paginated JQL search (the
 * enhanced `/search/jql` endpoint with nextPageToken, falling back to startAt paging on Jira
 * versions without it), issues, comments, transitions by name, attachments, and Bugs that are
 * never filed twice for the same failure. Every call goes through {@link callJira} for retries.
 */
import { Version3Client } from 'jira.js';
import { extractAdfText } from '../../core/scenarios/adf-description.js';
import { scenarioFromJiraIssue } from '../../core/scenarios/jira-issue.js';
import type { Scenario } from '../../core/scenarios/scenario.js';
import { JiraRequestError, JiraTransitionNotFoundError } from './errors.js';
import { bugLabelFor } from './fingerprint.js';
import type {
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
import { callJira, readHttpFailure, type JiraRetryOptions } from './retry.js';
import type { JiraSettings } from './settings.js';

/** Which search endpoint to use. */
export const JiraSearchApi = {
  /** Try `/rest/api/3/search/jql`; on 404/410 use `/rest/api/3/search` from then on. */
  auto: 'auto',
  /** `/rest/api/3/search/jql` with nextPageToken (Jira Cloud today). */
  enhanced: 'enhanced',
  /** `/rest/api/3/search` with startAt/maxResults (older Jira). */
  legacy: 'legacy',
} as const;
/** One of {@link JiraSearchApi}. */
export type JiraSearchApi = (typeof JiraSearchApi)[keyof typeof JiraSearchApi];

/** Options of {@link createJiraClient}. */
export interface JiraClientOptions extends JiraRetryOptions {
  settings: JiraSettings;
  /** @default 'auto' */
  searchApi?: JiraSearchApi;
  /** Issues asked per search page (Jira may return fewer). @default 50 */
  pageSize?: number;
}

/** Default fields of a scenario search. */
export const SCENARIO_FIELDS = ['summary', 'labels', 'description', 'issuetype', 'status'] as const;

/** Issue property on a scenario that maps failure fingerprints to the Bugs filed for them. */
export const BUG_INDEX_PROPERTY = 'understudy.bugs';

/** Bug-index value of a Bug being created (its key is not known yet). */
const BUG_PENDING = 'pending';
/** Waits between label searches for a Bug an interrupted attempt may have created (search lags behind). */
const PENDING_SEARCH_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
/** Issue property recording the last transition made (name and target status), so a retry recognises it. */
export const TRANSITION_PROPERTY = 'understudy.transition';

// Jira's limits on a summary: one line, at most 255 characters.
const MAX_SUMMARY = 255;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Creates the Jira port for one site. */
export function createJiraClient(options: JiraClientOptions): JiraPort {
  const { settings } = options;
  const client =
    settings.auth.kind === 'basic'
      ? new Version3Client({
          host: settings.host,
          authentication: { basic: { email: settings.auth.email, apiToken: settings.auth.apiToken } },
        })
      : new Version3Client({
          host: settings.host,
          // jira.js has no bearer option; a default header reaches every request it sends.
          baseRequestConfig: { headers: { Authorization: `Bearer ${settings.auth.token}` } },
        });
  const pageSize = Math.max(1, options.pageSize ?? 50);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let searchApi: JiraSearchApi = options.searchApi ?? JiraSearchApi.auto;

  const read = <T>(operation: string, call: () => Promise<T>): Promise<T> =>
    callJira(operation, call, { ...options, idempotent: true });
  const write = <T>(operation: string, call: () => Promise<T>): Promise<T> =>
    callJira(operation, call, options);

  async function* searchEnhanced(input: SearchIssuesInput, fields: string[]): AsyncGenerator<JiraIssue> {
    let token: string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const page = await read('search', () =>
        client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
          jql: input.jql,
          maxResults: pageSize,
          fields,
          ...(token ? { nextPageToken: token } : {}),
        }),
      );
      for (const issue of page.issues ?? []) yield toIssue(issue);
      const next = page.nextPageToken;
      if (!next || (page as { isLast?: boolean }).isLast === true) return;
      // A token seen before would loop forever; Jira never does this, a broken proxy might.
      if (seen.has(next))
        throw new JiraRequestError('search', undefined, { message: 'Jira search repeated a page token' });
      seen.add(next);
      token = next;
    }
  }

  async function* searchLegacy(input: SearchIssuesInput, fields: string[]): AsyncGenerator<JiraIssue> {
    let startAt = 0;
    for (;;) {
      const page = await read('search', () =>
        client.issueSearch.searchForIssuesUsingJql({ jql: input.jql, startAt, maxResults: pageSize, fields }),
      );
      const issues = page.issues ?? [];
      for (const issue of issues) yield toIssue(issue);
      // Jira caps maxResults below what was asked: advance by what came back, not by the page size.
      startAt += issues.length;
      if (issues.length === 0 || startAt >= (page.total ?? 0)) return;
    }
  }

  async function* searchIssues(input: SearchIssuesInput): AsyncGenerator<JiraIssue> {
    const fields = [...(input.fields ?? SCENARIO_FIELDS)];
    const limit = input.maxIssues ?? Number.POSITIVE_INFINITY;
    let count = 0;
    let pages =
      searchApi === JiraSearchApi.legacy ? searchLegacy(input, fields) : searchEnhanced(input, fields);
    for (;;) {
      // Checked before pulling, so a satisfied limit never costs another page request.
      if (count >= limit) return;
      let next: IteratorResult<JiraIssue>;
      try {
        next = await pages.next();
      } catch (error) {
        const missing = error instanceof JiraRequestError && (error.status === 404 || error.status === 410);
        if (searchApi !== JiraSearchApi.auto || count > 0 || !missing) throw error;
        searchApi = JiraSearchApi.legacy;
        pages = searchLegacy(input, fields);
        continue;
      }
      if (searchApi === JiraSearchApi.auto) searchApi = JiraSearchApi.enhanced;
      if (next.done) return;
      count++;
      yield next.value;
    }
  }

  async function getIssue(issueKey: string, fields?: readonly string[]): Promise<JiraIssue> {
    const issue = await read(`get issue ${issueKey}`, () =>
      client.issues.getIssue({ issueIdOrKey: issueKey, ...(fields ? { fields: [...fields] } : {}) }),
    );
    return toIssue(issue);
  }

  async function findComment(issueKey: string, marker: string): Promise<string | undefined> {
    let startAt = 0;
    for (;;) {
      const page = await read(`get comments ${issueKey}`, () =>
        client.issueComments.getComments({ issueIdOrKey: issueKey, startAt, maxResults: 100 }),
      );
      const comments = page.comments ?? [];
      for (const c of comments) if (c.id && extractAdfText(c.body).includes(marker)) return c.id;
      startAt += comments.length;
      if (comments.length === 0 || startAt >= (page.total ?? 0)) return undefined;
    }
  }

  async function addAttachments(
    issueKey: string,
    files: readonly JiraAttachmentInput[],
  ): Promise<JiraAttachment[]> {
    if (files.length === 0) return [];
    const stored = await write(`attach files to ${issueKey}`, () =>
      client.issueAttachments.addAttachment({
        issueIdOrKey: issueKey,
        attachment: files.map((f) => ({
          filename: f.filename,
          file: f.content,
          ...(f.mimeType ? { mimeType: f.mimeType } : {}),
        })),
      }),
    );
    return stored.map((a) => ({ id: String(a.id ?? ''), filename: a.filename ?? '', size: a.size ?? 0 }));
  }

  async function readBugIndex(scenarioKey: string): Promise<Record<string, string>> {
    try {
      const property = await read(`get property of ${scenarioKey}`, () =>
        client.issueProperties.getIssueProperty({
          issueIdOrKey: scenarioKey,
          propertyKey: BUG_INDEX_PROPERTY,
        }),
      );
      const value = isObject(property) ? property.value : undefined;
      if (!isObject(value)) return {};
      return Object.fromEntries(
        Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch (error) {
      if (error instanceof JiraRequestError && error.status === 404) return {};
      throw error;
    }
  }

  async function readTransitionRecord(
    issueKey: string,
  ): Promise<{ transition: string; to: string } | undefined> {
    try {
      const property = await read(`get property of ${issueKey}`, () =>
        client.issueProperties.getIssueProperty({ issueIdOrKey: issueKey, propertyKey: TRANSITION_PROPERTY }),
      );
      const value = isObject(property) ? property.value : undefined;
      if (!isObject(value) || typeof value.transition !== 'string' || typeof value.to !== 'string')
        return undefined;
      return { transition: value.transition, to: value.to };
    } catch (error) {
      if (error instanceof JiraRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  async function findBug(input: EnsureBugInput, label: string): Promise<JiraIssue | undefined> {
    // The scenario's property is read-after-write consistent; search may lag behind a fresh create.
    if (input.scenarioKey) {
      const known = (await readBugIndex(input.scenarioKey))[input.fingerprint];
      if (known === BUG_PENDING) {
        // An earlier attempt was creating this Bug when it stopped: it may exist, not yet searchable.
        for (const delay of PENDING_SEARCH_DELAYS_MS) {
          const found = await searchBugByLabel(input.projectKey, label);
          if (found) return found;
          await sleep(delay);
        }
      } else if (known) {
        try {
          return await getIssue(known, ['attachment', 'labels']);
        } catch (error) {
          if (!(error instanceof JiraRequestError) || error.status !== 404) throw error;
        }
      }
    }
    return searchBugByLabel(input.projectKey, label);
  }

  async function searchBugByLabel(projectKey: string, label: string): Promise<JiraIssue | undefined> {
    const jql = `project = ${quoteJql(projectKey)} AND labels = ${quoteJql(label)} ORDER BY key ASC`;
    for await (const issue of searchIssues({ jql, fields: ['attachment', 'labels'], maxIssues: 1 }))
      return issue;
    return undefined;
  }

  /** Records `value` for the fingerprint in the scenario's Bug index, or removes it (read-modify-write). */
  async function recordBug(
    scenarioKey: string,
    fingerprint: string,
    value: string | undefined,
  ): Promise<void> {
    const index = await readBugIndex(scenarioKey);
    if (index[fingerprint] === value) return;
    const { [fingerprint]: _previous, ...others } = index;
    // A lost entry under a race is still found through the label search.
    await write(`set property of ${scenarioKey}`, () =>
      client.issueProperties.setIssueProperty({
        issueIdOrKey: scenarioKey,
        propertyKey: BUG_INDEX_PROPERTY,
        propertyValue: value === undefined ? others : { ...others, [fingerprint]: value },
      }),
    );
  }

  return {
    searchIssues,

    async searchScenarios(input: SearchScenariosInput): Promise<Scenario[]> {
      const fields = input.stepFields ? [...SCENARIO_FIELDS, ...input.stepFields] : ['*navigable'];
      const scenarios: Scenario[] = [];
      const search = searchIssues({
        jql: input.jql,
        fields,
        ...(input.maxIssues ? { maxIssues: input.maxIssues } : {}),
      });
      for await (const issue of search) {
        scenarios.push(
          scenarioFromJiraIssue(issue, {
            siteUrl: settings.host,
            ...(input.stepFields ? { stepFields: input.stepFields } : {}),
          }),
        );
      }
      return scenarios;
    },

    getIssue,

    async addComment(input: AddCommentInput) {
      if (input.dedupeMarker) {
        const existing = await findComment(input.issueKey, input.dedupeMarker);
        if (existing) return { commentId: existing, created: false };
      }
      const comment = await write(`add comment to ${input.issueKey}`, () =>
        client.issueComments.addComment({ issueIdOrKey: input.issueKey, comment: input.body }),
      );
      return { commentId: String(comment.id ?? ''), created: true };
    },

    async transitionIssue(input: TransitionIssueInput) {
      const issue = await getIssue(input.issueKey, ['status']);
      const status = statusName(issue);
      if (input.targetStatus && status && sameName(status, input.targetStatus))
        return { status, changed: false };
      const answer = await read(`get transitions of ${input.issueKey}`, () =>
        client.issues.getTransitions({ issueIdOrKey: input.issueKey }),
      );
      const transitions = answer.transitions ?? [];
      const match =
        transitions.find((t) => t.name !== undefined && sameName(t.name, input.transition)) ??
        transitions.find((t) => t.to?.name !== undefined && sameName(t.to.name, input.transition));
      if (!match?.id) {
        // A retry after success no longer finds the transition (the issue has moved on): it is done
        // when the issue is in the status named, or where this transition last took it.
        if (status && sameName(status, input.transition)) return { status, changed: false };
        const last = await readTransitionRecord(input.issueKey);
        if (status && last && sameName(last.transition, input.transition) && sameName(last.to, status))
          return { status, changed: false };
        throw new JiraTransitionNotFoundError(
          input.issueKey,
          input.transition,
          status,
          transitions.map((t) => t.name ?? '').filter((n) => n.length > 0),
        );
      }
      const to = match.to?.name;
      // Already where the transition leads (a retry, or a re-run with the same outcome): moving it again
      // would run the transition's post-functions and notifications twice.
      if (to !== undefined && status && sameName(status, to)) return { status, changed: false };
      if (to !== undefined) {
        // Recorded before the move, so that a move whose answer was lost is still recognised.
        await write(`set property of ${input.issueKey}`, () =>
          client.issueProperties.setIssueProperty({
            issueIdOrKey: input.issueKey,
            propertyKey: TRANSITION_PROPERTY,
            propertyValue: { transition: input.transition, to },
          }),
        );
      }
      await write(`transition ${input.issueKey}`, () =>
        client.issues.doTransition({ issueIdOrKey: input.issueKey, transition: { id: match.id } }),
      );
      return { status: to, changed: true };
    },

    async ensureBug(input: EnsureBugInput): Promise<EnsureBugResult> {
      const label = bugLabelFor(input.fingerprint);
      let bug = await findBug(input, label);
      let created = false;
      if (!bug) {
        // Marked before the create: if the answer is lost (a crash, a dropped connection), the retry knows a
        // Bug may exist that search does not show yet, and waits for it instead of filing a second one.
        if (input.scenarioKey) await recordBug(input.scenarioKey, input.fingerprint, BUG_PENDING);
        const summary = input.summary.replace(/\s+/g, ' ').trim().slice(0, MAX_SUMMARY);
        const answer = await write(`create issue in ${input.projectKey}`, () =>
          client.issues.createIssue({
            fields: {
              project: { key: input.projectKey },
              issuetype: { name: input.issueType ?? 'Bug' },
              summary,
              description: input.description,
              labels: [label, ...(input.labels ?? [])],
            },
          }),
        ).catch(async (error: unknown) => {
          // Refused (a required field, a permission): nothing was created, so no retry should wait for it.
          const refused =
            error instanceof JiraRequestError && error.status !== undefined && error.status < 500;
          if (refused && input.scenarioKey) await recordBug(input.scenarioKey, input.fingerprint, undefined);
          throw error;
        });
        bug = { id: answer.id, key: answer.key, fields: { attachment: [] } };
        created = true;
      }
      if (input.scenarioKey) await recordBug(input.scenarioKey, input.fingerprint, bug.key);
      const present = new Set(
        (Array.isArray(bug.fields.attachment) ? bug.fields.attachment : [])
          .map((a) => (isObject(a) && typeof a.filename === 'string' ? a.filename : ''))
          .filter((n) => n.length > 0),
      );
      const missing = (input.attachments ?? []).filter((f) => !present.has(f.filename));
      const attached = await addAttachments(bug.key, missing);
      return { key: bug.key, created, attached: attached.map((a) => a.filename) };
    },

    addAttachments,
  };
}

function toIssue(raw: unknown): JiraIssue {
  const r = isObject(raw) ? raw : {};
  return {
    id: typeof r.id === 'string' ? r.id : String(r.id ?? ''),
    key: typeof r.key === 'string' ? r.key : '',
    fields: isObject(r.fields) ? r.fields : {},
  };
}

function statusName(issue: JiraIssue): string | undefined {
  const status = issue.fields.status;
  return isObject(status) && typeof status.name === 'string' ? status.name : undefined;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Quotes a JQL value (project keys and labels are config, but quoting keeps reserved words safe). */
export function quoteJql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** True when an error from this client means "not found" (for callers that treat absence as normal). */
export function isJiraNotFound(error: unknown): boolean {
  if (error instanceof JiraRequestError) return error.status === 404;
  return readHttpFailure(error).status === 404;
}
