/**
 * The Salesforce target of a run's config: which synthetic tables load into which objects, by which
 * Bulk API 2.0 operation, with which lookups by external id. Credentials are not here: the worker reads
 * them from `UNDERSTUDY_SF_*` (or `UNDERSTUDY_SF_<CONNECTION>_*`) environment variables, so they never
 * enter workflow history. Every error names the exact field, e.g. `targets[1].objects[0].externalIdField`.
 */
import { z } from 'zod';

const apiName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,79}$/,
    'must be a Salesforce API name such as "Account" or "External_Id__c"',
  );

const durationMs = (fallback: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(ms|s|m|h)$/, 'must be a duration such as "500ms", "5s", "30m" or "2h"')
    .default(fallback)
    .transform(toMilliseconds);

const lookupSchema = z.strictObject({
  /** Column holding the parent's external id. */
  column: z.string().min(1),
  /** Relationship name on the child (`Account` for Contact.AccountId). */
  relationship: apiName,
  /** Parent object, loaded first. */
  object: apiName,
  /** External id field of the parent. */
  externalIdField: apiName,
});

/** One object of a Salesforce target. */
export const salesforceObjectSchema = z
  .strictObject({
    object: apiName,
    /** Synthetic table feeding the object. @default the object name */
    table: z.string().min(1).optional(),
    operation: z.enum(['insert', 'update', 'upsert']).default('upsert'),
    externalIdField: apiName.optional(),
    /** Column → field; without it every column is sent under its own name. */
    fields: z.record(z.string().min(1), apiName).optional(),
    lookups: z.array(lookupSchema).default([]),
  })
  .superRefine((o, ctx) => {
    if (o.operation === 'upsert' && o.externalIdField === undefined) {
      ctx.addIssue({ code: 'custom', message: 'upsert needs "externalIdField"', path: ['externalIdField'] });
    }
    if (o.operation !== 'upsert' && o.externalIdField !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"externalIdField" applies to upsert only, not ${o.operation}`,
        path: ['externalIdField'],
      });
    }
  });

/** A Salesforce target: objects loaded in lookup order through Bulk API 2.0 ingest jobs. */
export const salesforceTargetSchema = z
  .strictObject({
    type: z.literal('salesforce'),
    /** Names the target in reports and in the job journal. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'must be letters, digits, "_" or "-"')
      .default('salesforce'),
    /** Reads credentials from UNDERSTUDY_SF_<CONNECTION>_*; without it, from UNDERSTUDY_SF_*. */
    connection: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a name such as "sandbox" (read from UNDERSTUDY_SF_<NAME>_*)')
      .optional(),
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/, 'must be an API version such as "62.0"')
      .default('62.0'),
    objects: z.array(salesforceObjectSchema).min(1),
    /** Records per ingest job (a job takes one upload of at most ~100 MB of CSV). */
    recordsPerJob: z.number().int().min(1).max(10_000_000).default(100_000),
    pollInterval: durationMs('5s'),
    /** How long one attempt polls a job before it gives up and lets the next attempt poll the same job. */
    pollTimeout: durationMs('30m'),
    /** How many times unprocessed records are sent again in a new job. */
    maxResubmits: z.number().int().min(0).max(10).default(2),
    /** Delete each job after its results are read and recorded. */
    deleteJobs: z.boolean().default(true),
    /** Failures kept per object with row, status code and fields (counts per status code are complete). */
    maxReportedFailures: z.number().int().min(0).max(10_000).default(100),
  })
  .superRefine((t, ctx) => {
    const seen = new Map<string, number>();
    t.objects.forEach((o, i) => {
      if (seen.has(o.object))
        ctx.addIssue({
          code: 'custom',
          message: `object ${o.object} is listed twice`,
          path: ['objects', i, 'object'],
        });
      seen.set(o.object, i);
    });
  });

/** A Salesforce target as written by the user. */
export type SalesforceTargetConfigInput = z.input<typeof salesforceTargetSchema>;
/** A Salesforce target with defaults applied and durations in milliseconds. */
export type SalesforceTargetConfig = z.output<typeof salesforceTargetSchema>;

/** A field-level problem, with its dotted path below `base`. */
export interface SalesforceTargetIssue {
  field: string;
  message: string;
}

/** Validates a Salesforce target; problems name their path below `base` (e.g. `targets[1]`). */
export function parseSalesforceTarget(
  value: unknown,
  base = 'target',
): { ok: true; target: SalesforceTargetConfig } | { ok: false; issues: SalesforceTargetIssue[] } {
  const result = salesforceTargetSchema.safeParse(value);
  if (result.success) return { ok: true, target: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: formatPath(base, issue.path),
      message: issue.message,
    })),
  };
}

function formatPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

function toMilliseconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(text);
  const n = Number(m?.[1] ?? 0);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m?.[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(n * unit);
}
