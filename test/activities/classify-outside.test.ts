/**
 * The classify stage with an outside classifier (MockActivityEnvironment): a Confluence data dictionary
 * served by the local server in test/servers, reached through confluence.js, adds its evidence to the
 * local classifiers, cites the page, and never receives a sample value.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPipelineActivities } from '../../activities/index.js';
import type { SensitivityReport } from '../../core/pii/index.js';
import { createArtifactStore } from '../../integrations/storage/index.js';
import { createConfluenceClassifier } from '../../integrations/confluence/index.js';
import { readTableFile } from '../../integrations/tabular/index.js';
import { startConfluenceServer, type ConfluenceServer } from '../servers/confluence-server.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const EMAIL = 'svc-understudy@example.org';
const TOKEN = 'ATATT3xFfGF0-test-token';

function run<I, O>(env: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> {
  return env.run(fn, input) as Promise<O>;
}

describe('classifySample with a Confluence data dictionary', () => {
  let server: ConfluenceServer;
  beforeAll(async () => {
    server = await startConfluenceServer({ email: EMAIL, apiToken: TOKEN });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('folds the dictionary evidence into the report with the page cited, and sends no sample value', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-classify-'));
    const store = createArtifactStore({ root: path.join(work, 'artifacts') });
    const acts = createPipelineActivities({
      store,
      baseDir: repoRoot,
      outputRoot: path.join(work, 'output'),
      connectionUrl: () => undefined,
      piiClassifiers: [
        createConfluenceClassifier({ host: server.url, email: EMAIL, apiToken: TOKEN, spaceKey: 'DATA' }),
      ],
    });
    const env = new MockActivityEnvironment();
    const runKey = 'classify-outside/run-1';
    const ingest = await run(env, acts.ingestSource, { runKey, source: { uri: 'examples/customers.csv' } });
    const profile = await run(env, acts.profileSample, { runKey, sampleUri: ingest.sampleUri });
    const out = await run(env, acts.classifySample, {
      runKey,
      sampleUri: ingest.sampleUri,
      profileUri: profile.profileUri,
      tableName: 'customers',
    });
    const report = await store.getJson<SensitivityReport>(out.sensitivityUri);
    const email = report.fields.find((f) => f.column === 'email');
    const cited = email?.contributions?.find((c) => c.classifier === 'confluence');
    expect(cited?.kind).toBe('email');
    expect(cited?.source?.title).toContain('Data dictionary');
    expect(email?.sensitive).toBe(true);
    // Every field still carries the local classifiers' evidence.
    expect(
      report.fields.every((f) => (f.contributions ?? []).some((c) => c.classifier !== 'confluence')),
    ).toBe(true);

    expect(server.requests.length).toBeGreaterThan(0);
    const sample = await readTableFile(path.join(repoRoot, 'examples/customers.parquet'), 'parquet');
    const emails = (sample.columns.find((c) => c.name === 'email')?.values ?? []).slice(0, 200) as string[];
    const sent = JSON.stringify(server.requests);
    for (const value of emails) expect(sent.includes(value)).toBe(false);
  });
});
