/**
 * Where personal data sits inside free text, for the scrub_text strategy: the classifier's span
 * finder (core/pii findPiiSpans: validated emails, phones, cards, IBANs, SSNs, national ids, IPs,
 * MACs, secrets, person names) plus, for recall, phone-shaped digit runs it leaves out because
 * their area code is not assigned (synthetic and demo data are full of those). Scrubbing prefers
 * rewriting a harmless number to leaving a real one in place.
 */
import { findPiiSpans } from '../pii/index.js';

/** A stretch of text `[start, end)` holding personal data of `kind` (a PII kind name). */
export interface TextSpan {
  start: number;
  end: number;
  kind: string;
}

const PHONE_SHAPE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}\b/g;

/** The spans of personal data in `text`, sorted by position and never overlapping. */
export function findTextSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = findPiiSpans(text);
  if (!/\d/.test(text)) return spans;
  for (const m of text.matchAll(PHONE_SHAPE)) {
    const start = m.index;
    const end = start + m[0].length;
    const digits = m[0].replace(/\D/g, '').length;
    if (digits < 7 || digits > 15 || spans.some((s) => s.start < end && start < s.end)) continue;
    spans.push({ start, end, kind: 'phone' });
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
