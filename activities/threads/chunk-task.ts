/**
 * The CPU-heavy body of one synthetic chunk: sample it, resample rows that copy a sample row, apply the
 * run's constraints and edge cases, and write the Parquet file. Runs on a worker thread (see
 * thread-pool.ts) so that chunks use every core; it reads its inputs from files, so only paths and a
 * few numbers cross the thread boundary.
 */
import { readFile } from 'node:fs/promises';
import { parseConstraints, type Constraint } from '../../core/constraints/index.js';
import { parseEdgeCaseRules, type EdgeCaseRecord } from '../../core/edge-cases/index.js';
import {
  createSampleValueGuard,
  generateChunk,
  redrawRowsWithSampleValues,
  sensitiveColumnKinds,
  type GenerateChunkOptions,
  type SampleValueGuard,
  type SampleValueGuardReport,
} from '../../core/generation/index.js';
import { deriveSeed } from '../../core/random/index.js';
import { createExactCopyDetector, type ExactCopyDetector } from '../../core/quality/index.js';
import {
  assertTableModel,
  compileRowConditions,
  type CompiledRowConditions,
  type TableModel,
} from '../../core/synthesizer/index.js';
import type { ReplacementPlan } from '../../core/replace/index.js';
import { schemaOf, type Table } from '../../core/table.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';
import type { FreeTextGenerator } from '../../integrations/bedrock/index.js';
import type { GenerationPlan } from '../synthesize.js';
import {
  generateTextColumns,
  textGenerationColumns,
  type TextGenerationUsage,
} from './generate-text-columns.js';

/** What one chunk needs: local paths and the chunk's coordinates. */
export interface ChunkTask {
  modelPath: string;
  samplePath: string;
  /** Constraints and edge-case rules, when the run has any. */
  generationPath?: string;
  outPath: string;
  seed: number;
  chunkIndex: number;
  startRow: number;
  rowCount: number;
  totalRows: number;
}

/** What one chunk produced. */
export interface ChunkTaskResult {
  rows: number;
  sha256: string;
  bytes: number;
  /** Rows still equal to a sample row after resampling. */
  exactCopies: number;
  resampledCopies: number;
  /** Sensitive cells (and replaced rows) redrawn because they equalled a sample value. */
  sensitiveRedraws: number;
  /** Sensitive cells (and replaced rows) still equal to a sample value after every redraw. */
  sensitiveSampleValues: number;
  /** Rows resampled or repaired to satisfy the constraints. */
  constraintFixes: number;
  edgeCaseRows: number;
  /** Injected edge cases, when they are tagged in a sidecar. */
  edgeCases: EdgeCaseRecord[];
  /** Texts written for generate_text columns, and the calls, tokens and cost they took. */
  textGeneration?: TextGenerationUsage;
}

/** The sample-dependent inputs of a run's chunks, parsed once per thread. */
interface RunInputs {
  model: TableModel;
  copies: ExactCopyDetector;
  /** Identifying values of the sample's sensitive columns, which no generated sensitive cell may carry. */
  sampleValues: SampleValueGuard;
  constraints: Constraint[];
  edgeCases: GenerateChunkOptions['edgeCases'];
  conditions: CompiledRowConditions | undefined;
  /** Configured replacement strategies, with their pseudonym keys from this worker's environment. */
  replace:
    | ((
        table: Table,
        startRow: number,
        seed: number,
      ) => { table: Table; sampleValues: SampleValueGuardReport })
    | undefined;
  /** Configured replacements (for the generate_text columns the worker writes). */
  replacements: ReplacementPlan | undefined;
  /** The worker's free-text generator, when a column is to be generated (Bedrock when configured). */
  textGenerator: FreeTextGenerator | undefined;
}

// A thread serves many chunks of the same run: keep the last run's parsed inputs.
let cached: { key: string; inputs: Promise<RunInputs> } | undefined;

async function runInputs(task: ChunkTask): Promise<RunInputs> {
  const [modelText, sample, planText] = await Promise.all([
    readFile(task.modelPath, 'utf8'),
    readTableFile(task.samplePath, 'parquet'),
    task.generationPath === undefined ? undefined : readFile(task.generationPath, 'utf8'),
  ]);
  const plan: GenerationPlan =
    planText === undefined ? { constraints: [], edgeCases: null } : JSON.parse(planText);
  const schema = schemaOf(sample);
  const model = assertTableModel(JSON.parse(modelText));
  const sampleValues = createSampleValueGuard(sample, sensitiveKinds(model, plan.replacements));
  return {
    model,
    conditions:
      plan.conditions === undefined || plan.conditions.length === 0
        ? undefined
        : compileRowConditions(model, plan.conditions),
    copies: createExactCopyDetector(sample),
    sampleValues,
    constraints: parseConstraints(plan.constraints, schema),
    edgeCases: plan.edgeCases
      ? { rules: parseEdgeCaseRules(plan.edgeCases.rules, schema), tag: plan.edgeCases.tag }
      : undefined,
    replace: plan.replacements === undefined ? undefined : await replacerFor(plan.replacements, sampleValues),
    replacements: plan.replacements,
    textGenerator:
      textGenerationColumns(plan.replacements).length === 0
        ? undefined
        : // Read here, on the worker: credentials never enter workflow history or artifacts.
          (await import('../../integrations/pii-integrations.js')).readPiiIntegrationsFromEnv(process.env)
            .textGenerator,
  };
}

/**
 * The sensitive columns of a run and their PII kinds: the model's fakes and sensitive keys, and the
 * columns the replacement plan rewrites with fakes or format-preserving values.
 */
function sensitiveKinds(model: TableModel, plan: ReplacementPlan | undefined): Record<string, string> {
  const kinds = sensitiveColumnKinds(model);
  for (const [name, strategy] of Object.entries(plan ?? {}))
    if (REDRAWN_STRATEGIES.has(strategy.strategy))
      kinds[name] = ('kind' in strategy && strategy.kind) || 'other';
  return kinds;
}

/**
 * Strategies whose output is drawn afresh, so it can equal a sample value by chance and is redrawn.
 * Pseudonyms, masks and generalizations derive from the synthetic value on purpose and are left as they are.
 */
const REDRAWN_STRATEGIES: ReadonlySet<string> = new Set(['fake', 'format_preserving']);

/** Stream tag of replacement redraws ("rplc"). */
const REPLACEMENT_REDRAW_STREAM = 0x72706c63;

/**
 * The replacement step for a plan. core/replace (and faker's locale data) is loaded only by runs that
 * configure replacements. Keys are read from the environment here, on the worker, so they never appear
 * in workflow history or artifacts.
 */
async function replacerFor(plan: ReplacementPlan, guard: SampleValueGuard): Promise<RunInputs['replace']> {
  const { applyReplacements, pseudonymKeyEnvName, requiredKeyNames } =
    await import('../../core/replace/index.js');
  const keys: Record<string, Uint8Array> = {};
  for (const name of requiredKeyNames(plan)) {
    const secret = process.env[pseudonymKeyEnvName(name)];
    if (secret) keys[name] = new TextEncoder().encode(secret);
  }
  const redrawn = Object.keys(plan).filter((name) => REDRAWN_STRATEGIES.has(plan[name]?.strategy ?? ''));
  return (table, startRow, seed) => {
    const replaced = applyReplacements(table, plan, { seed, startRow, keys }).table;
    const indices = redrawn.map((name) => replaced.columns.findIndex((c) => c.name === name));
    // A replaced row equal to a sample value is replaced again, whole (its fakes stay coherent), with
    // a seed of its own per attempt, so the output still depends only on the seed and the row number.
    const sampleValues = redrawRowsWithSampleValues(replaced, startRow, guard, indices, (i, row, attempt) => {
      const one: Table = {
        rowCount: 1,
        columns: table.columns.map((c) => ({ ...c, values: [c.values[i] ?? null] })),
      };
      const again = applyReplacements(one, plan, {
        seed: deriveSeed(seed, REPLACEMENT_REDRAW_STREAM, attempt),
        startRow: row,
        keys,
      }).table;
      for (const name of Object.keys(plan)) {
        const at = replaced.columns.findIndex((c) => c.name === name);
        (replaced.columns[at] as Table['columns'][number]).values[i] = again.columns[at]?.values[0] ?? null;
      }
    });
    return { table: replaced, sampleValues };
  };
}

function inputsFor(task: ChunkTask): Promise<RunInputs> {
  const key = `${task.modelPath}\n${task.samplePath}\n${task.generationPath ?? ''}`;
  if (cached?.key !== key) cached = { key, inputs: runInputs(task) };
  return cached.inputs;
}

/** Generates chunk k and writes it to `outPath` (which the caller renames into place). */
export async function runChunkTask(task: ChunkTask): Promise<ChunkTaskResult> {
  const inputs = await inputsFor(task);
  const { table, report } = generateChunk(
    inputs.model,
    { seed: task.seed, chunkIndex: task.chunkIndex, startRow: task.startRow, rowCount: task.rowCount },
    {
      totalRows: task.totalRows,
      copies: inputs.copies,
      sampleValues: inputs.sampleValues,
      constraints: inputs.constraints,
      ...(inputs.edgeCases ? { edgeCases: inputs.edgeCases } : {}),
      ...(inputs.conditions ? { conditions: inputs.conditions } : {}),
    },
  );
  // Configured strategies replace the synthesizer's values last, so they also cover resampled rows.
  const replaced = inputs.replace?.(table, task.startRow, task.seed);
  const output = replaced?.table ?? table;
  const textGeneration = inputs.textGenerator
    ? await generateTextColumns(
        output,
        inputs.replacements,
        inputs.model,
        inputs.textGenerator,
        task.startRow,
      )
    : undefined;
  const written = await writeTableFile(output, task.outPath, 'parquet');
  const constraintFixes = report.constraints
    ? report.constraints.rowsResampled + report.constraints.rowsRepaired
    : 0;
  return {
    rows: output.rowCount,
    sha256: written.sha256,
    bytes: written.bytes,
    exactCopies: report.exactCopies,
    resampledCopies: report.resampledCopies,
    sensitiveRedraws: report.sensitiveValues.redrawn + (replaced?.sampleValues.redrawn ?? 0),
    sensitiveSampleValues: report.sensitiveValues.remaining + (replaced?.sampleValues.remaining ?? 0),
    constraintFixes,
    edgeCaseRows: report.edgeCaseRowsPerRule.reduce((a, b) => a + b, 0),
    edgeCases: report.edgeCases,
    ...(textGeneration ? { textGeneration } : {}),
  };
}
