import { ConfigError } from '../../core/errors.js';

/** File formats the tabular integration reads and writes. */
export const FileFormat = {
  Csv: 'csv',
  Json: 'json',
  Jsonl: 'jsonl',
  Parquet: 'parquet',
} as const;
/** One of {@link FileFormat}. */
export type FileFormat = (typeof FileFormat)[keyof typeof FileFormat];

const FORMATS = new Set<string>(Object.values(FileFormat));

// Longest suffixes first so that `.csv.gz` wins over `.gz`.
const SUFFIXES: readonly (readonly [string, FileFormat])[] = [
  ['.ndjson.gz', 'jsonl'],
  ['.jsonl.gz', 'jsonl'],
  ['.json.gz', 'json'],
  ['.csv.gz', 'csv'],
  ['.tsv.gz', 'csv'],
  ['.parquet', 'parquet'],
  ['.ndjson', 'jsonl'],
  ['.jsonl', 'jsonl'],
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
  ['.pq', 'parquet'],
];

/** The format of a file: the declared one when given, otherwise from its extension (`.gz` allowed for text formats). */
export function detectFormat(path: string, declared?: FileFormat): FileFormat {
  if (declared !== undefined) {
    if (!FORMATS.has(declared)) {
      throw new ConfigError(
        `unknown format ${JSON.stringify(declared)} (expected csv, json, jsonl or parquet)`,
        'format',
      );
    }
    return declared;
  }
  const name = baseName(path);
  for (const [suffix, format] of SUFFIXES) if (name.endsWith(suffix)) return format;
  throw new ConfigError(
    `cannot tell the format of ${JSON.stringify(name)} from its extension (.csv .tsv .json .jsonl .ndjson .parquet, optionally .gz); declare it`,
    'format',
  );
}

/** The field delimiter of a delimited text file: a tab for `.tsv`/`.tsv.gz`, a comma otherwise. */
export function delimiterFor(path: string): ',' | '\t' {
  const name = baseName(path);
  return name.endsWith('.tsv') || name.endsWith('.tsv.gz') ? '\t' : ',';
}

/** Whether a file is gzip-compressed, judged by its `.gz` extension. */
export function isGzipped(path: string): boolean {
  return baseName(path).endsWith('.gz');
}

function baseName(path: string): string {
  // Accept URIs too: drop a URI's query or fragment (a plain path may legitimately contain '#' or '?').
  const withoutQuery = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? path.replace(/[?#].*$/, '') : path;
  const slash = Math.max(withoutQuery.lastIndexOf('/'), withoutQuery.lastIndexOf('\\'));
  return withoutQuery.slice(slash + 1).toLowerCase();
}
