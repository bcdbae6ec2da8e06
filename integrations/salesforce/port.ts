/**
 * The Salesforce target port: what a loader tells the Bulk API 2.0 driver (objects, operations, lookups)
 * and what it gets back (per-chunk cursors that survive a restart, per-record failures without values).
 */

/** Bulk API 2.0 ingest operations this target performs. */
export const SalesforceOperation = {
  Insert: 'insert',
  Update: 'update',
  Upsert: 'upsert',
} as const;
/** One of {@link SalesforceOperation}. */
export type SalesforceOperation = (typeof SalesforceOperation)[keyof typeof SalesforceOperation];

/** A lookup column: a child row names its parent by the parent's external id, e.g. `Account.External_Id__c`. */
export interface LookupSpec {
  /** Column of the synthetic table that holds the parent's external id. */
  column: string;
  /** Relationship name on the child object (`Account` for Contact.AccountId). */
  relationship: string;
  /** The parent object (`Account`); it is loaded before the child. */
  object: string;
  /** External id field of the parent (`External_Id__c`). */
  externalIdField: string;
}

/** How one synthetic table is loaded into one Salesforce object. */
export interface ObjectSpec {
  /** API name of the object, e.g. `Contact`. */
  object: string;
  operation: SalesforceOperation;
  /** External id field that upsert matches on; required for upsert. */
  externalIdField?: string;
  /** Column → field mapping; when absent every non-lookup column is sent under its own name. */
  fields?: Record<string, string>;
  lookups: LookupSpec[];
}

/** States of a Bulk API 2.0 ingest job. */
export const JobState = {
  Open: 'Open',
  UploadComplete: 'UploadComplete',
  InProgress: 'InProgress',
  JobComplete: 'JobComplete',
  Failed: 'Failed',
  Aborted: 'Aborted',
} as const;
/** One of {@link JobState}. */
export type JobState = (typeof JobState)[keyof typeof JobState];

/** Where the load of one chunk stands; kept in heartbeat details so that a restarted attempt continues it. */
export const ChunkPhase = {
  /** No job holds the chunk's records yet. */
  Creating: 'creating',
  /** A job exists and is Open; whether its upload arrived is unknown, so a restart aborts it. */
  Uploading: 'uploading',
  /** The job was closed (UploadComplete): Salesforce owns it now, a restart polls this very job. */
  Polling: 'polling',
  /** The job's results were read and counted; only the delete of finished jobs may remain. */
  Counted: 'counted',
  /** Nothing left to do for the chunk. */
  Done: 'done',
} as const;
/** One of {@link ChunkPhase}. */
export type ChunkPhase = (typeof ChunkPhase)[keyof typeof ChunkPhase];

/** A record Salesforce did not load: its row in the chunk, the status code and the fields named; never a value. */
export interface RecordFailure {
  /** 0-based row of the object's table, or -1 when the record could not be matched to a row. */
  row: number;
  /** Salesforce status code, e.g. `REQUIRED_FIELD_MISSING`; `UNPROCESSED` for records no job processed. */
  statusCode: string;
  /** Field names Salesforce named in the error, restricted to the columns that were sent. */
  fields: string[];
}

/** Counts of one chunk or object. */
export interface LoadCounts {
  loaded: number;
  failed: number;
}

/** Durable state of one chunk: every job id it used, in order, so nothing is created twice. */
export interface ChunkCursor {
  phase: ChunkPhase;
  /** The job now holding the chunk's pending records (absent in phase `creating`). */
  jobId?: string;
  /** Jobs created to resubmit unprocessed records, in order (the first job is not in the list). */
  resubmittedJobs: string[];
  /** How many times unprocessed records were sent again (bounded by the target's `maxResubmits`). */
  resubmits: number;
  /** Finished or aborted jobs of the chunk that are not deleted yet. */
  undeletedJobs: string[];
  /** Rows of the chunk still waiting for a job, as [start, end) ranges; absent means every row. */
  pendingRanges?: [number, number][];
  counts: LoadCounts;
  /** Failures so far (capped), and how many per status code (uncapped). */
  failures: RecordFailure[];
  failuresByStatus: Record<string, number>;
  /** Job-level error codes (e.g. `InvalidBatch`) of jobs that ended Failed. */
  jobErrors: string[];
}

/** A fresh cursor for a chunk nobody has started. */
export function createChunkCursor(): ChunkCursor {
  return {
    phase: ChunkPhase.Creating,
    resubmittedJobs: [],
    resubmits: 0,
    undeletedJobs: [],
    counts: { loaded: 0, failed: 0 },
    failures: [],
    failuresByStatus: {},
    jobErrors: [],
  };
}
