/**
 * The file/S3 and REST target activities under MockActivityEnvironment, against real files, the local
 * S3 server and the local REST API: outputs appear once and are not rewritten by a second run; a REST
 * part interrupted by a failing API resumes from its heartbeated cursor and loads every row exactly once.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistributeTargetActivities } from '../../activities/distribute-targets.js';
import { partUri } from '../../activities/paths.js';
import type { Table } from '../../core/table.js';
import { parseHostAllowlist, type RestPartCursor } from '../../integrations/rest/index.js';
import { readS3Settings } from '../../integrations/s3/index.js';
import { createArtifactStore, type ArtifactStore } from '../../integrations/storage/index.js';
import { writeTableFile } from '../../integrations/tabular/index.js';
import { fileTargetSchema, restTargetSchema } from '../../workflows/pipeline/target-schemas.js';
import { startRestTargetServer, type RestTargetServer } from '../servers/rest-target-server.js';
import { startS3Server, type S3Server } from '../servers/s3-server.js';

const REGION = 'us-east-1';
const KEY_ID = 'AKIATARGETSTEST';
const SECRET = 'targets-test-secret';

function table(offset: number, n: number): Table {
  const ids = Array.from({ length: n }, (_, i) => offset + i + 1);
  return {
    rowCount: n,
    columns: [
      { name: 'id', type: 'integer', values: ids },
      { name: 'email', type: 'string', values: ids.map((id) => `user${id}@example.test`) },
    ],
  };
}

let work: string;
let store: ArtifactStore;
let partsPrefix: string;
let s3: S3Server;
let rest: RestTargetServer;
let acts: ReturnType<typeof createDistributeTargetActivities>;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'understudy-targets-'));
  store = createArtifactStore({ root: path.join(work, 'artifacts') });
  partsPrefix = store.uriFor('runs', 'run-1', 'synthetic');
  const sizes = [120, 80, 100];
  let offset = 0;
  for (const [k, n] of sizes.entries()) {
    await store.writeWith(partUri(partsPrefix, k), async (tmp) => {
      await writeTableFile(table(offset, n), tmp, 'parquet');
    });
    offset += n;
  }
  s3 = await startS3Server({ region: REGION, credentials: { [KEY_ID]: SECRET }, buckets: ['exports'] });
  rest = await startRestTargetServer({ authorization: 'Bearer from-worker-env' });
  acts = createDistributeTargetActivities({
    store,
    baseDir: work,
    outputRoot: path.join(work, 'output'),
    connectionUrl: () => undefined,
    restAllowlist: parseHostAllowlist(`127.0.0.1:${rest.port}`),
    restAuthorization: (name) => (name === 'crm' ? 'Bearer from-worker-env' : undefined),
    s3Settings: () =>
      readS3Settings({
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        UNDERSTUDY_S3_ENDPOINT: s3.url,
        UNDERSTUDY_S3_MAX_ATTEMPTS: '3',
      }),
  });
});
afterAll(async () => {
  await Promise.all([s3?.stop(), rest?.stop()]);
});

function run<I, O>(env: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return env.run(fn, input) as Promise<O>;
}

describe('writeFileTarget', () => {
  it('writes one gzip CSV inside the output root, and a second run leaves it alone', async () => {
    const target = fileTargetSchema.parse({ type: 'file', path: 'exports/customers.csv.gz' });
    const input = { runKey: 'run-1', targetId: 'csv', target, partsPrefix, partCount: 3 };
    const first = await run(new MockActivityEnvironment(), acts.writeFileTarget, input);
    expect(first).toMatchObject({ target: 'csv', loaded: 300, skipped: 0, failed: 0 });
    const file = path.join(work, 'output', 'exports', 'customers.csv.gz');
    const lines = gunzipSync(await readFile(file))
      .toString('utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(301);
    expect(lines[300]).toBe('300,user300@example.test');
    const mtime = (await stat(file)).mtimeMs;
    const second = await run(new MockActivityEnvironment(), acts.writeFileTarget, input);
    expect(second).toMatchObject({ loaded: 0, skipped: 300, failed: 0 });
    expect(second.outputs).toEqual(first.outputs);
    expect((await stat(file)).mtimeMs).toBe(mtime);
  });

  it('refuses a path out of the output root before writing anything', async () => {
    const target = fileTargetSchema.parse({ type: 'file', path: '../escape.csv' });
    await expect(
      run(new MockActivityEnvironment(), acts.writeFileTarget, {
        runKey: 'run-1',
        targetId: 'bad',
        target,
        partsPrefix,
        partCount: 3,
      }),
    ).rejects.toThrow(/target\.path/);
  });

  it('writes one S3 object per part and, resumed from its heartbeat, skips the ones already complete', async () => {
    const target = fileTargetSchema.parse({
      type: 'file',
      uri: 's3://exports/run-1/customers.jsonl',
      layout: 'per-part',
    });
    const input = { runKey: 'run-1', targetId: 's3-jsonl', target, partsPrefix, partCount: 3 };
    const beats: unknown[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const first = await run(env, acts.writeFileTarget, input);
    expect(first).toMatchObject({ loaded: 300, skipped: 0 });
    expect(s3.keys('exports').filter((k) => k.startsWith('run-1/'))).toEqual([
      'run-1/customers-part-000000.jsonl',
      'run-1/customers-part-000001.jsonl',
      'run-1/customers-part-000002.jsonl',
    ]);
    const body = s3.object('exports', 'run-1/customers-part-000001.jsonl')?.body.toString('utf8') ?? '';
    expect(
      body
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: number }).id),
    ).toEqual(Array.from({ length: 80 }, (_, i) => 121 + i));
    expect(beats.at(-1)).toEqual({ nextPart: 3 });

    s3.resetRequests();
    const resumed = await run(
      new MockActivityEnvironment({ heartbeatDetails: { nextPart: 2 } }),
      acts.writeFileTarget,
      input,
    );
    expect(resumed).toMatchObject({ loaded: 0, skipped: 300 });
    expect(s3.requests.filter((r) => r.operation === 'PutObject' || r.operation === 'UploadPart')).toEqual(
      [],
    );
  });
});

describe('loadRestPart', () => {
  it('resumes an interrupted part from its heartbeated cursor: every row once, acknowledged batches not resent', async () => {
    const target = restTargetSchema.parse({
      type: 'rest',
      url: `${rest.url}/records`,
      credential: 'crm',
      batchSize: 10,
      concurrency: 2,
      maxAttempts: 1,
      template: { externalId: '{{id}}', contact: { email: '{{email}}' } },
    });
    const input = { runKey: 'run-1', targetId: 'crm', target, partsPrefix, partIndex: 0 };
    const beats: RestPartCursor[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: RestPartCursor) => {
      beats.push(d);
      if (beats.length === 5)
        rest.failNext(...Array.from({ length: 6 }, () => ({ kind: 'status', status: 503 }) as const));
    });
    const failure = await run(env, acts.loadRestPart, input).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'RestRetryable' });
    rest.clearFaults();
    const cursor = beats.at(-1) as RestPartCursor;
    const before = rest.requests.length;
    const resumed = await run(
      new MockActivityEnvironment({ heartbeatDetails: cursor }),
      acts.loadRestPart,
      input,
    );
    expect(resumed).toMatchObject({ skipped: cursor.loaded, loaded: 120 - cursor.loaded, failed: 0 });
    const ids = (rest.stored as { externalId: number }[]).map((r) => r.externalId).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const acknowledgedKeys = new Set(
      rest.requests
        .slice(0, before)
        .filter((r) => r.status === 200)
        .map((r) => r.idempotencyKey),
    );
    for (const r of rest.requests.slice(before)) expect(acknowledgedKeys.has(r.idempotencyKey)).toBe(false);
    expect(rest.requests.every((r) => r.authorization === 'Bearer from-worker-env')).toBe(true);
  });

  it('names the missing worker credential and refuses hosts off the allowlist', async () => {
    const noCredential = restTargetSchema.parse({
      type: 'rest',
      url: `${rest.url}/records`,
      credential: 'erp',
    });
    await expect(
      run(new MockActivityEnvironment(), acts.loadRestPart, {
        runKey: 'run-1',
        targetId: 'erp',
        target: noCredential,
        partsPrefix,
        partIndex: 1,
      }),
    ).rejects.toThrow(/UNDERSTUDY_REST_ERP_AUTHORIZATION/);
    const offList = restTargetSchema.parse({ type: 'rest', url: 'http://169.254.169.254/latest' });
    await expect(
      run(new MockActivityEnvironment(), acts.loadRestPart, {
        runKey: 'run-1',
        targetId: 'x',
        target: offList,
        partsPrefix,
        partIndex: 1,
      }),
    ).rejects.toThrow(/allowlist/);
  });
});
