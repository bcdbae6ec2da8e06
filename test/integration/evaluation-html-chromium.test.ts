/**
 * The pipeline's evaluation.html (written by the evaluateQuality activity, with a planted leak so
 * the leak table is drawn) opened in headless Chromium with the network cut off: no request, no
 * console error, every chart drawn, the DCR reference chart and the leak locations present. The
 * page and a screenshot are kept under test-artifacts/evaluation-html/.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createPipelineActivities } from '../../activities/index.js';
import { PIPELINE_PRIVACY_DEFAULTS } from '../../core/evaluation/index.js';
import type { Table } from '../../core/table.js';
import { createArtifactStore } from '../../integrations/storage/index.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'evaluation-html');
const filePath = (uri: string) => uri.replace(/^file:\/\//, '');

const COUNT_DRAWN_MARKS = `[...document.querySelectorAll('svg.chart-svg')].map((svg) => ({
  id: svg.closest('figure')?.id ?? svg.getAttribute('aria-labelledby') ?? '',
  marks: [...svg.querySelectorAll('rect.mark, path.mark, circle.mark')].filter((m) => {
    const box = m.getBBox();
    return box.width > 0 || box.height > 0;
  }).length,
}))`;

/** Runs the stages up to evaluate on the demo sample, with one sample email planted in the notes. */
async function writeEvaluationPage(): Promise<string> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-evaluation-html-'));
  const acts = createPipelineActivities({
    store: createArtifactStore({ root: path.join(work, 'artifacts') }),
    baseDir: ROOT,
    outputRoot: path.join(work, 'output'),
    connectionUrl: () => undefined,
  });
  const env = new MockActivityEnvironment();
  const run = <I, O>(fn: (i: I) => Promise<O>, i: I) => env.run(fn, i) as Promise<O>;
  const runKey = 'evaluation-html/run';
  const ingest = await run(acts.ingestSource, { runKey, source: { uri: 'examples/customers.csv' } });
  const profile = await run(acts.profileSample, { runKey, sampleUri: ingest.sampleUri });
  const classify = await run(acts.classifySample, {
    runKey,
    sampleUri: ingest.sampleUri,
    profileUri: profile.profileUri,
  });
  const fit = await run(acts.fitModel, {
    runKey,
    sampleUri: ingest.sampleUri,
    profileUri: profile.profileUri,
    sensitivityUri: classify.sensitivityUri,
    synthesizer: 'copula',
  });
  const chunk = await run(acts.synthesizeChunk, {
    runKey,
    modelUri: fit.modelUri,
    partsPrefix: fit.partsPrefix,
    sampleUri: ingest.sampleUri,
    generationUri: fit.generationUri,
    seed: 5,
    chunkIndex: 0,
    startRow: 0,
    rowCount: 4000,
    totalRows: 4000,
  });
  const sample = await readTableFile(filePath(ingest.sampleUri), 'parquet');
  const part = await readTableFile(filePath(chunk.partUri), 'parquet');
  const email = sample.columns.find((c) => c.name === 'email')?.values[42];
  const planted: Table = {
    ...part,
    columns: part.columns.map((c) =>
      c.name === 'notes'
        ? { ...c, values: c.values.map((v, i) => (i === 7 ? `write to ${String(email)}` : v)) }
        : c,
    ),
  };
  const partsPrefix = `${fit.partsPrefix}-planted`;
  await writeTableFile(planted, path.join(filePath(partsPrefix), 'part-000000.parquet'), 'parquet');
  const out = await run(acts.evaluateQuality, {
    runKey,
    sampleUri: ingest.sampleUri,
    profileUri: profile.profileUri,
    sensitivityUri: classify.sensitivityUri,
    partsPrefix,
    partCount: 1,
    exactCopies: chunk.exactCopies,
    rowsChecked: 4000,
    chunkSize: 4000,
    sensitiveRedraws: chunk.sensitiveRedraws ?? 0,
    sensitiveSampleValues: chunk.sensitiveSampleValues ?? 0,
    qualityThreshold: 0.7,
    privacyThresholds: { ...PIPELINE_PRIVACY_DEFAULTS },
  });
  expect(out.leaks).toBeGreaterThanOrEqual(1);
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, 'evaluation.html');
  copyFileSync(filePath(out.evaluationHtmlUri), file);
  return file;
}

describe.skipIf(!existsSync(CHROMIUM))('the pipeline evaluation report in headless Chromium', () => {
  it(
    'loads offline without requests or console errors, draws every chart, and lists the leak by place',
    { timeout: 240_000 },
    async () => {
      const file = await writeEvaluationPage();
      const pageUrl = pathToFileURL(file).href;
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const requests: string[] = [];
        const errors: string[] = [];
        await context.route('**/*', async (route) => {
          if (route.request().url() === pageUrl) await route.continue();
          else {
            requests.push(route.request().url());
            await route.abort();
          }
        });
        const page = await context.newPage();
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        await context.setOffline(true);
        await page.goto(pageUrl, { waitUntil: 'load' });
        const charts = await page.evaluate<{ id: string; marks: number }[]>(COUNT_DRAWN_MARKS);
        const privacyText = await page.evaluate<string>(`document.getElementById('privacy').innerText`);
        await page.screenshot({ path: path.join(ARTIFACTS, 'evaluation.png'), fullPage: true });
        await context.close();

        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
        expect(charts.map((c) => c.id)).toContain('privacy-dcr-reference');
        expect(charts.filter((c) => c.marks === 0).map((c) => c.id)).toEqual([]);
        expect(privacyText).toContain('leaks found');
        expect(privacyText).toMatch(/notes\s+7\s+email/);
        expect(privacyText).not.toContain('@');
      } finally {
        await browser.close();
      }
    },
  );
});
