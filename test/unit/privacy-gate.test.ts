/**
 * The privacy gate's pure parts: thresholds on leak counts, sensitive sample values and the DCR
 * median ratio (fast-check), the `gates.privacy` config with its defaults and field-naming errors,
 * the evaluated subsample plan, metadata from the profile, the leak-scan block of the report, and
 * the privacy sections of the run report and of `understudy status`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { privacyStatusLines } from '../../cli/commands/runs.js';
import {
  evaluatePrivacyGate,
  evaluationMetadataFromProfile,
  planEvaluationSubsample,
  PIPELINE_PRIVACY_DEFAULTS,
  type PrivacyResult,
} from '../../core/evaluation/index.js';
import type { DatasetProfile } from '../../core/profile/index.js';
import { leakScanReport, renderReportData, type ReportData } from '../../core/report-html/index.js';
import { renderHtml, renderMarkdown, type RunReport } from '../../core/report/run-report.js';
import type { Table } from '../../core/table.js';
import { parsePipelineConfig } from '../../workflows/pipeline/config-schema.js';

const privacy = (exactCopyRate: number): PrivacyResult => ({
  newRowSynthesis: { score: 1 - exactCopyRate, matchedRows: 0, syntheticRowsChecked: 100 },
  exactCopyRate,
  dcr: null,
});

describe('evaluatePrivacyGate with the pipeline findings', () => {
  it('fails maxLeaks and maxSensitiveSampleValues exactly when the count exceeds the threshold', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), (leaks, maxLeaks, values, maxValues) => {
        const gate = evaluatePrivacyGate(
          privacy(0),
          { maxLeaks, maxSensitiveSampleValues: maxValues },
          { leaks, sensitiveSampleValues: values },
        );
        const failed = gate.failures.map((f) => f.metric);
        expect(failed.includes('maxLeaks')).toBe(leaks > maxLeaks);
        expect(failed.includes('maxSensitiveSampleValues')).toBe(values > maxValues);
        expect(gate.pass).toBe(leaks <= maxLeaks && values <= maxValues);
      }),
    );
  });

  it('fails minDcrMedianRatio exactly when the ratio is below it, and when it could not be computed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (ratio, min) => {
          const gate = evaluatePrivacyGate(privacy(0), { minDcrMedianRatio: min }, { dcrMedianRatio: ratio });
          expect(gate.pass).toBe(ratio >= min);
        },
      ),
    );
    for (const ratio of [null, undefined, Number.NaN]) {
      expect(
        evaluatePrivacyGate(privacy(0), { minDcrMedianRatio: 0.5 }, { dcrMedianRatio: ratio }).failures,
      ).toEqual([{ metric: 'minDcrMedianRatio', value: null, threshold: 0.5 }]);
    }
    // A synthetic median above a zero real one is as far from memorising as it gets.
    expect(
      evaluatePrivacyGate(privacy(0), { minDcrMedianRatio: 0.5 }, { dcrMedianRatio: Infinity }).pass,
    ).toBe(true);
  });

  it('fails a count threshold whose finding is missing, and checks nothing it was not given', () => {
    expect(evaluatePrivacyGate(privacy(0), { maxLeaks: 0 }).failures).toEqual([
      { metric: 'maxLeaks', value: null, threshold: 0 },
    ]);
    expect(evaluatePrivacyGate(privacy(0.3), {}, { leaks: 9 }).pass).toBe(true);
    expect(evaluatePrivacyGate(null, { maxExactCopyRate: 0.01 }).failures[0]?.value).toBeNull();
    expect(
      evaluatePrivacyGate(privacy(0.02), PIPELINE_PRIVACY_DEFAULTS, {
        leaks: 0,
        sensitiveSampleValues: 0,
        dcrMedianRatio: 1,
      }).failures,
    ).toEqual([{ metric: 'maxExactCopyRate', value: 0.02, threshold: 0.01 }]);
  });
});

describe('gates.privacy in the run config', () => {
  const base = { source: { uri: 'examples/customers.csv' }, rows: 10 };

  it('defaults every threshold, with or without other gates given', () => {
    for (const config of [base, { ...base, gates: { quality: { enabled: false } } }]) {
      const parsed = parsePipelineConfig(config);
      expect(parsed.ok).toBe(true);
      if (parsed.ok)
        expect(parsed.config.gates.privacy).toEqual({ enabled: true, ...PIPELINE_PRIVACY_DEFAULTS });
    }
    const parsed = parsePipelineConfig({ ...base, gates: { privacy: { maxLeaks: 3, timeout: '1h' } } });
    expect(parsed.ok && parsed.config.gates.privacy).toEqual({
      ...PIPELINE_PRIVACY_DEFAULTS,
      enabled: true,
      timeout: '1h',
      maxLeaks: 3,
    });
  });

  it.each([
    [{ maxLeaks: -1 }, 'gates.privacy.maxLeaks'],
    [{ maxLeaks: 1.5 }, 'gates.privacy.maxLeaks'],
    [{ maxExactCopyRate: 2 }, 'gates.privacy.maxExactCopyRate'],
    [{ maxSensitiveSampleValues: 'none' }, 'gates.privacy.maxSensitiveSampleValues'],
    [{ minDcrMedianRatio: -0.1 }, 'gates.privacy.minDcrMedianRatio'],
    [{ maxLeak: 0 }, 'gates.privacy'],
  ])('rejects %j naming %s', (privacyGate, field) => {
    const parsed = parsePipelineConfig({ ...base, gates: { privacy: privacyGate } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.field)).toEqual([field]);
  });
});

describe('planEvaluationSubsample', () => {
  it('reads at most maxParts distinct, evenly spread parts, the first included, and about maxRows rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 64 }),
        (partCount, maxRows, maxParts) => {
          const plan = planEvaluationSubsample(partCount, maxRows, maxParts);
          const parts = plan.map((p) => p.part);
          expect(plan).toHaveLength(Math.min(partCount, maxParts));
          expect(new Set(parts).size).toBe(parts.length);
          expect(parts[0]).toBe(0);
          expect(parts.every((p, i) => p < partCount && (i === 0 || p > (parts[i - 1] as number)))).toBe(
            true,
          );
          const rows = plan.reduce((n, p) => n + p.rows, 0);
          expect(rows).toBeGreaterThanOrEqual(
            Math.min(maxRows, plan.length * Math.ceil(maxRows / plan.length)),
          );
          expect(rows).toBeLessThan(maxRows + plan.length);
          // Evenly spread: the last part read is within one stride of the end.
          expect(partCount - 1 - (parts.at(-1) as number)).toBeLessThan(Math.ceil(partCount / plan.length));
        },
      ),
    );
    expect(planEvaluationSubsample(0, 100, 4)).toEqual([]);
  });
});

describe('evaluationMetadataFromProfile', () => {
  const col = (name: string, semanticType: string, extra: Record<string, unknown> = {}) => ({
    name,
    physicalType: 'string',
    semanticType,
    count: 10,
    nullCount: 0,
    nullRate: 0,
    distinctCount: 10,
    unique: false,
    ...extra,
  });
  it('leaves sensitive columns out and takes the first complete unique identifier as the primary key', () => {
    const profile = {
      rowCount: 10,
      columns: [
        col('email', 'identifier', { unique: true }),
        col('order_ref', 'identifier', { unique: true, nullCount: 1 }),
        col('id', 'identifier', { unique: true }),
        col('age', 'integer'),
        col('income', 'float'),
        col('signed_up', 'datetime'),
        col('segment', 'categorical'),
        col('active', 'boolean'),
        col('notes', 'text'),
      ],
    } as unknown as DatasetProfile;
    expect(evaluationMetadataFromProfile(profile, ['email', 'notes'])).toEqual({
      columns: {
        order_ref: { sdtype: 'id' },
        id: { sdtype: 'id' },
        age: { sdtype: 'numerical' },
        income: { sdtype: 'numerical' },
        signed_up: { sdtype: 'datetime' },
        segment: { sdtype: 'categorical' },
        active: { sdtype: 'boolean' },
      },
      primaryKey: 'id',
    });
  });
});

describe('leakScanReport', () => {
  const table: Table = {
    rowCount: 3,
    columns: [
      { name: 'notes', type: 'string', values: ['a', null, 'b'] },
      { name: 'ssn', type: 'string', values: ['x', 'y', ''] },
    ],
  };
  it('counts leaks per column, maps rows to global ones, and lists at most maxLocations', () => {
    const scan = {
      leaks: [
        { column: 'notes', row: 0, sensitiveColumn: 'email' },
        { column: 'notes', row: 2, sensitiveColumn: 'ssn' },
        { column: 'ssn', row: 1, sensitiveColumn: 'ssn' },
      ],
      total: 3,
      truncated: false,
    };
    const report = leakScanReport(scan, table, (r) => 1000 + r, 2);
    expect(report).toEqual({
      checkedValues: 4,
      rowsScanned: 3,
      leaks: 3,
      findings: [
        { column: 'notes', matches: 2 },
        { column: 'ssn', matches: 1 },
      ],
      locations: [
        { column: 'notes', row: 1000, sensitiveColumn: 'email' },
        { column: 'notes', row: 1002, sensitiveColumn: 'ssn' },
      ],
    });
  });
});

describe('privacy in the reports and in status', () => {
  const failures = [
    { metric: 'maxLeaks', value: 2, threshold: 0 },
    { metric: 'minDcrMedianRatio', value: null, threshold: 0.5 },
  ];
  const report: RunReport = {
    runKey: 'wf/run',
    source: 'examples/customers.csv',
    sampleRows: 5000,
    syntheticRows: 3000,
    seed: 1,
    timings: [],
    totalMs: 0,
    sensitivity: [],
    quality: { score: 0.9, exactCopies: 0, rowsChecked: 3000, columns: [] },
    generation: { resampledCopies: 1, sensitiveRedraws: 7, sensitiveSampleValues: 0 },
    privacy: { exactCopyRate: 0.004, leaks: 2, leakRowsScanned: 3000, gate: { passed: false, failures } },
    loads: [],
    approvals: [],
    continuedAsNew: 0,
    artifacts: {
      evaluationHtml: 'file:///a/runs/wf/run/evaluation.html',
      evaluationJson: 'file:///a/runs/wf/run/evaluation.json',
    },
  };

  it('the run report shows the gate, leaks, copies, redrawn and remaining sensitive values, and links the evaluation', () => {
    const markdown = renderMarkdown(report);
    const privacySection = markdown.slice(markdown.indexOf('## Privacy'), markdown.indexOf('## Loads'));
    expect(privacySection).toContain(
      'Privacy gate: blocked (maxLeaks: measured 2, threshold 0; minDcrMedianRatio: not computed, threshold 0.5)',
    );
    expect(privacySection).toContain('2 leak(s) in 3000 synthetic rows scanned');
    expect(privacySection).toContain('0 of 3000 synthetic rows');
    expect(privacySection).toContain('0.40%');
    expect(privacySection).toContain('redrawn during generation: 7; still equal to a sample value: 0');
    expect(markdown).toContain('`file:///a/runs/wf/run/evaluation.html`');
    const page = renderHtml(report);
    expect(page).toContain('<a href="evaluation.html">');
    expect(page).toContain('Privacy gate: blocked');
    const passed = renderMarkdown({
      ...report,
      privacy: { ...report.privacy, gate: { passed: true, failures: [] } },
    });
    expect(passed).toContain('Privacy gate: passed.');
  });

  it('the evaluation page lists leak locations by column and row', () => {
    const data = {
      version: 1,
      title: 't',
      generatedAt: null,
      rows: { real: 1, synthetic: 1, sampledReal: 1, sampledSynthetic: 1 },
      scores: { overall: 1, columnShapes: 1, columnPairTrends: 1, diagnostics: 1, diagnosticDetails: [] },
      gates: [{ gate: 'privacy', passed: false, reasons: ['maxLeaks: 1 against threshold 0'] }],
      columns: [],
      correlations: { columns: [], real: [], synthetic: [], difference: [], omittedColumns: 0 },
      privacy: {
        exactCopies: 0,
        rowsChecked: 10,
        exactCopyRate: 0,
        leakScan: {
          checkedValues: 20,
          findings: [{ column: 'notes', matches: 1 }],
          rowsScanned: 10,
          leaks: 1,
          locations: [{ column: 'notes', row: 123456, sensitiveColumn: 'email' }],
        },
        generation: { exactCopies: 0, rowsChecked: 10, sensitiveRedraws: 4, sensitiveSampleValues: 0 },
      },
      sensitivity: null,
      approvals: [],
      relationships: [],
      edgeCases: [],
    } as ReportData;
    const page = renderReportData(data);
    expect(page).toContain('leaks found');
    expect(page).toMatch(/<td>notes<\/td><td>123456<\/td><td>email<\/td>/);
    expect(page).toContain('4 sensitive values were redrawn');
  });

  it('`understudy status` prints each failed threshold and the evaluation report', () => {
    expect(
      privacyStatusLines({
        metrics: { privacyGate: { passed: false, failures }, leaks: 2, leakRowsScanned: 3000 },
        artifacts: { evaluationHtml: 'file:///e.html', evaluationJson: 'file:///e.json' },
      }),
    ).toEqual([
      'privacy gate: failed',
      '  maxLeaks: measured 2, threshold 0',
      '  minDcrMedianRatio: not computed, threshold 0.5',
      'leak scan: 2 leak(s) in 3000 rows scanned',
      'evaluation report: file:///e.html',
      'evaluation JSON: file:///e.json',
    ]);
  });
});
