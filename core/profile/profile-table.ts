/**
 * The profiler: one pass per column into a typed array or a distinct-value tally, one sort for
 * quantiles, and type inference from what that pass found.
 */
import type { CellValue, ColumnData, Table } from '../table.js';
import { PhysicalType } from '../table.js';
import { DATE_PARSERS, detectDateFormat, isoToEpochMs, type ParsedDate } from './datetime-parse.js';
import {
  inferNumericType,
  inferStringType,
  isBooleanPair,
  NEARLY_UNIQUE,
  parseBooleanWord,
} from './infer-type.js';
import { allIntegral, countDistinctSorted, summarizeSorted } from './numeric-stats.js';
import { detectPattern } from './pattern.js';
import { ScratchBuffers } from './scratch-buffers.js';
import { tallyStrings, topCounts, type StringTally } from './tally.js';
import { SemanticType, type ColumnProfile, type DatasetProfile, type ProfileOptions } from './types.js';

const DEFAULT_TOP_CATEGORIES = 20;
/** Text columns list only their few most frequent values: the rest is a long tail. */
const TEXT_TOP_VALUES = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Profiles every column of a table (see infer-type.ts for the semantic type rules). The output is
 * a pure function of the input: same table and options, same JSON.
 */
export function profileTable(table: Table, options: ProfileOptions = {}): DatasetProfile {
  const topN = Math.max(0, Math.floor(options.topCategories ?? DEFAULT_TOP_CATEGORIES));
  const scratch = new ScratchBuffers();
  return { rowCount: table.rowCount, columns: table.columns.map((c) => profileColumn(c, topN, scratch)) };
}

/** Profiles one column; `scratch` lets a caller profiling many columns reuse the large buffers. */
export function profileColumn(
  column: ColumnData,
  topCategories = DEFAULT_TOP_CATEGORIES,
  scratch = new ScratchBuffers(),
): ColumnProfile {
  switch (column.type) {
    case PhysicalType.Integer:
    case PhysicalType.Float:
      return profileNumeric(column, column.type, scratch);
    case PhysicalType.Boolean:
      return profileBoolean(column, topCategories);
    case PhysicalType.Date:
    case PhysicalType.Timestamp:
      return profileTemporal(column, column.type, scratch);
    default:
      return profileString(column, topCategories, scratch);
  }
}

function base(column: ColumnData, semanticType: SemanticType, nullCount: number, distinctCount: number) {
  const count = column.values.length;
  const nonNull = count - nullCount;
  return {
    name: column.name,
    physicalType: column.type,
    semanticType,
    count,
    nullCount,
    nullRate: count === 0 ? 0 : nullCount / count,
    distinctCount,
    unique: nonNull > 0 && distinctCount === nonNull,
  };
}

function toFiniteNumber(v: CellValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? Number.NaN : Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number.NaN;
}

/** Numeric columns; values that are not finite numbers (null, NaN, ±Infinity, unparseable text) count as null. */
function profileNumeric(
  column: ColumnData,
  physical: 'integer' | 'float',
  scratch: ScratchBuffers,
): ColumnProfile {
  const values = column.values;
  const buffer = scratch.float64(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = toFiniteNumber(values[i] ?? null);
    // `+ 0` turns -0 into 0, so that JSON and distinct counts agree.
    if (Number.isFinite(x)) buffer[k++] = x + 0;
  }
  const sorted = buffer.subarray(0, k).sort();
  const distinctCount = countDistinctSorted(sorted);
  const head = base(column, SemanticType.Float, values.length - k, distinctCount);
  if (k === 0)
    return { ...head, semanticType: physical === 'integer' ? SemanticType.Integer : SemanticType.Float };
  const numeric = summarizeSorted(sorted);
  const semanticType = inferNumericType({
    name: column.name,
    physical,
    nonNullCount: k,
    unique: head.unique,
    integral: allIntegral(sorted),
    min: numeric.min,
    max: numeric.max,
  });
  return { ...head, semanticType, numeric };
}

/** Boolean columns; true/false words and 1/0 are read as booleans, anything else counts as null. */
function profileBoolean(column: ColumnData, topN: number): ColumnProfile {
  let trues = 0;
  let falses = 0;
  for (const v of column.values) {
    const b =
      typeof v === 'boolean'
        ? v
        : typeof v === 'string'
          ? parseBooleanWord(v)
          : v === 1
            ? true
            : v === 0
              ? false
              : undefined;
    if (b === true) trues++;
    else if (b === false) falses++;
  }
  const keys: string[] = [];
  const counts: number[] = [];
  if (trues > 0) {
    keys.push('true');
    counts.push(trues);
  }
  if (falses > 0) {
    keys.push('false');
    counts.push(falses);
  }
  const head = base(column, SemanticType.Boolean, column.values.length - trues - falses, keys.length);
  return { ...head, topCategories: topCounts(keys, counts, topN) };
}

/**
 * Physical date and timestamp columns: ISO strings (or epoch ms numbers) parsed straight into a
 * typed array, so that a million timestamps need no distinct-value tally. Values that do not parse
 * count as null, like non-numbers in a numeric column; distinct values are distinct instants.
 */
function profileTemporal(
  column: ColumnData,
  physical: 'date' | 'timestamp',
  scratch: ScratchBuffers,
): ColumnProfile {
  const values = column.values;
  const buffer = scratch.float64(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const ms = typeof v === 'string' ? isoToEpochMs(v.trim()) : typeof v === 'number' ? v : Number.NaN;
    if (Number.isFinite(ms)) buffer[k++] = ms;
  }
  const sorted = buffer.subarray(0, k).sort();
  const head = base(column, SemanticType.Datetime, values.length - k, countDistinctSorted(sorted));
  if (k === 0) return head;
  const numeric = summarizeSorted(sorted);
  return { ...head, numeric, datetime: datetimeRange(numeric.min, numeric.max, physical) };
}

function datetimeRange(min: number, max: number, format: 'date' | 'timestamp'): ColumnProfile['datetime'] {
  const iso = (ms: number) => {
    const s = new Date(ms).toISOString();
    return format === 'date' ? s.slice(0, s.indexOf('T')) : s;
  };
  return { min: iso(min), max: iso(max), format };
}

function textLengths(tally: StringTally, nonNull: number): ColumnProfile['text'] {
  if (nonNull === 0) return undefined;
  let minLength = Number.POSITIVE_INFINITY;
  let maxLength = 0;
  let total = 0;
  for (let i = 0; i < tally.keys.length; i++) {
    const len = (tally.keys[i] as string).length;
    if (len < minLength) minLength = len;
    if (len > maxLength) maxLength = len;
    total += len * (tally.counts[i] as number);
  }
  return { minLength, maxLength, meanLength: total / nonNull };
}

function uuidShare(tally: StringTally, nonNull: number): number {
  let hits = 0;
  for (let i = 0; i < tally.keys.length; i++)
    if (UUID.test(tally.keys[i] as string)) hits += tally.counts[i] as number;
  return nonNull === 0 ? 0 : hits / nonNull;
}

/** String columns, tallied by distinct value first. */
function profileString(column: ColumnData, topN: number, scratch: ScratchBuffers): ColumnProfile {
  const tally = tallyStrings(column.values, scratch);
  const { keys, counts, nullCount } = tally;
  const nonNull = column.values.length - nullCount;
  const distinctCount = keys.length;
  const pattern = detectPattern(keys, counts, nonNull);
  const text = textLengths(tally, nonNull);
  const booleanPair = isBooleanPair(keys);
  const dateFormat = booleanPair ? undefined : detectDateFormat(keys, counts, nonNull);
  const nearlyUnique = distinctCount >= NEARLY_UNIQUE * nonNull;
  const semanticType = inferStringType({
    name: column.name,
    nonNullCount: nonNull,
    distinctCount,
    booleanPair,
    isDatetime: dateFormat !== undefined,
    pattern,
    // Only computed where it can change the answer: a regex over a million keys is not free.
    uuidShare: nearlyUnique && pattern === undefined ? uuidShare(tally, nonNull) : 0,
  });

  const head = base(column, semanticType, nullCount, distinctCount);
  const profile: ColumnProfile = { ...head };
  if (dateFormat !== undefined && semanticType === SemanticType.Datetime) {
    Object.assign(profile, datetimeSummary(tally, DATE_PARSERS[dateFormat], scratch));
  }
  if (semanticType === SemanticType.Categorical || semanticType === SemanticType.Boolean) {
    profile.topCategories = topCounts(keys, counts, topN);
  } else if (semanticType === SemanticType.Text) {
    profile.topCategories = topCounts(keys, counts, Math.min(TEXT_TOP_VALUES, topN));
  }
  if (text !== undefined) profile.text = text;
  if (pattern !== undefined) profile.pattern = pattern;
  return profile;
}

function datetimeSummary(
  tally: StringTally,
  parse: (text: string) => ParsedDate | undefined,
  scratch: ScratchBuffers,
): Pick<ColumnProfile, 'numeric' | 'datetime'> {
  const epochs = scratch.float64(tally.keys.length, 1);
  let parsedRows = 0;
  let hasTime = false;
  for (let i = 0; i < tally.keys.length; i++) {
    const parsed = parse((tally.keys[i] as string).trim());
    epochs[i] = parsed === undefined ? Number.NaN : parsed.ms;
    if (parsed !== undefined) {
      parsedRows += tally.counts[i] as number;
      hasTime ||= parsed.hasTime;
    }
  }
  if (parsedRows === 0) return {};
  // Expanded to one entry per row so that quantiles weigh each row, not each distinct value.
  const rows = scratch.float64(parsedRows, 0);
  let k = 0;
  for (let i = 0; i < epochs.length; i++) {
    const ms = epochs[i] as number;
    if (Number.isNaN(ms)) continue;
    rows.fill(ms, k, k + (tally.counts[i] as number));
    k += tally.counts[i] as number;
  }
  const numeric = summarizeSorted(rows.sort());
  return { numeric, datetime: datetimeRange(numeric.min, numeric.max, hasTime ? 'timestamp' : 'date') };
}
