/**
 * A minimal finder of personal data inside free text (emails, IBANs, card numbers, SSNs, IPv4
 * addresses, phone numbers), each candidate confirmed by the same validators the classifier uses.
 * It stands behind {@link findTextSpans} so the fuller finder being written in core/pii can
 * replace it without touching the callers.
 */
import {
  isValidCreditCard,
  isValidEmail,
  isValidIban,
  isValidIpv4,
  isValidPhone,
  isValidSsn,
} from '../pii/index.js';

/** A stretch of text `[start, end)` holding personal data of `kind` (a PII kind name). */
export interface TextSpan {
  start: number;
  end: number;
  kind: string;
}

interface SpanRule {
  kind: string;
  pattern: RegExp;
  accept: (match: string) => boolean;
}

/** Checked in this order; a later rule never claims text an earlier one took. */
const RULES: readonly SpanRule[] = [
  {
    kind: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    accept: isValidEmail,
  },
  {
    kind: 'iban',
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    accept: isValidIban,
  },
  { kind: 'credit_card', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, accept: isValidCreditCard },
  { kind: 'ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/g, accept: (m) => isValidSsn(m) },
  { kind: 'ip_address', pattern: /\b\d{1,3}(?:\.\d{1,3}){3}\b/g, accept: isValidIpv4 },
  {
    kind: 'phone',
    pattern: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}\b/g,
    accept: (m) => isValidPhone(m),
  },
];

/** The spans of personal data in `text`, sorted by position and never overlapping. */
export function findTextSpans(text: string): TextSpan[] {
  // Cheap exit: every rule needs a digit or an @.
  if (!/[\d@]/.test(text)) return [];
  const spans: TextSpan[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (spans.some((s) => s.start < end && start < s.end)) continue;
      if (rule.accept(m[0])) spans.push({ start, end, kind: rule.kind });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** `text` with every span replaced by `rewrite(spanText, span, index)`. */
export function rewriteSpans(
  text: string,
  spans: readonly TextSpan[],
  rewrite: (spanText: string, span: TextSpan, index: number) => string,
): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  spans.forEach((span, i) => {
    out += text.slice(at, span.start) + rewrite(text.slice(span.start, span.end), span, i);
    at = span.end;
  });
  return out + text.slice(at);
}
