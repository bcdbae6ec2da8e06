/**
 * Read access to the `customers` table the pipeline's database target loads. The database is opened
 * read-only per request, so the app can start before the first load and sees every committed load at
 * once; values are read in whatever form the loader stored them (booleans as 0/1, dates as ISO text).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of better-sqlite3 used here (the package ships no type declarations). */
interface SqliteDatabase {
  prepare(sql: string): { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDatabase;

/** A customer row as stored, keyed by column name. */
export type CustomerRow = Record<string, unknown>;

/** Why the store could not answer: no database file yet, or no `customers` table in it. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/** Queries the demo app needs. */
export interface CustomerStore {
  /** The customer with this id, or undefined. */
  findById(id: string): CustomerRow | undefined;
  /** Customers whose e-mail equals `email` ignoring case, or contains it when no e-mail equals it. */
  searchByEmail(email: string, limit: number): CustomerRow[];
  /** Customers of a segment (all segments when undefined), in id order. */
  list(segment: string | undefined, limit: number): CustomerRow[];
  /** Rows in the table. */
  count(): number;
}

const TABLE = 'customers';

/** Opens the store over a SQLite file; each call opens and closes its own read-only connection. */
export function createCustomerStore(databaseFile: string): CustomerStore {
  const withDb = <T>(work: (db: SqliteDatabase) => T): T => {
    if (!existsSync(databaseFile)) throw new StoreUnavailable('the database file does not exist yet');
    const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE);
      if (table === undefined) throw new StoreUnavailable(`the database has no table "${TABLE}" yet`);
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    findById: (id) =>
      withDb(
        (db) => db.prepare(`SELECT * FROM "${TABLE}" WHERE customer_id = ?`).get(id) as CustomerRow | undefined,
      ),
    searchByEmail: (email, limit) =>
      withDb((db) => {
        const exact = db
          .prepare(`SELECT * FROM "${TABLE}" WHERE lower(email) = lower(?) ORDER BY customer_id LIMIT ?`)
          .all(email, limit) as CustomerRow[];
        if (exact.length > 0) return exact;
        return db
          .prepare(`SELECT * FROM "${TABLE}" WHERE instr(lower(email), lower(?)) > 0 ORDER BY customer_id LIMIT ?`)
          .all(email, limit) as CustomerRow[];
      }),
    list: (segment, limit) =>
      withDb((db) =>
        segment === undefined
          ? (db.prepare(`SELECT * FROM "${TABLE}" ORDER BY customer_id LIMIT ?`).all(limit) as CustomerRow[])
          : (db
              .prepare(`SELECT * FROM "${TABLE}" WHERE segment = ? ORDER BY customer_id LIMIT ?`)
              .all(segment, limit) as CustomerRow[]),
      ),
    count: () =>
      withDb((db) => (db.prepare(`SELECT count(*) AS n FROM "${TABLE}"`).get() as { n: number }).n),
  };
}

/** Reads a stored flag: SQLite holds booleans as 0/1, other loaders may leave `true`/`t`/`yes` text. */
export function readFlag(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  const text = String(value).trim().toLowerCase();
  if (['1', 'true', 't', 'yes', 'y'].includes(text)) return true;
  if (['0', 'false', 'f', 'no', 'n'].includes(text)) return false;
  return null;
}
