/**
 * AWS Signature Version 4 verification for the local AWS-API servers, written from the published
 * algorithm (not with the SDK's signer, so a signing bug cannot hide behind the same code): the
 * server knows the test secret, recomputes the signature and compares.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Why a request's signature was rejected, as AWS names it. */
export type SigV4Failure =
  | { error: 'MissingAuthenticationTokenException'; message: string }
  | { error: 'IncompleteSignatureException'; message: string }
  | { error: 'UnrecognizedClientException'; message: string }
  | { error: 'InvalidSignatureException'; message: string };

/** What a valid signature covered. */
export interface SigV4Pass {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

/** Checks the `Authorization` header of a request against the known secrets. */
export function verifySigV4(
  request: { method: string; rawPath: string; headers: IncomingHttpHeaders; body: Buffer },
  secrets: Readonly<Record<string, string>>,
  expected: {
    region: string;
    service: string;
    /** S3 signs the path exactly as sent (encoded once); every other service encodes it once more. @default false */
    pathAsSent?: boolean;
  },
): SigV4Pass | SigV4Failure {
  const auth = header(request.headers, 'authorization');
  if (auth === undefined)
    return { error: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;:-]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (match === null)
    return { error: 'IncompleteSignatureException', message: 'Authorization header is not a SigV4 header' };
  const [, accessKeyId, day, region, service, signedList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const amzDate = header(request.headers, 'x-amz-date');
  if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return { error: 'IncompleteSignatureException', message: 'x-amz-date is missing or malformed' };
  }
  if (amzDate.slice(0, 8) !== day)
    return { error: 'InvalidSignatureException', message: 'credential date does not match x-amz-date' };
  if (region !== expected.region || service !== expected.service) {
    return {
      error: 'InvalidSignatureException',
      message: `credential should be scoped to ${expected.region}/${expected.service}`,
    };
  }
  const secret = secrets[accessKeyId];
  if (secret === undefined)
    return {
      error: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  const signedHeaders = signedList.split(';');
  // Over HTTP/2 the SDK signs the :authority pseudo-header in place of host.
  const hostSigned = signedHeaders.includes('host') || signedHeaders.includes(':authority');
  if (!hostSigned || !signedHeaders.includes('x-amz-date')) {
    return {
      error: 'InvalidSignatureException',
      message: 'host (or :authority) and x-amz-date must be signed',
    };
  }
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(header(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const [path = '/', query = ''] = request.rawPath.split('?', 2);
  const payloadHash = header(request.headers, 'x-amz-content-sha256') ?? sha256Hex(request.body);
  const canonicalRequest = [
    request.method,
    expected.pathAsSent ? path || '/' : canonicalUri(path),
    canonicalQuery(query),
    canonicalHeaders,
    signedList,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(Buffer.from(canonicalRequest))].join(
    '\n',
  );
  let key = hmac(`AWS4${secret}`, day);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, 'aws4_request');
  const expectedSignature = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(expectedSignature, Buffer.from(signature, 'hex'))) {
    return {
      error: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  }
  return { accessKeyId, region, service, signedHeaders };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  // HTTP/2 carries the host as the :authority pseudo-header.
  const v =
    headers[name] ??
    (name === 'host' ? headers[':authority'] : name === ':authority' ? headers.host : undefined);
  return Array.isArray(v) ? v.join(',') : v;
}

/** Every path segment URI-encoded once more (non-S3 services sign the already-encoded path, encoded again). */
function canonicalUri(rawPath: string): string {
  const segments = rawPath.split('/').map((s) => rfc3986(s));
  return segments.join('/') || '/';
}

function canonicalQuery(query: string): string {
  if (query.length === 0) return '';
  return query
    .split('&')
    .map((pair) => {
      const [k = '', v = ''] = pair.split('=', 2);
      return [rfc3986(decodeURIComponent(k)), rfc3986(decodeURIComponent(v))] as const;
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
