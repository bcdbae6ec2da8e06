/**
 * The fallback free-text generator when Bedrock is not configured: lorem sentences whose lengths
 * follow the column's range and mean, deterministic in (seed, table, column, request seed).
 */
import { createRng } from '../../core/random/index.js';
import { deriveSeed } from '../../core/random/index.js';
import { createLengthSampler, loremOfLength } from '../../core/synth/lorem.js';
import { getVocabulary } from '../../core/synth/vocabulary.js';
import type { FreeTextGenerator, FreeTextRequest } from './text-generator-port.js';

/** Options of {@link createLocalTextGenerator}. */
export interface LocalTextGeneratorOptions {
  /** @default 0 */
  seed?: number;
}

/** A generator that needs no network: same interface as the Bedrock one. */
export function createLocalTextGenerator(options: LocalTextGeneratorOptions = {}): FreeTextGenerator {
  return {
    name: 'local',
    generate(request) {
      return Promise.resolve(localTexts(request, options.seed ?? 0));
    },
    usage: () => ({
      modelId: 'local',
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      throttledRetries: 0,
      invalidAnswerRetries: 0,
      cacheHits: 0,
      costUsd: 0,
    }),
  };
}

/** Lorem texts for every row of `request`, within its length range. */
export function localTexts(request: FreeTextRequest, seed: number): string[] {
  const { min, max } = lengthRange(request);
  const mean = Math.min(max, Math.max(min, request.meanLength ?? (min + max) / 2));
  const sample = createLengthSampler({ min, max, mean });
  const rng = createRng(
    deriveSeed(seed, hashText(request.table), hashText(request.column), request.seed ?? 0),
  );
  const words = getVocabulary().loremWords;
  return request.rows.map(() => loremOfLength(words, sample(rng), rng));
}

/** The request's length range, made sane (non-negative, min ≤ max). */
export function lengthRange(request: Pick<FreeTextRequest, 'minLength' | 'maxLength'>): {
  min: number;
  max: number;
} {
  const min = Math.max(0, Math.floor(request.minLength));
  return { min, max: Math.max(min, Math.floor(request.maxLength)) };
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
