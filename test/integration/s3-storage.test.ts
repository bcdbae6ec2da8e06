/**
 * The S3 artifact store and the streaming S3 sink against the local S3 server (test/servers/s3-server.ts),
 * through the real @aws-sdk/client-s3 and @aws-sdk/lib-storage: every request SigV4-signed and verified,
 * multipart uploads retried on injected 500s and throttling, and aborted (no object, no open upload)
 * when a part fails for good or the writer fails.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import {
  createS3Client,
  createS3Sink,
  readS3Settings,
  uploadToS3,
  type S3Settings,
} from '../../integrations/s3/index.js';
import {
  ArtifactNotFoundError,
  createArtifactStore,
  createS3ArtifactStore,
  type ArtifactStore,
} from '../../integrations/storage/index.js';
import { startS3Server, type S3Server } from '../servers/s3-server.js';

const REGION = 'eu-west-1';
const KEY_ID = 'AKIAUNDERSTUDYTEST';
const SECRET = 'understudy/test/secret/key/0123456789abcd';
const MIB = 1024 * 1024;
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let server: S3Server;
let settings: S3Settings;

beforeAll(async () => {
  server = await startS3Server({
    region: REGION,
    credentials: { [KEY_ID]: SECRET },
    buckets: ['artifacts', 'exports'],
  });
  settings = readS3Settings({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    UNDERSTUDY_S3_ENDPOINT: server.url,
    UNDERSTUDY_S3_PART_SIZE_MB: '5',
    UNDERSTUDY_S3_QUEUE_SIZE: '2',
  });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.resetRequests();
  server.clearFaults();
});

/** Deterministic incompressible bytes. */
function bytesOf(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('S3 settings from the environment', () => {
  it('reads region, endpoint, path style and credentials, and names a bad variable', () => {
    expect(settings).toMatchObject({
      region: REGION,
      endpoint: server.url,
      forcePathStyle: true,
      partSize: 5 * MIB,
      queueSize: 2,
    });
    expect(settings.credentials).toEqual({ accessKeyId: KEY_ID, secretAccessKey: SECRET });
    expect(readS3Settings({}).forcePathStyle).toBe(false);
    expect(() => readS3Settings({ UNDERSTUDY_S3_ENDPOINT: 'ftp://x' })).toThrow(/UNDERSTUDY_S3_ENDPOINT/);
    expect(() => readS3Settings({ UNDERSTUDY_S3_PART_SIZE_MB: '1' })).toThrow(/UNDERSTUDY_S3_PART_SIZE_MB/);
  });

  it('a wrong secret is refused by the server (signatures are really checked)', async () => {
    const store = createS3ArtifactStore({
      root: 's3://artifacts/x/',
      client: createS3Client({
        ...settings,
        maxAttempts: 1,
        credentials: { accessKeyId: KEY_ID, secretAccessKey: 'wrong' },
      }),
      cacheDir: await mkdtemp(path.join(os.tmpdir(), 'understudy-s3c-')),
    });
    await expect(store.putBytes(store.uriFor('a.txt'), 'x')).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    expect(server.requests.at(-1)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});

describe('S3 artifact store', () => {
  let store: ArtifactStore;
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'understudy-s3c-'));
    store = createArtifactStore({
      root: `s3://artifacts/run-store-${Math.random().toString(36).slice(2)}`,
      s3: settings,
      cacheDir,
    });
  });

  it('addresses artifacts by s3:// URIs below the root and rejects escapes', () => {
    expect(store.root).toMatch(/^s3:\/\/artifacts\/run-store-[a-z0-9]+\/$/);
    const uri = store.uriFor('runs', 'r1', 'profile.json');
    expect(uri).toBe(`${store.root}runs/r1/profile.json`);
    expect(store.uriFor('runs/r1', 'profile.json')).toBe(uri);
    for (const bad of [['..', 'x'], ['a//b'], ['/abs'], ['a\\b'], ['a\0b'], []])
      expect(() => store.uriFor(...bad)).toThrow(ConfigError);
    expect(() => store.localPath(uri)).toThrow(/localCopy/);
    expect(() => store.localPath('s3://artifacts/elsewhere/x')).toThrow(/not inside/);
    expect(() => store.localPath('s3://other/x')).toThrow(ConfigError);
  });

  it('puts, gets, stats, lists and overwrites; missing artifacts are ArtifactNotFoundError', async () => {
    const a = store.uriFor('runs', 'r', 'a.json');
    const b = store.uriFor('runs', 'r', 'b.bin');
    const other = store.uriFor('runs', 'rx', 'c.bin');
    expect(await store.exists(a)).toBe(false);
    expect(await store.stat(a)).toBeUndefined();
    await expect(store.getBytes(a)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(store.localCopy(a)).rejects.toBeInstanceOf(ArtifactNotFoundError);

    const refA = await store.putJson(a, { z: 1, a: [1, 2] });
    const text = '{\n  "a": [\n    1,\n    2\n  ],\n  "z": 1\n}\n';
    expect(refA).toEqual({ uri: a, bytes: text.length, sha256: sha(text) });
    expect(await store.getJson(a)).toEqual({ a: [1, 2], z: 1 });
    expect(await store.stat(a)).toEqual(refA);
    await store.putBytes(b, Buffer.from([1, 2, 3]));
    await store.putBytes(other, 'x');
    expect(await store.list(store.uriFor('runs', 'r'))).toEqual([a, b, other]);
    expect(await store.list(`${store.uriFor('runs', 'r')}/`)).toEqual([a, b]);
    expect(await store.list(store.root)).toEqual([a, b, other]);

    await store.putBytes(b, 'replaced');
    expect((await store.getBytes(b)).toString()).toBe('replaced');
    expect(await store.stat(b)).toEqual({ uri: b, bytes: 8, sha256: sha('replaced') });
    await store.putBytes(a, 'not json {');
    await expect(store.getJson(a)).rejects.toBeInstanceOf(DataError);
    await expect(store.getJson(a)).rejects.not.toThrow(/not json/);
  });

  it('localCopy downloads once per version and follows a replaced object', async () => {
    const uri = store.uriFor('parts', 'part-000000.parquet');
    await store.putBytes(uri, 'version one');
    const first = await store.localCopy(uri);
    expect(path.basename(first)).toMatch(/part-000000\.parquet$/);
    expect(await readFile(first, 'utf8')).toBe('version one');
    const gets = () => server.requests.filter((r) => r.operation === 'GetObject').length;
    const before = gets();
    expect(await store.localCopy(uri)).toBe(first);
    expect(gets()).toBe(before);
    await store.putBytes(uri, 'version two!');
    expect(await readFile(await store.localCopy(uri), 'utf8')).toBe('version two!');
  });

  it('writeWith uploads only a finished file (multipart when large) and caches it; a failed writer leaves nothing', async () => {
    const uri = store.uriFor('runs', 'r', 'big.bin');
    const data = bytesOf(12 * MIB + 123, 7);
    const ref = await store.writeWith(uri, async (tmp) => {
      expect(path.basename(tmp)).toMatch(/big\.bin$/);
      // Nothing is visible while the tool is still writing.
      expect(await store.exists(uri)).toBe(false);
      await writeFile(tmp, data);
    });
    expect(ref).toEqual({ uri, bytes: data.length, sha256: sha(data) });
    const ops = server.requests.map((r) => r.operation);
    expect(ops.filter((o) => o === 'UploadPart')).toHaveLength(3);
    expect(ops).toContain('CompleteMultipartUpload');
    expect(await store.stat(uri)).toEqual(ref);
    server.resetRequests();
    // Compared by hash: a deep equality of two 12 MiB buffers takes minutes.
    expect(sha(await readFile(await store.localCopy(uri)))).toBe(sha(data));
    expect(server.requests.map((r) => r.operation)).toEqual(['HeadObject']);

    const failed = store.uriFor('runs', 'r', 'failed.bin');
    await expect(
      store.writeWith(failed, async (tmp) => {
        await writeFile(tmp, 'partial');
        throw new Error('tool crashed');
      }),
    ).rejects.toThrow('tool crashed');
    expect(await store.exists(failed)).toBe(false);
  });

  it('retries a part that fails once with 500 and a SlowDown 503, and the object is intact', async () => {
    server.injectFault({ operation: 'UploadPart', status: 500, code: 'InternalError', skip: 1 });
    server.injectFault({ operation: 'UploadPart', status: 503, code: 'SlowDown', skip: 2 });
    const uri = store.uriFor('runs', 'r', 'retried.bin');
    const data = bytesOf(11 * MIB, 3);
    const ref = await store.putBytes(uri, data);
    expect(ref.sha256).toBe(sha(data));
    const parts = server.requests.filter((r) => r.operation === 'UploadPart');
    expect(parts.filter((r) => r.status === 500)).toHaveLength(1);
    expect(parts.filter((r) => r.code === 'SlowDown')).toHaveLength(1);
    expect(new Set(parts.filter((r) => r.status === 200).map((r) => r.partNumber))).toEqual(
      new Set([1, 2, 3]),
    );
    expect(sha(await store.getBytes(uri))).toBe(sha(data));
    expect(server.openUploads()).toEqual([]);
  });

  it('aborts the multipart upload when a part keeps failing: no object and no open upload', async () => {
    server.injectFault({ operation: 'UploadPart', status: 500, code: 'InternalError', skip: 1, times: 100 });
    const uri = store.uriFor('runs', 'r', 'doomed.bin');
    await expect(store.putBytes(uri, bytesOf(11 * MIB, 5))).rejects.toMatchObject({ name: 'InternalError' });
    server.clearFaults();
    expect(server.requests.map((r) => r.operation)).toContain('AbortMultipartUpload');
    expect(server.openUploads()).toEqual([]);
    expect(await store.exists(uri)).toBe(false);
  });
});

describe('S3 sink', () => {
  const client = () => createS3Client(settings);

  it('streams a large body as a multipart upload that appears only on commit', async () => {
    const key = `sink/${Date.now()}/out.bin`;
    const sink = createS3Sink({
      client: client(),
      bucket: 'exports',
      key,
      partSize: 5 * MIB,
      queueSize: 2,
      contentType: 'text/csv',
    });
    const data = bytesOf(16 * MIB, 11);
    await pipeline(Readable.from([data.subarray(0, 9 * MIB), data.subarray(9 * MIB)]), sink.stream);
    await sink.commit();
    const object = server.object('exports', key);
    expect(object?.size).toBe(data.length);
    expect(sha(object?.body ?? Buffer.alloc(0))).toBe(sha(data));
    expect(object?.etag).toMatch(/-4"$/);
    expect(object?.contentType).toBe('text/csv');
  });

  it('abort after some parts were uploaded aborts the multipart upload and creates nothing', async () => {
    const key = `sink/${Date.now()}/aborted.bin`;
    const sink = createS3Sink({ client: client(), bucket: 'exports', key, partSize: 5 * MIB, queueSize: 1 });
    await new Promise<void>((resolve, reject) =>
      sink.stream.write(bytesOf(11 * MIB, 2), (e) => (e ? reject(e) : resolve())),
    );
    // Wait until the first part reached the server, so there is a multipart upload to abort.
    for (
      let i = 0;
      i < 200 && !server.requests.some((r) => r.operation === 'UploadPart' && r.key === key);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await sink.abort(new Error('encoder failed'));
    expect(server.requests.some((r) => r.operation === 'AbortMultipartUpload' && r.key === key)).toBe(true);
    expect(server.object('exports', key)).toBeUndefined();
    expect(server.openUploads()).toEqual([]);
  });

  it('a small body goes up as one PutObject with metadata', async () => {
    const key = `sink/${Date.now()}/small.txt`;
    const result = await uploadToS3(Buffer.from('hello'), {
      client: client(),
      bucket: 'exports',
      key,
      metadata: { a: 'b' },
    });
    expect(result.uri).toBe(`s3://exports/${key}`);
    expect(server.object('exports', key)?.metadata).toEqual({ a: 'b' });
    expect(server.requests.filter((r) => r.key === key).map((r) => r.operation)).toEqual(['PutObject']);
  });
});
