/**
 * A small CQL (Confluence Query Language) evaluator for the local Confluence server: the fields and
 * operators data-dictionary searches use (space, type, title, text, id; =, !=, ~, !~, IN; AND, OR,
 * NOT, parentheses; ORDER BY ignored). It rejects what real Confluence rejects — unknown fields,
 * unterminated strings, dangling operators — so a badly quoted query fails here as it would there.
 */

/** A syntax or field error, answered as HTTP 400 like Confluence's "Could not parse cql". */
export class CqlError extends Error {
  override readonly name = 'CqlError';
}

/** What a CQL clause can test on a piece of content. */
export interface CqlDocument {
  id: string;
  type: string;
  spaceKey: string;
  title: string;
  /** Plain text of the body. */
  text: string;
}

type Token =
  | { t: 'word'; v: string }
  | { t: 'string'; v: string }
  | { t: 'op'; v: '=' | '!=' | '~' | '!~' }
  | { t: 'punct'; v: '(' | ')' | ',' };

type Expr =
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'clause'; field: string; op: '=' | '!=' | '~' | '!~' | 'in' | 'not in'; values: string[] };

const FIELDS = new Set(['space', 'type', 'title', 'text', 'id', 'content']);

/** Parses a CQL query into a predicate over documents. */
export function compileCql(cql: string): (doc: CqlDocument) => boolean {
  const tokens = tokenize(cql);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const keyword = (word: string): boolean => {
    const tok = peek();
    return tok?.t === 'word' && tok.v.toUpperCase() === word;
  };

  function parseOr(): Expr {
    let left = parseAnd();
    while (keyword('OR')) {
      pos++;
      left = { k: 'or', a: left, b: parseAnd() };
    }
    return left;
  }
  function parseAnd(): Expr {
    let left = parseNot();
    while (keyword('AND')) {
      pos++;
      left = { k: 'and', a: left, b: parseNot() };
    }
    return left;
  }
  function parseNot(): Expr {
    if (keyword('NOT')) {
      pos++;
      return { k: 'not', a: parseNot() };
    }
    const tok = peek();
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++;
      const inner = parseOr();
      const close = tokens[pos++];
      if (close?.t !== 'punct' || close.v !== ')') throw new CqlError('expected )');
      return inner;
    }
    return parseClause();
  }
  function parseClause(): Expr {
    const fieldTok = tokens[pos++];
    if (fieldTok?.t !== 'word') throw new CqlError('expected a field name');
    const field = fieldTok.v.toLowerCase();
    if (!FIELDS.has(field)) throw new CqlError(`unsupported field ${field}`);
    const opTok = tokens[pos++];
    if (opTok?.t === 'op') return { k: 'clause', field, op: opTok.v, values: [parseValue()] };
    if (opTok?.t === 'word' && opTok.v.toUpperCase() === 'IN')
      return { k: 'clause', field, op: 'in', values: parseList() };
    if (opTok?.t === 'word' && opTok.v.toUpperCase() === 'NOT' && keyword('IN')) {
      pos++;
      return { k: 'clause', field, op: 'not in', values: parseList() };
    }
    throw new CqlError(`expected an operator after ${field}`);
  }
  function parseValue(): string {
    const tok = tokens[pos++];
    if (tok?.t === 'string') return tok.v;
    if (tok?.t === 'word' && !['AND', 'OR', 'NOT', 'ORDER'].includes(tok.v.toUpperCase())) return tok.v;
    throw new CqlError('expected a value');
  }
  function parseList(): string[] {
    const open = tokens[pos++];
    if (open?.t !== 'punct' || open.v !== '(') throw new CqlError('expected ( after IN');
    const values = [parseValue()];
    for (;;) {
      const tok = tokens[pos++];
      if (tok?.t === 'punct' && tok.v === ')') return values;
      if (tok?.t !== 'punct' || tok.v !== ',') throw new CqlError('expected , or ) in list');
      values.push(parseValue());
    }
  }

  const expr = parseOr();
  if (keyword('ORDER')) {
    pos = tokens.length;
  }
  if (pos !== tokens.length) throw new CqlError('unexpected input after the query');
  return (doc) => evaluate(expr, doc);
}

function evaluate(expr: Expr, doc: CqlDocument): boolean {
  switch (expr.k) {
    case 'and':
      return evaluate(expr.a, doc) && evaluate(expr.b, doc);
    case 'or':
      return evaluate(expr.a, doc) || evaluate(expr.b, doc);
    case 'not':
      return !evaluate(expr.a, doc);
    case 'clause':
      return evaluateClause(expr, doc);
  }
}

function evaluateClause(c: Extract<Expr, { k: 'clause' }>, doc: CqlDocument): boolean {
  const fieldValue = (): string => {
    switch (c.field) {
      case 'space':
        return doc.spaceKey;
      case 'type':
        return doc.type;
      case 'title':
        return doc.title;
      case 'id':
      case 'content':
        return doc.id;
      default:
        return `${doc.title} ${doc.text}`;
    }
  };
  const value = c.values[0] ?? '';
  switch (c.op) {
    case '=':
      if (c.field === 'text') throw new CqlError('text supports only ~ and !~');
      return fieldValue().toLowerCase() === value.toLowerCase();
    case '!=':
      return fieldValue().toLowerCase() !== value.toLowerCase();
    case 'in':
      return c.values.some((v) => v.toLowerCase() === fieldValue().toLowerCase());
    case 'not in':
      return !c.values.some((v) => v.toLowerCase() === fieldValue().toLowerCase());
    case '~':
    case '!~': {
      if (c.field !== 'text' && c.field !== 'title') throw new CqlError(`${c.field} does not support ~`);
      const found = containsTerms(fieldValue(), value);
      return c.op === '~' ? found : !found;
    }
  }
}

/** Full-text match as the search index sees it: every term of the query is a word of the text. */
function containsTerms(text: string, query: string): boolean {
  const words = new Set(analyze(text));
  const terms = analyze(query);
  return terms.length > 0 && terms.every((t) => words.has(t));
}

/** Lower-cased words; underscores join words, as in Lucene's standard tokenizer. */
function analyze(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0);
}

function tokenize(cql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < cql.length) {
    const ch = cql[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch });
      i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= cql.length) throw new CqlError('unterminated string');
        const c = cql[i] as string;
        if (c === '\\') {
          const escaped = cql[i + 1];
          if (escaped === undefined) throw new CqlError('dangling escape');
          value += escaped;
          i += 2;
        } else if (c === ch) {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ t: 'string', v: value });
    } else if (cql.startsWith('!=', i) || cql.startsWith('!~', i)) {
      tokens.push({ t: 'op', v: cql.slice(i, i + 2) as '!=' | '!~' });
      i += 2;
    } else if (ch === '=' || ch === '~') {
      tokens.push({ t: 'op', v: ch });
      i++;
    } else {
      const match = /^[^\s()=~!,"']+/.exec(cql.slice(i));
      if (match === null) throw new CqlError('unexpected character');
      tokens.push({ t: 'word', v: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}
