/** Stage report: the run summary as JSON, Markdown and HTML artifacts. */
import type { SensitivityReport } from '../core/pii/index.js';
import type { QualityReport } from '../core/quality/index.js';
import {
  renderHtml,
  renderMarkdown,
  type ReportRelational,
  type ReportTests,
  type RunReport,
} from '../core/report/run-report.js';
import type { TestResult } from '../core/testing/index.js';
import type { ApprovalAuditEntry, StageResults, StageTiming } from '../workflows/pipeline/contract.js';
import type { ActivityDeps } from './deps.js';
import type { TestManifest } from './test-stages.js';
import { runArtifact } from './paths.js';
import { readJsonArtifact } from './sample-cache.js';

/** Input of writeRunReport. */
export interface WriteRunReportInput {
  runKey: string;
  runName?: string;
  /** The run config (relational runs have `relational` instead of `source` and `rows`). */
  config: {
    source?: { uri: string };
    rows?: number;
    relational?: { metadata: string };
    seed?: number;
    chunkSize?: number;
  };
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

  /** The test stages' rows: every generated test with its outcome, failing step or skip reason. */
  async function testsSection(r: StageResults): Promise<ReportTests | undefined> {
    if (!r.testsManifestUri || !r.testResultsUri) return undefined;
    const manifest = await readJsonArtifact<TestManifest>(store, r.testsManifestUri);
    const results = await readJsonArtifact<TestResult[]>(store, r.testResultsUri);
    const titles = new Map(manifest.scenarios.map((s) => [s.id, s.title]));
    const skipReasons = new Map(manifest.tests.map((t) => [t.testCase.id, t.skipReason]));
    return {
      scenarios: manifest.scenarios.length,
      rows: results.map((t) => {
        const detail = t.failedStep ?? skipReasons.get(t.testId) ?? t.message;
        return {
          scenario: t.scenarioId,
          title: titles.get(t.scenarioId) ?? '',
          framework: t.framework,
          outcome: t.outcome,
          durationMs: t.durationMs,
          ...(detail !== undefined ? { detail: detail.slice(0, 300) } : {}),
          ...(t.screenshotFile ? { screenshot: t.screenshotFile } : {}),
        };
      }),
      ...(r.tests?.bugs?.length ? { bugs: r.tests.bugs } : {}),
      ...(r.tests?.jiraFailures?.length ? { jiraFailures: r.tests.jiraFailures } : {}),
      ...(r.tests?.confluencePageUrl ? { confluencePageUrl: r.tests.confluencePageUrl } : {}),
    };
  }

  /** Every table's sensitivity report, its fields named `<table>.<column>` (relational runs). */
  async function relationalSensitivity(r: StageResults): Promise<SensitivityReport['fields']> {
    const rel = r.relational;
    if (!rel) return [];
    const fields: SensitivityReport['fields'] = [];
    for (const name of rel.order) {
      const uri = rel.tables[name]?.approvedSensitivityUri ?? rel.tables[name]?.sensitivityUri;
      if (!uri) continue;
      const report = await readJsonArtifact<SensitivityReport>(store, uri);
      fields.push(...report.fields.map((f) => ({ ...f, column: `${name}.${f.column}` })));
    }
    return fields;
  }

  /** Every table's column scores, named `<table>.<column>` (relational runs). */
  async function relationalColumns(r: StageResults): Promise<QualityReport['columns']> {
    const rel = r.relational;
    if (!rel) return [];
    const columns: QualityReport['columns'] = [];
    for (const name of rel.order) {
      const uri = rel.tables[name]?.qualityUri;
      if (!uri) continue;
      const quality = await readJsonArtifact<QualityReport>(store, uri);
      columns.push(...quality.columns.map((c) => ({ ...c, column: `${name}.${c.column}` })));
    }
    return columns;
  }

  /** The tables section of a relational run's report. */
  function relationalSection(r: StageResults): ReportRelational | undefined {
    const rel = r.relational;
    if (!rel) return undefined;
    return {
      tables: rel.order.map((name) => {
        const t = rel.tables[name];
        return {
          table: name,
          sampleRows: t?.sampleRows ?? 0,
          syntheticRows: t?.synthetic?.rows ?? 0,
          ...(t?.qualityScore !== undefined ? { qualityScore: t.qualityScore } : {}),
          exactCopies: t?.synthetic?.exactCopies ?? 0,
          ...(t?.evaluationHtmlUri ? { evaluationHtml: t.evaluationHtmlUri } : {}),
        };
      }),
      ...(rel.referentialIntegrity !== undefined ? { referentialIntegrity: rel.referentialIntegrity } : {}),
      ...(rel.duplicateKeys !== undefined ? { duplicateKeys: rel.duplicateKeys } : {}),
      ...(rel.cardinalityScore !== undefined ? { cardinalityScore: rel.cardinalityScore } : {}),
    };
  }

  return {
    /** Builds the run summary from the run's artifacts and writes report.json, report.md and report.html. */
    async writeRunReport(input: WriteRunReportInput): Promise<WriteRunReportOutput> {
      const r = input.results;
      const sensitivityUri = r.approvedSensitivityUri ?? r.sensitivityUri;
      const sensitivity = sensitivityUri
        ? await readJsonArtifact<SensitivityReport>(store, sensitivityUri)
        : undefined;
      const quality = r.qualityUri ? await readJsonArtifact<QualityReport>(store, r.qualityUri) : undefined;
      const relational = relationalSection(r);
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
        relationalMetadata: r.relational?.metadataUri,
        relationalIntegrity: r.relational?.integrityUri,
        synthetic: r.partsPrefix,
        quality: r.qualityUri,
        dcr: r.dcrUri,
        evaluationJson: r.evaluationJsonUri,
        evaluationHtml: r.evaluationHtmlUri,
        testsManifest: r.testsManifestUri,
        testResults: r.testResultsUri,
      })) {
        if (v) artifacts[k] = v;
      }
      const report: RunReport = {
        runKey: input.runKey,
        runName: input.runName,
        source: input.config.source?.uri ?? `relational metadata ${input.config.relational?.metadata ?? ''}`,
        sampleRows: r.sampleRows ?? 0,
        syntheticRows: input.config.rows ?? relational?.tables.reduce((n, t) => n + t.syntheticRows, 0) ?? 0,
        seed: input.config.seed ?? 42,
        timings: input.timings.map((t) => ({ stage: t.stage, ms: t.ms })),
        totalMs: input.timings.reduce((s, t) => s + t.ms, 0),
        sensitivity: (relational ? await relationalSensitivity(r) : (sensitivity?.fields ?? [])).map((f) => ({
          column: f.column,
          kind: f.kind,
          confidence: f.confidence,
          sensitive: f.sensitive,
          reasons: f.reasons,
          overriddenBy: f.override?.by,
        })),
        quality: relational
          ? {
              score: r.qualityScore ?? 0,
              exactCopies: r.synthExactCopies ?? 0,
              rowsChecked: r.synthRowsChecked ?? 0,
              columns: await relationalColumns(r),
            }
          : {
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
        loads: [...new Set([...Object.keys(r.loadedRows ?? {}), ...Object.keys(r.targetReports ?? {})])].map(
          (target) => ({ target, rows: r.loadedRows?.[target] ?? 0, ...(r.targetReports?.[target] ?? {}) }),
        ),
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
        ...(relational ? { relational } : {}),
        ...(r.evaluationJsonUri === undefined && r.privacyGate === undefined
          ? {}
          : {
              privacy: {
                exactCopyRate: r.exactCopyRate,
                leaks: r.leaks,
                leakRowsScanned: r.leakRowsScanned,
                gate: r.privacyGate,
              },
            }),
      };
      const tests = await testsSection(r);
      if (tests) report.tests = tests;
      await store.putJson(uris.reportJson, report);
      await store.putBytes(uris.reportMarkdown, renderMarkdown(report));
      await store.putBytes(uris.reportHtml, renderHtml(report));
      return { artifacts: uris };
    },
  };
}

/** The report activities. */
export type ReportActivities = ReturnType<typeof createReportActivities>;
