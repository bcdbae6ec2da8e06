/**
 * Date parsing for profiling. Only explicit formats are accepted (never `Date.parse`, whose
 * leniency and local-time defaults differ between engines and machines); values without a zone
 * are read as UTC so that a profile is the same on every machine.
 */

/** A parsed date: epoch milliseconds, and whether the text carried a time of day. */
export interface ParsedDate {
  ms: number;
  hasTime: boolean;
}

/** The date formats the profiler recognises in string columns, most specific first. */
export const DateFormat = {
  /** `2024-03-07`, `2024-03-07T13:45:00.123Z`, `2024-03-07 13:45`, with an optional offset. */
  Iso: 'iso',
  /** `2024/03/07` with an optional time. */
  YearMonthDay: 'ymd',
  /** US order: `03/07/2024`, `3-7-2024`, with an optional time (and AM/PM). */
  MonthDayYear: 'mdy',
  /** European order: `07/03/2024`, `07.03.2024`, with an optional time. */
  DayMonthYear: 'dmy',
  /** Month names: `Mar 7, 2024`, `7 March 2024`, `07-Mar-2024`. */
  MonthName: 'month-name',
} as const;
/** One of {@link DateFormat}. */
export type DateFormat = (typeof DateFormat)[keyof typeof DateFormat];

const TIME = String.raw`(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([AaPp][Mm])?)?`;
const YMD = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}$`);
const NUMERIC_DMY_OR_MDY = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})${TIME}$`);
const NAME_FIRST = /^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/;
const DAY_FIRST = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$/;

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** Days in `month` (1–12) of `year`, leap years (Gregorian) included. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function fractionMs(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Math.floor(Number(`0.${fraction}`) * 1000);
}

/** Epoch ms of a validated calendar date and time in UTC, or undefined when a field is out of range. */
function toEpoch(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * Epoch ms of an ISO 8601 date or timestamp, `YYYY-MM-DD[(T| )HH:mm[:ss[.fff…]]][Z|±HH[:]mm|±HH]`,
 * or NaN. Hand-written over char codes because datetime columns parse every row: this is several
 * times faster than a regular expression plus Date arithmetic.
 */
export function isoToEpochMs(text: string): number {
  return parseIso(text, null);
}

function parseIso(text: string, hasTime: { value: boolean } | null): number {
  const len = text.length;
  if (len < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  if (hasTime !== null) hasTime.value = false;
  if (len === 10) return ms;
  const sep = text.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || len < 16 || text.charCodeAt(13) !== 58) return Number.NaN;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  ms += hour * 3_600_000 + minute * 60_000;
  if (hasTime !== null) hasTime.value = true;
  let at = 16;
  if (at < len && text.charCodeAt(at) === 58) {
    const second = digitsAt(text, at + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    ms += second * 1000;
    at += 3;
    const dot = text.charCodeAt(at);
    if (at < len && (dot === 46 || dot === 44)) {
      at++;
      const start = at;
      let fraction = 0;
      let scale = 100;
      while (at < len) {
        const d = text.charCodeAt(at) - 48;
        if (!(d >= 0 && d <= 9)) break;
        fraction += d * scale;
        scale /= 10;
        at++;
      }
      if (at === start || at - start > 9) return Number.NaN;
      // Sub-millisecond digits are dropped: epochs stay whole milliseconds, like Date.
      ms += Math.floor(fraction + 1e-9);
    }
  }
  if (at === len) return ms;
  const zone = text.charCodeAt(at);
  if ((zone === 90 || zone === 122) && at + 1 === len) return ms;
  if (zone !== 43 && zone !== 45) return Number.NaN;
  const sign = zone === 45 ? -1 : 1;
  const offsetHours = digitsAt(text, at + 1, 2);
  let offsetMinutes = 0;
  const rest = len - (at + 3);
  if (rest === 3 && text.charCodeAt(at + 3) === 58) offsetMinutes = digitsAt(text, at + 4, 2);
  else if (rest === 2) offsetMinutes = digitsAt(text, at + 3, 2);
  else if (rest !== 0) return Number.NaN;
  if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return Number.NaN;
  return ms - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

const hasTimeFlag = { value: false };

/** Parses an ISO 8601 date or timestamp (see {@link isoToEpochMs}), noting whether it has a time of day. */
export function parseIsoDate(text: string): ParsedDate | undefined {
  const ms = parseIso(text, hasTimeFlag);
  return Number.isNaN(ms) ? undefined : { ms, hasTime: hasTimeFlag.value };
}

function clockHour(hour: number, meridiem: string | undefined): number | undefined {
  if (meridiem === undefined) return hour;
  if (hour < 1 || hour > 12) return undefined;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

function withTime(
  year: number,
  month: number,
  day: number,
  t: (string | undefined)[],
): ParsedDate | undefined {
  const [h, mi, s, frac, meridiem] = t;
  if (h === undefined) {
    const ms = toEpoch(year, month, day);
    return ms === undefined ? undefined : { ms, hasTime: false };
  }
  const hour = clockHour(Number(h), meridiem);
  if (hour === undefined) return undefined;
  const ms = toEpoch(year, month, day, hour, Number(mi), Number(s ?? 0), fractionMs(frac));
  return ms === undefined ? undefined : { ms, hasTime: true };
}

function parseYmd(text: string): ParsedDate | undefined {
  const m = YMD.exec(text);
  return m === null ? undefined : withTime(Number(m[1]), Number(m[2]), Number(m[3]), m.slice(4));
}

function parseMdy(text: string): ParsedDate | undefined {
  const m = NUMERIC_DMY_OR_MDY.exec(text);
  // A dot separator is a European convention, never month-first.
  if (m === null || m[2] === '.') return undefined;
  return withTime(Number(m[4]), Number(m[1]), Number(m[3]), m.slice(5));
}

function parseDmy(text: string): ParsedDate | undefined {
  const m = NUMERIC_DMY_OR_MDY.exec(text);
  return m === null ? undefined : withTime(Number(m[4]), Number(m[3]), Number(m[1]), m.slice(5));
}

function parseMonthName(text: string): ParsedDate | undefined {
  let m = NAME_FIRST.exec(text);
  if (m !== null) {
    const month = MONTHS[(m[1] as string).toLowerCase()];
    return month === undefined ? undefined : withTime(Number(m[3]), month, Number(m[2]), []);
  }
  m = DAY_FIRST.exec(text);
  if (m !== null) {
    const month = MONTHS[(m[2] as string).toLowerCase()];
    return month === undefined ? undefined : withTime(Number(m[3]), month, Number(m[1]), []);
  }
  return undefined;
}

/** The parser for each {@link DateFormat}. */
export const DATE_PARSERS: Readonly<Record<DateFormat, (text: string) => ParsedDate | undefined>> = {
  iso: parseIsoDate,
  ymd: parseYmd,
  mdy: parseMdy,
  dmy: parseDmy,
  'month-name': parseMonthName,
};

/** Share of the distinct-value sample that must parse before a format is verified on every value. */
const SAMPLE_MIN_SHARE = 0.9;
/** Share of non-null values that must parse for a string column to count as datetime. */
export const DATETIME_MIN_SHARE = 0.95;
const SAMPLE_SIZE = 200;

/**
 * The one format in which ≥95% of the (weighted) values parse, or undefined. Ambiguous numeric
 * dates where every day is ≤ 12 are read month-first (US order), because that format is tried first.
 * @param keys distinct values
 * @param counts occurrences of each key
 * @param total sum of counts
 */
export function detectDateFormat(
  keys: readonly string[],
  counts: ArrayLike<number>,
  total: number,
): DateFormat | undefined {
  if (total === 0 || keys.length === 0) return undefined;
  const step = Math.max(1, Math.floor(keys.length / SAMPLE_SIZE));
  // Sample shares are weighted by counts: one odd value among many repeated dates is still a date column.
  let sampled = 0;
  for (let i = 0; i < keys.length; i += step) sampled += counts[i] as number;
  const scored = Object.values(DateFormat).map((format, order) => {
    const parse = DATE_PARSERS[format];
    let hits = 0;
    for (let i = 0; i < keys.length; i += step) {
      if (parse((keys[i] as string).trim()) !== undefined) hits += counts[i] as number;
    }
    return { format, order, hits };
  });
  // A format can pass the sample and still fail on the rest (a day > 12 outside the sample), so each
  // promising one is verified in turn.
  scored.sort((a, b) => b.hits - a.hits || a.order - b.order);
  for (const { format, hits } of scored) {
    if (hits === 0 || hits < sampled * SAMPLE_MIN_SHARE) break;
    const parse = DATE_PARSERS[format];
    let parsedWeight = 0;
    for (let i = 0; i < keys.length; i++) {
      if (parse((keys[i] as string).trim()) !== undefined) parsedWeight += counts[i] as number;
    }
    if (parsedWeight >= total * DATETIME_MIN_SHARE) return format;
  }
  return undefined;
}
