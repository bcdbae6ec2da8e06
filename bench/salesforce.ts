/**
 * Salesforce target benchmark: an Account + Contact upsert (default 20,000 + 80,000 = 100,000 records, every
 * Contact linked to an Account by external id) through the loadSalesforceTarget activity (Parquet parts in
 * an artifact store, jsforce, Bulk API 2.0 job lifecycle, journal and heartbeats) against the local Salesforce
 * of test/servers, which runs in a child process so that client and "org" each get a core.
 *   npx tsx bench/salesforce.ts [--accounts 20000] [--contacts 80000] [--per-job 100000] [--poll 50ms] [--runs 3]
 * Prints wall time and records/s per run, per object, and how long the server spent processing jobs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createSalesforceActivities,
  type LoadSalesforceTargetOutput,
} from '../activities/distribute-salesforce.js';
import { partUri, runArtifact } from '../activities/paths.js';
import type { Table } from '../core/table.js';
import { readSalesforceCredentials } from '../integrations/salesforce/index.js';
import { createArtifactStore } from '../integrations/storage/index.js';
import { writeTableFile } from '../integrations/tabular/index.js';
import { parseSalesforceTarget } from '../workflows/pipeline/salesforce-target-schema.js';
import { prng } from './support/prng.js';

const TOKEN = '00D000000000001!bench';

if (process.argv.includes('--serve')) {
  // Child process: the local org, answering until the parent disconnects.
  const { startSalesforceServer } = await import('../test/servers/salesforce-server.js');
  const server = await startSalesforceServer({ accessTokens: [TOKEN], stepMs: 5 });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats')
      process.send?.({ type: 'stats', cpuMs: process.cpuUsage().user / 1000, jobs: server.jobs.size });
  });
  process.on('disconnect', () => void server.stop().then(() => process.exit(0)));
  process.send?.({ type: 'ready', url: server.url });
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '20000' },
      contacts: { type: 'string', default: '80000' },
      'per-job': { type: 'string', default: '100000' },
      poll: { type: 'string', default: '50ms' },
      runs: { type: 'string', default: '3' },
    },
  });
  const accountCount = Number(values.accounts);
  const contactCount = Number(values.contacts);
  const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-sf-bench-'));
  const store = createArtifactStore({ root: path.join(work, 'artifacts') });
  const child = fork(import.meta.filename, ['--serve'], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { type: string; url: string }) => resolve(m.url));
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const random = prng(7);
    const accountsPrefix = runArtifact(store, 'bench', 'Account');
    const contactsPrefix = runArtifact(store, 'bench', 'Contact');
    await writeTableFile(
      accounts(accountCount, random),
      store.localPath(partUri(accountsPrefix, 0)),
      'parquet',
    );
    await writeTableFile(
      contacts(contactCount, accountCount, random),
      store.localPath(partUri(contactsPrefix, 0)),
      'parquet',
    );

    const parsed = parseSalesforceTarget({
      type: 'salesforce',
      name: 'bench',
      recordsPerJob: Number(values['per-job']),
      pollInterval: values.poll,
      objects: [
        { object: 'Account', externalIdField: 'External_Id__c' },
        {
          object: 'Contact',
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
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const acts = createSalesforceActivities({
      store,
      baseDir: work,
      outputRoot: work,
      connectionUrl: () => undefined,
      salesforceCredentials: (c) =>
        readSalesforceCredentials({ UNDERSTUDY_SF_ACCESS_TOKEN: TOKEN, UNDERSTUDY_SF_INSTANCE_URL: url }, c),
    });
    const total = accountCount + contactCount;
    console.log(
      `records: ${accountCount} Account + ${contactCount} Contact = ${total}; recordsPerJob ${values['per-job']}; poll ${values.poll}; node ${process.version}; ${os.cpus().length} cores`,
    );
    for (let r = 0; r < Number(values.runs); r++) {
      const before = process.cpuUsage();
      const t0 = performance.now();
      // A new runKey per run: the first run inserts every record, later runs update them (upsert by external id).
      const out = (await new MockActivityEnvironment().run(acts.loadSalesforceTarget, {
        runKey: `bench-${r}`,
        target: parsed.target,
        tables: {
          Account: { partsPrefix: accountsPrefix, partCount: 1 },
          Contact: { partsPrefix: contactsPrefix, partCount: 1 },
        },
      })) as LoadSalesforceTargetOutput;
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(before);
      const loaded = out.totals.loaded;
      const perObject = out.objects
        .map(
          (o) =>
            `${o.object} ${o.loaded} in ${(o.durationMs / 1000).toFixed(2)} s (${Math.round(o.loaded / (o.durationMs / 1000))}/s, ${o.jobs.length} job)`,
        )
        .join('; ');
      console.log(
        `run ${r + 1} (${r === 0 ? 'insert' : 'update'}): ${loaded} loaded, ${out.totals.failed} failed in ${(wall / 1000).toFixed(2)} s = ${Math.round(loaded / (wall / 1000))} records/s; client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; ${perObject}`,
      );
      if (out.totals.failed > 0 || loaded !== total) throw new Error('bench load was not clean');
    }
    child.send({ type: 'stats' });
    const stats = await new Promise<{ cpuMs: number; jobs: number }>((resolve) =>
      child.once('message', (m: { cpuMs: number; jobs: number }) => resolve(m)),
    );
    console.log(`server process: ${stats.cpuMs.toFixed(0)} ms user CPU in total, ${stats.jobs} jobs`);
  } finally {
    stop(child);
    await rm(work, { recursive: true, force: true });
  }
}

function stop(child: ChildProcess): void {
  if (child.connected) child.disconnect();
}

function accounts(n: number, random: () => number): Table {
  const ids = Array.from({ length: n }, (_, i) => `ACC-${String(i).padStart(7, '0')}`);
  return {
    rowCount: n,
    columns: [
      { name: 'External_Id__c', type: 'string', values: ids },
      {
        name: 'Name',
        type: 'string',
        values: ids.map((_, i) => `Company ${i} ${random() < 0.3 ? 'GmbH' : 'Inc.'}`),
      },
      {
        name: 'Industry',
        type: 'string',
        values: ids.map(() => ['Banking', 'Retail', 'Energy', 'Media'][Math.floor(random() * 4)] ?? null),
      },
      { name: 'NumberOfEmployees', type: 'integer', values: ids.map(() => Math.floor(random() * 50_000)) },
      { name: 'AnnualRevenue', type: 'float', values: ids.map(() => Math.round(random() * 1e9) / 100) },
      { name: 'Website', type: 'string', values: ids.map((_, i) => `https://company${i}.example.com`) },
    ],
  };
}

function contacts(n: number, accountCount: number, random: () => number): Table {
  const ids = Array.from({ length: n }, (_, i) => `CON-${String(i).padStart(7, '0')}`);
  return {
    rowCount: n,
    columns: [
      { name: 'External_Id__c', type: 'string', values: ids },
      {
        name: 'FirstName',
        type: 'string',
        values: ids.map(() => ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eve'][Math.floor(random() * 5)] ?? null),
      },
      { name: 'LastName', type: 'string', values: ids.map((_, i) => `Person${i}`) },
      { name: 'Email', type: 'string', values: ids.map((_, i) => `person${i}@example.org`) },
      {
        name: 'Birthdate',
        type: 'date',
        values: ids.map(
          () =>
            `19${50 + Math.floor(random() * 50)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
        ),
      },
      {
        name: 'account_ref',
        type: 'string',
        values: ids.map(() => `ACC-${String(Math.floor(random() * accountCount)).padStart(7, '0')}`),
      },
    ],
  };
}
