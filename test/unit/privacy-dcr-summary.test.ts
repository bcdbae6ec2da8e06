/** The run's DCR figures (core/privacy/dcr-summary.ts): synthetic rows against the sample, next to the holdout's. */
import { describe, expect, it } from 'vitest';
import type { DcrReport } from '../../core/privacy/dcr.js';
import { computeDcrSummary, DCR_SUBSAMPLE, summarizeDcr } from '../../core/privacy/dcr-summary.js';
import { createRng } from '../../core/random/index.js';
import type { CellValue, Table } from '../../core/table.js';

function population(rows: number, seed: number): Table {
  const rng = createRng(seed);
  const city: CellValue[] = [];
  const amount: CellValue[] = [];
  const email: CellValue[] = [];
  for (let i = 0; i < rows; i++) {
    city.push(['Berlin', 'Paris', 'Rome', 'Oslo'][rng.nextInt(4)] as string);
    amount.push(Math.round(rng.nextNormal() * 1000) / 10);
    email.push(`person${seed}-${i}@example.com`);
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'city', type: 'string', values: city },
      { name: 'amount', type: 'float', values: amount },
      { name: 'email', type: 'string', values: email },
    ],
  };
}

function report(syntheticRows: number, p05: number, p50: number, exactCopies: number): DcrReport {
  const q = { p05, p50, mean: p50 };
  return {
    syntheticRows,
    trainingRows: 800,
    holdoutRows: 200,
    columns: ['city', 'amount'],
    excludedColumns: [],
    dcrTraining: q,
    dcrHoldout: q,
    closerToTrainingShare: 0.5,
    expectedCloserToTrainingShare: 0.8,
    nndr: q,
    exactCopies,
    holdoutExactCopies: 0,
  };
}

describe('summarizeDcr', () => {
  it('takes the training-side quantiles and zero shares of both reports and their median ratio', () => {
    const s = summarizeDcr(report(2000, 0.01, 0.04, 20), report(200, 0.005, 0.02, 1));
    expect(s).toMatchObject({
      holdoutReferenceRows: 800,
      median: 0.04,
      p05: 0.01,
      zeroShare: 0.01,
      syntheticRows: 2000,
      referenceRows: 800,
      holdoutRows: 200,
      columns: ['city', 'amount'],
      holdout: { median: 0.02, p05: 0.005, zeroShare: 0.005 },
    });
    expect(s.medianRatio).toBeCloseTo(2, 12);
  });

  it('gives a ratio of 1 when both medians are 0 and Infinity when only the holdout is', () => {
    expect(summarizeDcr(report(10, 0, 0, 10), report(10, 0, 0, 10)).medianRatio).toBe(1);
    expect(summarizeDcr(report(10, 0, 0.1, 0), report(10, 0, 0, 10)).medianRatio).toBe(Infinity);
  });
});

describe('computeDcrSummary', () => {
  const sample = population(5000, 1);

  it('finds copies of the sample at distance 0, while fresh draws of the population sit as far as the holdout', () => {
    const copies = computeDcrSummary({ synthetic: sample, sample }, { excludeColumns: ['email'] });
    expect(copies?.zeroShare).toBe(1);
    expect(copies?.median).toBe(0);
    const fresh = computeDcrSummary(
      { synthetic: population(8000, 2), sample },
      { excludeColumns: ['email'] },
    );
    expect(fresh).not.toBeNull();
    expect(fresh?.medianRatio).toBeGreaterThan(0.7);
    expect(fresh?.medianRatio).toBeLessThan(1.4);
    expect(fresh?.holdout.median).toBeGreaterThan(0);
  });

  it('bounds its work by the documented subsample sizes and leaves excluded columns out', () => {
    const s = computeDcrSummary({ synthetic: population(9000, 3), sample }, { excludeColumns: ['email'] });
    expect(s?.syntheticRows).toBe(DCR_SUBSAMPLE.syntheticRows);
    expect(s?.holdoutRows).toBe(DCR_SUBSAMPLE.holdoutRows);
    expect(s?.referenceRows).toBe(5000);
    expect(s?.holdoutReferenceRows).toBe(4000);
    expect(s?.columns.sort()).toEqual(['amount', 'city']);
  });

  it('leaves key-like text out by itself and is deterministic', () => {
    const synthetic = population(3000, 4);
    const a = computeDcrSummary({ synthetic, sample });
    expect(a?.columns).not.toContain('email');
    expect(computeDcrSummary({ synthetic, sample })).toEqual(a);
  });

  it('returns null when the sample is too small to hold rows out or nothing is left to compare', () => {
    expect(computeDcrSummary({ synthetic: sample, sample: population(4, 5) })).toBeNull();
    expect(
      computeDcrSummary({ synthetic: sample, sample }, { excludeColumns: ['email', 'city', 'amount'] }),
    ).toBeNull();
  });
});
