import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../core/errors.js';
import { createLocalArtifactStore } from './local-artifact-store.js';
import type { ArtifactStore } from './port.js';

/** Where artifacts live: a `file://` URI or a plain directory path (relative paths resolve against the working directory). */
export interface ArtifactStoreConfig {
  root: string;
}

/** The artifact store a config names: local for `file://` URIs and plain paths; `s3://` is refused until the S3 store ships. */
export function createArtifactStore(config: ArtifactStoreConfig): ArtifactStore {
  const root = config.root.trim();
  if (root === '') throw new ConfigError('must name a directory or a file:// URI', 'artifactStore.root');
  if (root.includes('\0')) throw new ConfigError('contains a NUL character', 'artifactStore.root');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(root)?.[1]?.toLowerCase();
  if (scheme === undefined) return createLocalArtifactStore(isAbsolute(root) ? root : resolve(root));
  if (scheme === 'file') {
    let path: string;
    try {
      path = fileURLToPath(root);
    } catch (cause) {
      throw new ConfigError('is not a valid local file:// URI', 'artifactStore.root', { cause });
    }
    return createLocalArtifactStore(path);
  }
  if (scheme === 's3')
    throw new ConfigError('S3 artifact stores arrive in a later release', 'artifactStore.root');
  throw new ConfigError(
    `scheme ${scheme}:// is not supported (use a directory, file:// or s3://)`,
    'artifactStore.root',
  );
}
