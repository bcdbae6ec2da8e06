import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { PipelineOutput } from '../../workflows/pipeline/contract.js';
import {
  countRows,
  openDb,
  smallConfig,
  startPipeline,
  startTestWorker,
  useTestWorker,
} from '../support/temporal.js';

async function partHashes(artifactRoot: string, partsUri: string): Promise<string[]> {
  const dir = partsUri.replace(/^file:\/\//, '');
  expect(dir.startsWith(artifactRoot)).toBe(true);
  const files = (await readdir(dir)).filter((f) => /^part-\d{6}\.parquet$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) =>
      createHash('sha256')
        .update(await readFile(path.join(dir, f)))
        .digest('hex'),
    ),
  );
}

describe('syntheticDataPipeline happy path', () => {
  const t = useTestWorker();

  it('runs every stage and loads exactly N rows into SQLite, PostgreSQL, MariaDB (when installed) and a file', async () => {
    const sqlitePath = path.join(t.worker.workDir, 'target.db');
    const table = `customers_${Date.now()}`;
    // .ci/run installs MariaDB; on a machine without it the MySQL-dialect target is left out, and said so.
    const mariadbUrl = inject('mariadbUrl');
    if (!mariadbUrl)
      console.warn('MariaDB is not installed: the happy path runs without its MySQL-dialect target');
    const mariadbTargets = mariadbUrl
      ? [
          {
            type: 'database' as const,
            url: mariadbUrl,
            table,
            strategy: 'truncate_insert' as const,
            batchSize: 600,
          },
        ]
      : [];
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 2500,
        chunkSize: 1000,
        targets: [
          {
            type: 'database',
            url: `sqlite:${sqlitePath}`,
            table,
            strategy: 'truncate_insert',
            batchSize: 400,
          },
          { type: 'database', connection: 'pg', table, strategy: 'truncate_insert', batchSize: 700 },
          { type: 'file', path: 'out/customers.parquet' },
          ...mariadbTargets,
        ],
      }),
    );
    const result = (await handle.result()) as PipelineOutput;
    expect(result.status).toBe('completed');
    expect(result.metrics.syntheticRows).toBe(2500);
    expect(result.metrics.sampleRows).toBeGreaterThan(1000);
    expect(result.metrics.sensitiveColumns).toEqual(expect.arrayContaining(['email', 'ssn', 'credit_card']));
    expect(result.metrics.qualityScore).toBeGreaterThan(0.7);
    expect(result.metrics.exactCopies).toBe(0);
    expect(Object.values(result.metrics.loadedRows ?? {})).toEqual([
      2500,
      2500,
      2500,
      ...mariadbTargets.map(() => 2500),
    ]);

    const dbs = [
      openDb(sqlitePath),
      openDb(inject('postgresUrl')),
      ...(mariadbUrl ? [openDb(mariadbUrl)] : []),
    ];
    try {
      for (const db of dbs) {
        expect(await countRows(db, table, 'customer_id')).toEqual({ rows: 2500, distinct: 2500 });
      }
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
    const reportHtml = result.artifacts.reportHtml?.replace(/^file:\/\//, '') ?? '';
    const html = await readFile(reportHtml, 'utf8');
    expect(html).toContain('<h2>Column quality</h2>');
    expect(html).toContain('customer_id');
    const reportJson = JSON.parse(
      await readFile(result.artifacts.reportJson!.replace(/^file:\/\//, ''), 'utf8'),
    );
    expect(reportJson.syntheticRows).toBe(2500);
    expect(reportJson.timings.map((t: { stage: string }) => t.stage)).toEqual(
      expect.arrayContaining([
        'ingest',
        'profile',
        'classify',
        'fit',
        'synthesize',
        'evaluate',
        'distribute',
      ]),
    );
    const exported = await readFile(path.join(t.worker.outputRoot, 'out/customers.parquet'));
    expect(exported.length).toBeGreaterThan(1000);
  });

  it('is deterministic: the same config and seed give byte-identical parts, also with maxCachedWorkflows 0', async () => {
    const uncached = await startTestWorker({ maxCachedWorkflows: 0 });
    try {
      const config = smallConfig({ rows: 2200, chunkSize: 500, seed: 99, parallelism: 3 });
      const a = (await (
        await startPipeline(t.env.client, t.worker.taskQueue, config)
      ).result()) as PipelineOutput;
      const b = (await (
        await startPipeline(t.env.client, uncached.taskQueue, config)
      ).result()) as PipelineOutput;
      const ha = await partHashes(t.worker.artifactRoot, a.artifacts.partsPrefix!);
      const hb = await partHashes(uncached.artifactRoot, b.artifacts.partsPrefix!);
      expect(ha).toHaveLength(5);
      expect(hb).toEqual(ha);
      const other = (await (
        await startPipeline(t.env.client, t.worker.taskQueue, { ...config, seed: 100 })
      ).result()) as PipelineOutput;
      expect(await partHashes(t.worker.artifactRoot, other.artifacts.partsPrefix!)).not.toEqual(ha);
    } finally {
      await uncached.stop();
    }
  });
});
