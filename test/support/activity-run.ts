/**
 * What the MockActivityEnvironment tests share: the pipeline activities over a fresh temporary
 * artifact store, and the demo sample ingested, profiled and classified (fitModel's inputs).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPipelineActivities, type PipelineActivities } from '../../activities/index.js';
import type { FitModelInput } from '../../activities/synthesize.js';
import { createArtifactStore } from '../../integrations/storage/index.js';

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
): Promise<{ acts: PipelineActivities; work: string }> {
  const work = await mkdtemp(path.join(os.tmpdir(), prefix));
  const acts = createPipelineActivities({
    store: createArtifactStore({ root: path.join(work, 'artifacts') }),
    baseDir: repoRoot,
    outputRoot: path.join(work, 'output'),
    connectionUrl: () => undefined,
  });
  return { acts, work };
}

/** examples/customers.csv (or `uri`) ingested, profiled and classified under `runKey`: the inputs fitModel needs. */
export async function analyzeSample(
  acts: PipelineActivities,
  runKey: string,
  uri = 'examples/customers.csv',
): Promise<{ base: FitModelInput; schema: { name: string; type: string }[] }> {
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
  };
}
