/**
 * Edge-case injection over a whole run. Rule r of frequency F affects exactly round(F·N) of the
 * run's N rows: a keyed permutation π of 0..N−1 (seeded from the run seed) lays the rules side by
 * side, so row g gets rule r exactly when π(g) falls in r's slice. Every chunk computes the same π,
 * so chunks agree with each other without sharing state, the counts are exact however the run is
 * chunked, and no row gets two rules (their frequencies must add up to at most 1).
 */
import { ConfigError } from '../errors.js';
import { createRng, deriveSeed } from '../random/index.js';
import { createPermutation, MAX_PERMUTATION_DOMAIN } from '../synth/keyed-permutation.js';
import type { CellValue, PhysicalType, Table, TableSchema } from '../table.js';
import { edgeValueFor } from './edge-values.js';
import { checkEdgeCaseRules, type EdgeCaseRule, type EdgeCaseRuleIssue, type EdgeCaseType } from './rules.js';

/** How injected rows are tagged: an extra string column, or sidecar records. */
export const EdgeCaseTagMode = { Column: 'column', Sidecar: 'sidecar' } as const;
/** One of {@link EdgeCaseTagMode}. */
export type EdgeCaseTagMode = (typeof EdgeCaseTagMode)[keyof typeof EdgeCaseTagMode];

/** Default name of the tag column. */
export const EDGE_CASE_COLUMN = '_edge_case';

/** Rows copied as duplicates come from the same aligned block of this many global rows. */
export const DUPLICATE_BLOCK_ROWS = 1000;

const STREAM_PLACEMENT = 0x65646765;
const STREAM_VALUE = 0x76616c75;

/** Options of {@link injectEdgeCases}. */
export interface InjectEdgeCasesOptions {
  /** Run seed. */
  seed: number;
  /** Global row number of the chunk's first row. */
  startRow: number;
  /** Rows in the whole run (N). */
  totalRows: number;
  /** `column`: add a `_edge_case` column holding `<type>:<column>` (null elsewhere); `sidecar`: return records. */
  tag: EdgeCaseTagMode;
  /**
   * Name of the tag column.
   * @default '_edge_case'
   */
  tagColumn?: string;
  /** Columns that may not receive nulls (null rules on them are rejected). */
  notNull?: readonly string[];
  /** Columns that must stay unique (duplicate rules on them are rejected). */
  unique?: readonly string[];
  /**
   * Config path of the rule list, for errors.
   * @default 'edgeCases'
   */
  root?: string;
}

/** One injected anomaly, as written to a sidecar file. */
export interface EdgeCaseRecord {
  /** Global row number. */
  row: number;
  column: string;
  type: EdgeCaseType;
}

/** The chunk with its edge cases. */
export interface InjectEdgeCasesResult {
  table: Table;
  /** Sidecar records in row order (empty in column mode). */
  records: EdgeCaseRecord[];
  /** Rows of this chunk affected per rule, in rule order. */
  rowsPerRule: number[];
}

const NUMERIC: ReadonlySet<PhysicalType> = new Set(['integer', 'float']);
const TEMPORAL: ReadonlySet<PhysicalType> = new Set(['date', 'timestamp', 'string']);

/** Problems of `rules` against a table schema (unknown columns, wrong column types, forbidden nulls or duplicates, frequencies over 1). */
export function validateEdgeCaseRules(
  rules: readonly EdgeCaseRule[],
  schema: TableSchema,
  options: Pick<InjectEdgeCasesOptions, 'notNull' | 'unique' | 'root'> = {},
): EdgeCaseRuleIssue[] {
  const root = options.root ?? 'edgeCases';
  const issues: EdgeCaseRuleIssue[] = [];
  const types = new Map(schema.columns.map((c) => [c.name, c.type]));
  const notNull = new Set(options.notNull ?? []);
  const unique = new Set(options.unique ?? []);
  let total = 0;
  rules.forEach((rule, i) => {
    const field = `${root}[${i}]`;
    total += rule.frequency;
    const type = types.get(rule.column);
    if (type === undefined) {
      issues.push({ field: `${field}.column`, message: 'names a column the table does not have' });
      return;
    }
    const needs = (ok: boolean, what: string) => {
      if (!ok) issues.push({ field: `${field}.column`, message: `needs ${what} column` });
    };
    switch (rule.kind) {
      case 'boundary': {
        const bounds = [rule.min, rule.max].filter((b) => b !== undefined);
        if (NUMERIC.has(type)) {
          if (bounds.some((b) => typeof b !== 'number'))
            issues.push({ field: `${field}.min`, message: 'must be numbers for a numeric column' });
        } else if (TEMPORAL.has(type)) {
          if (bounds.some((b) => typeof b !== 'string'))
            issues.push({ field: `${field}.min`, message: 'must be ISO dates for a date column' });
        } else needs(false, 'a numeric or date');
        break;
      }
      case 'maxLength':
      case 'unicode':
      case 'malformed':
        needs(type === 'string', 'a string');
        break;
      case 'leapDay':
      case 'farFuture':
      case 'farPast':
        needs(TEMPORAL.has(type), 'a date');
        break;
      case 'zero':
      case 'negative':
        needs(NUMERIC.has(type), 'a numeric');
        break;
      case 'null':
        if (notNull.has(rule.column))
          issues.push({ field: `${field}.column`, message: 'is not nullable, so it cannot receive nulls' });
        break;
      case 'duplicate':
        if (unique.has(rule.column))
          issues.push({
            field: `${field}.column`,
            message: 'must stay unique, so it cannot receive duplicates',
          });
        break;
    }
  });
  // A little slack for frequencies such as 0.1 + 0.2 that only exceed 1 in floating point.
  if (total > 1 + 1e-9) issues.push({ field: root, message: 'frequencies add up to more than 1' });
  return issues;
}

/** Parses and validates a JSON rule list; throws a ConfigError at the first problem's path. */
export function parseEdgeCaseRules(
  input: unknown,
  schema?: TableSchema,
  options: Pick<InjectEdgeCasesOptions, 'notNull' | 'unique' | 'root'> = {},
): EdgeCaseRule[] {
  const root = options.root ?? 'edgeCases';
  const checked = checkEdgeCaseRules(input, root);
  const issues = checked.ok
    ? schema === undefined
      ? []
      : validateEdgeCaseRules(checked.rules, schema, options)
    : checked.issues;
  const [first, ...rest] = issues;
  if (first !== undefined) {
    const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
    throw new ConfigError(`${first.message}${more}`, first.field);
  }
  return (checked as { rules: EdgeCaseRule[] }).rules;
}

/** Rows of an N-row run that rule r affects: round(F·N) each. */
export function edgeCaseRowCounts(rules: readonly EdgeCaseRule[], totalRows: number): number[] {
  return rules.map((r) => Math.round(r.frequency * totalRows));
}

/** Injects the rules' edge cases into a chunk (which is not modified); see the module comment for placement. */
export function injectEdgeCases(
  chunk: Table,
  rules: readonly EdgeCaseRule[],
  options: InjectEdgeCasesOptions,
): InjectEdgeCasesResult {
  const root = options.root ?? 'edgeCases';
  const { seed, startRow, totalRows } = options;
  if (!(Number.isInteger(totalRows) && totalRows >= 0 && totalRows <= MAX_PERMUTATION_DOMAIN))
    throw new ConfigError('must be a whole number of rows', 'totalRows');
  if (!(Number.isInteger(startRow) && startRow >= 0 && startRow + chunk.rowCount <= totalRows))
    throw new ConfigError('the chunk must lie within the run', 'startRow');
  const tagColumn = options.tagColumn ?? EDGE_CASE_COLUMN;
  const issues = validateEdgeCaseRules(rules, { columns: chunk.columns }, options);
  if (options.tag === EdgeCaseTagMode.Column && chunk.columns.some((c) => c.name === tagColumn))
    issues.push({ field: 'tagColumn', message: 'is already a column of the table' });
  const first = issues[0];
  if (first !== undefined) throw new ConfigError(first.message, first.field === root ? root : first.field);

  const counts = edgeCaseRowCounts(rules, totalRows);
  const ends: number[] = [];
  let total = 0;
  for (const c of counts) ends.push((total += c));
  // Rounding each rule can push the sum past N by a few rows when frequencies add up to ~1.
  if (total > totalRows) throw new ConfigError('frequencies add up to more than 1', root);

  const n = chunk.rowCount;
  const columns = chunk.columns.map((c) => ({ ...c, values: c.values.slice(0, n) }));
  const positions = new Map(chunk.columns.map((c, j) => [c.name, j]));
  const tags: CellValue[] | undefined =
    options.tag === EdgeCaseTagMode.Column ? new Array<CellValue>(n).fill(null) : undefined;
  const records: EdgeCaseRecord[] = [];
  const rowsPerRule = rules.map(() => 0);
  if (total > 0) {
    const permute = createPermutation(totalRows, deriveSeed(seed, STREAM_PLACEMENT));
    for (let i = 0; i < n; i++) {
      const row = startRow + i;
      const slot = permute(row);
      if (slot >= total) continue;
      const r = findRule(ends, slot);
      const rule = rules[r] as EdgeCaseRule;
      const col = positions.get(rule.column) as number;
      const original = chunk.columns[col]?.values as CellValue[];
      const rng = createRng(deriveSeed(seed, STREAM_VALUE, row));
      const donor =
        rule.kind === 'duplicate' ? donorValue(original, startRow, n, row, totalRows, rng) : undefined;
      const edge = edgeValueFor(
        rule,
        (chunk.columns[col] as { type: PhysicalType }).type,
        original[i] ?? null,
        donor,
        rng,
      );
      (columns[col] as { values: CellValue[] }).values[i] = edge.value;
      rowsPerRule[r] = (rowsPerRule[r] as number) + 1;
      if (tags !== undefined) tags[i] = `${edge.type}:${rule.column}`;
      else records.push({ row, column: rule.column, type: edge.type });
    }
  }
  if (tags !== undefined) columns.push({ name: tagColumn, type: 'string', values: tags });
  return { table: { rowCount: n, columns }, records, rowsPerRule };
}

/** Index of the rule whose slice [ends[r−1], ends[r]) holds `slot`. */
function findRule(ends: readonly number[], slot: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (slot < (ends[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The sampled value of another row for a duplicate: a random other row of the same aligned block
 * of {@link DUPLICATE_BLOCK_ROWS} global rows, so the choice does not depend on chunking; when the
 * chunk does not hold that row (chunk boundaries off the block grid), the nearest row it holds in
 * the block, then in the chunk. Null donors are skipped where a non-null one is near.
 */
function donorValue(
  values: readonly CellValue[],
  startRow: number,
  n: number,
  row: number,
  totalRows: number,
  rng: { nextInt(n: number): number },
): CellValue | undefined {
  if (n <= 1) return undefined;
  const blockStart = Math.floor(row / DUPLICATE_BLOCK_ROWS) * DUPLICATE_BLOCK_ROWS;
  const blockEnd = Math.min(blockStart + DUPLICATE_BLOCK_ROWS, totalRows);
  const lo = Math.max(blockStart, startRow);
  const hi = Math.min(blockEnd, startRow + n);
  let donor: number;
  if (blockEnd - blockStart >= 2) {
    donor = blockStart + rng.nextInt(blockEnd - blockStart - 1);
    if (donor >= row) donor++;
  } else donor = row > 0 ? row - 1 : row + 1;
  if (hi - lo >= 2) donor = Math.min(Math.max(donor, lo), hi - 1);
  else donor = Math.min(Math.max(donor, startRow), startRow + n - 1);
  if (donor === row) donor = row + 1 < startRow + n ? row + 1 : row - 1;
  // Prefer a non-null donor: walk away from `row` a little within the chunk.
  for (let step = 0; step < 16; step++) {
    const d = donor + (step % 2 === 0 ? step / 2 : -(step + 1) / 2);
    if (d === row || d < startRow || d >= startRow + n) continue;
    const v = values[d - startRow] ?? null;
    if (v !== null) return v;
  }
  return values[donor - startRow] ?? null;
}
