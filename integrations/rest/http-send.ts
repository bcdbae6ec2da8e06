/**
 * One HTTP request of a REST target through node:http(s): the connection goes only to an address the
 * host guard accepted, redirects are never followed (a 3xx is answered to the caller as it is), and
 * the response body is read up to a limit.
 */
import http from 'node:http';
import https from 'node:https';
import { createGuardedLookup, type UrlPermit } from './host-guard.js';

/** A response: status, headers and at most `maxBodyBytes` of the body. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A keep-alive connection pool bound to one permitted URL. */
export interface HttpSender {
  send(request: {
    method: string;
    headers: Record<string, string>;
    body: Buffer;
    timeoutMs: number;
    signal?: AbortSignal;
  }): Promise<HttpAnswer>;
  close(): void;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Creates a sender for a URL the host guard permitted, with at most `maxSockets` connections. */
export function createHttpSender(permit: UrlPermit, maxSockets: number): HttpSender {
  const secure = permit.url.protocol === 'https:';
  const lookup = createGuardedLookup(permit.allowLoopback);
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets });
  const request = secure ? https.request : http.request;
  return {
    send: ({ method, headers, body, timeoutMs, signal }) =>
      new Promise<HttpAnswer>((resolve, reject) => {
        const req = request(
          permit.url,
          {
            method,
            agent,
            lookup: lookup as unknown as http.RequestOptions['lookup'],
            headers: { ...headers, 'content-length': String(body.length) },
            timeout: timeoutMs,
            ...(signal === undefined ? {} : { signal }),
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= MAX_BODY_BYTES) chunks.push(chunk);
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
            );
            res.on('error', reject);
          },
        );
        req.on('timeout', () =>
          req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
