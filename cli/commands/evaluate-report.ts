/**
 * `understudy evaluate … --html OUT`: the full evaluation (core/evaluation: SDMetrics-compatible
 * quality, diagnostics, statistical tests, privacy) written as one self-contained HTML report, with the
 * same numbers as JSON next to it (`OUT` with `.json`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';
import {
  evaluateSynthetic,
  resolveColumns,
  type EvaluationMetadata,
  type EvaluationResult,
} from '../../core/evaluation/index.js';
import type { SensitivityReport } from '../../core/pii/index.js';
import {
  buildReportJson,
  renderHtmlReport,
  reportInputFromEvaluation,
} from '../../core/report-html/index.js';
import type { Table } from '../../core/table.js';

/** Reads `--metadata FILE`: `{"columns":{"age":{"sdtype":"numerical"},…},"primaryKey":"id"}`. */
export async function readEvaluationMetadata(file: string): Promise<EvaluationMetadata> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ConfigError(`${file}: not a readable JSON file`, '--metadata');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { columns?: unknown }).columns !== 'object'
  )
    throw new ConfigError(`${file}: expected an object with "columns"`, '--metadata.columns');
  return parsed as EvaluationMetadata;
}

/** Evaluates `synthetic` against `real` (and `holdout` when given) and writes the HTML and JSON reports. */
export async function writeEvaluationReport(opts: {
  real: Table;
  synthetic: Table;
  holdout?: Table;
  metadata?: EvaluationMetadata;
  html: string;
  title: string;
  /** The real table's sensitivity report (the caller has it already). */
  sensitivity: SensitivityReport;
  /** Also score columns classified as sensitive (faked by design, so their shapes differ on purpose). */
  allColumns?: boolean;
}): Promise<{ result: EvaluationResult; jsonPath: string }> {
  const metadata =
    opts.metadata ?? (opts.allColumns ? undefined : withoutSensitiveColumns(opts.real, opts.sensitivity));
  const result = evaluateSynthetic({
    real: opts.real,
    synthetic: opts.synthetic,
    ...(opts.holdout ? { holdout: opts.holdout } : {}),
    ...(metadata ? { metadata } : {}),
  });
  const input = reportInputFromEvaluation(result, {
    title: opts.title,
    generatedAt: new Date().toISOString(),
    real: opts.real,
    synthetic: opts.synthetic,
    sensitivity: opts.sensitivity,
  });
  const jsonPath = opts.html.replace(/\.html?$/i, '') + '.json';
  await writeFile(opts.html, renderHtmlReport(input));
  await writeFile(jsonPath, `${JSON.stringify(buildReportJson(input), null, 2)}\n`);
  return { result, jsonPath: path.resolve(jsonPath) };
}

/** Inferred metadata without the sensitive columns, which the pipeline replaces by fakes on purpose. */
function withoutSensitiveColumns(real: Table, sensitivity: SensitivityReport): EvaluationMetadata {
  const sensitive = new Set(sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column));
  const columns: EvaluationMetadata['columns'] = {};
  for (const c of resolveColumns(real)) if (!sensitive.has(c.name)) columns[c.name] = { sdtype: c.sdtype };
  return { columns };
}
