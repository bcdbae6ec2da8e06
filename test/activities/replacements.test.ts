/**
 * Configured replacement strategies at the activity level (MockActivityEnvironment): fitModel checks
 * them against the sample and the worker's keys (errors name `replacements.<column>…`), and every chunk
 * applies them while the other sensitive columns keep the synthesizer's fakes.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PipelineActivities } from '../../activities/index.js';
import type { FitModelInput } from '../../activities/synthesize.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';
import { analyzeSample, createTestActivities, runActivity as run } from '../support/activity-run.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const KEY_ENV = 'UNDERSTUDY_PSEUDONYM_KEY_TESTJOIN';
const filePath = (uri: string) => uri.replace(/^file:\/\//, '');

describe('replacement strategies in the stage activities', () => {
  let acts: PipelineActivities;
  const runKey = 'replacements-test/run-1';
  let base: FitModelInput;
  let work: string;

  beforeAll(async () => {
    process.env[KEY_ENV] = 'a-test-key-from-configuration';
    ({ acts, work } = await createTestActivities('understudy-repl-'));
    ({ base } = await analyzeSample(acts, runKey));
  });
  afterAll(() => {
    delete process.env[KEY_ENV];
  });

  async function fitFailure(replacements: Record<string, unknown>): Promise<ApplicationFailure> {
    const err = await new MockActivityEnvironment()
      .run(acts.fitModel, { ...base, replacements })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }

  it.each([
    [{ emial: { strategy: 'mask' } }, 'replacements.emial'],
    [{ email: { strategy: 'scramble' } }, 'replacements.email.strategy'],
    [{ email: { strategy: 'pseudonymize', key: 'missing' } }, 'replacements.email.key'],
    [{ age: { strategy: 'fake', kind: 'email' } }, 'replacements.age'],
  ])('fitModel rejects %j as a ConfigError naming %s', async (replacements, field) => {
    const err = await fitFailure(replacements);
    expect(err.type).toBe('ConfigError');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain(field);
  });

  it('applies the configured strategies to every chunk and keeps the other columns synthesized', async () => {
    const replacements = {
      credit_card: { strategy: 'mask', mode: 'partial', keep: 4 },
      ssn: { strategy: 'null' },
      email: { strategy: 'pseudonymize', key: 'testjoin' },
      age: { strategy: 'generalize', method: 'band', width: 10 },
    };
    const env = new MockActivityEnvironment();
    const fit = await run(env, acts.fitModel, { ...base, replacements });
    expect(fit.generationUri).toBeDefined();
    const chunk = async (partsPrefix: string) => {
      const out = await run(env, acts.synthesizeChunk, {
        runKey,
        modelUri: fit.modelUri,
        partsPrefix,
        sampleUri: base.sampleUri,
        generationUri: fit.generationUri,
        seed: 5,
        chunkIndex: 0,
        startRow: 0,
        rowCount: 2000,
        totalRows: 2000,
      });
      return readTableFile(filePath(out.partUri), 'parquet');
    };
    const table = await chunk(fit.partsPrefix);
    const column = (name: string) => table.columns.find((c) => c.name === name)?.values ?? [];
    const cards = column('credit_card').filter((v) => v !== null) as string[];
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card).toMatch(/^\*+[0-9]{4}$/);
    expect(column('ssn').every((v) => v === null)).toBe(true);
    for (const band of column('age')) if (band !== null) expect(String(band)).toMatch(/^\d+[–-]\d+$/);
    // Untouched sensitive columns keep the synthesizer's fakes (valid formats, not masked).
    const phones = column('phone').filter((v) => v !== null) as string[];
    expect(phones.some((p) => /\d{3}/.test(p))).toBe(true);
    // Pseudonyms keep the email format, and are a pure function of (key, value): a rerun agrees cell by cell.
    const emails = column('email').filter((v) => v !== null) as string[];
    expect(emails.every((e) => /^[^@\s]+@[^@\s]+$/.test(e))).toBe(true);
    const again = await chunk(`${fit.partsPrefix}-again`);
    expect(again.columns.find((c) => c.name === 'email')?.values).toEqual(column('email'));
  });

  it('redraws replaced rows whose fake equals a sample value, so no replaced cell carries one', async () => {
    const replacements = { email: { strategy: 'fake', kind: 'email' } };
    const env = new MockActivityEnvironment();
    const chunkOf = async (
      fit: { modelUri: string; partsPrefix: string; generationUri?: string },
      sampleUri: string,
    ) => {
      const out = await run(env, acts.synthesizeChunk, {
        runKey,
        modelUri: fit.modelUri,
        partsPrefix: fit.partsPrefix,
        sampleUri,
        generationUri: fit.generationUri,
        seed: 5,
        chunkIndex: 0,
        startRow: 0,
        rowCount: 2000,
        totalRows: 2000,
      });
      const table = await readTableFile(filePath(out.partUri), 'parquet');
      return { out, emails: table.columns.find((c) => c.name === 'email')?.values ?? [] };
    };
    const firstFit = await run(env, acts.fitModel, {
      ...base,
      runKey: 'replacements-test/run-fakes',
      replacements,
    });
    const first = await chunkOf(firstFit, base.sampleUri);

    // A sample whose emails are the fakes just generated for rows 0–999, in upper case.
    const customers = await readTableFile(path.join(repoRoot, 'examples/customers.csv'), 'csv');
    const planted = first.emails.slice(0, 1000).map((v) => (v === null ? null : String(v).toUpperCase()));
    const sample = {
      ...customers,
      columns: customers.columns.map((c) =>
        c.name === 'email' ? { ...c, values: c.values.map((v, i) => planted[i] ?? v) } : c,
      ),
    };
    const samplePath = path.join(work, 'planted-customers.csv');
    await writeTableFile(sample, samplePath, 'csv');
    const plantedRun = await analyzeSample(acts, 'replacements-test/run-planted', samplePath);
    const fit = await run(env, acts.fitModel, { ...plantedRun.base, replacements });
    const second = await chunkOf(fit, plantedRun.base.sampleUri);
    const sampleEmails = new Set(planted.filter((v) => v !== null).map((v) => String(v).toLowerCase()));
    expect(second.emails.filter((v) => v !== null && sampleEmails.has(String(v).toLowerCase()))).toEqual([]);
    // Rows 0–999 were generated exactly as before and then redrawn; rows 1000+ are unchanged.
    expect(second.out.sensitiveRedraws).toBeGreaterThanOrEqual(sampleEmails.size);
    expect(second.out.sensitiveSampleValues).toBe(0);
    expect(second.emails.slice(1000)).toEqual(first.emails.slice(1000));
  });
});
