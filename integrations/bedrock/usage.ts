/** Token and cost accounting shared by the Bedrock classifier and text generator. */
import { costOf, priceOf, type BedrockPricing } from './pricing.js';

/** What the Bedrock calls of one classifier or generator have used so far. */
export interface BedrockUsage {
  modelId: string;
  /** Converse calls answered (retries included). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Calls repeated after ThrottlingException or a transient service error. */
  throttledRetries: number;
  /** Calls repeated because the answer was not valid JSON for the schema. */
  invalidAnswerRetries: number;
  /** Prompts answered from the cache without a call. */
  cacheHits: number;
  /** Estimated USD, or undefined when the model has no price in the table. */
  costUsd: number | undefined;
}

/** Mutable counters behind {@link BedrockUsage}. */
export interface UsageTracker {
  recordCall(inputTokens: number, outputTokens: number): void;
  recordThrottle(): void;
  recordInvalidAnswer(): void;
  recordCacheHit(): void;
  snapshot(): BedrockUsage;
}

/** A tracker pricing tokens of `modelId` with `pricing`. */
export function createUsageTracker(modelId: string, pricing: BedrockPricing): UsageTracker {
  const price = priceOf(modelId, pricing);
  const u = {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    throttledRetries: 0,
    invalidAnswerRetries: 0,
    cacheHits: 0,
  };
  return {
    recordCall(inputTokens, outputTokens) {
      u.calls++;
      u.inputTokens += inputTokens;
      u.outputTokens += outputTokens;
    },
    recordThrottle: () => void u.throttledRetries++,
    recordInvalidAnswer: () => void u.invalidAnswerRetries++,
    recordCacheHit: () => void u.cacheHits++,
    snapshot: () => ({
      modelId,
      ...u,
      costUsd: price === undefined ? undefined : costOf(price, u.inputTokens, u.outputTokens),
    }),
  };
}
