import { beforeAll, describe, expect, it } from 'vitest';
import { scoreCorpus, type CorpusScore } from '../../bench/pii/precision-recall.js';

/**
 * Floors from the measurement recorded in docs/benchmarks.md ("Sensitive-field classification") (229 labelled positives, 184
 * negatives: TP 229, FN 0, FP 0). The corpus and the classifier are deterministic, so any change
 * that loses one column fails here; a floor one column below the measurement leaves no room for
 * more than that.
 */
describe('PII corpus precision and recall (test/fixtures/pii-corpus)', () => {
  let score: CorpusScore;
  beforeAll(async () => {
    score = await scoreCorpus();
  }, 180_000);

  it('covers at least 30 tables and 300 columns', () => {
    expect(score.tables).toBeGreaterThanOrEqual(30);
    expect(score.columns).toBeGreaterThanOrEqual(300);
  });

  it('keeps overall recall and precision at the measured level (kind must match)', () => {
    expect(score.overall.tp).toBeGreaterThanOrEqual(228);
    expect(score.overall.fp).toBeLessThanOrEqual(1);
    expect(score.overall.recall).toBeGreaterThanOrEqual(0.995);
    expect(score.overall.precision).toBeGreaterThanOrEqual(0.995);
  });

  it('misses no sensitive column at all (the flag that decides what can leak)', () => {
    expect(score.sensitiveFlag.fn).toBe(0);
  });

  it('reaches the issue targets for every kind with at least five labelled columns', () => {
    for (const [kind, k] of score.perKind) {
      if (k.tp + k.fn < 5) continue;
      expect({ kind, recall: k.tp / (k.tp + k.fn) }).toEqual({
        kind,
        recall: expect.toSatisfy((r: number) => r >= 0.98),
      });
      expect({ kind, precision: k.tp / Math.max(1, k.tp + k.fp) }).toEqual({
        kind,
        precision: expect.toSatisfy((p: number) => p >= 0.95),
      });
    }
  });
});
