/**
 * The CPU-heavy bodies of fitModel and fitRelational. They run on a pool thread (see thread-pool.ts):
 * a fit on the activity's own thread would block its heartbeats, so a fit longer than the heartbeat
 * timeout (15 s; about a million sample rows) would be retried until its attempts ran out, and every
 * other activity of the worker would stall meanwhile. Samples are read here from local Parquet files.
 */
import type { SensitivityReport } from '../../core/pii/index.js';
import type { DatasetProfile } from '../../core/profile/index.js';
import { parseConstraints } from '../../core/constraints/index.js';
import { parseEdgeCaseRules } from '../../core/edge-cases/index.js';
import { ConfigError } from '../../core/errors.js';
import { fitRelationalModel, type OrphanPolicy, type RelationalModel } from '../../core/relational/index.js';
import {
  pseudonymKeyEnvName,
  requiredKeyNames,
  resolvePlan,
  type ReplacementPlan,
} from '../../core/replace/index.js';
import {
  checkEdgeCasesKeepConditions,
  checkRowConditions,
  compileRowConditions,
  fitTableSynthesizerWithChoice,
  sampleConditionalTableChunk,
  type SynthesizerKind,
  type TableModel,
} from '../../core/synthesizer/index.js';
import { schemaOf, type Table, type TableSchema } from '../../core/table.js';
import { readTableFile } from '../../integrations/tabular/index.js';
import type { GenerationPlan } from '../synthesize.js';

/** What fitModel hands its thread: the sample's local path, the sample's reports and the run's rules. */
export interface FitTask {
  samplePath: string;
  /** The sample's URI, named in errors about the file. */
  sampleUri: string;
  profile: DatasetProfile;
  sensitivity: SensitivityReport;
  synthesizer: SynthesizerKind;
  constraints: unknown[];
  edgeCases?: { rules: unknown[]; tag: 'sidecar' | 'column' };
  conditions: unknown[];
  replacements?: Record<string, unknown>;
}

/** The fitted model, and what every chunk applies besides sampling (absent when the run has none of it). */
export interface FitTaskResult {
  model: TableModel;
  plan?: GenerationPlan;
}

/**
 * Checks the run's constraints, edge-case rules, conditions and replacements against the sample's
 * columns (a ConfigError names the field at fault, e.g. `constraints[1].column`), then fits the chosen
 * synthesizer (and fake generators for sensitive columns).
 */
export async function runFitTask(task: FitTask): Promise<FitTaskResult> {
  const sample = await readTableFile(task.samplePath, 'parquet', { displayName: task.sampleUri });
  const schema = schemaOf(sample);
  parseConstraints(task.constraints, schema);
  if (task.edgeCases) parseEdgeCaseRules(task.edgeCases.rules, schema);
  const conditions = checkRowConditions(task.conditions, sample);
  if (task.edgeCases) checkEdgeCasesKeepConditions(task.edgeCases.rules, conditions);
  const replacements = configuredReplacements(task.replacements, task.sensitivity, schema);
  const { model } = fitTableSynthesizerWithChoice(sample, task.profile, task.sensitivity, {
    synthesizer: task.synthesizer,
  });
  if (conditions.length > 0) {
    const compiled = compileRowConditions(model, conditions);
    // A small trial draw: conditions too rare to sample fail the run here, not in every chunk.
    sampleConditionalTableChunk(model, { seed: 0, chunkIndex: 0, startRow: 0, rowCount: 64 }, compiled);
  }
  const hasPlan =
    task.constraints.length > 0 ||
    (task.edgeCases?.rules.length ?? 0) > 0 ||
    conditions.length > 0 ||
    replacements !== undefined;
  if (!hasPlan) return { model };
  return {
    model,
    plan: {
      constraints: task.constraints,
      edgeCases: task.edgeCases ?? null,
      ...(conditions.length > 0 ? { conditions } : {}),
      ...(replacements !== undefined ? { replacements } : {}),
    },
  };
}

/** What fitRelational hands its thread: the metadata, and per table the sample's local path and reports. */
export interface FitRelationalTask {
  metadata: unknown;
  tables: Record<
    string,
    { samplePath: string; sampleUri: string; profile: DatasetProfile; sensitivity: SensitivityReport }
  >;
  synthesizer: SynthesizerKind;
  orphans: 'error' | 'drop';
}

/** Fits the relational model on every table's sample with its approved sensitivity report. */
export async function runFitRelationalTask(task: FitRelationalTask): Promise<RelationalModel> {
  const samples: Record<string, Table> = {};
  const profiles: Record<string, DatasetProfile> = {};
  const sensitivity: Record<string, SensitivityReport> = {};
  for (const [table, refs] of Object.entries(task.tables)) {
    samples[table] = await readTableFile(refs.samplePath, 'parquet', { displayName: refs.sampleUri });
    profiles[table] = refs.profile;
    sensitivity[table] = refs.sensitivity;
  }
  return fitRelationalModel(task.metadata, samples, {
    synthesizer: task.synthesizer,
    orphans: task.orphans as OrphanPolicy,
    profiles,
    sensitivity,
  });
}

/**
 * The configured replacement strategies, checked against the sample (column, type, locale) and with
 * every pseudonym key present in the worker's environment; undefined when the run configures none.
 * Only configured columns are replaced: the other sensitive columns keep the synthesizer's fakes.
 */
function configuredReplacements(
  configured: Record<string, unknown> | undefined,
  sensitivity: SensitivityReport,
  schema: TableSchema,
): ReplacementPlan | undefined {
  if (configured === undefined || Object.keys(configured).length === 0) return undefined;
  const resolved = resolvePlan(configured, sensitivity, { schema });
  const plan: ReplacementPlan = {};
  for (const column of Object.keys(configured)) plan[column] = resolved[column] as ReplacementPlan[string];
  for (const [column, strategy] of Object.entries(plan)) {
    if (strategy.strategy === 'generate_text')
      checkTextContext(column, strategy.context, sensitivity, schema);
    for (const name of requiredKeyNames({ [column]: strategy })) {
      if (!process.env[pseudonymKeyEnvName(name)])
        throw new ConfigError(
          `pseudonym key '${name}' is not set on the worker (environment variable ${pseudonymKeyEnvName(name)})`,
          `replacements.${column}.key`,
        );
    }
  }
  return plan;
}

/**
 * Context columns of generate_text are sent to the text model: each must exist, and none may be
 * sensitive (its synthetic values are fakes, but the rule keeps the prompt free of anything personal-looking).
 */
function checkTextContext(
  column: string,
  context: readonly string[] | undefined,
  sensitivity: SensitivityReport,
  schema: TableSchema,
): void {
  const sensitive = new Set(sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column));
  const names = new Set(schema.columns.map((c) => c.name));
  (context ?? []).forEach((name, i) => {
    const field = `replacements.${column}.context[${i}]`;
    if (!names.has(name)) throw new ConfigError('no column of that name in the sample', field);
    if (sensitive.has(name))
      throw new ConfigError(
        'is a sensitive column; only non-sensitive columns are sent to the text model',
        field,
      );
  });
}
