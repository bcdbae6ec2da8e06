/** Amazon Bedrock: the LLM field classifier and the free-text generator (with a local fallback). */
export { createBedrockClassifier } from './bedrock-classifier.js';
export type { BedrockClassifier, BedrockClassifierOptions } from './bedrock-classifier.js';
export { createBedrockTextGenerator, fitLength } from './bedrock-text-generator.js';
export type { BedrockTextGeneratorOptions } from './bedrock-text-generator.js';
export { createLocalTextGenerator, localTexts } from './local-text-generator.js';
export type { LocalTextGeneratorOptions } from './local-text-generator.js';
export type { FreeTextGenerator, FreeTextRequest } from './text-generator-port.js';
export { createMemoryPromptCache, promptCacheKey } from './prompt-cache.js';
export type { PromptCache } from './prompt-cache.js';
export { createBedrockRuntimeClient, createBedrockRuntimeClientFromEnv } from './runtime-client.js';
export type { BedrockClientOptions } from './runtime-client.js';
export type { RetryPolicy } from './converse.js';
export { costOf, DEFAULT_BEDROCK_PRICING, priceOf } from './pricing.js';
export type { BedrockPricing, ModelPrice } from './pricing.js';
export type { BedrockUsage } from './usage.js';
export { BedrockAnswerError, BedrockCallError } from './errors.js';
