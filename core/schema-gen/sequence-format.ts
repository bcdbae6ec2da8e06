/**
 * Sequence formats: `CUST-{000000}` pads the number to six digits, `INV-{}` writes it as is. One
 * placeholder per format; literal braces are written `{{` and `}}` (as in Python's str.format).
 */

/** A formatter for `format`, or an error message. */
export function compileSequenceFormat(format: string): ((n: number) => string) | { error: string } {
  let prefix = '';
  let suffix = '';
  let width = -1;
  for (let i = 0; i < format.length;) {
    const c = format[i] as string;
    const next = format[i + 1];
    let literal: string;
    if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
      literal = c;
      i += 2;
    } else if (c === '{') {
      const m = /^\{(0*)\}/.exec(format.slice(i));
      if (!m)
        return { error: 'has a { that is not a placeholder ({} or {000…}); write {{ for a literal brace' };
      if (width >= 0) return { error: 'may have only one placeholder ({} or {000…})' };
      width = (m[1] as string).length;
      i += m[0].length;
      continue;
    } else if (c === '}') {
      return { error: 'has a lone }; write }} for a literal brace' };
    } else {
      literal = c;
      i++;
    }
    if (width < 0) prefix += literal;
    else suffix += literal;
  }
  if (width < 0) return { error: 'needs a placeholder: {} for the number, or {000000} to pad it with zeros' };
  return (n) => {
    const digits = n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');
    return prefix + digits + suffix;
  };
}
