/**
 * Run-config schemas of the file (local or S3) and REST targets. Pure zod, safe in workflow code; every
 * problem is reported with the exact field path, e.g. `targets[2].sql.dialect`. Secrets and the host
 * allowlist are not here: they belong to the worker's environment, never to workflow history.
 */
import { z } from 'zod';

const targetName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "_", "." or "-"')
  .optional();

/** Options of SQL INSERT-script output. */
export const sqlOutputSchema = z.strictObject({
  dialect: z.enum(['postgres', 'mysql', 'sqlite']),
  /** Table the INSERTs go into. */
  table: z.string().min(1).max(128),
  /** Schema (PostgreSQL) or database (MySQL) qualifying the table. */
  schema: z.string().min(1).max(128).optional(),
  batchRows: z.number().int().min(1).max(100_000).default(500),
  createTable: z.boolean().default(true),
  transaction: z.boolean().default(true),
});

/** Options of Excel output. */
export const xlsxOutputSchema = z.strictObject({
  sheetName: z
    .string()
    .min(1)
    .max(31)
    .regex(/^[^[\]:*?/\\]+$/, 'must not contain [ ] : * ? / \\')
    .default('data'),
  maxRowsPerSheet: z.number().int().min(1).max(1_048_575).default(1_048_575),
});

/** A file target: a path inside the worker's output directory, or an `s3://bucket/key` URI. */
export const fileTargetSchema = z
  .strictObject({
    type: z.literal('file'),
    name: targetName,
    /** Relative to the worker's output directory (UNDERSTUDY_OUTPUT_DIR); `..` and absolute paths are refused. */
    path: z.string().min(1).max(1024).optional(),
    /** `s3://bucket/key` (S3 or an S3-compatible server configured on the worker). */
    uri: z
      .string()
      .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'must be an s3://bucket/key URI')
      .optional(),
    /** Inferred from the extension when absent. */
    format: z.enum(['csv', 'tsv', 'json', 'jsonl', 'parquet', 'sql', 'xlsx']).optional(),
    /** Inferred from a `.gz` extension when absent; text formats only. */
    gzip: z.boolean().optional(),
    /** `single`: all parts in one output; `per-part`: one output per part, named `<stem>-part-000000<ext>`. */
    layout: z.enum(['single', 'per-part']).default('single'),
    /** Prefix CSV/TSV/Excel cells starting with = + - @ tab or CR with an apostrophe. */
    neutralizeFormulas: z.boolean().default(true),
    sql: sqlOutputSchema.optional(),
    xlsx: xlsxOutputSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.path === undefined) === (t.uri === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "path" or "uri"', path: ['path'] });
    }
    const name = (t.path ?? t.uri ?? '').toLowerCase();
    const isSql = t.format === 'sql' || (t.format === undefined && /\.sql(\.gz)?$/.test(name));
    if (isSql && t.sql === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'SQL output needs "sql" with dialect and table',
        path: ['sql'],
      });
    const binary =
      t.format === 'parquet' ||
      t.format === 'xlsx' ||
      (t.format === undefined && /\.(parquet|pq|xlsx)$/.test(name));
    if (binary && t.gzip === true)
      ctx.addIssue({ code: 'custom', message: 'gzip applies to text formats only', path: ['gzip'] });
  });

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

/** A REST API target: batched JSON requests to an endpoint whose host the operator allowlisted. */
export const restTargetSchema = z
  .strictObject({
    type: z.literal('rest'),
    name: targetName,
    url: z.string().regex(/^https?:\/\/[^/\s]+/i, 'must be an http:// or https:// URL'),
    method: z.enum(['POST', 'PUT']).default('POST'),
    /** A JSON value whose `"{{column}}"` strings become typed cells; every column by name when absent. */
    template: jsonValue.optional(),
    /** `array`, `single` (one record per request) or `{ "field": "records" }`. */
    body: z
      .union([z.literal('array'), z.literal('single'), z.strictObject({ field: z.string().min(1).max(128) })])
      .default('array'),
    batchSize: z.number().int().min(1).max(10_000).default(100),
    concurrency: z.number().int().min(1).max(32).default(4),
    maxAttempts: z.number().int().min(1).max(20).default(6),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Non-secret headers; credentials come from the worker (see `credential`). */
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name'),
        z
          .string()
          .max(4096)
          .regex(/^[^\r\n\0]*$/, 'must not contain line breaks'),
      )
      .default({}),
    /** Name of a worker credential: the Authorization header is read from UNDERSTUDY_REST_<NAME>_AUTHORIZATION. */
    credential: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a name such as "crm"')
      .optional(),
    /** Stop the target once more records than this have failed. */
    maxFailedRecords: z.number().int().min(0).optional(),
    /** Relational runs only: the table of the metadata whose rows this endpoint receives. */
    table: z.string().min(1).max(128).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.body === 'single' && t.batchSize !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'a "single" body sends one record per request: set batchSize to 1',
        path: ['batchSize'],
      });
    }
    for (const name of Object.keys(t.headers)) {
      if (
        [
          'host',
          'content-length',
          'content-type',
          'idempotency-key',
          'connection',
          'transfer-encoding',
          'authorization',
        ].includes(name.toLowerCase())
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'is set by the target itself (use "credential" for Authorization)',
          path: ['headers', name],
        });
      }
    }
  });

/** A file target as written by the user. */
export type FileTargetInput = z.input<typeof fileTargetSchema>;
/** A file target with defaults applied. */
export type FileTargetSpec = z.output<typeof fileTargetSchema>;
/** A REST target as written by the user. */
export type RestTargetInput = z.input<typeof restTargetSchema>;
/** A REST target with defaults applied. */
export type RestTargetSpec = z.output<typeof restTargetSchema>;

/** The file and REST target schemas, by their `type`. */
export const fileOrRestTargetSchema = z.discriminatedUnion('type', [fileTargetSchema, restTargetSchema]);

/** A field-level problem in a target config. */
export interface TargetIssue {
  field: string;
  message: string;
}

/** Validates one target; each problem names its path under `at` (e.g. `targets[2]`). */
export function parseTargetSpec(
  value: unknown,
  at = 'target',
): { ok: true; target: FileTargetSpec | RestTargetSpec } | { ok: false; issues: TargetIssue[] } {
  const result = fileOrRestTargetSchema.safeParse(value);
  if (result.success) return { ok: true, target: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: formatPath(at, issue.path),
      message: issue.message,
    })),
  };
}

function formatPath(at: string, path: readonly PropertyKey[]): string {
  let out = at;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}
