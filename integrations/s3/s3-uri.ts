/** `s3://bucket/key` URIs: parsing with checks that name the config field, and formatting. */
import { ConfigError } from '../../core/errors.js';

/** A bucket and a key (or key prefix) inside it. */
export interface S3Location {
  bucket: string;
  key: string;
}

// Bucket naming rules of S3 (lower-case DNS-style names, 3–63 characters); MinIO follows them too.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/key`; `allowEmptyKey` accepts a bare bucket or a prefix ending in `/`. */
export function parseS3Uri(uri: string, field: string, allowEmptyKey = false): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (match === null) throw new ConfigError('is not an s3://bucket/key URI', field);
  const bucket = match[1] as string;
  const key = match[2] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..'))
    throw new ConfigError('names an invalid S3 bucket', field);
  checkKey(key, field, allowEmptyKey);
  return { bucket, key };
}

/** Checks an object key: no empty, `.` or `..` segments (they make keys that tools map to surprising paths), no NUL. */
export function checkKey(key: string, field: string, allowEmpty = false): void {
  if (key === '') {
    if (allowEmpty) return;
    throw new ConfigError('needs an object key after the bucket', field);
  }
  if (key.includes('\0')) throw new ConfigError('contains a NUL character', field);
  if (Buffer.byteLength(key, 'utf8') > 1024)
    throw new ConfigError('is longer than S3 allows (1024 bytes)', field);
  const segments = key.split('/');
  const last = segments.length - 1;
  segments.forEach((segment, i) => {
    if (segment === '.' || segment === '..')
      throw new ConfigError('must not contain "." or ".." segments', field);
    if (segment === '' && !(i === last && allowEmpty))
      throw new ConfigError('must not contain empty segments ("//")', field);
  });
}

/** The URI of an object. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}
