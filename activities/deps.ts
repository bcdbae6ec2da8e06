/** What every activity needs from the worker: wired once in workers/, from environment variables. */
import type { ExternalClassifier } from '../core/pii/index.js';
import type { ArtifactStore } from '../integrations/storage/index.js';
import type { TestStageIntegrations } from './test-stages.js';

/** Dependencies injected into the activity factories. */
export interface ActivityDeps {
  /** Where samples, models, synthetic parts and reports live. */
  store: ArtifactStore;
  /** Directory that relative source paths and relative SQLite URLs resolve against. */
  baseDir: string;
  /** Every file target must stay inside this directory. */
  outputRoot: string;
  /** URL of a named connection (env `UNDERSTUDY_DB_<NAME>_URL`), so credentials never enter workflow history. */
  connectionUrl(name: string): string | undefined;
  /** Outside classifiers (Confluence, Bedrock) configured on this worker; none by default. */
  piiClassifiers?: readonly ExternalClassifier[];
  /** Jira, Confluence and Bedrock for the test stages, when the worker's environment configures them. */
  tests?: TestStageIntegrations;
}
