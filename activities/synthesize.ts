/** Stages fit and synthesize: one model per run, then one Parquet part per chunk. */
import type { SensitivityReport } from '../core/pii/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import type { RowCondition, SynthesizerKind } from '../core/synthesizer/index.js';
import type { ReplacementPlan } from '../core/replace/index.js';
import { sharedThreadPool } from './threads/thread-pool.js';
import { whileHeartbeating } from './heartbeat.js';
import type { TextGenerationUsage } from './threads/generate-text-columns.js';
import type { ChunkTaskResult } from './threads/chunk-task.js';
import type { ActivityDeps } from './deps.js';
import { partEdgeCasesUri, partMetaUri, partUri, runArtifact } from './paths.js';
import { readJsonArtifact } from './sample-cache.js';

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
      const [samplePath, profile, sensitivity] = await Promise.all([
        store.localCopy(input.sampleUri),
        readJsonArtifact<DatasetProfile>(store, input.profileUri),
        readJsonArtifact<SensitivityReport>(store, input.sensitivityUri),
      ]);
      // The checks and the fit run on a pool thread, heartbeating here: a long fit must not miss the heartbeat timeout.
      const { model, plan } = await whileHeartbeating(
        sharedThreadPool().run('fit', {
          samplePath,
          sampleUri: input.sampleUri,
          profile,
          sensitivity,
          synthesizer: input.synthesizer ?? 'copula',
          constraints: input.constraints ?? [],
          ...(input.edgeCases ? { edgeCases: input.edgeCases } : {}),
          conditions: input.conditions ?? [],
          ...(input.replacements ? { replacements: input.replacements } : {}),
        }),
        { phase: 'fit' },
      );
      const modelUri = runArtifact(store, input.runKey, 'model.json');
      await store.putJson(modelUri, model);
      const out: FitModelOutput = {
        modelUri,
        partsPrefix: runArtifact(store, input.runKey, 'synthetic'),
        synthesizer: model.kind === 'cart' ? 'cart' : 'copula',
      };
      if (plan) {
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
        result = await whileHeartbeating(sharedThreadPool().run('chunk', task), { chunk: input.chunkIndex });
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
