import { DataError } from '../../core/errors.js';

// Scanner states. Numbers, not strings: the hot loop compares them millions of times.
const S = {
  Value: 0, // a value must come next
  ArrayFirst: 1, // just after '[': a value or ']'
  ObjectFirst: 2, // just after '{': a key or '}'
  Key: 3, // after ',' in an object: a key
  Colon: 4, // after a key
  AfterValue: 5, // ',' or the closing bracket of the enclosing container
  End: 6, // after the top-level value
  String: 7,
  Number: 8,
  Literal: 9,
  LineStart: 10, // JSON Lines: before the next record (blank lines allowed)
} as const;

const N = { Minus: 0, Zero: 1, Int: 2, Dot: 3, Frac: 4, Exp: 5, ExpSign: 6, ExpDigits: 7 } as const;
const OBJECT = 0;
const ARRAY = 1;
const LITERALS = ['true', 'false', 'null'] as const;

/** Thrown by the row callback to stop scanning early without an error. */
export class StopScanning extends Error {}

/**
 * An incremental JSON syntax and shape checker: fed text in pieces, it verifies that the input is an array
 * of objects (`array` mode) or one object per line (`lines` mode, JSON Lines), counts the rows and collects
 * the row objects' keys, in bounded memory. Errors are DataErrors with 1-based line and character column
 * (code points) and never quote the content.
 */
export class JsonShapeScanner {
  private readonly file: string;
  private readonly lines: boolean;
  private readonly maxRows: number;
  private readonly rowDepth: number;
  private state: number;
  private readonly stack: number[] = [];
  private line = 1;
  private column = 0;
  private previousWasCr = false;
  private started = false;
  private stringIsKey = false;
  private stringIsRowKey = false;
  private escape = 0; // 0 none, 1 after backslash, 2..5 hex digits of \u still expected (5 = four left)
  private keyText = '';
  private numberState = 0;
  private literal = '';
  private literalIndex = 0;
  private readonly rowKeys = new Set<string>();
  private readonly columnOrder = new Map<string, number>();
  /** Row objects seen so far. */
  rows = 0;

  constructor(file: string, mode: 'array' | 'lines', maxRows = Number.POSITIVE_INFINITY) {
    this.file = file;
    this.lines = mode === 'lines';
    this.maxRows = maxRows;
    this.rowDepth = this.lines ? 0 : 1;
    this.state = this.lines ? S.LineStart : S.Value;
  }

  /** Union of the row objects' keys in first-seen order. */
  get columns(): string[] {
    return [...this.columnOrder.keys()];
  }

  /** Scans the next piece of text. */
  feed(text: string): void {
    let i = 0;
    const n = text.length;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1; // a UTF-8 BOM is accepted and skipped
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) this.column += 1; // low surrogates continue the previous character
      if (this.state === S.String) {
        i = this.scanString(text, i, c);
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        this.onNewline(c);
        continue;
      }
      this.previousWasCr = false;
      if (this.state === S.Number) {
        if (this.continueNumber(c)) continue;
      } else if (this.state === S.Literal) {
        this.continueLiteral(c);
        continue;
      }
      if (c === 0x20 || c === 0x09) continue;
      this.onToken(c);
    }
  }

  /** Signals the end of input; throws if the document is incomplete or holds no rows. */
  end(): void {
    if (this.state === S.Number) this.finishNumber();
    if (this.state === S.Literal)
      this.fail('incomplete literal at the end of the file (expected true, false or null)');
    if (this.state === S.String)
      this.fail('string is never closed (unterminated quote) at the end of the file');
    if (this.lines) {
      if (this.state !== S.End && this.state !== S.LineStart)
        this.fail('unexpected end of file inside a JSON object');
    } else if (this.state !== S.End) {
      if (this.stack.length === 0 && this.state === S.Value) {
        throw new DataError('file holds no JSON value (only whitespace)', { file: this.file });
      }
      this.fail('unexpected end of file: an array or object is not closed');
    }
    if (this.rows === 0) {
      throw new DataError('no data rows: there are no objects, so nothing can be learned from the file', {
        file: this.file,
      });
    }
    if (this.columnOrder.size === 0) {
      throw new DataError('the objects have no keys, so the table would have no columns', {
        file: this.file,
      });
    }
  }

  private onNewline(c: number): void {
    if (this.state === S.Number) this.finishNumber();
    else if (this.state === S.Literal) this.fail('incomplete literal (expected true, false or null)');
    if (this.lines && this.state !== S.End && this.state !== S.LineStart) {
      this.fail('line ends before its JSON object is complete (JSON Lines needs one whole object per line)');
    }
    if (this.lines && this.state === S.End) this.state = S.LineStart;
    if (c === 0x0d || !this.previousWasCr) this.line += 1;
    this.previousWasCr = c === 0x0d;
    this.column = 0;
  }

  private onToken(c: number): void {
    switch (this.state) {
      case S.Value:
      case S.ArrayFirst:
      case S.LineStart:
        if (c === 0x5d /* ] */ && this.state === S.ArrayFirst) return this.close();
        return this.startValue(c);
      case S.ObjectFirst:
        if (c === 0x7d /* } */) return this.close();
        return this.startKey(c);
      case S.Key:
        return this.startKey(c);
      case S.Colon:
        if (c !== 0x3a /* : */) this.fail("expected ':' after an object key");
        this.state = S.Value;
        return;
      case S.AfterValue: {
        const top = this.stack[this.stack.length - 1];
        if (c === 0x2c /* , */) {
          this.state = top === OBJECT ? S.Key : S.Value;
          return;
        }
        if ((c === 0x7d && top === OBJECT) || (c === 0x5d && top === ARRAY)) return this.close();
        return this.fail(
          top === OBJECT ? "expected ',' or '}' after a value" : "expected ',' or ']' after a value",
        );
      }
      case S.End:
        return this.fail(
          this.lines
            ? 'more than one JSON value on a line (JSON Lines needs one object per line)'
            : 'unexpected content after the end of the top-level array',
        );
      default:
        return this.fail('unexpected character');
    }
  }

  private startValue(c: number): void {
    const depth = this.stack.length;
    if (!this.lines && depth === 0 && c !== 0x5b /* [ */) {
      this.fail('the top level must be an array of objects');
    }
    if (depth === this.rowDepth && c !== 0x7b /* { */) {
      this.fail(
        this.lines
          ? 'the line is not a JSON object'
          : `element ${this.rows + 1} of the array is not an object`,
      );
    }
    switch (c) {
      case 0x7b: // {
        this.stack.push(OBJECT);
        this.state = S.ObjectFirst;
        if (depth === this.rowDepth) {
          if (this.rows >= this.maxRows) throw new StopScanning();
          this.rows += 1;
          this.rowKeys.clear();
        }
        return;
      case 0x5b: // [
        this.stack.push(ARRAY);
        this.state = S.ArrayFirst;
        return;
      case 0x22: // "
        this.state = S.String;
        this.stringIsKey = false;
        this.stringIsRowKey = false;
        this.escape = 0;
        return;
      case 0x74: // t
      case 0x66: // f
      case 0x6e: // n
        this.literal = c === 0x74 ? LITERALS[0] : c === 0x66 ? LITERALS[1] : LITERALS[2];
        this.literalIndex = 1;
        this.state = S.Literal;
        return;
      default:
        if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
          this.numberState = c === 0x2d ? N.Minus : c === 0x30 ? N.Zero : N.Int;
          this.state = S.Number;
          return;
        }
        this.fail(
          c === 0x5d || c === 0x7d || c === 0x2c
            ? 'expected a value (trailing or doubled comma?)'
            : 'unexpected character where a value should start',
        );
    }
  }

  private startKey(c: number): void {
    if (c !== 0x22) this.fail('expected a double-quoted object key');
    this.state = S.String;
    this.escape = 0;
    this.stringIsKey = true;
    this.stringIsRowKey = this.stack.length === this.rowDepth + 1;
    this.keyText = '';
  }

  private close(): void {
    this.stack.pop();
    this.afterValue();
  }

  private afterValue(): void {
    this.state = this.stack.length === 0 ? S.End : S.AfterValue;
  }

  /** Consumes string content from `i` (whose code is `c`); returns the index of the last consumed character. */
  private scanString(text: string, start: number, first: number): number {
    let i = start;
    let c = first;
    const n = text.length;
    for (;;) {
      if (this.escape === 1) {
        if (c === 0x75 /* u */) this.escape = 5;
        else if (
          c === 0x22 ||
          c === 0x5c ||
          c === 0x2f ||
          c === 0x62 ||
          c === 0x66 ||
          c === 0x6e ||
          c === 0x72 ||
          c === 0x74
        ) {
          this.escape = 0;
        } else this.fail('invalid escape sequence in a string');
      } else if (this.escape > 1) {
        const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
        if (!hex) this.fail('\\u escape needs four hexadecimal digits');
        this.escape = this.escape === 2 ? 0 : this.escape - 1;
      } else if (c === 0x22) {
        if (this.stringIsRowKey) this.onRowKey(text.slice(start, i));
        if (this.stringIsKey) this.state = S.Colon;
        else this.afterValue();
        return i;
      } else if (c === 0x5c) {
        this.escape = 1;
      } else if (c < 0x20) {
        this.fail('control character in a string (it must be escaped)');
      }
      if (i + 1 >= n) {
        if (this.stringIsRowKey) this.keyText += text.slice(start, i + 1);
        return i;
      }
      i += 1;
      c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) this.column += 1;
    }
  }

  private onRowKey(tail: string): void {
    const raw = this.keyText + tail;
    this.keyText = '';
    const name = JSON.parse(`"${raw}"`) as string;
    if (this.rowKeys.has(name)) this.fail(`duplicate key ${JSON.stringify(name)} in one object`);
    this.rowKeys.add(name);
    if (!this.columnOrder.has(name)) this.columnOrder.set(name, this.columnOrder.size);
  }

  /** Returns true when `c` was consumed by the number. */
  private continueNumber(c: number): boolean {
    const digit = c >= 0x30 && c <= 0x39;
    switch (this.numberState) {
      case N.Minus:
        if (!digit) this.fail('malformed number');
        this.numberState = c === 0x30 ? N.Zero : N.Int;
        return true;
      case N.Zero:
      case N.Int:
        if (digit && this.numberState === N.Int) return true;
        if (digit) this.fail('malformed number (leading zero)');
        if (c === 0x2e) {
          this.numberState = N.Dot;
          return true;
        }
        if (c === 0x65 || c === 0x45) {
          this.numberState = N.Exp;
          return true;
        }
        break;
      case N.Dot:
        if (!digit) this.fail('malformed number (digits must follow the decimal point)');
        this.numberState = N.Frac;
        return true;
      case N.Frac:
        if (digit) return true;
        if (c === 0x65 || c === 0x45) {
          this.numberState = N.Exp;
          return true;
        }
        break;
      case N.Exp:
        if (c === 0x2b || c === 0x2d) {
          this.numberState = N.ExpSign;
          return true;
        }
        if (!digit) this.fail('malformed number (exponent needs digits)');
        this.numberState = N.ExpDigits;
        return true;
      case N.ExpSign:
        if (!digit) this.fail('malformed number (exponent needs digits)');
        this.numberState = N.ExpDigits;
        return true;
      case N.ExpDigits:
        if (digit) return true;
        break;
    }
    this.finishNumber();
    return false;
  }

  private finishNumber(): void {
    if (
      this.numberState === N.Minus ||
      this.numberState === N.Dot ||
      this.numberState === N.Exp ||
      this.numberState === N.ExpSign
    ) {
      this.fail('malformed number');
    }
    this.afterValue();
  }

  private continueLiteral(c: number): void {
    if (c !== this.literal.charCodeAt(this.literalIndex))
      this.fail('invalid literal (expected true, false or null)');
    this.literalIndex += 1;
    if (this.literalIndex === this.literal.length) this.afterValue();
  }

  private fail(message: string): never {
    throw new DataError(message, { file: this.file, line: this.line, column: Math.max(this.column, 1) });
  }
}
