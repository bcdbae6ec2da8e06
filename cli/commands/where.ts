/**
 * The `--where` grammar of `understudy generate`: one condition per option, strict and small.
 *
 *   condition := column ( "=" value | "in" "(" value ( "," value )* ")" )
 *   column    := bare word | "double-quoted"
 *   value     := bare word | 'single-quoted' | "double-quoted" | null
 *
 * Bare words run up to whitespace, a comma or a parenthesis; quotes allow spaces, commas and
 * parentheses (a doubled quote inside stands for the quote itself). Bare `null` is the null cell;
 * quoted `'null'` is the text. Values stay text here: numbers and booleans are read by the column's
 * type when the conditions are checked against the sample. Errors name the option, its position
 * and (once known) the column, never a value: values may be personal data.
 */
import { ConfigError } from '../../core/errors.js';
import type { CellValue } from '../../core/table.js';

/** A parsed `--where`, before it is checked against the sample. */
export interface WhereCondition {
  column: string;
  equals?: CellValue;
  in?: CellValue[];
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string; quote: '"' | "'" }
  | { kind: 'punct'; text: '=' | '(' | ')' | ',' };

/** Parses every `--where` option value (in order) into conditions; ConfigError naming `--where[i]` otherwise. */
export function parseWhereOptions(values: readonly string[]): WhereCondition[] {
  return values.map((value, i) => parseWhere(value, `--where[${i}]`));
}

/** Parses one `--where` value such as `country = DE` or `segment in (A, "B two")`. */
export function parseWhere(text: string, field = '--where'): WhereCondition {
  const tokens = tokenize(text, field);
  const head = tokens[0];
  if (head === undefined)
    throw new ConfigError('is empty: expected COLUMN = VALUE or COLUMN in (V1, V2)', field);
  if (head.kind === 'punct' || (head.kind === 'quoted' && head.quote === "'"))
    throw new ConfigError('must start with a column name (bare or in double quotes)', field);
  const column = head.text;
  if (column === '') throw new ConfigError('must start with a column name', field);
  const at = `${field} (column ${column})`;
  const op = tokens[1];
  const rest = tokens.slice(2);
  if (op?.kind === 'punct' && op.text === '=') {
    if (rest.length !== 1) throw new ConfigError('expects exactly one value after "="', at);
    return { column, equals: valueOf(rest[0] as Token, at) };
  }
  if (op?.kind === 'word' && op.text.toLowerCase() === 'in') {
    const open = rest[0];
    const close = rest.at(-1);
    if (open?.kind !== 'punct' || open.text !== '(' || close?.kind !== 'punct' || close.text !== ')')
      throw new ConfigError('expects a list in parentheses after "in": in (V1, V2)', at);
    const inner = rest.slice(1, -1);
    const list: CellValue[] = [];
    for (let k = 0; k < inner.length; k += 2) {
      list.push(valueOf(inner[k] as Token, at));
      const sep = inner[k + 1];
      if (sep !== undefined && !(sep.kind === 'punct' && sep.text === ','))
        throw new ConfigError('expects values separated by commas inside in (…)', at);
      if (sep !== undefined && k + 2 >= inner.length)
        throw new ConfigError('has a trailing comma inside in (…)', at);
    }
    if (list.length === 0) throw new ConfigError('has an empty list after "in"', at);
    return { column, in: list };
  }
  if (op?.kind === 'punct' || op?.kind === 'word')
    throw new ConfigError('supports only "=" and "in (…)" (no !=, <, > or other operators)', at);
  throw new ConfigError('expected "=" or "in" after the column name', at);
}

function valueOf(token: Token, at: string): CellValue {
  if (token.kind === 'punct') throw new ConfigError('expects a value, found punctuation', at);
  if (token.kind === 'word' && token.text === 'null') return null;
  return token.text;
}

function tokenize(text: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '=' || ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch });
      i++;
      continue;
    }
    if (ch === '!' || ch === '<' || ch === '>')
      throw new ConfigError('supports only "=" and "in (…)" (no !=, <, > or other operators)', field);
    if (ch === '"' || ch === "'") {
      let out = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ConfigError('has an unterminated quote', field);
        const c = text[j] as string;
        if (c === ch) {
          if (text[j + 1] === ch) {
            out += ch;
            j += 2;
            continue;
          }
          break;
        }
        out += c;
        j++;
      }
      tokens.push({ kind: 'quoted', text: out, quote: ch });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s=(),"'!<>]/.test(text[j] as string)) j++;
    tokens.push({ kind: 'word', text: text.slice(i, j) });
    i = j;
  }
  return tokens;
}
