/**
 * The distribute activities with the database strategies (MockActivityEnvironment, a SQLite file):
 * replace_swap keeps the old rows until verifyDatabaseTarget swaps the new ones in, and upsert into an
 * existing table with mapped column names updates rows instead of duplicating them across runs.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PipelineActivities } from '../../activities/index.js';
import type { DatabaseTargetConfig } from '../../workflows/pipeline/config-schema.js';
import { analyzeSample, createTestActivities, runActivity as run } from '../support/activity-run.js';
import { countRows, openDb } from '../support/temporal.js';

describe('database strategies in the distribute activities', () => {
  let acts: PipelineActivities;
  let work: string;
  let partsPrefix: string;
  let schema: { name: string; type: string }[];
  const env = new MockActivityEnvironment();

  beforeAll(async () => {
    ({ acts, work } = await createTestActivities('understudy-strategies-'));
    const runKey = 'strategies/fit';
    const analyzed = await analyzeSample(acts, runKey);
    schema = analyzed.schema;
    const fit = await run(env, acts.fitModel, analyzed.base);
    partsPrefix = fit.partsPrefix;
    for (const [chunkIndex, startRow, rowCount] of [
      [0, 0, 400],
      [1, 400, 250],
    ] as const) {
      await run(env, acts.synthesizeChunk, {
        runKey,
        modelUri: fit.modelUri,
        partsPrefix,
        sampleUri: analyzed.base.sampleUri,
        seed: 9,
        chunkIndex,
        startRow,
        rowCount,
      });
    }
  });

  async function load(runKey: string, target: DatabaseTargetConfig, partIndex: number) {
    await run(env, acts.prepareDatabaseTarget, { runKey, target, schema });
    await run(env, acts.loadPart, { runKey, target, partsPrefix, partIndex });
  }

  it('replace_swap: the old rows stay until the swap, then the new rows replace them whole', async () => {
    const file = path.join(work, 'swap.db');
    const base = { type: 'database' as const, url: `sqlite:${file}`, table: 'customers', batchSize: 100 };
    const append: DatabaseTargetConfig = { ...base, strategy: 'append' };
    await load('strategies/first', append, 0);
    await run(env, acts.verifyDatabaseTarget, { runKey: 'strategies/first', target: append });

    const swap: DatabaseTargetConfig = { ...base, strategy: 'replace_swap' };
    await load('strategies/second', swap, 1);
    const db = openDb(file);
    try {
      expect(await countRows(db, 'customers', 'customer_id')).toEqual({ rows: 400, distinct: 400 });
      const verified = await run(env, acts.verifyDatabaseTarget, {
        runKey: 'strategies/second',
        target: swap,
      });
      expect(verified).toMatchObject({ ledgerRows: 250, tableRows: 250 });
      // Verifying again (a retried activity) swaps nothing twice.
      expect(
        await run(env, acts.verifyDatabaseTarget, { runKey: 'strategies/second', target: swap }),
      ).toMatchObject({
        tableRows: 250,
      });
      expect(await countRows(db, 'customers', 'customer_id')).toEqual({ rows: 250, distinct: 250 });
    } finally {
      await db.destroy();
    }
  });

  it('upsert into an existing table with mapped column names updates instead of duplicating', async () => {
    const file = path.join(work, 'upsert.db');
    const db = openDb(file);
    try {
      await db.raw('CREATE TABLE accounts (cust_id TEXT PRIMARY KEY, mail TEXT, score INTEGER, note TEXT)');
      const columns: Record<string, string | null> = Object.fromEntries(schema.map((c) => [c.name, null]));
      Object.assign(columns, { customer_id: 'cust_id', email: 'mail', credit_score: 'score' });
      const target: DatabaseTargetConfig = {
        type: 'database',
        url: `sqlite:${file}`,
        table: 'accounts',
        strategy: 'upsert',
        key: ['cust_id'],
        columns,
        batchSize: 100,
      };
      await load('strategies/upsert-1', target, 0);
      await load('strategies/upsert-2', target, 0);
      expect(await countRows(db, 'accounts', 'cust_id')).toEqual({ rows: 400, distinct: 400 });
      const row = (await db('accounts').whereNotNull('mail').first()) as Record<string, unknown>;
      expect(Object.keys(row).sort()).toEqual(['cust_id', 'mail', 'note', 'score']);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a mapping that names a column the synthetic data lacks, naming the field', async () => {
    const target: DatabaseTargetConfig = {
      type: 'database',
      url: `sqlite:${path.join(work, 'bad.db')}`,
      table: 'accounts',
      strategy: 'append',
      columns: { emial: 'mail' },
      batchSize: 100,
    };
    const err = await env
      .run(acts.prepareDatabaseTarget, { runKey: 'strategies/bad', target, schema })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('ConfigError');
    expect((err as Error).message).toContain('targets[].columns.emial');
  });
});
