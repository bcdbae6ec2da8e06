/**
 * The Salesforce integration through jsforce against the local Salesforce in test/servers: every login flow,
 * a poll timeout that leaves the job for the next attempt (and jsforce's own helper, which deletes it),
 * dropped polls, insert and update by Id, and a job that fails as a whole (InvalidBatch) without resubmission.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { Table } from '../../core/table.js';
import {
  connectSalesforce,
  createBulkIngestClient,
  createTargetCursor,
  loadSalesforceTarget,
  pollJobUntilFinished,
  SalesforceTransientError,
  toBulkCsv,
  type ObjectSpec,
  type TargetCursor,
} from '../../integrations/salesforce/index.js';
import { startSalesforceServer, type SalesforceServer } from '../servers/salesforce-server.js';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const creds = {
  username: 'loader@example.org.sandbox',
  password: 'Pa55word!token',
  clientId: '3MVG9-client',
  clientSecret: 'shh-secret',
};

describe('Salesforce integration (local org)', () => {
  let server: SalesforceServer;
  beforeEach(async () => {
    server = await startSalesforceServer({
      ...creds,
      jwtPublicKey: keys.publicKey,
      accessTokens: ['token-1'],
      stepMs: 5,
    });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('logs in by SOAP, OAuth2 password, client credentials, JWT bearer and access token', async () => {
    const soap = await connectSalesforce({
      kind: 'password',
      loginUrl: server.url,
      username: creds.username,
      password: creds.password,
    });
    const oauthPassword = await connectSalesforce({ kind: 'password', loginUrl: server.url, ...creds });
    const cc = await connectSalesforce({
      kind: 'clientCredentials',
      loginUrl: server.url,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
    });
    const jwt = await connectSalesforce({
      kind: 'jwt',
      loginUrl: server.url,
      clientId: creds.clientId,
      username: creds.username,
      privateKey: keys.privateKey,
      audience: 'https://login.salesforce.com',
    });
    const token = await connectSalesforce({
      kind: 'accessToken',
      instanceUrl: server.url,
      accessToken: 'token-1',
    });
    for (const conn of [soap, oauthPassword, cc, jwt, token]) {
      const d = await conn.describe('Account');
      expect(d.name).toBe('Account');
    }
    expect(server.requests.filter((r) => r.action === 'soapLogin')).toHaveLength(1);
    expect(server.requests.filter((r) => r.action === 'token' && r.status === 200)).toHaveLength(3);
  });

  it('refused logins are ConfigErrors that carry no secret', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const attempts = [
      connectSalesforce({
        kind: 'password',
        loginUrl: server.url,
        username: creds.username,
        password: 'wrong-Pa55',
      }),
      connectSalesforce({
        kind: 'clientCredentials',
        loginUrl: server.url,
        clientId: creds.clientId,
        clientSecret: 'wrong-secret',
      }),
      connectSalesforce({
        kind: 'jwt',
        loginUrl: server.url,
        clientId: creds.clientId,
        username: creds.username,
        privateKey: other.privateKey,
        audience: 'https://login.salesforce.com',
      }),
    ];
    for (const attempt of attempts) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).not.toMatch(/wrong|Pa55|secret/);
    }
    const expired = await connectSalesforce({
      kind: 'accessToken',
      instanceUrl: server.url,
      accessToken: 'expired',
    });
    const client = createBulkIngestClient(expired);
    await expect(
      client.createJob({ object: 'Account', operation: 'insert', lookups: [] }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('a poll timeout leaves the job alone, and the next poll of the same job finishes it', async () => {
    const conn = await connectSalesforce({
      kind: 'accessToken',
      instanceUrl: server.url,
      accessToken: 'token-1',
    });
    const client = createBulkIngestClient(conn);
    server.holdJobs();
    const job = await client.createJob({ object: 'Account', operation: 'insert', lookups: [] });
    await client.uploadCsv(job.id, toBulkCsv(['Name'], [['A'], ['B']]));
    await client.closeJob(job.id);
    const err = await pollJobUntilFinished(client, job.id, { intervalMs: 10, timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SalesforceTransientError);
    expect(server.requests.filter((r) => r.action === 'delete' || r.action === 'abort')).toEqual([]);
    server.releaseJobs();
    server.dropNextPolls(1); // jsforce retries a GET whose connection was reset
    const info = await pollJobUntilFinished(client, job.id, { intervalMs: 10, timeoutMs: 5000 });
    expect(info).toMatchObject({ id: job.id, state: 'JobComplete', numberRecordsProcessed: 2 });
    expect(server.requests.some((r) => r.status === -1)).toBe(true);
  });

  it("jsforce's loadAndWaitForResults deletes the job on a poll timeout (why this target drives the lifecycle itself)", async () => {
    const conn = await connectSalesforce({
      kind: 'accessToken',
      instanceUrl: server.url,
      accessToken: 'token-1',
    });
    server.holdJobs();
    await expect(
      conn.bulk2.loadAndWaitForResults({
        object: 'Account',
        operation: 'insert',
        input: 'Name\nA\n',
        pollInterval: 10,
        pollTimeout: 100,
      }),
    ).rejects.toThrow(/timed out/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The helper's name check misses its own JobPollingTimeout error, so it fires a delete.
    expect(server.requests.filter((r) => r.action === 'delete')).toHaveLength(1);
  });

  it('inserts, then updates by Id, reporting an unknown Id per record', async () => {
    const conn = await connectSalesforce({
      kind: 'accessToken',
      instanceUrl: server.url,
      accessToken: 'token-1',
    });
    const client = createBulkIngestClient(conn);
    const options = {
      pollIntervalMs: 10,
      pollTimeoutMs: 5000,
      maxResubmits: 1,
      deleteJobs: true,
      maxReportedFailures: 10,
    };
    const insertTable: Table = {
      rowCount: 3,
      columns: [{ name: 'Name', type: 'string', values: ['a', 'b', 'c'] }],
    };
    const run = async (objects: ObjectSpec[], table: Table, start: TargetCursor = createTargetCursor()) =>
      loadSalesforceTarget(
        {
          conn,
          client,
          objects,
          field: 't',
          source: () => ({
            columns: async () => table.columns.map((c) => c.name),
            chunks: async function* (from) {
              if (from === 0) yield { startRow: 0, table };
            },
          }),
          options,
          save: async () => undefined,
        },
        start,
      );
    const [inserted] = await run([{ object: 'Account', operation: 'insert', lookups: [] }], insertTable);
    expect(inserted).toMatchObject({ loaded: 3, failed: 0 });
    const ids = server.records('Account').map((a) => a.Id ?? '');
    const updateTable: Table = {
      rowCount: 3,
      columns: [
        { name: 'Id', type: 'string', values: [ids[0] ?? '', ids[1] ?? '', '001999999999999AAA'] },
        { name: 'Name', type: 'string', values: ['A2', 'B2', 'ghost'] },
      ],
    };
    const [updated] = await run([{ object: 'Account', operation: 'update', lookups: [] }], updateTable);
    expect(updated).toMatchObject({
      loaded: 2,
      failed: 1,
      failuresByStatus: { INVALID_CROSS_REFERENCE_KEY: 1 },
    });
    expect(updated?.failures).toEqual([{ row: 2, statusCode: 'INVALID_CROSS_REFERENCE_KEY', fields: [] }]);
    expect(
      server
        .records('Account')
        .map((a) => a.Name)
        .sort(),
    ).toEqual(['A2', 'B2', 'c']);
  });

  it('a job that fails as a whole (InvalidBatch) is reported, not resubmitted', async () => {
    const conn = await connectSalesforce({
      kind: 'accessToken',
      instanceUrl: server.url,
      accessToken: 'token-1',
    });
    const client = createBulkIngestClient(conn);
    const table: Table = {
      rowCount: 2,
      columns: [
        { name: 'Name', type: 'string', values: ['a', 'b'] },
        { name: 'Colour__c', type: 'string', values: ['red', 'blue'] },
      ],
    };
    const [report] = await loadSalesforceTarget(
      {
        conn,
        client,
        objects: [{ object: 'Account', operation: 'insert', lookups: [] }],
        field: 't',
        source: () => ({
          columns: async () => ['Name', 'Colour__c'],
          chunks: async function* () {
            yield { startRow: 0, table };
          },
        }),
        options: {
          pollIntervalMs: 10,
          pollTimeoutMs: 5000,
          maxResubmits: 2,
          deleteJobs: false,
          maxReportedFailures: 10,
          describe: false,
        },
        save: async () => undefined,
      },
      createTargetCursor(),
    );
    expect(report).toMatchObject({
      loaded: 0,
      failed: 2,
      jobErrors: ['InvalidBatch'],
      resubmittedJobs: [],
      failuresByStatus: { InvalidBatch: 2 },
    });
    expect(server.requests.filter((r) => r.action === 'create')).toHaveLength(1);
    expect(JSON.stringify(report)).not.toContain('Colour__c');
  });
});
