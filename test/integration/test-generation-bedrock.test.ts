/**
 * Test files written through Bedrock's Converse API (the real client against the local Bedrock
 * runtime): the prompt carries the scenario, the chosen records and the conventions at temperature
 * 0; an invalid first answer is repaired on the second call with the validation errors; answers that
 * never validate fall back to the template; tokens and cost are recorded per test; identical prompts
 * come from the cache.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import type { Scenario } from '../../core/scenarios/index.js';
import { buildTestCases, renderTest, type TableInfo, type TestCase } from '../../core/testing/index.js';
import {
  costOf,
  createBedrockRuntimeClient,
  DEFAULT_BEDROCK_PRICING,
} from '../../integrations/bedrock/index.js';
import {
  createBedrockTestGenerator,
  createTestValidator,
  extractCode,
  generateTestWithBedrock,
  readBedrockTestGeneratorFromEnv,
  type BedrockTestGeneratorOptions,
} from '../../integrations/test-generation/index.js';
import { startBedrockServer, type BedrockServer } from '../servers/bedrock-server.js';

const REGION = 'us-east-1';
const KEY_ID = 'AKIAUNDERSTUDYTESTGEN';
const SECRET = 'test/generation+secret';
const MODEL = 'amazon.nova-lite-v1:0';

const TABLES: TableInfo[] = [
  {
    name: 'customers',
    columns: [
      { name: 'customer_id', type: 'string' },
      { name: 'email', type: 'string' },
      { name: 'segment', type: 'string', categories: ['enterprise', 'consumer'] },
    ],
  },
];

const SCENARIO: Scenario = {
  id: 'SHOP-21',
  title: 'An enterprise customer can be read through the API',
  labels: [],
  preconditions: ['an enterprise customer'],
  steps: [
    { action: 'GET /api/customers/{customer.customer_id}', expected: 'Status 200' },
    { action: 'Wiggle the mouse over the logo' },
  ],
  expectedResults: ['Response field email equals {customer.email}'],
  source: { kind: 'file', location: 'scenarios.yaml' },
  problems: [],
};

function caseFor(framework: 'playwright' | 'robot' | 'api', scenario: Scenario = SCENARIO): TestCase {
  const built = buildTestCases([scenario], { frameworks: [framework], tables: TABLES });
  const testCase = built.cases[0]!;
  for (const r of testCase.dataReferences) {
    r.record = { customer_id: 'CUST-042', email: 'zora.quill@example.test', segment: 'enterprise' };
  }
  return testCase;
}

const VALID_VITEST = [
  "import { expect, test } from 'vitest';",
  '',
  "test('SHOP-21', async () => {",
  '  // Step 1: GET /api/customers/{customer.customer_id}',
  "  const response = await fetch(`${process.env['UNDERSTUDY_TEST_API_URL'] ?? ''}/api/customers/CUST-042`);",
  "  expect(response.status, 'Step 1: GET /api/customers/{customer.customer_id}').toBe(200);",
  '});',
].join('\n');

const INVALID_VITEST = [
  "import { expect, test } from 'vitest';",
  '',
  "test('SHOP-21', async () => {",
  "  const response = await fetch('/api/customers/CUST-042'",
  '  expect(response.status).toBe(200);',
  '});',
].join('\n');

describe('Bedrock test generator (client-bedrock-runtime ↔ local Bedrock)', () => {
  let server: BedrockServer;
  const validator = createTestValidator();
  const make = (extra: Partial<BedrockTestGeneratorOptions> = {}) =>
    createBedrockTestGenerator({
      modelId: MODEL,
      client: createBedrockRuntimeClient({
        region: REGION,
        endpoint: server.url,
        credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
      }),
      validator,
      sleep: () => Promise.resolve(),
      random: () => 0,
      ...extra,
    });
  const bodies = () =>
    server.requests.map(
      (r) =>
        JSON.parse(r.rawBody) as {
          messages: { role: string; content: { text: string }[] }[];
          system: { text: string }[];
          inferenceConfig: { temperature: number };
        },
    );

  beforeAll(async () => {
    server = await startBedrockServer({ region: REGION, credentials: { [KEY_ID]: SECRET } });
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(() => {
    server.resetRequests();
  });

  it('writes a test from a prompt with the scenario, the records and the conventions, at temperature 0', async () => {
    const testCase = caseFor('api');
    const template = renderTest(testCase);
    // The template cannot express the mouse step; Bedrock is asked to write the whole test.
    expect(template.skipReason).toContain('step 2 is not a phrase the templates understand');
    const generator = make();
    const out = await generateTestWithBedrock(generator, {
      testCase,
      scenario: SCENARIO,
      fallback: template,
    });

    expect(out.test.generator).toBe('bedrock');
    expect(out.test.skipReason).toBeUndefined();
    expect(out.test.fileName).toBe('SHOP-21--api.test.ts');
    expect(out.validation).toEqual({ ok: true, errors: [], method: 'typescript-types' });
    // The fake model answers with the draft: the answer's code block is the file.
    expect(out.test.content).toBe(template.content);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.auth).not.toHaveProperty('error');
    const [body] = bodies();
    expect(body?.inferenceConfig.temperature).toBe(0);
    const prompt = body?.messages[0]?.content[0]?.text ?? '';
    expect(prompt).toContain('Write the api test file SHOP-21--api.test.ts');
    expect(prompt).toContain('zora.quill@example.test');
    expect(prompt).toContain('Wiggle the mouse over the logo');
    expect(prompt).toContain('UNDERSTUDY_TEST_API_URL');
    expect(prompt).toContain('UNDERSTUDY_TEST_DATABASE');
    expect(body?.system[0]?.text).toContain('single fenced code block');

    const record = server.requests[0]!;
    const price = DEFAULT_BEDROCK_PRICING[MODEL]!;
    expect(out.usage).toEqual({
      calls: 1,
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      costUsd: costOf(price, record.inputTokens, record.outputTokens),
    });
    expect(out.usage.inputTokens).toBeGreaterThan(100);
    expect(out.test.usage).toMatchObject({ modelId: MODEL, calls: 1, inputTokens: record.inputTokens });
    expect(generator.usage()).toMatchObject({
      calls: 1,
      inputTokens: record.inputTokens,
      invalidAnswerRetries: 0,
    });
  }, 120_000);

  it('repairs an invalid first answer: the second call carries the answer and its validation errors', async () => {
    server.queueTestAnswers(
      `Here you go:\n\`\`\`typescript\n${INVALID_VITEST}\n\`\`\``,
      `\`\`\`ts\n${VALID_VITEST}\n\`\`\``,
    );
    const testCase = caseFor('api');
    const generator = make();
    const out = await generator.write({ testCase, scenario: SCENARIO, fallback: renderTest(testCase) });

    expect(out.test.generator).toBe('bedrock');
    expect(out.test.content).toBe(`${VALID_VITEST}\n`);
    expect(out.usage.calls).toBe(2);
    expect(out.test.usage?.rejectedAnswers).toHaveLength(1);
    expect(out.test.usage?.rejectedAnswers?.[0]).toMatch(/^line 5, column \d+: ',' expected/);

    const second = bodies()[1]!;
    expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second.messages[1]?.content[0]?.text).toContain(INVALID_VITEST);
    const repair = second.messages[2]?.content[0]?.text ?? '';
    expect(repair).toContain('The file does not pass the TypeScript compiler:');
    expect(repair).toMatch(/- line 5, column \d+: ',' expected/);
    expect(generator.usage()).toMatchObject({ calls: 2, invalidAnswerRetries: 1 });
  }, 120_000);

  it('falls back to the template after the allowed regenerations, recording every rejected answer', async () => {
    server.queueTestAnswers(INVALID_VITEST, INVALID_VITEST, INVALID_VITEST, VALID_VITEST);
    const testCase = caseFor('api', { ...SCENARIO, steps: SCENARIO.steps.slice(0, 1) });
    const template = renderTest(testCase);
    expect(template.skipReason).toBeUndefined();
    const out = await make({ maxRegenerations: 5 }).write({
      testCase,
      scenario: SCENARIO,
      maxRegenerations: 2,
      fallback: template,
    });
    expect(out.usage.calls).toBe(3);
    expect(out.test.generator).toBe('template');
    expect(out.test.content).toBe(template.content);
    expect(out.test.skipReason).toBeUndefined();
    expect(out.test.usage?.rejectedAnswers).toHaveLength(3);
    expect(out.validation?.ok).toBe(false);
  }, 120_000);

  it('keeps the skip reason when the fallback cannot run either', async () => {
    server.queueTestAnswers('no code here, sorry', 'still none');
    const testCase = caseFor('api');
    const out = await make({ maxRegenerations: 1 }).write({ testCase, scenario: SCENARIO });
    expect(out.test.generator).toBe('template');
    expect(out.test.skipReason).toMatch(
      /step 2 is not a phrase the templates understand; Bedrock's answer failed validation 2 time/,
    );
  }, 120_000);

  it('repairs a Robot Framework answer the same way', async () => {
    const testCase = caseFor('robot', { ...SCENARIO, steps: SCENARIO.steps.slice(0, 1) });
    const draft = renderTest(testCase).content;
    // Broken for the dry run (unknown keyword) and for the structure check (unknown section) alike.
    const broken = draft
      .replace('Status Should Be', 'Statuss Should Be')
      .replace('*** Keywords ***', '*** Keyword Definitions ***');
    server.queueTestAnswers(`\`\`\`robotframework\n${broken}\`\`\``, `\`\`\`robot\n${draft}\`\`\``);
    const out = await make().write({ testCase, scenario: SCENARIO });
    expect(out.test.generator).toBe('bedrock');
    expect(out.test.content).toBe(draft);
    expect(out.usage.calls).toBe(2);
    expect(out.test.usage?.rejectedAnswers?.[0]).toMatch(/line \d+/);
    expect(out.validation?.method).toMatch(/^robot-/);
  }, 120_000);

  it('answers an identical prompt from the cache, and makes no call for a test without its data', async () => {
    const generator = make();
    const testCase = caseFor('api');
    const first = await generator.write({ testCase, scenario: SCENARIO });
    const second = await generator.write({ testCase, scenario: SCENARIO });
    expect(server.requests).toHaveLength(1);
    expect(second.test.content).toBe(first.test.content);
    expect(second.test.generator).toBe('bedrock');
    expect(second.usage.calls).toBe(0);
    expect(generator.usage().cacheHits).toBe(1);

    const unresolved = caseFor('api');
    unresolved.dataReferences[0] = {
      ...unresolved.dataReferences[0]!,
      unresolved: 'no row of customers matches the filters on segment',
    };
    delete unresolved.dataReferences[0].record;
    const skipped = await generator.write({ testCase: unresolved, scenario: SCENARIO });
    expect(server.requests).toHaveLength(1);
    expect(skipped.test.skipReason).toContain('data reference customer is unresolved');
    expect(skipped.usage.calls).toBe(0);
  }, 120_000);

  it('retries throttling and counts it', async () => {
    server.failNext('throttle', 2);
    const generator = make();
    const out = await generator.write({ testCase: caseFor('playwright'), scenario: SCENARIO });
    expect(out.test.generator).toBe('bedrock');
    expect(generator.usage()).toMatchObject({ calls: 1, throttledRetries: 2 });
  }, 120_000);

  it('is configured from the environment', async () => {
    expect(readBedrockTestGeneratorFromEnv({})).toBeUndefined();
    expect(() => readBedrockTestGeneratorFromEnv({ UNDERSTUDY_BEDROCK_MODEL_ID: MODEL })).toThrow(
      ConfigError,
    );
    expect(
      readBedrockTestGeneratorFromEnv({
        UNDERSTUDY_BEDROCK_MODEL_ID: MODEL,
        AWS_REGION: REGION,
        UNDERSTUDY_BEDROCK_TESTS: 'false',
      }),
    ).toBeUndefined();
    const configured = readBedrockTestGeneratorFromEnv(
      {
        UNDERSTUDY_BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
        UNDERSTUDY_BEDROCK_TEST_MODEL_ID: MODEL,
        AWS_REGION: REGION,
        UNDERSTUDY_BEDROCK_ENDPOINT: server.url,
        AWS_ACCESS_KEY_ID: KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        UNDERSTUDY_BEDROCK_PRICE_INPUT_PER_1K: '1',
        UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K: '2',
      },
      { validator },
    );
    expect(configured?.summary).toBe(`bedrock test generation: ${MODEL} in ${REGION}`);
    const out = await configured!.generator.write({ testCase: caseFor('api'), scenario: SCENARIO });
    expect(server.requests[0]?.modelId).toBe(MODEL);
    expect(out.usage.costUsd).toBeCloseTo(
      out.usage.inputTokens / 1000 + (2 * out.usage.outputTokens) / 1000,
      10,
    );
  }, 120_000);
});

describe('extractCode', () => {
  it('takes the block in the framework language, else the longest block, else the whole answer', () => {
    expect(extractCode('Sure.\n```ts\nconst a = 1;\n```\nDone.', 'api')).toBe('const a = 1;\n');
    expect(
      extractCode('```json\n{"x": 1, "y": 2, "z": 3}\n```\n```typescript\nlet b;\n```', 'playwright'),
    ).toBe('let b;\n');
    expect(extractCode('```\n*** Test Cases ***\nT\n    Log    x\n```', 'robot')).toBe(
      '*** Test Cases ***\nT\n    Log    x\n',
    );
    expect(extractCode('```robot\na\n```\n```typescript\nbb\n```', 'robot')).toBe('a\n');
    expect(extractCode('plain file\n', 'api')).toBe('plain file\n');
    // A fence cut off by the token limit runs to the end.
    expect(extractCode('```ts\nconst a = 1;\nconst b', 'api')).toBe('const a = 1;\nconst b\n');
    // Backticks inside the code (template literals) do not end the block.
    expect(extractCode('```ts\nconst s = `${x}`;\n```', 'api')).toBe('const s = `${x}`;\n');
  });
});
