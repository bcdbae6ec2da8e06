/**
 * Applies a replacement plan to one synthetic chunk. Pure and deterministic: every replaced cell is
 * a function of (seed, source table, column, global row, the cell's synthetic value, the row's
 * other values) and of nothing chunk-dependent, so applying to rows [0, 1000) at once equals
 * applying to [0, 500) and [500, 1000) with the matching `startRow`.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { ConfigError } from '../errors.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../table.js';
import { createCellRngFactory, hashName, type CellRngFactory } from './cell-random.js';
import { formatPreservingDate, formatPreservingNumber, formatPreservingValue } from './format-preserving.js';
import { bandOf, prefixOf, roundDown, truncateDate } from './generalize.js';
import { DEFAULT_LOCALE } from './locale-data.js';
import { maskValue } from './mask.js';
import { assertStrategyFits, PLAN_ROOT } from './plan.js';
import { pseudonymizeInteger, pseudonymizeString } from './pseudonymize.js';
import { COHERENT_FAKE_KINDS, createRowFaker, type RowFaker, type RowNames } from './row-fakes.js';
import { StrategyName, type ReplacementPlan, type ReplacementStrategy, type StrategyOf } from './strategy.js';
import { findTextSpans, rewriteSpans } from './text-spans.js';

/** What {@link applyReplacements} needs besides the table and the plan. */
export interface ReplacementContext {
  /** The run seed. */
  seed: number;
  /** Global index of the table's first row (the chunk's offset), so streams follow global rows. */
  startRow: number;
  /** Pseudonymization keys by name, resolved by the worker from configuration (never from data). */
  keys: Readonly<Record<string, Uint8Array>>;
  /** Name of the table the chunk belongs to; salts fakes so two tables under one seed get different people. */
  sourceTable?: string;
}

/** The rewritten table and, per planned column, how many non-null cells were replaced. */
export interface ReplacementResult {
  table: Table;
  counts: Record<string, number>;
}

const FIRST_NAME_COLUMN = /^(?:first_?name|firstname|given_?name|forename|vorname|prenom|nombre)$/i;
const LAST_NAME_COLUMN = /^(?:last_?name|lastname|surname|family_?name|nachname|nom|apellidos?)$/i;

const COHERENT_KINDS: ReadonlySet<string> = new Set(COHERENT_FAKE_KINDS);

/**
 * The chunk with each planned column rewritten by its strategy. Nulls stay null (missingness is
 * part of the data's shape) except that `null` nulls everything. Mask and band generalization turn
 * the column into a string column; every other strategy keeps the column type.
 * @throws ConfigError naming `replacements.<column>` for a column the table lacks,
 *   `replacements.<column>.strategy` for a strategy that does not fit the column's type, and
 *   `replacements.<column>.key` for a pseudonymization key missing from `ctx.keys`.
 */
export function applyReplacements(
  table: Table,
  plan: ReplacementPlan,
  ctx: ReplacementContext,
): ReplacementResult {
  const byName = new Map(table.columns.map((c, i) => [c.name, i] as const));
  for (const [column, strategy] of Object.entries(plan)) {
    const at = byName.get(column);
    if (at === undefined)
      throw new ConfigError('no column of that name in the table', `${PLAN_ROOT}.${column}`);
    assertStrategyFits(strategy, (table.columns[at] as ColumnData).type, `${PLAN_ROOT}.${column}`);
    keyFor(strategy, ctx, `${PLAN_ROOT}.${column}`);
  }
  const cells = createCellRngFactory(ctx.seed, ctx.sourceTable);
  const fakers = new Map<string, RowFaker>();
  const fakerFor = (locale: string | undefined, field: string): RowFaker => {
    const name = locale ?? DEFAULT_LOCALE;
    let f = fakers.get(name);
    if (f === undefined) {
      f = createRowFaker(name, cells, `${field}.locale`);
      fakers.set(name, f);
    }
    return f;
  };

  const columns = table.columns.slice();
  const counts: Record<string, number> = {};
  // Name columns first, so emails are built from the names the output rows carry.
  const order = Object.keys(plan).sort((a, b) => nameRank(plan[a]) - nameRank(plan[b]));
  const nameColumns = (): { first?: ColumnData; last?: ColumnData } => {
    const find = (kind: string, pattern: RegExp): ColumnData | undefined =>
      columns.find((c) => {
        const s = plan[c.name];
        return s !== undefined && 'kind' in s && s.kind === kind;
      }) ?? columns.find((c) => c.type === 'string' && pattern.test(c.name));
    return { first: find('first_name', FIRST_NAME_COLUMN), last: find('last_name', LAST_NAME_COLUMN) };
  };

  for (const column of order) {
    const strategy = plan[column] as ReplacementStrategy;
    const at = byName.get(column) as number;
    const source = columns[at] as ColumnData;
    const field = `${PLAN_ROOT}.${column}`;
    const env: CellEnv = {
      cells,
      stream: hashName(`column:${column}`),
      startRow: ctx.startRow,
      names: strategy.strategy === StrategyName.Fake && strategy.kind === 'email' ? nameColumns() : {},
      faker: () => fakerFor('locale' in strategy ? strategy.locale : undefined, field),
      key: keyFor(strategy, ctx, field),
    };
    const { values, type, count } = replaceColumn(source, strategy, env);
    columns[at] = { name: source.name, type, values };
    counts[column] = count;
  }
  return { table: { rowCount: table.rowCount, columns }, counts };
}

function nameRank(strategy: ReplacementStrategy | undefined): number {
  if (strategy === undefined || !('kind' in strategy)) return 1;
  return strategy.kind === 'first_name' || strategy.kind === 'last_name' || strategy.kind === 'person_name'
    ? 0
    : 1;
}

function keyFor(
  strategy: ReplacementStrategy,
  ctx: ReplacementContext,
  field: string,
): Uint8Array | undefined {
  let name: string | undefined;
  if (strategy.strategy === StrategyName.Pseudonymize) name = strategy.key;
  else if (strategy.strategy === StrategyName.ScrubText && strategy.spans === 'pseudonymize') {
    if (strategy.key === undefined)
      throw new ConfigError('is required when spans is pseudonymize', `${field}.key`);
    name = strategy.key;
  }
  if (name === undefined) return undefined;
  const key = Object.hasOwn(ctx.keys, name) ? ctx.keys[name] : undefined;
  if (key === undefined || key.length === 0)
    throw new ConfigError('names a pseudonymization key that is not configured', `${field}.key`);
  return key;
}

interface CellEnv {
  cells: CellRngFactory;
  stream: number;
  startRow: number;
  names: { first?: ColumnData; last?: ColumnData };
  faker: () => RowFaker;
  key: Uint8Array | undefined;
}

interface ReplacedColumn {
  values: CellValue[];
  type: PhysicalType;
  count: number;
}

function replaceColumn(source: ColumnData, strategy: ReplacementStrategy, env: CellEnv): ReplacedColumn {
  const n = source.values.length;
  const values = new Array<CellValue>(n);
  let count = 0;
  let type = source.type;
  const cell = cellReplacer(source, strategy, env);
  if (
    strategy.strategy === StrategyName.Mask ||
    (strategy.strategy === StrategyName.Generalize && strategy.method === 'band')
  )
    type = 'string';
  for (let i = 0; i < n; i++) {
    const v = source.values[i] ?? null;
    if (v === null) {
      values[i] = null;
      continue;
    }
    values[i] = cell(v, i);
    count++;
  }
  return { values, type, count };
}

type CellReplacer = (value: CellValue & {}, index: number) => CellValue;

function cellReplacer(source: ColumnData, strategy: ReplacementStrategy, env: CellEnv): CellReplacer {
  switch (strategy.strategy) {
    case StrategyName.Null:
      return () => null;
    case StrategyName.Mask:
      return (v) => maskValue(String(v), strategy);
    case StrategyName.Generalize:
      return generalizer(strategy);
    case StrategyName.Pseudonymize: {
      const key = env.key as Uint8Array;
      const kind = strategy.kind ?? 'none';
      const cache = new Map<CellValue, CellValue>();
      return (v) => {
        let out = cache.get(v);
        if (out === undefined) {
          out =
            typeof v === 'number' && Number.isInteger(v)
              ? pseudonymizeInteger(v, key)
              : pseudonymizeString(String(v), key, kind);
          cache.set(v, out);
        }
        return out;
      };
    }
    case StrategyName.FormatPreserving:
      return formatPreserver(source, strategy, env);
    case StrategyName.Fake:
      return faker(source, strategy, env);
    case StrategyName.ScrubText:
      return textScrubber(strategy, env);
    case StrategyName.GenerateText:
      // Written by the worker's text generator after this step (it is I/O); see strategy.ts.
      return (v) => v;
  }
}

function generalizer(strategy: StrategyOf<'generalize'>): CellReplacer {
  switch (strategy.method) {
    case 'band': {
      const width = strategy.width ?? 10;
      return (v) => (typeof v === 'number' ? bandOf(v, width) : String(v));
    }
    case 'round': {
      const step = strategy.step ?? 1000;
      return (v) => (typeof v === 'number' ? roundDown(v, step) : v);
    }
    case 'prefix': {
      const length = strategy.length ?? 3;
      return (v) => prefixOf(String(v), length);
    }
    case 'month':
    case 'year': {
      const to = strategy.method;
      // A value that is not an ISO date cannot be generalized safely, so it is dropped rather than kept.
      return (v) => truncateDate(String(v), to);
    }
  }
}

function formatPreserver(
  source: ColumnData,
  strategy: StrategyOf<'format_preserving'>,
  env: CellEnv,
): CellReplacer {
  const kind = strategy.kind ?? 'none';
  const region = (strategy.region ?? 'US') as CountryCode;
  return (v, i) => {
    const rng = env.cells(env.stream, env.startRow + i);
    if (typeof v === 'number') return formatPreservingNumber(v, rng);
    if (typeof v === 'boolean') return v;
    if (source.type === 'date' || source.type === 'timestamp' || kind === 'date_of_birth') {
      const shifted = formatPreservingDate(v, rng);
      if (shifted !== null) return shifted;
    }
    return formatPreservingValue(kind, v, rng, region);
  };
}

function faker(source: ColumnData, strategy: StrategyOf<'fake'>, env: CellEnv): CellReplacer {
  const kind = strategy.kind ?? 'none';
  const coherent = COHERENT_KINDS.has(kind);
  const rowFaker = coherent ? env.faker() : undefined;
  const region = (rowFaker?.place(0).country.code ?? 'US') as CountryCode;
  const { first, last } = env.names;
  return (v, i) => {
    const row = env.startRow + i;
    const rng = env.cells(env.stream, row);
    if (typeof v === 'number') return formatPreservingNumber(v, rng);
    if (typeof v === 'boolean') return v;
    if (rowFaker !== undefined) {
      const names: RowNames = {};
      const f = first?.values[i];
      const l = last?.values[i];
      if (typeof f === 'string') names.first = f;
      if (typeof l === 'string') names.last = l;
      const out = rowFaker.fake(kind, row, v, names, rng);
      if (out !== null) return out;
    }
    if (source.type === 'date' || source.type === 'timestamp' || kind === 'date_of_birth') {
      const shifted = formatPreservingDate(v, rng);
      if (shifted !== null) return shifted;
    }
    if (kind === 'free_text') return scrubText(v, row, env, 'fake', rowFaker ?? env.faker(), region);
    return formatPreservingValue(kind, v, rng, region);
  };
}

function textScrubber(strategy: StrategyOf<'scrub_text'>, env: CellEnv): CellReplacer {
  const spans = strategy.spans ?? 'fake';
  const rowFaker = spans === 'fake' ? env.faker() : undefined;
  const region = (rowFaker?.place(0).country.code ?? 'US') as CountryCode;
  return (v, i) => scrubText(String(v), env.startRow + i, env, spans, rowFaker, region);
}

function scrubText(
  text: string,
  row: number,
  env: CellEnv,
  spans: 'fake' | 'mask' | 'pseudonymize',
  rowFaker: RowFaker | undefined,
  region: CountryCode,
): string {
  const found = findTextSpans(text);
  if (found.length === 0) return text;
  const rng = env.cells(env.stream, row);
  return rewriteSpans(text, found, (span, { kind }) => {
    if (spans === 'mask') return maskValue(span, { mode: 'partial', keep: 0, keepSeparators: true });
    if (spans === 'pseudonymize') return pseudonymizeString(span, env.key as Uint8Array, kind);
    // The row's own person and place: a name or email in a note matches the row's name and email columns.
    const fake =
      rowFaker !== undefined && COHERENT_KINDS.has(kind) ? rowFaker.fake(kind, row, span, {}, rng) : null;
    return fake ?? formatPreservingValue(kind, span, rng, region);
  });
}
