/**
 * The evaluate stage at the activity level (MockActivityEnvironment): the full evaluation is written
 * as evaluation.json and a self-contained evaluation.html, a sensitive sample value planted in a
 * synthetic part is found by the leak scan and reported by column, global row and sensitive column
 * but never by value, and each privacy threshold fails the gate when it is crossed.
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { EvaluateQualityInput, EvaluateQualityOutput } from '../../activities/evaluate.js';
import { createPipelineActivities, type PipelineActivities } from '../../activities/index.js';
import { PIPELINE_PRIVACY_DEFAULTS } from '../../core/evaluation/index.js';
import type { CellValue, Table } from '../../core/table.js';
import { createArtifactStore } from '../../integrations/storage/index.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const filePath = (uri: string) => uri.replace(/^file:\/\//, '');
const CHUNK = 1500;

function column(table: Table, name: string): CellValue[] {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
}

/** A copy of `table` with some cells replaced. */
function withCells(table: Table, cells: { column: string; row: number; value: CellValue }[]): Table {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) => {
      const values = [...c.values];
      for (const cell of cells) if (cell.column === c.name) values[cell.row] = cell.value;
      return { ...c, values };
    }),
  };
}

describe('evaluateQuality: evaluation artifacts, leak scan and privacy gate', () => {
  let acts: PipelineActivities;
  let sample: Table;
  let base: EvaluateQualityInput;
  let parts: Table[];
  const runKey = 'evaluate-privacy/run-1';

  const evaluate = (input: Partial<EvaluateQualityInput> = {}) =>
    new MockActivityEnvironment().run(acts.evaluateQuality, {
      ...base,
      ...input,
    }) as Promise<EvaluateQualityOutput>;

  /** Writes tables as the parts of a new prefix (the activity reads parts by prefix). */
  async function writeParts(name: string, tables: Table[]): Promise<string> {
    const prefix = `${base.partsPrefix}-${name}`;
    for (const [k, t] of tables.entries())
      await writeTableFile(
        t,
        path.join(filePath(prefix), `part-${String(k).padStart(6, '0')}.parquet`),
        'parquet',
      );
    return prefix;
  }

  beforeAll(async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-evaluate-'));
    acts = createPipelineActivities({
      store: createArtifactStore({ root: path.join(work, 'artifacts') }),
      baseDir: repoRoot,
      outputRoot: path.join(work, 'output'),
      connectionUrl: () => undefined,
    });
    const env = new MockActivityEnvironment();
    const run = <I, O>(fn: (i: I) => Promise<O>, i: I) => env.run(fn, i) as Promise<O>;
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
    const chunks = [];
    for (let k = 0; k < 2; k++) {
      chunks.push(
        await run(acts.synthesizeChunk, {
          runKey,
          modelUri: fit.modelUri,
          partsPrefix: fit.partsPrefix,
          sampleUri: ingest.sampleUri,
          generationUri: fit.generationUri,
          seed: 11,
          chunkIndex: k,
          startRow: k * CHUNK,
          rowCount: CHUNK,
          totalRows: 2 * CHUNK,
        }),
      );
    }
    sample = await readTableFile(filePath(ingest.sampleUri), 'parquet');
    parts = await Promise.all(chunks.map((c) => readTableFile(filePath(c.partUri), 'parquet')));
    base = {
      runKey,
      sampleUri: ingest.sampleUri,
      profileUri: profile.profileUri,
      sensitivityUri: classify.sensitivityUri,
      partsPrefix: fit.partsPrefix,
      partCount: 2,
      exactCopies: chunks.reduce((n, c) => n + c.exactCopies, 0),
      rowsChecked: 2 * CHUNK,
      chunkSize: CHUNK,
      sensitiveRedraws: chunks.reduce((n, c) => n + (c.sensitiveRedraws ?? 0), 0),
      sensitiveSampleValues: chunks.reduce((n, c) => n + (c.sensitiveSampleValues ?? 0), 0),
      qualityThreshold: 0.7,
      privacyThresholds: { ...PIPELINE_PRIVACY_DEFAULTS },
    };
  });

  it('writes evaluation.json and a self-contained evaluation.html, and passes the default privacy gate', async () => {
    const out = await evaluate();
    expect(out.score).toBeGreaterThan(0.7);
    expect(out.score).toBeLessThanOrEqual(1);
    expect(out.leakRowsScanned).toBe(2 * CHUNK);
    expect(out.leaks).toBe(0);
    expect(out.exactCopyRate).toBe(0);
    expect(out.privacyGate).toEqual({ passed: true, failures: [] });
    expect(out.dcr?.medianRatio).toBeGreaterThan(0.5);

    const json = JSON.parse(await readFile(filePath(out.evaluationJsonUri), 'utf8'));
    expect(json.scores.overall).toBeCloseTo(out.score, 6);
    expect(json.scores.columnPairTrends).toBeGreaterThan(0);
    expect(json.scores.diagnostics).toBeGreaterThan(0);
    // Sensitive columns are left out of the shape scores; the rest are scored.
    const shaped = json.columns.filter((c: { metrics: { metric: string }[] }) =>
      c.metrics.some((m) => m.metric === 'ks_complement' || m.metric === 'tv_complement'),
    );
    expect(shaped.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['age', 'segment']));
    expect(shaped.map((c: { name: string }) => c.name)).not.toContain('email');
    expect(json.privacy.leakScan).toMatchObject({ leaks: 0, rowsScanned: 2 * CHUNK, locations: [] });
    expect(json.privacy.dcrReference.medianRatio).toBeCloseTo(out.dcr?.medianRatio as number, 6);
    expect(json.privacy.generation).toEqual({
      exactCopies: base.exactCopies,
      rowsChecked: 2 * CHUNK,
      sensitiveRedraws: base.sensitiveRedraws,
      sensitiveSampleValues: base.sensitiveSampleValues,
    });
    expect(json.gates).toEqual([
      expect.objectContaining({ gate: 'quality', passed: true }),
      { gate: 'privacy', passed: true, reasons: [] },
    ]);

    const page = await readFile(filePath(out.evaluationHtmlUri), 'utf8');
    expect(page).toContain('Sensitive-value leak scan');
    expect(page).toContain('DCR median ratio');
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    // The old artifacts stay, for runs and reports that read them.
    const quality = JSON.parse(await readFile(filePath(out.qualityUri), 'utf8'));
    expect(quality.score).toBeCloseTo(out.score, 12);
    expect(quality.columns.map((c: { column: string }) => c.column)).toContain('age');
  });

  it('finds a planted sensitive value, reports where it is and never what it is, and fails the gate', async () => {
    const emails = column(sample, 'email').filter((v): v is string => typeof v === 'string');
    const ssns = column(sample, 'ssn').filter((v): v is string => typeof v === 'string');
    const email = emails[123] as string;
    const ssn = ssns[321] as string;
    const planted = withCells(parts[1] as Table, [
      { column: 'notes', row: 10, value: `Customer asked to be reached at ${email} after five.` },
      { column: 'segment', row: 20, value: ssn },
    ]);
    const partsPrefix = await writeParts('planted', [parts[0] as Table, planted]);
    const out = await evaluate({ partsPrefix });

    expect(out.leaks).toBe(2);
    expect(out.privacyGate?.passed).toBe(false);
    expect(out.privacyGate?.failures).toEqual([{ metric: 'maxLeaks', value: 2, threshold: 0 }]);
    const json = JSON.parse(await readFile(filePath(out.evaluationJsonUri), 'utf8'));
    // Rows are global: part 1 starts at row CHUNK.
    expect(json.privacy.leakScan.locations).toEqual(
      expect.arrayContaining([
        { column: 'notes', row: CHUNK + 10, sensitiveColumn: 'email' },
        { column: 'segment', row: CHUNK + 20, sensitiveColumn: 'ssn' },
      ]),
    );
    expect(json.gates.at(-1)).toEqual({
      gate: 'privacy',
      passed: false,
      reasons: [expect.stringContaining('maxLeaks')],
    });
    const page = await readFile(filePath(out.evaluationHtmlUri), 'utf8');
    expect(page).toContain('leaks found');
    expect(page).toContain(String(CHUNK + 10));
    for (const text of [JSON.stringify(out), JSON.stringify(json), page]) {
      expect(text).not.toContain(email);
      expect(text).not.toContain(ssn);
    }
    // Nothing of the leak index (keyed hashes, prefilter) is kept as an artifact.
    const runDir = path.dirname(filePath(out.evaluationJsonUri));
    expect((await readdir(runDir)).filter((f) => /leak/i.test(f))).toEqual([]);
  });

  it('fails the exact-copy threshold when synthetic rows copy sample rows', async () => {
    const copies = 300;
    const copied: Table = {
      rowCount: (parts[0] as Table).rowCount,
      columns: (parts[0] as Table).columns.map((c) => {
        const real = sample.columns.find((s) => s.name === c.name)?.values ?? [];
        return { ...c, values: c.values.map((v, i) => (i < copies ? (real[i] ?? null) : v)) };
      }),
    };
    const partsPrefix = await writeParts('copies', [copied, parts[1] as Table]);
    const out = await evaluate({ partsPrefix });
    // Every copied row matches (rates compared as row counts: 300 / 3000 is not exact in binary).
    expect(Math.round(out.exactCopyRate * 2 * CHUNK)).toBeGreaterThanOrEqual(copies);
    const failed = out.privacyGate?.failures.map((f) => f.metric);
    expect(failed).toContain('maxExactCopyRate');
    // The same rows pass a threshold above their rate.
    const lenient = await evaluate({
      partsPrefix,
      privacyThresholds: { ...PIPELINE_PRIVACY_DEFAULTS, maxExactCopyRate: 0.5, maxLeaks: 100_000 },
    });
    expect(lenient.privacyGate?.failures.map((f) => f.metric) ?? []).not.toContain('maxExactCopyRate');
  });

  it('fails the sensitive-value and DCR thresholds when they are crossed, and passes them at the limit', async () => {
    const out = await evaluate({
      sensitiveSampleValues: 3,
      privacyThresholds: { ...PIPELINE_PRIVACY_DEFAULTS, maxSensitiveSampleValues: 2, minDcrMedianRatio: 50 },
    });
    expect(out.privacyGate?.passed).toBe(false);
    expect(out.privacyGate?.failures).toEqual([
      { metric: 'maxSensitiveSampleValues', value: 3, threshold: 2 },
      { metric: 'minDcrMedianRatio', value: out.dcr?.medianRatio, threshold: 50 },
    ]);
    const atLimit = await evaluate({
      sensitiveSampleValues: 2,
      privacyThresholds: { ...PIPELINE_PRIVACY_DEFAULTS, maxSensitiveSampleValues: 2 },
    });
    expect(atLimit.privacyGate).toEqual({ passed: true, failures: [] });
  });
});
