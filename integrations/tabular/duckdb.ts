import { DuckDBInstance, quotedIdentifier, quotedString, type DuckDBConnection } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | undefined;

/**
 * The process-wide in-memory DuckDB instance. One instance shares its thread pool and memory budget
 * across every read and write in a worker; connections are cheap and made per operation.
 */
export function getDuckDBInstance(): Promise<DuckDBInstance> {
  instance ??= (async () =>
    DuckDBInstance.create(':memory:', {
      // Row order must follow file order: batches and chunks are addressed by row position.
      preserve_insertion_order: 'true',
      // Everything needed (csv, json, parquet, icu) is statically linked; never reach for the network.
      autoinstall_known_extensions: 'false',
    }))().catch((error: unknown) => {
    instance = undefined;
    throw error;
  });
  return instance;
}

/** A new connection to the shared instance with its session time zone set to UTC; the caller closes it. */
export async function openDuckDBConnection(): Promise<DuckDBConnection> {
  const connection = await (await getDuckDBInstance()).connect();
  try {
    // Timestamps are exchanged as UTC ISO strings; the host's TZ must not shift them.
    await connection.run(`SET TimeZone = 'UTC'`);
  } catch (error) {
    connection.closeSync();
    throw error;
  }
  return connection;
}

/** Runs `use` with a fresh UTC connection, closing the connection afterwards. */
export async function withDuckDBConnection<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await openDuckDBConnection();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
  }
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return quotedString(value);
}

/** A SQL identifier, quoted. */
export function sqlIdentifier(name: string): string {
  return quotedIdentifier(name);
}

/**
 * The category of a DuckDB error (`Conversion Error`, `Invalid Input Error`, …) without the rest of its
 * message, which often quotes the offending line or value and so must not reach logs or users.
 */
export function duckDBErrorCategory(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return /^([A-Za-z ]{1,40} Error):/.exec(message)?.[1] ?? 'DuckDB error';
}
