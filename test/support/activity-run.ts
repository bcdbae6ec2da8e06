/**
 * What the MockActivityEnvironment tests share: the pipeline activities over a fresh temporary
 * artifact store, and the demo sample ingested, profiled and classified (fitModel's inputs).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createPipelineActivities,
  type ActivityDeps,
  type PipelineActivities,
} from '../../activities/index.js';
import type { FitModelInput } from '../../activities/synthesize.js';
import { createArtifactStore, type ArtifactStore } from '../../integrations/storage/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** MockActivityEnvironment.run with the activity's own input and output types. */
export function runActivity<I, O>(
  env: MockActivityEnvironment,
  fn: (input: I) => Promise<O>,
  input: I,
): Promise<O> {
  return env.run(fn, input) as Promise<O>;
}

/** The pipeline activities over a new temporary directory (`work`: artifacts/ and output/ inside it). */
export async function createTestActivities(
  prefix: string,
  extra: Partial<ActivityDeps> = {},
): Promise<{ acts: PipelineActivities; work: string; store: ArtifactStore }> {
  const work = await mkdtemp(path.join(os.tmpdir(), prefix));
  const store = createArtifactStore({ root: path.join(work, 'artifacts') });
  const acts = createPipelineActivities({
    store,
    baseDir: repoRoot,
    outputRoot: path.join(work, 'output'),
    connectionUrl: () => undefined,
    ...extra,
  });
  return { acts, work, store };
}

/** examples/customers.csv (or `uri`) ingested, profiled and classified under `runKey`: the inputs fitModel needs. */
export async function analyzeSample(
  acts: PipelineActivities,
  runKey: string,
  uri = 'examples/customers.csv',
): Promise<{ base: FitModelInput; schema: { name: string; type: string }[]; sensitiveColumns: string[] }> {
  const env = new MockActivityEnvironment();
  const ingest = await runActivity(env, acts.ingestSource, { runKey, source: { uri } });
  const profile = await runActivity(env, acts.profileSample, { runKey, sampleUri: ingest.sampleUri });
  const classify = await runActivity(env, acts.classifySample, {
    runKey,
    sampleUri: ingest.sampleUri,
    profileUri: profile.profileUri,
  });
  return {
    base: {
      runKey,
      sampleUri: ingest.sampleUri,
      profileUri: profile.profileUri,
      sensitivityUri: classify.sensitivityUri,
      synthesizer: 'copula',
    },
    schema: ingest.schema,
    sensitiveColumns: classify.sensitiveColumns,
  };
}
