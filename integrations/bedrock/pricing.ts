/**
 * On-demand prices of Bedrock models, to turn token counts into a cost estimate. Prices change and
 * differ by region: the table is a default (USD, us-east-1 list prices as of 2025), and callers
 * pass their own through configuration.
 */

/** USD per 1,000 tokens in and out. */
export interface ModelPrice {
  inputPer1k: number;
  outputPer1k: number;
}

/** Prices by model id (without a cross-region prefix such as `us.`). */
export type BedrockPricing = Readonly<Record<string, ModelPrice>>;

/** The default price table. */
export const DEFAULT_BEDROCK_PRICING: BedrockPricing = {
  'anthropic.claude-3-haiku-20240307-v1:0': { inputPer1k: 0.00025, outputPer1k: 0.00125 },
  'anthropic.claude-3-5-haiku-20241022-v1:0': { inputPer1k: 0.0008, outputPer1k: 0.004 },
  'anthropic.claude-3-5-sonnet-20240620-v1:0': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'anthropic.claude-3-5-sonnet-20241022-v2:0': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'anthropic.claude-sonnet-4-20250514-v1:0': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'amazon.nova-micro-v1:0': { inputPer1k: 0.000035, outputPer1k: 0.00014 },
  'amazon.nova-lite-v1:0': { inputPer1k: 0.00006, outputPer1k: 0.00024 },
  'amazon.nova-pro-v1:0': { inputPer1k: 0.0008, outputPer1k: 0.0032 },
  'meta.llama3-1-8b-instruct-v1:0': { inputPer1k: 0.00022, outputPer1k: 0.00022 },
  'meta.llama3-1-70b-instruct-v1:0': { inputPer1k: 0.00072, outputPer1k: 0.00072 },
  'mistral.mistral-small-2402-v1:0': { inputPer1k: 0.001, outputPer1k: 0.003 },
  'mistral.mistral-large-2402-v1:0': { inputPer1k: 0.004, outputPer1k: 0.012 },
};

const CROSS_REGION_PREFIX = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;

/** The price of `modelId` in `pricing` (exact id first, then without a cross-region inference prefix or ARN). */
export function priceOf(modelId: string, pricing: BedrockPricing): ModelPrice | undefined {
  const bare = modelId.includes('/') ? (modelId.split('/').pop() ?? modelId) : modelId;
  return pricing[modelId] ?? pricing[bare] ?? pricing[bare.replace(CROSS_REGION_PREFIX, '')];
}

/** USD for the given token counts. */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens / 1000) * price.inputPer1k + (outputTokens / 1000) * price.outputPer1k;
}
