/**
 * Loading synthetic tables into SQLite, PostgreSQL and MySQL/MariaDB exactly once: a lease fences
 * zombie attempts and a ledger in the target records every committed batch.
 */
export type {
  DatabaseTarget,
  EnsureTableOptions,
  FinishLoadRequest,
  LeaseRequest,
  LedgerBatch,
  LedgerTotals,
  LoadBatchRequest,
  LoadBatchResult,
  PrepareLoadRequest,
} from './port.js';
export { Dialect, LoadStrategy } from './port.js';
export { createDatabaseTarget, type DatabaseTargetOptions } from './knex-target.js';
export { redactUrl } from './connection-url.js';
export { mapColumns, mapSchema, type ColumnMapping } from './column-mapping.js';
export { TransientDbError } from './errors.js';
export { COLUMN_TYPES } from './table-ddl.js';
export {
  IDENTIFIER_LIMITS,
  LEASE_TABLE,
  LEDGER_TABLE,
  quoteIdentifier,
  validateIdentifier,
} from './identifiers.js';
