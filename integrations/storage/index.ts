/** Artifact storage addressed by URI: the port, the local-directory store and the config-driven factory. */
export type { ArtifactRef, ArtifactStore, FileDigest } from './port.js';
export { createLocalArtifactStore, TEMP_FILE_PREFIX } from './local-artifact-store.js';
export {
  createS3ArtifactStore,
  SHA256_METADATA_KEY,
  type S3ArtifactStoreOptions,
} from './s3-artifact-store.js';
export { createArtifactStore, type ArtifactStoreConfig } from './create-artifact-store.js';
export { ArtifactNotFoundError } from './errors.js';
export { stringifyStable } from './stable-json.js';
