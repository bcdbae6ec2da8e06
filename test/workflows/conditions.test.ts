/**
 * Conditional runs on the dev server: a run with `conditions` yields exactly N rows, every one
 * matching, and reports distance to closest record in its status, result and report; invalid
 * conditions fail the run with a ConfigError naming `conditions[i]…` and no value.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTableFile } from '../../integrations/tabular/index.js';
import { statusQuery, type PipelineOutput } from '../../workflows/pipeline/contract.js';
import { failureOf, smallConfig, startPipeline, useTestWorker } from '../support/temporal.js';

describe('conditional runs', () => {
  const t = useTestWorker();

  it('yields exactly N rows, all satisfying the conditions, and reports DCR', async () => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({
        rows: 2500,
        chunkSize: 900,
        synthesizer: 'copula',
        conditions: [
          { column: 'state', equals: 'CA' },
          { column: 'segment', in: ['consumer', 'enterprise'] },
          { column: 'is_active', equals: true },
        ],
        targets: [{ type: 'file', path: 'out/conditional.parquet' }],
      }),
    );
    const result = (await handle.result()) as PipelineOutput;
    expect(result.metrics.syntheticRows).toBe(2500);
    const table = await readTableFile(path.join(t.worker.outputRoot, 'out/conditional.parquet'), 'parquet');
    expect(table.rowCount).toBe(2500);
    const values = (name: string) => table.columns.find((c) => c.name === name)?.values ?? [];
    expect(values('state').every((v) => v === 'CA')).toBe(true);
    expect(values('segment').every((v) => v === 'consumer' || v === 'enterprise')).toBe(true);
    expect(values('is_active').every((v) => v === true)).toBe(true);
    expect(new Set(values('customer_id')).size).toBe(2500);

    const dcr = result.metrics.dcr;
    expect(dcr).toBeDefined();
    expect(dcr?.syntheticRows).toBe(2000);
    expect(dcr?.holdoutMedian).toBeGreaterThan(0);
    expect(dcr?.zeroShare).toBe(0);
    const status = await handle.query(statusQuery);
    expect(status.metrics.dcr).toEqual(dcr);
    expect(status.artifacts.dcr).toBeDefined();
    const markdown = await readFile(result.artifacts.reportMarkdown!.replace(/^file:\/\//, ''), 'utf8');
    expect(markdown).toContain('## Privacy: distance to closest record');
  });

  it.each([
    [[{ column: '', equals: 'CA' }], 'conditions[0].column'],
    [[{ column: 'state' }], 'conditions[0].equals'],
    [
      [
        { column: 'state', equals: 'CA' },
        { column: 'nation', equals: 'DE' },
      ],
      'conditions[1].column',
    ],
    [[{ column: 'state', equals: 'Zzyzx-Secret' }], 'conditions[0].equals'],
  ])('conditions %j fail the run with a ConfigError naming %s', async (conditions, field) => {
    const handle = await startPipeline(
      t.env.client,
      t.worker.taskQueue,
      smallConfig({ conditions: conditions as never }),
    );
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(field);
    expect(failure.message).not.toContain('Zzyzx');
  });
});
