/**
 * A local Salesforce org with the endpoints jsforce calls for Bulk API 2.0 ingest: SOAP login
 * (`/services/Soap/u/<ver>`), the OAuth2 token endpoint (password, client credentials, JWT bearer with a
 * real RS256 signature check), sobject describe, and the ingest-job resources (create, upload, close or
 * abort, job info, successful/failed/unprocessed results, delete). Jobs run asynchronously
 * (Open → UploadComplete → InProgress → JobComplete) against a tiny schema of Account and Contact that
 * enforces what a real org would: field existence in the header, required fields, field types and lengths,
 * external-id upsert (insert or update by external id, duplicates within a job rejected), and lookups by a
 * parent's external id. Record errors use Salesforce's `CODE:message:fields --` format, message with the value.
 * Faults: request-limit refusals (429 or 403 REQUEST_LIMIT_EXCEEDED), a job that fails part-way with the
 * rest left unprocessed, jobs held InProgress (to stop a worker mid-poll), dropped connections on polls.
 */
import { createVerify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'csv-parse/sync';
import { listen, sendJson, type RunningServer } from './http-helpers.js';

/** A field of the local schema, in describe's shape. */
export interface LocalField {
  name: string;
  type:
    'id' | 'string' | 'email' | 'boolean' | 'int' | 'double' | 'currency' | 'date' | 'datetime' | 'reference';
  length?: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  externalId?: boolean;
  unique?: boolean;
  relationshipName?: string;
  referenceTo?: string[];
}

const f = (name: string, type: LocalField['type'], extra: Partial<LocalField> = {}): LocalField => ({
  name,
  type,
  createable: true,
  updateable: true,
  nillable: true,
  defaultedOnCreate: false,
  ...extra,
});

/** Account and Contact, reduced to the fields the tests need. */
export const LOCAL_SCHEMA: Record<string, { keyPrefix: string; fields: LocalField[] }> = {
  Account: {
    keyPrefix: '001',
    fields: [
      f('Id', 'id', { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
      f('Name', 'string', { length: 255, nillable: false }),
      f('External_Id__c', 'string', { length: 80, externalId: true, unique: true }),
      f('Industry', 'string', { length: 40 }),
      f('AnnualRevenue', 'currency'),
      f('NumberOfEmployees', 'int'),
      f('Website', 'string', { length: 255 }),
      f('CreatedDate', 'datetime', {
        createable: false,
        updateable: false,
        nillable: false,
        defaultedOnCreate: true,
      }),
    ],
  },
  Contact: {
    keyPrefix: '003',
    fields: [
      f('Id', 'id', { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
      f('FirstName', 'string', { length: 40 }),
      f('LastName', 'string', { length: 80, nillable: false }),
      f('Email', 'email', { length: 80 }),
      f('Birthdate', 'date'),
      f('HasOptedOutOfEmail', 'boolean', { nillable: false, defaultedOnCreate: true }),
      f('External_Id__c', 'string', { length: 80, externalId: true, unique: true }),
      f('AccountId', 'reference', { relationshipName: 'Account', referenceTo: ['Account'] }),
    ],
  },
};

type FieldValue = string | null;
/** A stored record: field name → value (strings as Salesforce stores them, null for empty). */
export type LocalRecord = Record<string, FieldValue>;

/** One request as the server saw it. */
export interface RecordedSalesforceRequest {
  seq: number;
  method: string;
  path: string;
  /** What the request did, e.g. `create`, `upload`, `close`, `abort`, `info`, `failedResults`, `delete`, `describe`. */
  action: string;
  jobId?: string;
  status: number;
}

/** A job's state as the server keeps it. */
export interface LocalJob {
  id: string;
  object: string;
  operation: 'insert' | 'update' | 'upsert';
  externalIdFieldName?: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  uploads: string[];
  errorMessage?: string;
  processed: number;
  failed: number;
  successful: string[][];
  failedRows: string[][];
  unprocessed: string[][];
  header: string[];
  deleted: boolean;
  createdDate: string;
}

/** Options of {@link startSalesforceServer}. */
export interface SalesforceServerOptions {
  username?: string;
  password?: string;
  /** Connected-app client id and secret for the OAuth flows. */
  clientId?: string;
  clientSecret?: string;
  /** PEM public key that JWT bearer assertions must verify against. */
  jwtPublicKey?: string;
  /** Tokens accepted without a login (the access-token flow). */
  accessTokens?: string[];
  /** Delay of each job step (UploadComplete → InProgress → JobComplete). @default 10 */
  stepMs?: number;
}

/** How a request-limit refusal looks. */
export type ThrottleKind = '429' | 'REQUEST_LIMIT_EXCEEDED';

/** A running local org. */
export interface SalesforceServer extends RunningServer {
  readonly requests: RecordedSalesforceRequest[];
  readonly jobs: Map<string, LocalJob>;
  /** Records of an object, by Id. */
  records(object: string): LocalRecord[];
  /** Refuse the next `n` REST requests (optionally only of some methods) for request limits. */
  throttleNext(n: number, kind?: ThrottleKind, methods?: string[]): void;
  /** The next job that runs processes `afterRecords` records, then ends Failed; the rest stay unprocessed. */
  failNextJob(afterRecords: number, errorMessage?: string): void;
  /** Keep jobs InProgress until {@link SalesforceServer.releaseJobs}. */
  holdJobs(): void;
  releaseJobs(): void;
  /** Destroy the connection of the next `n` job-info polls without answering. */
  dropNextPolls(n: number): void;
  /** Accept one more access token (e.g. a session issued by an earlier test). */
  addAccessToken(token: string): void;
  resetRequests(): void;
}

const API = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/;

/** Starts a local org on a random port. */
export async function startSalesforceServer(
  options: SalesforceServerOptions = {},
): Promise<SalesforceServer> {
  const stepMs = options.stepMs ?? 10;
  const tokens = new Set(options.accessTokens ?? []);
  const store = new Map<string, Map<string, LocalRecord>>(
    Object.keys(LOCAL_SCHEMA).map((o) => [o, new Map()]),
  );
  const jobs = new Map<string, LocalJob>();
  const requests: RecordedSalesforceRequest[] = [];
  const heldJobs = new Set<string>();
  let hold = false;
  let throttle = { n: 0, kind: '429' as ThrottleKind, methods: undefined as string[] | undefined };
  let failNext: { afterRecords: number; errorMessage: string } | undefined;
  let dropPolls = 0;
  let counter = 0;
  let seq = 0;
  let baseUrl = '';
  const newId = (prefix: string) => `${prefix}${String(++counter).padStart(12, '0')}AAA`;
  const orgId = '00D000000000001AAA';
  const userId = '005000000000001AAA';

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const record: RecordedSalesforceRequest = {
      seq: ++seq,
      method,
      path: url.pathname,
      action: 'unknown',
      status: 0,
    };
    requests.push(record);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      sendJson(res, status, value, headers);
    };
    const text = (status: number, value: string, type: string) => {
      record.status = status;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(value) });
      res.end(value);
    };
    const apiError = (status: number, errorCode: string, message: string) =>
      json(status, [{ errorCode, message }]);

    if (method === 'POST' && /^\/services\/Soap\/u\/\d+\.\d$/.test(url.pathname)) {
      record.action = 'soapLogin';
      const xml = body.toString('utf8');
      const user = unescapeXml(/<username>([\s\S]*?)<\/username>/.exec(xml)?.[1] ?? '');
      const pass = unescapeXml(/<password>([\s\S]*?)<\/password>/.exec(xml)?.[1] ?? '');
      if (options.username === undefined || user !== options.username || pass !== options.password) {
        return text(
          500,
          soapFault(
            'INVALID_LOGIN',
            'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
          ),
          'text/xml',
        );
      }
      const token = issueToken();
      const version = url.pathname.split('/').pop() ?? '';
      return text(
        200,
        soapLoginResponse(`${baseUrl}/services/Soap/u/${version}/${orgId}`, token, userId, orgId),
        'text/xml',
      );
    }
    if (method === 'POST' && url.pathname === '/services/oauth2/token') {
      record.action = 'token';
      const params = new URLSearchParams(body.toString('utf8'));
      const grant = params.get('grant_type');
      const okClient = () =>
        params.get('client_id') === options.clientId && params.get('client_secret') === options.clientSecret;
      let allowed = false;
      if (grant === 'client_credentials') allowed = options.clientId !== undefined && okClient();
      else if (grant === 'password')
        allowed =
          okClient() &&
          params.get('username') === options.username &&
          params.get('password') === options.password;
      else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        allowed = verifyJwt(params.get('assertion') ?? '');
      if (!allowed) {
        record.status = 400;
        return json(400, { error: 'invalid_grant', error_description: 'authentication failure' });
      }
      const token = issueToken();
      return json(200, {
        access_token: token,
        instance_url: baseUrl,
        id: `${baseUrl}/id/${orgId}/${userId}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
      });
    }

    const m = API.exec(url.pathname);
    if (!m) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) {
      record.action = 'unauthorized';
      return apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    if (throttle.n > 0 && (throttle.methods === undefined || throttle.methods.includes(method))) {
      throttle.n -= 1;
      record.action = 'throttled';
      const status = throttle.kind === '429' ? 429 : 403;
      return json(
        status,
        [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
        { 'retry-after': '1' },
      );
    }
    const rest = m[2] ?? '';
    const version = m[1] ?? '';

    const describe = /^\/sobjects\/([A-Za-z_]+)\/describe\/?$/.exec(rest);
    if (describe && method === 'GET') {
      record.action = 'describe';
      const name = describe[1] ?? '';
      const schema = LOCAL_SCHEMA[name];
      if (!schema) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return json(200, {
        name,
        keyPrefix: schema.keyPrefix,
        createable: true,
        updateable: true,
        fields: schema.fields.map(describeField),
      });
    }

    if (rest === '/jobs/ingest' && method === 'POST') {
      record.action = 'create';
      let spec: {
        object?: string;
        operation?: string;
        externalIdFieldName?: string;
        contentType?: string;
        lineEnding?: string;
      };
      try {
        spec = JSON.parse(body.toString('utf8'));
      } catch {
        return apiError(400, 'JSON_PARSER_ERROR', 'The request body is not JSON');
      }
      const schema = LOCAL_SCHEMA[spec.object ?? ''];
      if (!schema)
        return apiError(400, 'INVALIDENTITY', `Entity '${spec.object}' is not supported by the Bulk API.`);
      if (spec.operation !== 'insert' && spec.operation !== 'update' && spec.operation !== 'upsert') {
        return apiError(400, 'INVALIDJOB', 'InvalidJob : Invalid operation');
      }
      if (spec.operation === 'upsert') {
        const ext = schema.fields.find((x) => x.name === spec.externalIdFieldName);
        if (!ext?.externalId && spec.externalIdFieldName !== 'Id') {
          return apiError(
            400,
            'INVALIDJOB',
            'InvalidJob : External ID was blank or not an external ID field',
          );
        }
      }
      const job: LocalJob = {
        id: newId('750'),
        object: spec.object ?? '',
        operation: spec.operation,
        ...(spec.externalIdFieldName !== undefined ? { externalIdFieldName: spec.externalIdFieldName } : {}),
        state: 'Open',
        uploads: [],
        processed: 0,
        failed: 0,
        successful: [],
        failedRows: [],
        unprocessed: [],
        header: [],
        deleted: false,
        createdDate: new Date().toISOString(),
      };
      jobs.set(job.id, job);
      record.jobId = job.id;
      return json(200, jobInfo(job, version));
    }

    const jobPath = /^\/jobs\/ingest\/([A-Za-z0-9]+)(\/[A-Za-z]+)?\/?$/.exec(rest);
    if (!jobPath) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const job = jobs.get(jobPath[1] ?? '');
    record.jobId = jobPath[1];
    const sub = jobPath[2] ?? '';
    if (!job || job.deleted) {
      record.action = sub === '' ? method.toLowerCase() : sub.slice(1);
      return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }

    if (sub === '/batches' && method === 'PUT') {
      record.action = 'upload';
      if (job.state !== 'Open') return apiError(409, 'INVALIDJOBSTATE', 'Job is not open for upload');
      job.uploads.push(body.toString('utf8'));
      record.status = 201;
      res.writeHead(201, { 'content-length': 0 });
      return void res.end();
    }
    if (sub === '' && method === 'PATCH') {
      let patch: { state?: string };
      try {
        patch = JSON.parse(body.toString('utf8'));
      } catch {
        return apiError(400, 'JSON_PARSER_ERROR', 'The request body is not JSON');
      }
      if (patch.state === 'UploadComplete') {
        record.action = 'close';
        if (job.state !== 'Open') return apiError(409, 'INVALIDJOBSTATE', `Job is ${job.state}, not Open`);
        if (job.uploads.length > 1) {
          return apiError(
            400,
            'INVALIDJOB',
            `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
          );
        }
        job.state = 'UploadComplete';
        schedule(job);
        return json(200, jobInfo(job, version));
      }
      if (patch.state === 'Aborted') {
        record.action = 'abort';
        if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
          return apiError(409, 'INVALIDJOBSTATE', `Job is ${job.state} and cannot be aborted`);
        }
        job.state = 'Aborted';
        heldJobs.delete(job.id);
        return json(200, jobInfo(job, version));
      }
      record.action = 'patch';
      return apiError(400, 'INVALIDJOBSTATE', 'Unsupported state change');
    }
    if (sub === '' && method === 'GET') {
      record.action = 'info';
      if (dropPolls > 0) {
        dropPolls -= 1;
        record.status = -1;
        req.socket.destroy();
        return;
      }
      return json(200, jobInfo(job, version));
    }
    if (sub === '' && method === 'DELETE') {
      record.action = 'delete';
      if (job.state === 'Open' || job.state === 'InProgress') {
        return apiError(400, 'INVALIDJOBSTATE', `Job is ${job.state} and cannot be deleted`);
      }
      job.deleted = true;
      record.status = 204;
      res.writeHead(204);
      return void res.end();
    }
    if (
      method === 'GET' &&
      (sub === '/successfulResults' || sub === '/failedResults' || sub === '/unprocessedrecords')
    ) {
      record.action = sub.slice(1);
      if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted') {
        return apiError(400, 'INVALIDJOBSTATE', 'Job is not finished');
      }
      if (sub === '/successfulResults')
        return text(200, quotedCsv(['sf__Id', 'sf__Created', ...job.header], job.successful), 'text/csv');
      if (sub === '/failedResults')
        return text(200, quotedCsv(['sf__Id', 'sf__Error', ...job.header], job.failedRows), 'text/csv');
      return text(200, quotedCsv(job.header, job.unprocessed), 'text/csv');
    }
    record.action = 'unsupported';
    return apiError(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
  };

  function issueToken(): string {
    const token = `00D000000000001!session-${++counter}`;
    tokens.add(token);
    return token;
  }

  function verifyJwt(assertion: string): boolean {
    if (options.jwtPublicKey === undefined) return false;
    const [h, c, s] = assertion.split('.');
    if (h === undefined || c === undefined || s === undefined) return false;
    let claims: { iss?: string; sub?: string; aud?: string; exp?: number };
    try {
      const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
      if (head.alg !== 'RS256') return false;
      claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    } catch {
      return false;
    }
    const valid = createVerify('RSA-SHA256').update(`${h}.${c}`).verify(options.jwtPublicKey, s, 'base64url');
    return (
      valid &&
      claims.iss === options.clientId &&
      claims.sub === options.username &&
      claims.aud === 'https://login.salesforce.com' &&
      typeof claims.exp === 'number' &&
      claims.exp * 1000 > Date.now()
    );
  }

  function schedule(job: LocalJob): void {
    setTimeout(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      setTimeout(() => {
        if (job.state !== 'InProgress') return;
        if (hold) heldJobs.add(job.id);
        else run(job);
      }, stepMs);
    }, stepMs);
  }

  function run(job: LocalJob): void {
    const fault = failNext;
    failNext = undefined;
    let rows: string[][];
    try {
      rows = parse(job.uploads[0] ?? '', { bom: true, skip_empty_lines: true }) as string[][];
    } catch {
      job.state = 'Failed';
      job.errorMessage = 'InvalidBatch : Failed to parse CSV';
      return;
    }
    const [header = [], ...data] = rows;
    job.header = header;
    const problem = checkHeader(job, header);
    if (problem !== undefined) {
      job.state = 'Failed';
      job.errorMessage = problem;
      job.unprocessed = data;
      return;
    }
    const dupes = duplicateExternalIds(job, header, data);
    data.forEach((row, i) => {
      if (fault !== undefined && i >= fault.afterRecords) {
        job.unprocessed.push(row);
        return;
      }
      job.processed += 1;
      const outcome = applyRecord(job, header, row, dupes);
      if ('error' in outcome) {
        job.failed += 1;
        job.failedRows.push([outcome.id ?? '', outcome.error, ...row]);
      } else {
        job.successful.push([outcome.id, outcome.created ? 'true' : 'false', ...row]);
      }
    });
    if (fault !== undefined && data.length > fault.afterRecords) {
      job.state = 'Failed';
      job.errorMessage = fault.errorMessage;
    } else {
      job.state = 'JobComplete';
    }
  }

  function fieldsOf(object: string): LocalField[] {
    return LOCAL_SCHEMA[object]?.fields ?? [];
  }

  /** A header must name fields of the object, or Relationship.ExternalIdField of a lookup. */
  function checkHeader(job: LocalJob, header: string[]): string | undefined {
    const fields = fieldsOf(job.object);
    for (const h of header) {
      const dot = h.indexOf('.');
      if (dot < 0) {
        if (!fields.some((x) => x.name.toLowerCase() === h.toLowerCase()))
          return `InvalidBatch : Field name not found : ${h}`;
        continue;
      }
      const rel = fields.find((x) => x.relationshipName?.toLowerCase() === h.slice(0, dot).toLowerCase());
      const parent = rel?.referenceTo?.[0];
      const ext = fieldsOf(parent ?? '').find((x) => x.name.toLowerCase() === h.slice(dot + 1).toLowerCase());
      if (!rel || !ext?.externalId) return `InvalidBatch : Field name not found : ${h}`;
    }
    if (
      job.operation === 'upsert' &&
      !header.some((h) => h.toLowerCase() === job.externalIdFieldName?.toLowerCase())
    ) {
      return `InvalidBatch : External ID field ${job.externalIdFieldName} is missing from the header`;
    }
    return undefined;
  }

  function duplicateExternalIds(job: LocalJob, header: string[], data: string[][]): Set<string> {
    const dupes = new Set<string>();
    if (job.operation !== 'upsert') return dupes;
    const at = header.findIndex((h) => h.toLowerCase() === job.externalIdFieldName?.toLowerCase());
    const seen = new Set<string>();
    for (const row of data) {
      const v = (row[at] ?? '').toLowerCase();
      if (v === '') continue;
      if (seen.has(v)) dupes.add(v);
      seen.add(v);
    }
    return dupes;
  }

  // Unique and external-id fields are indexed (lower-cased, as Salesforce matches them) so lookups stay O(1).
  const indexes = new Map<string, Map<string, string>>();
  const indexKey = (object: string, field: string) => `${object}.${field}`;
  function findByExternalId(object: string, field: string, value: string): LocalRecord | undefined {
    const id = indexes.get(indexKey(object, field))?.get(value.toLowerCase());
    return id === undefined ? undefined : store.get(object)?.get(id);
  }
  function reindex(object: string, before: LocalRecord | undefined, after: LocalRecord): void {
    for (const field of fieldsOf(object)) {
      if (!field.unique && !field.externalId) continue;
      let index = indexes.get(indexKey(object, field.name));
      if (!index) indexes.set(indexKey(object, field.name), (index = new Map()));
      const old = before?.[field.name];
      if (old !== undefined && old !== null) index.delete(old.toLowerCase());
      const now = after[field.name];
      if (now !== undefined && now !== null) index.set(now.toLowerCase(), after.Id ?? '');
    }
  }

  /** Applies one record; returns its Id or Salesforce's error string. */
  function applyRecord(
    job: LocalJob,
    header: string[],
    row: string[],
    dupes: Set<string>,
  ): { id: string; created: boolean } | { error: string; id?: string } {
    const fields = fieldsOf(job.object);
    const values: LocalRecord = {};
    for (let j = 0; j < header.length; j++) {
      const h = header[j] ?? '';
      const raw = row[j] ?? '';
      if (raw === '') continue;
      const dot = h.indexOf('.');
      if (dot >= 0) {
        const rel = fields.find((x) => x.relationshipName?.toLowerCase() === h.slice(0, dot).toLowerCase());
        const parentObject = rel?.referenceTo?.[0] ?? '';
        const extField = h.slice(dot + 1);
        const parent = findByExternalId(parentObject, extField, raw);
        if (!parent) {
          return {
            error: `INVALID_FIELD:Foreign key external ID: ${raw} not found for field ${extField} in entity ${parentObject}:--`,
          };
        }
        values[rel?.name ?? ''] = parent.Id ?? null;
        continue;
      }
      const field = fields.find((x) => x.name.toLowerCase() === h.toLowerCase());
      if (!field) continue;
      if (raw === '#N/A') {
        values[field.name] = null;
        continue;
      }
      const bad = checkType(field, raw);
      if (bad !== undefined) return { error: bad };
      values[field.name] = normalize(field, raw);
    }
    const table = store.get(job.object) ?? new Map<string, LocalRecord>();
    let existing: LocalRecord | undefined;
    if (job.operation === 'update') {
      const id = values.Id;
      if (id === undefined || id === null)
        return { error: 'MISSING_ARGUMENT:Id not specified in an update call:--' };
      existing = table.get(id);
      if (!existing) return { error: `INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--` };
    } else if (job.operation === 'upsert') {
      const extField = job.externalIdFieldName ?? '';
      const ext = values[extField];
      if (ext === undefined || ext === null)
        return { error: `MISSING_ARGUMENT:${extField} not specified:--` };
      if (dupes.has(ext.toLowerCase())) {
        return { error: `DUPLICATE_EXTERNAL_ID:Duplicate external id specified: ${ext}:${extField} --` };
      }
      existing = findByExternalId(job.object, extField, ext);
    }
    if (existing) {
      for (const [k, v] of Object.entries(values)) {
        if (k === 'Id') continue;
        const field = fields.find((x) => x.name === k);
        if (field && !field.updateable)
          return {
            error: `INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: ${k}:${k} --`,
            id: existing.Id ?? '',
          };
        if (v === null && field && !field.nillable)
          return {
            error: `REQUIRED_FIELD_MISSING:Required fields are missing: [${k}]:${k} --`,
            id: existing.Id ?? '',
          };
      }
      const uniqueClash = uniqueViolation(job.object, values, existing.Id ?? '');
      if (uniqueClash) return { error: uniqueClash, id: existing.Id ?? '' };
      const before = { ...existing };
      Object.assign(existing, Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'Id')));
      reindex(job.object, before, existing);
      return { id: existing.Id ?? '', created: false };
    }
    const missing = fields.filter(
      (x) =>
        x.createable &&
        !x.nillable &&
        !x.defaultedOnCreate &&
        (values[x.name] === undefined || values[x.name] === null),
    );
    if (missing.length > 0) {
      const names = missing.map((x) => x.name);
      return {
        error: `REQUIRED_FIELD_MISSING:Required fields are missing: [${names.join(', ')}]:${names.join(',')} --`,
      };
    }
    for (const k of Object.keys(values)) {
      const field = fields.find((x) => x.name === k);
      if (field && !field.createable)
        return { error: `INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: ${k}:${k} --` };
    }
    const clash = uniqueViolation(job.object, values, '');
    if (clash) return { error: clash };
    const id = newId(LOCAL_SCHEMA[job.object]?.keyPrefix ?? '000');
    const created: LocalRecord = { Id: id, CreatedDate: new Date().toISOString() };
    for (const x of fields) if (x.type === 'boolean' && x.defaultedOnCreate) created[x.name] = 'false';
    Object.assign(created, values, { Id: id });
    table.set(id, created);
    reindex(job.object, undefined, created);
    return { id, created: true };
  }

  function uniqueViolation(object: string, values: LocalRecord, selfId: string): string | undefined {
    for (const field of fieldsOf(object)) {
      if (!field.unique) continue;
      const v = values[field.name];
      if (v === undefined || v === null) continue;
      const other = findByExternalId(object, field.name, v);
      if (other && other.Id !== selfId) {
        return `DUPLICATE_VALUE:duplicate value found: ${field.name} duplicates value on record with id: ${other.Id}:${field.name} --`;
      }
    }
    return undefined;
  }

  const server = await listen((req, res, body) => handle(req, res, body));
  baseUrl = server.url;
  return {
    ...server,
    requests,
    jobs,
    records: (object) => [...(store.get(object)?.values() ?? [])],
    throttleNext: (n, kind = '429', methods) => {
      throttle = { n, kind, methods };
    },
    failNextJob: (afterRecords, errorMessage = 'InternalServerError : Processing was interrupted') => {
      failNext = { afterRecords, errorMessage };
    },
    holdJobs: () => {
      hold = true;
    },
    releaseJobs: () => {
      hold = false;
      for (const id of heldJobs) {
        const job = jobs.get(id);
        if (job && job.state === 'InProgress') run(job);
      }
      heldJobs.clear();
    },
    dropNextPolls: (n) => {
      dropPolls = n;
    },
    addAccessToken: (token) => {
      tokens.add(token);
    },
    resetRequests: () => {
      requests.length = 0;
    },
  };
}

function checkType(field: LocalField, raw: string): string | undefined {
  const typeError = `INVALID_TYPE_ON_FIELD_IN_RECORD:${field.name}: value not of required type: ${raw}:${field.name} --`;
  switch (field.type) {
    case 'int':
      return /^-?\d{1,9}$/.test(raw) ? undefined : typeError;
    case 'double':
    case 'currency':
      return /^-?(\d+\.?\d*|\.\d+)$/.test(raw) ? undefined : typeError;
    case 'boolean':
      return /^(true|false|1|0|yes|no)$/i.test(raw) ? undefined : typeError;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`))
        ? undefined
        : typeError;
    case 'datetime':
      return Number.isNaN(Date.parse(raw)) ? typeError : undefined;
    case 'id':
    case 'reference':
      return /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(raw)
        ? undefined
        : `MALFORMED_ID:${field.name}: id value of incorrect type: ${raw}:${field.name} --`;
    case 'email':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw))
        return `INVALID_EMAIL_ADDRESS:${field.name}: invalid email address: ${raw}:${field.name} --`;
      break;
    case 'string':
      break;
  }
  if (field.length !== undefined && [...raw].length > field.length) {
    return `STRING_TOO_LONG:${field.name}: data value too large: ${raw} (max length=${field.length}):${field.name} --`;
  }
  return undefined;
}

function normalize(field: LocalField, raw: string): string {
  if (field.type === 'boolean') return /^(true|1|yes)$/i.test(raw) ? 'true' : 'false';
  return raw;
}

function describeField(x: LocalField) {
  return {
    name: x.name,
    type: x.type,
    length: x.length ?? 0,
    createable: x.createable,
    updateable: x.updateable,
    nillable: x.nillable,
    defaultedOnCreate: x.defaultedOnCreate,
    externalId: x.externalId ?? false,
    idLookup: x.name === 'Id' || (x.externalId ?? false),
    unique: x.unique ?? false,
    relationshipName: x.relationshipName ?? null,
    referenceTo: x.referenceTo ?? [],
  };
}

function jobInfo(job: LocalJob, version: string) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: '005000000000001AAA',
    createdDate: job.createdDate,
    systemModstamp: new Date().toISOString(),
    state: job.state,
    ...(job.externalIdFieldName !== undefined ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version),
    jobType: 'V2Ingest',
    contentUrl: `services/data/v${version}/jobs/ingest/${job.id}/batches`,
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.processed,
    numberRecordsFailed: job.failed,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    ...(job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
  };
}

/** Salesforce quotes every field of its result files. */
function quotedCsv(header: string[], rows: string[][]): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function soapFault(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${message}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}

function soapLoginResponse(serverUrl: string, sessionId: string, userId: string, orgId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result><passwordExpired>false</passwordExpired><sandbox>true</sandbox><serverUrl>${serverUrl}</serverUrl><sessionId>${sessionId}</sessionId><userId>${userId}</userId><userInfo><organizationId>${orgId}</organizationId><userId>${userId}</userId></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`;
}
