/**
 * Stable fingerprints of test failures, so a re-run finds the Bug it filed before instead of
 * filing another: the same scenario failing the same way gives the same fingerprint, whatever
 * timings, counters or ids the failure message mentions this time.
 */
import { createHash } from 'node:crypto';

/** What identifies one failure of one scenario. */
export interface FailureIdentity {
  /** Scenario id (the Jira key of the test issue). */
  scenarioId: string;
  /** Test framework or test name, when one scenario yields several tests. */
  test?: string;
  /** Index of the failing step, when known. */
  failedStep?: number;
  /** Error class or kind, e.g. `TimeoutError`, `AssertionError`. */
  errorKind?: string;
  /** The failure message; only its first line, with numbers and ids blanked, counts. */
  message?: string;
}

/** Label prefix carried by Bugs filed for a fingerprint. */
export const BUG_LABEL_PREFIX = 'understudy-fp-';

/** Reduces a failure message to what stays the same between runs of the same failure. */
export function normalizeFailureMessage(message: string): string {
  const firstLine = message.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '';
  return firstLine
    .toLowerCase()
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\b[0-9a-f]{12,}\b/g, '<hex>')
    .replace(/\d+(\.\d+)?/g, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A 16-hex-digit fingerprint of a failure. */
export function fingerprintFailure(failure: FailureIdentity): string {
  const key = JSON.stringify([
    failure.scenarioId,
    failure.test ?? '',
    failure.failedStep ?? -1,
    failure.errorKind ?? '',
    normalizeFailureMessage(failure.message ?? ''),
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The Jira label carrying a fingerprint (labels may not contain spaces; this has none). */
export function bugLabelFor(fingerprint: string): string {
  return `${BUG_LABEL_PREFIX}${fingerprint}`;
}
