/**
 * Database URLs: which dialect a URL names, the knex configuration it yields, and its redacted
 * form for messages (credentials never leave this module).
 */
import path from 'node:path';
import type { Knex } from 'knex';
import mysql from 'mysql2';
import { ConfigError } from '../../core/errors.js';
import type { Dialect } from './port.js';

/** Session settings every MySQL connection gets: strict mode so oversize or invalid values fail instead of being truncated, and UTC. */
export const MYSQL_SESSION_SQL =
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', NAMES utf8mb4" as const;

/** Session settings every PostgreSQL connection gets: UTC, and a bounded wait for locks held by a stalled attempt. */
export const POSTGRES_SESSION_SQL = "SET TIME ZONE 'UTC'; SET lock_timeout = '60s'" as const;

/**
 * How long SQLite itself waits for another writer's lock. better-sqlite3 waits synchronously,
 * blocking the event loop (and any other writer in this process), so the wait is short and the
 * target retries busy transactions asynchronously instead (see SQLITE_BUSY_RETRY_MS).
 */
export const SQLITE_BUSY_TIMEOUT_MS = 25;

/** How long a SQLite target keeps retrying a transaction that found the database locked. */
export const SQLITE_BUSY_RETRY_MS = 30_000;

/**
 * knex logs pool errors itself ("Acquire connection error: ..."), bypassing the redaction and
 * value-free mapping in errors.ts; every failure reaches the caller as a mapped error instead.
 */
const QUIET_LOG = { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} };

/** A parsed database URL. */
export interface ParsedDatabaseUrl {
  dialect: Dialect;
  knexConfig: Knex.Config;
}

const SECRET_PARAM = /pass|pwd|secret|token|key|credential/i;

/** The URL with its password (and secret-looking query parameters) replaced by `***`, safe for messages and logs. */
export function redactUrl(url: string): string {
  if (/^(sqlite|file):(?!\/\/[^/])/i.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (SECRET_PARAM.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

/**
 * Parses a target URL: `sqlite:rel/file.db`, `sqlite:///abs/file.db`, `file:rel.db` (relative
 * paths resolve inside `baseDir` and may not leave it), `postgres://`, `postgresql://`,
 * `mysql://` or `mariadb://`.
 */
export function parseDatabaseUrl(url: string, baseDir: string = process.cwd()): ParsedDatabaseUrl {
  if (typeof url !== 'string' || url.length === 0) throw new ConfigError('database URL is empty', 'url');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite':
    case 'file':
      return {
        dialect: 'sqlite',
        knexConfig: sqliteConfig(sqlitePath(url.slice(scheme.length + 1), baseDir, url)),
      };
    case 'postgres':
    case 'postgresql':
      return { dialect: 'postgres', knexConfig: postgresConfig(url) };
    case 'mysql':
    case 'mariadb':
      return { dialect: 'mysql', knexConfig: mysqlConfig(url) };
    default:
      throw new ConfigError(
        `unsupported database URL ${redactUrl(url)}: expected sqlite:, file:, postgres://, postgresql://, mysql:// or mariadb://`,
        'url',
      );
  }
}

function sqlitePath(rest: string, baseDir: string, url: string): string {
  if (rest === ':memory:') return rest;
  let p = rest;
  if (p.startsWith('//')) {
    // `sqlite:///abs` has an empty authority; anything else after `//` would be a host.
    if (!p.startsWith('///'))
      throw new ConfigError(
        `SQLite URL ${redactUrl(url)} names a host; use sqlite:relative/path.db or sqlite:///absolute/path.db`,
        'url',
      );
    p = p.slice(2);
  }
  if (p.length === 0) throw new ConfigError('SQLite URL has no file path', 'url');
  if (path.isAbsolute(p)) return path.normalize(p);
  const root = path.resolve(baseDir);
  const resolved = path.resolve(root, p);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw new ConfigError(`SQLite path ${JSON.stringify(p)} resolves outside the base directory`, 'url');
  }
  return resolved;
}

function sqliteConfig(filename: string): Knex.Config {
  return {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    compileSqlOnError: false,
    log: QUIET_LOG,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        db: { pragma(sql: string): unknown },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        try {
          // WAL lets readers (countRows from another process) run beside the loader.
          if (filename !== ':memory:') db.pragma('journal_mode = WAL');
          db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          db.pragma('synchronous = NORMAL');
          done(null, db);
        } catch (err) {
          done(err as Error, db);
        }
      },
    },
  };
}

function postgresConfig(url: string): Knex.Config {
  return {
    client: 'pg',
    connection: { connectionString: url, application_name: 'understudy' },
    compileSqlOnError: false,
    log: QUIET_LOG,
    acquireConnectionTimeout: 30_000,
    pool: {
      min: 0,
      max: 4,
      afterCreate: (
        conn: { query(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.query(POSTGRES_SESSION_SQL, (err) => done(err, conn));
      },
    },
  };
}

/**
 * mysql2 formats every query, scanning the whole text for `?` even without values; for our
 * multi-megabyte INSERTs (values already escaped) that scan cost a quarter of the client time.
 */
function formatMysqlQuery(sql: string, values: unknown, timezone?: string): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return mysql.format(sql, values as never, false, timezone as never);
}

function mysqlConfig(url: string): Knex.Config {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`malformed MySQL URL ${redactUrl(url)}`, 'url');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new ConfigError(`MySQL URL ${redactUrl(url)} names no database`, 'url');
  return {
    client: 'mysql2',
    connection: {
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database,
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      connectTimeout: 10_000,
      queryFormat: formatMysqlQuery,
      ...(u.searchParams.get('ssl') === 'true' ? { ssl: {} } : {}),
    },
    compileSqlOnError: false,
    log: QUIET_LOG,
    acquireConnectionTimeout: 30_000,
    pool: {
      min: 0,
      max: 4,
      afterCreate: (
        conn: { query(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.query(MYSQL_SESSION_SQL, (err) => done(err, conn));
      },
    },
  };
}
