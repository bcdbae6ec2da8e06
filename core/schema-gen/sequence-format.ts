/**
 * Sequence formats: `CUST-{000000}` pads the number to six digits, `INV-{}` writes it as is. One
 * placeholder per format; braces elsewhere are written as `{{` and `}}`.
 */

/** A formatter for `format`, or an error message. */
export function compileSequenceFormat(format: string): ((n: number) => string) | { error: string } {
  const literal = (s: string) => s.replaceAll('{{', '{').replaceAll('}}', '}');
  const masked = format.replaceAll('{{', '\u0000\u0000').replaceAll('}}', '\u0001\u0001');
  const m = /\{(0*)\}/.exec(masked);
  if (!m) return { error: 'needs a placeholder: {} for the number, or {000000} to pad it with zeros' };
  const rest = masked.slice(m.index + m[0].length);
  if (/[{}]/.test(masked.slice(0, m.index)) || /[{}]/.test(rest)) {
    return { error: 'may have only one placeholder ({} or {000…}); write {{ and }} for literal braces' };
  }
  const prefix = literal(
    format.slice(0, m.index).replaceAll('\u0000\u0000', '{{').replaceAll('\u0001\u0001', '}}'),
  );
  const suffix = literal(rest.replaceAll('\u0000\u0000', '{{').replaceAll('\u0001\u0001', '}}'));
  const width = (m[1] ?? '').length;
  return (n) => {
    const digits = n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');
    return prefix + digits + suffix;
  };
}
