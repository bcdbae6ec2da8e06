/**
 * The Bedrock classifier through the real @aws-sdk/client-bedrock-runtime client (SigV4, HTTP/2)
 * against the local Bedrock runtime (test/servers/bedrock-server.ts); one test runs against real
 * Bedrock when UNDERSTUDY_BEDROCK_MODEL_ID and AWS_REGION are set (AWS default credential chain).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FieldContext } from '../../core/pii/external.js';
import { maskedExamplesOf } from '../../core/pii/llm-masking.js';
import { PiiKind } from '../../core/pii/types.js';
import type { PhysicalType } from '../../core/table.js';
import {
  BedrockAnswerError,
  BedrockCallError,
  costOf,
  createBedrockClassifier,
  createBedrockRuntimeClient,
  DEFAULT_BEDROCK_PRICING,
  type BedrockClassifierOptions,
} from '../../integrations/bedrock/index.js';
import { startBedrockServer, type BedrockServer } from '../servers/bedrock-server.js';

const REGION = 'eu-central-1';
const KEY_ID = 'AKIAUNDERSTUDYTEST01';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYUNDERSTUDY';
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

/** Raw sample values that must never reach the server. */
const RAW: Record<string, { type: PhysicalType; values: string[] }> = {
  email: { type: 'string', values: ['jane.doe@northwind.com', 'li.wei@mailbox.org', 'o.brien@eircom.ie'] },
  phone_number: { type: 'string', values: ['+44 20 7946 0958', '+1 415 555 0132'] },
  c17: { type: 'string', values: ['ines.garcia@correo.es', 'tom.h@web.de'] },
  payout: { type: 'string', values: ['DE89 3704 0044 0532 0130 00', 'GB33 BUKB 2020 1555 5555 55'] },
  first_name: { type: 'string', values: ['Marguerite', 'Oluwaseun'] },
  order_total: { type: 'float', values: ['1849.95', '23.10'] },
};

function fieldsOf(table: string, raw: typeof RAW): FieldContext[] {
  return Object.entries(raw).map(([column, { type, values }]) => ({
    table,
    column,
    physicalType: type,
    maskedExamples: maskedExamplesOf(values, 5),
  }));
}

describe('Bedrock classifier (client-bedrock-runtime ↔ local Bedrock)', () => {
  let server: BedrockServer;
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const client = (secret = SECRET) =>
    createBedrockRuntimeClient({
      region: REGION,
      endpoint: server.url,
      credentials: { accessKeyId: KEY_ID, secretAccessKey: secret },
    });
  const make = (extra: Partial<BedrockClassifierOptions> = {}) =>
    createBedrockClassifier({
      modelId: MODEL,
      client: client(),
      sleep,
      random: () => 1,
      baseDelayMs: 100,
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

  it('classifies a batch with one signed Converse call at temperature 0', async () => {
    const classifier = make();
    const result = await classifier.classify(fieldsOf('customers', RAW));
    expect(result.get('email')?.[0]).toMatchObject({
      classifier: 'bedrock',
      kind: PiiKind.Email,
      score: 0.9,
    });
    expect(result.get('phone_number')?.[0]?.kind).toBe(PiiKind.Phone);
    expect(result.get('first_name')?.[0]?.kind).toBe(PiiKind.FirstName);
    // Named c17, but its masked examples have the shape of email addresses.
    expect(result.get('c17')?.[0]).toMatchObject({ kind: PiiKind.Email, score: 0.8 });
    expect(result.get('payout')?.[0]?.kind).toBe(PiiKind.Iban);
    expect(result.get('order_total')?.[0]?.kind).toBe(PiiKind.None);
    expect(result.get('email')?.[0]?.reason).toContain(`Bedrock ${MODEL}:`);

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request?.modelId).toBe(MODEL);
    expect(request?.auth).toMatchObject({ accessKeyId: KEY_ID, region: REGION, service: 'bedrock' });
    const body = JSON.parse(request?.rawBody ?? '{}') as {
      inferenceConfig: { temperature: number };
      system: { text: string }[];
      messages: { role: string }[];
    };
    expect(body.inferenceConfig.temperature).toBe(0);
    expect(body.system[0]?.text).toContain('JSON only');
    expect(body.messages).toHaveLength(1);
  });

  it('never sends an unmasked sample value, even when a caller passes raw examples', async () => {
    await make().classify(fieldsOf('customers', RAW));
    // Port misuse: raw values in maskedExamples are masked again before they leave.
    const misuse = fieldsOf('customers', RAW).map((f) => ({
      ...f,
      maskedExamples: RAW[f.column]?.values ?? [],
    }));
    await make().classify(misuse);
    expect(server.requests).toHaveLength(2);
    const sent = server.requests.map((r) => r.rawBody).join('\n');
    for (const { values } of Object.values(RAW)) {
      for (const value of values) {
        expect(sent).not.toContain(value);
        // No fragment either: every run of 4+ letters or digits of a sample.
        for (const fragment of value.match(/[\p{L}\p{N}]{4,}/gu) ?? []) expect(sent).not.toContain(fragment);
      }
    }
    // The shapes did leave: that is what the model classifies by.
    expect(sent).toContain('xxxx.xxx@xxxxxxxxx.xxx');
  });

  it('splits fields into prompts of the configured size', async () => {
    const many: FieldContext[] = Array.from({ length: 45 }, (_, i) => ({
      table: 'wide',
      column: i % 9 === 0 ? `email_${i}` : `metric_${i}`,
      physicalType: 'integer',
      maskedExamples: ['999'],
    }));
    const result = await make({ fieldsPerPrompt: 20 }).classify(many);
    expect(server.requests).toHaveLength(3);
    expect(result.size).toBe(45);
    expect(result.get('email_9')?.[0]?.kind).toBe(PiiKind.Email);
  });

  it('retries ThrottlingException with doubling backoff, bounded', async () => {
    server.failNext('throttle', 2);
    const classifier = make();
    const result = await classifier.classify(fieldsOf('customers', RAW));
    expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    expect(sleeps).toEqual([100, 200]);
    expect(classifier.usage()).toMatchObject({ calls: 1, throttledRetries: 2 });
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200]);

    server.failNext('throttle', 10);
    sleeps.length = 0;
    const error = await make({ maxRetries: 3 })
      .classify(fieldsOf('customers', RAW))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BedrockCallError);
    expect(error).toMatchObject({ errorName: 'ThrottlingException', status: 429, retryable: true });
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('caps the backoff delay and spreads it with jitter', async () => {
    server.failNext('throttle', 4);
    const random = [0, 0.5, 0.999, 0];
    await make({ baseDelayMs: 1000, maxDelayMs: 3000, random: () => random.shift() ?? 0 }).classify(
      fieldsOf('t', { email: RAW.email! }),
    );
    // d = 1000, 2000, 3000 (capped), 3000; delay = d/2 + r·d/2.
    expect(sleeps).toEqual([500, 1500, 2999, 1500]);
  });

  it('retries transient 503s but not access errors', async () => {
    server.failNext('service-unavailable', 1);
    await make().classify(fieldsOf('t', { email: RAW.email! }));
    expect(server.requests.map((r) => r.status)).toEqual([503, 200]);

    server.failNext('access-denied', 1);
    const error = await make()
      .classify(fieldsOf('t', { email: RAW.email! }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'BedrockCallError',
      errorName: 'AccessDeniedException',
      status: 403,
      retryable: false,
    });
    expect((error as Error).message).toContain('bedrock:InvokeModel');
  });

  it('rejects a wrong secret (the server verifies the SigV4 signature) and an unknown model', async () => {
    const badSecret = createBedrockClassifier({ modelId: MODEL, client: client('not-the-secret'), sleep });
    const error = await badSecret.classify(fieldsOf('t', { email: RAW.email! })).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorName: 'InvalidSignatureException', status: 403, retryable: false });

    const unknown = await make({ modelId: 'anthropic.claude-9-v1:0' })
      .classify(fieldsOf('t', { email: RAW.email! }))
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ errorName: 'ValidationException', status: 400 });
  });

  it('asks once more after an answer that is not JSON, with the bad answer and the problem in the conversation', async () => {
    server.failNext('malformed', 1);
    const classifier = make();
    const result = await classifier.classify(fieldsOf('customers', RAW));
    expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    expect(classifier.usage()).toMatchObject({ calls: 2, invalidAnswerRetries: 1 });
    const retry = JSON.parse(server.requests[1]?.rawBody ?? '{}') as {
      messages: { role: string; content: { text: string }[] }[];
    };
    expect(retry.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(retry.messages[2]?.content[0]?.text).toContain('no JSON object');
  });

  it('fails with a clear, value-free error when the answer is still invalid after the retry', async () => {
    server.failNext('schema', 2);
    const error = await make()
      .classify(fieldsOf('customers', RAW))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BedrockAnswerError);
    const message = (error as Error).message;
    expect(message).toContain('batch 1/1 of customers');
    expect(message).toMatch(/fields\[0\]\.kind: invalid_value/);
    for (const { values } of Object.values(RAW)) for (const v of values) expect(message).not.toContain(v);

    server.failNext('wrong-count', 2);
    const missing = await make()
      .classify(fieldsOf('customers', RAW))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BedrockAnswerError);
    expect((missing as Error).message).toContain('no answer for field(s) order_total');
  });

  it('splits a batch whose answer was cut off at maxTokens', async () => {
    server.failNext('max-tokens', 1);
    const result = await make().classify(fieldsOf('customers', RAW));
    expect(result.size).toBe(Object.keys(RAW).length);
    expect(server.requests).toHaveLength(3);
  });

  it('records token usage and cost from the service’s own counts', async () => {
    const classifier = make({ fieldsPerPrompt: 2 });
    await classifier.classify(fieldsOf('customers', RAW));
    const usage = classifier.usage();
    const input = server.requests.reduce((n, r) => n + r.inputTokens, 0);
    const output = server.requests.reduce((n, r) => n + r.outputTokens, 0);
    expect(usage).toMatchObject({ modelId: MODEL, calls: 3, inputTokens: input, outputTokens: output });
    expect(input).toBeGreaterThan(0);
    const price = DEFAULT_BEDROCK_PRICING[MODEL]!;
    expect(usage.costUsd).toBeCloseTo(costOf(price, input, output), 12);
    expect(usage.costUsd).toBeCloseTo((input / 1000) * 0.00025 + (output / 1000) * 0.00125, 12);

    // A cross-region inference profile is priced as its model; a configured table wins; unknown models have no cost.
    const profile = make({ modelId: `us.${'anthropic.claude-3-5-haiku-20241022-v1:0'}` });
    await profile.classify(fieldsOf('t', { email: RAW.email! }));
    expect(profile.usage().costUsd).toBeGreaterThan(0);
    const custom = make({
      modelId: 'amazon.nova-lite-v1:0',
      pricing: { 'amazon.nova-lite-v1:0': { inputPer1k: 1, outputPer1k: 2 } },
    });
    await custom.classify(fieldsOf('t', { email: RAW.email! }));
    const last = server.requests[server.requests.length - 1]!;
    expect(custom.usage().costUsd).toBeCloseTo(last.inputTokens / 1000 + (2 * last.outputTokens) / 1000, 12);
    const unpriced = make({ modelId: 'amazon.nova-lite-v1:0', pricing: {} });
    await unpriced.classify(fieldsOf('t', { email: RAW.email! }));
    expect(unpriced.usage().costUsd).toBeUndefined();
  });
});

const realModel = process.env.UNDERSTUDY_BEDROCK_MODEL_ID;
const realRegion =
  process.env.UNDERSTUDY_BEDROCK_REGION ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;

describe.skipIf(!realModel || !realRegion)('Bedrock classifier against real Bedrock', () => {
  it('classifies masked fields and reports usage', async () => {
    const classifier = createBedrockClassifier({
      modelId: realModel as string,
      region: realRegion as string,
    });
    const result = await classifier.classify(fieldsOf('customers', RAW));
    expect(result.size).toBe(Object.keys(RAW).length);
    expect(result.get('email')?.[0]?.kind).toBe(PiiKind.Email);
    const usage = classifier.usage();
    expect(usage.calls).toBeGreaterThan(0);
    expect(usage.inputTokens).toBeGreaterThan(0);
  }, 120_000);
});
