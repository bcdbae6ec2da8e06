/**
 * Edge-case rules: which anomaly to put into which column of how large a share of the rows. The
 * rules are JSON (they travel in a run's config) and self-contained: whatever a rule needs from
 * the profile (a column's min/max, its longest value, its pattern) is copied into the rule when it
 * is made, so injection needs nothing but the rules and a seed.
 */
import { z } from 'zod';

/** The kinds of rule. */
export const EdgeCaseKind = {
  Boundary: 'boundary',
  Null: 'null',
  MaxLength: 'maxLength',
  Unicode: 'unicode',
  LeapDay: 'leapDay',
  FarFuture: 'farFuture',
  FarPast: 'farPast',
  Zero: 'zero',
  Negative: 'negative',
  Duplicate: 'duplicate',
  Malformed: 'malformed',
} as const;
/** One of {@link EdgeCaseKind}. */
export type EdgeCaseKind = (typeof EdgeCaseKind)[keyof typeof EdgeCaseKind];

/** What a malformed value imitates. */
export const MalformedKind = {
  Email: 'email',
  Postcode: 'postcode',
  Phone: 'phone',
  Identifier: 'identifier',
  Date: 'date',
} as const;
/** One of {@link MalformedKind}. */
export type MalformedKind = (typeof MalformedKind)[keyof typeof MalformedKind];

/** The anomaly a row is tagged with: the rule kind, refined where a rule makes several kinds of value. */
export const EdgeCaseType = {
  BoundaryMin: 'boundaryMin',
  BoundaryMax: 'boundaryMax',
  Null: 'null',
  MaxLength: 'maxLength',
  Unicode: 'unicode',
  LeapDay: 'leapDay',
  FarFuture: 'farFuture',
  FarPast: 'farPast',
  Zero: 'zero',
  Negative: 'negative',
  Duplicate: 'duplicate',
  MalformedEmail: 'malformedEmail',
  MalformedPostcode: 'malformedPostcode',
  MalformedPhone: 'malformedPhone',
  MalformedIdentifier: 'malformedIdentifier',
  ImpossibleDate: 'impossibleDate',
} as const;
/** One of {@link EdgeCaseType}. */
export type EdgeCaseType = (typeof EdgeCaseType)[keyof typeof EdgeCaseType];

const frequency = z.number().min(0).max(1);
const column = z.string().min(1);
const bound = z.union([z.number(), z.string().min(1)]);

const ruleSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('boundary'),
      column,
      frequency,
      min: bound.optional(),
      max: bound.optional(),
    })
    .refine((r) => r.min !== undefined || r.max !== undefined, {
      message: 'needs min or max',
      path: ['min'],
    }),
  z.strictObject({ kind: z.literal('null'), column, frequency }),
  z.strictObject({
    kind: z.literal('maxLength'),
    column,
    frequency,
    maxLength: z.number().int().min(1).max(1_000_000),
  }),
  z.strictObject({
    kind: z.literal('unicode'),
    column,
    frequency,
    maxLength: z.number().int().min(2).max(1_000_000).optional(),
  }),
  z.strictObject({ kind: z.literal('leapDay'), column, frequency }),
  z.strictObject({ kind: z.literal('farFuture'), column, frequency }),
  z.strictObject({ kind: z.literal('farPast'), column, frequency }),
  z.strictObject({ kind: z.literal('zero'), column, frequency }),
  z.strictObject({ kind: z.literal('negative'), column, frequency }),
  z.strictObject({ kind: z.literal('duplicate'), column, frequency }),
  z.strictObject({
    kind: z.literal('malformed'),
    column,
    frequency,
    malformed: z.enum(['email', 'postcode', 'phone', 'identifier', 'date']),
    /** Shape of well-formed values (`A` letter, `9` digit, other characters literal), e.g. `99999` or `CUST-999999`. */
    pattern: z.string().min(1).max(64).optional(),
  }),
]);

/** The zod schema of an edge-case rule list. */
export const edgeCaseRuleListSchema = z.array(ruleSchema);

/** One edge-case rule: `frequency` is the share of all rows of the run that get this anomaly. */
export type EdgeCaseRule = z.infer<typeof ruleSchema>;

/** One problem in a rule list, at a path such as `edgeCases[3].frequency`. */
export interface EdgeCaseRuleIssue {
  field: string;
  message: string;
}

/** Validates a JSON rule list, listing every problem with its path instead of throwing. */
export function checkEdgeCaseRules(
  input: unknown,
  root = 'edgeCases',
): { ok: true; rules: EdgeCaseRule[] } | { ok: false; issues: EdgeCaseRuleIssue[] } {
  const parsed = edgeCaseRuleListSchema.safeParse(input);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      let field = root;
      for (const part of issue.path) field += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
      return { field, message: issue.message };
    }),
  };
}
