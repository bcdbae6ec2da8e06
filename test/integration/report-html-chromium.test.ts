/**
 * The HTML report of the demo data opened in headless Chromium (Debian's, through playwright-core)
 * with the network cut off: it must load without a single request, log no errors, and draw every
 * chart. The page and a full-page screenshot are kept under test-artifacts/report-html/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSynthetic } from '../../core/evaluation/index.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { reportInputFromEvaluation, renderHtmlReport } from '../../core/report-html/index.js';
import { fitTableSynthesizer, sampleTableChunk } from '../../core/synthesizer/index.js';
import type { Table } from '../../core/table.js';
import { readTableFile } from '../../integrations/tabular/read-table.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'report-html');
const HOLDOUT_ROWS = 1000;

/**
 * Run in the page (as a string: the project's TypeScript has no DOM types): per chart, the data
 * marks (rect, path, circle) that have a non-empty bounding box, i.e. were actually laid out.
 */
const COUNT_DRAWN_MARKS = `[...document.querySelectorAll('svg.chart-svg')].map((svg) => ({
  label: svg.getAttribute('aria-labelledby') ?? '',
  marks: [...svg.querySelectorAll('rect.mark, path.mark, circle.mark')].filter((m) => {
    const box = m.getBBox();
    return box.width > 0 || box.height > 0;
  }).length,
}))`;

function sliceRows(table: Table, start: number, end: number): Table {
  return {
    rowCount: Math.min(end, table.rowCount) - start,
    columns: table.columns.map((c) => ({ ...c, values: c.values.slice(start, end) })),
  };
}

/** The demo report: customers.parquet split into training and holdout rows, a copula sample, the full evaluation. */
async function writeDemoReport(): Promise<{ file: string; columns: number }> {
  const sample = await readTableFile(path.join(ROOT, 'examples', 'customers.parquet'), 'parquet');
  const training = sliceRows(sample, 0, sample.rowCount - HOLDOUT_ROWS);
  const holdout = sliceRows(sample, sample.rowCount - HOLDOUT_ROWS, sample.rowCount);
  const profile = profileTable(training);
  const sensitivity = classifyTable(training, profile, { asOfMs: Date.UTC(2026, 0, 1) });
  const model = fitTableSynthesizer(training, profile, sensitivity, { synthesizer: 'copula' });
  const synthetic = sampleTableChunk(model, { seed: 42, chunkIndex: 0, startRow: 0, rowCount: 5000 });
  const result = evaluateSynthetic({
    real: training,
    synthetic,
    holdout,
    options: {
      privacyThresholds: { maxExactCopyRate: 0.01, maxCloserToTrainingShare: 0.9 },
      edgeCases: [{ rule: 'null-email', requested: 0.01, count: 48, total: 5000 }],
    },
  });
  const html = renderHtmlReport(
    reportInputFromEvaluation(result, {
      title: 'Demo customers',
      generatedAt: '2026-01-01T00:00:00Z',
      real: training,
      synthetic,
      sensitivity,
      approvals: [
        {
          gate: 'sensitivity',
          approver: 'reviewer@example',
          at: '2026-01-01T00:00:00Z',
          decision: 'approved',
        },
      ],
      edgeCaseColumns: { 'null-email': 'email' },
      leakScan: { checkedValues: 40_000, findings: [{ column: 'email', matches: 0 }] },
      gates: [{ gate: 'quality', passed: true, reasons: [] }],
    }),
  );
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, 'report.html');
  writeFileSync(file, html);
  return { file, columns: training.columns.length };
}

describe.skipIf(!existsSync(CHROMIUM))('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'loads offline without requests or console errors and draws every chart',
    { timeout: 240_000 },
    async () => {
      const { file, columns } = await writeDemoReport();
      const pageUrl = pathToFileURL(file).href;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const errors: string[] = [];
      // Every request but the page itself is recorded and refused: the report must need none.
      await context.route('**/*', async (route) => {
        if (route.request().url() === pageUrl) await route.continue();
        else {
          requests.push(route.request().url());
          await route.abort();
        }
      });
      const page = await context.newPage();
      page.on('request', (r) => {
        if (r.url() !== pageUrl) requests.push(r.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await context.setOffline(true);
      await page.goto(pageUrl, { waitUntil: 'load' });

      const charts = await page.evaluate<{ label: string; marks: number }[]>(COUNT_DRAWN_MARKS);
      const perColumn = await page.evaluate<number[]>(
        `[...document.querySelectorAll('section.column')].map((s) => s.querySelectorAll('svg.chart-svg').length)`,
      );
      const embedded = await page.evaluate<number>(
        `JSON.parse(document.getElementById('report-data').textContent).columns.length`,
      );
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
      await context.close();

      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      expect(perColumn).toHaveLength(columns);
      for (const n of perColumn) expect(n).toBeGreaterThan(0);
      expect(embedded).toBe(columns);
      // Score cards, per-column charts, three heatmaps, the DCR chart and the edge-case chart.
      expect(charts.length).toBeGreaterThan(columns + 6);
      const empty = charts.filter((c) => c.marks === 0).map((c) => c.label);
      expect(empty).toEqual([]);
      expect(existsSync(path.join(ARTIFACTS, 'report.png'))).toBe(true);
    },
  );
});
