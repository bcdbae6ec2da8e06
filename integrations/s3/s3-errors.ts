/** Recognising S3 answers by status and code rather than by message text. */

/** Whether an SDK error means "no such object" (GetObject's NoSuchKey, HeadObject's bare 404). */
export function isS3NotFound(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  // A missing bucket is a configuration problem, not a missing artifact.
  if (e?.name === 'NoSuchBucket' || e?.Code === 'NoSuchBucket') return false;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.Code === 'NoSuchKey' ||
    e?.$metadata?.httpStatusCode === 404
  );
}
