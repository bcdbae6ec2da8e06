/**
 * Datetime cells ↔ epoch milliseconds. Parsing reads ISO 8601 without ever consulting the local
 * time zone (values without an offset are UTC); formatting is hand-rolled because
 * `Date#toISOString` is a measurable share of sampling time for timestamp-heavy tables.
 */

import { DATE_PARSERS, detectDateFormat } from '../profile/datetime-parse.js';
import type { CellValue } from '../table.js';

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

const ISO =
  /^\s*([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/;

/** Epoch ms of an ISO date/timestamp string or a number (taken as epoch ms); NaN when unreadable. */
export function parseDatetimeMs(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const fast = parseCanonicalIso(value);
  if (fast === fast) return fast;
  const m = ISO.exec(value);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return Number.NaN;
  const ms =
    daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + fraction;
  return ms - zoneOffsetMinutes(m[8]) * 60_000;
}

/**
 * Epoch ms of every cell of a datetime column (NaN for null or unreadable). ISO is tried first;
 * when more than 5% of the strings are not ISO, the column's format is detected the way the
 * profiler does it (US/European order, month names) so both read the same column alike.
 */
export function datetimeColumnToMs(values: readonly CellValue[]): Float64Array {
  const out = new Float64Array(values.length);
  let strings = 0;
  let failed = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    out[i] = v === null ? Number.NaN : parseDatetimeMs(v);
    if (typeof v === 'string') {
      strings++;
      if (Number.isNaN(out[i] as number)) failed++;
    }
  }
  if (failed === 0 || failed <= 0.05 * strings) return out;
  const tally = new Map<string, number>();
  for (const v of values) if (typeof v === 'string') tally.set(v.trim(), (tally.get(v.trim()) ?? 0) + 1);
  const keys = [...tally.keys()];
  const format = detectDateFormat(
    keys,
    keys.map((k) => tally.get(k) as number),
    strings,
  );
  if (format === undefined) return out;
  const parse = DATE_PARSERS[format];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && Number.isNaN(out[i] as number)) out[i] = parse(v.trim())?.ms ?? Number.NaN;
  }
  return out;
}

function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

/**
 * The two layouts this codebase writes (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss.sssZ`) read without a
 * regex, since quality scoring and fingerprints parse every datetime cell; NaN for anything else.
 */
function parseCanonicalIso(s: string): number {
  const n = s.length;
  if ((n !== 10 && n !== 24) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const year = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3);
  const month = digitAt(s, 5) * 10 + digitAt(s, 6);
  const day = digitAt(s, 8) * 10 + digitAt(s, 9);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return Number.NaN;
  let ms = daysFromCivil(year, month, day) * DAY_MS;
  if (n === 24) {
    if (s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
    if (s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return Number.NaN;
    const hour = digitAt(s, 11) * 10 + digitAt(s, 12);
    const minute = digitAt(s, 14) * 10 + digitAt(s, 15);
    const second = digitAt(s, 17) * 10 + digitAt(s, 18);
    if (!(hour <= 23 && minute <= 59 && second <= 60)) return Number.NaN;
    ms +=
      hour * 3_600_000 +
      minute * 60_000 +
      second * 1000 +
      digitAt(s, 20) * 100 +
      digitAt(s, 21) * 10 +
      digitAt(s, 22);
  }
  return ms;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `YYYY-MM-DD` (UTC) of epoch ms. */
export function formatIsoDate(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const ymd = civilFromDays(days);
  if (ymd < 0) return new Date(days * DAY_MS).toISOString().slice(0, -14);
  const year = Math.floor(ymd / 10000);
  const month = Math.floor(ymd / 100) % 100;
  const day = ymd % 100;
  // One flat string from character codes: cheaper to build and to keep than a concatenation tree.
  return String.fromCharCode(
    48 + Math.floor(year / 1000),
    48 + (Math.floor(year / 100) % 10),
    48 + (Math.floor(year / 10) % 10),
    48 + (year % 10),
    45,
    48 + Math.floor(month / 10),
    48 + (month % 10),
    45,
    48 + Math.floor(day / 10),
    48 + (day % 10),
  );
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` of epoch ms, identical to `new Date(ms).toISOString()` for years 0..9999. */
export function formatIsoTimestamp(ms: number): string {
  const t = Math.round(ms);
  const days = Math.floor(t / DAY_MS);
  const ymd = civilFromDays(days);
  if (ymd < 0) return new Date(t).toISOString();
  const year = Math.floor(ymd / 10000);
  const month = Math.floor(ymd / 100) % 100;
  const day = ymd % 100;
  let rest = t - days * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return String.fromCharCode(
    48 + Math.floor(year / 1000),
    48 + (Math.floor(year / 100) % 10),
    48 + (Math.floor(year / 10) % 10),
    48 + (year % 10),
    45,
    48 + Math.floor(month / 10),
    48 + (month % 10),
    45,
    48 + Math.floor(day / 10),
    48 + (day % 10),
    84,
    48 + Math.floor(hour / 10),
    48 + (hour % 10),
    58,
    48 + Math.floor(minute / 10),
    48 + (minute % 10),
    58,
    48 + Math.floor(second / 10),
    48 + (second % 10),
    46,
    48 + Math.floor(milli / 100),
    48 + (Math.floor(milli / 10) % 10),
    48 + (milli % 10),
    90,
  );
}

/** year·10000 + month·100 + day of a day number (Hinnant's civil_from_days), or −1 outside years 0..9999. */
export function civilFromDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year < 0 || year > 9999 ? -1 : year * 10000 + month * 100 + day;
}

/** Widest day range memoised by {@link createDateFormatter} (about 1,100 years). */
const MAX_CACHED_DAYS = 400_000;

/**
 * `formatIsoDate` for instants within [minMs, maxMs], memoised per day: a date column repeats
 * a few thousand distinct strings, and sharing them keeps a chunk's memory (and GC work) small.
 */
export function createDateFormatter(minMs: number, maxMs: number): (ms: number) => string {
  const firstDay = Math.floor(minMs / DAY_MS);
  const span = Math.floor(maxMs / DAY_MS) - firstDay + 1;
  if (!(span > 0 && span <= MAX_CACHED_DAYS)) return formatIsoDate;
  const cache = new Array<string | undefined>(span);
  return (ms) => {
    const offset = Math.floor(ms / DAY_MS) - firstDay;
    if (offset < 0 || offset >= span) return formatIsoDate(ms);
    let text = cache[offset];
    if (text === undefined) {
      text = formatIsoDate(ms);
      cache[offset] = text;
    }
    return text;
  };
}
