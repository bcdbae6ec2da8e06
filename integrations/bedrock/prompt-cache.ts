/** Cache of model answers by prompt: the same prompt (model, system, user text, temperature) is asked once. */
import { createHash } from 'node:crypto';

/** Where answers to prompts are kept. */
export interface PromptCache {
  get(key: string): Promise<string[] | undefined>;
  set(key: string, texts: readonly string[]): Promise<void>;
}

/** The cache key of a prompt: a SHA-256 over everything that shapes the answer. */
export function promptCacheKey(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A cache that lives as long as the process. */
export function createMemoryPromptCache(): PromptCache {
  const store = new Map<string, string[]>();
  return {
    get: (key) => Promise.resolve(store.get(key)),
    set(key, texts) {
      store.set(key, [...texts]);
      return Promise.resolve();
    },
  };
}
