/** Activity option presets, defined once: each with an explicit timeout and retry policy. */
import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from './errors.js';

const retry = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
};

/** Short metadata work (apply overrides, prepare a target, write a report). */
export const quickActivity: ActivityOptions = {
  startToCloseTimeout: '2m',
  retry: { ...retry, maximumAttempts: 10 },
};

/** Bulk I/O and compute (ingest, profile, fit, a chunk, a load part): heartbeats its cursor. */
export const bulkActivity: ActivityOptions = {
  startToCloseTimeout: '2h',
  heartbeatTimeout: '15s',
  // On cancel, wait until the activity stops at a batch boundary, so the run ends with nothing in flight.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { ...retry, maximumAttempts: 20 },
};
