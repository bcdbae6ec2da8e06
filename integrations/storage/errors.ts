/** Raised when an artifact URI names nothing: usually a run reading an artifact an earlier stage never wrote. */
export class ArtifactNotFoundError extends Error {
  override readonly name = 'ArtifactNotFoundError';
  /** The URI that was asked for. */
  readonly uri: string;
  constructor(uri: string, options?: { cause?: unknown }) {
    super(`artifact not found: ${uri}`, options);
    this.uri = uri;
  }
}
