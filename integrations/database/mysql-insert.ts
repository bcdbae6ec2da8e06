/**
 * MySQL/MariaDB bulk load: multi-row INSERT statements, each kept under max_allowed_packet,
 * sent on the transaction's connection so that a failure in the last statement rolls back the
 * earlier ones too.
 */
import type { Table } from '../../core/table.js';
import { cellDataError, DriverErrorAtRow, type ErrorContext } from './errors.js';
import { quoteIdentifier } from './identifiers.js';
import { onDuplicateKeyUpdate } from './upsert-sql.js';
import type { RawSession } from './raw-session.js';
import { mysqlEncoder } from './value-encoding.js';
import { encodeRow } from './encode-row.js';

/** Statement size beyond which batching more rows into one INSERT stops paying off. */
export const MYSQL_STATEMENT_TARGET_BYTES = 4 * 1024 * 1024;
/** Room left in a packet for the protocol header. */
const PACKET_OVERHEAD_BYTES = 1024;

/**
 * Inserts every row of `rows` into `table`; `maxAllowedPacket` is the server's limit in bytes. With
 * `upsertKey`, a row whose key exists updates that row instead (ON DUPLICATE KEY UPDATE), and the
 * rows processed are returned (MySQL counts an updated row twice in its affected rows).
 */
export async function insertRowsMysql(
  session: RawSession,
  table: string,
  rows: Table,
  ctx: ErrorContext,
  maxAllowedPacket: number,
  upsertKey?: readonly string[],
): Promise<number> {
  if (rows.rowCount === 0) return 0;
  const columns = rows.columns;
  const encoders = columns.map((c) => mysqlEncoder(c.type));
  const header = `INSERT INTO ${quoteIdentifier(table, 'mysql')} (${columns.map((c) => quoteIdentifier(c.name, 'mysql')).join(', ')}) VALUES `;
  const trailer = upsertKey === undefined ? '' : onDuplicateKeyUpdate(columns, upsertKey);
  // The trailer is sent with every statement: count it with the header.
  const headerBytes = Buffer.byteLength(header) + Buffer.byteLength(trailer);
  const hardLimit = maxAllowedPacket - PACKET_OVERHEAD_BYTES;
  const softLimit = Math.min(hardLimit, MYSQL_STATEMENT_TARGET_BYTES);
  const width = columns.length;
  const fields = new Array<string>(width);
  let tuples: string[] = [];
  let bytes = headerBytes;
  let firstRow = 1;
  let inserted = 0;

  const flush = async (): Promise<void> => {
    if (tuples.length === 0) return;
    try {
      const affected = await session.run(header + tuples.join(',') + trailer);
      inserted += upsertKey === undefined ? affected : tuples.length;
    } catch (err) {
      throw new DriverErrorAtRow(err, firstRow, tuples.length === 1);
    }
    firstRow += tuples.length;
    tuples = [];
    bytes = headerBytes;
  };

  for (let r = 0; r < rows.rowCount; r++) {
    encodeRow(columns, encoders, r, fields, ctx);
    const tuple = `(${fields.join(',')})`;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit: count exactly only near a limit.
    let tupleBytes = tuple.length * 3 + 1;
    if (bytes + tupleBytes > softLimit) tupleBytes = Buffer.byteLength(tuple) + 1;
    if (headerBytes + tupleBytes > hardLimit) {
      throw cellDataError(
        ctx,
        `row is larger than the server's max_allowed_packet (${maxAllowedPacket} bytes)`,
        r + 1,
        columns[0]!.name,
      );
    }
    if (bytes + tupleBytes > softLimit && tuples.length > 0) await flush();
    tuples.push(tuple);
    bytes += tupleBytes;
  }
  await flush();
  return inserted;
}
