import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { DataError } from '../../core/errors.js';
import { JsonShapeScanner, StopScanning } from './json-shape-scanner.js';
import { createUtf8Guard } from './utf8-guard.js';
import type { SourceSummary } from './validate-csv.js';

/** Options of {@link validateJsonFile}. */
export interface ValidateJsonOptions {
  /** Name used in error messages (e.g. the user's URI). */
  displayName: string;
  /** `array`: one JSON array of objects; `lines`: JSON Lines, one object per line. */
  mode: 'array' | 'lines';
  /** Whether the file is gzip-compressed. @default false */
  gzip?: boolean;
  /** Stop successfully after this many rows. @default unlimited */
  maxRows?: number;
}

/**
 * Streams a JSON or JSON Lines file once in bounded memory and throws a DataError naming the file, line
 * and character column (1-based) for invalid UTF-8, NUL bytes, syntax errors, a top level that is not an
 * array of objects, a line that is not an object, duplicate keys and files without rows.
 */
export async function validateJsonFile(path: string, options: ValidateJsonOptions): Promise<SourceSummary> {
  const file = options.displayName;
  if ((await stat(path)).size === 0) throw new DataError('file is empty (zero bytes)', { file });
  const scanner = new JsonShapeScanner(file, options.mode, options.maxRows);
  const decoder = new StringDecoder('utf8');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        scanner.feed(decoder.write(chunk));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        scanner.feed(decoder.end());
        scanner.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const stages: Transform[] = [];
  if (options.gzip) stages.push(createGunzip());
  stages.push(createUtf8Guard(file));
  try {
    await pipeline([createReadStream(path), ...stages, sink]);
  } catch (error) {
    if (error instanceof StopScanning) return { rows: scanner.rows, columns: scanner.columns };
    if (error instanceof DataError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new DataError('not valid gzip data (corrupt or truncated)', { file });
    throw error;
  }
  return { rows: scanner.rows, columns: scanner.columns };
}
