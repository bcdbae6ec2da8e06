/**
 * The self-contained HTML quality and privacy report and its JSON twin: per-column charts, QQ
 * plots, correlation heatmaps, score cards, privacy, sensitivity, approvals and edge cases.
 */
import { buildReportJson } from './build-report-json.js';
import type { HtmlReportInput } from './input.js';
import { renderReportData } from './render-html.js';

export { buildReportJson, REPORT_SAMPLING_DEFAULTS } from './build-report-json.js';
export { renderReportData } from './render-html.js';
export {
  reportInputFromEvaluation,
  snakeMetricName,
  type EvaluationReportContext,
} from './from-evaluation.js';
export { columnKindsFromProfile, inferColumnKind } from './column-kinds.js';
export { leakScanReport, REPORT_LEAK_LOCATIONS } from './from-leak-scan.js';
export { escapeHtml, jsonForScript } from './format.js';
export {
  ReportColumnKind,
  type HtmlReportInput,
  type ReportApproval,
  type ReportColumnMetric,
  type ReportCorrelations,
  type ReportDcr,
  type ReportDcrReference,
  type ReportGenerationPrivacy,
  type ReportLeakLocation,
  type ReportDistanceSummary,
  type ReportEdgeCase,
  type ReportGate,
  type ReportLeakScan,
  type ReportPrivacy,
  type ReportRelationship,
  type ReportSamplingOptions,
  type ReportScore,
  type ReportScores,
} from './input.js';
export {
  REPORT_DATA_VERSION,
  type CategoryData,
  type ColumnReportData,
  type CorrelationData,
  type HistogramData,
  type Jsonified,
  type QqData,
  type ReportData,
  type SensitivityRowData,
} from './report-data.js';

/** Renders the whole report as one self-contained HTML string (no network, no scripts; numbers embedded as JSON). */
export function renderHtmlReport(input: HtmlReportInput): string {
  return renderReportData(buildReportJson(input));
}
