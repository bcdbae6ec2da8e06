/**
 * The Salesforce target activity (MockActivityEnvironment) against the local Salesforce in test/servers,
 * reached through jsforce: lookup order, a worker stopped mid-poll and restarted from its heartbeat (same job,
 * no second job, results before any delete), unprocessed records resubmitted, per-record failures without
 * data values, request limits, and a finished target that a re-run skips.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import {
  createSalesforceActivities,
  SalesforceFailureType,
  type LoadSalesforceTargetInput,
  type LoadSalesforceTargetOutput,
  type SalesforceHeartbeat,
} from '../../activities/distribute-salesforce.js';
import { mapFailures } from '../../activities/failures.js';
import { partUri, runArtifact } from '../../activities/paths.js';
import type { Table } from '../../core/table.js';
import { readSalesforceCredentials } from '../../integrations/salesforce/index.js';
import { createArtifactStore, type ArtifactStore } from '../../integrations/storage/index.js';
import { writeTableFile } from '../../integrations/tabular/index.js';
import {
  parseSalesforceTarget,
  type SalesforceTargetConfigInput,
} from '../../workflows/pipeline/salesforce-target-schema.js';
import { startSalesforceServer, type SalesforceServer } from '../servers/salesforce-server.js';

const TOKEN = '00D000000000001!test-access-token';

function accounts(n: number): Table {
  const ids = Array.from({ length: n }, (_, i) => `ACC-${i}`);
  return {
    rowCount: n,
    columns: [
      { name: 'External_Id__c', type: 'string', values: ids },
      { name: 'Name', type: 'string', values: ids.map((_, i) => `Account ${i}, Ltd "quoted"`) },
      { name: 'NumberOfEmployees', type: 'integer', values: ids.map((_, i) => i * 3) },
      { name: 'AnnualRevenue', type: 'float', values: ids.map((_, i) => (i % 5 === 0 ? null : i * 1000.5)) },
    ],
  };
}

function contacts(n: number, accountCount: number): Table {
  const ids = Array.from({ length: n }, (_, i) => `CON-${i}`);
  return {
    rowCount: n,
    columns: [
      { name: 'External_Id__c', type: 'string', values: ids },
      { name: 'FirstName', type: 'string', values: ids.map((_, i) => `First${i}`) },
      { name: 'LastName', type: 'string', values: ids.map((_, i) => `Last${i}`) },
      { name: 'Email', type: 'string', values: ids.map((_, i) => `person${i}@example.org`) },
      {
        name: 'Birthdate',
        type: 'date',
        values: ids.map((_, i) => `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`),
      },
      { name: 'account_ref', type: 'string', values: ids.map((_, i) => `ACC-${i % accountCount}`) },
    ],
  };
}

function target(overrides: Partial<SalesforceTargetConfigInput> = {}) {
  const parsed = parseSalesforceTarget({
    type: 'salesforce',
    name: 'crm',
    // Contact first on purpose: the lookup must put Account before it.
    objects: [
      {
        object: 'Contact',
        operation: 'upsert',
        externalIdField: 'External_Id__c',
        lookups: [
          {
            column: 'account_ref',
            relationship: 'Account',
            object: 'Account',
            externalIdField: 'External_Id__c',
          },
        ],
      },
      { object: 'Account', operation: 'upsert', externalIdField: 'External_Id__c' },
    ],
    pollInterval: '20ms',
    pollTimeout: '20s',
    ...overrides,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.target;
}

describe('loadSalesforceTarget', () => {
  let server: SalesforceServer;
  let work: string;
  let store: ArtifactStore;

  beforeEach(async () => {
    server = await startSalesforceServer({ accessTokens: [TOKEN], stepMs: 5 });
    work = await mkdtemp(path.join(os.tmpdir(), 'understudy-sf-'));
    store = createArtifactStore({ root: path.join(work, 'artifacts') });
  });
  afterEach(async () => {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  });

  function activities() {
    const env = { UNDERSTUDY_SF_ACCESS_TOKEN: TOKEN, UNDERSTUDY_SF_INSTANCE_URL: server.url };
    return createSalesforceActivities({
      store,
      baseDir: work,
      outputRoot: work,
      connectionUrl: () => undefined,
      salesforceCredentials: (c) => readSalesforceCredentials(env, c),
      salesforceRateLimit: { retries: 3, delayMs: 5 },
      salesforceHeartbeatMs: 50,
    });
  }

  async function writeParts(table: string, parts: Table[]) {
    const prefix = runArtifact(store, 'run-1', 'synthetic', table);
    for (const [k, t] of parts.entries())
      await writeTableFile(t, store.localPath(partUri(prefix, k)), 'parquet');
    return { partsPrefix: prefix, partCount: parts.length };
  }

  async function input(
    overrides: Partial<SalesforceTargetConfigInput> = {},
    accountRows = 10,
    contactRows = 25,
  ) {
    return {
      runKey: 'run-1',
      target: target(overrides),
      field: 'targets[0]',
      tables: {
        Account: await writeParts('Account', [accounts(accountRows)]),
        Contact: await writeParts('Contact', [contacts(contactRows, accountRows)]),
      },
    } satisfies LoadSalesforceTargetInput;
  }

  function run(
    env: MockActivityEnvironment,
    i: LoadSalesforceTargetInput,
  ): Promise<LoadSalesforceTargetOutput> {
    const fn = mapFailures(activities().loadSalesforceTarget);
    return env.run(fn, i) as Promise<LoadSalesforceTargetOutput>;
  }

  it('loads Account before Contact, children linked to parents by external id', async () => {
    const out = await run(new MockActivityEnvironment(), await input());
    expect(out.objects.map((o) => [o.object, o.loaded, o.failed, o.skipped])).toEqual([
      ['Account', 10, 0, 0],
      ['Contact', 25, 0, 0],
    ]);
    expect(out.totals).toMatchObject({ loaded: 35, failed: 0, skipped: 0 });
    // Every Account job finished (its results read) before the first Contact job was created.
    const creates = server.requests.filter((r) => r.action === 'create');
    const contactCreate = creates.find((r) => server.jobs.get(r.jobId ?? '')?.object === 'Contact');
    const accountResults = server.requests.filter(
      (r) => r.action === 'successfulResults' && server.jobs.get(r.jobId ?? '')?.object === 'Account',
    );
    expect(contactCreate).toBeDefined();
    expect(accountResults.length).toBeGreaterThan(0);
    expect(Math.max(...accountResults.map((r) => r.seq))).toBeLessThan(contactCreate?.seq ?? 0);

    const accountsById = new Map(server.records('Account').map((a) => [a.Id, a]));
    const contactsStored = server.records('Contact');
    expect(contactsStored).toHaveLength(25);
    for (const c of contactsStored) {
      const n = Number(c.External_Id__c?.slice(4));
      expect(accountsById.get(c.AccountId ?? '')?.External_Id__c).toBe(`ACC-${n % 10}`);
    }
    expect(server.records('Account').find((a) => a.External_Id__c === 'ACC-3')?.Name).toBe(
      'Account 3, Ltd "quoted"',
    );
    // Jobs are deleted only after their results were read.
    for (const [id] of server.jobs) {
      const del = server.requests.find((r) => r.action === 'delete' && r.jobId === id);
      const reads = server.requests.filter((r) => r.jobId === id && r.action.endsWith('Results'));
      expect(del).toBeDefined();
      expect(reads.length).toBe(2);
      for (const r of reads) expect(r.seq).toBeLessThan(del?.seq ?? 0);
    }
  });

  it('upsert updates by external id: a second load of changed rows creates no records', async () => {
    const first = await input();
    await run(new MockActivityEnvironment(), first);
    const changed = accounts(10);
    (changed.columns[1] as { values: string[] }).values = changed.columns[1]?.values.map(
      (_, i) => `Renamed ${i}`,
    ) as string[];
    const again = {
      ...first,
      runKey: 'run-2',
      tables: { ...first.tables, Account: await writeParts('Account-v2', [changed]) },
    };
    const out = await run(new MockActivityEnvironment(), again);
    expect(out.objects.find((o) => o.object === 'Account')?.loaded).toBe(10);
    expect(server.records('Account')).toHaveLength(10);
    expect(server.records('Contact')).toHaveLength(25);
    expect(server.records('Account').find((a) => a.External_Id__c === 'ACC-7')?.Name).toBe('Renamed 7');
  });

  it('restarted with heartbeat details after a stop mid-poll: polls the same job, creates no second job, reads results before any delete', async () => {
    const i = await input({ deleteJobs: true });
    server.holdJobs();
    const first = new MockActivityEnvironment();
    let last: SalesforceHeartbeat | undefined;
    let pollingBeats = 0;
    first.on('heartbeat', (d: SalesforceHeartbeat) => {
      last = d;
      // The worker "dies" after it polled the Account job at least once (the first polling beat is the save).
      if (d.phase === 'polling' && d.object === 'Account' && ++pollingBeats === 3) first.cancel();
    });
    await expect(run(first, i)).rejects.toThrow();
    expect(last?.phase).toBe('polling');
    const heldJob = last?.jobId;
    expect(heldJob).toMatch(/^750/);
    // A killed worker cleans nothing up: the job was neither aborted nor deleted.
    expect(server.requests.filter((r) => r.action === 'abort' || r.action === 'delete')).toEqual([]);
    expect(server.jobs.get(heldJob ?? '')?.state).toBe('InProgress');

    // Only the heartbeat survives: the journal is removed to prove the heartbeat alone is enough.
    await rm(store.localPath(runArtifact(store, 'run-1', 'salesforce', 'crm', 'cursor.json')));
    const createsBefore = server.requests.filter((r) => r.action === 'create').length;
    const restartSeq = server.requests.length;
    server.releaseJobs();
    const second = new MockActivityEnvironment({ heartbeatDetails: last, attempt: 2 });
    const out = await run(second, i);

    const accountCreates = server.requests.filter(
      (r) => r.action === 'create' && server.jobs.get(r.jobId ?? '')?.object === 'Account',
    );
    expect(accountCreates).toHaveLength(1);
    expect(server.requests.filter((r) => r.action === 'create').length).toBe(createsBefore + 1); // the Contact job
    const polls = server.requests.filter((r) => r.action === 'info' && r.jobId === heldJob);
    expect(polls.filter((r) => r.seq <= restartSeq).length).toBeGreaterThan(0);
    expect(polls.filter((r) => r.seq > restartSeq).length).toBeGreaterThan(0);
    const del = server.requests.find((r) => r.action === 'delete' && r.jobId === heldJob);
    const resultReads = server.requests.filter(
      (r) => r.jobId === heldJob && /Results$|unprocessedrecords/.test(r.action),
    );
    expect(resultReads.map((r) => r.action).sort()).toEqual([
      'failedResults',
      'successfulResults',
      'unprocessedrecords',
    ]);
    expect(del).toBeDefined();
    for (const r of resultReads) expect(r.seq).toBeLessThan(del?.seq ?? 0);
    expect(out.objects.find((o) => o.object === 'Account')).toMatchObject({
      loaded: 10,
      failed: 0,
      jobs: [heldJob],
    });
    expect(server.records('Account')).toHaveLength(10);
    expect(server.records('Contact')).toHaveLength(25);
  });

  it('restarted without heartbeat details: the journal names the job, so no second job is created', async () => {
    const i = await input();
    server.holdJobs();
    const first = new MockActivityEnvironment();
    first.on('heartbeat', (d: SalesforceHeartbeat) => {
      if (d.phase === 'polling') first.cancel();
    });
    await expect(run(first, i)).rejects.toThrow();
    server.releaseJobs();
    const out = await run(new MockActivityEnvironment({ attempt: 2 }), i);
    expect(server.requests.filter((r) => r.action === 'create')).toHaveLength(2);
    expect(out.totals).toMatchObject({ loaded: 35, failed: 0 });
  });

  it('a re-run of a finished target skips everything and creates no job', async () => {
    const i = await input();
    await run(new MockActivityEnvironment(), i);
    const creates = server.requests.filter((r) => r.action === 'create').length;
    const out = await run(new MockActivityEnvironment(), i);
    expect(server.requests.filter((r) => r.action === 'create').length).toBe(creates);
    expect(out.objects.map((o) => [o.object, o.loaded, o.skipped])).toEqual([
      ['Account', 0, 10],
      ['Contact', 0, 25],
    ]);
    expect(server.records('Contact')).toHaveLength(25);
  });

  it('resubmits unprocessed records in a new job, recorded in the heartbeat', async () => {
    const i = await input({}, 10, 25);
    server.failNextJob(4);
    const env = new MockActivityEnvironment();
    const beats: SalesforceHeartbeat[] = [];
    env.on('heartbeat', (d: SalesforceHeartbeat) => beats.push(structuredClone(d)));
    const out = await run(env, i);
    const account = out.objects.find((o) => o.object === 'Account');
    expect(account).toMatchObject({ loaded: 10, failed: 0 });
    expect(account?.resubmittedJobs).toHaveLength(1);
    expect(account?.jobErrors).toEqual(['InternalServerError']);
    expect(beats.some((b) => b.object === 'Account' && b.resubmittedJobs.length === 1)).toBe(true);
    // The resubmitted job carried exactly the six records the failed job left unprocessed.
    const resubmitted = server.jobs.get(account?.resubmittedJobs[0] ?? '');
    expect(resubmitted?.processed).toBe(6);
    expect(server.records('Account')).toHaveLength(10);
    expect(server.records('Contact')).toHaveLength(25);
  });

  it('reports records still unprocessed after the allowed resubmissions as failed, by row', async () => {
    const i = await input({ maxResubmits: 0 }, 10, 5);
    server.failNextJob(7);
    const out = await run(new MockActivityEnvironment(), i);
    const account = out.objects.find((o) => o.object === 'Account');
    expect(account).toMatchObject({ loaded: 7, failed: 3, resubmittedJobs: [] });
    expect(account?.failuresByStatus).toEqual({ InternalServerError: 3 });
    expect(account?.failures.map((f) => f.row).sort()).toEqual([7, 8, 9]);
  });

  it('reports per-record failures with status code, fields and row, never a value', async () => {
    const bad = contacts(6, 3);
    const col = (name: string) => bad.columns.find((c) => c.name === name)?.values as (string | null)[];
    col('Email')[1] = 'secret-not-an-email';
    col('LastName')[2] = null;
    col('account_ref')[3] = 'ACC-DOES-NOT-EXIST-777';
    col('FirstName')[4] = 'Xy'.repeat(30);
    const i = {
      runKey: 'run-1',
      target: target(),
      field: 'targets[0]',
      tables: {
        Account: await writeParts('Account', [accounts(3)]),
        Contact: await writeParts('Contact', [bad]),
      },
    };
    const out = await run(new MockActivityEnvironment(), i);
    const contact = out.objects.find((o) => o.object === 'Contact');
    expect(contact).toMatchObject({ loaded: 2, failed: 4 });
    const byRow = Object.fromEntries((contact?.failures ?? []).map((f) => [f.row, f]));
    expect(byRow[1]).toEqual({ row: 1, statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] });
    expect(byRow[2]).toEqual({ row: 2, statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
    expect(byRow[3]).toEqual({ row: 3, statusCode: 'INVALID_FIELD', fields: ['Account.External_Id__c'] });
    expect(byRow[4]).toEqual({ row: 4, statusCode: 'STRING_TOO_LONG', fields: ['FirstName'] });
    // Salesforce's own messages quoted the values; nothing of them reaches the output.
    const text = JSON.stringify(out);
    for (const value of ['secret-not-an-email', 'ACC-DOES-NOT-EXIST-777', 'XyXy', 'CON-'])
      expect(text).not.toContain(value);
  });

  it('rides out request-limit refusals, and hands a persistent one to Temporal with a retry delay', async () => {
    const i = await input({}, 3, 3);
    server.throttleNext(2, 'REQUEST_LIMIT_EXCEEDED', ['POST', 'PATCH']);
    const ok = await run(new MockActivityEnvironment(), i);
    expect(ok.totals.loaded).toBe(6);
    expect(server.requests.filter((r) => r.action === 'throttled')).toHaveLength(2);

    server.throttleNext(100, '429', ['POST']);
    const err = await run(new MockActivityEnvironment(), { ...i, runKey: 'run-limits' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe(SalesforceFailureType.RateLimited);
    expect((err as ApplicationFailure).nextRetryDelay).toBeDefined();
  });

  it('fails with a ConfigError naming the field when the org has no such field', async () => {
    const i = await input({
      objects: [
        {
          object: 'Account',
          operation: 'upsert',
          externalIdField: 'External_Id__c',
          fields: { External_Id__c: 'External_Id__c', Name: 'Nmae' },
        },
      ],
    });
    const err = await run(new MockActivityEnvironment(), i).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('ConfigError');
    expect((err as ApplicationFailure).message).toContain('targets[0].objects[0].fields.Name');
    expect(server.requests.filter((r) => r.action === 'create')).toEqual([]);
  });
});
