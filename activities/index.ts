/** All pipeline activities, built from their dependencies; each wrapped so domain errors become typed failures. */
import { createAnalyzeActivities } from './analyze.js';
import type { ActivityDeps } from './deps.js';
import { createDistributeActivities } from './distribute.js';
import { createDistributeTargetActivities } from './distribute-targets.js';
import { createSalesforceActivities } from './distribute-salesforce.js';
import { createEvaluateActivities } from './evaluate.js';
import { mapFailures } from './failures.js';
import { createIngestActivities } from './ingest.js';
import { createRelationalActivities } from './relational.js';
import { createReportActivities } from './report.js';
import { createSynthesizeActivities } from './synthesize.js';
import { createTestStageActivities } from './test-stages.js';

export type { ActivityDeps } from './deps.js';
export { sharedThreadPool } from './threads/thread-pool.js';

/** Creates every activity of `syntheticDataPipeline`, keyed by the name the Temporal UI shows. */
export function createPipelineActivities(deps: ActivityDeps) {
  const raw = {
    ...createIngestActivities(deps),
    ...createAnalyzeActivities(deps),
    ...createSynthesizeActivities(deps),
    ...createEvaluateActivities(deps),
    ...createDistributeActivities(deps),
    ...createDistributeTargetActivities(deps),
    ...createSalesforceActivities(deps),
    ...createRelationalActivities(deps),
    ...createReportActivities(deps),
    ...createTestStageActivities(deps),
  };
  return Object.fromEntries(
    Object.entries(raw).map(([name, fn]) => [name, mapFailures(fn as (input: unknown) => Promise<unknown>)]),
  ) as typeof raw;
}

/** The activity interface the workflow proxies (imported as a type only). */
export type PipelineActivities = ReturnType<typeof createPipelineActivities>;
