/** The single workflow bundle entry: every workflow the worker runs is exported here. */
export { syntheticDataPipeline } from './pipeline/synthetic-data-pipeline.js';
