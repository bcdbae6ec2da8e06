/**
 * Caches of Confluence answers, keyed by space, table and column, so a second classification of
 * the same table asks Confluence nothing. "No definition found" is an answer too and is cached.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClassifierContribution } from '../../core/pii/types.js';

/** What was learnt about one column (empty when the space documents it nowhere). */
export interface CachedAnswer {
  contributions: ClassifierContribution[];
  /** ISO time of the lookup, so stale answers can be told apart. */
  at: string;
}

/** Where answers are kept between lookups. */
export interface ConfluenceAnswerCache {
  /** The answers known for `keys` (missing keys are absent from the map). */
  getMany(keys: readonly string[]): Promise<Map<string, CachedAnswer>>;
  /** Stores answers; one call per classification batch, so file caches write once. */
  setMany(entries: ReadonlyMap<string, CachedAnswer>): Promise<void>;
}

/** The cache key of one column: space, table and column, case-folded. */
export function confluenceCacheKey(spaceKey: string, table: string, column: string): string {
  return JSON.stringify([spaceKey.toUpperCase(), table.toLowerCase(), column.toLowerCase()]);
}

/** A cache that lives as long as the process (the default). */
export function createMemoryAnswerCache(): ConfluenceAnswerCache {
  const store = new Map<string, CachedAnswer>();
  return {
    getMany(keys) {
      const found = new Map<string, CachedAnswer>();
      for (const key of keys) {
        const hit = store.get(key);
        if (hit !== undefined) found.set(key, hit);
      }
      return Promise.resolve(found);
    },
    setMany(entries) {
      for (const [key, value] of entries) store.set(key, value);
      return Promise.resolve();
    },
  };
}

/** Options of {@link createJsonFileAnswerCache}. */
export interface JsonFileAnswerCacheOptions {
  /** Answers older than this are looked up again. @default no expiry */
  maxAgeMs?: number;
  /** The clock, for expiry. @default Date.now */
  now?: () => number;
}

/**
 * A cache in one JSON file that survives restarts; written whole through a temporary file and a
 * rename, so a crash mid-write leaves the previous version intact.
 */
export function createJsonFileAnswerCache(
  path: string,
  options: JsonFileAnswerCacheOptions = {},
): ConfluenceAnswerCache {
  const now = options.now ?? Date.now;
  let loaded: Map<string, CachedAnswer> | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function load(): Promise<Map<string, CachedAnswer>> {
    if (loaded !== undefined) return loaded;
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parsed: unknown = text === undefined ? {} : JSON.parse(text);
    const entries = (parsed as { answers?: Record<string, CachedAnswer> }).answers ?? {};
    loaded = new Map(Object.entries(entries));
    return loaded;
  }

  function fresh(answer: CachedAnswer): boolean {
    if (options.maxAgeMs === undefined) return true;
    return now() - Date.parse(answer.at) <= options.maxAgeMs;
  }

  return {
    async getMany(keys) {
      const store = await load();
      const found = new Map<string, CachedAnswer>();
      for (const key of keys) {
        const hit = store.get(key);
        if (hit !== undefined && fresh(hit)) found.set(key, hit);
      }
      return found;
    },
    async setMany(entries) {
      const store = await load();
      for (const [key, value] of entries) store.set(key, value);
      // Serialise writers in this process; each writes the whole, current map.
      // A failed write must not poison later ones, hence the catch before chaining.
      writing = writing
        .catch(() => undefined)
        .then(async () => {
          await mkdir(dirname(path), { recursive: true });
          const tmp = `${path}.${process.pid}.tmp`;
          await writeFile(tmp, JSON.stringify({ version: 1, answers: Object.fromEntries(store) }, null, 1));
          await rename(tmp, path);
        });
      await writing;
    },
  };
}
