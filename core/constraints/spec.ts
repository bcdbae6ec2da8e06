/**
 * The constraint spec: what every row of a synthetic table must satisfy. JSON-friendly (a run's
 * config carries it) and validated with zod, so each problem names its path, e.g.
 * `constraints[2].column`. Custom predicates are functions and exist only in the programmatic API.
 */
import { z } from 'zod';
import type { CellValue } from '../table.js';

/** The kinds of constraint. */
export const ConstraintKind = {
  Range: 'range',
  Regex: 'regex',
  Unique: 'unique',
  PrimaryKey: 'primaryKey',
  Inequality: 'inequality',
  FixedCombinations: 'fixedCombinations',
  Positive: 'positive',
  Negative: 'negative',
  Custom: 'custom',
} as const;
/** One of {@link ConstraintKind}. */
export type ConstraintKind = (typeof ConstraintKind)[keyof typeof ConstraintKind];

/** Comparison operators of an inequality between two columns. */
export const InequalityOperator = { Lt: '<', Le: '<=', Gt: '>', Ge: '>=' } as const;
/** One of {@link InequalityOperator}. */
export type InequalityOperator = (typeof InequalityOperator)[keyof typeof InequalityOperator];

/** `min ≤ column ≤ max` (either side optional, either side exclusive); numbers, or ISO dates for date columns. */
export interface RangeConstraint {
  kind: 'range';
  column: string;
  min?: number | string;
  max?: number | string;
  /** @default false */
  minExclusive?: boolean;
  /** @default false */
  maxExclusive?: boolean;
}

/** Every non-null value matches the pattern in full (JavaScript syntax, unicode mode). */
export interface RegexConstraint {
  kind: 'regex';
  column: string;
  pattern: string;
}

/** No two rows share the same values in `columns` (rows with a null in the key are exempt, as in SQL). */
export interface UniqueConstraint {
  kind: 'unique';
  columns: string[];
}

/** Unique and never null. */
export interface PrimaryKeyConstraint {
  kind: 'primaryKey';
  columns: string[];
}

/** `left op right` between two numeric or two date columns; rows where either side is null pass, as in SQL. */
export interface InequalityConstraint {
  kind: 'inequality';
  left: string;
  op: InequalityOperator;
  right: string;
}

/** The values of `columns` together are one of the `allowed` combinations (rows with a null in them pass). */
export interface FixedCombinationsConstraint {
  kind: 'fixedCombinations';
  columns: string[];
  /** Allowed tuples, each in the order of `columns`. */
  allowed: CellValue[][];
}

/** `column > 0` (or `≥ 0` when not strict). */
export interface PositiveConstraint {
  kind: 'positive';
  column: string;
  /** @default true */
  strict?: boolean;
}

/** `column < 0` (or `≤ 0` when not strict). */
export interface NegativeConstraint {
  kind: 'negative';
  column: string;
  /** @default true */
  strict?: boolean;
}

/** A row as seen by a custom predicate: column name → cell. */
export type RowRecord = Record<string, CellValue>;

/** A predicate supplied in code by library users; rows failing it are resampled, then passed to `repair` if given. */
export interface CustomConstraint {
  kind: 'custom';
  /** Named in reports and errors. */
  name: string;
  predicate: (row: Readonly<RowRecord>) => boolean;
  /** Returns a repaired copy of the row (only its changed columns are needed); must be deterministic. */
  repair?: (row: Readonly<RowRecord>, context: { row: number; seed: number }) => RowRecord;
}

/** A constraint that can travel in JSON. */
export type JsonConstraint =
  | RangeConstraint
  | RegexConstraint
  | UniqueConstraint
  | PrimaryKeyConstraint
  | InequalityConstraint
  | FixedCombinationsConstraint
  | PositiveConstraint
  | NegativeConstraint;

/** Any constraint, as accepted by applyConstraints. */
export type Constraint = JsonConstraint | CustomConstraint;

const column = z.string().min(1);
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const bound = z.union([z.number(), z.string().min(1)]);

const rangeSchema = z
  .strictObject({
    kind: z.literal('range'),
    column,
    min: bound.optional(),
    max: bound.optional(),
    minExclusive: z.boolean().optional(),
    maxExclusive: z.boolean().optional(),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'needs min or max', path: ['min'] });

/** `column` or `columns`: unique and primary keys of one column need not be written as a list. */
const keySchema = <K extends 'unique' | 'primaryKey'>(kind: K) =>
  z
    .strictObject({
      kind: z.literal(kind),
      column: column.optional(),
      columns: z.array(column).min(1).optional(),
    })
    .refine((c) => (c.column === undefined) !== (c.columns === undefined), {
      message: 'give exactly one of column or columns',
      path: ['columns'],
    });

const EXPRESSION = /^\s*([^\s<>=]+)\s*(<=|>=|<|>)\s*([^\s<>=]+)\s*$/;
const operator = z.enum(['<', '<=', '>', '>=']);

/** `{left, op, right}` or the shorthand `{expression: "ship_date >= order_date"}`. */
const inequalitySchema = z
  .strictObject({
    kind: z.literal('inequality'),
    left: column.optional(),
    op: operator.optional(),
    right: column.optional(),
    expression: z
      .string()
      .regex(EXPRESSION, 'must read `<column> <op> <column>` with op one of < <= > >=')
      .optional(),
  })
  .refine(
    (c) =>
      c.expression !== undefined
        ? c.left === undefined && c.op === undefined && c.right === undefined
        : c.left !== undefined && c.op !== undefined && c.right !== undefined,
    { message: 'give either expression, or left, op and right', path: ['expression'] },
  );

const fixedCombinationsSchema = z
  .strictObject({
    kind: z.literal('fixedCombinations'),
    columns: z.array(column).min(2),
    allowed: z.array(z.array(cell)).min(1),
  })
  .superRefine((c, ctx) => {
    c.allowed.forEach((tuple, i) => {
      if (tuple.length !== c.columns.length)
        ctx.addIssue({ code: 'custom', message: 'must have one value per column', path: ['allowed', i] });
    });
  });

const signSchema = <K extends 'positive' | 'negative'>(kind: K) =>
  z.strictObject({ kind: z.literal(kind), column, strict: z.boolean().optional() });

const constraintSchema = z.discriminatedUnion('kind', [
  rangeSchema,
  z.strictObject({ kind: z.literal('regex'), column, pattern: z.string().min(1) }),
  keySchema('unique'),
  keySchema('primaryKey'),
  inequalitySchema,
  fixedCombinationsSchema,
  signSchema('positive'),
  signSchema('negative'),
]);

/** The zod schema of a JSON constraint list (shorthands allowed; see {@link parseConstraints} for the normal form). */
export const constraintListSchema = z.array(constraintSchema);

/** One problem found in a constraint list, at a dotted path such as `constraints[2].column`. */
export interface ConstraintIssue {
  field: string;
  message: string;
}

/** `constraints[2].allowed[0]` from a zod path under the given root. */
export function formatConstraintPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/**
 * Validates a JSON constraint list and brings it to normal form (`columns` lists, `left/op/right`);
 * lists every problem with its path instead of throwing.
 */
export function checkConstraintList(
  input: unknown,
  root = 'constraints',
): { ok: true; constraints: JsonConstraint[] } | { ok: false; issues: ConstraintIssue[] } {
  const parsed = constraintListSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field: formatConstraintPath(root, issue.path),
        message: issue.message,
      })),
    };
  return { ok: true, constraints: parsed.data.map(normalizeConstraint) };
}

function normalizeConstraint(c: z.infer<typeof constraintSchema>): JsonConstraint {
  switch (c.kind) {
    case 'unique':
    case 'primaryKey':
      return { kind: c.kind, columns: c.columns ?? [c.column as string] };
    case 'inequality': {
      if (c.expression === undefined)
        return {
          kind: 'inequality',
          left: c.left as string,
          op: c.op as InequalityOperator,
          right: c.right as string,
        };
      const m = EXPRESSION.exec(c.expression) as RegExpExecArray;
      return {
        kind: 'inequality',
        left: m[1] as string,
        op: m[2] as InequalityOperator,
        right: m[3] as string,
      };
    }
    case 'range': {
      const out: RangeConstraint = { kind: 'range', column: c.column };
      if (c.min !== undefined) out.min = c.min;
      if (c.max !== undefined) out.max = c.max;
      if (c.minExclusive !== undefined) out.minExclusive = c.minExclusive;
      if (c.maxExclusive !== undefined) out.maxExclusive = c.maxExclusive;
      return out;
    }
    default:
      return c;
  }
}

/** A short, value-free label of a constraint for reports and errors, e.g. `inequality(ship_date >= order_date)`. */
export function describeConstraint(c: Constraint): string {
  switch (c.kind) {
    case 'range':
    case 'regex':
    case 'positive':
    case 'negative':
      return `${c.kind}(${c.column})`;
    case 'unique':
    case 'primaryKey':
    case 'fixedCombinations':
      return `${c.kind}(${c.columns.join(', ')})`;
    case 'inequality':
      return `inequality(${c.left} ${c.op} ${c.right})`;
    case 'custom':
      return `custom(${c.name})`;
  }
}
