/**
 * The Confluence page of one run, in Confluence storage format (XHTML with `ac:` macros): what was
 * generated and how good it is, where it was loaded, and what the tests said. Pure and stable: the
 * same input gives the same bytes, so a retried publish can tell that nothing changed. Every piece
 * of text is escaped, because scenario titles and failure messages come from people and runners.
 */
import { describePrivacyFailure, type ReportLoad, type RunPrivacy } from '../report/run-report.js';
import { summarizeResults, type TestOutcome, type TestResult } from './types.js';

/** A scenario as the page links it. */
export interface RunPageScenario {
  id: string;
  title: string;
  /** Browser URL (the Jira issue); absent for scenarios from a file. */
  url?: string;
}

/** A Bug filed for a failed test. */
export interface RunPageBug {
  testId: string;
  key: string;
  url?: string;
}

/** A titled link shown under the page heading. */
export interface RunPageLink {
  title: string;
  url: string;
}

/** Input of {@link renderRunPage}; every number is computed by the caller. */
export interface RunPageInput {
  runId: string;
  runName?: string;
  /** Run report, Temporal UI and the like; only absolute http(s) URLs become links. */
  links?: readonly RunPageLink[];
  /** Quality score in 0..1, with the exact-copy count of the evaluation when known. */
  quality?: { score: number; exactCopies?: number; rowsChecked?: number };
  privacy?: RunPrivacy;
  /** Per target: loaded, skipped, failed rows and time (or the target's error). */
  loads?: readonly ReportLoad[];
  scenarios: readonly RunPageScenario[];
  results: readonly TestResult[];
  bugs?: readonly RunPageBug[];
}

/** Confluence's limit on page titles. */
const MAX_TITLE = 255;

/** Status-macro colours per outcome (Confluence's names: Grey, Red, Yellow, Green, Blue). */
const OUTCOME_COLOUR: Record<TestOutcome, string> = {
  passed: 'Green',
  failed: 'Red',
  error: 'Yellow',
  skipped: 'Grey',
};

/** The page title of a run: unique per run and the same on every retry, so publishing finds it again. */
export function runPageTitle(input: { runId: string; runName?: string }): string {
  const clean = (s: string): string => stripInvalid(s).replace(/\s+/g, ' ').trim();
  const id = clean(input.runId);
  const name = input.runName === undefined ? '' : clean(input.runName);
  const suffix = name.length > 0 ? ` (${id})` : '';
  const head = `Understudy run ${name.length > 0 ? name : id}`;
  // The run id must survive truncation: it is what keeps titles of different runs apart.
  return head.slice(0, Math.max(0, MAX_TITLE - suffix.length)) + suffix;
}

/** Renders the run page body in Confluence storage format. */
export function renderRunPage(input: RunPageInput): string {
  const parts: string[] = [];
  const name = input.runName?.trim();
  parts.push(
    p(
      `${strong('Run')} ${text(name && name.length > 0 ? name : input.runId)}` +
        (name && name.length > 0 ? ` (${code(input.runId)})` : ''),
    ),
  );
  const links = (input.links ?? []).filter((l) => safeUrl(l.url) !== undefined);
  if (links.length > 0)
    parts.push(`<ul>${links.map((l) => `<li>${link(l.url, l.title || l.url)}</li>`).join('')}</ul>`);

  parts.push(h2('Quality and privacy'), qualityTable(input));
  if (input.loads !== undefined && input.loads.length > 0)
    parts.push(h2('Data loads'), loadsTable(input.loads));
  parts.push(h2('Test results'), ...resultsSection(input));
  return parts.join('');
}

function qualityTable(input: RunPageInput): string {
  const rows: string[][] = [];
  const q = input.quality;
  if (q !== undefined) {
    rows.push([text('Quality score'), text(percent(q.score))]);
    if (q.exactCopies !== undefined && q.rowsChecked !== undefined)
      rows.push([
        text('Exact copies of sample rows'),
        text(`${count(q.exactCopies)} of ${count(q.rowsChecked)}`),
      ]);
  }
  const privacy = input.privacy;
  if (privacy?.gate !== undefined) {
    const verdict = privacy.gate.passed
      ? statusMacro('PASSED', 'Green')
      : `${statusMacro('BLOCKED', 'Red')} ${text(privacy.gate.failures.map(describePrivacyFailure).join('; '))}`;
    rows.push([text('Privacy gate'), verdict]);
  }
  if (privacy?.exactCopyRate !== undefined)
    rows.push([text('NewRowSynthesis match rate'), text(percent(privacy.exactCopyRate, 2))]);
  if (privacy?.leaks !== undefined) {
    const scanned =
      privacy.leakRowsScanned === undefined ? '' : ` in ${count(privacy.leakRowsScanned)} rows scanned`;
    rows.push([text('Sensitive-value leaks'), text(`${count(privacy.leaks)}${scanned}`)]);
  }
  if (rows.length === 0) return p(text('No quality or privacy figures for this run.'));
  return table(['Measure', 'Value'], rows);
}

function loadsTable(loads: readonly ReportLoad[]): string {
  const rows = loads.map((l) => [
    text(l.target),
    text(l.loaded === undefined ? count(l.rows) : count(l.loaded)),
    text(l.skipped === undefined ? '' : count(l.skipped)),
    text(l.failed === undefined ? '' : count(l.failed)),
    text(l.durationMs === undefined ? '' : formatMs(l.durationMs)),
    l.error === undefined
      ? statusMacro('LOADED', 'Green')
      : `${statusMacro('FAILED', 'Red')} ${text(l.error)}`,
  ]);
  return table(['Target', 'Loaded', 'Skipped', 'Failed', 'Duration', 'Status'], rows);
}

function resultsSection(input: RunPageInput): string[] {
  if (input.results.length === 0) return [p(text('No tests ran in this run.'))];
  const scenarios = new Map(input.scenarios.map((s) => [s.id, s]));
  const order = new Map(input.scenarios.map((s, i) => [s.id, i]));
  const bugs = new Map((input.bugs ?? []).map((b) => [b.testId, b]));
  // Scenario order as given, then results of scenarios the caller did not list; stable otherwise.
  const sorted = input.results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const oa = order.get(a.r.scenarioId) ?? Number.MAX_SAFE_INTEGER;
      const ob = order.get(b.r.scenarioId) ?? Number.MAX_SAFE_INTEGER;
      return oa !== ob ? oa - ob : a.i - b.i;
    })
    .map((x) => x.r);
  const rows = sorted.map((r) => {
    const scenario = scenarios.get(r.scenarioId);
    const label = scenario === undefined ? r.scenarioId : `${r.scenarioId}: ${scenario.title}`;
    const bug = bugs.get(r.testId);
    return [
      scenario?.url === undefined ? text(label) : link(scenario.url, label),
      text(r.framework),
      statusMacro(r.outcome.toUpperCase(), OUTCOME_COLOUR[r.outcome]),
      text(formatMs(r.durationMs)),
      text(r.failedStep ?? ''),
      bug === undefined ? '' : bug.url === undefined ? text(bug.key) : link(bug.url, bug.key),
    ];
  });
  const s = summarizeResults(input.results);
  const scenarioCount = new Set(input.results.map((r) => r.scenarioId)).size;
  const totals = `${strong('Totals:')} ${text(
    `${s.total} test(s) over ${scenarioCount} scenario(s): ${s.passed} passed, ${s.failed} failed, ` +
      `${s.error} error, ${s.skipped} skipped; ${formatMs(s.durationMs)} of test time.`,
  )}`;
  return [table(['Scenario', 'Framework', 'Outcome', 'Duration', 'Failed step', 'Bug'], rows), p(totals)];
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const header = `<tr>${head.map((h) => `<th>${p(text(h))}</th>`).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${p(c)}</td>`).join('')}</tr>`).join('');
  return `<table><tbody>${header}${body}</tbody></table>`;
}

function statusMacro(title: string, colour: string): string {
  return (
    '<ac:structured-macro ac:name="status" ac:schema-version="1">' +
    `<ac:parameter ac:name="colour">${text(colour)}</ac:parameter>` +
    `<ac:parameter ac:name="title">${text(title)}</ac:parameter>` +
    '</ac:structured-macro>'
  );
}

function link(url: string, label: string): string {
  const href = safeUrl(url);
  return href === undefined ? text(label) : `<a href="${text(href)}">${text(label)}</a>`;
}

/** The URL when it is absolute http(s); anything else (javascript:, data:, relative) is shown as text only. */
function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const p = (inner: string): string => `<p>${inner}</p>`;
const h2 = (title: string): string => `<h2>${text(title)}</h2>`;
const strong = (s: string): string => `<strong>${text(s)}</strong>`;
const code = (s: string): string => `<code>${text(s)}</code>`;

/** Escapes text for XHTML content and attribute values, dropping characters XML cannot carry. */
function text(s: string): string {
  return stripInvalid(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Removes characters no XML document may contain (control characters, lone surrogates, U+FFFE/U+FFFF). */
function stripInvalid(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : 'n/a';
}

function count(n: number): string {
  return Number.isFinite(n) ? String(n) : 'n/a';
}

/** `850 ms`, `12.4 s`, `3 min 5 s`. */
function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  // Rounded once, so 59.97 s reads `1 min 0 s`, never `60.0 s` or `1 min 60 s`.
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
