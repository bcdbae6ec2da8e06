/**
 * Every evaluation number against the reference implementations (sdmetrics 0.32, scipy) on the
 * committed fixtures: expected.json was written by bench/python/evaluation_fixtures.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateSynthetic, type EvaluationResult } from '../../core/evaluation/index.js';
import {
  FIXTURES,
  loadRelationalFixture,
  loadSingleTableFixture,
} from '../fixtures/evaluation/load-fixtures.js';

const TOLERANCE = 0.005;

interface Expected {
  singleTable: {
    quality: {
      score: number;
      columnShapes: number;
      columnPairTrends: number;
      shapes: { column: string; metric: string; score: number }[];
      pairs: {
        column1: string;
        column2: string;
        metric: string;
        score: number | null;
        realCorrelation: number | null;
        realAssociation: number | null;
        meetsThreshold: boolean | null;
      }[];
    };
    diagnostics: {
      score: number;
      dataValidity: number;
      dataStructure: number;
      validity: { column: string; metric: string; score: number }[];
    };
    statistics: {
      column: string;
      ksStatistic?: number;
      ksPValue?: number;
      wassersteinNormalized?: number;
      jensenShannonDivergence: number;
      chi2Statistic?: number;
      chi2Dof?: number;
      chi2PValue?: number;
    }[];
    correlation: { columns: string[]; meanAbsoluteDifference: number };
    privacy: {
      newRowSynthesis: number;
      matchedRows: number;
      dcrOverfittingProtection: number;
      closerToTraining: number;
      nndr: { p05: number; p50: number; mean: number; dcrTrainingP50: number };
    };
  };
  relational: {
    relationships: {
      parent: string;
      child: string;
      cardinalityShapeSimilarity: number;
      referentialIntegrity: number;
    }[];
  };
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Expected;
const fixture = loadSingleTableFixture();
const result: EvaluationResult = evaluateSynthetic({
  real: fixture.real,
  synthetic: fixture.synthetic,
  holdout: fixture.holdout,
  metadata: fixture.metadata,
  relational: loadRelationalFixture(),
});

function close(actual: number | null | undefined, wanted: number | null | undefined, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(actual, what).toBeDefined();
  expect(
    Math.abs((actual as number) - (wanted as number)),
    `${what}: ${actual} vs ${wanted}`,
  ).toBeLessThanOrEqual(TOLERANCE);
}

describe('evaluation parity with sdmetrics and scipy (fixtures)', () => {
  const q = expected.singleTable.quality;

  it('QualityReport: overall score and both properties', () => {
    close(result.quality.score, q.score, 'overall');
    close(result.quality.columnShapes.score, q.columnShapes, 'Column Shapes');
    close(result.quality.columnPairTrends.score, q.columnPairTrends, 'Column Pair Trends');
  });

  it('Column Shapes: every column with the same metric', () => {
    expect(result.quality.columnShapes.columns.map((c) => c.column)).toEqual(q.shapes.map((s) => s.column));
    for (const s of q.shapes) {
      const ours = result.quality.columnShapes.columns.find((c) => c.column === s.column);
      expect(ours?.metric).toBe(s.metric);
      close(ours?.score, s.score, `shape ${s.column}`);
    }
  });

  it('Column Pair Trends: every pair with the same metric, threshold verdict, correlation and association', () => {
    expect(result.quality.columnPairTrends.pairs).toHaveLength(q.pairs.length);
    for (const p of q.pairs) {
      const ours = result.quality.columnPairTrends.pairs.find(
        (x) => x.column1 === p.column1 && x.column2 === p.column2,
      );
      const what = `pair ${p.column1}/${p.column2}`;
      expect(ours?.metric, what).toBe(p.metric);
      expect(ours?.meetsThreshold, what).toBe(p.meetsThreshold ?? false);
      // sdmetrics reports no score for pairs below the threshold; we keep it but compare where it has one.
      if (p.score !== null) close(ours?.score, p.score, `${what} score`);
      if (p.realCorrelation !== null) close(ours?.realCorrelation, p.realCorrelation, `${what} real r`);
      if (p.realAssociation !== null) close(ours?.realAssociation, p.realAssociation, `${what} Cramér's V`);
    }
  });

  it('DiagnosticReport: Data Validity per column and Data Structure', () => {
    const d = expected.singleTable.diagnostics;
    close(result.diagnostics.score, d.score, 'diagnostic score');
    close(result.diagnostics.dataValidity.score, d.dataValidity, 'Data Validity');
    close(result.diagnostics.dataStructure.score, d.dataStructure, 'Data Structure');
    expect(result.diagnostics.dataValidity.columns.map((c) => [c.column, c.metric])).toEqual(
      d.validity.map((v) => [v.column, v.metric]),
    );
    for (const v of d.validity) {
      const ours = result.diagnostics.dataValidity.columns.find((c) => c.column === v.column);
      close(ours?.score, v.score, `${v.metric} ${v.column}`);
    }
  });

  it('statistical tests per column: KS, chi-squared, Wasserstein, Jensen–Shannon', () => {
    const s = expected.singleTable.statistics;
    expect(result.statistics.map((c) => c.column)).toEqual(s.map((c) => c.column));
    for (const e of s) {
      const ours = result.statistics.find((c) => c.column === e.column);
      if (e.ksStatistic !== undefined) {
        close(ours?.ks?.statistic, e.ksStatistic, `KS D ${e.column}`);
        close(ours?.ks?.pValue, e.ksPValue, `KS p ${e.column}`);
        close(ours?.wassersteinNormalized, e.wassersteinNormalized, `Wasserstein ${e.column}`);
      }
      if (e.chi2Statistic !== undefined) {
        // The statistic is unbounded: compare it relative to its size.
        close((ours?.chiSquared?.statistic ?? Number.NaN) / e.chi2Statistic, 1, `chi² ${e.column}`);
        expect(ours?.chiSquared?.dof).toBe(e.chi2Dof);
        close(ours?.chiSquared?.pValue, e.chi2PValue, `chi² p ${e.column}`);
      }
      close(ours?.jensenShannonDivergence, e.jensenShannonDivergence, `JS ${e.column}`);
    }
  });

  it('correlation-matrix difference', () => {
    const c = expected.singleTable.correlation;
    expect(result.correlation.columns).toEqual(c.columns);
    close(result.correlation.meanAbsoluteDifference, c.meanAbsoluteDifference, 'mean |Δr|');
  });

  it('privacy: NewRowSynthesis, DCROverfittingProtection, NNDR', () => {
    const p = expected.singleTable.privacy;
    close(result.privacy?.newRowSynthesis.score, p.newRowSynthesis, 'NewRowSynthesis');
    expect(result.privacy?.newRowSynthesis.matchedRows).toBe(p.matchedRows);
    close(result.privacy?.exactCopyRate, 1 - p.newRowSynthesis, 'exact-copy rate');
    close(result.privacy?.dcr?.overfittingProtection, p.dcrOverfittingProtection, 'DCROverfittingProtection');
    close(result.privacy?.dcr?.closerToTrainingShare, p.closerToTraining, 'closer to training');
    close(result.privacy?.dcr?.nndr.p05, p.nndr.p05, 'NNDR p05');
    close(result.privacy?.dcr?.nndr.p50, p.nndr.p50, 'NNDR p50');
    close(result.privacy?.dcr?.nndr.mean, p.nndr.mean, 'NNDR mean');
    close(result.privacy?.dcr?.dcrTraining.p50, p.nndr.dcrTrainingP50, 'DCR p50');
  });

  it('multi-table: CardinalityShapeSimilarity and ReferentialIntegrity per relationship', () => {
    for (const e of expected.relational.relationships) {
      const ours = result.relational?.relationships.find((r) => r.parent === e.parent && r.child === e.child);
      close(ours?.cardinalityShapeSimilarity, e.cardinalityShapeSimilarity, 'CardinalityShapeSimilarity');
      close(ours?.referentialIntegrity, e.referentialIntegrity, 'ReferentialIntegrity');
    }
  });

  it('the result survives JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
