/**
 * Source layouts of datetime text columns: which fields a value like `05/03/2024`,
 * `2024-03-05 14:22:00` or `2024-03-05T14:22:00+01:00` has, in which order, padded or not, and in
 * which UTC offset, learned from the sample so that synthetic values are written the same way.
 * A layout is a template (`{DD}/{MM}/{YYYY}`) plus an offset; it is inferred per value from the
 * field order of the column's detected date format, and kept only when it reads the values back
 * to the same instants the profiler's parsers give.
 */
import { DATE_PARSERS, DateFormat, detectDateFormat } from '../profile/datetime-parse.js';
import type { CellValue } from '../table.js';
import { civilFromDays, DAY_MS, daysFromCivil, parseDatetimeMs } from './datetime-codec.js';
import type { DatetimeLayout } from './model.js';

/** Tokens a template may contain, between braces. */
export const LAYOUT_TOKENS = [
  'YYYY',
  'MM',
  'M',
  'MMM',
  'MMMM',
  'MON',
  'MONTH',
  'DD',
  'D',
  'o',
  'HH',
  'H',
  'hh',
  'h',
  'mm',
  'ss',
  'S1',
  'S2',
  'S3',
  'S4',
  'S5',
  'S6',
  'S7',
  'S8',
  'S9',
  'A',
  'a',
] as const;
type Token = (typeof LAYOUT_TOKENS)[number];
const TOKEN_SET = new Set<string>(LAYOUT_TOKENS);

/** A template split into literal text and tokens. */
type Part = { literal: string } | { token: Token };

const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTHS_SHORT = MONTHS_LONG.map((m) => m.slice(0, 3));
const MONTH_BY_NAME = new Map<string, number>();
MONTHS_LONG.forEach((m, i) => {
  MONTH_BY_NAME.set(m.toLowerCase(), i + 1);
  MONTH_BY_NAME.set(m.slice(0, 3).toLowerCase(), i + 1);
});
MONTH_BY_NAME.set('sept', 9);

/** Splits a template into parts; undefined when it has an unknown or unclosed token. */
export function parseTemplate(template: string): Part[] | undefined {
  const parts: Part[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      parts.push({ literal: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ literal: template.slice(i, open) });
    const close = template.indexOf('}', open);
    if (close < 0) return undefined;
    const name = template.slice(open + 1, close);
    if (!TOKEN_SET.has(name)) return undefined;
    parts.push({ token: name as Token });
    i = close + 1;
  }
  return parts;
}

/** Whether a template has any time-of-day token. */
export function templateHasTime(template: string): boolean {
  return /\{(HH|H|hh|h|mm|ss|S\d|A|a)\}/.test(template);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function ordinalSuffix(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  switch (day % 10) {
    case 1:
      return 'st';
    case 2:
      return 'nd';
    case 3:
      return 'rd';
    default:
      return 'th';
  }
}

/** Writes one token of a local (offset-shifted) instant. */
function writeToken(token: Token, year: number, month: number, day: number, msOfDay: number): string {
  const hour = Math.floor(msOfDay / 3_600_000);
  switch (token) {
    case 'YYYY':
      return year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
    case 'MM':
      return pad2(month);
    case 'M':
      return String(month);
    case 'MMM':
      return MONTHS_SHORT[month - 1] as string;
    case 'MMMM':
      return MONTHS_LONG[month - 1] as string;
    case 'MON':
      return (MONTHS_SHORT[month - 1] as string).toUpperCase();
    case 'MONTH':
      return (MONTHS_LONG[month - 1] as string).toUpperCase();
    case 'DD':
      return pad2(day);
    case 'D':
      return String(day);
    case 'o':
      return ordinalSuffix(day);
    case 'HH':
      return pad2(hour);
    case 'H':
      return String(hour);
    case 'hh':
      return pad2(hour % 12 === 0 ? 12 : hour % 12);
    case 'h':
      return String(hour % 12 === 0 ? 12 : hour % 12);
    case 'mm':
      return pad2(Math.floor(msOfDay / 60_000) % 60);
    case 'ss':
      return pad2(Math.floor(msOfDay / 1000) % 60);
    case 'A':
      return hour < 12 ? 'AM' : 'PM';
    case 'a':
      return hour < 12 ? 'am' : 'pm';
    default: {
      // S1..S9: fraction digits; below a millisecond they are zeros, since instants are whole ms.
      const digits = Number(token.slice(1));
      const ms = String(msOfDay % 1000).padStart(3, '0');
      return digits <= 3 ? ms.slice(0, digits) : ms + '0'.repeat(digits - 3);
    }
  }
}

/** Widest day range memoised by date-only formatters (about 1,100 years). */
const MAX_CACHED_DAYS = 400_000;

/**
 * A formatter of local epoch ms (UTC ms already shifted by the layout's offset) into the
 * layout's text. Date-only layouts are memoised per day within [minLocal, maxLocal].
 */
export function createLayoutFormatter(
  layout: DatetimeLayout,
  minLocal: number,
  maxLocal: number,
): (localMs: number) => string {
  const parts = parseTemplate(layout.template) ?? [{ literal: '' }];
  const format = (localMs: number): string => {
    const t = Math.round(localMs);
    const days = Math.floor(t / DAY_MS);
    const ymd = civilFromDays(days);
    let year: number;
    let month: number;
    let day: number;
    if (ymd >= 0) {
      year = Math.floor(ymd / 10000);
      month = Math.floor(ymd / 100) % 100;
      day = ymd % 100;
    } else {
      const d = new Date(days * DAY_MS);
      year = d.getUTCFullYear();
      month = d.getUTCMonth() + 1;
      day = d.getUTCDate();
    }
    const msOfDay = t - days * DAY_MS;
    let out = '';
    for (const p of parts) out += 'literal' in p ? p.literal : writeToken(p.token, year, month, day, msOfDay);
    return out;
  };
  if (templateHasTime(layout.template)) return format;
  const firstDay = Math.floor(minLocal / DAY_MS);
  const span = Math.floor(maxLocal / DAY_MS) - firstDay + 1;
  if (!(span > 0 && span <= MAX_CACHED_DAYS)) return format;
  const cache = new Array<string | undefined>(span);
  return (localMs) => {
    const offset = Math.floor(localMs / DAY_MS) - firstDay;
    if (offset < 0 || offset >= span) return format(localMs);
    let text = cache[offset];
    if (text === undefined) {
      text = format(localMs);
      cache[offset] = text;
    }
    return text;
  };
}

/** Epoch ms (UTC) of a text in the layout, or NaN when it does not match. */
export function parseWithLayout(layout: DatetimeLayout, text: string): number {
  const parts = parseTemplate(layout.template);
  if (parts === undefined) return Number.NaN;
  let at = 0;
  let year = Number.NaN;
  let month = Number.NaN;
  let day = Number.NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm: boolean | undefined;
  const digits = (min: number, max: number): number => {
    let n = 0;
    let k = 0;
    while (k < max && at < text.length) {
      const d = text.charCodeAt(at) - 48;
      if (!(d >= 0 && d <= 9)) break;
      n = n * 10 + d;
      at++;
      k++;
    }
    return k >= min ? n : Number.NaN;
  };
  for (const p of parts) {
    if ('literal' in p) {
      if (!text.startsWith(p.literal, at)) return Number.NaN;
      at += p.literal.length;
      continue;
    }
    switch (p.token) {
      case 'YYYY':
        year = digits(4, 4);
        break;
      case 'MM':
        month = digits(2, 2);
        break;
      case 'M':
        month = digits(1, 2);
        break;
      case 'DD':
        day = digits(2, 2);
        break;
      case 'D':
        day = digits(1, 2);
        break;
      case 'HH':
      case 'hh':
        hour = digits(2, 2);
        break;
      case 'H':
      case 'h':
        hour = digits(1, 2);
        break;
      case 'mm':
        minute = digits(2, 2);
        break;
      case 'ss':
        second = digits(2, 2);
        break;
      case 'MMM':
      case 'MMMM':
      case 'MON':
      case 'MONTH': {
        const m = /^[A-Za-z]+/.exec(text.slice(at));
        month = m === null ? Number.NaN : (MONTH_BY_NAME.get(m[0].toLowerCase()) ?? Number.NaN);
        at += m === null ? 0 : m[0].length;
        break;
      }
      case 'o': {
        const suffix = text.slice(at, at + 2).toLowerCase();
        if (!['st', 'nd', 'rd', 'th'].includes(suffix)) return Number.NaN;
        at += 2;
        break;
      }
      case 'A':
      case 'a': {
        const m = text.slice(at, at + 2).toLowerCase();
        if (m !== 'am' && m !== 'pm') return Number.NaN;
        pm = m === 'pm';
        at += 2;
        break;
      }
      default: {
        const n = Number(p.token.slice(1));
        const start = at;
        const value = digits(n, n);
        if (Number.isNaN(value)) return Number.NaN;
        ms = Math.floor(Number(`0.${text.slice(start, at)}`) * 1000 + 1e-9);
      }
    }
  }
  if (at !== text.length) return Number.NaN;
  if (pm !== undefined) {
    if (!(hour >= 1 && hour <= 12)) return Number.NaN;
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59))
    return Number.NaN;
  if (!(year === year)) return Number.NaN;
  const local =
    daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
  // Reject days past the month's end (31 April) instead of rolling over.
  const check = civilFromDays(Math.floor(local / DAY_MS));
  if (check >= 0 && check % 100 !== day) return Number.NaN;
  return local - layout.offsetMinutes * 60_000;
}

// ---------------------------------------------------------------------------------------------
// Inference
// ---------------------------------------------------------------------------------------------

/** Values looked at to infer a layout. */
const INFER_SAMPLE = 2000;
/** Share of the looked-at values one layout must read back exactly to be kept. */
const MIN_LAYOUT_SHARE = 0.9;

const ZONE = /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/** Which field each digit run is, in order, for each date format. */
const FIELD_ORDER: Record<DateFormat, readonly string[]> = {
  iso: ['Y', 'M', 'D', 'H', 'm', 's', 'S'],
  ymd: ['Y', 'M', 'D', 'H', 'm', 's', 'S'],
  mdy: ['M', 'D', 'Y', 'H', 'm', 's', 'S'],
  dmy: ['D', 'M', 'Y', 'H', 'm', 's', 'S'],
  'month-name': ['D', 'Y', 'H', 'm', 's', 'S'],
};

/** A value's template with padding undecided: `{M?}` etc., plus its padding evidence per field. */
interface Shape {
  key: string;
  /** Per undecided field (in order): +1 padded (leading zero), −1 unpadded (one digit), 0 unknown. */
  votes: number[];
  offsetMinutes: number;
}

function zoneMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

function shapeOfValue(text: string, format: DateFormat): Shape | undefined {
  let body = text;
  let zone = '';
  if (format === 'iso' && text.length > 10) {
    const m = ZONE.exec(text);
    if (m !== null) {
      zone = m[0];
      body = text.slice(0, text.length - zone.length);
    }
  }
  const order = FIELD_ORDER[format];
  const hasMeridiem = /[AaPp][Mm]$/.test(body.trim());
  let key = '';
  const votes: number[] = [];
  let field = 0;
  let i = 0;
  let previousField = '';
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < body.length && body.charCodeAt(j) >= 48 && body.charCodeAt(j) <= 57) j++;
      const run = body.slice(i, j);
      // A fraction follows seconds after '.' or ','; without seconds there is none.
      const name = order[field++];
      if (name === undefined) return undefined;
      previousField = name;
      switch (name) {
        case 'Y':
          if (run.length !== 4) return undefined;
          key += '{YYYY}';
          break;
        case 'M':
        case 'D':
        case 'H': {
          if (run.length > 2) return undefined;
          const token = name === 'M' ? 'M' : name === 'D' ? 'D' : hasMeridiem ? 'h' : 'H';
          key += `{${token}?}`;
          votes.push(run.length === 1 ? -1 : run.charCodeAt(0) === 48 ? 1 : 0);
          break;
        }
        case 'm':
          if (run.length !== 2) return undefined;
          key += '{mm}';
          break;
        case 's':
          if (run.length !== 2) return undefined;
          key += '{ss}';
          break;
        default:
          if (run.length > 9) return undefined;
          key += `{S${run.length}}`;
      }
      i = j;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      let j = i;
      while (j < body.length && /[A-Za-z]/.test(body.charAt(j))) j++;
      const run = body.slice(i, j);
      const lower = run.toLowerCase();
      if (format === 'month-name' && MONTH_BY_NAME.has(lower)) {
        const long = run.length > 3 && lower !== 'sept';
        const upper = run === run.toUpperCase();
        key += long ? (upper ? '{MONTH}' : '{MMMM}') : upper ? '{MON}' : '{MMM}';
      } else if ((lower === 'am' || lower === 'pm') && hasMeridiem) {
        key += run === run.toUpperCase() ? '{A}' : '{a}';
      } else if (previousField === 'D' && ['st', 'nd', 'rd', 'th'].includes(lower)) {
        key += '{o}';
      } else {
        key += run.replace(/[{}]/g, '');
      }
      i = j;
    } else {
      if (c !== 123 && c !== 125) key += body.charAt(i);
      i++;
    }
  }
  return { key: key + zone.replace(/[{}]/g, ''), votes, offsetMinutes: zone === '' ? 0 : zoneMinutes(zone) };
}

/**
 * The layout most values of a datetime text column are written in, or null when the column has
 * no string values or no single layout reads ≥90% of them back to the profiler's instants.
 */
export function inferDatetimeLayout(values: readonly CellValue[]): DatetimeLayout | null {
  const strings: string[] = [];
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') strings.push(v.trim());
  if (strings.length === 0) return null;
  const step = Math.max(1, Math.floor(strings.length / INFER_SAMPLE));
  const picked: string[] = [];
  for (let i = 0; i < strings.length; i += step) picked.push(strings[i] as string);
  const format = detectFormatOf(picked);
  if (format === undefined) return null;
  const byKey = new Map<string, { count: number; votes: number[][]; offsetMinutes: number }>();
  for (const text of picked) {
    const shape = shapeOfValue(text, format);
    if (shape === undefined) continue;
    const entry = byKey.get(shape.key);
    if (entry === undefined)
      byKey.set(shape.key, {
        count: 1,
        votes: shape.votes.map((v) => [v]),
        offsetMinutes: shape.offsetMinutes,
      });
    else {
      entry.count++;
      shape.votes.forEach((v, k) => entry.votes[k]?.push(v));
    }
  }
  let best: [string, { count: number; votes: number[][]; offsetMinutes: number }] | undefined;
  for (const e of byKey) if (best === undefined || e[1].count > best[1].count) best = e;
  if (best === undefined) return null;
  const [key, entry] = best;
  let k = 0;
  const template = key.replace(/\{(M|D|H|h)\?\}/g, (_m, name: string) => {
    const votes = entry.votes[k++] ?? [];
    let padded = 0;
    let unpadded = 0;
    for (const v of votes) {
      if (v > 0) padded++;
      else if (v < 0) unpadded++;
    }
    // Without evidence (every value two digits, none with a leading zero) padding is harmless.
    return unpadded > padded ? `{${name}}` : `{${name}${name}}`;
  });
  const layout: DatetimeLayout = { template, offsetMinutes: entry.offsetMinutes };
  let agree = 0;
  for (const text of picked) {
    const expected = parseProfiled(text, format);
    if (expected === expected && parseWithLayout(layout, text) === expected) agree++;
  }
  return agree >= MIN_LAYOUT_SHARE * picked.length ? layout : null;
}

function detectFormatOf(values: readonly string[]): DateFormat | undefined {
  let iso = 0;
  for (const v of values) if (parseDatetimeMs(v) === parseDatetimeMs(v)) iso++;
  if (iso >= 0.95 * values.length) return DateFormat.Iso;
  const tally = new Map<string, number>();
  for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
  const keys = [...tally.keys()];
  return detectDateFormat(
    keys,
    keys.map((k) => tally.get(k) as number),
    values.length,
  );
}

function parseProfiled(text: string, format: DateFormat): number {
  if (format === 'iso') return parseDatetimeMs(text);
  return DATE_PARSER_CACHE[format](text);
}

const DATE_PARSER_CACHE: Record<DateFormat, (text: string) => number> = {
  iso: parseDatetimeMs,
  ymd: (t) => DATE_PARSERS.ymd(t)?.ms ?? Number.NaN,
  mdy: (t) => DATE_PARSERS.mdy(t)?.ms ?? Number.NaN,
  dmy: (t) => DATE_PARSERS.dmy(t)?.ms ?? Number.NaN,
  'month-name': (t) => DATE_PARSERS['month-name'](t)?.ms ?? Number.NaN,
};
