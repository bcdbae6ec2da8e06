/**
 * Samplers for value rules: a function from (rng, row number) to a cell already in the column's
 * type. Unique columns whose rule has a countable domain use an indexed form instead: value number
 * perm(row) of the domain, which is exact, needs no memory and does not depend on earlier rows.
 */
import type { Rng } from '../random/index.js';
import { createRegexSampler } from '../text/regex-sample.js';
import { PhysicalType, type CellValue } from '../table.js';
import { compileDateFormat, DAY_MS, formatIsoDate } from './date-format.js';
import { createSeededFaker } from './faker-provider.js';
import type { ScalarValue, ValueRule } from './plan.js';
import { compileSequenceFormat } from './sequence-format.js';

/** Draws one cell for a row. */
export type RuleSampler = (rng: Rng, row: number) => CellValue;

/** The value with a given index in a rule's finite domain (0 ≤ index < domain size). */
export type IndexedValue = (index: number) => CellValue;

/** A sampler for `rule` whose values are converted to `type`. */
export function createRuleSampler(rule: ValueRule, type: PhysicalType, referenceDate: string): RuleSampler {
  const to = converterTo(type);
  switch (rule.kind) {
    case 'range': {
      if (rule.integer) {
        const width = rule.max - rule.min + 1;
        return (rng) => to(rule.min + rng.nextIntLarge(width));
      }
      if (rule.decimals !== null) {
        const at = gridValue(rule.min, rule.decimals);
        const size = gridSize(rule.min, rule.max, rule.decimals);
        return (rng) => to(at(rng.nextIntLarge(size)));
      }
      const span = rule.max - rule.min;
      return (rng) => to(Math.min(rule.max, rule.min + rng.nextDouble() * span));
    }
    case 'choice': {
      const values = rule.values.map((v) => to(v));
      if (rule.weights === null) return (rng) => values[rng.nextIntLarge(values.length)] as CellValue;
      const cumulative = new Float64Array(values.length);
      let total = 0;
      rule.weights.forEach((w, i) => {
        total += w;
        cumulative[i] = total;
      });
      return (rng) => values[searchCumulative(cumulative, rng.nextDouble() * total)] as CellValue;
    }
    case 'regex': {
      const sample = createRegexSampler(rule.pattern, { maxRepeat: rule.maxRepeat });
      return (rng) => to(sample(rng));
    }
    case 'faker': {
      const faker = createSeededFaker(rule.locale, referenceDate);
      const call = faker.method(rule.method);
      if (call === null) throw new Error(`createRuleSampler: no Faker method ${rule.method}`);
      const args = rule.args;
      return (rng) => {
        faker.use(rng);
        return to(fromFaker(call(...args)));
      };
    }
    case 'sequence': {
      const format = rule.format === null ? null : compileSequenceFormat(rule.format);
      if (format !== null && typeof format !== 'function')
        throw new Error('createRuleSampler: invalid sequence format');
      return (_rng, row) => {
        const n = rule.start + rule.step * row;
        return to(format === null ? n : format(n));
      };
    }
    case 'date_range': {
      const at = indexedDate(rule.startDay, rule.format);
      const size = rule.endDay - rule.startDay + 1;
      return (rng) => to(at(rng.nextIntLarge(size)));
    }
    case 'datetime_range': {
      const at = indexedDatetime(rule.startMs, rule.format);
      const size = Math.floor((rule.endMs - rule.startMs) / 1000) + 1;
      return (rng) => to(at(rng.nextIntLarge(size)));
    }
    case 'uuid':
      return (rng) => formatUuid(rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32());
    case 'boolean':
      return (rng) => to(rng.nextBoolean(rule.probability));
    case 'constant': {
      const value = to(rule.value);
      return () => value;
    }
  }
}

/** The indexed form of a rule with a finite domain (for exact uniqueness), or null if it has none. */
export function createIndexedValue(
  rule: ValueRule,
  type: PhysicalType,
): { size: number; at: IndexedValue } | null {
  const to = converterTo(type);
  switch (rule.kind) {
    case 'range':
      if (rule.integer) return { size: rule.max - rule.min + 1, at: (i) => to(rule.min + i) };
      if (rule.decimals !== null) {
        const at = gridValue(rule.min, rule.decimals);
        return { size: gridSize(rule.min, rule.max, rule.decimals), at: (i) => to(at(i)) };
      }
      return null;
    case 'choice': {
      const seen = new Set<string>();
      const distinct: ScalarValue[] = [];
      for (const v of rule.values) {
        const key = JSON.stringify(v);
        if (!seen.has(key)) {
          seen.add(key);
          distinct.push(v);
        }
      }
      return { size: distinct.length, at: (i) => to(distinct[i] as ScalarValue) };
    }
    case 'date_range': {
      const at = indexedDate(rule.startDay, rule.format);
      return { size: rule.endDay - rule.startDay + 1, at: (i) => to(at(i)) };
    }
    case 'datetime_range': {
      const at = indexedDatetime(rule.startMs, rule.format);
      return { size: Math.floor((rule.endMs - rule.startMs) / 1000) + 1, at: (i) => to(at(i)) };
    }
    case 'boolean':
      return { size: 2, at: (i) => to(i === 1) };
    case 'constant':
      return { size: 1, at: () => to(rule.value) };
    default:
      return null;
  }
}

/** A UUID whose first 50 bits are `index` (< 2^50) and the rest random: distinct indexes give distinct UUIDs. */
export function uuidFromIndex(index: number, rng: Rng): string {
  const hi = Math.floor(index / 2 ** 18);
  const lo = index % 2 ** 18;
  // Bits 15..12 of the second word become the version nibble, so the low two index bits sit below them.
  const b = (((lo >>> 2) << 16) | ((lo & 3) << 10) | (rng.nextUint32() & 0x3ff)) >>> 0;
  return formatUuid(hi, b, rng.nextUint32(), rng.nextUint32());
}

/** A UUID (version 4 layout) from four 32-bit words. */
export function formatUuid(a: number, b: number, c: number, d: number): string {
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const bHex = hex(b);
  const cHex = hex(((c & 0x3fffffff) | 0x80000000) >>> 0);
  return `${hex(a)}-${bHex.slice(0, 4)}-4${bHex.slice(5, 8)}-${cHex.slice(0, 4)}-${cHex.slice(4)}${hex(d)}`;
}

function gridValue(min: number, decimals: number): (i: number) => number {
  const scale = 10 ** decimals;
  const base = Math.round(min * scale);
  return (i) => (base + i) / scale;
}

function gridSize(min: number, max: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.floor(Math.round(max * scale) - Math.round(min * scale)) + 1;
}

function indexedDate(startDay: number, format: string | null): (i: number) => string {
  const formatter = format === null ? formatIsoDate : compileDateFormat(format);
  if (typeof formatter !== 'function') throw new Error('createRuleSampler: invalid date format');
  // Formatting dominates date columns (Date allocation per value); a range has few distinct days, so memoise.
  const memo = new Map<number, string>();
  return (i) => {
    let text = memo.get(i);
    if (text === undefined) {
      text = formatter((startDay + i) * DAY_MS);
      if (memo.size < MEMO_LIMIT) memo.set(i, text);
    }
    return text;
  };
}

function indexedDatetime(startMs: number, format: string | null): (i: number) => string {
  if (format !== null) {
    const formatter = compileDateFormat(format);
    if (typeof formatter !== 'function') throw new Error('createRuleSampler: invalid datetime format');
    return (i) => formatter(startMs + i * 1000);
  }
  // ISO text built from a memoised date part and arithmetic time of day: several times faster than toISOString.
  const days = new Map<number, string>();
  return (i) => {
    const ms = startMs + i * 1000;
    const day = Math.floor(ms / DAY_MS);
    let date = days.get(day);
    if (date === undefined) {
      date = formatIsoDate(day * DAY_MS);
      if (days.size < MEMO_LIMIT) days.set(day, date);
    }
    const t = ms - day * DAY_MS;
    const h = Math.floor(t / 3_600_000);
    const m = Math.floor((t % 3_600_000) / 60_000);
    const sec = Math.floor((t % 60_000) / 1000);
    const milli = t % 1000;
    return `${date}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[sec]}.${String(milli).padStart(3, '0')}Z`;
  };
}

const MEMO_LIMIT = 100_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

function searchCumulative(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function fromFaker(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** Converts a rule's value to the column type (validation has ensured it fits). */
function converterTo(type: PhysicalType): (v: CellValue) => CellValue {
  switch (type) {
    case PhysicalType.String:
      return (v) => (v === null || typeof v === 'string' ? v : String(v));
    case PhysicalType.Timestamp:
      // Dates are midnight UTC when stored in a timestamp column.
      return (v) => (typeof v === 'string' && v.length === 10 ? `${v}T00:00:00.000Z` : v);
    default:
      return (v) => v;
  }
}
