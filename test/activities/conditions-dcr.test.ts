/**
 * Conditional runs and DCR at the activity level (MockActivityEnvironment): fitModel checks the
 * conditions against the sample and the model (errors name `conditions[i]…`, never a value), the
 * chunks yield only matching rows, evaluateQuality reports distance to closest record with its
 * holdout reference, and the run report shows it.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PipelineActivities } from '../../activities/index.js';
import type { FitModelInput } from '../../activities/synthesize.js';
import { readTableFile } from '../../integrations/tabular/index.js';
import { analyzeSample, createTestActivities, runActivity as run } from '../support/activity-run.js';

const filePath = (uri: string) => uri.replace(/^file:\/\//, '');

describe('conditions and DCR in the stage activities', () => {
  let acts: PipelineActivities;
  const runKey = 'conditions-test/run-1';
  let base: Omit<FitModelInput, 'conditions'>;

  beforeAll(async () => {
    ({ acts } = await createTestActivities('understudy-cond-'));
    ({ base } = await analyzeSample(acts, runKey));
  });

  async function fitFailure(
    conditions: unknown[],
    extra: Partial<FitModelInput> = {},
  ): Promise<ApplicationFailure> {
    const err = await new MockActivityEnvironment()
      .run(acts.fitModel, { ...base, ...extra, conditions })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }

  it.each([
    [[{ column: 'nation', equals: 'DE' }], 'conditions[0].column'],
    [
      [
        { column: 'segment', equals: 'consumer' },
        { column: 'segment', in: ['enterprise', 'Zzyzx-Secret'] },
      ],
      'conditions[1].in[1]',
    ],
    [[{ column: 'state', equals: 'Zzyzx-Secret' }], 'conditions[0].equals'],
    // A sensitive column is faked: it cannot be conditioned.
    [[{ column: 'email', equals: 'orion_hamill74@hotmail.com' }], 'conditions[0].column'],
  ])('fitModel rejects %j as a ConfigError naming %s and no value', async (conditions, field) => {
    const err = await fitFailure(conditions);
    expect(err.type).toBe('ConfigError');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain(`${field}:`);
    expect(err.message).not.toContain('Zzyzx');
    expect(err.message).not.toContain('orion');
  });

  it('fitModel rejects an edge-case rule that would rewrite a conditioned column', async () => {
    const err = await fitFailure([{ column: 'state', equals: 'CA' }], {
      edgeCases: { rules: [{ kind: 'null', column: 'state', frequency: 0.01 }], tag: 'sidecar' },
    });
    expect(err.type).toBe('ConfigError');
    expect(err.message).toContain('edgeCases.rules[0].column');
  });

  it('yields only matching rows, the same for any chunking, and reports DCR with its holdout reference', async () => {
    const env = new MockActivityEnvironment();
    const fit = await run(env, acts.fitModel, {
      ...base,
      conditions: [
        { column: 'state', equals: 'CA' },
        { column: 'segment', in: ['consumer', 'enterprise'] },
      ],
    });
    expect(fit.generationUri).toBeDefined();
    const plan = JSON.parse(await readFile(filePath(fit.generationUri as string), 'utf8'));
    expect(plan.conditions).toHaveLength(2);
    const chunk = (chunkIndex: number, startRow: number, rowCount: number, partsPrefix = fit.partsPrefix) =>
      run(env, acts.synthesizeChunk, {
        runKey,
        modelUri: fit.modelUri,
        partsPrefix,
        sampleUri: base.sampleUri,
        generationUri: fit.generationUri,
        seed: 9,
        chunkIndex,
        startRow,
        rowCount,
        totalRows: 3000,
      });
    const parts = [await chunk(0, 0, 1800), await chunk(1, 1800, 1200)];
    expect(parts.map((p) => p.rows)).toEqual([1800, 1200]);
    const tables = await Promise.all(parts.map((p) => readTableFile(filePath(p.partUri), 'parquet')));
    const column = (name: string) =>
      tables.flatMap((t) => t.columns.find((c) => c.name === name)?.values ?? []);
    expect(column('state')).toHaveLength(3000);
    expect(column('state').every((v) => v === 'CA')).toBe(true);
    expect(column('segment').every((v) => v === 'consumer' || v === 'enterprise')).toBe(true);
    expect(new Set(column('customer_id')).size).toBe(3000);
    // Other chunking, same rows.
    const whole = await chunk(0, 0, 3000, `${fit.partsPrefix}-whole`);
    const wholeTable = await readTableFile(filePath(whole.partUri), 'parquet');
    expect(wholeTable.columns.find((c) => c.name === 'state')?.values).toEqual(column('state'));
    expect(wholeTable.columns.find((c) => c.name === 'age')?.values).toEqual(column('age'));

    const evaluated = await run(env, acts.evaluateQuality, {
      runKey,
      sampleUri: base.sampleUri,
      profileUri: base.profileUri,
      sensitivityUri: base.sensitivityUri,
      partsPrefix: fit.partsPrefix,
      partCount: 2,
      exactCopies: 0,
      rowsChecked: 3000,
    });
    const dcr = evaluated.dcr;
    expect(dcr).toBeDefined();
    expect(dcr?.syntheticRows).toBe(2000);
    expect(dcr?.holdoutRows).toBe(1000);
    for (const x of [dcr?.median, dcr?.p05, dcr?.holdoutMedian, dcr?.holdoutP05])
      expect(x).toBeGreaterThanOrEqual(0);
    expect(dcr?.median).toBeGreaterThanOrEqual(dcr?.p05 as number);
    expect(dcr?.zeroShare).toBe(0);
    expect(dcr?.medianRatio).toBeGreaterThan(0);
    const summary = JSON.parse(await readFile(filePath(evaluated.dcrUri as string), 'utf8'));
    // Faked sensitive columns and keys are not compared.
    expect(summary.columns).not.toContain('email');
    expect(summary.columns).not.toContain('customer_id');
    expect(summary.columns).toContain('age');

    const written = await run(env, acts.writeRunReport, {
      runKey,
      config: { source: { uri: 'examples/customers.csv' }, rows: 3000 },
      results: { qualityUri: evaluated.qualityUri, dcr, dcrUri: evaluated.dcrUri },
      timings: [],
      approvals: [],
      continuedAsNew: 0,
    });
    const markdown = await readFile(filePath(written.artifacts.reportMarkdown as string), 'utf8');
    expect(markdown).toContain('## Privacy: distance to closest record');
    expect(markdown.indexOf('## Privacy')).toBeLessThan(markdown.indexOf('## Loads'));
    const html = await readFile(filePath(written.artifacts.reportHtml as string), 'utf8');
    expect(html).toContain('<h2>Privacy: distance to closest record</h2>');
    const json = JSON.parse(await readFile(filePath(written.artifacts.reportJson as string), 'utf8'));
    expect(json.dcr).toEqual(dcr);
  });
});
