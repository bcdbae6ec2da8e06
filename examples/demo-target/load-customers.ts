/**
 * Fills a SQLite database with customers from a CSV file through the same path the pipeline's database
 * target loads synthetic rows (readTableFile, then createDatabaseTarget's ensureTable/loadBatch), so the
 * demo app can be tried, and tested, without running the whole pipeline.
 */
import path from 'node:path';
import { createDatabaseTarget } from '../../integrations/database/index.js';
import { readTableFile } from '../../integrations/tabular/index.js';

/** Options of {@link loadCustomersCsv}. */
export interface LoadCustomersOptions {
  /** CSV with the columns of examples/customers.csv. */
  csvFile: string;
  /** SQLite file to create or append to. */
  databaseFile: string;
  /** Target table. @default customers */
  table?: string;
}

/** Loads the CSV's rows into the table (created when absent) and returns how many rows the table holds. */
export async function loadCustomersCsv(options: LoadCustomersOptions): Promise<number> {
  const table = options.table ?? 'customers';
  const rows = await readTableFile(options.csvFile, 'csv');
  const target = createDatabaseTarget(`sqlite:///${path.resolve(options.databaseFile).replace(/^\/+/, '')}`);
  const runId = `demo-seed-${Date.now()}`;
  const lease = { runId, table, token: 'seed' };
  try {
    await target.ensureTable(
      table,
      { columns: rows.columns.map((c) => ({ name: c.name, type: c.type })) },
      { primaryKey: rows.columns.some((c) => c.name === 'customer_id') ? ['customer_id'] : [] },
    );
    await target.acquireLease(lease);
    await target.prepareLoad({ ...lease, strategy: 'truncate_insert' });
    await target.loadBatch({ ...lease, batchId: '0', rows, strategy: 'truncate_insert' });
    await target.finishLoad({ ...lease, strategy: 'truncate_insert' });
    return await target.countRows(table);
  } finally {
    await target.close();
  }
}
