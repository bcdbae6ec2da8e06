/**
 * Writing arbitrary text into generated files: TypeScript string literals and comments, Robot
 * Framework cells and names, XPath string literals. Every function is total: any JavaScript string
 * (control characters, lone surrogates, `${`, quotes, backslashes) yields valid syntax that means
 * exactly that string.
 */

/** A single-quoted TypeScript/JavaScript string literal for `text`. */
export function tsString(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const c = text[i]!;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${hex(code, 4)}`;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += c + text[i + 1]!;
        i++;
      } else out += `\\u${hex(code, 4)}`;
    } else if (code >= 0xdc00 && code <= 0xdfff) out += `\\u${hex(code, 4)}`;
    else out += c;
  }
  return `${out}'`;
}

// Control characters and everything JavaScript or Python treat as a line break.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

/** Text safe inside a `//` comment or a one-line label: one line, no control characters, at most `max` characters. */
export function oneLine(text: string, max = 200): string {
  const line = text.replace(LINE_BREAKING, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...wellFormed(line)];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** A `//` comment line (prefixed by `indent`) for arbitrary text. */
export function tsComment(text: string, indent = ''): string {
  return `${indent}// ${oneLine(text)}`;
}

/** The text with lone surrogates replaced by U+FFFD (they cannot be written as UTF-8). */
export function wellFormed(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
        continue;
      }
      out += '\ufffd';
    } else if (code >= 0xdc00 && code <= 0xdfff) out += '\ufffd';
    else out += text[i]!;
  }
  return out;
}

/**
 * One Robot Framework cell (keyword argument) holding exactly `text`: backslashes doubled,
 * variable starts (`${`, `@{`, `&{`, `%{`), `#` and `=` escaped, runs of spaces and edge spaces as
 * `${SPACE}`, other whitespace and control characters as `\xhh`/`\uhhhh`, empty text as `${EMPTY}`.
 */
export function robotCell(text: string): string {
  if (text.length === 0) return '${EMPTY}';
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    if (c === '\\') out += '\\\\';
    else if ((c === '$' || c === '@' || c === '&' || c === '%') && text[i + 1] === '{') out += `\\${c}`;
    else if (c === '#' || c === '=') out += `\\${c}`;
    else if (c === ' ') {
      // One space between other characters is part of the cell; more, or at an edge, separate cells.
      const single = i > 0 && i < text.length - 1 && text[i - 1] !== ' ' && text[i + 1] !== ' ';
      out += single ? ' ' : '${SPACE}';
    } else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (/\s/.test(c) || (code >= 0x80 && code <= 0x9f) || code === 0xfeff) out += `\\u${hex(code, 4)}`;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += c + text[i + 1]!;
        i++;
      } else out += `\\u${hex(code, 4)}`;
    } else if (code >= 0xdc00 && code <= 0xdfff) out += `\\u${hex(code, 4)}`;
    else out += c;
  }
  return out;
}

/**
 * A Robot Framework test or keyword name for a label, as close to the label as Robot allows: one
 * line, no backslashes, no variable syntax (`${`, `@{`, `&{`, `%{` lose their sigil), starting with
 * a letter or digit, at most 160 characters.
 */
export function robotName(label: string): string {
  const cleaned = oneLine(label, 1000)
    .replace(/\\/g, ' ')
    .replace(/[$@&%]+(?=\{)/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .trim();
  const chars = [...cleaned];
  const name = (chars.length > 160 ? chars.slice(0, 160).join('') : cleaned).trim();
  return name.length > 0 ? name : 'Unnamed';
}

/** An XPath 1.0 string literal for `text` (concat() when it holds both quote kinds). */
export function xpathLiteral(text: string): string {
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  const parts = text.split('"').map((p) => `"${p}"`);
  return `concat(${parts.join(`, '"', `)})`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
