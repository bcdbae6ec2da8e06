/**
 * Run-config schema of the test stages (`tests`): where scenarios come from, which frameworks to
 * generate, where the system under test is, how tests run, and where results are reported. Pure zod,
 * safe in workflow code. Credentials (Jira, Confluence, Bedrock) belong to the worker's environment.
 */
import { z } from 'zod';

const duration = z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h)$/, 'must be a duration such as "90s" or "5m"');

const httpUrl = z.string().regex(/^https?:\/\/[^\s/$.?#][^\s]*$/i, 'must be an http(s) URL');

/** Where scenarios come from: a YAML/JSON scenarios file, or Jira issues matching JQL. */
export const scenarioSourceSchema = z
  .strictObject({
    /** Scenarios file, relative to the worker's base directory. */
    file: z.string().min(1).max(1024).optional(),
    /** E.g. `project = SHOP AND issuetype = Test AND labels = "release-42" ORDER BY key`. */
    jql: z.string().min(1).max(4000).optional(),
    /** Custom fields holding Xray/Zephyr-style steps; every custom field is inspected when absent. */
    stepFields: z.array(z.string().min(1)).max(20).optional(),
    maxIssues: z.number().int().min(1).max(5000).default(500),
  })
  .refine((s) => (s.file === undefined) !== (s.jql === undefined), {
    message: 'give exactly one of "file" or "jql"',
    path: ['file'],
  });

/** Where results go besides the run report. */
export const testReportSchema = z.strictObject({
  /** Scenarios read from Jira get a comment per run; optional transitions and a Bug per failure. */
  jira: z
    .strictObject({
      comments: z.boolean().default(true),
      /** Transition names to apply to a scenario whose tests all passed, or one of which failed. */
      transitions: z
        .strictObject({ passed: z.string().min(1).optional(), failed: z.string().min(1).optional() })
        .optional(),
      /** File a Bug per failed test (not duplicated on re-runs) in this project. */
      bugs: z
        .strictObject({
          projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'must be a Jira project key such as "SHOP"'),
          issueType: z.string().min(1).default('Bug'),
          labels: z.array(z.string().regex(/^\S+$/, 'must not contain spaces')).max(20).default([]),
        })
        .optional(),
    })
    .optional(),
  /** A Confluence page per run (created, or updated on a re-run) with the results. */
  confluence: z
    .strictObject({
      /** @default the worker's UNDERSTUDY_CONFLUENCE_REPORT_SPACE (or UNDERSTUDY_CONFLUENCE_SPACE) */
      spaceKey: z.string().min(1).max(255).optional(),
      /** @default the worker's UNDERSTUDY_CONFLUENCE_REPORT_PARENT_ID */
      parentId: z.string().regex(/^\d+$/, 'must be a page id').optional(),
      /** @default "Understudy run <run name or id>" */
      title: z.string().min(1).max(255).optional(),
    })
    .optional(),
});

/** The `tests` section: generate tests from scenarios, run them against the loaded system, report. */
export const testsConfigSchema = z.strictObject({
  scenarios: scenarioSourceSchema,
  frameworks: z
    .array(z.enum(['playwright', 'robot', 'api']))
    .min(1)
    .default(['playwright', 'robot', 'api']),
  /** The system under test. */
  environment: z
    .strictObject({
      /** Web UI root, for browser tests. */
      baseUrl: httpUrl.optional(),
      /** HTTP API root. @default baseUrl */
      apiUrl: httpUrl.optional(),
      /**
       * Index in `targets` of the database target whose tables data references are chosen from and
       * database checks query. @default the first database target
       */
      databaseTarget: z.number().int().min(0).optional(),
    })
    .default({}),
  /** `template`: deterministic templates; `bedrock`: the Converse API, validated, with the template as fallback. */
  generator: z.enum(['template', 'bedrock']).default('template'),
  /** How many times an invalid Bedrock answer is sent back with its error. */
  maxRegenerations: z.number().int().min(0).max(10).default(3),
  /** Tests running at once. */
  parallelism: z.number().int().min(1).max(16).default(2),
  /** Per test. */
  timeout: duration.default('2m'),
  report: testReportSchema.default({}),
});

/** The `tests` section as written. */
export type TestsConfigInput = z.input<typeof testsConfigSchema>;
/** The `tests` section with defaults applied. */
export type TestsConfig = z.output<typeof testsConfigSchema>;
