import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPipelineActivities, type PipelineActivities } from '../../activities/index.js';
import { createArtifactStore } from '../../integrations/storage/index.js';
import { countRows, openDb } from '../support/temporal.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** MockActivityEnvironment.run with the activity's own input and output types. */
function run<I, O>(env: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return env.run(fn, input) as Promise<O>;
}

describe('stage activities (MockActivityEnvironment)', () => {
  let acts: PipelineActivities;
  let work: string;
  const runKey = 'activity-test/run-1';
  let modelUri: string;
  let partsPrefix: string;
  let sampleUri: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'understudy-act-'));
    acts = createPipelineActivities({
      store: createArtifactStore({ root: path.join(work, 'artifacts') }),
      baseDir: repoRoot,
      outputRoot: path.join(work, 'output'),
      connectionUrl: () => undefined,
    });
    const env = new MockActivityEnvironment();
    const ingest = await run(env, acts.ingestSource, { runKey, source: { uri: 'examples/customers.csv' } });
    const profile = await run(env, acts.profileSample, { runKey, sampleUri: ingest.sampleUri });
    const classify = await run(env, acts.classifySample, {
      runKey,
      sampleUri: ingest.sampleUri,
      profileUri: profile.profileUri,
    });
    const fit = await run(env, acts.fitModel, {
      runKey,
      sampleUri: ingest.sampleUri,
      profileUri: profile.profileUri,
      sensitivityUri: classify.sensitivityUri,
    });
    modelUri = fit.modelUri;
    sampleUri = ingest.sampleUri;
    partsPrefix = fit.partsPrefix;
  });

  it('ingestSource maps a malformed file to a non-retryable DataError failure', async () => {
    const env = new MockActivityEnvironment();
    const err = await env
      .run(acts.ingestSource, { runKey, source: { uri: 'test/fixtures/malformed/ragged.csv' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('DataError');
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).message).toContain('ragged.csv');
  });

  it('synthesizeChunk is safe to run twice: the second attempt reuses the identical part', async () => {
    const env = new MockActivityEnvironment();
    const input = {
      runKey,
      modelUri,
      partsPrefix,
      sampleUri,
      seed: 3,
      chunkIndex: 0,
      startRow: 0,
      rowCount: 700,
    };
    const first = await run(env, acts.synthesizeChunk, input);
    const bytes = await readFile(first.partUri.replace(/^file:\/\//, ''));
    const second = await run(env, acts.synthesizeChunk, input);
    expect(first.reused).toBe(false);
    expect(second.reused).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    expect(first.exactCopies).toBe(0);
    expect(second.exactCopies).toBe(first.exactCopies);
    expect(second.rows).toBe(700);
    expect(await readFile(second.partUri.replace(/^file:\/\//, ''))).toEqual(bytes);
  });

  it('loadPart resumes from its heartbeat cursor and a full retry duplicates nothing', async () => {
    const env = new MockActivityEnvironment();
    await run(env, acts.synthesizeChunk, {
      runKey,
      modelUri,
      partsPrefix,
      sampleUri,
      seed: 3,
      chunkIndex: 1,
      startRow: 700,
      rowCount: 1000,
    });
    const dbFile = path.join(work, 'load.db');
    const target = {
      type: 'database' as const,
      url: `sqlite:${dbFile}`,
      table: 'people',
      strategy: 'append' as const,
      batchSize: 100,
    };
    const schemaSample = await run(env, acts.ingestSource, {
      runKey: 'schema-only',
      source: { uri: 'examples/customers.csv' },
    });
    await run(env, acts.prepareDatabaseTarget, { runKey, target, schema: schemaSample.schema });

    const heartbeats: unknown[] = [];
    const resumed = new MockActivityEnvironment({ heartbeatDetails: { nextBatch: 4 }, attempt: 2 });
    resumed.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const out = await run(resumed, acts.loadPart, { runKey, target, partsPrefix, partIndex: 1 });
    expect(out.batches).toBe(6);
    expect(out.loadedRows).toBe(600);
    expect(heartbeats.at(-1)).toEqual({ nextBatch: 10 });

    // A full retry from the start: the ledger skips the six loaded batches and adds the four missing.
    const retry = new MockActivityEnvironment({ attempt: 3 });
    const again = await run(retry, acts.loadPart, { runKey, target, partsPrefix, partIndex: 1 });
    expect(again.skippedBatches).toBe(6);
    expect(again.loadedRows).toBe(400);
    const db = openDb(dbFile);
    try {
      expect(await countRows(db, 'people', 'customer_id')).toEqual({ rows: 1000, distinct: 1000 });
    } finally {
      await db.destroy();
    }
    const verified = await run(env, acts.verifyDatabaseTarget, { runKey, target });
    expect(verified).toMatchObject({ ledgerRows: 1000, tableRows: 1000 });
  });

  it('exportFile refuses a path outside the output directory with a ConfigError', async () => {
    const env = new MockActivityEnvironment();
    const err = await env
      .run(acts.exportFile, {
        runKey,
        target: { type: 'file' as const, path: '../escape.csv' },
        partsPrefix,
        partCount: 1,
      })
      .catch((e: unknown) => e);
    expect((err as ApplicationFailure).type).toBe('ConfigError');
  });
});
