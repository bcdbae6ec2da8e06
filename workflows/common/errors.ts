/** Failure types carried by ApplicationFailure.type: part of the wire contract, renaming breaks users. */
export const ErrorType = {
  /** Malformed or unusable input data; never retried. */
  DataError: 'DataError',
  /** Invalid run configuration or deployment settings; never retried. */
  ConfigError: 'ConfigError',
  /** A write refused because a newer attempt holds the lease; the old attempt must stop. */
  Fenced: 'Fenced',
  /** A human rejected a gate. */
  ApprovalRejected: 'ApprovalRejected',
  /** A gate waited longer than its configured timeout. */
  ApprovalTimeout: 'ApprovalTimeout',
} as const;
/** One of {@link ErrorType}. */
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Error types that retrying cannot cure. */
export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  ErrorType.DataError,
  ErrorType.ConfigError,
  ErrorType.Fenced,
];
