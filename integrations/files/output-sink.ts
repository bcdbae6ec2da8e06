/**
 * Where a file target's bytes go. A sink takes a byte stream and makes the output appear only when
 * `commit` is called after the stream finished: a local file is renamed into place, an S3 object is
 * completed; on `abort` nothing appears and partial bytes are removed.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';

/** A destination that appears atomically: bytes are written to `stream`, then `commit` or `abort`. */
export interface OutputSink {
  /** Where the output appears (`file://…` or `s3://…`). */
  readonly uri: string;
  /** The byte stream; the writer ends it (or destroys it on failure). */
  readonly stream: Writable;
  /** Makes the output appear; call after `stream` has finished. */
  commit(): Promise<void>;
  /** Discards everything written; the output does not appear. */
  abort(reason: Error): Promise<void>;
}

/** A sink writing to a temporary file beside `finalPath`, fsynced and renamed into place on commit. */
export function createLocalFileSink(finalPath: string): OutputSink {
  const dir = path.dirname(finalPath);
  // Random, not the pid: two attempts of one activity can run in one worker process.
  const tmpPath = path.join(dir, `.tmp-${randomBytes(6).toString('hex')}-${path.basename(finalPath)}`);
  const stream = createWriteStream(tmpPath, { flags: 'wx' });
  return {
    uri: `file://${finalPath}`,
    stream,
    async commit() {
      const handle = await open(tmpPath, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmpPath, finalPath);
      await syncDirectory(dir);
    },
    async abort(reason) {
      if (!stream.destroyed) stream.destroy(reason);
      await rm(tmpPath, { force: true });
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: some platforms cannot open directories, and the file itself is already fsynced.
  } finally {
    await handle?.close();
  }
}
