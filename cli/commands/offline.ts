/**
 * Commands that need no Temporal server: profile a file, generate synthetic rows from it, and
 * evaluate a synthetic file against a real one. They call the same core code as the pipeline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import {
  columnShapeScores,
  countExactCopies,
  fingerprintTable,
  summarizeQuality,
} from '../../core/quality/index.js';
import { fitSynthModel, sampleChunk } from '../../core/synth/index.js';
import { exportParts } from '../../integrations/tabular/export-parts.js';
import { detectFormat, readTableFile, validateSourceFile, writeTableFile } from '../../integrations/tabular/index.js';
import { takeEvenly, type Table } from '../../core/table.js';
import { withoutSensitive } from '../../core/quality/scoring-profile.js';

async function readChecked(file: string): Promise<Table> {
  const format = detectFormat(file);
  await validateSourceFile(file, format, { displayName: file });
  return readTableFile(file, format, { displayName: file });
}

/** `understudy profile --input FILE [--json]`: column profile plus the sensitivity report. */
export async function profileCommand(opts: { input: string; json?: boolean }) {
  const table = await readChecked(opts.input);
  const profile = profileTable(table);
  const sensitivity = classifyTable(table, profile);
  if (opts.json) {
    console.log(JSON.stringify({ profile, sensitivity }, null, 2));
    return;
  }
  console.log(`${opts.input}: ${table.rowCount} rows, ${table.columns.length} columns\n`);
  const rows = profile.columns.map((c) => {
    const s = sensitivity.fields.find((f) => f.column === c.name);
    return {
      column: c.name,
      type: c.semanticType,
      nulls: `${(c.nullRate * 100).toFixed(1)}%`,
      distinct: c.distinctCount,
      pattern: c.pattern ?? '',
      pii: s?.sensitive ? `${s.kind} (${s.confidence.toFixed(2)})` : '',
    };
  });
  console.table(rows);
}

/** `understudy generate --input FILE --rows N --seed S --output FILE`. */
export async function generateCommand(opts: { input: string; rows: number; seed: number; output: string; chunkSize: number }) {
  const table = await readChecked(opts.input);
  const profile = profileTable(table);
  const sensitivity = classifyTable(table, profile);
  const model = fitSynthModel(table, profile, sensitivity);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-generate-'));
  try {
    const parts: string[] = [];
    for (let k = 0, start = 0; start < opts.rows; k++, start += opts.chunkSize) {
      const chunk = sampleChunk(model, { seed: opts.seed, chunkIndex: k, startRow: start, rowCount: Math.min(opts.chunkSize, opts.rows - start) });
      const part = path.join(dir, `part-${String(k).padStart(6, '0')}.parquet`);
      await writeTableFile(chunk, part, 'parquet');
      parts.push(part);
    }
    const out = path.resolve(opts.output);
    const written = await exportParts(parts, out, detectFormat(out));
    const sensitive = sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column);
    console.log(`wrote ${written.rows} rows to ${out} (sha256 ${written.sha256})`);
    console.log(`faked sensitive columns: ${sensitive.join(', ') || 'none'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `understudy evaluate --real FILE --synthetic FILE [--json]`. */
export async function evaluateCommand(opts: { real: string; synthetic: string; json?: boolean; allColumns?: boolean }) {
  const real = await readChecked(opts.real);
  const synthetic = await readChecked(opts.synthetic);
  const fullProfile = profileTable(real);
  // Sensitive columns are faked on purpose; scoring their shape would only measure the faking.
  const profile = opts.allColumns ? fullProfile : withoutSensitive(fullProfile, classifyTable(real, fullProfile));
  const scores = columnShapeScores(real, takeEvenly(synthetic, 200_000), profile);
  const copies = countExactCopies(fingerprintTable(real), synthetic);
  const report = summarizeQuality(scores, copies, synthetic.rowCount);
  if (opts.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`quality score: ${(report.score * 100).toFixed(1)}%   exact copies: ${report.exactCopies} of ${report.syntheticRowsChecked}`);
  console.table(report.columns.map((c) => ({ column: c.column, metric: c.metric, score: Number(c.score.toFixed(4)) })));
}
