/** Output formats of file targets and how a target's path tells them (extension, `.gz`). */
import { ConfigError } from '../../core/errors.js';

/** Formats a file target can write. */
export const OutputFormat = {
  Csv: 'csv',
  Tsv: 'tsv',
  Json: 'json',
  Jsonl: 'jsonl',
  Parquet: 'parquet',
  Sql: 'sql',
  Xlsx: 'xlsx',
} as const;
/** One of {@link OutputFormat}. */
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

const TEXT_FORMATS: ReadonlySet<OutputFormat> = new Set(['csv', 'tsv', 'json', 'jsonl', 'sql']);

const EXTENSIONS: readonly (readonly [string, OutputFormat])[] = [
  ['.ndjson', 'jsonl'],
  ['.jsonl', 'jsonl'],
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.sql', 'sql'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
  ['.xlsx', 'xlsx'],
];

/** Whether a format is text (and so may be gzip-compressed). */
export function isTextFormat(format: OutputFormat): boolean {
  return TEXT_FORMATS.has(format);
}

/** The format and compression of an output: declared values win, otherwise the name's extension (`.gz` last). */
export function resolveOutputFormat(
  name: string,
  declared: { format?: OutputFormat; gzip?: boolean },
  field = 'targets[]',
): { format: OutputFormat; gzip: boolean } {
  const lower = name.toLowerCase();
  const gzExt = lower.endsWith('.gz');
  const stem = gzExt ? lower.slice(0, -3) : lower;
  const format = declared.format ?? EXTENSIONS.find(([ext]) => stem.endsWith(ext))?.[1];
  if (format === undefined) {
    throw new ConfigError(
      'cannot tell the format from the extension (.csv .tsv .json .jsonl .ndjson .sql .parquet .xlsx, text ones optionally .gz); declare "format"',
      `${field}.format`,
    );
  }
  const gzip = declared.gzip ?? gzExt;
  if (gzip && !isTextFormat(format)) {
    throw new ConfigError(
      `${format} is already compressed; gzip applies to text formats only`,
      `${field}.gzip`,
    );
  }
  return { format, gzip };
}
