/**
 * Classification with outside help: the local classifiers first, then every configured outside
 * classifier (a Confluence data dictionary, an LLM on Bedrock) asked once for all fields, and their
 * contributions folded into each field's confidence. Only column names, types and masked example
 * shapes leave the process (core/pii/llm-masking.ts).
 */
import {
  classifyTable,
  reclassifyField,
  type ClassifierContribution,
  type ExternalClassifier,
  type FieldContext,
  type SensitivityReport,
} from '../core/pii/index.js';
import { maskedExamplesOf } from '../core/pii/llm-masking.js';
import type { DatasetProfile } from '../core/profile/index.js';
import type { Table } from '../core/table.js';

/** How many masked example shapes per column an outside classifier sees. */
const MASKED_EXAMPLES_PER_COLUMN = 5;

/** Options of {@link classifyWithOutsideHelp}. */
export interface OutsideHelpOptions {
  /** The table's name, for data-dictionary lookups (e.g. the source file's base name). */
  tableName: string;
  classifiers: readonly ExternalClassifier[];
  /** Sensitive when the combined confidence is above this. @default 0.7 */
  threshold?: number;
}

/** The sensitivity report of `table`, with every outside classifier's evidence combined into it. */
export async function classifyWithOutsideHelp(
  table: Table,
  profile: DatasetProfile,
  options: OutsideHelpOptions,
): Promise<SensitivityReport> {
  const local = classifyTable(
    table,
    profile,
    options.threshold === undefined ? {} : { threshold: options.threshold },
  );
  if (options.classifiers.length === 0) return local;
  const contexts: FieldContext[] = table.columns.map((c) => ({
    table: options.tableName,
    column: c.name,
    physicalType: c.type,
    maskedExamples: maskedExamplesOf(c.values, MASKED_EXAMPLES_PER_COLUMN),
  }));
  const extra = new Map<string, ClassifierContribution[]>();
  // One classifier after the other: each answers for all fields in its own batches.
  for (const classifier of options.classifiers) {
    const answers = await classifier.classify(contexts);
    for (const [column, contributions] of answers) {
      extra.set(column, [...(extra.get(column) ?? []), ...contributions]);
    }
  }
  return {
    ...local,
    fields: local.fields.map((f) => reclassifyField(f, extra.get(f.column) ?? [], local.threshold)),
  };
}
