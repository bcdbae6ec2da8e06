import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildBugDescription,
  buildResultComment,
  fingerprintFailure,
  formatDuration,
  parseRetryAfter,
  rejectedFields,
  TestStatus,
} from '../../integrations/jira/index.js';
import { validateAdf } from '../servers/jira-server.js';

describe('documents written to Jira', () => {
  it('are valid ADF whatever the titles, links and messages (no empty text nodes)', () => {
    const text = fc.string({ maxLength: 20 });
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(TestStatus)),
        fc.double({ noNaN: false }),
        fc.array(fc.record({ title: text, url: text }), { maxLength: 3 }),
        text,
        text,
        (status, durationMs, links, message, title) => {
          expect(
            validateAdf(buildResultComment({ runId: 'r', status, durationMs, links, test: title })),
          ).toBeUndefined();
          expect(
            validateAdf(
              buildBugDescription({
                scenarioKey: 'K-1',
                scenarioTitle: title,
                runId: 'r',
                message,
                failedStep: title,
                fingerprint: 'f',
                links,
              }),
            ),
          ).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('formats durations for people', () => {
    expect([850, 12_345, 185_000, -1].map(formatDuration)).toEqual([
      '850 ms',
      '12.3 s',
      '3 min 5 s',
      'unknown duration',
    ]);
  });
});

describe('failure fingerprints', () => {
  it('ignore numbers and ids that change between runs, and separate different failures', () => {
    const a = fingerprintFailure({
      scenarioId: 'S-1',
      message: 'timeout after 3012 ms on order 7f3a9c2e11d04b6a',
    });
    const b = fingerprintFailure({
      scenarioId: 'S-1',
      message: 'Timeout after 2999 ms on order 0c3a9c2e11d04b6f\nstack…',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintFailure({ scenarioId: 'S-2', message: 'timeout after 3012 ms' })).not.toBe(a);
    expect(fingerprintFailure({ scenarioId: 'S-1', message: 'element not found' })).not.toBe(a);
    expect(
      fingerprintFailure({
        scenarioId: 'S-1',
        failedStep: 2,
        message: 'timeout after 1 ms on order 7f3a9c2e11d04b6a',
      }),
    ).not.toBe(a);
  });
});

describe('Retry-After and Jira error bodies', () => {
  it('reads delta seconds and HTTP dates', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(new Date(now + 2500).toUTCString(), now)).toBe(2000);
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('keeps only the field names of a 400 body', () => {
    expect(
      rejectedFields({ errorMessages: ['x'], errors: { summary: 'bad value secret', labels: 'l' } }),
    ).toEqual(['labels', 'summary']);
    expect(rejectedFields('text')).toEqual([]);
  });
});
