/**
 * The port for generating free-text values (notes, comments, descriptions) of synthetic rows:
 * Bedrock when configured, a local lorem generator otherwise.
 */
import type { CellValue } from '../../core/table.js';
import type { BedrockUsage } from './usage.js';

/** What to write: one text per row, fitting the column's length range. */
export interface FreeTextRequest {
  table: string;
  column: string;
  /** Shortest and longest text in characters (from the column profile). */
  minLength: number;
  maxLength: number;
  /** Typical length; @default the middle of the range */
  meanLength?: number;
  /** What the column holds in plain words, e.g. "support agent notes about a ticket". */
  description?: string;
  /**
   * One entry per text to write: the row's NON-sensitive fields (of the synthetic row), which
   * give the text its context. Never pass sensitive columns: they would be sent to the model.
   */
  rows: readonly Readonly<Record<string, CellValue>>[];
  /** Seed for generators that draw randomly (the local one). */
  seed?: number;
}

/** Writes free text for synthetic rows. */
export interface FreeTextGenerator {
  /** `bedrock` or `local`, for reports. */
  readonly name: 'bedrock' | 'local';
  /** Exactly `request.rows.length` texts, each within [minLength, maxLength]. */
  generate(request: FreeTextRequest): Promise<string[]>;
  /** Calls, tokens and cost so far (all zero for the local generator). */
  usage(): BedrockUsage;
}
