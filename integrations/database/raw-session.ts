/**
 * Statements on the driver connection that knex acquired (pooled, or bound to a knex
 * transaction). Statements that carry user identifiers go through here rather than knex.raw:
 * knex rewrites every `?` (even inside a quoted identifier) into a placeholder on PostgreSQL.
 */
import type { Dialect } from './port.js';

/** A query interface over one raw driver connection. */
export interface RawSession {
  readonly dialect: Dialect;
  /** The driver's own connection object (pg.Client, mysql2 Connection, better-sqlite3 Database). */
  readonly connection: unknown;
  /** Runs a query and returns its rows. */
  rows(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

interface PgConnection {
  query(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

interface MysqlConnection {
  query(sql: string, params: unknown[] | undefined, cb: (err: Error | null, result: unknown) => void): void;
}

interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { changes: number };
}

interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/** The placeholder for the `i`-th (1-based) parameter in `dialect`. */
export function placeholder(dialect: Dialect, i: number): string {
  return dialect === 'postgres' ? `$${i}` : '?';
}

/** Wraps a driver connection acquired through knex. */
export function createRawSession(dialect: Dialect, connection: unknown): RawSession {
  switch (dialect) {
    case 'postgres': {
      const conn = connection as PgConnection;
      return {
        dialect,
        connection,
        rows: async (sql, params) => (await conn.query(sql, params ? [...params] : undefined)).rows,
        run: async (sql, params) => (await conn.query(sql, params ? [...params] : undefined)).rowCount ?? 0,
      };
    }
    case 'mysql': {
      const conn = connection as MysqlConnection;
      const query = (sql: string, params?: readonly unknown[]): Promise<unknown> =>
        new Promise((resolve, reject) => {
          // No params means mysql2 does no client-side `?` substitution at all.
          conn.query(sql, params ? [...params] : undefined, (err, result) =>
            err ? reject(err) : resolve(result),
          );
        });
      return {
        dialect,
        connection,
        rows: async (sql, params) => (await query(sql, params)) as Record<string, unknown>[],
        run: async (sql, params) =>
          ((await query(sql, params)) as { affectedRows?: number }).affectedRows ?? 0,
      };
    }
    case 'sqlite': {
      const db = connection as SqliteConnection;
      return {
        dialect,
        connection,
        rows: async (sql, params) => db.prepare(sql).all(...(params ?? [])),
        run: async (sql, params) => {
          const stmt = db.prepare(sql);
          if (stmt.reader) {
            stmt.all(...(params ?? []));
            return 0;
          }
          return stmt.run(...(params ?? [])).changes;
        },
      };
    }
  }
}
