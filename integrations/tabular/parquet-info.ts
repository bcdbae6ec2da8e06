import { DataError } from '../../core/errors.js';
import type { TableSchema } from '../../core/table.js';
import { describeRelation, schemaFromDescribed } from './duckdb-columns.js';
import { duckDBErrorCategory, sqlString, withDuckDBConnection } from './duckdb.js';

/** Number of rows in a Parquet file, read from its footer. */
export async function countParquetRows(path: string, displayName = path): Promise<number> {
  return withDuckDBConnection(async (connection) => {
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*) AS n FROM read_parquet(${sqlString(path)})`,
      );
      return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
    } catch (error) {
      throw notParquet(error, displayName);
    }
  });
}

/** Column names and physical types of a Parquet file, read from its footer. */
export async function readParquetSchema(path: string, displayName = path): Promise<TableSchema> {
  return withDuckDBConnection(async (connection) => {
    try {
      return schemaFromDescribed(await describeRelation(connection, `read_parquet(${sqlString(path)})`));
    } catch (error) {
      throw notParquet(error, displayName);
    }
  });
}

/** A DataError for a file DuckDB cannot read as Parquet; DuckDB's own message is withheld because it can quote data. */
export function notParquet(error: unknown, file: string): DataError {
  return new DataError(`could not be read as Parquet (${duckDBErrorCategory(error)})`, { file });
}
