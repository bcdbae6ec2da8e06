/**
 * Free-text generation: the Bedrock generator through the real client against the local Bedrock
 * runtime, the local fallback, and the length fitting both rely on. One test runs against real
 * Bedrock when UNDERSTUDY_BEDROCK_MODEL_ID and AWS_REGION are set.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BedrockAnswerError,
  BedrockCallError,
  costOf,
  createBedrockRuntimeClient,
  createBedrockTextGenerator,
  createLocalTextGenerator,
  DEFAULT_BEDROCK_PRICING,
  fitLength,
  type BedrockTextGeneratorOptions,
  type FreeTextRequest,
} from '../../integrations/bedrock/index.js';
import { startBedrockServer, type BedrockServer } from '../servers/bedrock-server.js';

const REGION = 'us-west-2';
const KEY_ID = 'AKIAUNDERSTUDYTEXT01';
const SECRET = 'text/generator+secret/key';
const MODEL = 'amazon.nova-lite-v1:0';

function request(rows: FreeTextRequest['rows'], extra: Partial<FreeTextRequest> = {}): FreeTextRequest {
  return {
    table: 'tickets',
    column: 'agent_notes',
    minLength: 40,
    maxLength: 160,
    meanLength: 90,
    rows,
    ...extra,
  };
}

type Row = FreeTextRequest['rows'][number];
const ROWS: [Row, Row, Row] = [
  { status: 'open', product: 'router X2', priority: 'high' },
  { status: 'closed', product: 'modem M1', priority: 'low' },
  { status: 'pending', product: 'router X2', priority: 'medium' },
];

describe('Bedrock free-text generator (client-bedrock-runtime ↔ local Bedrock)', () => {
  let server: BedrockServer;
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const make = (extra: Partial<BedrockTextGeneratorOptions> = {}) =>
    createBedrockTextGenerator({
      modelId: MODEL,
      client: createBedrockRuntimeClient({
        region: REGION,
        endpoint: server.url,
        credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
      }),
      sleep,
      random: () => 1,
      baseDelayMs: 250,
      ...extra,
    });

  beforeAll(async () => {
    server = await startBedrockServer({ region: REGION, credentials: { [KEY_ID]: SECRET } });
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(() => {
    server.resetRequests();
    sleeps.length = 0;
  });

  it('writes one text per row within the length range, from the row context and column constraints', async () => {
    const generator = make();
    const texts = await generator.generate(
      request(ROWS, { description: 'notes a support agent writes on a ticket' }),
    );
    expect(texts).toHaveLength(3);
    for (const t of texts) {
      expect(t.length).toBeGreaterThanOrEqual(40);
      expect(t.length).toBeLessThanOrEqual(160);
    }
    // The fake model echoes context, so each text belongs to its own row, in order.
    expect(texts[0]).toContain('router X2');
    expect(texts[1]).toContain('modem M1');
    expect(server.requests).toHaveLength(1);
    const body = JSON.parse(server.requests[0]?.rawBody ?? '{}') as {
      messages: { content: { text: string }[] }[];
      inferenceConfig: { temperature: number };
    };
    const prompt = body.messages[0]?.content[0]?.text ?? '';
    expect(prompt).toContain('"length":{"min":40,"max":160,"typical":90}');
    expect(prompt).toContain('"description":"notes a support agent writes on a ticket"');
    expect(prompt).toContain('"priority":"high"');
    expect(body.inferenceConfig.temperature).toBe(0);
  });

  it('batches rows and answers identical prompts from the cache', async () => {
    const generator = make({ rowsPerPrompt: 2 });
    const [a, b, c] = ROWS;
    // Batches [a, b], [c, a], [a, b], [b, c]: the third is the first prompt again.
    const rows = [a, b, c, a, a, b, b, c];
    const texts = await generator.generate(request(rows));
    expect(texts).toHaveLength(8);
    expect(server.requests).toHaveLength(3);
    expect(generator.usage()).toMatchObject({ calls: 3, cacheHits: 1 });
    expect(texts.slice(4, 6)).toEqual(texts.slice(0, 2));

    // The whole request again: no call at all.
    const again = await generator.generate(request(rows));
    expect(again).toEqual(texts);
    expect(server.requests).toHaveLength(3);
    expect(generator.usage().cacheHits).toBe(5);
  });

  it('fits fewer rows into a prompt when texts are long', async () => {
    const generator = make({ rowsPerPrompt: 20, maxTokens: 2000 });
    const rows = Array.from({ length: 10 }, (_, i) => ({ n: i }));
    const texts = await generator.generate(
      request(rows, { minLength: 1500, maxLength: 2000, meanLength: 1800 }),
    );
    expect(texts).toHaveLength(10);
    // (2000 − 64) / (2000/3 + 10) ≈ 2.9 → 2 rows per prompt.
    expect(server.requests).toHaveLength(5);
    for (const t of texts) expect(t.length).toBeGreaterThanOrEqual(1500);
  });

  it('retries throttling with exponential backoff, then gives up after the bound', async () => {
    server.failNext('throttle', 3);
    const generator = make();
    expect(await generator.generate(request(ROWS))).toHaveLength(3);
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(generator.usage()).toMatchObject({ throttledRetries: 3, calls: 1 });

    sleeps.length = 0;
    server.failNext('throttle', 20);
    const error = await make({ maxRetries: 4 })
      .generate(request(ROWS))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BedrockCallError);
    expect(error).toMatchObject({ errorName: 'ThrottlingException', retryable: true });
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('checks the count: one corrective retry, then an error naming the column and batch', async () => {
    server.failNext('wrong-count', 1);
    const generator = make();
    expect(await generator.generate(request(ROWS))).toHaveLength(3);
    expect(generator.usage().invalidAnswerRetries).toBe(1);
    const retry = JSON.parse(server.requests[1]?.rawBody ?? '{}') as {
      messages: { content: { text: string }[] }[];
    };
    expect(retry.messages[2]?.content[0]?.text).toContain('expected 3 texts, got 2');

    server.failNext('wrong-count', 2);
    const error = await make()
      .generate(request([{ product: 'unique-product-zz9' }, { product: 'other' }]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BedrockAnswerError);
    expect((error as Error).message).toContain('batch 1/1 of tickets.agent_notes');
    expect((error as Error).message).toContain('expected 2 texts, got 1');
    expect((error as Error).message).not.toContain('unique-product-zz9');

    server.failNext('schema', 2);
    const notArray = await make()
      .generate(request(ROWS))
      .catch((e: unknown) => e);
    expect((notArray as Error).message).toContain('no JSON array of strings');
  });

  it('splits a batch cut off at maxTokens', async () => {
    server.failNext('max-tokens', 1);
    const texts = await make().generate(request(ROWS));
    expect(texts).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
  });

  it('tracks tokens and cost', async () => {
    const generator = make({ rowsPerPrompt: 1 });
    await generator.generate(request(ROWS));
    const input = server.requests.reduce((n, r) => n + r.inputTokens, 0);
    const output = server.requests.reduce((n, r) => n + r.outputTokens, 0);
    expect(generator.usage()).toMatchObject({ calls: 3, inputTokens: input, outputTokens: output });
    expect(generator.usage().costUsd).toBeCloseTo(costOf(DEFAULT_BEDROCK_PRICING[MODEL]!, input, output), 12);
  });
});

describe('local fallback generator', () => {
  it('writes plausible lorem text of the column’s length profile, repeatably', async () => {
    const generator = createLocalTextGenerator({ seed: 7 });
    const rows = Array.from({ length: 2000 }, () => ({}));
    const texts = await generator.generate(request(rows, { minLength: 20, maxLength: 200, meanLength: 60 }));
    expect(texts).toHaveLength(2000);
    const lengths = texts.map((t) => t.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(200);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(mean).toBeGreaterThan(50);
    expect(mean).toBeLessThan(70);
    expect(texts.every((t) => /^[A-Z][a-z]*( [a-z]+)*([.] [A-Z][a-z]*( [a-z]+)*)*\.$/.test(t))).toBe(true);
    expect(
      await generator.generate(request(rows, { minLength: 20, maxLength: 200, meanLength: 60 })),
    ).toEqual(texts);
    const other = await createLocalTextGenerator({ seed: 8 }).generate(
      request(rows, { minLength: 20, maxLength: 200, meanLength: 60 }),
    );
    expect(other).not.toEqual(texts);
    expect(generator.usage()).toMatchObject({ calls: 0, costUsd: 0 });
  });
});

describe('fitLength', () => {
  it('always lands in [min, max]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(150), fc.nat(150), (text, a, b) => {
        const min = Math.min(a, b);
        const max = Math.max(a, b);
        const fitted = fitLength(text, min, max);
        expect(fitted.length).toBeGreaterThanOrEqual(min);
        expect(fitted.length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts at a word boundary and keeps texts that fit', () => {
    expect(fitLength('alpha beta gamma delta', 5, 12)).toBe('alpha beta');
    expect(fitLength('  spaced   out  ', 0, 50)).toBe('spaced out');
  });
});

const realModel = process.env.UNDERSTUDY_BEDROCK_MODEL_ID;
const realRegion =
  process.env.UNDERSTUDY_BEDROCK_REGION ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;

describe.skipIf(!realModel || !realRegion)('Bedrock free text against real Bedrock', () => {
  it('writes texts of the right count and length', async () => {
    const generator = createBedrockTextGenerator({
      modelId: realModel as string,
      region: realRegion as string,
    });
    const texts = await generator.generate(request(ROWS));
    expect(texts).toHaveLength(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(160);
    expect(generator.usage().outputTokens).toBeGreaterThan(0);
  }, 120_000);
});
