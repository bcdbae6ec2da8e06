/**
 * Maps driver errors (pg, mysql2, better-sqlite3, knex) to the domain errors the activity layer
 * understands: DataError for rows or tables that can never load, ConfigError for wrong
 * credentials or targets, TransientDbError for anything a retry may cure.
 *
 * Driver messages are never passed on: PostgreSQL's COPY context, MySQL's "Incorrect value" and
 * "Duplicate entry" messages, and knex's query echo all carry row values. Every message here is
 * built from the error code, the table and column names, and the row number only.
 */
import { ConfigError, DataError, FencedError } from '../../core/errors.js';
import { describeIdentifier } from './identifiers.js';
import type { Dialect } from './port.js';

/** A database failure that a retry may cure (connection reset, timeout, deadlock, serialization failure). */
export class TransientDbError extends Error {
  override readonly name = 'TransientDbError';
}

/** What the target was doing when a driver error occurred, for naming the place at fault. */
export interface ErrorContext {
  dialect: Dialect;
  operation: string;
  /** The connection URL with credentials removed. */
  redactedUrl: string;
  table?: string;
  batchId?: string;
  /** Column names of the rows being written, used to recognise a column named in a driver message. */
  columns?: readonly string[];
}

/** A driver error raised while writing rows, with the 1-based batch row where the failing statement starts. */
export class DriverErrorAtRow extends Error {
  override readonly name = 'DriverErrorAtRow';
  constructor(
    readonly driverError: unknown,
    /** Batch row (1-based) of the statement's first row. */
    readonly firstRow: number,
    /** True when the statement wrote exactly one row, so the row is known without the driver's help. */
    readonly exact: boolean,
  ) {
    super('driver error while writing rows');
  }
}

type Kind = 'data' | 'config' | 'transient';

interface Classified {
  kind: Kind;
  reason: string;
  column?: string;
  /** 1-based row within the batch. */
  row?: number;
  field?: string;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
]);

/**
 * Turns any error thrown while talking to the database into DataError, ConfigError, FencedError
 * or TransientDbError; errors that are already one of those pass through unchanged, and errors
 * that do not come from a driver (programming errors) are rethrown as they are.
 */
export function toTargetError(err: unknown, ctx: ErrorContext): Error {
  if (
    err instanceof DataError ||
    err instanceof ConfigError ||
    err instanceof FencedError ||
    err instanceof TransientDbError
  ) {
    return err;
  }
  let firstRow: number | undefined;
  let exact = false;
  let driverError = err;
  if (err instanceof DriverErrorAtRow) {
    driverError = err.driverError;
    firstRow = err.firstRow;
    exact = err.exact;
    if (
      driverError instanceof DataError ||
      driverError instanceof ConfigError ||
      driverError instanceof TransientDbError
    )
      return driverError;
  }
  const classified = classify(driverError, ctx);
  if (!classified) return driverError instanceof Error ? driverError : new Error(String(driverError));
  if (exact && firstRow !== undefined) classified.row = firstRow;
  else if (firstRow !== undefined && classified.row !== undefined) classified.row += firstRow - 1;

  const where = describePlace(ctx);
  const cause = sanitizedCause(driverError, ctx.dialect);
  switch (classified.kind) {
    case 'data':
      return new DataError(
        `${where}: ${classified.reason}`,
        {
          ...(classified.row !== undefined ? { row: classified.row } : {}),
          ...(classified.column !== undefined ? { column: classified.column } : {}),
        },
        { cause },
      );
    case 'config':
      return new ConfigError(
        `${where} (${ctx.redactedUrl}): ${classified.reason}`,
        classified.field ?? 'url',
        { cause },
      );
    case 'transient':
      return new TransientDbError(`${where}: ${classified.reason}; retrying may succeed`, { cause });
  }
}

/** A DataError for a cell the write path rejected before it reached the database. */
export function cellDataError(ctx: ErrorContext, reason: string, row: number, column: string): DataError {
  return new DataError(`${describePlace(ctx)}: ${reason}`, { row, column });
}

function describePlace(ctx: ErrorContext): string {
  const parts = [`${ctx.dialect} ${ctx.operation}`];
  if (ctx.table !== undefined) parts.push(`table ${describeIdentifier(ctx.table)}`);
  if (ctx.batchId !== undefined) parts.push(`batch ${JSON.stringify(ctx.batchId)}`);
  return parts.join(', ');
}

/** A stand-in for the driver error that keeps its codes (and a network error's own text) but no SQL or values. */
function sanitizedCause(err: unknown, dialect: Dialect): Error {
  const e = asRecord(err);
  const code = stringField(e, 'code');
  const parts = [`${dialect} driver error`];
  if (code) parts.push(`code ${code}`);
  const errno = e?.['errno'];
  if (typeof errno === 'number' && dialect === 'mysql') parts.push(`errno ${errno}`);
  // Node system errors only describe the socket (syscall, address, port), never rows.
  if (typeof e?.['syscall'] === 'string' && typeof e['message'] === 'string') parts.push(`(${e['message']})`);
  if (stringField(e, 'name') === 'KnexTimeoutError') parts.push('(connection pool timeout)');
  const cause = new Error(parts.join(' '));
  cause.name = 'DriverError';
  return cause;
}

function classify(err: unknown, ctx: ErrorContext): Classified | undefined {
  const e = asRecord(err);
  if (!e) return undefined;
  const code = stringField(e, 'code');
  const name = stringField(e, 'name');
  const message = stringField(e, 'message') ?? '';
  if (name === 'KnexTimeoutError')
    return { kind: 'transient', reason: 'timed out waiting for a database connection' };
  if (code === 'ENOTFOUND') return { kind: 'config', reason: 'database host not found' };
  if (code && NETWORK_CODES.has(code)) return { kind: 'transient', reason: `connection failed (${code})` };
  switch (ctx.dialect) {
    case 'postgres':
      return classifyPostgres(e, code, message, ctx);
    case 'mysql':
      return classifyMysql(e, code, ctx);
    case 'sqlite':
      return classifySqlite(code, message, ctx);
  }
}

function classifyPostgres(
  e: Record<string, unknown>,
  code: string | undefined,
  message: string,
  ctx: ErrorContext,
): Classified | undefined {
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) {
    // pg reports a dropped socket without a code.
    if (/connection terminated|connection error|not queryable|connection ended|timeout/i.test(message)) {
      return { kind: 'transient', reason: 'connection lost' };
    }
    return undefined;
  }
  const located = locatePostgres(e, ctx);
  const data = (reason: string): Classified => ({ kind: 'data', reason, ...located });
  const cls = code.slice(0, 2);
  const constraint = stringField(e, 'constraint');
  const named = constraint ? ` (constraint ${describeIdentifier(constraint)})` : '';
  switch (code) {
    case '23502':
      return data('NOT NULL violation: a required column received no value');
    case '23505':
      return data(`unique constraint violation${named}`);
    case '23503':
      return data(`foreign key violation${named}`);
    case '23514':
      return data(`check constraint violation${named}`);
    case '22001':
      return data('value too long for the column type');
    case '22003':
      return data('numeric value out of range for the column type');
    case '22007':
    case '22008':
      return data('invalid date or time value for the column type');
    case '22P02':
      return data('value does not match the column type');
    case '22021':
      return data('invalid byte sequence for the database encoding');
    case '22P04':
    case '22P05':
      return data('malformed COPY data');
    case '42P01':
      return data('table does not exist');
    case '42703':
      return data('column does not exist');
    case '42804':
    case '42846':
      return data('column type does not match the data');
    case '42501':
      return { kind: 'config', reason: 'permission denied', field: 'table' };
    case '3D000':
      return { kind: 'config', reason: 'database does not exist' };
    case '3F000':
      return { kind: 'config', reason: 'schema does not exist' };
    case '55P03':
      return { kind: 'transient', reason: 'lock not available (lock timeout)' };
    case '40001':
      return { kind: 'transient', reason: 'serialization failure' };
    case '40P01':
      return { kind: 'transient', reason: 'deadlock detected' };
  }
  switch (cls) {
    case '23':
      return data(`integrity constraint violation (SQLSTATE ${code})`);
    case '22':
      return data(`data exception (SQLSTATE ${code})`);
    case '54':
      return data(`row or value exceeds a PostgreSQL limit (SQLSTATE ${code})`);
    case '42':
      return data(`statement rejected by the schema (SQLSTATE ${code})`);
    case '28':
      return { kind: 'config', reason: 'authentication failed' };
    case '0A':
      return { kind: 'config', reason: `feature not supported by this server (SQLSTATE ${code})` };
    default:
      // Connection (08), transaction rollback (40), resources (53), operator intervention (57),
      // system (58, XX): the server or the network, not the data.
      return { kind: 'transient', reason: `database unavailable or interrupted (SQLSTATE ${code})` };
  }
}

/** PostgreSQL's COPY context reads `COPY <table>, line <n>, column <col>: <value>`; take the line and a known column only. */
function locatePostgres(e: Record<string, unknown>, ctx: ErrorContext): { column?: string; row?: number } {
  const out: { column?: string; row?: number } = {};
  const column = stringField(e, 'column');
  if (column) out.column = column;
  const where = stringField(e, 'where');
  if (where && ctx.table !== undefined) {
    const prefix = `COPY ${ctx.table}, line `;
    const at = where.indexOf(prefix);
    if (at >= 0) {
      const rest = where.slice(at + prefix.length);
      const digits = /^\d+/.exec(rest)?.[0];
      if (digits) {
        out.row = Number(digits);
        const tail = rest.slice(digits.length);
        if (!out.column) {
          const match = longestMatch(
            ctx.columns,
            (c) => tail.startsWith(`, column ${c}:`) || tail === `, column ${c}`,
          );
          if (match !== undefined) out.column = match;
        }
      }
    }
  }
  return out;
}

function classifyMysql(
  e: Record<string, unknown>,
  code: string | undefined,
  ctx: ErrorContext,
): Classified | undefined {
  const errno = typeof e['errno'] === 'number' ? e['errno'] : undefined;
  const sqlState = stringField(e, 'sqlState');
  if (errno === undefined && !sqlState) {
    if (code === 'ER_SERVER_SHUTDOWN') return { kind: 'transient', reason: 'server shutting down' };
    // mysql2 marks errors that killed the connection (including knex's ROLLBACK on the dead socket) as fatal.
    if (e['fatal'] === true) return { kind: 'transient', reason: 'connection lost' };
    return undefined;
  }
  const sqlMessage = stringField(e, 'sqlMessage') ?? stringField(e, 'message') ?? '';
  const located = locateMysql(sqlMessage, ctx);
  const data = (reason: string): Classified => ({ kind: 'data', reason, ...located });
  switch (errno) {
    case 1048:
      return data('NOT NULL violation: a required column received NULL');
    case 1364:
      return data('NOT NULL violation: a required column without a default received no value');
    case 1406:
      return data('value too long for the column type');
    case 1264:
      return data('numeric value out of range for the column type');
    case 1265:
      return data('value truncated to fit the column type');
    case 1366:
      return data('value does not match the column type or character set');
    case 1292:
    case 1411:
      return data('invalid value for the column type');
    case 1062:
    case 1586:
      return data('unique constraint violation');
    case 1451:
    case 1452:
      return data('foreign key violation');
    case 3819:
    case 4025:
      return data('check constraint violation');
    case 1146:
      return data('table does not exist');
    case 1054:
      return data('column does not exist');
    case 1118:
      return data('row size too large for the table');
    case 1153:
    case 1301:
      return data('row larger than max_allowed_packet');
    case 1045:
    case 1698:
      return { kind: 'config', reason: 'authentication failed' };
    case 1044:
    case 1142:
    case 1143:
      return { kind: 'config', reason: 'permission denied', field: 'table' };
    case 1049:
      return { kind: 'config', reason: 'database does not exist' };
    case 1205:
      return { kind: 'transient', reason: 'lock wait timeout' };
    case 1213:
      return { kind: 'transient', reason: 'deadlock detected' };
    case 1040:
      return { kind: 'transient', reason: 'too many connections' };
  }
  const cls = sqlState?.slice(0, 2);
  if (cls === '23') return data(`integrity constraint violation (errno ${errno ?? '?'})`);
  if (cls === '22') return data(`data exception (errno ${errno ?? '?'})`);
  if (cls === '42') return data(`statement rejected by the schema (errno ${errno ?? '?'})`);
  if (cls === '28') return { kind: 'config', reason: 'authentication failed' };
  return { kind: 'transient', reason: `database unavailable or interrupted (errno ${errno ?? '?'})` };
}

/** MySQL names the column in quotes or backticks and ends with `at row N`; take a known column and the number only. */
function locateMysql(message: string, ctx: ErrorContext): { column?: string; row?: number } {
  const out: { column?: string; row?: number } = {};
  const column = longestMatch(ctx.columns, (c) => message.includes(`'${c}'`) || message.includes(`\`${c}\``));
  if (column !== undefined) out.column = column;
  const row = /at row (\d+)\s*$/.exec(message)?.[1];
  if (row) out.row = Number(row);
  return out;
}

function classifySqlite(
  code: string | undefined,
  message: string,
  ctx: ErrorContext,
): Classified | undefined {
  if (!code?.startsWith('SQLITE_')) return undefined;
  // SQLite messages name `table.column` for constraints and carry no values.
  const column = longestMatch(
    ctx.columns,
    (c) => message.endsWith(`.${c}`) || message.endsWith(`column named ${c}`),
  );
  const data = (reason: string): Classified => ({
    kind: 'data',
    reason,
    ...(column !== undefined ? { column } : {}),
  });
  if (code === 'SQLITE_CONSTRAINT_NOTNULL')
    return data('NOT NULL violation: a required column received NULL');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return data('unique constraint violation');
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return data('foreign key violation');
  if (code === 'SQLITE_CONSTRAINT_CHECK') return data('check constraint violation');
  if (code.startsWith('SQLITE_CONSTRAINT')) return data('constraint violation');
  if (code === 'SQLITE_MISMATCH') return data('value does not match the column type');
  if (code === 'SQLITE_TOOBIG') return data('value larger than SQLite allows');
  if (code === 'SQLITE_ERROR') {
    if (/^no such table/.test(message)) return data('table does not exist');
    if (/has no column named|no such column/.test(message)) return data('column does not exist');
    return data('statement rejected by the schema');
  }
  if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|PROTOCOL|INTERRUPT|NOMEM)/.test(code)) {
    return { kind: 'transient', reason: `database busy or unavailable (${code})` };
  }
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|AUTH|NOTADB|CORRUPT)/.test(code)) {
    return { kind: 'config', reason: `database file unusable (${code})` };
  }
  return { kind: 'transient', reason: `unexpected SQLite error (${code})` };
}

function longestMatch(
  candidates: readonly string[] | undefined,
  test: (c: string) => boolean,
): string | undefined {
  let best: string | undefined;
  for (const c of candidates ?? []) if (test(c) && (best === undefined || c.length > best.length)) best = c;
  return best;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

function stringField(e: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = e?.[key];
  return typeof v === 'string' ? v : undefined;
}
