/**
 * Test files written by a Bedrock model: a Converse prompt with the scenario, its data references
 * (the chosen synthetic records included), the framework's conventions and the template's draft;
 * temperature 0; the answer's code block is validated (parsed, type-checked or dry-run) and, when it
 * fails, asked again with the errors appended, a bounded number of times, before falling back to the
 * template. Tokens and cost are counted per test and in total; identical prompts come from the cache.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConfigError } from '../../core/errors.js';
import type { Scenario } from '../../core/scenarios/scenario.js';
import { prepareTest, renderTest } from '../../core/testing/render-test.js';
import { testFileName } from '../../core/testing/test-cases.js';
import {
  TestEnvVar,
  type GeneratedTest,
  type GenerationUsage,
  type TestCase,
  type TestFramework,
} from '../../core/testing/types.js';
import { converse, type ConverseRequest, type RetryPolicy } from '../bedrock/converse.js';
import { DEFAULT_BEDROCK_PRICING, type BedrockPricing } from '../bedrock/pricing.js';
import { createMemoryPromptCache, promptCacheKey, type PromptCache } from '../bedrock/prompt-cache.js';
import { createBedrockRuntimeClient, createBedrockRuntimeClientFromEnv } from '../bedrock/runtime-client.js';
import { createUsageTracker, type BedrockUsage, type UsageTracker } from '../bedrock/usage.js';
import { ROBOT_BROWSER_OPTIONS } from '../../core/testing/templates/robot.js';
import { createTestValidator, type TestValidation, type TestValidator } from './validate-test.js';

/** Options of {@link createBedrockTestGenerator}. */
export interface BedrockTestGeneratorOptions extends RetryPolicy {
  /** Model or inference-profile id. */
  modelId: string;
  /** AWS region (used when no `client` is given). */
  region?: string;
  /** A configured client; otherwise one is made for `region` with the default credential chain. */
  client?: BedrockRuntimeClient;
  /** Prices per model. @default DEFAULT_BEDROCK_PRICING */
  pricing?: BedrockPricing;
  /** Sampling temperature; 0 makes answers repeatable. @default 0 */
  temperature?: number;
  /** Output budget per answer. @default 4096 */
  maxTokens?: number;
  /** Times an invalid answer is asked again with its errors (after the first answer). @default 3 */
  maxRegenerations?: number;
  /** Validated answers by prompt. @default an in-memory cache */
  cache?: PromptCache;
  /** Checks answers. @default a validator on this project's node_modules */
  validator?: TestValidator;
}

/** One test to write. */
export interface GenerateTestRequest {
  testCase: TestCase;
  /** The scenario as the tester wrote it (steps, data and expected results verbatim). */
  scenario?: Scenario;
  /** Overrides the generator's `maxRegenerations` for this test. */
  maxRegenerations?: number;
  /** What to return when no answer validates. @default the template's rendering of the test case */
  fallback?: GeneratedTest;
}

/** Usage of one test, with the cost as a number (0 when the model has no price). */
export interface TestGenerationUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** The generated (or fallen-back) test and what it cost. */
export interface GenerateTestResult {
  test: GeneratedTest;
  usage: TestGenerationUsage;
  /** The last answer's validation (absent when no call was made). */
  validation?: TestValidation;
}

/** Writes test files with a Bedrock model. */
export interface BedrockTestGenerator {
  readonly modelId: string;
  /** Writes one test (the shape of the activities' TestWriter port). */
  write(request: GenerateTestRequest): Promise<GenerateTestResult>;
  /** Totals over every test written so far. */
  usage(): BedrockUsage;
}

/** Writes one test with `generator` (see {@link BedrockTestGenerator.write}). */
export function generateTestWithBedrock(
  generator: BedrockTestGenerator,
  request: GenerateTestRequest,
): Promise<GenerateTestResult> {
  return generator.write(request);
}

/** A Bedrock-backed test writer. BedrockCallError (access, throttling past the retries) propagates. */
export function createBedrockTestGenerator(options: BedrockTestGeneratorOptions): BedrockTestGenerator {
  const client = options.client ?? createBedrockRuntimeClient({ region: requireRegion(options.region) });
  const pricing = options.pricing ?? DEFAULT_BEDROCK_PRICING;
  const total = createUsageTracker(options.modelId, pricing);
  const cache = options.cache ?? createMemoryPromptCache();
  const temperature = options.temperature ?? 0;
  const maxTokens = options.maxTokens ?? 4096;
  let validator = options.validator;

  return {
    modelId: options.modelId,
    usage: () => total.snapshot(),
    async write(request) {
      const { testCase } = request;
      validator ??= createTestValidator();
      const fallback = request.fallback ?? renderTest(testCase);
      const prepared = prepareTest(testCase);
      const perTest = createUsageTracker(options.modelId, pricing);
      const usageOf = (): TestGenerationUsage => {
        const u = perTest.snapshot();
        return {
          calls: u.calls,
          inputTokens: u.inputTokens,
          outputTokens: u.outputTokens,
          costUsd: u.costUsd ?? 0,
        };
      };
      // Without its data the test means nothing, however it is written.
      if (prepared.dataProblems.length > 0) return { test: fallback, usage: usageOf() };

      const prompt = buildTestPrompt(testCase, request.scenario, fallback.content);
      const key = promptCacheKey([options.modelId, temperature, prompt.system, prompt.user]);
      const cached = await cache.get(key);
      if (cached?.[0] !== undefined) {
        total.recordCacheHit();
        return {
          test: bedrockTest(testCase, cached[0], usageRecord(options.modelId, perTest, [])),
          usage: usageOf(),
        };
      }

      const tracker = teeUsage(perTest, total);
      const conversation: ConverseRequest = {
        system: prompt.system,
        messages: [{ role: 'user', text: prompt.user }],
        temperature,
        maxTokens,
      };
      const regenerations = Math.max(0, request.maxRegenerations ?? options.maxRegenerations ?? 3);
      const rejected: string[] = [];
      let validation: TestValidation | undefined;
      for (let attempt = 0; attempt <= regenerations; attempt++) {
        const answer = await converse(
          client,
          options.modelId,
          conversation,
          options,
          tracker,
          `test ${testCase.id}`,
        );
        const content = extractCode(answer.text, testCase.framework);
        validation =
          answer.stopReason === 'max_tokens'
            ? {
                ok: false,
                errors: ['the answer was cut off at the output token limit; write a shorter file'],
                method: 'typescript-syntax',
              }
            : content.trim().length === 0
              ? { ok: false, errors: ['the answer contains no file'], method: 'typescript-syntax' }
              : await validator.validate(content, testCase.framework, testFileName(testCase));
        if (validation.ok) {
          await cache.set(key, [content]);
          return {
            test: bedrockTest(testCase, content, usageRecord(options.modelId, perTest, rejected)),
            usage: usageOf(),
            validation,
          };
        }
        rejected.push(validation.errors.join('\n'));
        if (attempt === regenerations) break;
        tracker.recordInvalidAnswer();
        conversation.messages.push(
          { role: 'assistant', text: answer.text.trim().length > 0 ? answer.text : '(empty)' },
          { role: 'user', text: repairPrompt(validation, testCase.framework) },
        );
      }
      const reason = `Bedrock's answer failed validation ${rejected.length} time(s)`;
      const test: GeneratedTest = { ...fallback, usage: usageRecord(options.modelId, perTest, rejected) };
      if (fallback.skipReason !== undefined) test.skipReason = `${fallback.skipReason}; ${reason}`;
      return { test, usage: usageOf(), ...(validation ? { validation } : {}) };
    },
  };
}

function bedrockTest(testCase: TestCase, content: string, usage: GenerationUsage): GeneratedTest {
  return { testCase, fileName: testFileName(testCase), content, generator: 'bedrock', usage };
}

function usageRecord(modelId: string, tracker: UsageTracker, rejected: readonly string[]): GenerationUsage {
  const u = tracker.snapshot();
  return {
    modelId,
    calls: u.calls,
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    ...(u.costUsd === undefined ? {} : { costUsd: u.costUsd }),
    ...(rejected.length > 0 ? { rejectedAnswers: [...rejected] } : {}),
  };
}

/** A tracker that records into both (one test's counts and the generator's totals). */
function teeUsage(a: UsageTracker, b: UsageTracker): UsageTracker {
  return {
    recordCall(i, o) {
      a.recordCall(i, o);
      b.recordCall(i, o);
    },
    recordThrottle() {
      a.recordThrottle();
      b.recordThrottle();
    },
    recordInvalidAnswer() {
      a.recordInvalidAnswer();
      b.recordInvalidAnswer();
    },
    recordCacheHit() {
      a.recordCacheHit();
      b.recordCacheHit();
    },
    snapshot: () => a.snapshot(),
  };
}

function requireRegion(region: string | undefined): string {
  if (region === undefined || region.length === 0) {
    throw new ConfigError('Bedrock needs a region (or pass a configured client)', 'AWS_REGION');
  }
  return region;
}

// ---------------------------------------------------------------- prompt

const SYSTEM_PROMPT = [
  'You write one automated test file for a scenario of a web application, in the framework the task names.',
  'Reply with the complete file in a single fenced code block and nothing else.',
  'Follow the conventions in the task exactly: imports, environment variables, how URLs are built, the file name.',
  'Use the records in dataReferences as the test data (they are synthetic and are in the database under test); never invent other records or credentials.',
  'Write one test named after the scenario. Make every scenario step a named step (Playwright test.step, a Robot Framework keyword, or a comment plus the assertion message in vitest) whose name starts with the step label given, so a failure shows which step failed.',
  'Rely on auto-waiting assertions; never sleep for a fixed time. Keep the file short and readable.',
  'The draft in the task is a deterministic translation of the steps the template understood; keep what is right and complete what it could not express.',
].join('\n');

const CONVENTIONS: Readonly<Record<TestFramework, readonly string[]>> = {
  playwright: [
    'Playwright Test in TypeScript (ES module): import { test, expect } from "@playwright/test"; no other imports except Node built-ins, "vitest" or "knex".',
    'Page URLs are paths such as page.goto("/customers/1"): the runner sets baseURL to the web UI and configures Chromium; never launch a browser yourself.',
    `API calls use the request fixture, with URLs under process.env.${TestEnvVar.apiUrl} (a relative path when it is unset).`,
    'Find fields by label, placeholder, name or id; buttons and links by role and name.',
  ],
  robot: [
    'Robot Framework 7 suite in the space-separated format (four spaces between cells); sections *** Settings ***, *** Variables ***, *** Test Cases ***, *** Keywords ***.',
    'Libraries: SeleniumLibrary for the browser, RequestsLibrary for HTTP (session-less GET/POST/PUT/PATCH/DELETE keywords with expected_status=any), Collections and BuiltIn. No other libraries, resource or variable files.',
    '${BASE_URL} (web UI) and ${API_URL} (API root) come from the command line: declare them in *** Variables *** with defaults ${EMPTY} and ${BASE_URL}.',
    `Open the browser with: Open Browser    \${BASE_URL}/path    \${BROWSER}    options=\${BROWSER_OPTIONS}    executable_path=\${CHROMEDRIVER}, declaring \${BROWSER} headlesschrome, \${BROWSER_OPTIONS} ${ROBOT_BROWSER_OPTIONS} and \${CHROMEDRIVER} \${NONE}; Close All Browsers in the Test Teardown.`,
    'Each scenario step is a user keyword named after its label (letters, digits and simple punctuation; no ${ } in names).',
  ],
  api: [
    'vitest in TypeScript (ES module): import { test, expect } from "vitest"; for database checks import knex from "knex"; no other imports except Node built-ins.',
    `HTTP with the global fetch against process.env.${TestEnvVar.apiUrl} (or process.env.${TestEnvVar.baseUrl} when unset).`,
    `Database checks with const db = knex(JSON.parse(process.env.${TestEnvVar.database} ?? "")), destroyed in afterAll; query with the knex query builder.`,
    'Give every assertion the step label as its message: expect(value, "Step 2: ...").',
  ],
};

/** The system prompt and the user turn for one test. */
export function buildTestPrompt(
  testCase: TestCase,
  scenario: Scenario | undefined,
  draft: string | undefined,
): { system: string; user: string } {
  const fileName = testFileName(testCase);
  const labels = [...new Set(testCase.stepLabels ?? [])];
  const task = {
    task: 'write_test',
    framework: testCase.framework,
    fileName,
    conventions: CONVENTIONS[testCase.framework],
    scenario: scenario
      ? {
          id: scenario.id,
          title: scenario.title,
          preconditions: scenario.preconditions,
          steps: scenario.steps.map((s, i) => ({
            label: `Step ${i + 1}`,
            action: s.action,
            ...(s.data !== undefined ? { data: s.data } : {}),
            ...(s.expected !== undefined ? { expected: s.expected } : {}),
          })),
          expectedResults: scenario.expectedResults,
        }
      : { id: testCase.scenarioId, title: testCase.scenarioTitle, steps: labels },
    stepLabels: labels,
    dataReferences: testCase.dataReferences.map((r) => ({
      alias: r.alias,
      table: r.table,
      description: r.description,
      filters: r.filters,
      ...(r.record ? { record: r.record } : {}),
    })),
    placeholders: "In steps, {alias.column} stands for that column of the alias's record.",
    ...(draft !== undefined ? { draft } : {}),
  };
  const user = `Write the ${testCase.framework} test file ${fileName} for this task:\n${JSON.stringify(task, null, 1)}`;
  return { system: SYSTEM_PROMPT, user };
}

function repairPrompt(validation: TestValidation, framework: TestFramework): string {
  const how =
    validation.method === 'robot-dryrun'
      ? 'a Robot Framework dry run'
      : validation.method === 'robot-structure'
        ? 'a Robot Framework structure check'
        : 'the TypeScript compiler';
  return [
    `The file does not pass ${how}:`,
    ...validation.errors.map((e) => `- ${e}`),
    `Reply with the corrected complete ${framework} file in one fenced code block.`,
  ].join('\n');
}

const TS_LANGUAGES = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'mts']);
const ROBOT_LANGUAGES = new Set(['robot', 'robotframework', 'robot-framework']);

/**
 * The file in a model's answer: the fenced block in the framework's language (else the longest
 * block; an unclosed fence runs to the end), or the whole answer when it has no fence.
 */
export function extractCode(answer: string, framework: TestFramework): string {
  const blocks: { language: string; code: string }[] = [];
  const fence = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)(?:\n[ \t]*\2[ \t]*(?=\n|$)|$)/g;
  for (const m of answer.matchAll(fence))
    blocks.push({ language: (m[3] ?? '').toLowerCase(), code: m[4] ?? '' });
  if (blocks.length === 0) return ensureNewline(answer.trim());
  const wanted = framework === 'robot' ? ROBOT_LANGUAGES : TS_LANGUAGES;
  const matching = blocks.filter((b) => wanted.has(b.language));
  const pool = matching.length > 0 ? matching : blocks;
  const best = pool.reduce((a, b) => (b.code.length > a.code.length ? b : a));
  return ensureNewline(best.code.replace(/\s+$/, ''));
}

function ensureNewline(text: string): string {
  return text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
}

// ---------------------------------------------------------------- environment

/** Environment variables read by {@link readBedrockTestGeneratorFromEnv}. */
export const BEDROCK_TEST_ENV = {
  modelId: 'UNDERSTUDY_BEDROCK_TEST_MODEL_ID',
  sharedModelId: 'UNDERSTUDY_BEDROCK_MODEL_ID',
  enabled: 'UNDERSTUDY_BEDROCK_TESTS',
  region: 'UNDERSTUDY_BEDROCK_REGION',
  endpoint: 'UNDERSTUDY_BEDROCK_ENDPOINT',
  priceInput: 'UNDERSTUDY_BEDROCK_PRICE_INPUT_PER_1K',
  priceOutput: 'UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K',
} as const;

/**
 * The Bedrock test generator the environment configures, or undefined: the model is
 * UNDERSTUDY_BEDROCK_TEST_MODEL_ID (else UNDERSTUDY_BEDROCK_MODEL_ID), the region
 * UNDERSTUDY_BEDROCK_REGION or AWS_REGION, credentials AWS_ACCESS_KEY_ID/SECRET (else the SDK's
 * default chain); UNDERSTUDY_BEDROCK_TESTS=false turns it off.
 */
export function readBedrockTestGeneratorFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  extra: Partial<Pick<BedrockTestGeneratorOptions, 'sleep' | 'validator' | 'cache'>> = {},
): { generator: BedrockTestGenerator; summary: string } | undefined {
  const E = BEDROCK_TEST_ENV;
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v.length === 0 ? undefined : v;
  };
  const modelId = get(E.modelId) ?? get(E.sharedModelId);
  if (modelId === undefined) return undefined;
  const enabled = get(E.enabled)?.toLowerCase();
  if (enabled !== undefined) {
    if (['0', 'false', 'no', 'off'].includes(enabled)) return undefined;
    if (!['1', 'true', 'yes', 'on'].includes(enabled))
      throw new ConfigError('must be true or false', E.enabled);
  }
  const { client, region } = createBedrockRuntimeClientFromEnv(get, {
    region: E.region,
    endpoint: E.endpoint,
    requiredBy: get(E.modelId) === undefined ? E.sharedModelId : E.modelId,
  });
  const input = get(E.priceInput);
  const output = get(E.priceOutput);
  let pricing: BedrockPricing = DEFAULT_BEDROCK_PRICING;
  if (input !== undefined || output !== undefined) {
    const inputPer1k = Number(input);
    const outputPer1k = Number(output);
    if (input === undefined || !Number.isFinite(inputPer1k) || inputPer1k < 0)
      throw new ConfigError('must be a non-negative number (set both prices or neither)', E.priceInput);
    if (output === undefined || !Number.isFinite(outputPer1k) || outputPer1k < 0)
      throw new ConfigError('must be a non-negative number (set both prices or neither)', E.priceOutput);
    pricing = { ...DEFAULT_BEDROCK_PRICING, [modelId]: { inputPer1k, outputPer1k } };
  }
  const generator = createBedrockTestGenerator({ modelId, client, pricing, ...extra });
  return { generator, summary: `bedrock test generation: ${modelId} in ${region}` };
}
