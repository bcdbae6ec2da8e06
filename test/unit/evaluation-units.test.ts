/** Small known cases of the evaluation's building blocks (reference values from scipy 1.17 / sdmetrics 0.32). */
import { describe, expect, it } from 'vitest';
import {
  boundaryAdherence,
  categoryAdherence,
  chiSquaredSf,
  edgeCaseFrequencies,
  evaluatePrivacyGate,
  evaluateSynthetic,
  jensenShannonDivergence,
  keyUniqueness,
  kolmogorovSf,
  ksTwoSample,
  wassersteinNormalized,
  type PrivacyResult,
} from '../../core/evaluation/index.js';

const sorted = (xs: number[]): Float64Array => Float64Array.from(xs).sort();

describe('statistical building blocks', () => {
  it('ks_2samp: exact p-values for small samples, kstwo for large ones', () => {
    // scipy.stats.ks_2samp([1,2,3],[4,5,6]) → (1.0, 0.1)
    const r = ksTwoSample(sorted([1, 2, 3]), sorted([4, 5, 6]));
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(0.1, 12);
    expect(r.method).toBe('exact');
    // scipy.stats.ks_2samp([1,2,3,4,5],[3,4,5,6,7,8,9]) → (0.5714285714285714, 0.23737373737373738)
    const u = ksTwoSample(sorted([1, 2, 3, 4, 5]), sorted([3, 4, 5, 6, 7, 8, 9]));
    expect(u.statistic).toBeCloseTo(0.5714285714285714, 12);
    expect(u.pValue).toBeCloseTo(0.23737373737373738, 10);
    // scipy.stats.kstwo.sf: (0.003, 90909) = 0.3857468564468999 (Pelz–Good), (0.002, 200000) =
    // 0.39995085369038097, (0.01, 20000) = 0.03638603905248727 (Smirnov), (0.1, 50) = 0.6623112704658186 (MTW)
    expect(kolmogorovSf(90909, 0.003)).toBeCloseTo(0.3857468564468999, 8);
    expect(kolmogorovSf(200000, 0.002)).toBeCloseTo(0.39995085369038097, 8);
    expect(kolmogorovSf(20000, 0.01)).toBeCloseTo(0.03638603905248727, 8);
    expect(kolmogorovSf(50, 0.1)).toBeCloseTo(0.6623112704658186, 8);
  });

  it('chi-squared survival function', () => {
    // scipy.stats.chi2.sf(3.841458820694124, 1) = 0.05; chi2.sf(10, 4) = 0.04042768199451279
    expect(chiSquaredSf(3.841458820694124, 1)).toBeCloseTo(0.05, 8);
    expect(chiSquaredSf(10, 4)).toBeCloseTo(0.04042768199451279, 8);
  });

  it('Wasserstein distance normalized by the real range', () => {
    // scipy.stats.wasserstein_distance([0,1,3],[5,6,8]) = 5, real range 3
    expect(wassersteinNormalized(sorted([0, 1, 3]), sorted([5, 6, 8]))).toBeCloseTo(5 / 3, 12);
    // wasserstein_distance([0,1,2,3],[0,0,3]) = 0.6666666666666666
    expect(wassersteinNormalized(sorted([0, 1, 2, 3]), sorted([0, 0, 3]))).toBeCloseTo(
      0.6666666666666666 / 3,
      12,
    );
  });

  it('Jensen–Shannon divergence in bits', () => {
    expect(jensenShannonDivergence([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(jensenShannonDivergence([2, 2], [1, 1])).toBeCloseTo(0, 12);
    // jensenshannon([0.5,0.5],[0.9,0.1], base=2)**2 = 0.14679310243605215
    expect(jensenShannonDivergence([0.5, 0.5], [0.9, 0.1])).toBeCloseTo(0.14679310243605215, 10);
  });
});

describe('diagnostics', () => {
  it('BoundaryAdherence counts a missing synthetic value as invalid only when the real column has none', () => {
    expect(
      boundaryAdherence(Float64Array.from([0, 10]), Float64Array.from([5, 11, Number.NaN, 0])),
    ).toBeCloseTo(2 / 4);
    expect(
      boundaryAdherence(Float64Array.from([0, 10, Number.NaN]), Float64Array.from([5, 11, Number.NaN])),
    ).toBeCloseTo(1 / 2);
  });

  it('CategoryAdherence and KeyUniqueness', () => {
    expect(categoryAdherence(['a', 'b'], ['a', 'c', null, 'b'])).toBeCloseTo(2 / 4);
    expect(categoryAdherence(['a', null], ['a', 'c', null, 'b'])).toBeCloseTo(2 / 4);
    expect(keyUniqueness([{ name: 'k', type: 'string', values: ['a', 'b', 'a', null] }], 4)).toBeCloseTo(
      1 - 2 / 4,
    );
  });
});

describe('edge cases and the privacy gate', () => {
  it('edge-case frequency against the requested one', () => {
    const [f] = edgeCaseFrequencies([{ rule: 'null-email', requested: 0.05, count: 30, total: 1000 }]);
    expect(f?.observed).toBeCloseTo(0.03);
    expect(f?.difference).toBeCloseTo(-0.02);
    expect(edgeCaseFrequencies([{ rule: 'r', requested: 0.1, count: 0, total: 0 }])[0]?.observed).toBeNull();
  });

  const metrics: PrivacyResult = {
    newRowSynthesis: { score: 0.97, matchedRows: 3, syntheticRowsChecked: 100 },
    exactCopyRate: 0.03,
    dcr: {
      overfittingProtection: 0.8,
      closerToTrainingShare: 0.6,
      expectedCloserToTrainingShare: 0.5,
      dcrTraining: { p05: 0.01, p50: 0.1, mean: 0.1 },
      dcrHoldout: { p05: 0.02, p50: 0.1, mean: 0.1 },
      nndr: { p05: 0.4, p50: 0.9, mean: 0.8 },
      columns: ['a'],
      syntheticRowsChecked: 100,
      trainingRowsChecked: 100,
      holdoutRowsChecked: 100,
    },
  };

  it('passes when every threshold holds and names each one that does not', () => {
    expect(evaluatePrivacyGate(metrics, { maxExactCopyRate: 0.05, minOverfittingProtection: 0.7 })).toEqual({
      pass: true,
      failures: [],
    });
    expect(
      evaluatePrivacyGate(metrics, {
        maxExactCopyRate: 0.01,
        minNndrP05: 0.5,
        maxCloserToTrainingShare: 0.7,
      }),
    ).toEqual({
      pass: false,
      failures: [
        { metric: 'maxExactCopyRate', value: 0.03, threshold: 0.01 },
        { metric: 'minNndrP05', value: 0.4, threshold: 0.5 },
      ],
    });
  });

  it('fails a DCR threshold when there was no holdout to compute it', () => {
    const gate = evaluatePrivacyGate({ ...metrics, dcr: null }, { minOverfittingProtection: 0.5 });
    expect(gate).toEqual({
      pass: false,
      failures: [{ metric: 'minOverfittingProtection', value: null, threshold: 0.5 }],
    });
  });

  it('evaluateSynthetic applies the gate it is given and reports the edge cases', () => {
    const t = { rowCount: 3, columns: [{ name: 'n', type: 'integer' as const, values: [1, 2, 3] }] };
    const r = evaluateSynthetic({
      real: t,
      synthetic: t,
      options: {
        privacyThresholds: { maxExactCopyRate: 0.5 },
        edgeCases: [{ rule: 'r', requested: 0.5, count: 1, total: 3 }],
      },
    });
    expect(r.privacyGate?.pass).toBe(false);
    expect(r.privacyGate?.failures[0]?.value).toBe(1);
    expect(r.edgeCases?.[0]?.observed).toBeCloseTo(1 / 3);
    expect(r.timings).toBeNull();
  });
});

describe('subsampled pair trends', () => {
  it('keeps full-table correlations and computes contingencies on the row limit', async () => {
    const { loadSingleTableFixture } = await import('../fixtures/evaluation/load-fixtures.js');
    const f = loadSingleTableFixture();
    const full = evaluateSynthetic({
      real: f.real,
      synthetic: f.synthetic,
      metadata: f.metadata,
      options: { privacy: false },
    });
    const sub = evaluateSynthetic({
      real: f.real,
      synthetic: f.synthetic,
      metadata: f.metadata,
      options: { privacy: false, pairTrendRowLimit: 100 },
    });
    expect(sub.quality.columnPairTrends.rowsUsed).toEqual({ real: 100, synthetic: 100 });
    const correlations = full.quality.columnPairTrends.pairs.filter(
      (p) => p.metric === 'CorrelationSimilarity',
    );
    expect(correlations.length).toBeGreaterThan(0);
    for (const p of correlations) {
      const q = sub.quality.columnPairTrends.pairs.find(
        (x) => x.column1 === p.column1 && x.column2 === p.column2,
      );
      expect(q?.score ?? Number.NaN).toBeCloseTo(p.score ?? Number.NaN, 12);
      expect(q?.meetsThreshold).toBe(p.meetsThreshold);
    }
    const contingency = sub.quality.columnPairTrends.pairs.filter(
      (p) => p.metric === 'ContingencySimilarity',
    );
    expect(
      contingency.some(
        (p, i) =>
          p.score !==
          full.quality.columnPairTrends.pairs.filter((x) => x.metric === 'ContingencySimilarity')[i]?.score,
      ),
    ).toBe(true);
  });
});
