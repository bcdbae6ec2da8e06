/**
 * PII inside prose: where in a note or comment an email address, phone number, card number, SSN,
 * IBAN, IP or MAC address, national id, URL with credentials, secret or a person's name sits, so
 * that replacement rewrites those spans and keeps the rest of the text.
 *
 * Candidates are found with loose patterns and kept only when the same validators as for whole
 * columns accept them (Luhn and issuer ranges, mod-97, libphonenumber, check letters). Person
 * names need a known first name followed by a known last name, or a title (`Mr`, `Frau`, `Mme`)
 * followed by a known name, so that capitalised words at the start of sentences are not names.
 */
import { isValidPaymentCard } from './card-issuers.js';
import { isValidNationalId, isValidUkNino } from './national-ids.js';
import { isValidEmail, isValidIban, isValidIpv4, isValidIpv6, isValidPhone, isValidSsn } from './patterns.js';
import { isKnownFirstName, isKnownLastName } from './person-names.js';
import { isLikelySecret } from './secrets.js';
import { PiiKind } from './types.js';
import { isUrlWithCredentials, isValidMacAddress } from './web-identifiers.js';

/** A span of personal data in a text: `text.slice(start, end)` is the value. */
export interface PiiSpan {
  start: number;
  end: number;
  kind: PiiKind;
}

interface Finder {
  kind: PiiKind;
  pattern: RegExp;
  accept: (match: string) => boolean;
  /** Trim trailing punctuation a sentence adds after the value. */
  trimEnd?: boolean;
}

const PHONE_REGIONS = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'CA'] as const;

/** A phone number in prose: with a `+country` prefix anywhere, otherwise in one of the regions we know. */
function isPhoneInText(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return false;
  // A run of bare digits in prose is far more often an order or reference number.
  if (!/[\s().\-/+]/.test(candidate)) return false;
  if (candidate.startsWith('+')) return isValidPhone(candidate);
  return PHONE_REGIONS.some((r) => isValidPhone(candidate, r));
}

/** Earlier finders win where spans overlap (a URL's credentials are not also an email address). */
const FINDERS: readonly Finder[] = [
  {
    kind: PiiKind.UrlWithCredentials,
    pattern: /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s/?#@:]+:[^\s/?#@]+@[^\s/?#@]+(?:[/?#][^\s]*)?/g,
    accept: isUrlWithCredentials,
    trimEnd: true,
  },
  {
    kind: PiiKind.Secret,
    pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----/g,
    accept: () => true,
  },
  {
    kind: PiiKind.Email,
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    accept: isValidEmail,
  },
  {
    kind: PiiKind.Iban,
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    accept: isValidIban,
  },
  { kind: PiiKind.CreditCard, pattern: /\b\d(?:[ -]?\d){11,18}\b/g, accept: isValidPaymentCard },
  { kind: PiiKind.Ssn, pattern: /\b\d{3}-\d{2}-\d{4}\b/g, accept: (m) => isValidSsn(m) },
  { kind: PiiKind.UkNino, pattern: /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g, accept: isValidUkNino },
  {
    kind: PiiKind.NationalId,
    pattern:
      /\b(?:\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z]|[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}|[1-9]\d{10})\b/g,
    accept: isValidNationalId,
  },
  {
    kind: PiiKind.MacAddress,
    pattern: /\b[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}\b/g,
    accept: isValidMacAddress,
  },
  {
    kind: PiiKind.IpAddress,
    // Not after a slash: `Chrome/120.0.0.0` is a version, not an address.
    pattern: /(?<![\w.:/])(?:(?:\d{1,3}\.){3}\d{1,3}|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w.:])/g,
    accept: (m) => isValidIpv4(m) || (m.includes('::') || m.split(':').length === 8 ? isValidIpv6(m) : false),
  },
  {
    kind: PiiKind.Phone,
    pattern: /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d[\d\s.\-/]{5,16}\d(?!\w)/g,
    accept: isPhoneInText,
  },
  {
    kind: PiiKind.Secret,
    pattern: /(?<![\w+/=.-])[A-Za-z0-9][A-Za-z0-9+/=_.~-]{18,510}[A-Za-z0-9=](?![\w+/=-])/g,
    accept: isLikelySecret,
  },
];

const CAPITALISED = /\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?/gu;
const TITLE = /^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Herr|Frau|M|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dhr|Mevr)\.?$/;
const PARTICLE = /^(?:van|der|den|de|la|le|del|della|di|da|von|zu|ten|ter|du|dos|das)$/;

function nameWordKnown(word: string, dictionary: (w: string) => boolean): boolean {
  return word.split('-').every((w) => dictionary(w));
}

/** Person names: a known first name followed by a known last name, or a title followed by a known name. */
function findNames(text: string, taken: (start: number, end: number) => boolean, out: PiiSpan[]): void {
  const words: { start: number; end: number; word: string }[] = [];
  for (const m of text.matchAll(CAPITALISED))
    words.push({ start: m.index, end: m.index + m[0].length, word: m[0] });
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as (typeof words)[number];
    const next = words[i + 1];
    const gap = next === undefined ? '' : text.slice(w.end, next.start);
    if (next === undefined) continue;
    const adjacent =
      /^\s+$/.test(gap) ||
      (/^\s+(?:\p{Ll}+\s+){1,2}$/u.test(gap) &&
        gap
          .trim()
          .split(/\s+/)
          .every((p) => PARTICLE.test(p)));
    if (!adjacent) continue;
    const titled = TITLE.test(
      text
        .slice(Math.max(0, w.start - 6), w.start)
        .trim()
        .split(/\s+/)
        .pop() ?? '',
    );
    let end = -1;
    if (nameWordKnown(w.word, isKnownFirstName) && nameWordKnown(next.word, isKnownLastName)) end = next.end;
    else if (titled && (nameWordKnown(w.word, isKnownLastName) || nameWordKnown(w.word, isKnownFirstName)))
      end = w.end;
    if (end < 0) continue;
    // A second surname (`García López`) belongs to the same name.
    const third = words[i + 2];
    if (
      end === next.end &&
      third !== undefined &&
      /^\s+$/.test(text.slice(next.end, third.start)) &&
      nameWordKnown(third.word, isKnownLastName)
    ) {
      end = third.end;
    }
    if (!taken(w.start, end)) out.push({ start: w.start, end, kind: PiiKind.PersonName });
    while (i + 1 < words.length && (words[i + 1] as (typeof words)[number]).start < end) i++;
  }
  // Titles followed by a single known name (`Frau Schmidt`) where no first name precedes it.
  for (const m of text.matchAll(
    /\b(?:Mr|Mrs|Ms|Dr|Herr|Frau|Mme|Sra|Sr|Dhr|Mevr)\.?\s+(\p{Lu}[\p{Ll}'’]+)/gu,
  )) {
    const word = m[1] as string;
    const start = m.index + m[0].length - word.length;
    const end = start + word.length;
    if ((isKnownLastName(word) || isKnownFirstName(word)) && !taken(start, end)) {
      out.push({ start, end, kind: PiiKind.PersonName });
    }
  }
}

/** The spans of personal data in `text`, sorted by start, never overlapping. */
export function findPiiSpans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && s.start < end);
  for (const f of FINDERS) {
    f.pattern.lastIndex = 0;
    for (const m of text.matchAll(f.pattern)) {
      let value = m[0];
      if (f.trimEnd === true) value = value.replace(/[.,;:!?)\]}'"]+$/, '');
      const start = m.index;
      const end = start + value.length;
      if (!taken(start, end) && f.accept(value)) spans.push({ start, end, kind: f.kind });
    }
  }
  findNames(text, taken, spans);
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * `text` with every PII span replaced by `replace(kind, value)`; the rest of the text is kept
 * byte for byte. The replacement engine supplies `replace` (a fake, a mask, a keyed pseudonym).
 */
export function scrubText(text: string, replace: (kind: PiiKind, span: string) => string): string {
  const spans = findPiiSpans(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + replace(s.kind, text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}
