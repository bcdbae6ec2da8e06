/**
 * Replacement strategies for sensitive columns, as they appear in the run config under
 * `replacements` (one entry per column). The zod schemas are the wire contract: strategy names and
 * option names are what users write in run.json, so renaming one is a breaking change.
 */
import { z } from 'zod';

/** The strategy names, as written in the run config. */
export const StrategyName = {
  Fake: 'fake',
  FormatPreserving: 'format_preserving',
  Pseudonymize: 'pseudonymize',
  Mask: 'mask',
  Generalize: 'generalize',
  Null: 'null',
  ScrubText: 'scrub_text',
  GenerateText: 'generate_text',
} as const;
/** One of {@link StrategyName}. */
export type StrategyName = (typeof StrategyName)[keyof typeof StrategyName];

const keyName = z
  .string()
  .regex(
    /^[A-Za-z0-9_]{1,64}$/,
    'must be 1–64 letters, digits or underscores (it names an environment variable)',
  );

/** Realistic, locale-aware fakes that stay coherent within a row (names ↔ email, city ↔ postcode ↔ state ↔ country). */
export const fakeStrategySchema = z.strictObject({
  strategy: z.literal(StrategyName.Fake),
  /** Which generator to use (a PII kind such as `email`, `city`, `state`, `country`); defaults to the column's classified kind. */
  kind: z.string().min(1).optional(),
  /** Faker locale (`de`, `fr`, `en_GB`, `de-AT`); decides name lists, place names, phone region. @default 'en_US' */
  locale: z.string().min(2).optional(),
});

/** A value of the same pattern, length and checksum validity as the synthetic value it replaces. */
export const formatPreservingStrategySchema = z.strictObject({
  strategy: z.literal(StrategyName.FormatPreserving),
  /** Which validity rules apply (card, IBAN, phone, SSN, …); defaults to the column's classified kind. */
  kind: z.string().min(1).optional(),
  /** ISO 3166 region for phone numbers written without a `+country` prefix. @default 'US' */
  region: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 region code')
    .optional(),
});

/** Keyed HMAC-SHA256 pseudonyms: the same input gives the same output in every table and run with the same key. */
export const pseudonymizeStrategySchema = z.strictObject({
  strategy: z.literal(StrategyName.Pseudonymize),
  /** Name of the key; the worker reads it from the environment variable `UNDERSTUDY_PSEUDONYM_KEY_<NAME>`. */
  key: keyName,
  /** Which format rules apply (email, card, IBAN, …); defaults to the column's classified kind. */
  kind: z.string().min(1).optional(),
});

/** Masking: every character (`full`) or all but the last `keep` characters (`partial`) replaced by `char`. */
export const maskStrategySchema = z.strictObject({
  strategy: z.literal(StrategyName.Mask),
  /** @default 'partial' */
  mode: z.enum(['full', 'partial']).optional(),
  /** The masking character. @default '*' */
  char: z.string().length(1, 'must be exactly one character').optional(),
  /** Characters kept at the end in `partial` mode. @default 4 */
  keep: z.number().int().min(0).max(64).optional(),
  /** Keep separators (space, dash, dot, parentheses, `@`) in place instead of masking them. @default false */
  keepSeparators: z.boolean().optional(),
});

/** Generalization: coarser values that keep analytic use (age bands, months, postcode prefixes, rounded numbers). */
export const generalizeStrategySchema = z.discriminatedUnion('method', [
  z.strictObject({
    strategy: z.literal(StrategyName.Generalize),
    /** Numbers → band labels such as `30-39` (the column becomes a string column). */
    method: z.literal('band'),
    /** @default 10 */
    width: z.number().int().min(1).optional(),
  }),
  z.strictObject({
    strategy: z.literal(StrategyName.Generalize),
    /** Dates and timestamps → the first day of their month (same type and format). */
    method: z.literal('month'),
  }),
  z.strictObject({
    strategy: z.literal(StrategyName.Generalize),
    /** Dates and timestamps → the first day of their year. */
    method: z.literal('year'),
  }),
  z.strictObject({
    strategy: z.literal(StrategyName.Generalize),
    /** Strings (postcodes) → their first `length` characters. */
    method: z.literal('prefix'),
    /** @default 3 */
    length: z.number().int().min(1).max(32).optional(),
  }),
  z.strictObject({
    strategy: z.literal(StrategyName.Generalize),
    /** Numbers → the lower bound of their bucket of size `step` (the column keeps its numeric type). */
    method: z.literal('round'),
    /** @default 1000 */
    step: z.number().positive().optional(),
  }),
]);

/** Every value becomes null. */
export const nullStrategySchema = z.strictObject({ strategy: z.literal(StrategyName.Null) });

/** Free text kept, with the personal data found inside it (emails, phones, cards, IBANs, SSNs, IPs) rewritten. */
export const scrubTextStrategySchema = z.strictObject({
  strategy: z.literal(StrategyName.ScrubText),
  /** How each span is rewritten. @default 'fake' */
  spans: z.enum(['fake', 'mask', 'pseudonymize']).optional(),
  /** Key name, required when `spans` is `pseudonymize`. */
  key: keyName.optional(),
  /** Locale of the fakes put into the text. @default 'en_US' */
  locale: z.string().min(2).optional(),
});

/**
 * Free text written afresh for each synthetic row by the worker's text generator (Bedrock when
 * configured, else a local lorem generator), with the row's non-sensitive fields as context. The
 * generation is I/O, so applyReplacements keeps these cells and the synthesize worker rewrites them.
 */
export const generateTextStrategySchema = z.strictObject({
  strategy: z.literal(StrategyName.GenerateText),
  /** What the column holds, in plain words (e.g. "support agent notes about the customer's last call"). */
  description: z.string().min(1).max(300).optional(),
  /** Columns given to the model as context; @default every non-sensitive column the model synthesizes. */
  context: z.array(z.string().min(1)).min(1).max(30).optional(),
});

/** One column's strategy (discriminated by `strategy`). */
export const replacementStrategySchema = z.discriminatedUnion('strategy', [
  fakeStrategySchema,
  formatPreservingStrategySchema,
  pseudonymizeStrategySchema,
  maskStrategySchema,
  generalizeStrategySchema,
  nullStrategySchema,
  scrubTextStrategySchema,
  generateTextStrategySchema,
]);

/** The `replacements` section of a run config: column name → strategy. */
export const replacementPlanSchema = z.record(z.string().min(1), replacementStrategySchema);

/** One column's replacement strategy. */
export type ReplacementStrategy = z.infer<typeof replacementStrategySchema>;
/** Column name → strategy, for the sensitive columns of one table. */
export type ReplacementPlan = Record<string, ReplacementStrategy>;
/** {@link ReplacementStrategy} narrowed to one strategy name. */
export type StrategyOf<N extends StrategyName> = Extract<ReplacementStrategy, { strategy: N }>;
