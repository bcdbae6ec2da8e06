/**
 * Which outside helpers the sensitivity stage may use, read from the environment: the Confluence
 * data-dictionary classifier, the Bedrock classifier and the free-text generator (Bedrock, or the
 * local lorem fallback). Nothing is configured unless its variables are set.
 */
import { ConfigError } from '../core/errors.js';
import type { ExternalClassifier } from '../core/pii/external.js';
import {
  createBedrockClassifier,
  createBedrockRuntimeClientFromEnv,
  createBedrockTextGenerator,
  createLocalTextGenerator,
  DEFAULT_BEDROCK_PRICING,
  type BedrockClassifier,
  type BedrockPricing,
  type FreeTextGenerator,
} from './bedrock/index.js';
import {
  createConfluenceClassifier,
  createJsonFileAnswerCache,
  createMemoryAnswerCache,
  type ConfluenceClassifier,
} from './confluence/index.js';

/** The configured helpers. */
export interface PiiIntegrations {
  /** Outside classifiers to merge into the sensitivity report (possibly none). */
  classifiers: ExternalClassifier[];
  /** Free-text writer: Bedrock when configured, otherwise local. */
  textGenerator: FreeTextGenerator;
  confluence: ConfluenceClassifier | undefined;
  bedrock: BedrockClassifier | undefined;
  /** What is configured, one line each, without secrets (for the worker's start-up log). */
  summary: string[];
}

/** The environment variables read, for docs and error messages. */
export const PII_INTEGRATION_ENV = {
  confluenceHost: 'UNDERSTUDY_CONFLUENCE_HOST',
  confluenceEmail: 'UNDERSTUDY_CONFLUENCE_EMAIL',
  confluenceApiToken: 'UNDERSTUDY_CONFLUENCE_API_TOKEN',
  confluenceSpace: 'UNDERSTUDY_CONFLUENCE_SPACE',
  confluenceCacheFile: 'UNDERSTUDY_CONFLUENCE_CACHE_FILE',
  confluenceCacheMaxAgeHours: 'UNDERSTUDY_CONFLUENCE_CACHE_MAX_AGE_HOURS',
  bedrockModelId: 'UNDERSTUDY_BEDROCK_MODEL_ID',
  bedrockTextModelId: 'UNDERSTUDY_BEDROCK_TEXT_MODEL_ID',
  bedrockRegion: 'UNDERSTUDY_BEDROCK_REGION',
  bedrockEndpoint: 'UNDERSTUDY_BEDROCK_ENDPOINT',
  bedrockClassify: 'UNDERSTUDY_BEDROCK_CLASSIFY',
  bedrockText: 'UNDERSTUDY_BEDROCK_TEXT',
  bedrockPriceInput: 'UNDERSTUDY_BEDROCK_PRICE_INPUT_PER_1K',
  bedrockPriceOutput: 'UNDERSTUDY_BEDROCK_PRICE_OUTPUT_PER_1K',
} as const;

/** Test and embedding hooks for {@link readPiiIntegrationsFromEnv}. */
export interface PiiIntegrationHooks {
  /** How retries wait. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** The helpers the environment configures (none when no variable is set). */
export function readPiiIntegrationsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  hooks: PiiIntegrationHooks = {},
): PiiIntegrations {
  const E = PII_INTEGRATION_ENV;
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v.length === 0 ? undefined : v;
  };
  const summary: string[] = [];
  const classifiers: ExternalClassifier[] = [];
  const sleepHook = hooks.sleep === undefined ? {} : { sleep: hooks.sleep };

  let confluence: ConfluenceClassifier | undefined;
  const confluenceVars = [E.confluenceHost, E.confluenceEmail, E.confluenceApiToken, E.confluenceSpace];
  // The data-dictionary space turns the classifier on; host and credentials alone may be there only
  // to publish run pages (UNDERSTUDY_CONFLUENCE_REPORT_SPACE, possibly with a PAT).
  if (get(E.confluenceSpace) !== undefined) {
    const missing = confluenceVars.find((n) => get(n) === undefined);
    if (missing !== undefined) throw new ConfigError(`is required when ${E.confluenceSpace} is set`, missing);
    const cacheFile = get(E.confluenceCacheFile);
    const maxAgeHours = get(E.confluenceCacheMaxAgeHours);
    const maxAgeMs =
      maxAgeHours === undefined
        ? undefined
        : positiveNumber(maxAgeHours, E.confluenceCacheMaxAgeHours) * 3_600_000;
    confluence = createConfluenceClassifier({
      host: get(E.confluenceHost) as string,
      email: get(E.confluenceEmail) as string,
      apiToken: get(E.confluenceApiToken) as string,
      spaceKey: get(E.confluenceSpace) as string,
      cache:
        cacheFile === undefined
          ? createMemoryAnswerCache()
          : createJsonFileAnswerCache(cacheFile, maxAgeMs === undefined ? {} : { maxAgeMs }),
      ...sleepHook,
    });
    classifiers.push(confluence);
    summary.push(
      `confluence: space ${get(E.confluenceSpace)} on ${get(E.confluenceHost)}${cacheFile === undefined ? '' : `, cache ${cacheFile}`}`,
    );
  }

  let bedrock: BedrockClassifier | undefined;
  let textGenerator: FreeTextGenerator = createLocalTextGenerator();
  const modelId = get(E.bedrockModelId);
  if (modelId !== undefined) {
    // Keys in the given environment win; otherwise the SDK's default chain (profile, SSO, instance role).
    const { client, region } = createBedrockRuntimeClientFromEnv(get, {
      region: E.bedrockRegion,
      endpoint: E.bedrockEndpoint,
      requiredBy: E.bedrockModelId,
    });
    const textModelId = get(E.bedrockTextModelId) ?? modelId;
    const pricing = pricingFrom(get(E.bedrockPriceInput), get(E.bedrockPriceOutput), [modelId, textModelId]);
    if (flag(get(E.bedrockClassify), E.bedrockClassify)) {
      bedrock = createBedrockClassifier({ modelId, client, pricing, ...sleepHook });
      classifiers.push(bedrock);
      summary.push(`bedrock classifier: ${modelId} in ${region}`);
    }
    if (flag(get(E.bedrockText), E.bedrockText)) {
      textGenerator = createBedrockTextGenerator({ modelId: textModelId, client, pricing, ...sleepHook });
      summary.push(`bedrock free text: ${textModelId} in ${region}`);
    }
  }
  if (textGenerator.name === 'local') summary.push('free text: local lorem generator');
  return { classifiers, textGenerator, confluence, bedrock, summary };
}

function pricingFrom(
  input: string | undefined,
  output: string | undefined,
  models: readonly string[],
): BedrockPricing {
  if (input === undefined && output === undefined) return DEFAULT_BEDROCK_PRICING;
  if (input === undefined || output === undefined) {
    throw new ConfigError(
      'set both prices or neither',
      input === undefined ? PII_INTEGRATION_ENV.bedrockPriceInput : PII_INTEGRATION_ENV.bedrockPriceOutput,
    );
  }
  const price = {
    inputPer1k: positiveNumber(input, PII_INTEGRATION_ENV.bedrockPriceInput, true),
    outputPer1k: positiveNumber(output, PII_INTEGRATION_ENV.bedrockPriceOutput, true),
  };
  return { ...DEFAULT_BEDROCK_PRICING, ...Object.fromEntries(models.map((m) => [m, price])) };
}

function positiveNumber(text: string, name: string, zeroAllowed = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0))
    throw new ConfigError('must be a positive number', name);
  return n;
}

function flag(text: string | undefined, name: string): boolean {
  if (text === undefined) return true;
  const t = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off'].includes(t)) return false;
  throw new ConfigError('must be true or false', name);
}
