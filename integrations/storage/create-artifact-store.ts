import os from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../core/errors.js';
import { createS3Client, readS3Settings, type S3Settings } from '../s3/s3-settings.js';
import { createLocalArtifactStore } from './local-artifact-store.js';
import type { ArtifactStore } from './port.js';
import { createS3ArtifactStore } from './s3-artifact-store.js';

/** Where artifacts live: a `file://` URI, a plain directory path (relative paths resolve against the working directory) or `s3://bucket/prefix`. */
export interface ArtifactStoreConfig {
  root: string;
  /** S3 client settings for an `s3://` root. @default read from the environment (readS3Settings) */
  s3?: S3Settings;
  /** Local cache of an S3 store. @default UNDERSTUDY_S3_CACHE_DIR or `<os tmp>/understudy-s3-cache` */
  cacheDir?: string;
}

/** The artifact store a config names: local for `file://` URIs and plain paths, S3 for `s3://bucket/prefix`. */
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
  if (scheme === 's3') {
    const settings = config.s3 ?? readS3Settings();
    return createS3ArtifactStore({
      root,
      client: createS3Client(settings),
      cacheDir:
        config.cacheDir ?? process.env.UNDERSTUDY_S3_CACHE_DIR ?? join(os.tmpdir(), 'understudy-s3-cache'),
      partSize: settings.partSize,
      queueSize: settings.queueSize,
    });
  }
  throw new ConfigError(
    `scheme ${scheme}:// is not supported (use a directory, file:// or s3://)`,
    'artifactStore.root',
  );
}
