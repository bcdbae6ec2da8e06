import { describe, expect, it } from 'vitest';
import { failureOf, historyEvents, smallConfig, startPipeline, useTestWorker } from '../support/temporal.js';

describe('bad input', () => {
  const t = useTestWorker();

  it.each([
    ['ragged.csv', /line \d+/],
    ['bad-quote.csv', /line \d+/],
    ['bad-encoding.csv', /line \d+/],
    ['empty.csv', /empty|no data/i],
    ['duplicate-headers.csv', /column \d+|duplicate/i],
  ])(
    '%s fails the run with a non-retryable DataError naming the place, after one attempt',
    async (file, place) => {
      const uri = `test/fixtures/malformed/${file}`;
      const handle = await startPipeline(t.env.client, t.worker.taskQueue, smallConfig({ source: { uri } }));
      const failure = await failureOf(handle);
      expect(failure.type).toBe('DataError');
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toContain(uri);
      expect(failure.message).toMatch(place);
      const events = await historyEvents(handle);
      const attempts = events
        .filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt);
      expect(attempts).toEqual([1]);
    },
  );

  it('an invalid run config fails with a ConfigError naming the field', async () => {
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, {
      ...smallConfig(),
      targets: [{ type: 'database', url: 'sqlite:x.db', table: 't', strategy: 'merge' as 'append' }],
    });
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ConfigError');
    expect(failure.message).toContain('targets[0].strategy');
  });

  it('a missing required field is named too', async () => {
    const { rows: _rows, ...noRows } = smallConfig();
    const handle = await startPipeline(t.env.client, t.worker.taskQueue, noRows as never);
    const failure = await failureOf(handle);
    expect(failure.type).toBe('ConfigError');
    expect(failure.message).toMatch(/\brows\b/);
  });
});
