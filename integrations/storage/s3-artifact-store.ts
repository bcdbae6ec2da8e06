/**
 * The artifact store on S3 or an S3-compatible server. Objects appear only complete: small artifacts
 * go up in one PutObject, large ones as a multipart upload that is completed after the last byte (and
 * aborted on failure); `writeWith` lets a tool write a local temporary file first and uploads it when
 * done. Every object carries its SHA-256 as metadata, so `stat` needs no download; `localCopy`
 * downloads into a cache directory keyed by the object's ETag.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat as statPath } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ConfigError, DataError } from '../../core/errors.js';
import { checkKey, formatS3Uri, parseS3Uri } from '../s3/s3-uri.js';
import { isS3NotFound } from '../s3/s3-errors.js';
import { uploadToS3 } from '../s3/s3-sink.js';
import { ArtifactNotFoundError } from './errors.js';
import type { ArtifactRef, ArtifactStore, FileDigest } from './port.js';
import { stringifyStable } from './stable-json.js';

/** User-metadata key holding an object's SHA-256 (sent as `x-amz-meta-understudy-sha256`). */
export const SHA256_METADATA_KEY = 'understudy-sha256';

/** Options of {@link createS3ArtifactStore}. */
export interface S3ArtifactStoreOptions {
  /** `s3://bucket/prefix/` (a trailing slash is added when missing). */
  root: string;
  client: S3Client;
  /** Local directory for downloaded copies and for files being written before upload. */
  cacheDir: string;
  /** @default 8 MiB */
  partSize?: number;
  /** @default 4 */
  queueSize?: number;
}

/** An artifact store rooted at an S3 prefix. */
export function createS3ArtifactStore(options: S3ArtifactStoreOptions): ArtifactStore {
  const base = parseS3Uri(options.root, 'artifactStore.root', true);
  const prefix = base.key === '' || base.key.endsWith('/') ? base.key : `${base.key}/`;
  const bucket = base.bucket;
  const root = formatS3Uri({ bucket, key: prefix });
  const { client } = options;
  const cacheDir = path.resolve(options.cacheDir);
  const upload = { client, bucket, partSize: options.partSize, queueSize: options.queueSize };

  const keyOf = (uri: string, allowPrefix = false): string => {
    if (!uri.startsWith(root)) {
      throw new ConfigError(`URI ${uri} is not inside the artifact store root ${root}`, 'uri');
    }
    const key = uri.slice('s3://'.length + bucket.length + 1);
    checkKey(key, 'uri', allowPrefix);
    return key;
  };

  const uriFor = (...segments: string[]): string => {
    const parts: string[] = [];
    for (const segment of segments) {
      if (segment.includes('\0'))
        throw new ConfigError('artifact path segment contains a NUL character', 'uri');
      if (segment.includes('\\')) throw new ConfigError('artifact path segment contains a backslash', 'uri');
      if (segment.startsWith('/'))
        throw new ConfigError(`artifact path segment ${JSON.stringify(segment)} is absolute`, 'uri');
      for (const part of segment.split('/')) {
        if (part === '' || part === '.' || part === '..') {
          throw new ConfigError(
            `artifact path segment ${JSON.stringify(segment)} is empty or a relative step`,
            'uri',
          );
        }
        parts.push(part);
      }
    }
    if (parts.length === 0) throw new ConfigError('an artifact URI needs at least one path segment', 'uri');
    const uri = `${root}${parts.join('/')}`;
    keyOf(uri);
    return uri;
  };

  const head = async (uri: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(uri) }));
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw error;
    }
  };

  const getStream = async (uri: string): Promise<Readable> => {
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(uri) }));
      return answer.Body as Readable;
    } catch (error) {
      if (isS3NotFound(error)) throw new ArtifactNotFoundError(uri, { cause: error });
      throw error;
    }
  };

  const getBytes = async (uri: string): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of await getStream(uri)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  const putBytes = async (uri: string, data: Uint8Array | string): Promise<ArtifactRef> => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await uploadToS3(bytes, { ...upload, key: keyOf(uri), metadata: { [SHA256_METADATA_KEY]: sha256 } });
    return { uri, bytes: bytes.byteLength, sha256 };
  };

  /** Cache file of one object version: the ETag in the name, so a replaced object is never served stale. */
  const cachePath = (key: string, etag: string): string => {
    const keyHash = createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 32);
    const version = createHash('sha256').update(etag).digest('hex').slice(0, 16);
    // The real base name stays last: tools such as DuckDB infer the format from the extension.
    return path.join(cacheDir, keyHash, `${version}-${path.posix.basename(key)}`);
  };

  return {
    root,
    uriFor,
    localPath(uri) {
      keyOf(uri);
      throw new ConfigError(
        'the S3 artifact store has no local paths: read with localCopy, write with writeWith',
        'uri',
      );
    },
    async localCopy(uri) {
      const key = keyOf(uri);
      const info = await head(uri);
      if (info === undefined) throw new ArtifactNotFoundError(uri);
      const target = cachePath(key, info.ETag ?? '');
      const cached = await statPath(target).catch(() => undefined);
      if (cached?.isFile() && cached.size === info.ContentLength) return target;
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = path.join(path.dirname(target), `.tmp-${randomBytes(6).toString('hex')}`);
      try {
        await pipeline(await getStream(uri), createWriteStream(tmp, { flags: 'wx' }));
        await rename(tmp, target);
      } finally {
        await rm(tmp, { force: true });
      }
      return target;
    },
    putBytes,
    putJson: (uri, value) => putBytes(uri, stringifyStable(value)),
    getBytes,
    async getJson<T>(uri: string): Promise<T> {
      const text = (await getBytes(uri)).toString('utf8');
      try {
        return JSON.parse(text) as T;
      } catch {
        // The parser's message quotes content; the artifact may hold personal data, so name only the URI.
        throw new DataError('artifact is not valid JSON', { file: uri });
      }
    },
    exists: async (uri) => (await head(uri)) !== undefined,
    async stat(uri) {
      const info = await head(uri);
      if (info === undefined) return undefined;
      const recorded = info.Metadata?.[SHA256_METADATA_KEY];
      if (recorded !== undefined && /^[0-9a-f]{64}$/.test(recorded))
        return { uri, bytes: info.ContentLength ?? 0, sha256: recorded };
      // Written by another tool: hash it once by streaming, without keeping it.
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of await getStream(uri)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      return { uri, bytes, sha256: hash.digest('hex') };
    },
    async list(prefixUri) {
      const keyPrefix = prefixUri === root ? prefix : keyOf(prefixUri, true);
      const uris: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: keyPrefix,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
        for (const object of page.Contents ?? [])
          if (object.Key !== undefined) uris.push(formatS3Uri({ bucket, key: object.Key }));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return uris.sort();
    },
    async writeWith(uri, write) {
      const key = keyOf(uri);
      const dir = path.join(cacheDir, 'writing');
      await mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `.tmp-${randomBytes(6).toString('hex')}-${path.posix.basename(key)}`);
      try {
        const digest = (await write(tmp)) || (await digestFile(tmp));
        const result = await uploadToS3(createReadStream(tmp), {
          ...upload,
          key,
          metadata: { [SHA256_METADATA_KEY]: digest.sha256 },
        });
        // The bytes just uploaded are the cache copy of this version: a later localCopy needs no download.
        if (result.etag !== undefined) {
          const target = cachePath(key, result.etag);
          await mkdir(path.dirname(target), { recursive: true });
          await rename(tmp, target);
        }
        return { uri, bytes: digest.bytes, sha256: digest.sha256 };
      } finally {
        await rm(tmp, { force: true });
      }
    },
  };
}

async function digestFile(file: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
