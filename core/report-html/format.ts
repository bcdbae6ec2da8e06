/** Escaping and number formatting shared by the page and its charts. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values (column names are user data). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as Unicode
 * escapes so no value can close the element or open a comment, and JSON.parse still reads it back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A text shortened to `max` characters with an ellipsis (for axis labels; full text goes in titles and tables). */
export function truncateLabel(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** 0..1 as a percentage with one decimal; a dash when missing. */
export function formatPercent(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** A number with four significant digits, without trailing zeros; a dash when missing. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) >= 1e9 || Math.abs(x) < 1e-4)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

/** Epoch milliseconds as a UTC date, with the time when the span shown is under three days. */
export function formatEpochMs(ms: number | null | undefined, spanMs: number): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  // Beyond ±100 million days Date cannot represent the instant.
  if (Math.abs(ms) > 8.64e15) return formatNumber(ms);
  const iso = new Date(ms).toISOString();
  return spanMs < 3 * 86_400_000 ? `${iso.slice(0, 16).replace('T', ' ')}Z` : iso.slice(0, 10);
}

/** Rounds an SVG coordinate to one decimal (keeps the page light). */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}
