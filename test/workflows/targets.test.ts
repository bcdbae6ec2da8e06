/**
 * The distribute stage with several kinds of targets on a real dev server: a REST API (the local
 * server), a gzip CSV file, and a REST target whose host is not allowlisted. The failing target is
 * reported in status and the others still load, unless stopOnTargetFailure is set.
 */
import { gunzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineOutput } from '../../workflows/pipeline/contract.js';
import { startRestTargetServer, type RestTargetServer } from '../servers/rest-target-server.js';
import { smallConfig, startPipeline, useTestWorker } from '../support/temporal.js';

describe('distribute to REST, file and a failing target', () => {
  const t = useTestWorker();
  let api: RestTargetServer;
  let saved: string | undefined;

  beforeAll(async () => {
    api = await startRestTargetServer();
    saved = process.env.UNDERSTUDY_REST_ALLOWED_HOSTS;
    // Read by the worker when its first REST activity runs.
    process.env.UNDERSTUDY_REST_ALLOWED_HOSTS = new URL(api.url).host;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.UNDERSTUDY_REST_ALLOWED_HOSTS;
    else process.env.UNDERSTUDY_REST_ALLOWED_HOSTS = saved;
    await api.stop();
  });

  it('loads the REST API and the file while the blocked target is reported as failed', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 1500,
        chunkSize: 500,
        targets: [
          { type: 'rest', name: 'blocked', url: 'http://blocked.example.invalid/records' },
          { type: 'rest', name: 'crm', url: `${api.url}/records`, batchSize: 200 },
          { type: 'file', path: 'out/targets-test.csv.gz' },
        ],
      }),
    );
    const result = (await handle.result()) as PipelineOutput;
    expect(result.status).toBe('completed');
    const targets = result.metrics.targets ?? {};
    expect(targets['targets[0] blocked']?.error).toMatch(/allow/i);
    expect(targets['targets[1] crm']).toMatchObject({ loaded: 1500, failed: 0 });
    expect(targets['targets[2] out/targets-test.csv.gz']).toMatchObject({ loaded: 1500 });
    expect(api.stored).toHaveLength(1500);
    const csv = gunzipSync(
      await readFile(path.join(t.worker.outputRoot, 'out/targets-test.csv.gz')),
    ).toString('utf8');
    expect(csv.trimEnd().split('\n')).toHaveLength(1501);
    const report = await readFile(result.artifacts.reportMarkdown!.replace(/^file:\/\//, ''), 'utf8');
    expect(report).toMatch(/targets\[0\] blocked \| 0 \| FAILED: /);
    expect(report).toMatch(/targets\[1\] crm \| 1500 \| loaded 1500, skipped 0, failed 0/);
  });

  it('stops at the failing target when stopOnTargetFailure is set', async () => {
    const before = api.stored.length;
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 500,
        chunkSize: 500,
        stopOnTargetFailure: true,
        targets: [
          { type: 'rest', name: 'blocked', url: 'http://blocked.example.invalid/records' },
          { type: 'rest', name: 'crm', url: `${api.url}/records` },
        ],
      }),
    );
    await expect(handle.result()).rejects.toThrow();
    expect(api.stored.length).toBe(before);
  });
});
