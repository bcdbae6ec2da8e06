/**
 * `understudy classify --input FILE [--json]`: the sensitivity report of one file, with the same
 * classifiers the pipeline's classify stage uses (plus Confluence and Bedrock when configured in the
 * environment).
 */
import path from 'node:path';
import type { ExternalClassifier, SensitivityReport } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { classifyWithOutsideHelp } from '../../integrations/classify-with-outside.js';
import { detectFormat, readTableFile, validateSourceFile } from '../../integrations/tabular/index.js';

/** One field as `classify --json` prints it. */
export interface ClassifiedField {
  name: string;
  sensitive: boolean;
  type: string;
  confidence: number;
  reasons: string[];
  /** Every classifier's evidence (classifier, kind, score, reason, cited source). */
  contributions: NonNullable<SensitivityReport['fields'][number]['contributions']>;
}

/** The JSON document `classify --json` prints. */
export function classificationJson(report: SensitivityReport): {
  threshold: number;
  fields: ClassifiedField[];
} {
  return {
    threshold: report.threshold,
    fields: report.fields.map((f) => ({
      name: f.column,
      sensitive: f.sensitive,
      type: f.kind,
      confidence: f.confidence,
      reasons: f.reasons,
      contributions: f.contributions ?? [],
    })),
  };
}

/** Runs the command; `classifiers` are the outside classifiers configured for this process. */
export async function classifyCommand(
  opts: { input: string; json?: boolean; threshold?: number },
  classifiers: readonly ExternalClassifier[] = [],
): Promise<void> {
  const format = detectFormat(opts.input);
  await validateSourceFile(opts.input, format, { displayName: opts.input });
  const table = await readTableFile(opts.input, format, { displayName: opts.input });
  const report = await classifyWithOutsideHelp(table, profileTable(table), {
    tableName: path.basename(opts.input, path.extname(opts.input)),
    classifiers,
    ...(opts.threshold === undefined ? {} : { threshold: opts.threshold }),
  });
  if (opts.json) {
    console.log(JSON.stringify(classificationJson(report), null, 2));
    return;
  }
  console.log(
    `${opts.input}: ${table.rowCount} rows, ${table.columns.length} columns, threshold ${report.threshold}\n`,
  );
  console.table(
    report.fields.map((f) => ({
      column: f.column,
      sensitive: f.sensitive ? 'yes' : '',
      type: f.kind,
      confidence: f.confidence.toFixed(2),
      reason: f.reasons[0] ?? '',
    })),
  );
}
