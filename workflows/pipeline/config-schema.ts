/**
 * The run configuration: one plain JSON object, so `temporal workflow start --input-file run.json` works.
 * Validated inside the workflow (and by the CLI before starting) with zod; an invalid config fails the run
 * at once with a ConfigError naming the exact field, e.g. `targets[0].strategy`.
 */
import { z } from 'zod';
import { salesforceTargetSchema } from './salesforce-target-schema.js';
import { fileTargetSchema, restTargetSchema } from './target-schemas.js';
import { relationalConfigSchema } from './relational-schema.js';
import { testsConfigSchema } from './tests-schema.js';
import { constraintListSchema } from '../../core/constraints/spec.js';
import { edgeCaseRuleListSchema } from '../../core/edge-cases/rules.js';
import { PIPELINE_PRIVACY_DEFAULTS } from '../../core/evaluation/pipeline-evaluation.js';

const duration = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'must be a duration such as "30s", "15m", "24h" or "7d"');

/** A gate: a point where the run waits for a human `approve` or `reject` signal. */
export const gateSchema = z.strictObject({
  enabled: z.boolean().default(true),
  timeout: duration.optional(),
});

/**
 * The privacy gate: the run waits for `approve`/`reject` only when a threshold fails (see
 * core/evaluation PIPELINE_PRIVACY_DEFAULTS for what each measures).
 */
export const privacyGateSchema = gateSchema.extend({
  /** Highest share of evaluated synthetic rows matching a sample row on every non-sensitive column. */
  maxExactCopyRate: z.number().min(0).max(1).default(PIPELINE_PRIVACY_DEFAULTS.maxExactCopyRate),
  /** Most sensitive sample values the leak scan may find. */
  maxLeaks: z.number().int().min(0).default(PIPELINE_PRIVACY_DEFAULTS.maxLeaks),
  /** Most sensitive cells that may still equal a sample value after generation's redraws. */
  maxSensitiveSampleValues: z
    .number()
    .int()
    .min(0)
    .default(PIPELINE_PRIVACY_DEFAULTS.maxSensitiveSampleValues),
  /** Lowest median DCR of synthetic rows relative to that of held-out real rows. */
  minDcrMedianRatio: z.number().min(0).default(PIPELINE_PRIVACY_DEFAULTS.minDcrMedianRatio),
});

const PRIVACY_GATE_DEFAULT = { enabled: true, ...PIPELINE_PRIVACY_DEFAULTS };

const sourceSchema = z.strictObject({
  uri: z.string().min(1),
  format: z.enum(['csv', 'json', 'jsonl', 'parquet']).optional(),
  maxRows: z.number().int().positive().optional(),
});

const databaseTargetSchema = z
  .strictObject({
    type: z.literal('database'),
    url: z.string().min(1).optional(),
    connection: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_]*$/,
        'must be a name such as "warehouse" (read from UNDERSTUDY_DB_<NAME>_URL)',
      )
      .optional(),
    /** The table to load; required except in relational runs, where every table loads under its own name. */
    table: z.string().min(1).max(63).optional(),
    /** append | truncate_insert | upsert (on `key`) | replace_swap (staging table swapped in at the end). */
    strategy: z.enum(['append', 'truncate_insert', 'upsert', 'replace_swap']).default('truncate_insert'),
    /** upsert: the columns rows are matched on (the table's primary key or a unique index), as named in the table. */
    key: z.array(z.string().min(1)).min(1).optional(),
    /** Primary key of a table the load creates (an existing table keeps its own). */
    primaryKey: z.array(z.string().min(1)).min(1).optional(),
    /**
     * Synthetic column → column of an existing table, for tables whose names differ; `null` leaves a
     * synthetic column out. Columns not listed load under their own names.
     */
    columns: z.record(z.string().min(1), z.string().min(1).nullable()).optional(),
    /**
     * Relational runs: per synthetic table, the existing table it loads into and its columns' names there
     * (`null` leaves a column out; key columns cannot be), for a target whose names differ. Tables and
     * columns not listed load under their own names.
     */
    tables: z
      .record(
        z.string().min(1),
        z.strictObject({
          table: z.string().min(1).max(63).optional(),
          columns: z.record(z.string().min(1), z.string().min(1).nullable()).optional(),
        }),
      )
      .optional(),
    batchSize: z.number().int().min(1).max(1_000_000).default(10_000),
  })
  .refine((t) => (t.url === undefined) !== (t.connection === undefined), {
    message: 'give exactly one of "url" or "connection"',
    path: ['url'],
  })
  .refine((t) => t.key === undefined || t.strategy === 'upsert', {
    message: 'only applies to the upsert strategy',
    path: ['key'],
  });

const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One condition of a conditional run: `{column, equals}` or `{column, in: [...]}`. */
export const conditionSchema = z
  .strictObject({
    column: z.string().min(1),
    equals: conditionValue.optional(),
    in: z.array(conditionValue).min(1).optional(),
  })
  .refine((c) => (c.equals === undefined) !== (c.in === undefined), {
    message: 'give exactly one of "equals" or "in"',
    path: ['equals'],
  });

/** The run configuration accepted by `syntheticDataPipeline`. */
export const pipelineConfigSchema = z
  .strictObject({
    runName: z.string().max(200).optional(),
    /** The sample to learn from; required except in relational runs (their sources are in `relational.sources`). */
    source: sourceSchema.optional(),
    /** Synthetic rows to generate; required except in relational runs (rows follow from `relational.scale`). */
    rows: z.number().int().positive().max(10_000_000_000).optional(),
    /**
     * A relational run: several related tables (a metadata file with primary and foreign keys, one source
     * per table) synthesized together and loaded parents first.
     */
    relational: relationalConfigSchema.optional(),
    seed: z.number().int().min(0).max(4_294_967_295).default(42),
    chunkSize: z.number().int().min(1).max(10_000_000).default(100_000),
    parallelism: z.number().int().min(1).max(64).default(2),
    maxChunksPerRun: z.number().int().min(1).max(1000).default(50),
    gates: z
      .strictObject({
        sensitivity: gateSchema.default({ enabled: true }),
        quality: gateSchema.extend({ threshold: z.number().min(0).max(1).default(0.7) }).default({
          enabled: true,
          threshold: 0.7,
        }),
        privacy: privacyGateSchema.default(PRIVACY_GATE_DEFAULT),
      })
      .default({
        sensitivity: { enabled: true },
        quality: { enabled: true, threshold: 0.7 },
        privacy: PRIVACY_GATE_DEFAULT,
      }),
    /**
     * Where the synthetic rows go: databases, files (local or S3), REST APIs, Salesforce. A target that
     * fails is reported and the others still load, unless `stopOnTargetFailure` is set.
     */
    targets: z
      .array(
        z.discriminatedUnion('type', [
          databaseTargetSchema,
          fileTargetSchema,
          restTargetSchema,
          salesforceTargetSchema,
        ]),
      )
      .default([]),
    /** Stop distributing at the first target that fails (the others are then not loaded). */
    stopOnTargetFailure: z.boolean().default(false),
    /**
     * Which synthesizer models the non-sensitive columns: the Gaussian copula (fastest), sequential CART
     * (keeps non-linear and categorical interplay), or `auto` (both tried on a split of the sample, the
     * better column-pair score wins).
     */
    synthesizer: z.enum(['copula', 'cart', 'auto']).default('auto'),
    /** Rules every synthetic row must satisfy (ranges, regex, unique, inequalities, fixed combinations, sign). */
    constraints: constraintListSchema.default([]),
    /**
     * Conditional sampling: every synthetic row satisfies every condition (exactly `rows` of them), e.g.
     * `[{ "column": "country", "equals": "DE" }, { "column": "segment", "in": ["A", "B"] }]`.
     */
    conditions: z.array(conditionSchema).max(64).default([]),
    /**
     * Replacement strategies per column, overriding the synthesizer's fakes: `fake` (with `locale`),
     * `format_preserving`, `pseudonymize` (keyed HMAC, `key` names UNDERSTUDY_PSEUDONYM_KEY_<NAME>), `mask`,
     * `generalize`, `null`, `scrub_text`. Checked against the sample in fitModel (core/replace).
     */
    replacements: z.record(z.string(), z.unknown()).default({}),
    /** Deliberate anomalies injected into exactly round(frequency × rows) rows, tagged per row. */
    edgeCases: z
      .strictObject({
        rules: edgeCaseRuleListSchema,
        /** `sidecar`: one JSON file of {row, column, type} per part; `column`: an `_edge_case` column in the data. */
        tag: z.enum(['sidecar', 'column']).default('sidecar'),
      })
      .optional(),
    /**
     * After the load: tests generated from Jira (or a scenarios file) scenarios, run against the system
     * under test with the loaded synthetic records, and reported to Jira and Confluence.
     */
    tests: testsConfigSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.relational === undefined) checkSingleTableConfig(config, ctx);
    else checkRelationalConfig(config, ctx);
    const tests = config.tests;
    if (!tests) return;
    const index = tests.environment.databaseTarget;
    if (index !== undefined && config.targets[index]?.type !== 'database') {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the index of a database target in "targets"',
        path: ['tests', 'environment', 'databaseTarget'],
      });
    }
    const ui = tests.frameworks.some((f) => f !== 'api');
    if (ui && tests.environment.baseUrl === undefined && tests.environment.apiUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'is required for playwright and robot tests (the system under test)',
        path: ['tests', 'environment', 'baseUrl'],
      });
    }
  });

type ParsedConfig = z.output<typeof pipelineConfigSchema>;

/** A single-table run needs its source, its row count and each database target's table. */
function checkSingleTableConfig(config: ParsedConfig, ctx: z.RefinementCtx): void {
  if (config.source === undefined) ctx.addIssue({ code: 'custom', message: 'is required', path: ['source'] });
  if (config.rows === undefined) ctx.addIssue({ code: 'custom', message: 'is required', path: ['rows'] });
  config.targets.forEach((t, i) => {
    if (t.type === 'database' && t.table === undefined)
      ctx.addIssue({ code: 'custom', message: 'is required', path: ['targets', i, 'table'] });
    // A relational run upserts on each table's primary key from the metadata instead.
    if (t.type === 'database' && t.strategy === 'upsert' && t.key === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'is required for the upsert strategy (the columns rows are matched on)',
        path: ['targets', i, 'key'],
      });
    if (t.type === 'rest' && t.table !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'only applies to relational runs (a run without "relational" has one table)',
        path: ['targets', i, 'table'],
      });
    if (t.type === 'database' && t.tables !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'only applies to relational runs; a single-table run maps with "table" and "columns"',
        path: ['targets', i, 'tables'],
      });
  });
}

/**
 * A relational run takes its sources and sizes from `relational`, loads every table under its own name
 * with the metadata's keys, and writes one file per table. The single-table options it cannot honour yet
 * are refused by name rather than ignored.
 */
function checkRelationalConfig(config: ParsedConfig, ctx: z.RefinementCtx): void {
  const notUsed = (path: (string | number)[], why: string) =>
    ctx.addIssue({ code: 'custom', message: `is not used in relational runs: ${why}`, path });
  if (config.source !== undefined) notUsed(['source'], 'give each table\'s source in "relational.sources"');
  if (config.rows !== undefined) notUsed(['rows'], 'use "relational.scale" or "relational.rows"');
  const perTable = 'they name columns of one table, and relational runs do not take them yet';
  if (config.constraints.length > 0) notUsed(['constraints'], perTable);
  if (config.conditions.length > 0) notUsed(['conditions'], perTable);
  if (Object.keys(config.replacements).length > 0) notUsed(['replacements'], perTable);
  if (config.edgeCases !== undefined) notUsed(['edgeCases'], perTable);
  if (config.tests !== undefined)
    notUsed(['tests'], 'the test stages read one table; they are not available in relational runs yet');
  config.targets.forEach((t, i) => {
    if (t.type === 'database') {
      const keyed = 'every table is keyed by the metadata';
      for (const field of ['key', 'primaryKey'] as const)
        if (t[field] !== undefined) notUsed(['targets', i, field], keyed);
      const named = 'name each table\'s target table and columns in "tables"';
      for (const field of ['table', 'columns'] as const)
        if (t[field] !== undefined) notUsed(['targets', i, field], named);
    }
    if (t.type === 'file') {
      const where = t.path ?? t.uri ?? '';
      if (!where.includes('{table}'))
        ctx.addIssue({
          code: 'custom',
          message: 'must contain "{table}" in a relational run (one file per table, e.g. "out/{table}.csv")',
          path: ['targets', i, t.path !== undefined ? 'path' : 'uri'],
        });
    }
    if (t.type === 'rest' && t.table === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'is required in a relational run: the table whose rows this endpoint receives',
        path: ['targets', i, 'table'],
      });
  });
}

/** The run configuration as written by the user (defaults not yet applied). */
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
/** The run configuration with every default applied. */
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
/** One target of a run. */
export type TargetConfig = PipelineConfig['targets'][number];
/** A database target. */
export type DatabaseTargetConfig = Extract<TargetConfig, { type: 'database' }>;
/** A file target. */
export type FileTargetConfig = Extract<TargetConfig, { type: 'file' }>;
/** A REST API target. */
export type RestTargetConfig = Extract<TargetConfig, { type: 'rest' }>;
/** A Salesforce target. */
export type SalesforceTargetConfigOf = Extract<TargetConfig, { type: 'salesforce' }>;

/** A field-level problem in a config. */
export interface ConfigIssue {
  field: string;
  message: string;
}

/** Validates a config; returns the parsed config or the problems, each naming its dotted field path. */
export function parsePipelineConfig(
  value: unknown,
): { ok: true; config: PipelineConfig } | { ok: false; issues: ConfigIssue[] } {
  const result = pipelineConfigSchema.safeParse(value);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message })),
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(config)' : out;
}
