/**
 * Streaming S3 uploads through @aws-sdk/lib-storage: bytes become parts of a multipart upload (or one
 * PutObject when small), the object appears only when the upload completes after the stream ended,
 * and a failure on either side aborts the multipart upload so no parts are left behind.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { OutputSink } from '../files/output-sink.js';
import { formatS3Uri, type S3Location } from './s3-uri.js';

/** Options of {@link createS3Sink} and {@link uploadToS3}. */
export interface S3UploadOptions extends S3Location {
  client: S3Client;
  /** Bytes per part (at least 5 MiB, S3's minimum). @default 8 MiB */
  partSize?: number;
  /** Parts in flight at once. @default 4 */
  queueSize?: number;
  contentType?: string;
  /** User metadata stored with the object (`x-amz-meta-*`). */
  metadata?: Record<string, string>;
}

/** What an upload produced. */
export interface S3UploadResult {
  uri: string;
  etag: string | undefined;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** Uploads a stream or buffer to one object; rejects (with the multipart upload aborted) when any part fails for good. */
export async function uploadToS3(
  body: Readable | Uint8Array,
  options: S3UploadOptions,
): Promise<S3UploadResult> {
  const upload = new Upload({
    client: options.client,
    params: {
      Bucket: options.bucket,
      Key: options.key,
      Body: body,
      ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
      ...(options.metadata === undefined ? {} : { Metadata: options.metadata }),
    },
    partSize: Math.max(options.partSize ?? DEFAULT_PART_SIZE, 5 * 1024 * 1024),
    queueSize: options.queueSize ?? 4,
    // lib-storage then sends AbortMultipartUpload itself when a part or the completion fails.
    leavePartsOnError: false,
  });
  const result = await upload.done();
  return { uri: formatS3Uri(options), etag: result.ETag };
}

/** A sink whose bytes stream into an S3 multipart upload; the object appears only on commit. */
export function createS3Sink(options: S3UploadOptions): OutputSink {
  const stream = new PassThrough();
  let settled = false;
  const done = uploadToS3(stream, options).finally(() => {
    settled = true;
  });
  // An upload that fails for good (a part rejected after its retries) must also stop the writer, which
  // would otherwise wait forever for the stream to drain.
  done.catch((error: unknown) => {
    if (!stream.destroyed) stream.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return {
    uri: formatS3Uri(options),
    stream,
    async commit() {
      await done;
    },
    async abort(reason) {
      // Ending the stream would complete the upload with partial data; destroying it with an error
      // makes lib-storage abort the multipart upload instead.
      if (!settled && !stream.destroyed) stream.destroy(reason);
      await done.catch(() => {});
    },
  };
}
