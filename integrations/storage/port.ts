/**
 * The artifact store port: every sample, model, synthetic chunk and report is addressed by a URI,
 * so workflow payloads carry URIs and checksums, never rows. A local directory implements it today;
 * an S3 store implements the same port by staging through a local cache directory.
 */

/** A stored artifact: where it is, how big it is and what its bytes hash to. */
export interface ArtifactRef {
  uri: string;
  bytes: number;
  sha256: string;
}

/** Addressable, atomic storage for pipeline artifacts. */
export interface ArtifactStore {
  /** The root URI with a trailing slash, e.g. `file:///var/understudy/`. */
  readonly root: string;
  /** The URI of a path below the root; rejects empty, `.`/`..`, absolute and NUL-bearing segments (ConfigError). */
  uriFor(...segments: string[]): string;
  /**
   * The filesystem path of an artifact, for tools such as DuckDB that need one; throws ConfigError for a
   * URI outside the root or of another scheme. Only stores whose artifacts are local files can answer;
   * portable code reads through {@link ArtifactStore.localCopy} and writes through {@link ArtifactStore.writeWith}.
   */
  localPath(uri: string): string;
  /** A local file holding the artifact's bytes: the file itself here, a downloaded cache copy for remote stores. */
  localCopy(uri: string): Promise<string>;
  /** Writes bytes atomically (temp file in the same directory, fsync, rename), replacing any previous artifact. */
  putBytes(uri: string, data: Uint8Array | string): Promise<ArtifactRef>;
  /** Writes a value as stable JSON (sorted keys, two-space indent, trailing newline), atomically. */
  putJson(uri: string, value: unknown): Promise<ArtifactRef>;
  /** The artifact's bytes; throws ArtifactNotFoundError when it does not exist. */
  getBytes(uri: string): Promise<Buffer>;
  /** The artifact parsed as JSON; throws ArtifactNotFoundError when missing, DataError when not JSON. */
  getJson<T>(uri: string): Promise<T>;
  /** Whether an artifact exists at the URI. */
  exists(uri: string): Promise<boolean>;
  /** Size and checksum of an artifact, or `undefined` when there is none. */
  stat(uri: string): Promise<ArtifactRef | undefined>;
  /** URIs of every artifact whose URI starts with the prefix (S3 semantics), sorted. */
  list(prefixUri: string): Promise<string[]>;
  /**
   * Lets a tool (DuckDB `COPY … TO`) produce the artifact at a temporary path in the same directory,
   * then fsyncs and renames it into place; the temp file is removed if `write` fails. A writer that
   * already knows the size and SHA-256 of what it wrote may return them, sparing a re-read of the file.
   */
  writeWith(uri: string, write: (tmpPath: string) => Promise<void | FileDigest>): Promise<ArtifactRef>;
}

/** Size and SHA-256 of bytes a writer produced. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}
