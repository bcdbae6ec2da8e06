/**
 * The port for classifiers that live outside the process (a Confluence data dictionary, an LLM on
 * Bedrock). core/ defines what they receive and return; integrations/ implement them; the classify
 * activity merges their contributions with the local ones.
 */
import type { PhysicalType } from '../table.js';
import type { ClassifierContribution, ClassifierName } from './types.js';

/** What an outside classifier may learn about a column: its name, type and masked examples only. */
export interface FieldContext {
  /** The table the column belongs to, for data-dictionary lookups. */
  table: string;
  column: string;
  physicalType: PhysicalType;
  /** Example values with every letter and digit masked (see core/pii/llm-masking.ts); never raw values. */
  maskedExamples: string[];
}

/** A classifier that answers for many fields at once (one search or one prompt per batch). */
export interface ExternalClassifier {
  readonly name: ClassifierName;
  /** Contributions per column name; a column it knows nothing about is absent. */
  classify(fields: readonly FieldContext[]): Promise<Map<string, ClassifierContribution[]>>;
}
