/**
 * CSV/Excel formula injection (OWASP "CSV injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return may be run as a formula when a spreadsheet opens the file, so such cells get a
 * leading apostrophe, which spreadsheets read as "this is text".
 */

// Plain numbers such as "-12" or "+3.5e2" are not formulas; prefixing them would change harmless values.
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a text cell would be read as a formula by a spreadsheet. */
export function looksLikeFormula(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  const trigger =
    first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x09 || first === 0x0d;
  return trigger && !NUMERIC_TEXT.test(text);
}

/** The cell text with a leading apostrophe when it would otherwise be read as a formula. */
export function neutralizeFormula(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}
