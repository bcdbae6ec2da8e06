/**
 * The CPU-heavy body of one synthetic chunk: sample it, resample rows that copy a sample row, apply the
 * run's constraints and edge cases, and write the Parquet file. Runs on a worker thread (see
 * chunk-pool.ts) so that chunks use every core; it reads its inputs from files, so only paths and a
 * few numbers cross the thread boundary.
 */
import { readFile } from 'node:fs/promises';
import { parseConstraints, type Constraint } from '../../core/constraints/index.js';
import { parseEdgeCaseRules, type EdgeCaseRecord } from '../../core/edge-cases/index.js';
import { generateChunk, type GenerateChunkOptions } from '../../core/generation/index.js';
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
import type { GenerationPlan } from '../synthesize.js';

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
  /** Rows resampled or repaired to satisfy the constraints. */
  constraintFixes: number;
  edgeCaseRows: number;
  /** Injected edge cases, when they are tagged in a sidecar. */
  edgeCases: EdgeCaseRecord[];
}

/** The sample-dependent inputs of a run's chunks, parsed once per thread. */
interface RunInputs {
  model: TableModel;
  copies: ExactCopyDetector;
  constraints: Constraint[];
  edgeCases: GenerateChunkOptions['edgeCases'];
  conditions: CompiledRowConditions | undefined;
  /** Configured replacement strategies, with their pseudonym keys from this worker's environment. */
  replace: ((table: Table, startRow: number, seed: number) => Table) | undefined;
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
  return {
    model,
    conditions:
      plan.conditions === undefined || plan.conditions.length === 0
        ? undefined
        : compileRowConditions(model, plan.conditions),
    copies: createExactCopyDetector(sample),
    constraints: parseConstraints(plan.constraints, schema),
    edgeCases: plan.edgeCases
      ? { rules: parseEdgeCaseRules(plan.edgeCases.rules, schema), tag: plan.edgeCases.tag }
      : undefined,
    replace: plan.replacements === undefined ? undefined : await replacerFor(plan.replacements),
  };
}

/**
 * The replacement step for a plan. core/replace (and faker's locale data) is loaded only by runs that
 * configure replacements. Keys are read from the environment here, on the worker, so they never appear
 * in workflow history or artifacts.
 */
async function replacerFor(plan: ReplacementPlan): Promise<RunInputs['replace']> {
  const { applyReplacements, pseudonymKeyEnvName, requiredKeyNames } =
    await import('../../core/replace/index.js');
  const keys: Record<string, Uint8Array> = {};
  for (const name of requiredKeyNames(plan)) {
    const secret = process.env[pseudonymKeyEnvName(name)];
    if (secret) keys[name] = new TextEncoder().encode(secret);
  }
  return (table, startRow, seed) => applyReplacements(table, plan, { seed, startRow, keys }).table;
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
      constraints: inputs.constraints,
      ...(inputs.edgeCases ? { edgeCases: inputs.edgeCases } : {}),
      ...(inputs.conditions ? { conditions: inputs.conditions } : {}),
    },
  );
  // Configured strategies replace the synthesizer's values last, so they also cover resampled rows.
  const output = inputs.replace ? inputs.replace(table, task.startRow, task.seed) : table;
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
    constraintFixes,
    edgeCaseRows: report.edgeCaseRowsPerRule.reduce((a, b) => a + b, 0),
    edgeCases: report.edgeCases,
  };
}
