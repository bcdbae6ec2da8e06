/**
 * The run summary: one JSON document built from a run's results, rendered as Markdown and as a
 * self-contained HTML page. Pure: the activity reads the artifacts and writes the three files.
 */

/** One stage's timing. */
export interface ReportTiming {
  stage: string;
  ms: number;
}

/** One field of the sensitivity report, as shown in the summary. */
export interface ReportField {
  column: string;
  kind: string;
  confidence: number;
  sensitive: boolean;
  reasons: string[];
  overriddenBy?: string;
}

/** One approval decision. */
export interface ReportApproval {
  gate: string;
  decision: string;
  by: string;
  at: string;
  outcome: string;
  comment?: string;
  reason?: string;
}

/** The run summary document (report.json). */
export interface RunReport {
  runKey: string;
  runName?: string;
  source: string;
  sampleRows: number;
  syntheticRows: number;
  seed: number;
  timings: ReportTiming[];
  totalMs: number;
  sensitivity: ReportField[];
  quality: {
    score: number;
    exactCopies: number;
    rowsChecked: number;
    columns: { column: string; metric: string; score: number }[];
  };
  /** Privacy work done while generating (absent in reports of runs from before it was counted). */
  generation?: GenerationPrivacy;
  /** The evaluate stage's privacy findings and the privacy gate (absent in runs from before the gate). */
  privacy?: RunPrivacy;
  /** Distance to closest record with its real-vs-real reference (absent for tiny samples). */
  dcr?: RunDcr;
  /** Per target: rows it holds from this run, and (runs since per-target reports) loaded, skipped, failed, time, error. */
  loads: ReportLoad[];
  approvals: ReportApproval[];
  /** The test stages: one row per generated test, and where results were reported (runs with `tests`). */
  tests?: ReportTests;
  /** Relational runs: every table, parents first, and the set's integrity. */
  relational?: ReportRelational;
  continuedAsNew: number;
  artifacts: Record<string, string>;
}

/** The tables of a relational run, as the report shows them. */
export interface ReportRelational {
  tables: {
    table: string;
    sampleRows: number;
    syntheticRows: number;
    /** Overall quality of the table's data columns (absent for a table that got no rows). */
    qualityScore?: number;
    exactCopies: number;
    /** The table's own evaluation report. */
    evaluationHtml?: string;
  }[];
  /** Share of synthetic references that find their parent. */
  referentialIntegrity?: number;
  /** Synthetic rows repeating a primary key. */
  duplicateKeys?: number;
  /** Mean children-per-parent KSComplement over the foreign keys. */
  cardinalityScore?: number;
}

function relationalSummary(rel: ReportRelational): string {
  const parts = [];
  if (rel.referentialIntegrity !== undefined)
    parts.push(`referential integrity ${pct(rel.referentialIntegrity)}`);
  if (rel.duplicateKeys !== undefined) parts.push(`${rel.duplicateKeys} repeated primary keys`);
  if (rel.cardinalityScore !== undefined) parts.push(`children per parent ${pct(rel.cardinalityScore)}`);
  return parts.length === 0 ? '' : `${parts.join('; ')}.`;
}

function relationalRows(rel: ReportRelational): string[][] {
  return rel.tables.map((t) => [
    t.table,
    String(t.sampleRows),
    String(t.syntheticRows),
    t.qualityScore === undefined ? 'n/a' : pct(t.qualityScore),
    String(t.exactCopies),
    t.evaluationHtml ?? '',
  ]);
}

const RELATIONAL_HEAD = ['table', 'sample rows', 'synthetic rows', 'quality', 'exact copies', 'evaluation'];

/** The test stages of a run, as the report shows them. */
export interface ReportTests {
  scenarios: number;
  rows: {
    scenario: string;
    title: string;
    framework: string;
    outcome: string;
    durationMs: number;
    /** The failing step, or why the test was skipped. */
    detail?: string;
    screenshot?: string;
  }[];
  bugs?: string[];
  /** Jira writes that failed. */
  jiraFailures?: string[];
  confluencePageUrl?: string;
}

function testCounts(t: ReportTests): string {
  const count = (o: string) => t.rows.filter((r) => r.outcome === o).length;
  return `${t.rows.length} tests from ${t.scenarios} scenarios: ${count('passed')} passed, ${count('failed')} failed, ${count('error')} errors, ${count('skipped')} skipped`;
}

function testNotes(t: ReportTests): string[] {
  const notes: string[] = [];
  if (t.bugs?.length) notes.push(`Jira Bugs: ${t.bugs.join(', ')}`);
  if (t.jiraFailures?.length) notes.push(`Jira writes that failed: ${t.jiraFailures.join('; ')}`);
  if (t.confluencePageUrl) notes.push(`Confluence page: ${t.confluencePageUrl}`);
  return notes;
}

/** What generation did so that no output row copies a sample row and no sensitive cell carries a sample value. */
export interface GenerationPrivacy {
  /** Rows resampled because they equalled a sample row. */
  resampledCopies: number;
  /** Sensitive cells (fakes, sensitive keys, replaced rows) redrawn because they equalled a sample value. */
  sensitiveRedraws: number;
  /** Sensitive cells still equal to a sample value after every redraw (0 unless a value space is tiny). */
  sensitiveSampleValues: number;
}

/** One failed threshold of the privacy gate. */
export interface RunPrivacyFailure {
  metric: string;
  value: number | null;
  threshold: number;
}

/** What the evaluate stage found about privacy, and the gate's verdict. */
export interface RunPrivacy {
  /** SDMetrics NewRowSynthesis match rate of the evaluated rows (non-sensitive columns, numbers within 1 %). */
  exactCopyRate?: number;
  /** Sensitive sample values the leak scan found, and the synthetic rows it scanned. */
  leaks?: number;
  leakRowsScanned?: number;
  gate?: { passed: boolean; failures: RunPrivacyFailure[] };
}

/** Distance to closest record: synthetic rows against the sample, held-out real rows against the rest of it. */
export interface RunDcr {
  median: number | null;
  p05: number | null;
  zeroShare: number | null;
  holdoutMedian: number | null;
  holdoutP05: number | null;
  holdoutZeroShare: number | null;
  medianRatio: number | null;
  syntheticRows: number;
  holdoutRows: number;
  columns: number;
}

const figure = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(4));
const share = (x: number | null | undefined) =>
  x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`;

/** One line per failed threshold, e.g. `maxLeaks: measured 2, threshold 0`. */
export function describePrivacyFailure(f: RunPrivacyFailure): string {
  const value = f.value === null ? 'not computed' : `measured ${Number(f.value.toPrecision(6))}`;
  return `${f.metric}: ${value}, threshold ${f.threshold}`;
}

/** The privacy summary as sentences (no data values: counts, shares and thresholds only). */
function privacyLines(r: RunReport): string[] {
  const lines: string[] = [];
  const p = r.privacy;
  if (p?.gate) {
    lines.push(
      p.gate.passed
        ? 'Privacy gate: passed.'
        : `Privacy gate: blocked (${p.gate.failures.map(describePrivacyFailure).join('; ')}); the run waited for a decision before loading.`,
    );
  }
  lines.push(
    `Exact copies of sample rows: ${r.quality.exactCopies} of ${r.quality.rowsChecked} synthetic rows (every column, every row)` +
      (p?.exactCopyRate === undefined
        ? '.'
        : `; NewRowSynthesis match rate of the evaluated rows: ${share(p.exactCopyRate)}.`),
  );
  if (p?.leaks !== undefined)
    lines.push(
      `Sensitive-value leak scan: ${p.leaks} leak(s) in ${p.leakRowsScanned ?? 'n/a'} synthetic rows scanned (every column, free text included; locations in the evaluation report).`,
    );
  if (r.generation)
    lines.push(
      `Sensitive values redrawn during generation: ${r.generation.sensitiveRedraws}; still equal to a sample value: ${r.generation.sensitiveSampleValues}.`,
    );
  if (r.dcr)
    lines.push(
      `Distance to closest record: median ratio (synthetic / real) ${figure(r.dcr.medianRatio)} over ${r.dcr.columns} columns.`,
    );
  return lines;
}

/** The DCR rows of the report: synthetic against the sample, holdout (real) against the rest of it. */
function dcrRows(dcr: RunDcr): string[][] {
  return [
    [`synthetic rows (${dcr.syntheticRows})`, figure(dcr.median), figure(dcr.p05), share(dcr.zeroShare)],
    [
      `holdout real rows (${dcr.holdoutRows})`,
      figure(dcr.holdoutMedian),
      figure(dcr.holdoutP05),
      share(dcr.holdoutZeroShare),
    ],
  ];
}

const DCR_HEAD = ['rows', 'median', '5th percentile', 'at distance 0'];
const DCR_NOTE =
  'Distance to closest record: mean Gower distance (0..1) over the non-sensitive, non-key columns from each row to its nearest sample row. Synthetic rows about as far from the sample as held-out real rows (median ratio near 1) have not memorised records.';

/** One sentence on {@link GenerationPrivacy}. */
function generationSentence(g: GenerationPrivacy): string {
  return (
    `In generation, ${g.resampledCopies} row(s) were resampled for copying a sample row and ` +
    `${g.sensitiveRedraws} sensitive value(s) were redrawn for equalling a sample value; ` +
    `${g.sensitiveSampleValues} sensitive value(s) still equal one.`
  );
}

/** One target of the distribute stage in the run summary. */
export interface ReportLoad {
  target: string;
  rows: number;
  loaded?: number;
  /** Rows an earlier attempt had already committed. */
  skipped?: number;
  /** Rows the target refused. */
  failed?: number;
  durationMs?: number;
  /** Why the target failed (the others were still loaded). */
  error?: string;
}

/** Loaded, skipped, failed and time of a target, or its error. */
function loadDetail(l: ReportLoad): string {
  if (l.error !== undefined) return `FAILED: ${l.error}`;
  if (l.loaded === undefined) return '';
  const time = l.durationMs === undefined ? '' : `, ${(l.durationMs / 1000).toFixed(1)} s`;
  return `loaded ${l.loaded}, skipped ${l.skipped ?? 0}, failed ${l.failed ?? 0}${time}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Renders the summary as Markdown. */
export function renderMarkdown(r: RunReport): string {
  const lines: string[] = [];
  lines.push(`# Understudy run ${r.runName ?? r.runKey}`, '');
  lines.push(`- Source: \`${r.source}\` (${r.sampleRows} sample rows)`);
  lines.push(`- Synthetic rows: ${r.syntheticRows} (seed ${r.seed})`);
  lines.push(
    `- Quality score: ${pct(r.quality.score)}; exact copies of sample rows: ${r.quality.exactCopies} of ${r.quality.rowsChecked} checked`,
  );
  if (r.generation) lines.push(`- ${generationSentence(r.generation)}`);
  const evaluation = evaluationLinks(r);
  if (evaluation)
    lines.push(
      `- Evaluation report (quality, privacy, charts): \`${evaluation.html}\`${evaluation.json ? ` (JSON: \`${evaluation.json}\`)` : ''}`,
    );
  if (r.privacy?.gate)
    lines.push(
      `- Privacy gate: ${r.privacy.gate.passed ? 'passed' : `blocked by ${r.privacy.gate.failures.length} threshold(s)`}`,
    );
  lines.push(`- Total time: ${secs(r.totalMs)}; continued as new ${r.continuedAsNew} time(s)`, '');
  lines.push('## Stage timings', '', '| stage | time |', '| --- | ---: |');
  for (const t of r.timings) lines.push(`| ${t.stage} | ${secs(t.ms)} |`);
  lines.push(
    '',
    '## Sensitive fields',
    '',
    '| column | kind | confidence | sensitive | why |',
    '| --- | --- | ---: | :---: | --- |',
  );
  for (const f of r.sensitivity) {
    const why = f.reasons.join('; ') + (f.overriddenBy ? ` (override by ${f.overriddenBy})` : '');
    lines.push(
      `| ${esc(f.column)} | ${f.kind} | ${f.confidence.toFixed(2)} | ${f.sensitive ? 'yes' : 'no'} | ${esc(why)} |`,
    );
  }
  if (r.relational) {
    lines.push('', '## Tables', '', relationalSummary(r.relational), '');
    lines.push(`| ${RELATIONAL_HEAD.join(' | ')} |`, '| --- | ---: | ---: | ---: | ---: | --- |');
    for (const cells of relationalRows(r.relational))
      lines.push(`| ${cells.map((c, i) => (i === 5 && c ? `\`${esc(c)}\`` : esc(c))).join(' | ')} |`);
  }
  lines.push('', '## Column quality', '', '| column | metric | score |', '| --- | --- | ---: |');
  for (const c of r.quality.columns) lines.push(`| ${esc(c.column)} | ${c.metric} | ${pct(c.score)} |`);
  lines.push('', '## Privacy', '');
  for (const l of privacyLines(r)) lines.push(`- ${l}`);
  if (r.dcr) {
    lines.push('', '## Privacy: distance to closest record', '', DCR_NOTE, '');
    lines.push(`| ${DCR_HEAD.join(' | ')} |`, '| --- | ---: | ---: | ---: |');
    for (const cells of dcrRows(r.dcr)) lines.push(`| ${cells.join(' | ')} |`);
    lines.push(
      '',
      `Median ratio (synthetic / holdout): ${figure(r.dcr.medianRatio)}; columns compared: ${r.dcr.columns}.`,
    );
  }
  lines.push('', '## Loads', '', '| target | rows | detail |', '| --- | ---: | --- |');
  for (const l of r.loads) lines.push(`| ${esc(l.target)} | ${l.rows} | ${loadDetail(l)} |`);
  if (r.tests) {
    lines.push('', '## Tests', '', testCounts(r.tests), '');
    for (const note of testNotes(r.tests)) lines.push(`- ${note}`);
    lines.push('| scenario | framework | outcome | time | detail |', '| --- | --- | --- | ---: | --- |');
    for (const t of r.tests.rows) {
      lines.push(
        `| ${esc(`${t.scenario} ${t.title}`)} | ${t.framework} | ${t.outcome} | ${secs(t.durationMs)} | ${esc(t.detail ?? '')}${t.screenshot ? ` (screenshot \`${esc(t.screenshot)}\`)` : ''} |`,
      );
    }
  }
  lines.push(
    '',
    '## Approvals',
    '',
    '| gate | decision | by | at | outcome | note |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const a of r.approvals) {
    lines.push(
      `| ${a.gate} | ${a.decision} | ${esc(a.by)} | ${a.at} | ${a.outcome} | ${esc(a.comment ?? a.reason ?? '')} |`,
    );
  }
  lines.push('', '## Artifacts', '');
  for (const [k, v] of Object.entries(r.artifacts)) lines.push(`- ${k}: \`${v}\``);
  return lines.join('\n') + '\n';
}

/** Renders the summary as a self-contained HTML page (no scripts, no external assets). */
export function renderHtml(r: RunReport): string {
  const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map(row).join('')}</tbody></table>`;
  const bar = (x: number) =>
    `<span class="bar"><span style="width:${(x * 100).toFixed(1)}%"></span></span> ${pct(x)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Understudy run ${html(r.runName ?? r.runKey)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}
.kpi{display:inline-block;margin:0 1.5em 1em 0}.kpi b{display:block;font-size:1.6em}
.bar{display:inline-block;width:120px;height:8px;background:#eee;vertical-align:middle}.bar span{display:block;height:8px;background:#2a7}
.yes{color:#b00;font-weight:bold}
</style></head><body>
<h1>Understudy run ${html(r.runName ?? r.runKey)}</h1>
<div><span class="kpi"><b>${r.syntheticRows}</b>synthetic rows</span><span class="kpi"><b>${pct(r.quality.score)}</b>quality score</span>
<span class="kpi"><b>${r.quality.exactCopies}</b>exact copies</span><span class="kpi"><b>${secs(r.totalMs)}</b>total time</span></div>
<p>Source <code>${html(r.source)}</code>, ${r.sampleRows} sample rows, seed ${r.seed}.</p>${r.generation ? `\n<p>${generationSentence(r.generation)}</p>` : ''}${evaluationParagraph(r)}
<h2>Stage timings</h2>${table(
    ['stage', 'time'],
    r.timings.map((t) => [t.stage, secs(t.ms)]),
  )}
<h2>Sensitive fields</h2>${table(
    ['column', 'kind', 'confidence', 'sensitive', 'why'],
    r.sensitivity.map((f) => [
      html(f.column),
      f.kind,
      f.confidence.toFixed(2),
      f.sensitive ? '<span class="yes">yes</span>' : 'no',
      html(f.reasons.join('; ') + (f.overriddenBy ? ` (override by ${f.overriddenBy})` : '')),
    ]),
  )}${
    r.relational
      ? `
<h2>Tables</h2><p>${html(relationalSummary(r.relational))}</p>${table(
          RELATIONAL_HEAD,
          relationalRows(r.relational).map((cells) =>
            cells.map((c, i) => (i === 5 && c ? `<code>${html(c)}</code>` : html(c))),
          ),
        )}`
      : ''
  }
<h2>Column quality</h2>${table(
    ['column', 'metric', 'score'],
    r.quality.columns.map((c) => [html(c.column), c.metric, bar(c.score)]),
  )}
<h2>Privacy</h2><ul>${privacyLines(r)
    .map((l) => `<li>${html(l)}</li>`)
    .join('')}</ul>${
    r.dcr
      ? `\n<h2>Privacy: distance to closest record</h2><p>${DCR_NOTE}</p>${table(DCR_HEAD, dcrRows(r.dcr))}` +
        `<p>Median ratio (synthetic / holdout): ${figure(r.dcr.medianRatio)}; columns compared: ${r.dcr.columns}.</p>`
      : ''
  }
<h2>Loads</h2>${table(
    ['target', 'rows', 'detail'],
    r.loads.map((l) => [html(l.target), String(l.rows), html(loadDetail(l))]),
  )}
${
  r.tests
    ? `<h2>Tests</h2><p>${html(testCounts(r.tests))}</p>${testNotes(r.tests)
        .map((n) => `<p>${html(n)}</p>`)
        .join('')}${table(
        ['scenario', 'framework', 'outcome', 'time', 'detail'],
        r.tests.rows.map((t) => [
          html(`${t.scenario} ${t.title}`),
          t.framework,
          t.outcome === 'passed' ? 'passed' : `<span class="yes">${html(t.outcome)}</span>`,
          secs(t.durationMs),
          html(t.detail ?? '') + (t.screenshot ? ` <code>${html(t.screenshot)}</code>` : ''),
        ]),
      )}`
    : ''
}
<h2>Approvals</h2>${table(
    ['gate', 'decision', 'by', 'at', 'outcome', 'note'],
    r.approvals.map((a) => [
      a.gate,
      a.decision,
      html(a.by),
      a.at,
      a.outcome,
      html(a.comment ?? a.reason ?? ''),
    ]),
  )}
<h2>Artifacts</h2><ul>${Object.entries(r.artifacts)
    .map(([k, v]) => `<li>${html(k)}: <code>${html(v)}</code></li>`)
    .join('')}</ul>
</body></html>
`;
}

/** The run's evaluation report artifacts, when it has them. */
function evaluationLinks(r: RunReport): { html: string; json?: string } | undefined {
  const page = r.artifacts.evaluationHtml;
  if (page === undefined) return undefined;
  return { html: page, ...(r.artifacts.evaluationJson ? { json: r.artifacts.evaluationJson } : {}) };
}

/** A link to the evaluation report, which the run writes next to this page. */
function evaluationParagraph(r: RunReport): string {
  const links = evaluationLinks(r);
  if (!links) return '';
  const name = links.html.split('/').pop() ?? links.html;
  return `\n<p>Evaluation report (quality, privacy, charts): <a href="${html(name)}">${html(name)}</a> <code>${html(links.html)}</code></p>`;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
