/**
 * Stage distribute, file/S3 and REST targets. File outputs (local or s3://) are written part by part into
 * an output that appears only complete; a completion record per output makes a second run skip it. REST
 * parts are sent batch by batch with the cursor (acknowledged batches, counts) heartbeated, so a retried
 * or restarted activity resumes where it stopped and sends an unacknowledged batch again under the same
 * Idempotency-Key. Each activity reports loaded, skipped, failed and duration.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure, activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError, DataError } from '../core/errors.js';
import {
  createLocalFileSink,
  resolveOutputFile,
  resolveOutputFormat,
  writeParts,
  type OutputSink,
  type PartSource,
  type WritePartsOptions,
} from '../integrations/files/index.js';
import {
  createRestTarget,
  idempotencyKeyFor,
  parseHostAllowlist,
  RestRejectedError,
  RestRetryableError,
  type HostAllowlist,
  type JsonValue,
  type RestPartCursor,
} from '../integrations/rest/index.js';
import {
  createS3Client,
  createS3Sink,
  isS3NotFound,
  parseS3Uri,
  readS3Settings,
  type S3Settings,
} from '../integrations/s3/index.js';
import { readTableFile } from '../integrations/tabular/index.js';
import type { FileTargetSpec, RestTargetSpec } from '../workflows/pipeline/target-schemas.js';
import type { ActivityDeps } from './deps.js';
import { partUri, runArtifact } from './paths.js';

/** Failure types of these activities (ApplicationFailure.type). */
export const TargetFailureType = {
  /** The REST API kept answering 5xx/429 or the network failed: retried by Temporal, after Retry-After when given. */
  RestRetryable: 'RestRetryable',
  /** The REST API refused the credentials or redirected: not retried. */
  RestRejected: 'RestRejected',
} as const;

/** Worker-side settings of the file/S3 and REST targets (never part of the run config). */
export interface DistributeTargetDeps {
  /** Hosts REST targets may reach (UNDERSTUDY_REST_ALLOWED_HOSTS). */
  restAllowlist: HostAllowlist;
  /** Authorization header of a named REST credential (UNDERSTUDY_REST_<NAME>_AUTHORIZATION). */
  restAuthorization(name: string): string | undefined;
  /** S3 settings for s3:// file targets (AWS_* and UNDERSTUDY_S3_* variables). */
  s3Settings(): S3Settings;
}

/** Reads {@link DistributeTargetDeps} from environment variables. */
export function readDistributeTargetDeps(env: NodeJS.ProcessEnv = process.env): DistributeTargetDeps {
  const allowlist = parseHostAllowlist(env.UNDERSTUDY_REST_ALLOWED_HOSTS);
  let s3: S3Settings | undefined;
  return {
    restAllowlist: allowlist,
    restAuthorization: (name) => env[`UNDERSTUDY_REST_${name.toUpperCase()}_AUTHORIZATION`] || undefined,
    s3Settings: () => (s3 ??= readS3Settings(env)),
  };
}

/** What a target (or one part of it) came to. */
export interface TargetLoadReport {
  target: string;
  /** Rows written or accepted by this attempt. */
  loaded: number;
  /** Rows already committed by an earlier attempt (a complete output, an acknowledged batch). */
  skipped: number;
  /** Rows the target refused. */
  failed: number;
  durationMs: number;
  /** Outputs written (file targets), with size and SHA-256. */
  outputs?: { uri: string; rows: number; bytes: number; sha256: string }[];
  /** Prefix of the per-batch failure records (REST), when any record failed. */
  failuresPrefix?: string;
}

/** Input of writeFileTarget. */
export interface WriteFileTargetInput {
  runKey: string;
  /** Stable id of the target within the run (its name, or `targets[i]`). */
  targetId: string;
  target: FileTargetSpec;
  partsPrefix: string;
  partCount: number;
}

/** Input of loadRestPart. */
export interface LoadRestPartInput {
  runKey: string;
  targetId: string;
  target: RestTargetSpec;
  partsPrefix: string;
  partIndex: number;
}

interface FileCursor {
  nextPart: number;
}

interface OutputRecord {
  uri: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Creates the file/S3 and REST target activities; worker settings default to the environment. */
export function createDistributeTargetActivities(deps: ActivityDeps & Partial<DistributeTargetDeps>) {
  let fromEnv: DistributeTargetDeps | undefined;
  const settings = (): DistributeTargetDeps => {
    fromEnv ??= readDistributeTargetDeps();
    return {
      restAllowlist: deps.restAllowlist ?? fromEnv.restAllowlist,
      restAuthorization: deps.restAuthorization ?? fromEnv.restAuthorization,
      s3Settings: deps.s3Settings ?? fromEnv.s3Settings,
    };
  };

  const partSource = (partsPrefix: string, count: number): PartSource => ({
    count,
    localPath: (k) => deps.store.localCopy(partUri(partsPrefix, k)),
  });

  /** Where one output goes, and how to tell whether it is already there with the recorded size. */
  const destination = async (target: FileTargetSpec, name: string, field: string) => {
    if (target.uri !== undefined) {
      const location = parseS3Uri(name, `${field}.uri`);
      const s3 = settings().s3Settings();
      const client = createS3Client(s3);
      return {
        uri: name,
        sink: (): OutputSink =>
          createS3Sink({ client, ...location, partSize: s3.partSize, queueSize: s3.queueSize }),
        size: async (): Promise<number | undefined> => {
          try {
            return (await client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key })))
              .ContentLength;
          } catch (error) {
            if (isS3NotFound(error)) return undefined;
            throw error;
          }
        },
      };
    }
    const resolved = await resolveOutputFile(deps.outputRoot, name, `${field}.path`);
    return {
      uri: `file://${resolved.path}`,
      sink: (): OutputSink => createLocalFileSink(resolved.path),
      size: async (): Promise<number | undefined> => {
        return stat(resolved.path).then(
          (s) => s.size,
          () => undefined,
        );
      },
    };
  };

  const writeOptions = (
    target: FileTargetSpec,
    name: string,
    field: string,
    scratchDir: string,
  ): WritePartsOptions => {
    const { format, gzip } = resolveOutputFormat(name, { format: target.format, gzip: target.gzip }, field);
    if (format === 'sql' && target.sql === undefined)
      throw new ConfigError('SQL output needs "sql" with dialect and table', `${field}.sql`);
    return {
      format,
      gzip,
      neutralizeFormulas: target.neutralizeFormulas,
      ...(target.sql === undefined ? {} : { sql: target.sql }),
      ...(target.xlsx === undefined ? {} : { xlsx: target.xlsx }),
      scratchDir,
    };
  };

  return {
    /** Writes all parts to one output (or one output per part) on local disk or S3; complete outputs are not rewritten. */
    async writeFileTarget(input: WriteFileTargetInput): Promise<TargetLoadReport> {
      const started = Date.now();
      const field = 'target';
      const target = input.target;
      const base = target.uri ?? target.path;
      if (base === undefined) throw new ConfigError('give exactly one of "path" or "uri"', `${field}.path`);
      const recordUri = (suffix: string) =>
        runArtifact(deps.store, input.runKey, 'targets', input.targetId, suffix);
      const scratchDir = path.join(deps.outputRoot, '.understudy-scratch');
      const report: TargetLoadReport = {
        target: input.targetId,
        loaded: 0,
        skipped: 0,
        failed: 0,
        durationMs: 0,
        outputs: [],
      };

      const writeOne = async (
        name: string,
        parts: PartSource,
        record: string,
        onPart: (k: number) => void,
      ): Promise<void> => {
        const options = writeOptions(target, name, field, scratchDir);
        const dest = await destination(target, name, field);
        // Safe to run twice: an output whose completion record matches what is there now is left alone.
        if (await deps.store.exists(record)) {
          const done = await deps.store.getJson<OutputRecord>(record);
          if (done.uri === dest.uri && (await dest.size()) === done.bytes) {
            report.skipped += done.rows;
            report.outputs?.push(done);
            return;
          }
        }
        await mkdir(scratchDir, { recursive: true });
        const written = await writeParts(parts, dest.sink(), { ...options, onPart: (k) => onPart(k) });
        const done: OutputRecord = {
          uri: written.uri,
          rows: written.rows,
          bytes: written.bytes,
          sha256: written.sha256,
        };
        await deps.store.putJson(record, done);
        report.loaded += written.rows;
        report.outputs?.push(done);
      };

      if (target.layout === 'single') {
        await writeOne(base, partSource(input.partsPrefix, input.partCount), recordUri('output.json'), (k) =>
          heartbeat({ nextPart: k + 1 } satisfies FileCursor),
        );
      } else {
        const cursor = (activityInfo().heartbeatDetails as FileCursor | undefined) ?? { nextPart: 0 };
        for (let k = 0; k < input.partCount; k++) {
          const name = perPartName(base, k);
          const record = recordUri(`part-${String(k).padStart(6, '0')}.json`);
          if (k < cursor.nextPart && (await deps.store.exists(record))) {
            report.skipped += (await deps.store.getJson<OutputRecord>(record)).rows;
            continue;
          }
          const one: PartSource = {
            count: 1,
            localPath: () => deps.store.localCopy(partUri(input.partsPrefix, k)),
          };
          await writeOne(name, one, record, () => heartbeat({ nextPart: k } satisfies FileCursor));
          heartbeat({ nextPart: k + 1 } satisfies FileCursor);
        }
      }
      report.durationMs = Date.now() - started;
      return report;
    },

    /** Sends one part to a REST target in batches, resuming from the heartbeated cursor. */
    async loadRestPart(input: LoadRestPartInput): Promise<TargetLoadReport> {
      const started = Date.now();
      const spec = input.target;
      const worker = settings();
      let authorization: string | undefined;
      if (spec.credential !== undefined) {
        authorization = worker.restAuthorization(spec.credential);
        if (authorization === undefined) {
          throw new ConfigError(
            `no credential "${spec.credential}": set UNDERSTUDY_REST_${spec.credential.toUpperCase()}_AUTHORIZATION on the worker`,
            'target.credential',
          );
        }
      }
      const target = createRestTarget({
        url: spec.url,
        method: spec.method,
        allowlist: worker.restAllowlist,
        headers: spec.headers,
        ...(authorization === undefined ? {} : { authorization }),
        body: spec.body,
        ...(spec.template === undefined ? {} : { template: spec.template as JsonValue }),
        batchSize: spec.batchSize,
        concurrency: spec.concurrency,
        maxAttempts: spec.maxAttempts,
        timeoutMs: spec.timeoutMs,
      });
      const part = partLabel(input.partIndex);
      const failuresPrefix = runArtifact(
        deps.store,
        input.runKey,
        'targets',
        input.targetId,
        'rest-failures',
        part,
      );
      try {
        const local = await deps.store.localCopy(partUri(input.partsPrefix, input.partIndex));
        const table = await readTableFile(local, 'parquet', { displayName: part });
        const cursor = activityInfo().heartbeatDetails as RestPartCursor | undefined;
        const result = await target.sendPart(table, {
          idempotencyKey: (batch) =>
            idempotencyKeyFor({ run: input.runKey, target: input.targetId, part: input.partIndex, batch }),
          ...(cursor === undefined ? {} : { cursor }),
          signal: cancellationSignal(),
          onBatch: async (outcome, next) => {
            // Failures are stored before the cursor moves past their batch, so a crash cannot lose them.
            if (outcome.failures.length > 0) {
              await deps.store.putJson(
                `${failuresPrefix}/${partLabel(outcome.batch).replace('part', 'batch')}.json`,
                outcome.failures,
              );
            }
            heartbeat(next);
            if (spec.maxFailedRecords !== undefined && next.failed > spec.maxFailedRecords) {
              throw new DataError(`more than ${spec.maxFailedRecords} records were refused by the API`, {
                file: input.targetId,
              });
            }
          },
        });
        return {
          target: input.targetId,
          loaded: result.loaded,
          skipped: result.skipped,
          failed: result.failed,
          durationMs: Date.now() - started,
          ...(result.failed > 0 ? { failuresPrefix } : {}),
        };
      } catch (error) {
        if (error instanceof RestRetryableError) {
          throw ApplicationFailure.create({
            message: error.message,
            type: TargetFailureType.RestRetryable,
            ...(error.retryAfterMs === undefined ? {} : { nextRetryDelay: error.retryAfterMs }),
          });
        }
        if (error instanceof RestRejectedError) {
          throw ApplicationFailure.create({
            message: error.message,
            type: TargetFailureType.RestRejected,
            nonRetryable: true,
          });
        }
        throw error;
      } finally {
        target.close();
      }
    },
  };
}

/** The file/S3 and REST target activities. */
export type DistributeTargetActivities = ReturnType<typeof createDistributeTargetActivities>;

function partLabel(k: number): string {
  return `part-${String(k).padStart(6, '0')}`;
}

/** `out/customers.csv.gz` → `out/customers-part-000003.csv.gz`. */
function perPartName(base: string, k: number): string {
  const slash = base.lastIndexOf('/');
  const dir = base.slice(0, slash + 1);
  const file = base.slice(slash + 1);
  const dot = file.search(/\.[^.]+(\.gz)?$/i);
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const ext = dot > 0 ? file.slice(dot) : '';
  return `${dir}${stem}-${partLabel(k)}${ext}`;
}
