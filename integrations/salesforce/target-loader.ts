/**
 * Loads a target's objects in lookup order, chunk by chunk, each chunk through {@link loadChunk}, and
 * resumes from a {@link TargetCursor}. Records a previous attempt already counted are reported as
 * skipped; per-object loaded, failed, skipped counts, durations, job ids and value-free failures.
 */
import type { Connection } from 'jsforce';
import type { Table } from '../../core/table.js';
import { ConfigError, DataError } from '../../core/errors.js';
import { loadChunk, type ChunkLoadOptions } from './chunk-loader.js';
import { checkObjectAgainstDescribe, type DescribedObject } from './describe-check.js';
import { toSalesforceError } from './errors.js';
import type { BulkIngestClient } from './ingest-jobs.js';
import { orderObjectsByLookups } from './lookup-order.js';
import { encodeObjectRows, planObjectColumns } from './object-columns.js';
import { toBulkCsv } from './bulk-csv.js';
import {
  ChunkPhase,
  createChunkCursor,
  type ChunkCursor,
  type ObjectSpec,
  type RecordFailure,
} from './port.js';

/** Outcome of one object of a target. */
export interface ObjectLoadReport {
  object: string;
  operation: ObjectSpec['operation'];
  /** Records this attempt saw Salesforce accept. */
  loaded: number;
  /** Records an earlier attempt already saw accepted (not sent again). */
  skipped: number;
  /** Records Salesforce rejected or never processed. */
  failed: number;
  /** Time spent on the object, summed over attempts. */
  durationMs: number;
  /** Every ingest job the object used, in order. */
  jobs: string[];
  /** Jobs created to resubmit unprocessed records. */
  resubmittedJobs: string[];
  /** First failures, with row, status code and field names only. */
  failures: RecordFailure[];
  /** Failures per status code (complete). */
  failuresByStatus: Record<string, number>;
  /** Codes of job-level errors, e.g. `InvalidBatch`. */
  jobErrors: string[];
}

/** Everything needed to resume a target: finished objects, and the object and chunk in progress. */
export interface TargetCursor {
  /** Bumped at every save; the newest of heartbeat and journal wins. */
  seq: number;
  done: ObjectLoadReport[];
  current?: {
    report: ObjectLoadReport;
    /** Chunks of the object already finished. */
    nextChunk: number;
    chunk: ChunkCursor;
  };
}

/** Where an object's rows come from: the same chunks on every attempt, each with its first row's number. */
export interface ObjectSource {
  /** Chunks `from`, `from + 1`, … of the object's table. */
  chunks(from: number): AsyncIterable<{ startRow: number; table: Table }>;
  /** Column names of the object's table. */
  columns(): Promise<string[]>;
}

/** Everything {@link loadSalesforceTarget} needs. */
export interface TargetLoad {
  conn: Connection;
  client: BulkIngestClient;
  objects: readonly ObjectSpec[];
  /** Config path of the target, for errors (e.g. `targets[2]`). */
  field: string;
  source(object: string): ObjectSource;
  options: ChunkLoadOptions & {
    /** Largest CSV upload; Salesforce takes 150 MB after base64, i.e. about 100 MB. @default 100_000_000 */
    maxUploadBytes?: number;
    /** Check objects against the org's describe before the first job. @default true */
    describe?: boolean;
  };
  /** Persists the cursor (heartbeat details and journal). */
  save(cursor: TargetCursor): Promise<void>;
  onPoll?(cursor: TargetCursor): void;
}

/** A fresh cursor for a target nobody has started. */
export function createTargetCursor(): TargetCursor {
  return { seq: 0, done: [] };
}

/** Makes an earlier attempt's counts "skipped" for this attempt's report: they were loaded before it started. */
export function resumeTargetCursor(cursor: TargetCursor): TargetCursor {
  const next = structuredClone(cursor);
  for (const r of next.done) {
    r.skipped += r.loaded;
    r.loaded = 0;
  }
  if (next.current) {
    next.current.report.skipped += next.current.report.loaded;
    next.current.report.loaded = 0;
    next.current.report.skipped += next.current.chunk.counts.loaded;
    next.current.chunk.counts.loaded = 0;
  }
  return next;
}

/** Loads every object, parents first, and returns one report per object in load order. */
export async function loadSalesforceTarget(
  load: TargetLoad,
  start: TargetCursor,
): Promise<ObjectLoadReport[]> {
  const cursor = structuredClone(start);
  const ordered = orderObjectsByLookups(load.objects);
  const indexOf = new Map(load.objects.map((o, i) => [o.object, i]));
  const plans = new Map<string, ReturnType<typeof planObjectColumns>>();
  for (const spec of ordered) {
    const field = `${load.field}.objects[${indexOf.get(spec.object) ?? 0}]`;
    plans.set(spec.object, planObjectColumns(spec, await load.source(spec.object).columns(), field));
  }
  const pending = ordered.filter((o) => !cursor.done.some((d) => d.object === o.object));
  if (load.options.describe !== false && pending.length > 0)
    await describeAndCheck(load, pending, plans, indexOf);

  const save = async () => {
    cursor.seq += 1;
    await load.save(cursor);
  };
  for (const spec of pending) {
    const columns = plans.get(spec.object) ?? [];
    const header = columns.map((c) => c.header);
    if (cursor.current?.report.object !== spec.object) {
      cursor.current = { report: emptyReport(spec), nextChunk: 0, chunk: createChunkCursor() };
    }
    const current = cursor.current;
    let since = Date.now();
    const tick = () => {
      const now = Date.now();
      current.report.durationMs += now - since;
      since = now;
    };
    let k = current.nextChunk;
    for await (const { startRow, table } of load.source(spec.object).chunks(k)) {
      const rows = encodeObjectRows(spec, table, columns);
      checkUploadSize(spec, header, rows, load.options.maxUploadBytes ?? 100_000_000, k);
      const final = await loadChunk(
        {
          client: load.client,
          spec,
          header,
          rows,
          rowOffset: startRow,
          options: load.options,
          save: async (chunk) => {
            current.chunk = chunk;
            syncJobs(current.report, chunk);
            tick();
            await save();
          },
          onPoll: () => load.onPoll?.(cursor),
        },
        current.chunk,
      );
      fold(current.report, final, load.options.maxReportedFailures);
      k += 1;
      current.nextChunk = k;
      current.chunk = createChunkCursor();
      tick();
      await save();
    }
    tick();
    cursor.done.push(current.report);
    delete cursor.current;
    await save();
  }
  const byObject = new Map(cursor.done.map((r) => [r.object, r]));
  return ordered.map((o) => byObject.get(o.object) ?? emptyReport(o));
}

function emptyReport(spec: ObjectSpec): ObjectLoadReport {
  return {
    object: spec.object,
    operation: spec.operation,
    loaded: 0,
    skipped: 0,
    failed: 0,
    durationMs: 0,
    jobs: [],
    resubmittedJobs: [],
    failures: [],
    failuresByStatus: {},
    jobErrors: [],
  };
}

/** Job ids of the chunk in progress become visible in the object report as soon as they exist. */
function syncJobs(report: ObjectLoadReport, chunk: ChunkCursor): void {
  for (const id of [...chunk.undeletedJobs, ...(chunk.jobId ? [chunk.jobId] : [])])
    if (!report.jobs.includes(id)) report.jobs.push(id);
  for (const id of chunk.resubmittedJobs)
    if (!report.resubmittedJobs.includes(id)) report.resubmittedJobs.push(id);
}

/** Adds a finished chunk's counts and failures to its object's report. */
function fold(report: ObjectLoadReport, chunk: ChunkCursor, cap: number): void {
  if (chunk.phase !== ChunkPhase.Done) throw new Error('fold of an unfinished chunk');
  syncJobs(report, chunk);
  report.loaded += chunk.counts.loaded;
  report.failed += chunk.counts.failed;
  for (const f of chunk.failures) if (report.failures.length < cap) report.failures.push(f);
  for (const [code, n] of Object.entries(chunk.failuresByStatus))
    report.failuresByStatus[code] = (report.failuresByStatus[code] ?? 0) + n;
  for (const e of chunk.jobErrors) if (!report.jobErrors.includes(e)) report.jobErrors.push(e);
}

function checkUploadSize(
  spec: ObjectSpec,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  max: number,
  chunk: number,
): void {
  // Only large chunks are measured exactly; a rough bound keeps small ones cheap.
  let rough = 0;
  for (const r of rows) for (const c of r) rough += c.length * 3 + 3;
  if (rough <= max) return;
  const bytes = Buffer.byteLength(toBulkCsv(header, rows));
  if (bytes > max) {
    throw new DataError(
      `${spec.object}: chunk ${chunk} is ${bytes} bytes of CSV, above the ${max}-byte upload limit; lower recordsPerJob`,
      {},
    );
  }
}

async function describeAndCheck(
  load: TargetLoad,
  objects: readonly ObjectSpec[],
  plans: ReadonlyMap<string, ReturnType<typeof planObjectColumns>>,
  indexOf: ReadonlyMap<string, number>,
): Promise<void> {
  const names = new Set<string>();
  for (const o of objects) {
    names.add(o.object);
    for (const l of o.lookups) names.add(l.object);
  }
  const described = new Map<string, DescribedObject>();
  for (const name of names) {
    try {
      described.set(name, (await load.conn.describe(name)) as unknown as DescribedObject);
    } catch (err) {
      const mapped = toSalesforceError(err, { operation: 'describe', object: name });
      if (mapped.name === 'SalesforceApiError' || mapped.name === 'SalesforceJobNotFoundError') {
        throw new ConfigError(`the org has no object ${name} this user can see`, `${load.field}.objects`, {
          cause: err,
        });
      }
      throw mapped;
    }
  }
  for (const spec of objects) {
    const self = described.get(spec.object);
    if (self === undefined) continue;
    checkObjectAgainstDescribe(
      spec,
      plans.get(spec.object) ?? [],
      self,
      described,
      `${load.field}.objects[${indexOf.get(spec.object) ?? 0}]`,
    );
  }
}
