/**
 * The typed, validated plan a schema config compiles to: everything generation needs and nothing
 * it must look up again (choice files are already read, rows already scaled). Plain JSON, so a plan
 * can travel to worker threads or be stored beside the output.
 */
import type { PhysicalType } from '../table.js';

/** Comparison operators of a conditional rule. */
export const ConditionOp = {
  Eq: 'eq',
  Ne: 'ne',
  In: 'in',
  NotIn: 'not_in',
  Gt: 'gt',
  Gte: 'gte',
  Lt: 'lt',
  Lte: 'lte',
} as const;
/** One of {@link ConditionOp}. */
export type ConditionOp = (typeof ConditionOp)[keyof typeof ConditionOp];

/** A scalar config value (also a choice value). */
export type ScalarValue = string | number | boolean | null;

/** How one value is drawn. */
export type ValueRule =
  | { kind: 'range'; min: number; max: number; decimals: number | null; integer: boolean }
  | { kind: 'choice'; values: ScalarValue[]; weights: number[] | null }
  | { kind: 'regex'; pattern: string; maxRepeat: number }
  | { kind: 'faker'; method: string; args: unknown[]; locale: string }
  | { kind: 'sequence'; start: number; step: number; format: string | null }
  | { kind: 'date_range'; startDay: number; endDay: number; format: string | null }
  | { kind: 'datetime_range'; startMs: number; endMs: number; format: string | null }
  | { kind: 'uuid' }
  | { kind: 'boolean'; probability: number }
  | { kind: 'constant'; value: ScalarValue };

/** `when: {column, op, value}`: holds when the earlier column's value in the same row compares true. */
export interface Condition {
  column: string;
  op: ConditionOp;
  value: ScalarValue | ScalarValue[];
}

/** A rule used instead of the column's default rule in rows where `when` holds (first match wins). */
export interface ConditionalRule {
  when: Condition;
  rule: ValueRule;
}

/** A column's role in a foreign key: which key of the table and which parent column it takes. */
export interface ForeignKeyRef {
  /** Index into {@link TablePlan.foreignKeys}. */
  key: number;
  parentTable: string;
  parentColumn: string;
}

/** One output column. */
export interface ColumnPlan {
  name: string;
  type: PhysicalType;
  /** Default rule; null when only conditional rules apply (rows none matches are null). */
  rule: ValueRule | null;
  conditionalRules: ConditionalRule[];
  /** Share of rows that are null, in [0, 1]; 0 for not-null and key columns. */
  nullRate: number;
  unique: boolean;
  primaryKey: boolean;
  foreignKey: ForeignKeyRef | null;
  /** Config path of the column, for errors raised during generation. */
  path: string;
}

/** A foreign key: child columns take the values of one parent row's columns. */
export interface ForeignKeyPlan {
  parentTable: string;
  parentColumns: string[];
  childColumns: string[];
  /** One child row per parent row at most (the child columns are unique or the primary key). */
  oneToOne: boolean;
}

/** One output table. */
export interface TablePlan {
  name: string;
  rows: number;
  columns: ColumnPlan[];
  /** Primary key columns (one or more), empty if none. */
  primaryKey: string[];
  foreignKeys: ForeignKeyPlan[];
  path: string;
}

/** A validated config: tables in generation order (every parent before its children). */
export interface SchemaPlan {
  /** Seed from the config, if it names one. */
  seed: number | null;
  locale: string;
  /** Fixed "now" for Faker methods relative to today, so output does not change from day to day (ISO timestamp). */
  referenceDate: string;
  /** Output format the config asks for, if any. */
  outputFormat: 'csv' | 'json' | 'jsonl' | 'parquet' | null;
  tables: TablePlan[];
}
