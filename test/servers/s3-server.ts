/**
 * A local S3-compatible server (path-style, HTTP/1.1) implementing what @aws-sdk/client-s3 and
 * @aws-sdk/lib-storage call: PutObject, GetObject (with Range), HeadObject, ListObjectsV2,
 * DeleteObject, DeleteObjects, CreateMultipartUpload, UploadPart, CompleteMultipartUpload and
 * AbortMultipartUpload. Every request's SigV4 signature is verified independently of the SDK
 * (test/servers/sigv4.ts), the signed payload hash and any CRC32/SHA-256/MD5 checksum are checked
 * against the body, `aws-chunked` bodies are decoded, multipart rules are enforced as S3 does (5 MiB
 * minimum part, ascending parts, matching ETags), and faults can be injected per operation (a 500 on
 * the Nth UploadPart, a 503 SlowDown) so tests can watch retries and aborts happen.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { listen, type RunningServer } from './http-helpers.js';
import { verifySigV4 } from './sigv4.js';

/** S3 operations the server knows, by their API names. */
export type S3Operation =
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'ListObjectsV2'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload';

/** A fault to inject: the matching calls after `skip` of them answer `status` with `code`, `times` times. */
export interface S3Fault {
  operation: S3Operation;
  status: number;
  /** S3 error code, e.g. `InternalError`, `SlowDown`. */
  code: string;
  /** Matching calls to let through first. @default 0 */
  skip?: number;
  /** How many calls fail. @default 1 */
  times?: number;
}

/** One request as the server saw it. */
export interface RecordedS3Request {
  operation: S3Operation | 'Unknown';
  bucket: string;
  key: string;
  partNumber?: number;
  status: number;
  /** The error code answered, if any. */
  code?: string;
}

/** A stored object. */
export interface StoredObject {
  body: Buffer;
  size: number;
  etag: string;
  contentType: string;
  metadata: Record<string, string>;
  lastModified: Date;
}

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  region: string;
  /** Access key id → secret the server accepts. */
  credentials: Readonly<Record<string, string>>;
  /** Buckets that exist from the start. */
  buckets: readonly string[];
  /** Keep only sizes and ETags, not bytes (benchmarks of large uploads). @default false */
  discardBodies?: boolean;
}

/** A running local S3. */
export interface S3Server extends RunningServer {
  readonly requests: RecordedS3Request[];
  injectFault(fault: S3Fault): void;
  /** Drops every pending fault. */
  clearFaults(): void;
  /** The object at bucket/key, or undefined. */
  object(bucket: string, key: string): StoredObject | undefined;
  /** Keys of a bucket, sorted. */
  keys(bucket: string): string[];
  /** Multipart uploads started and neither completed nor aborted. */
  openUploads(): { bucket: string; key: string; uploadId: string; parts: number }[];
  resetRequests(): void;
}

interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  parts: Map<number, { body: Buffer; size: number; etag: string; md5: Buffer }>;
}

const MIN_PART = 5 * 1024 * 1024;

/** Starts a local S3 on a random port. */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const buckets = new Map<string, Map<string, StoredObject>>(options.buckets.map((b) => [b, new Map()]));
  const uploads = new Map<string, Upload>();
  const requests: RecordedS3Request[] = [];
  const faults: (S3Fault & { seen: number; left: number })[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const rawPath = req.url ?? '/';
    const [pathPart = '/', query = ''] = rawPath.split('?', 2);
    const params = new URLSearchParams(query);
    const segments = pathPart.split('/');
    const bucket = decodeURIComponent(segments[1] ?? '');
    const key = segments.slice(2).map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    const operation = operationOf(method, key, params);
    const record: RecordedS3Request = { operation, bucket, key, status: 200 };
    const partNumber = params.get('partNumber');
    if (partNumber !== null) record.partNumber = Number(partNumber);
    requests.push(record);

    const fail = (status: number, code: string, message: string): void => {
      record.status = status;
      record.code = code;
      if (method === 'HEAD') {
        res.writeHead(status, { 'x-amz-request-id': randomUUID() });
        res.end();
        return;
      }
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
    };
    const ok = (status: number, headers: Record<string, string | number>, body?: Buffer | string): void => {
      record.status = status;
      const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, {
        'x-amz-request-id': randomUUID(),
        ...headers,
        ...(bytes && !('content-length' in headers) ? { 'content-length': bytes.length } : {}),
      });
      res.end(method === 'HEAD' ? undefined : bytes);
    };
    const xml = (status: number, text: string): void =>
      ok(status, { 'content-type': 'application/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n${text}`);

    const auth = verifySigV4({ method, rawPath, headers: req.headers, body: raw }, options.credentials, {
      region: options.region,
      service: 's3',
      pathAsSent: true,
    });
    if ('error' in auth) {
      const code = auth.error === 'InvalidSignatureException' ? 'SignatureDoesNotMatch' : 'AccessDenied';
      return fail(403, code, auth.message);
    }

    let body: Buffer;
    try {
      body = decodeBody(req, raw);
    } catch (error) {
      return fail(400, (error as { code?: string }).code ?? 'InvalidRequest', (error as Error).message);
    }

    const fault = faults.find((f) => f.operation === operation && f.left > 0 && f.seen++ >= (f.skip ?? 0));
    if (fault !== undefined) {
      fault.left -= 1;
      return fail(fault.status, fault.code, `injected ${fault.code}`);
    }
    if (operation === 'Unknown')
      return fail(501, 'NotImplemented', 'this operation is not implemented by the local server');
    const objects = buckets.get(bucket);
    if (objects === undefined) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');

    switch (operation) {
      case 'PutObject': {
        const object = store(body, req);
        objects.set(key, object);
        return ok(200, { etag: object.etag });
      }
      case 'GetObject':
      case 'HeadObject': {
        const object = objects.get(key);
        if (object === undefined) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        const headers: Record<string, string | number> = {
          etag: object.etag,
          'content-type': object.contentType,
          'last-modified': object.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        };
        for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
        const range = req.headers.range;
        if (range !== undefined && operation === 'GetObject') {
          const m = /^bytes=(\d+)-(\d*)$/.exec(range);
          const start = Number(m?.[1] ?? NaN);
          const end = m?.[2] ? Math.min(Number(m[2]), object.size - 1) : object.size - 1;
          if (m === null || start >= object.size || start > end)
            return fail(416, 'InvalidRange', 'The requested range is not satisfiable');
          headers['content-range'] = `bytes ${start}-${end}/${object.size}`;
          headers['content-length'] = end - start + 1;
          return ok(206, headers, object.body.subarray(start, end + 1));
        }
        headers['content-length'] = object.size;
        return ok(200, headers, object.body);
      }
      case 'DeleteObject':
        objects.delete(key);
        return ok(204, {});
      case 'DeleteObjects': {
        if (
          req.headers['content-md5'] === undefined &&
          !Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-'))
        ) {
          return fail(
            400,
            'InvalidRequest',
            'Missing required header for this request: Content-MD5 or x-amz-checksum-*',
          );
        }
        const keys = [...body.toString('utf8').matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) =>
          unescapeXml(m[1] ?? ''),
        );
        for (const k of keys) objects.delete(k);
        return xml(
          200,
          `<DeleteResult>${keys.map((k) => `<Deleted><Key>${escapeXml(k)}</Key></Deleted>`).join('')}</DeleteResult>`,
        );
      }
      case 'ListObjectsV2': {
        if (params.get('delimiter'))
          return fail(501, 'NotImplemented', 'delimiter is not implemented by the local server');
        const prefix = params.get('prefix') ?? '';
        const maxKeys = Math.min(Number(params.get('max-keys') ?? 1000), 1000);
        const after = params.get('continuation-token') ?? params.get('start-after') ?? '';
        const matching = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
        const page = matching.slice(0, maxKeys);
        const truncated = matching.length > page.length;
        const contents = page
          .map((k) => {
            const o = objects.get(k) as StoredObject;
            return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        const next = truncated
          ? `<NextContinuationToken>${escapeXml(page[page.length - 1] ?? '')}</NextContinuationToken>`
          : '';
        return xml(
          200,
          `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
        );
      }
      case 'CreateMultipartUpload': {
        const uploadId = randomUUID();
        uploads.set(uploadId, {
          bucket,
          key,
          contentType: contentTypeOf(req),
          metadata: metadataOf(req),
          parts: new Map(),
        });
        return xml(
          200,
          `<InitiateMultipartUploadResult><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      case 'UploadPart': {
        const upload = uploads.get(params.get('uploadId') ?? '');
        if (upload === undefined || upload.bucket !== bucket || upload.key !== key)
          return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
        const n = Number(params.get('partNumber'));
        if (!Number.isInteger(n) || n < 1 || n > 10_000)
          return fail(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000');
        const md5 = createHash('md5').update(body).digest();
        const etag = `"${md5.toString('hex')}"`;
        upload.parts.set(n, {
          body: options.discardBodies ? Buffer.alloc(0) : body,
          size: body.length,
          etag,
          md5,
        });
        return ok(200, { etag });
      }
      case 'CompleteMultipartUpload': {
        const uploadId = params.get('uploadId') ?? '';
        const upload = uploads.get(uploadId);
        if (upload === undefined || upload.bucket !== bucket || upload.key !== key)
          return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
        const listed = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
          n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
          etag: unescapeXml(/<ETag>([\s\S]*?)<\/ETag>/.exec(m[1] ?? '')?.[1] ?? ''),
        }));
        if (listed.length === 0) return fail(400, 'MalformedXML', 'The XML you provided was not well-formed');
        const chosen = [];
        for (const [i, p] of listed.entries()) {
          if (i > 0 && p.n <= (listed[i - 1]?.n ?? 0))
            return fail(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
          const part = upload.parts.get(p.n);
          if (part === undefined || part.etag !== p.etag)
            return fail(400, 'InvalidPart', 'One or more of the specified parts could not be found.');
          if (i < listed.length - 1 && part.size < MIN_PART)
            return fail(
              400,
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed object size.',
            );
          chosen.push(part);
        }
        const etag = `"${createHash('md5')
          .update(Buffer.concat(chosen.map((p) => p.md5)))
          .digest('hex')}-${chosen.length}"`;
        objects.set(key, {
          body: Buffer.concat(chosen.map((p) => p.body)),
          size: chosen.reduce((n, p) => n + p.size, 0),
          etag,
          contentType: upload.contentType,
          metadata: upload.metadata,
          lastModified: new Date(),
        });
        uploads.delete(uploadId);
        return xml(
          200,
          `<CompleteMultipartUploadResult><Location>${escapeXml(`http://${req.headers.host}/${bucket}/${key}`)}</Location><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      case 'AbortMultipartUpload': {
        const uploadId = params.get('uploadId') ?? '';
        if (!uploads.has(uploadId)) return fail(404, 'NoSuchUpload', 'The specified upload does not exist.');
        uploads.delete(uploadId);
        return ok(204, {});
      }
    }
  };

  const store = (body: Buffer, req: IncomingMessage): StoredObject => ({
    body: options.discardBodies ? Buffer.alloc(0) : body,
    size: body.length,
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    contentType: contentTypeOf(req),
    metadata: metadataOf(req),
    lastModified: new Date(),
  });

  const server = await listen(handle);
  return {
    ...server,
    requests,
    injectFault(fault) {
      faults.push({ ...fault, seen: 0, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    object: (bucket, key) => buckets.get(bucket)?.get(key),
    keys: (bucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(),
    openUploads: () =>
      [...uploads.entries()].map(([uploadId, u]) => ({
        bucket: u.bucket,
        key: u.key,
        uploadId,
        parts: u.parts.size,
      })),
    resetRequests() {
      requests.length = 0;
    },
  };
}

function operationOf(method: string, key: string, params: URLSearchParams): S3Operation | 'Unknown' {
  if (key === '') {
    if (method === 'GET' && params.get('list-type') === '2') return 'ListObjectsV2';
    if (method === 'POST' && params.has('delete')) return 'DeleteObjects';
    return 'Unknown';
  }
  if (method === 'POST' && params.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && params.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && params.has('uploadId')) return 'UploadPart';
  if (method === 'DELETE' && params.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'PUT') return params.has('tagging') || params.has('acl') ? 'Unknown' : 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return 'DeleteObject';
  return 'Unknown';
}

/** The payload: aws-chunked bodies decoded, then checked against the signed hash and any checksum header or trailer. */
function decodeBody(req: IncomingMessage, raw: Buffer): Buffer {
  const signedHash = String(req.headers['x-amz-content-sha256'] ?? '');
  const chunked =
    signedHash.startsWith('STREAMING-') ||
    String(req.headers['content-encoding'] ?? '').includes('aws-chunked');
  const trailers: Record<string, string> = {};
  let body = raw;
  if (chunked) {
    const pieces: Buffer[] = [];
    let at = 0;
    for (;;) {
      const eol = raw.indexOf('\r\n', at);
      if (eol < 0) throw Object.assign(new Error('truncated aws-chunked body'), { code: 'IncompleteBody' });
      const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
      if (!Number.isFinite(size))
        throw Object.assign(new Error('bad aws-chunked chunk size'), { code: 'InvalidRequest' });
      at = eol + 2;
      if (size === 0) break;
      pieces.push(raw.subarray(at, at + size));
      at += size + 2;
    }
    for (const line of raw.subarray(at).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    body = Buffer.concat(pieces);
    const declared = req.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw Object.assign(new Error('decoded length differs from x-amz-decoded-content-length'), {
        code: 'IncompleteBody',
      });
    }
  } else if (
    /^[0-9a-f]{64}$/.test(signedHash) &&
    createHash('sha256').update(body).digest('hex') !== signedHash
  ) {
    throw Object.assign(
      new Error("The provided 'x-amz-content-sha256' header does not match what was computed."),
      { code: 'XAmzContentSHA256Mismatch' },
    );
  }
  const checksum = (name: string): string | undefined => {
    const v = req.headers[name] ?? trailers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const crc = checksum('x-amz-checksum-crc32');
  if (crc !== undefined) {
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32(body) >>> 0);
    if (expected.toString('base64') !== crc)
      throw Object.assign(new Error('CRC32 checksum mismatch'), { code: 'BadDigest' });
  }
  const sha = checksum('x-amz-checksum-sha256');
  if (sha !== undefined && createHash('sha256').update(body).digest('base64') !== sha) {
    throw Object.assign(new Error('SHA256 checksum mismatch'), { code: 'BadDigest' });
  }
  const md5 = checksum('content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw Object.assign(new Error('The Content-MD5 you specified did not match what we received.'), {
      code: 'BadDigest',
    });
  }
  return body;
}

function contentTypeOf(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? 'binary/octet-stream');
}

function metadataOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      out[name.slice('x-amz-meta-'.length)] = String(value);
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot|#x[0-9a-fA-F]+|#\d+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[e] as string;
  });
}
