/**
 * The profiler: one pass per column into a typed array or a distinct-value tally, one sort for
 * quantiles, and type inference from what that pass found.
 */
import type { CellValue, ColumnData, Table } from '../table.js';
import { PhysicalType } from '../table.js';
import { DATE_PARSERS, detectDateFormat, parseIsoDate, type ParsedDate } from './datetime-parse.js';
import {
  inferNumericType,
  inferStringType,
  isBooleanPair,
  NEARLY_UNIQUE,
  parseBooleanWord,
} from './infer-type.js';
import { allIntegral, countDistinctSorted, summarizeSorted } from './numeric-stats.js';
import { detectPattern } from './pattern.js';
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
  return { rowCount: table.rowCount, columns: table.columns.map((c) => profileColumn(c, topN)) };
}

/** Profiles one column. */
export function profileColumn(column: ColumnData, topCategories = DEFAULT_TOP_CATEGORIES): ColumnProfile {
  switch (column.type) {
    case PhysicalType.Integer:
    case PhysicalType.Float:
      return profileNumeric(column, column.type);
    case PhysicalType.Boolean:
      return profileBoolean(column, topCategories);
    default:
      return profileStringLike(column, topCategories);
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
function profileNumeric(column: ColumnData, physical: 'integer' | 'float'): ColumnProfile {
  const values = column.values;
  const buffer = new Float64Array(values.length);
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

/** String, date and timestamp columns, all tallied by distinct value first. */
function profileStringLike(column: ColumnData, topN: number): ColumnProfile {
  const tally = tallyStrings(column.values);
  const { keys, counts, nullCount } = tally;
  const nonNull = column.values.length - nullCount;
  const distinctCount = keys.length;
  const isPhysicalDate = column.type === PhysicalType.Date || column.type === PhysicalType.Timestamp;
  const pattern = detectPattern(keys, counts, nonNull);
  const text = textLengths(tally, nonNull);

  let parse: ((text: string) => ParsedDate | undefined) | undefined;
  let semanticType: SemanticType;
  if (isPhysicalDate) {
    parse = parseIsoDate;
    semanticType = SemanticType.Datetime;
  } else {
    const booleanPair = isBooleanPair(keys);
    const dateFormat = booleanPair ? undefined : detectDateFormat(keys, counts, nonNull);
    if (dateFormat !== undefined) parse = DATE_PARSERS[dateFormat];
    const nearlyUnique = distinctCount >= NEARLY_UNIQUE * nonNull;
    semanticType = inferStringType({
      name: column.name,
      nonNullCount: nonNull,
      distinctCount,
      booleanPair,
      isDatetime: dateFormat !== undefined,
      pattern,
      // Only computed where it can change the answer: a regex over a million keys is not free.
      uuidShare: nearlyUnique && pattern === undefined ? uuidShare(tally, nonNull) : 0,
    });
  }

  const head = base(column, semanticType, nullCount, distinctCount);
  const profile: ColumnProfile = { ...head };
  if (semanticType === SemanticType.Datetime && parse !== undefined) {
    Object.assign(profile, datetimeSummary(tally, parse, column.type));
  }
  if (semanticType === SemanticType.Categorical || semanticType === SemanticType.Boolean) {
    profile.topCategories = topCounts(keys, counts, topN);
  } else if (semanticType === SemanticType.Text) {
    profile.topCategories = topCounts(keys, counts, Math.min(TEXT_TOP_VALUES, topN));
  }
  if (!isPhysicalDate && text !== undefined) profile.text = text;
  if (pattern !== undefined) profile.pattern = pattern;
  return profile;
}

function datetimeSummary(
  tally: StringTally,
  parse: (text: string) => ParsedDate | undefined,
  physical: PhysicalType,
): Pick<ColumnProfile, 'numeric' | 'datetime'> {
  const epochs = new Float64Array(tally.keys.length);
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
  const rows = new Float64Array(parsedRows);
  let k = 0;
  for (let i = 0; i < epochs.length; i++) {
    const ms = epochs[i] as number;
    if (Number.isNaN(ms)) continue;
    rows.fill(ms, k, k + (tally.counts[i] as number));
    k += tally.counts[i] as number;
  }
  const numeric = summarizeSorted(rows.sort());
  const format: 'date' | 'timestamp' =
    physical === PhysicalType.Date
      ? 'date'
      : physical === PhysicalType.Timestamp || hasTime
        ? 'timestamp'
        : 'date';
  const iso = (ms: number) => {
    const s = new Date(ms).toISOString();
    return format === 'date' ? s.slice(0, s.indexOf('T')) : s;
  };
  return { numeric, datetime: { min: iso(numeric.min), max: iso(numeric.max), format } };
}
