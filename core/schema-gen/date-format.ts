/**
 * Date parsing and formatting for date and datetime rules. Formats come in two styles, told apart
 * by `%`: strftime (`%Y-%m-%d %H:%M:%S`, as in the Python syndata configs) or tokens
 * (`YYYY-MM-DD HH:mm:ss`, `DD.MM.YYYY`, text in `[brackets]` kept literally). All times are UTC.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

const MONTHS = [
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
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of `YYYY-MM-DD` or an ISO datetime (UTC unless it carries an offset); null if not one or not a real date. */
export function parseDateTimeMs(text: string | Date): number | null {
  if (text instanceof Date) return Number.isNaN(text.getTime()) ? null : text.getTime();
  const d = ISO_DATE.exec(text.trim());
  if (d) return civilMs(Number(d[1]), Number(d[2]), Number(d[3]), 0, 0, 0, 0);
  const t = ISO_DATETIME.exec(text.trim());
  if (!t) return null;
  const ms = t[7] ? Math.floor(Number(`0.${t[7]}`) * 1000) : 0;
  const base = civilMs(
    Number(t[1]),
    Number(t[2]),
    Number(t[3]),
    Number(t[4]),
    Number(t[5]),
    Number(t[6] ?? 0),
    ms,
  );
  if (base === null) return null;
  const offset = t[8];
  if (offset === undefined || offset === 'Z') return base;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function civilMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const value = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 2023-02-30 over to March; a real date reads back the same day.
  if (new Date(value).getUTCDate() !== d) return null;
  return value;
}

/** `YYYY-MM-DD` of epoch milliseconds (UTC). */
export function formatIsoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` of epoch milliseconds. */
export function formatIsoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

type Piece = string | ((d: Date) => string);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const hour12 = (d: Date): number => d.getUTCHours() % 12 || 12;
const dayOfYear = (d: Date): number =>
  Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;

const STRFTIME: Readonly<Record<string, (d: Date) => string>> = {
  Y: (d) => pad(d.getUTCFullYear(), 4),
  y: (d) => pad(d.getUTCFullYear() % 100),
  m: (d) => pad(d.getUTCMonth() + 1),
  d: (d) => pad(d.getUTCDate()),
  e: (d) => String(d.getUTCDate()).padStart(2, ' '),
  H: (d) => pad(d.getUTCHours()),
  I: (d) => pad(hour12(d)),
  M: (d) => pad(d.getUTCMinutes()),
  S: (d) => pad(d.getUTCSeconds()),
  f: (d) => pad(d.getUTCMilliseconds() * 1000, 6),
  p: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
  b: (d) => (MONTHS[d.getUTCMonth()] as string).slice(0, 3),
  B: (d) => MONTHS[d.getUTCMonth()] as string,
  a: (d) => (WEEKDAYS[d.getUTCDay()] as string).slice(0, 3),
  A: (d) => WEEKDAYS[d.getUTCDay()] as string,
  j: (d) => pad(dayOfYear(d), 3),
  z: () => '+0000',
  Z: () => 'UTC',
  '%': () => '%',
};

/** Longest first, so `YYYY` wins over `YY` and `MMMM` over `MM`. */
const TOKENS: readonly [string, (d: Date) => string][] = [
  ['YYYY', (d) => pad(d.getUTCFullYear(), 4)],
  ['MMMM', (d) => MONTHS[d.getUTCMonth()] as string],
  ['dddd', (d) => WEEKDAYS[d.getUTCDay()] as string],
  ['MMM', (d) => (MONTHS[d.getUTCMonth()] as string).slice(0, 3)],
  ['ddd', (d) => (WEEKDAYS[d.getUTCDay()] as string).slice(0, 3)],
  ['SSS', (d) => pad(d.getUTCMilliseconds(), 3)],
  ['YY', (d) => pad(d.getUTCFullYear() % 100)],
  ['MM', (d) => pad(d.getUTCMonth() + 1)],
  ['DD', (d) => pad(d.getUTCDate())],
  ['HH', (d) => pad(d.getUTCHours())],
  ['hh', (d) => pad(hour12(d))],
  ['mm', (d) => pad(d.getUTCMinutes())],
  ['ss', (d) => pad(d.getUTCSeconds())],
  ['M', (d) => String(d.getUTCMonth() + 1)],
  ['D', (d) => String(d.getUTCDate())],
  ['H', (d) => String(d.getUTCHours())],
  ['h', (d) => String(hour12(d))],
  ['A', (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM')],
  ['a', (d) => (d.getUTCHours() < 12 ? 'am' : 'pm')],
];

/** A formatter for `format` (strftime if it contains `%`, tokens otherwise), or an error message naming the bad directive. */
export function compileDateFormat(format: string): ((ms: number) => string) | { error: string } {
  const pieces: Piece[] = [];
  if (format.includes('%')) {
    for (let i = 0; i < format.length; i++) {
      const c = format[i] as string;
      if (c !== '%') {
        pieces.push(c);
        continue;
      }
      const directive = format[i + 1];
      const fn = directive === undefined ? undefined : STRFTIME[directive];
      if (!fn)
        return {
          error: `unknown strftime directive %${directive ?? ''} (supported: %${Object.keys(STRFTIME).join(' %')})`,
        };
      pieces.push(fn);
      i++;
    }
  } else {
    let i = 0;
    while (i < format.length) {
      if (format[i] === '[') {
        const close = format.indexOf(']', i);
        if (close < 0) return { error: 'has an unclosed [ in the date format' };
        pieces.push(format.slice(i + 1, close));
        i = close + 1;
        continue;
      }
      const token = TOKENS.find(([t]) => format.startsWith(t, i));
      if (token) {
        pieces.push(token[1]);
        i += token[0].length;
      } else {
        pieces.push(format[i] as string);
        i++;
      }
    }
  }
  return (ms) => {
    const d = new Date(ms);
    let out = '';
    for (const p of pieces) out += typeof p === 'string' ? p : p(d);
    return out;
  };
}
