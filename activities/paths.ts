/** Naming of a run's artifacts and resolution of user-given paths; shared by the stage activities. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';
import type { ArtifactStore } from '../integrations/storage/index.js';

/** URI of an artifact of a run, e.g. `runs/<runKey>/profile.json`. */
export function runArtifact(store: ArtifactStore, runKey: string, ...name: string[]): string {
  return store.uriFor('runs', ...runKey.split('/'), ...name);
}

/** URI of synthetic part k under a parts prefix (parts are numbered so that they sort in order). */
export function partUri(partsPrefix: string, k: number): string {
  return `${partsPrefix}/part-${String(k).padStart(6, '0')}.parquet`;
}

/** URI of the small JSON beside part k: its row count, checksum and exact-copy count. */
export function partMetaUri(partsPrefix: string, k: number): string {
  return `${partsPrefix}/part-${String(k).padStart(6, '0')}.meta.json`;
}

/** The edge-case sidecar of part k: {row, column, type} records of the anomalies injected into it. */
export function partEdgeCasesUri(partsPrefix: string, k: number): string {
  return `${partsPrefix}/part-${String(k).padStart(6, '0')}.edge-cases.json`;
}

/** Local path of a source URI: `file://…`, an absolute path, or a path relative to `baseDir`. */
export function resolveSourcePath(uri: string, baseDir: string, field = 'source.uri'): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new ConfigError(
      `the scheme of this URI is not supported yet (use a file path or file:// URI)`,
      field,
    );
  }
  return path.resolve(baseDir, uri);
}

/** Resolves a file target path inside the output root; anything that escapes it is a ConfigError. */
export function resolveOutputPath(outputRoot: string, target: string, field = 'targets[].path'): string {
  const root = path.resolve(outputRoot);
  const resolved = path.resolve(root, target);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw new ConfigError('the path leaves the output directory (UNDERSTUDY_OUTPUT_DIR)', field);
  }
  if (resolved === root)
    throw new ConfigError('the path names the output directory itself, not a file', field);
  return resolved;
}
