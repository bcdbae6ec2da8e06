/**
 * The one place where domain errors become Temporal failures: DataError and ConfigError are never
 * retried; FencedError stops a zombie attempt. Anything else is rethrown untouched and retried.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ConfigError, DataError, FencedError } from '../core/errors.js';
import { ErrorType } from '../workflows/common/errors.js';

/** Maps a thrown domain error to an ApplicationFailure; other errors pass through unchanged. */
export function toFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof DataError) {
    return ApplicationFailure.create({
      message: err.message,
      type: ErrorType.DataError,
      nonRetryable: true,
      details: [err.location],
    });
  }
  if (err instanceof ConfigError) {
    return ApplicationFailure.create({
      message: err.message,
      type: ErrorType.ConfigError,
      nonRetryable: true,
      details: [{ field: err.field }],
    });
  }
  if (err instanceof FencedError) {
    return ApplicationFailure.create({ message: err.message, type: ErrorType.Fenced, nonRetryable: true });
  }
  return err;
}

/** Wraps an activity so that its domain errors reach Temporal as typed failures. */
export function mapFailures<I, O>(fn: (input: I) => Promise<O>): (input: I) => Promise<O> {
  const wrapped = async (input: I): Promise<O> => {
    try {
      return await fn(input);
    } catch (err) {
      throw toFailure(err);
    }
  };
  // Temporal registers activities by function name, which is what the UI shows.
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}
