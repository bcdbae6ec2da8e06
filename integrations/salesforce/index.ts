/** The Salesforce target: Bulk API 2.0 ingest jobs through jsforce, resumable from a cursor, parents before children. */
export { BULK_NULL, encodeBulkCell, parseBulkCsv, toBulkCsv } from './bulk-csv.js';
export {
  loadChunk,
  pendingRows,
  toRanges,
  UNPROCESSED_STATUS,
  type ChunkLoad,
  type ChunkLoadOptions,
} from './chunk-loader.js';
export {
  credentialsPrefix,
  DEFAULT_LOGIN_URL,
  readSalesforceCredentials,
  type SalesforceCredentials,
} from './credentials.js';
export { checkObjectAgainstDescribe, type DescribedField, type DescribedObject } from './describe-check.js';
export {
  SalesforceApiError,
  SalesforceJobNotFoundError,
  SalesforceRateLimitError,
  SalesforceTransientError,
  toSalesforceError,
} from './errors.js';
export {
  createBulkIngestClient,
  JobResultKind,
  pollJobUntilFinished,
  type BulkIngestClient,
  type BulkIngestClientOptions,
  type IngestJobInfo,
} from './ingest-jobs.js';
export { connectSalesforce, DEFAULT_API_VERSION, signJwtAssertion } from './jsforce-client.js';
export { orderObjectsByLookups } from './lookup-order.js';
export { encodeObjectRows, planObjectColumns, type ObjectColumn } from './object-columns.js';
export {
  ChunkPhase,
  createChunkCursor,
  JobState,
  SalesforceOperation,
  type ChunkCursor,
  type LoadCounts,
  type LookupSpec,
  type ObjectSpec,
  type RecordFailure,
} from './port.js';
export { sanitizeJobError, sanitizeRecordError } from './record-errors.js';
export {
  createTargetCursor,
  loadSalesforceTarget,
  resumeTargetCursor,
  type ObjectLoadReport,
  type ObjectSource,
  type TargetCursor,
  type TargetLoad,
} from './target-loader.js';
