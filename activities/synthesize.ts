/** Stages fit and synthesize: one model per run, then one Parquet part per chunk. */
import { heartbeat } from '@temporalio/activity';
import type { SensitivityReport } from '../core/pii/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import { parseConstraints } from '../core/constraints/index.js';
import { parseEdgeCaseRules } from '../core/edge-cases/index.js';
import {
  checkEdgeCasesKeepConditions,
  checkRowConditions,
  compileRowConditions,
  fitTableSynthesizerWithChoice,
  sampleConditionalTableChunk,
  type RowCondition,
  type SynthesizerKind,
} from '../core/synthesizer/index.js';
import { ConfigError } from '../core/errors.js';
import {
  pseudonymKeyEnvName,
  requiredKeyNames,
  resolvePlan,
  type ReplacementPlan,
} from '../core/replace/index.js';
import { schemaOf, type TableSchema } from '../core/table.js';
import { sharedChunkPool } from './chunk-pool/chunk-pool.js';
import { whileHeartbeating } from './heartbeat.js';
import type { TextGenerationUsage } from './chunk-pool/generate-text-columns.js';
import type { ChunkTaskResult } from './chunk-pool/chunk-task.js';
import type { ActivityDeps } from './deps.js';
import { partEdgeCasesUri, partMetaUri, partUri, runArtifact } from './paths.js';
import { readJsonArtifact, readTableArtifact } from './sample-cache.js';

/** Input of fitModel. */
export interface FitModelInput {
  runKey: string;
  sampleUri: string;
  profileUri: string;
  sensitivityUri: string;
  /** @default 'copula' (histories recorded before the choice existed) */
  synthesizer?: SynthesizerKind;
  /** Constraint list of the run config (JSON), checked here against the sample's columns. */
  constraints?: unknown[];
  /** Edge-case rules of the run config (JSON), checked here against the sample's columns. */
  edgeCases?: { rules: unknown[]; tag: 'sidecar' | 'column' };
  /** Conditions every synthetic row must satisfy (`{column, equals}` / `{column, in}`), checked here against the sample and the model. */
  conditions?: unknown[];
  /** Replacement strategies per column (`replacements` of the run config), checked here against the sample. */
  replacements?: Record<string, unknown>;
}
/** Output of fitModel. */
export interface FitModelOutput {
  modelUri: string;
  partsPrefix: string;
  /** The synthesizer fitted (`auto` resolved). */
  synthesizer: string;
  /** Checked constraints and edge-case rules for the chunks; absent when the run has none. */
  generationUri?: string;
}

/** What every chunk applies besides sampling: stored once by fitModel, read by each chunk. */
export interface GenerationPlan {
  constraints: unknown[];
  edgeCases: { rules: unknown[]; tag: 'sidecar' | 'column' } | null;
  /** Conditions of a conditional run, values normalised to the column types (absent in plans written before conditions existed). */
  conditions?: RowCondition[];
  /** Configured replacement strategies, applied to every chunk after sampling (absent when none). */
  replacements?: ReplacementPlan;
}
/** Input of synthesizeChunk. */
export interface SynthesizeChunkInput {
  runKey: string;
  modelUri: string;
  partsPrefix: string;
  /** The sample, to count synthetic rows that copy a real row exactly. */
  sampleUri: string;
  /** Constraints and edge cases to apply (see {@link GenerationPlan}). */
  generationUri?: string;
  seed: number;
  chunkIndex: number;
  startRow: number;
  rowCount: number;
  /** Rows of the whole run (edge cases are spread over all of them). */
  totalRows?: number;
}
/** Output of synthesizeChunk. */
export interface SynthesizeChunkOutput {
  partUri: string;
  rows: number;
  sha256: string;
  /** Rows of this chunk equal to some sample row after resampling (a privacy failure when not 0). */
  exactCopies: number;
  /** Rows resampled because they copied a sample row. */
  resampledCopies?: number;
  /** Sensitive cells redrawn because they equalled a sample value (absent in parts written before this was counted). */
  sensitiveRedraws?: number;
  /** Sensitive cells still equal to a sample value after every redraw. */
  sensitiveSampleValues?: number;
  /** Rows resampled or repaired to satisfy the constraints. */
  constraintFixes?: number;
  /** Rows given an edge case. */
  edgeCaseRows?: number;
  /** Texts written for generate_text columns and the calls, tokens and cost they took (absent when none). */
  textGeneration?: TextGenerationUsage;
  /** Sidecar of the injected edge cases ({row, column, type} records), when tagged that way. */
  edgeCasesUri?: string;
  /** True when an earlier attempt had already written this part. */
  reused: boolean;
}

type PartMeta = Omit<SynthesizeChunkOutput, 'reused' | 'partUri'>;

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

/** Creates the fit and synthesize activities. */
export function createSynthesizeActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /**
     * Fits the chosen synthesizer (and fake generators for sensitive columns) on the sample, and checks
     * the run's constraints and edge-case rules against the sample's columns (a ConfigError names the
     * field at fault, e.g. `constraints[1].column`).
     */
    async fitModel(input: FitModelInput): Promise<FitModelOutput> {
      const sample = await readTableArtifact(store, input.sampleUri);
      const profile = await readJsonArtifact<DatasetProfile>(store, input.profileUri);
      const sensitivity = await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri);
      const schema = schemaOf(sample);
      const constraints = input.constraints ?? [];
      parseConstraints(constraints, schema);
      if (input.edgeCases) parseEdgeCaseRules(input.edgeCases.rules, schema);
      const conditions = checkRowConditions(input.conditions ?? [], sample);
      if (input.edgeCases) checkEdgeCasesKeepConditions(input.edgeCases.rules, conditions);
      const replacements = configuredReplacements(input.replacements, sensitivity, schema);
      heartbeat({ phase: 'fit' });
      const fitted = fitTableSynthesizerWithChoice(sample, profile, sensitivity, {
        synthesizer: input.synthesizer ?? 'copula',
      });
      if (conditions.length > 0) {
        const compiled = compileRowConditions(fitted.model, conditions);
        // A small trial draw: conditions too rare to sample fail the run here, not in every chunk.
        sampleConditionalTableChunk(
          fitted.model,
          { seed: 0, chunkIndex: 0, startRow: 0, rowCount: 64 },
          compiled,
        );
      }
      const modelUri = runArtifact(store, input.runKey, 'model.json');
      await store.putJson(modelUri, fitted.model);
      const out: FitModelOutput = {
        modelUri,
        partsPrefix: runArtifact(store, input.runKey, 'synthetic'),
        synthesizer: fitted.model.kind === 'cart' ? 'cart' : 'copula',
      };
      if (
        constraints.length > 0 ||
        (input.edgeCases?.rules.length ?? 0) > 0 ||
        conditions.length > 0 ||
        replacements !== undefined
      ) {
        const plan: GenerationPlan = {
          constraints,
          edgeCases: input.edgeCases ?? null,
          ...(conditions.length > 0 ? { conditions } : {}),
          ...(replacements !== undefined ? { replacements } : {}),
        };
        out.generationUri = runArtifact(store, input.runKey, 'generation.json');
        await store.putJson(out.generationUri, plan);
      }
      return out;
    },

    /**
     * Samples chunk k (rows drawn in fixed 1,024-row blocks, each seeded from (seed, block), so the rows do
     * not depend on the chunk size) and writes it as one Parquet part. The part is a
     * pure function of its input and is renamed into place atomically, so a part already present is reused.
     */
    async synthesizeChunk(input: SynthesizeChunkInput): Promise<SynthesizeChunkOutput> {
      const uri = partUri(input.partsPrefix, input.chunkIndex);
      const metaUri = partMetaUri(input.partsPrefix, input.chunkIndex);
      // The meta file is written after the part, so its presence means both are complete.
      if (await store.exists(metaUri))
        return { partUri: uri, ...(await store.getJson<PartMeta>(metaUri)), reused: true };
      const [modelPath, samplePath, generationPath] = await Promise.all([
        store.localCopy(input.modelUri),
        store.localCopy(input.sampleUri),
        input.generationUri === undefined ? undefined : store.localCopy(input.generationUri),
      ]);
      // Sampling, the exact-copy check and the Parquet write run on a worker thread, so chunks in
      // flight use every core; the part appears atomically when the store renames it into place.
      let result: ChunkTaskResult | undefined;
      const ref = await store.writeWith(uri, async (tmp) => {
        const task = {
          ...input,
          modelPath,
          samplePath,
          generationPath,
          outPath: tmp,
          totalRows: input.totalRows ?? input.startRow + input.rowCount,
        };
        result = await whileHeartbeating(sharedChunkPool().run(task), { chunk: input.chunkIndex });
        // The thread hashed the bytes as it wrote them: no need to read the part back.
        return { bytes: result.bytes, sha256: result.sha256 };
      });
      const done = result as ChunkTaskResult;
      const meta: PartMeta = {
        rows: done.rows,
        sha256: ref.sha256,
        exactCopies: done.exactCopies,
        resampledCopies: done.resampledCopies,
        sensitiveRedraws: done.sensitiveRedraws,
        sensitiveSampleValues: done.sensitiveSampleValues,
        constraintFixes: done.constraintFixes,
        edgeCaseRows: done.edgeCaseRows,
        ...(done.textGeneration ? { textGeneration: done.textGeneration } : {}),
      };
      if (done.edgeCases.length > 0) {
        meta.edgeCasesUri = partEdgeCasesUri(input.partsPrefix, input.chunkIndex);
        await store.putJson(meta.edgeCasesUri, done.edgeCases);
      }
      await store.putJson(metaUri, meta);
      return { partUri: uri, ...meta, reused: false };
    },
  };
}

/** The fit and synthesize activities. */
export type SynthesizeActivities = ReturnType<typeof createSynthesizeActivities>;
