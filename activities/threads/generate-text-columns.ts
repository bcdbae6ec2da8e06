/**
 * The `generate_text` replacement step of a chunk: for each such column, one request to the worker's
 * free-text generator (Bedrock when configured, else the local lorem generator) with each row's
 * non-sensitive fields as context; the generator batches, caches identical prompts, retries throttling
 * and counts tokens and cost. Nulls stay null.
 */
import type { ReplacementPlan, StrategyOf } from '../../core/replace/index.js';
import type { TableModel } from '../../core/synthesizer/index.js';
import type { CellValue, Table } from '../../core/table.js';
import type { BedrockUsage, FreeTextGenerator } from '../../integrations/bedrock/index.js';

/** Calls, tokens and cost one chunk's text generation took. */
export interface TextGenerationUsage {
  generator: 'bedrock' | 'local';
  texts: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheHits: number;
  /** Undefined when the model's price is not known. */
  costUsd: number | undefined;
}

/** The columns a plan has the worker write, with their strategies. */
export function textGenerationColumns(
  plan: ReplacementPlan | undefined,
): [string, StrategyOf<'generate_text'>][] {
  return Object.entries(plan ?? {}).flatMap(([column, s]) =>
    s.strategy === 'generate_text' ? [[column, s] as [string, StrategyOf<'generate_text'>]] : [],
  );
}

/** The columns sent as context by default: what the model synthesizes jointly (never fakes, keys or free text). */
export function defaultContextColumns(model: TableModel): string[] {
  return model.columns
    .filter((c) => c.kind === 'numeric' || c.kind === 'datetime' || c.kind === 'categorical')
    .map((c) => c.name);
}

/** Rewrites the plan's generate_text columns of `table` in place; returns what it took (undefined when none). */
export async function generateTextColumns(
  table: Table,
  plan: ReplacementPlan | undefined,
  model: TableModel,
  generator: FreeTextGenerator,
  startRow: number,
): Promise<TextGenerationUsage | undefined> {
  const columns = textGenerationColumns(plan);
  if (columns.length === 0) return undefined;
  const before = generator.usage();
  let texts = 0;
  for (const [name, strategy] of columns) {
    const target = table.columns.find((c) => c.name === name);
    if (target === undefined) continue;
    const contextNames = strategy.context ?? defaultContextColumns(model);
    const context = contextNames.flatMap((n) => table.columns.filter((c) => c.name === n));
    const rows: number[] = [];
    target.values.forEach((v, i) => v !== null && rows.push(i));
    if (rows.length === 0) continue;
    const { minLength, maxLength, meanLength } = lengthsOf(model, name, target.values);
    const written = await generator.generate({
      table: 'synthetic',
      column: name,
      minLength,
      maxLength,
      meanLength,
      ...(strategy.description === undefined ? {} : { description: strategy.description }),
      rows: rows.map((i) => Object.fromEntries(context.map((c) => [c.name, c.values[i] ?? null]))),
      seed: startRow,
    });
    rows.forEach((i, k) => (target.values[i] = written[k] ?? null));
    texts += rows.length;
  }
  return usageDelta(generator.name, before, generator.usage(), texts);
}

/** Length range of the column: the model's statistics of the sample when it has them, else the synthetic cells'. */
function lengthsOf(
  model: TableModel,
  name: string,
  values: readonly CellValue[],
): { minLength: number; maxLength: number; meanLength: number } {
  const column = model.columns.find((c) => c.name === name);
  const stats = column && 'length' in column ? column.length : null;
  if (stats) return { minLength: stats.min, maxLength: stats.max, meanLength: stats.mean };
  let min = Infinity;
  let max = 0;
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    const length = String(v).length;
    min = Math.min(min, length);
    max = Math.max(max, length);
    sum += length;
    n++;
  }
  return n === 0
    ? { minLength: 0, maxLength: 200, meanLength: 80 }
    : { minLength: min, maxLength: max, meanLength: sum / n };
}

function usageDelta(
  generator: 'bedrock' | 'local',
  before: BedrockUsage,
  after: BedrockUsage,
  texts: number,
): TextGenerationUsage {
  return {
    generator,
    texts,
    calls: after.calls - before.calls,
    inputTokens: after.inputTokens - before.inputTokens,
    outputTokens: after.outputTokens - before.outputTokens,
    cacheHits: after.cacheHits - before.cacheHits,
    costUsd: after.costUsd === undefined ? undefined : after.costUsd - (before.costUsd ?? 0),
  };
}
