/** A growable little-endian byte buffer for encoding Parquet pages. */

const utf8 = new TextEncoder();

/** Stands in for a 4-byte length while strings are encoded together (see asciiLengthPrefixedStrings). */
const LENGTH_PLACEHOLDER = '\0\0\0\0';

/** Appends bytes, integers, doubles and UTF-8 strings to a buffer that grows as needed. */
export class ByteSink {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buffer = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buffer.buffer);
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  /** One byte. */
  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  /** An unsigned 32-bit integer. */
  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  /** Overwrites four bytes already written at `at` (a length known only afterwards). */
  patchU32(at: number, value: number): void {
    this.view.setUint32(at, value, true);
  }

  /** A 32-bit signed integer. */
  i32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }

  /** A signed 64-bit integer given as a safe JS integer (split into words, no BigInt per value). */
  i64(value: number): void {
    this.ensure(8);
    const high = Math.floor(value / 4294967296);
    this.view.setUint32(this.length, value - high * 4294967296, true);
    this.view.setInt32(this.length + 4, high, true);
    this.length += 8;
  }

  /** A 64-bit float. */
  f64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** An unsigned LEB128 varint (as Parquet's RLE run headers use). */
  varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }

  /** Raw bytes. */
  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /**
   * PLAIN BYTE_ARRAY values from `texts[1…]` (`texts[0]` must be ''), when all of them are ASCII: they
   * are joined with four-character placeholders (the first before value 1), encoded in one call
   * straight into the buffer, and each placeholder is then overwritten with the length of the value
   * after it. No per-value encoding, no intermediate byte array, no byte-by-byte copy. Returns false,
   * having written nothing, when some value is not ASCII.
   */
  asciiLengthPrefixedStrings(texts: readonly string[]): boolean {
    const joined = texts.join(LENGTH_PLACEHOLDER);
    this.ensure(joined.length);
    const start = this.length;
    const { read, written } = utf8.encodeInto(joined, this.buffer.subarray(start, start + joined.length));
    // Every character read and one byte each: all ASCII. Anything else needs more room than given.
    if (read !== joined.length || written !== joined.length) return false;
    const view = this.view;
    let at = start;
    for (let i = 1; i < texts.length; i++) {
      const n = (texts[i] as string).length;
      view.setUint32(at, n, true);
      at += 4 + n;
    }
    this.length = start + written;
    return true;
  }

  /**
   * A string as PLAIN BYTE_ARRAY: 4-byte length then UTF-8. ASCII (the usual case) is copied code unit
   * by code unit, which is several times faster than TextEncoder or Buffer.write for short strings.
   */
  lengthPrefixedString(text: string): void {
    const n = text.length;
    this.ensure(4 + n);
    const start = this.length + 4;
    const buffer = this.buffer;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buffer[start + i] = c;
    }
    let byteLength = n;
    if (i < n) {
      // Non-ASCII: at most 3 UTF-8 bytes per UTF-16 code unit.
      this.ensure(4 + 3 * n);
      byteLength = utf8.encodeInto(text, this.buffer.subarray(start, start + 3 * n)).written;
    }
    this.view.setUint32(this.length, byteLength, true);
    this.length = start + byteLength;
  }
}
