/**
 * File targets: CSV, TSV, JSON, JSON Lines, Parquet, SQL INSERT scripts and Excel, optionally gzip,
 * streamed part by part into a sink that appears atomically, with formula-injection and path guards.
 */
export { looksLikeFormula, neutralizeFormula } from './formula-guard.js';
export { resolveOutputFile, type ResolvedOutputPath } from './output-path.js';
export { OutputFormat, isTextFormat, resolveOutputFormat } from './output-format.js';
export { createLocalFileSink, type OutputSink } from './output-sink.js';
export { SqlDialect, quoteIdentifier, sqlLiteral, columnTypeFor, type LiteralPlace } from './sql-dialect.js';
export {
  createCsvEncoder,
  createJsonEncoder,
  createSqlEncoder,
  type CsvEncoderOptions,
  type SqlEncoderOptions,
  type TextEncoder,
} from './text-encoders.js';
export {
  createXlsxWriter,
  EXCEL_MAX_ROWS,
  EXCEL_MAX_CELL_CHARS,
  type XlsxWriter,
  type XlsxWriterOptions,
} from './xlsx-writer.js';
export { writeParts, type PartSource, type WritePartsOptions, type WrittenOutput } from './write-parts.js';
