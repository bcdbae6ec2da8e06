/**
 * The few pieces of the Thrift compact protocol that Parquet metadata needs (structs, lists, i32/i64,
 * binary, booleans), written into a growable byte array. Field ids must increase within a struct, as
 * the compact protocol encodes them as deltas.
 */

/** Thrift compact type codes. */
export const ThriftType = {
  True: 1,
  False: 2,
  I32: 5,
  I64: 6,
  Binary: 8,
  List: 9,
  Struct: 12,
} as const;
/** One of {@link ThriftType}. */
export type ThriftType = (typeof ThriftType)[keyof typeof ThriftType];

const utf8 = new TextEncoder();

/** Writes one Thrift compact message; call {@link CompactWriter.bytes} when done. */
export class CompactWriter {
  private buffer = new Uint8Array(256);
  private length = 0;
  private lastField: number[] = [0];

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** An i32 field. */
  i32(id: number, value: number): this {
    this.fieldHeader(id, ThriftType.I32);
    this.zigzag(value);
    return this;
  }

  /** An i64 field (any safe integer). */
  i64(id: number, value: number): this {
    this.fieldHeader(id, ThriftType.I64);
    this.zigzag(value);
    return this;
  }

  /** A boolean field. */
  bool(id: number, value: boolean): this {
    this.fieldHeader(id, value ? ThriftType.True : ThriftType.False);
    return this;
  }

  /** A binary (or UTF-8 string) field. */
  binary(id: number, value: string | Uint8Array): this {
    this.fieldHeader(id, ThriftType.Binary);
    this.rawBinary(value);
    return this;
  }

  /** A struct field whose members `write` adds. */
  struct(id: number, write: (w: this) => void): this {
    this.fieldHeader(id, ThriftType.Struct);
    this.lastField.push(0);
    write(this);
    this.stop();
    return this;
  }

  /** A list of i32 values. */
  i32List(id: number, values: readonly number[]): this {
    this.listHeader(id, ThriftType.I32, values.length);
    for (const v of values) this.zigzag(v);
    return this;
  }

  /** A list of strings. */
  stringList(id: number, values: readonly string[]): this {
    this.listHeader(id, ThriftType.Binary, values.length);
    for (const v of values) this.rawBinary(v);
    return this;
  }

  /** A list of structs, each written by `write`. */
  structList<T>(id: number, items: readonly T[], write: (w: this, item: T) => void): this {
    this.listHeader(id, ThriftType.Struct, items.length);
    for (const item of items) {
      this.lastField.push(0);
      write(this, item);
      this.stop();
    }
    return this;
  }

  /** Ends the top-level struct. */
  end(): this {
    this.byte(0);
    return this;
  }

  private stop(): void {
    this.byte(0);
    this.lastField.pop();
  }

  private fieldHeader(id: number, type: number): void {
    const depth = this.lastField.length - 1;
    const delta = id - (this.lastField[depth] as number);
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField[depth] = id;
  }

  private listHeader(id: number, elementType: number, size: number): void {
    this.fieldHeader(id, ThriftType.List);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
  }

  private rawBinary(value: string | Uint8Array): void {
    const bytes = typeof value === 'string' ? utf8.encode(value) : value;
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Zigzag varint for any safe integer (arithmetic, not bit operations, so 64-bit values survive). */
  private zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  private varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}
