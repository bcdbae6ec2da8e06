/**
 * A relational run whose worker is killed (SIGKILL) while the set is being loaded into SQLite: a
 * replacement worker resumes the load under the same ledger id, and every table ends with exactly
 * the synthetic rows, unique keys and no dangling reference; the batches the killed worker had
 * committed are reported as skipped, not loaded twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PipelineInput, PipelineOutput } from '../../workflows/pipeline/contract.js';
import { queryDatabase } from '../support/databases.js';
import { connectTestEnv, startPipeline, waitForStatus } from '../support/temporal.js';
import { crashWorkerEnv, kill, spawnWorker } from '../support/worker-child.js';

/** Rows in a table, or 0 while the table does not exist yet (or is locked by the writer for a moment). */
async function rowsIn(url: string, table: string): Promise<number> {
  try {
    const rows = await queryDatabase(url, `SELECT COUNT(*) AS n FROM ${table}`);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

describe('a worker killed while a relational set loads', () => {
  let env: TestWorkflowEnvironment;
  let workDir: string;
  beforeAll(async () => {
    env = await connectTestEnv();
    workDir = await mkdtemp(path.join(os.tmpdir(), 'understudy-relational-crash-'));
  });
  afterAll(async () => {
    await env?.teardown();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('is replaced, and the load resumes without a lost or duplicated row', { timeout: 300_000 }, async () => {
    const url = `sqlite://${path.join(workDir, 'shop.db')}`;
    const config = {
      seed: 3,
      synthesizer: 'copula',
      relational: {
        metadata: 'examples/relational/metadata.json',
        sources: {
          customers: { uri: 'examples/relational/customers.csv' },
          products: { uri: 'examples/relational/products.csv' },
          orders: { uri: 'examples/relational/orders.csv' },
          order_items: { uri: 'examples/relational/order_items.csv' },
        },
        scale: 2,
      },
      gates: { sensitivity: { enabled: false }, quality: { enabled: false }, privacy: { enabled: false } },
      // Small batches: many transactions, so the kill lands inside the load.
      targets: [{ type: 'database', url, strategy: 'truncate_insert', batchSize: 50 }],
    } as PipelineInput;
    const workerEnv = crashWorkerEnv(workDir, 'relational-crash');
    let child = spawnWorker(workerEnv);
    const handle = await startPipeline(env.client, workerEnv.UNDERSTUDY_TASK_QUEUE, config);
    try {
      await waitForStatus(handle, (s) => s.stage === 'distribute', 180_000);
      // Customers (loaded first) has committed batches and order_items (loaded last) has none: mid-load.
      const deadline = Date.now() + 120_000;
      while ((await rowsIn(url, 'customers')) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(await rowsIn(url, 'order_items')).toBe(0);
      await kill(child);
      child = spawnWorker(workerEnv);
      const out = (await handle.result()) as PipelineOutput;

      const tables = out.metrics.relational?.tables ?? {};
      const targets = out.metrics.targets ?? {};
      let skipped = 0;
      for (const name of ['customers', 'products', 'orders', 'order_items']) {
        const expected = tables[name]?.syntheticRows ?? -1;
        const report = targets[`targets[0] ${name}`];
        expect(report, name).toBeDefined();
        expect((report?.loaded ?? 0) + (report?.skipped ?? 0), name).toBe(expected);
        expect(await rowsIn(url, name), name).toBe(expected);
        skipped += report?.skipped ?? 0;
      }
      expect(skipped).toBeGreaterThan(0);
      const one = async (sql: string) => Number(Object.values((await queryDatabase(url, sql))[0] ?? {})[0]);
      expect(await one('SELECT COUNT(DISTINCT customer_id) FROM customers')).toBe(
        tables.customers?.syntheticRows,
      );
      expect(await one('SELECT COUNT(*) FROM (SELECT DISTINCT order_id, line_no FROM order_items)')).toBe(
        tables.order_items?.syntheticRows,
      );
      expect(
        await one(
          'SELECT COUNT(*) FROM order_items i LEFT JOIN orders o ON o.order_id = i.order_id WHERE o.order_id IS NULL',
        ),
      ).toBe(0);
      expect(
        await one(
          'SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE c.customer_id IS NULL',
        ),
      ).toBe(0);
    } finally {
      await kill(child);
    }
  });
});
