/**
 * The `relational` section of a run config: a whole database synthesized at once. The metadata file
 * (tables, primary keys, foreign keys; see docs/relational.md) is read by the worker, so the workflow
 * input stays small and the file can be reviewed like code.
 */
import { z } from 'zod';

const tableSourceSchema = z.strictObject({
  uri: z.string().min(1),
  format: z.enum(['csv', 'json', 'jsonl', 'parquet']).optional(),
  maxRows: z.number().int().positive().optional(),
});

/** The relational section of the run configuration. */
export const relationalConfigSchema = z.strictObject({
  /** Path of the relational metadata JSON file, relative to the worker's base directory. */
  metadata: z.string().min(1).max(1024),
  /** One sample per table of the metadata, by table name. */
  sources: z
    .record(z.string().min(1).max(128), tableSourceSchema)
    .refine((s) => Object.keys(s).length > 0, 'must name at least one table'),
  /**
   * Root tables (tables without foreign keys) get round(sample rows × scale) rows; children follow
   * from the child counts learnt per parent.
   * @default 1
   */
  scale: z.number().positive().max(10_000).default(1),
  /** Rows of named root tables, overriding `scale` for them. */
  rows: z.record(z.string().min(1).max(128), z.number().int().positive().max(1_000_000_000)).default({}),
  /** Sample rows whose reference finds no parent: an error naming table and row, or dropped and counted. */
  orphans: z.enum(['error', 'drop']).default('error'),
});

/** The relational section with defaults applied. */
export type RelationalConfig = z.output<typeof relationalConfigSchema>;
