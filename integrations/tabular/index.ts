/**
 * Reading and writing tabular files (CSV, JSON, JSON Lines, Parquet) with DuckDB, strict streaming
 * validation of source files with precise, value-free errors, and resumable Parquet batch reads.
 */
export { detectFormat, delimiterFor, isGzipped, FileFormat } from './detect-format.js';
export { validateSourceFile, type ValidateSourceOptions } from './validate-source.js';
export type { SourceSummary } from './validate-csv.js';
export {
  readTableFile,
  readParquetBatches,
  type ReadTableOptions,
  type ReadParquetBatchesOptions,
} from './read-table.js';
export { writeTableFile, PARQUET_WRITE_OPTIONS, type WrittenFile } from './write-table.js';
export { countParquetRows, readParquetSchema } from './parquet-info.js';
