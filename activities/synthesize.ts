/** Stages fit and synthesize: one model per run, then one Parquet part per chunk. */
import { heartbeat } from '@temporalio/activity';
import type { SensitivityReport } from '../core/pii/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import { fitSynthModel } from '../core/synth/index.js';
import { sharedChunkPool } from './chunk-pool/chunk-pool.js';
import { whileHeartbeating } from './heartbeat.js';
import type { ChunkTaskResult } from './chunk-pool/chunk-task.js';
import type { ActivityDeps } from './deps.js';
import { partMetaUri, partUri, runArtifact } from './paths.js';
import { readJsonArtifact, readTableArtifact } from './sample-cache.js';

/** Input of fitModel. */
export interface FitModelInput {
  runKey: string;
  sampleUri: string;
  profileUri: string;
  sensitivityUri: string;
}
/** Output of fitModel. */
export interface FitModelOutput {
  modelUri: string;
  partsPrefix: string;
}
/** Input of synthesizeChunk. */
export interface SynthesizeChunkInput {
  runKey: string;
  modelUri: string;
  partsPrefix: string;
  /** The sample, to count synthetic rows that copy a real row exactly. */
  sampleUri: string;
  seed: number;
  chunkIndex: number;
  startRow: number;
  rowCount: number;
}
/** Output of synthesizeChunk. */
export interface SynthesizeChunkOutput {
  partUri: string;
  rows: number;
  sha256: string;
  /** Rows of this chunk equal to some sample row (a privacy failure when not 0). */
  exactCopies: number;
  /** True when an earlier attempt had already written this part. */
  reused: boolean;
}

type PartMeta = Omit<SynthesizeChunkOutput, 'reused' | 'partUri'>;

/** Creates the fit and synthesize activities. */
export function createSynthesizeActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /** Fits the Gaussian copula (and fake generators for sensitive columns) on the sample. */
    async fitModel(input: FitModelInput): Promise<FitModelOutput> {
      const sample = await readTableArtifact(store, input.sampleUri);
      const profile = await readJsonArtifact<DatasetProfile>(store, input.profileUri);
      const sensitivity = await readJsonArtifact<SensitivityReport>(store, input.sensitivityUri);
      heartbeat({ phase: 'fit' });
      const model = fitSynthModel(sample, profile, sensitivity);
      const modelUri = runArtifact(store, input.runKey, 'model.json');
      await store.putJson(modelUri, model);
      return { modelUri, partsPrefix: runArtifact(store, input.runKey, 'synthetic') };
    },

    /**
     * Samples chunk k with a seed derived from (seed, k) and writes it as one Parquet part. The part is a
     * pure function of its input and is renamed into place atomically, so a part already present is reused.
     */
    async synthesizeChunk(input: SynthesizeChunkInput): Promise<SynthesizeChunkOutput> {
      const uri = partUri(input.partsPrefix, input.chunkIndex);
      const metaUri = partMetaUri(input.partsPrefix, input.chunkIndex);
      // The meta file is written after the part, so its presence means both are complete.
      if (await store.exists(metaUri))
        return { partUri: uri, ...(await store.getJson<PartMeta>(metaUri)), reused: true };
      const [modelPath, samplePath] = await Promise.all([
        store.localCopy(input.modelUri),
        store.localCopy(input.sampleUri),
      ]);
      // Sampling, the exact-copy check and the Parquet write run on a worker thread, so chunks in
      // flight use every core; the part appears atomically when the store renames it into place.
      let result: ChunkTaskResult | undefined;
      const ref = await store.writeWith(uri, async (tmp) => {
        const task = { modelPath, samplePath, outPath: tmp, ...input };
        result = await whileHeartbeating(sharedChunkPool().run(task), { chunk: input.chunkIndex });
        // The thread hashed the bytes as it wrote them: no need to read the part back.
        return { bytes: result.bytes, sha256: result.sha256 };
      });
      const exactCopies = result?.exactCopies ?? 0;
      const meta: PartMeta = { rows: result?.rows ?? 0, sha256: ref.sha256, exactCopies };
      await store.putJson(metaUri, meta);
      return { partUri: uri, ...meta, reused: false };
    },
  };
}

/** The fit and synthesize activities. */
export type SynthesizeActivities = ReturnType<typeof createSynthesizeActivities>;
