/**
 * The generate_text replacement strategy in the synthesize stage (MockActivityEnvironment, real chunk
 * threads, the local Bedrock runtime): the worker writes the column with its text generator from the
 * environment, prompts carry only non-sensitive context, and usage is reported with the part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { PipelineActivities } from '../../activities/index.js';
import type { FitModelInput } from '../../activities/synthesize.js';
import { readTableFile } from '../../integrations/tabular/index.js';
import { startBedrockServer, type BedrockServer } from '../servers/bedrock-server.js';
import { analyzeSample, createTestActivities, runActivity as run } from '../support/activity-run.js';

const KEY_ID = 'AKIAUNDERSTUDYTEXT01';
const SECRET = 'text/generation/secret';
const ENV_NAMES = [
  'UNDERSTUDY_BEDROCK_MODEL_ID',
  'UNDERSTUDY_BEDROCK_ENDPOINT',
  'UNDERSTUDY_BEDROCK_TEXT',
  'UNDERSTUDY_BEDROCK_CLASSIFY',
  'UNDERSTUDY_BEDROCK_PRICE_INPUT_PER_1K',
  'UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

describe('generate_text in the synthesize stage', () => {
  let bedrock: BedrockServer;
  let acts: PipelineActivities;
  let base: FitModelInput;
  const saved: Partial<Record<string, string>> = {};
  const runKey = 'generate-text-test/run-1';

  beforeAll(async () => {
    bedrock = await startBedrockServer({ region: 'eu-west-1', credentials: { [KEY_ID]: SECRET } });
    // Set before the first chunk: chunk threads copy the environment when they start.
    const values: Record<(typeof ENV_NAMES)[number], string> = {
      UNDERSTUDY_BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0',
      UNDERSTUDY_BEDROCK_ENDPOINT: bedrock.url,
      UNDERSTUDY_BEDROCK_TEXT: 'true',
      UNDERSTUDY_BEDROCK_CLASSIFY: 'false',
      UNDERSTUDY_BEDROCK_PRICE_INPUT_PER_1K: '0.5',
      UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K: '1.5',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
    };
    for (const name of ENV_NAMES) {
      saved[name] = process.env[name];
      process.env[name] = values[name];
    }
    ({ acts } = await createTestActivities('understudy-text-'));
    ({ base } = await analyzeSample(acts, runKey));
  });
  afterAll(async () => {
    for (const name of ENV_NAMES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await bedrock.stop();
  });

  it('writes the column through Bedrock with non-sensitive context only, and reports usage', async () => {
    const env = new MockActivityEnvironment();
    const fit = await run(env, acts.fitModel, {
      ...base,
      replacements: {
        notes: {
          strategy: 'generate_text',
          description: 'account manager notes',
          context: ['segment', 'state'],
        },
      },
    });
    const out = await run(env, acts.synthesizeChunk, {
      runKey,
      modelUri: fit.modelUri,
      partsPrefix: fit.partsPrefix,
      sampleUri: base.sampleUri,
      generationUri: fit.generationUri,
      seed: 3,
      chunkIndex: 0,
      startRow: 0,
      rowCount: 120,
      totalRows: 120,
    });
    const table = await readTableFile(out.partUri.replace(/^file:\/\//, ''), 'parquet');
    const notes = (table.columns.find((c) => c.name === 'notes')?.values ?? []).filter((v) => v !== null);
    expect(notes.length).toBeGreaterThan(0);
    expect(out.textGeneration?.generator).toBe('bedrock');
    expect(out.textGeneration?.texts).toBe(notes.length);
    expect(out.textGeneration?.calls).toBeGreaterThan(0);
    expect(out.textGeneration?.costUsd).toBeGreaterThan(0);
    const prompts = bedrock.requests.filter((r) => r.status === 200).map((r) => r.rawBody);
    expect(prompts.length).toBe(out.textGeneration?.calls);
    for (const body of prompts) {
      // The rows sent carry exactly the configured context columns: no sensitive column, no value of one.
      const text =
        (JSON.parse(body) as { messages: { content: { text: string }[] }[] }).messages[0]?.content[0]?.text ??
        '';
      const task = JSON.parse(text.slice(text.indexOf('{'))) as { rows: Record<string, unknown>[] };
      expect(task.rows.length).toBeGreaterThan(0);
      for (const row of task.rows) expect(Object.keys(row).sort()).toEqual(['segment', 'state']);
    }
  });

  it('refuses a sensitive or unknown context column, naming the field', async () => {
    for (const [context, field] of [
      [['email'], 'replacements.notes.context[0]'],
      [['segment', 'nope'], 'replacements.notes.context[1]'],
    ] as const) {
      const err = await new MockActivityEnvironment()
        .run(acts.fitModel, { ...base, replacements: { notes: { strategy: 'generate_text', context } } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).type).toBe('ConfigError');
      expect((err as Error).message).toContain(field);
    }
  });
});
