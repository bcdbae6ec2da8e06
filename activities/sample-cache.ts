/**
 * Reads a run's sample and JSON artifacts, keeping the last few in memory: the synthesis and load stages
 * ask for the same model and sample once per chunk, and re-parsing them each time would dominate.
 */
import type { Table } from '../core/table.js';
import type { ArtifactStore } from '../integrations/storage/index.js';
import { readTableFile } from '../integrations/tabular/index.js';

const MAX_ENTRIES = 4;
const cache = new Map<string, Promise<unknown>>();

function remember<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit as Promise<T>;
  const value = load();
  cache.set(key, value);
  // A failed read must not be cached, or a retry would see the same failure forever.
  value.catch(() => cache.delete(key));
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}

/** The Parquet table at an artifact URI. Artifacts are immutable once written, so caching is safe. */
export function readTableArtifact(store: ArtifactStore, uri: string): Promise<Table> {
  // localCopy: the file itself for a local store, a cached download for S3.
  return remember(`table:${uri}`, async () =>
    readTableFile(await store.localCopy(uri), 'parquet', { displayName: uri }),
  );
}

/** The JSON document at an artifact URI. */
export function readJsonArtifact<T>(store: ArtifactStore, uri: string): Promise<T> {
  return remember(`json:${uri}`, () => store.getJson<T>(uri));
}
