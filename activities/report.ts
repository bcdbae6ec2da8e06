/** Stage report: the run summary as JSON, Markdown and HTML artifacts. */
import type { SensitivityReport } from '../core/pii/index.js';
import type { QualityReport } from '../core/quality/index.js';
import { renderHtml, renderMarkdown, type RunReport } from '../core/report/run-report.js';
import type {
  ApprovalAuditEntry,
  DcrMetrics,
  StageResults,
  StageTiming,
} from '../workflows/pipeline/contract.js';
import type { ActivityDeps } from './deps.js';
import { runArtifact } from './paths.js';
import { readJsonArtifact } from './sample-cache.js';

/** Input of writeRunReport. */
export interface WriteRunReportInput {
  runKey: string;
  runName?: string;
  config: { source: { uri: string }; rows: number; seed?: number; chunkSize?: number };
  results: StageResults;
  timings: StageTiming[];
  approvals: ApprovalAuditEntry[];
  continuedAsNew: number;
}
/** Output of writeRunReport. */
export interface WriteRunReportOutput {
  artifacts: Record<string, string>;
}

/** Creates the report activities. */
export function createReportActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /** Builds the run summary from the run's artifacts and writes report.json, report.md and report.html. */
    async writeRunReport(input: WriteRunReportInput): Promise<WriteRunReportOutput> {
      const r = input.results;
      const sensitivityUri = r.approvedSensitivityUri ?? r.sensitivityUri;
      const sensitivity = sensitivityUri
        ? await readJsonArtifact<SensitivityReport>(store, sensitivityUri)
        : undefined;
      const quality = r.qualityUri ? await readJsonArtifact<QualityReport>(store, r.qualityUri) : undefined;
      const uris = {
        reportJson: runArtifact(store, input.runKey, 'report.json'),
        reportMarkdown: runArtifact(store, input.runKey, 'report.md'),
        reportHtml: runArtifact(store, input.runKey, 'report.html'),
      };
      const artifacts: Record<string, string> = {};
      for (const [k, v] of Object.entries({
        sample: r.sampleUri,
        profile: r.profileUri,
        sensitivity: r.sensitivityUri,
        approvedSensitivity: r.approvedSensitivityUri,
        model: r.modelUri,
        synthetic: r.partsPrefix,
        quality: r.qualityUri,
        dcr: r.dcrUri,
      })) {
        if (v) artifacts[k] = v;
      }
      const report: RunReport & { dcr?: DcrMetrics } = {
        runKey: input.runKey,
        runName: input.runName,
        source: input.config.source.uri,
        sampleRows: r.sampleRows ?? 0,
        syntheticRows: input.config.rows,
        seed: input.config.seed ?? 42,
        timings: input.timings.map((t) => ({ stage: t.stage, ms: t.ms })),
        totalMs: input.timings.reduce((s, t) => s + t.ms, 0),
        sensitivity: (sensitivity?.fields ?? []).map((f) => ({
          column: f.column,
          kind: f.kind,
          confidence: f.confidence,
          sensitive: f.sensitive,
          reasons: f.reasons,
          overriddenBy: f.override?.by,
        })),
        quality: {
          score: quality?.score ?? 0,
          exactCopies: quality?.exactCopies ?? 0,
          rowsChecked: quality?.syntheticRowsChecked ?? 0,
          columns: quality?.columns ?? [],
        },
        generation: {
          resampledCopies: r.synthResampledCopies ?? 0,
          sensitiveRedraws: r.synthSensitiveRedraws ?? 0,
          sensitiveSampleValues: r.synthSensitiveSampleValues ?? 0,
        },
        loads: Object.entries(r.loadedRows ?? {}).map(([target, rows]) => ({ target, rows })),
        approvals: input.approvals.map((a) => ({
          gate: a.gate,
          decision: a.decision,
          by: a.by,
          at: a.at,
          outcome: a.outcome,
          comment: a.comment,
          reason: a.reason,
        })),
        continuedAsNew: input.continuedAsNew,
        artifacts: { ...artifacts, ...uris },
        ...(r.dcr ? { dcr: r.dcr } : {}),
      };
      await store.putJson(uris.reportJson, report);
      await store.putBytes(uris.reportMarkdown, withDcrMarkdown(renderMarkdown(report), r.dcr));
      await store.putBytes(uris.reportHtml, withDcrHtml(renderHtml(report), r.dcr));
      return { artifacts: uris };
    },
  };
}

const figure = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
const share = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/** The DCR rows of the report: synthetic against the sample, holdout (real) against the rest of it. */
function dcrRows(dcr: DcrMetrics): string[][] {
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

const DCR_NOTE =
  'Distance to closest record: mean Gower distance (0..1) over the non-sensitive, non-key columns from each row to its nearest sample row. Synthetic rows about as far from the sample as held-out real rows (median ratio near 1) have not memorised records.';

/** Inserts the DCR section before the Loads section of the Markdown report (unchanged without DCR). */
function withDcrMarkdown(markdown: string, dcr: DcrMetrics | undefined): string {
  if (!dcr) return markdown;
  const lines = [
    '## Privacy: distance to closest record',
    '',
    DCR_NOTE,
    '',
    '| rows | median | 5th percentile | at distance 0 |',
    '| --- | ---: | ---: | ---: |',
    ...dcrRows(dcr).map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `Median ratio (synthetic / holdout): ${figure(dcr.medianRatio)}; columns compared: ${dcr.columns}.`,
    '',
    '',
  ].join('\n');
  const at = markdown.indexOf('## Loads');
  return at < 0 ? `${markdown}\n${lines}` : markdown.slice(0, at) + lines + markdown.slice(at);
}

/** Inserts the DCR section before the Loads section of the HTML report (unchanged without DCR). */
function withDcrHtml(page: string, dcr: DcrMetrics | undefined): string {
  if (!dcr) return page;
  const head = ['rows', 'median', '5th percentile', 'at distance 0'].map((h) => `<th>${h}</th>`).join('');
  const body = dcrRows(dcr)
    .map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('');
  const section =
    `<h2>Privacy: distance to closest record</h2><p>${DCR_NOTE}</p>` +
    `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>` +
    `<p>Median ratio (synthetic / holdout): ${figure(dcr.medianRatio)}; columns compared: ${dcr.columns}.</p>\n`;
  const at = page.indexOf('<h2>Loads</h2>');
  return at < 0 ? page.replace('</body>', `${section}</body>`) : page.slice(0, at) + section + page.slice(at);
}

/** The report activities. */
export type ReportActivities = ReturnType<typeof createReportActivities>;
