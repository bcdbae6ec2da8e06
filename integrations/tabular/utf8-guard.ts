import { Transform, type TransformCallback } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { DataError } from '../../core/errors.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * A pass-through stream that fails with a DataError at the first invalid UTF-8 sequence or NUL byte,
 * naming the line and the byte column (both 1-based). Decoders would otherwise replace bad bytes with
 * U+FFFD silently, and the corrupted values would flow into the profile and the synthetic data.
 * Lines end at LF, CRLF or a lone CR, the same rule the CSV parser uses.
 */
export function createUtf8Guard(file: string): Transform {
  let line = 1;
  let lineStart = 0; // absolute byte offset where the current line starts
  let chunkStart = 0; // absolute byte offset of the first byte of `body` below
  let previousWasCr = false;
  let pending: Buffer = Buffer.alloc(0); // an incomplete multi-byte sequence carried to the next chunk

  const advance = (body: Buffer, end: number): void => {
    if (!previousWasCr && body.indexOf(CR) === -1) {
      // Fast path for LF-only text: count with the native indexOf.
      let at = body.indexOf(LF);
      while (at !== -1 && at < end) {
        line += 1;
        lineStart = chunkStart + at + 1;
        at = body.indexOf(LF, at + 1);
      }
      return;
    }
    for (let i = 0; i < end; i++) {
      const b = body[i];
      if (b === LF) {
        if (!previousWasCr) line += 1;
        lineStart = chunkStart + i + 1;
        previousWasCr = false;
      } else if (b === CR) {
        line += 1;
        lineStart = chunkStart + i + 1;
        previousWasCr = true;
      } else {
        previousWasCr = false;
      }
    }
  };

  const fail = (body: Buffer, at: number, message: string): DataError => {
    advance(body, at);
    return new DataError(message, { file, line, column: chunkStart + at - lineStart + 1 });
  };

  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const complete = completePrefixLength(buf);
      const body = buf.subarray(0, complete);
      pending = Buffer.from(buf.subarray(complete));
      const nul = body.indexOf(0);
      const bad = isUtf8(body) ? -1 : firstInvalidUtf8(body);
      if (nul !== -1 && (bad === -1 || nul < bad)) {
        callback(fail(body, nul, 'NUL byte found: the file looks binary, not text'));
        return;
      }
      if (bad !== -1) {
        callback(
          fail(
            body,
            bad,
            'invalid UTF-8 byte sequence (column counts bytes): the file must be UTF-8 encoded',
          ),
        );
        return;
      }
      advance(body, body.length);
      if (body.length > 0) previousWasCr = body[body.length - 1] === CR;
      chunkStart += body.length;
      callback(null, body);
    },
    flush(callback: TransformCallback) {
      if (pending.length > 0) {
        callback(fail(pending, 0, 'truncated UTF-8 sequence at the end of the file'));
        return;
      }
      callback();
    },
  });
}

/** Length of the prefix of `buf` that ends on a character boundary (at most 3 trailing bytes held back). */
function completePrefixLength(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needed > back ? n - back : n;
  }
  return n;
}

/** Offset of the first byte of the first invalid UTF-8 sequence, or -1 (RFC 3629: no overlongs, no surrogates). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else {
      return i;
    }
    if (i + need >= n) return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k] as number;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
