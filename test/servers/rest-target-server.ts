/**
 * A local REST API that receives batches from the REST target the way an idempotent bulk endpoint
 * does: it requires an `Idempotency-Key`, answers a repeated key with the stored answer instead of
 * storing the records again, reports per-record results (`{"results": [{index, status, error?}]}`,
 * HTTP 207 when some failed), and can be told to answer 429 with Retry-After, 503, a whole-batch 422,
 * or to store a batch and then drop the connection before answering (a lost acknowledgement).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, sendJson, type RunningServer } from './http-helpers.js';

/** How the next matching request goes wrong. */
export type RestFault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'drop-after-store' }
  | { kind: 'drop-before-store' };

/** One request as the server saw it. */
export interface RecordedRestRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  records: number;
  status: number;
  /** The key had been answered before (a retried batch). */
  replay: boolean;
}

/** Options of {@link startRestTargetServer}. */
export interface RestTargetServerOptions {
  /** Path the records are posted to. @default "/records" */
  path?: string;
  /** When set, requests must carry exactly this Authorization header. */
  authorization?: string;
  /** Field of the body holding the records (`{"<field>": [...]}`); a bare array or object otherwise. */
  recordsField?: string;
  /** Refuses single records (per-record results); return the error, or undefined to accept. */
  rejectRecord?(record: unknown): { code: string; message: string } | undefined;
}

/** A running local REST API. */
export interface RestTargetServer extends RunningServer {
  readonly requests: RecordedRestRequest[];
  /** Records stored, in arrival order, exactly once per idempotency key. */
  readonly stored: unknown[];
  /** Idempotency keys of the batches stored. */
  readonly keys: Set<string>;
  /** Queues faults for the next requests (in order, one request each). */
  failNext(...faults: RestFault[]): void;
  /** Drops the faults not yet used. */
  clearFaults(): void;
}

/** Starts the local REST API on a random port. */
export async function startRestTargetServer(
  options: RestTargetServerOptions = {},
): Promise<RestTargetServer> {
  const path = options.path ?? '/records';
  const requests: RecordedRestRequest[] = [];
  const stored: unknown[] = [];
  const answers = new Map<string, { status: number; body: unknown }>();
  const faults: RestFault[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const key = header(req, 'idempotency-key');
    const record: RecordedRestRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      idempotencyKey: key,
      authorization: header(req, 'authorization'),
      records: 0,
      status: 0,
      replay: false,
    };
    requests.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      sendJson(res, status, body, headers);
    };
    if (req.url !== path) return answer(404, { error: { code: 'not_found', message: 'no such endpoint' } });
    if (req.method !== 'POST' && req.method !== 'PUT')
      return answer(405, { error: { code: 'method', message: 'use POST or PUT' } });
    if (options.authorization !== undefined && record.authorization !== options.authorization) {
      return answer(401, { error: { code: 'unauthorized', message: 'bad credentials' } });
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return answer(415, { error: { code: 'media_type', message: 'send application/json' } });
    }
    if (key === undefined || key === '')
      return answer(400, { error: { code: 'idempotency_key', message: 'Idempotency-Key is required' } });

    const fault = faults.shift();
    if (fault?.kind === 'status') {
      return answer(
        fault.status,
        { error: { code: 'injected', message: `injected ${fault.status}` } },
        fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter },
      );
    }
    if (fault?.kind === 'drop-before-store') {
      record.status = -1;
      req.socket.destroy();
      return;
    }

    const previous = answers.get(key);
    if (previous !== undefined) {
      record.replay = true;
      if (fault?.kind === 'drop-after-store') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      return answer(previous.status, previous.body);
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(400, { error: { code: 'json', message: 'body is not JSON' } });
    }
    const records = Array.isArray(parsed)
      ? parsed
      : options.recordsField !== undefined
        ? (parsed as Record<string, unknown>)[options.recordsField]
        : [parsed];
    if (!Array.isArray(records))
      return answer(422, {
        error: { code: 'shape', message: `expected an array in ${options.recordsField}` },
      });
    record.records = records.length;
    const results = records.map((r, index) => {
      const refusal = options.rejectRecord?.(r);
      if (refusal !== undefined) return { index, status: 'error', error: refusal };
      stored.push(r);
      return { index, status: 'ok' };
    });
    const anyFailed = results.some((r) => r.status === 'error');
    const body = { results };
    answers.set(key, { status: anyFailed ? 207 : 200, body });
    if (fault?.kind === 'drop-after-store') {
      // Stored, but the client never hears so: it must send the batch again with the same key.
      record.status = -1;
      req.socket.destroy();
      return;
    }
    answer(anyFailed ? 207 : 200, body);
  };

  const server = await listen(handle);
  return {
    ...server,
    requests,
    stored,
    get keys() {
      return new Set(answers.keys());
    },
    failNext(...more) {
      faults.push(...more);
    },
    clearFaults() {
      faults.length = 0;
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
