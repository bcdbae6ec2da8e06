import fc from 'fast-check';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { evaluateSynthetic } from '../../core/evaluation/index.js';
import type { SensitivityReport } from '../../core/pii/types.js';
import { createRng } from '../../core/random/index.js';
import { correlationMatrix, pearson } from '../../core/report-html/correlations.js';
import { pairedCategories, pairedHistogram, sortedFinite } from '../../core/report-html/distributions.js';
import {
  buildReportJson,
  escapeHtml,
  jsonForScript,
  renderHtmlReport,
  reportInputFromEvaluation,
  snakeMetricName,
  type HtmlReportInput,
} from '../../core/report-html/index.js';
import type { CellValue, ColumnData, Table } from '../../core/table.js';

const EVIL = '<script>alert(1)</script>';
const SEGMENTS = ['retail', 'smb', 'enterprise', `</script><b onmouseover="x">seg`];

/** A mixed table: numbers, dates, categories (one with markup), booleans, keys and a sensitive email column. */
function fixtureTable(rows: number, seed: number, extraNumeric = 0): Table {
  const rng = createRng(seed);
  const cols: Record<string, { type: ColumnData['type']; values: CellValue[] }> = {
    id: { type: 'string', values: [] },
    [EVIL]: { type: 'float', values: [] },
    age: { type: 'integer', values: [] },
    signup: { type: 'date', values: [] },
    segment: { type: 'string', values: [] },
    active: { type: 'boolean', values: [] },
    email: { type: 'string', values: [] },
  };
  for (let k = 0; k < extraNumeric; k++) cols[`x${k}`] = { type: 'float', values: [] };
  for (let i = 0; i < rows; i++) {
    const age = 18 + rng.nextInt(60);
    cols.id?.values.push(`C-${String(seed * 1_000_000 + i).padStart(9, '0')}`);
    cols[EVIL]?.values.push(i % 17 === 0 ? null : age * 1000 + 5000 * rng.nextNormal());
    cols.age?.values.push(age);
    cols.signup?.values.push(
      new Date(Date.UTC(2020, 0, 1) + rng.nextInt(1500) * 86_400_000).toISOString().slice(0, 10),
    );
    cols.segment?.values.push(
      i === 3 ? 'only-once-value' : (SEGMENTS[rng.nextInt(SEGMENTS.length)] as string),
    );
    cols.active?.values.push(rng.nextDouble() < 0.7);
    cols.email?.values.push(`person${seed}x${i}@example.org`);
    for (let k = 0; k < extraNumeric; k++) cols[`x${k}`]?.values.push(age * (k + 1) + rng.nextNormal() * 10);
  }
  return { rowCount: rows, columns: Object.entries(cols).map(([name, c]) => ({ name, ...c })) };
}

const SENSITIVITY: SensitivityReport = {
  threshold: 0.7,
  sampledValuesPerColumn: 1000,
  fields: [
    {
      column: 'email',
      kind: 'email',
      confidence: 0.99,
      sensitive: true,
      reasons: ['100% valid email addresses'],
    },
    {
      column: EVIL,
      kind: 'none',
      confidence: 0,
      sensitive: false,
      reasons: [`reason with ${EVIL}`],
      override: { sensitive: false, by: `rev${EVIL}`, at: '2026-01-02T00:00:00Z', comment: EVIL },
    },
  ],
};

function fixtureInput(overrides: Partial<HtmlReportInput> = {}): HtmlReportInput {
  const real = fixtureTable(3000, 1);
  const synthetic = fixtureTable(2500, 2);
  return {
    title: `Report ${EVIL}`,
    generatedAt: '2026-01-02T03:04:05Z',
    real,
    synthetic,
    scores: {
      overall: 0.87,
      columnShapes: 0.91,
      columnPairTrends: 0.83,
      diagnosticDetails: [{ name: 'BoundaryAdherence', score: 0.99 }],
    },
    columnMetrics: [{ column: EVIL, metric: 'ks_complement', value: 0.95 }],
    privacy: {
      exactCopies: 1,
      rowsChecked: 2500,
      exactCopyRate: 0.0004,
      dcr: {
        syntheticRows: 2500,
        trainingRows: 3000,
        holdoutRows: 1000,
        dcrTraining: { p05: 0.01, p50: 0.05, mean: 0.06 },
        dcrHoldout: { p05: 0.012, p50: 0.052, mean: 0.061 },
        closerToTrainingShare: 0.74,
        expectedCloserToTrainingShare: 0.75,
        nndr: { p05: 0.4, p50: 0.8, mean: 0.75 },
      },
      leakScan: { checkedValues: 5000, findings: [{ column: EVIL, matches: 0 }] },
    },
    gates: [{ gate: 'quality', passed: true, reasons: [`overall 0.87 ≥ 0.8 on ${EVIL}`] }],
    sensitivity: SENSITIVITY,
    approvals: [
      { gate: 'sensitivity', approver: EVIL, at: '2026-01-02T00:00:00Z', decision: 'approve', comment: EVIL },
    ],
    edgeCases: [{ rule: 'null', column: EVIL, requestedFrequency: 0.01, injectedRows: 25 }],
    ...overrides,
  };
}

function embeddedJson(html: string): unknown {
  const script = parse(html).querySelector('script#report-data');
  expect(script?.getAttribute('type')).toBe('application/json');
  return JSON.parse(script?.textContent ?? 'null');
}

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(fixtureInput());

  it('escapes every user string: column names, categories, reasons, approvers, comments, title', () => {
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('<b onmouseover');
    expect(html).toContain(escapeHtml(EVIL));
    // The only script element is the JSON data block, and nothing in it can close it early.
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    const root = parse(html);
    expect(root.querySelectorAll('h3').some((h) => h.textContent === EVIL)).toBe(true);
    expect(root.querySelector('title')?.textContent).toContain(EVIL);
  });

  it('references no network resource and forbids loading any', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc\s*=|<link\b|@import|url\(/i);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('draws a chart with marks for every column, and a QQ plot for numeric and datetime ones', () => {
    const root = parse(html);
    const input = fixtureInput();
    const cards = root.querySelectorAll('section.column');
    expect(cards.map((c) => c.querySelector('h3')?.textContent)).toEqual(
      input.real.columns.map((c) => c.name),
    );
    cards.forEach((card, i) => {
      const dist = card.querySelector(`#col-${i}-dist svg`);
      expect(dist?.querySelectorAll('.mark').length, `column ${i}`).toBeGreaterThan(0);
      expect(dist?.getAttribute('role')).toBe('img');
      expect(card.querySelector(`#col-${i}-dist details table`)).not.toBeNull();
    });
    const qq = input.real.columns.flatMap((c, i) => (root.querySelector(`#col-${i}-qq`) ? [c.name] : []));
    expect(qq).toEqual([EVIL, 'age', 'signup']);
    for (const id of ['heat-real', 'heat-synthetic', 'heat-difference', 'privacy-dcr', 'edge-cases-chart'])
      expect(root.querySelector(`#${id} svg`)?.querySelectorAll('.mark').length, id).toBeGreaterThan(0);
  });

  it('gives every chart an accessible name and description that exist in the page', () => {
    const root = parse(html);
    const svgs = root.querySelectorAll('svg');
    // 4 score cards, the shape-score bars, 7 distributions, 3 QQ plots, 3 heatmaps, DCR and edge cases.
    expect(svgs.length).toBe(20);
    for (const svg of svgs) {
      const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(root.querySelector(`#${id}`)?.textContent.length).toBeGreaterThan(0);
    }
    const ids = root.querySelectorAll('[id]').map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is a pure function of its input', () => {
    expect(renderHtmlReport(fixtureInput())).toBe(html);
    expect(html).toContain('2026-01-02T03:04:05Z');
  });

  it('embeds exactly the numbers buildReportJson returns', () => {
    const data = buildReportJson(fixtureInput());
    expect(embeddedJson(html)).toEqual(data);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data.columns.find((c) => c.name === EVIL)?.metrics).toEqual([
      { metric: 'ks_complement', value: 0.95 },
    ]);
    expect(data.edgeCases[0]?.injectedFrequency).toBeCloseTo(25 / 2500, 12);
  });

  it('never shows values of sensitive columns, keys or rare categories', () => {
    expect(html).not.toContain('@example.org');
    expect(html).not.toContain('C-0');
    expect(html).not.toContain('only-once-value');
    const data = buildReportJson(fixtureInput());
    const email = data.columns.find((c) => c.name === 'email');
    expect(email?.kind).toBe('text');
    expect(email?.histogram?.unit).toBe('length');
    expect(email?.valuesHidden).toMatch(/sensitive/);
    const segment = data.columns.find((c) => c.name === 'segment');
    expect(segment?.categories?.labels).toEqual(
      expect.arrayContaining(['retail', 'smb', 'enterprise', 'other']),
    );
  });

  it('stays light: a 20-column report from 20,000-row tables is well under 1 MB', () => {
    const input = fixtureInput({ real: fixtureTable(20_000, 3, 13), synthetic: fixtureTable(20_000, 4, 13) });
    expect(input.real.columns).toHaveLength(20);
    const page = renderHtmlReport(input);
    expect(page.length).toBeLessThan(700_000);
  });

  it('bounds its work: at most maxSampleRows rows of each table are charted', () => {
    const data = buildReportJson(fixtureInput({ sampling: { maxSampleRows: 500 } }));
    expect(data.rows).toEqual({ real: 3000, synthetic: 2500, sampledReal: 500, sampledSynthetic: 500 });
    for (const c of data.columns) expect(c.counted.real).toBeLessThanOrEqual(500);
  });

  it('rejects bad sampling options with the field name and no values', () => {
    expect(() => buildReportJson(fixtureInput({ sampling: { bins: 0 } }))).toThrow(ConfigError);
    expect(() => buildReportJson(fixtureInput({ sampling: { bins: 2.5 } }))).toThrow(
      /^sampling\.bins: must be a positive integer$/,
    );
  });

  it('renders a report without privacy, sensitivity, approvals or edge cases', () => {
    const page = renderHtmlReport({
      title: 't',
      real: fixtureTable(100, 5),
      synthetic: fixtureTable(100, 6),
      scores: { overall: Number.NaN, columnShapes: 0.5, columnPairTrends: 0.4 },
    });
    expect(page).toContain('Privacy was not evaluated');
    expect(page).toContain('No approvals recorded');
    expect(page).toContain('No edge-case rules');
    expect(parse(page).querySelector('#score-overall')?.querySelectorAll('.mark')).toHaveLength(0);
  });
});

describe('report numbers', () => {
  it('histogram shares of each side sum to 1 over ascending edges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (a, b, bins) => {
          const h = pairedHistogram(
            sortedFinite(Float64Array.from(a)),
            sortedFinite(Float64Array.from(b)),
            bins,
            'value',
          );
          const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
          expect(sum(h.real)).toBeCloseTo(1, 9);
          expect(sum(h.synthetic)).toBeCloseTo(1, 9);
          for (let i = 1; i < h.edges.length; i++)
            expect(h.edges[i]).toBeGreaterThan(h.edges[i - 1] as number);
          expect(h.edges).toHaveLength(h.real.length + 1);
        },
      ),
    );
  });

  it('gives small integer ranges one bin per value', () => {
    const h = pairedHistogram(Float64Array.of(1, 1, 2, 3), Float64Array.of(1, 3, 3, 3), 20, 'value');
    expect(h.integerBins).toBe(true);
    expect(h.edges).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(h.real).toEqual([0.5, 0.25, 0.25]);
    expect(h.synthetic).toEqual([0.25, 0, 0.75]);
  });

  it('category shares cover all rows, missing and "other" included', () => {
    const real: CellValue[] = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'c', null];
    const synthetic: CellValue[] = ['a', 'b', 'z', null];
    const c = pairedCategories(real, synthetic, { top: 5, minCount: 5, boolean: false });
    expect(c.labels).toEqual(['a', 'b', 'other', 'missing']);
    expect(c.kinds).toEqual(['value', 'value', 'other', 'missing']);
    expect(c.real).toEqual([5 / 12, 5 / 12, 1 / 12, 1 / 12]);
    expect(c.synthetic).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('computes Pearson correlations over pairwise-present rows', () => {
    const x = Float64Array.of(1, 2, 3, 4, Number.NaN);
    const y = Float64Array.of(2, 4, 6, 8, 100);
    expect(pearson(x, y)).toBeCloseTo(1, 12);
    expect(pearson(x, Float64Array.of(4, 3, 2, 1, 0))).toBeCloseTo(-1, 12);
    expect(pearson(x, Float64Array.of(5, 5, 5, 5, 5))).toBeNull();
    // Epoch milliseconds: large offsets must not cancel the variance away.
    const t = Float64Array.of(1.7e12, 1.7e12 + 1, 1.7e12 + 2, 1.7e12 + 4);
    expect(pearson(t, Float64Array.of(0, 1, 2, 4))).toBeCloseTo(1, 9);
    const m = correlationMatrix([x, y, Float64Array.of(1, 1, 1, 1, 1)]);
    expect(m[0]?.[0]).toBe(1);
    expect(m[2]?.[2]).toBeNull();
    expect(m[1]?.[0]).toBe(m[0]?.[1]);
  });

  it('writes JSON that cannot close its script element and parses back', () => {
    const value = { s: '</script><!-- & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('reportInputFromEvaluation', () => {
  it('carries the evaluation scores, tests, privacy and gate into the report', () => {
    const real = fixtureTable(1500, 7);
    const synthetic = fixtureTable(1500, 8);
    const holdout = fixtureTable(500, 9);
    const result = evaluateSynthetic({
      real,
      synthetic,
      holdout,
      options: {
        privacyThresholds: { maxExactCopyRate: 0.5, maxCloserToTrainingShare: 0 },
        edgeCases: [{ rule: 'null-age', requested: 0.01, count: 15, total: 1500 }],
      },
    });
    const input = reportInputFromEvaluation(result, {
      title: 'eval',
      real,
      synthetic,
      edgeCaseColumns: { 'null-age': 'age' },
    });
    const data = buildReportJson(input);
    expect(data.scores.overall).toBeCloseTo(result.quality.score as number, 9);
    expect(data.scores.columnShapes).toBeCloseTo(result.quality.columnShapes.score as number, 9);
    const age = data.columns.find((c) => c.name === 'age');
    expect(age?.metrics.map((m) => m.metric)).toEqual(
      expect.arrayContaining(['ks_complement', 'boundary_adherence', 'ks_statistic', 'ks_p_value']),
    );
    expect(data.privacy?.dcr?.trainingRows).toBe(1500);
    expect(data.privacy?.dcr?.holdoutRows).toBe(500);
    const gate = data.gates.find((g) => g.gate === 'privacy');
    expect(gate?.passed).toBe(false);
    expect(gate?.reasons.join(' ')).toMatch(/maxCloserToTrainingShare/);
    expect(data.edgeCases).toEqual([
      {
        rule: 'null-age',
        column: 'age',
        requestedFrequency: 0.01,
        injectedRows: 15,
        totalRows: 1500,
        injectedFrequency: 0.01,
      },
    ]);
    expect(data.correlations.columns).toEqual(result.correlation.columns);
    expect(data.correlations.real[0]?.[1]).toBeCloseTo(result.correlation.real[0]?.[1] as number, 9);
    expect(data.correlations.difference[0]?.[1]).toBeCloseTo(
      (result.correlation.synthetic[0]?.[1] as number) - (result.correlation.real[0]?.[1] as number),
      9,
    );
    const html = renderHtmlReport(input);
    expect(html).not.toContain(EVIL);
    expect(parse(html).querySelectorAll('section.column')).toHaveLength(real.columns.length);
  });

  it('draws given correlation matrices, cut to the heatmap limit', () => {
    const data = buildReportJson(
      fixtureInput({
        correlations: {
          columns: ['a', 'b', 'c'],
          real: [
            [1, 0.5, null],
            [0.5, 1, 0.1],
            [null, 0.1, 1],
          ],
          synthetic: [
            [1, 0.25],
            [0.25, 1],
          ],
        },
        sampling: { maxHeatmapColumns: 2 },
      }),
    );
    expect(data.correlations).toEqual({
      columns: ['a', 'b'],
      real: [
        [1, 0.5],
        [0.5, 1],
      ],
      synthetic: [
        [1, 0.25],
        [0.25, 1],
      ],
      difference: [
        [0, -0.25],
        [-0.25, 0],
      ],
      omittedColumns: 1,
    });
  });

  it('names SDMetrics metrics in snake case', () => {
    expect(snakeMetricName('KSComplement')).toBe('ks_complement');
    expect(snakeMetricName('TVComplement')).toBe('tv_complement');
    expect(snakeMetricName('BoundaryAdherence')).toBe('boundary_adherence');
    expect(snakeMetricName('KeyUniqueness')).toBe('key_uniqueness');
  });
});
