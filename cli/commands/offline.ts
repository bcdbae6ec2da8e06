/**
 * Commands that need no Temporal server: profile a file, generate synthetic rows from it, and
 * evaluate a synthetic file against a real one. They call the same core code as the pipeline.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import {
  columnShapeScores,
  countExactCopies,
  createExactCopyDetector,
  fingerprintTable,
  summarizeQuality,
} from '../../core/quality/index.js';
import { exportParts } from '../../integrations/tabular/export-parts.js';
import {
  detectFormat,
  readTableFile,
  validateSourceFile,
  writeTableFile,
} from '../../integrations/tabular/index.js';
import { concatTables, schemaOf, takeEvenly, type Table, type TableSchema } from '../../core/table.js';
import { createUniquenessState, parseConstraints } from '../../core/constraints/index.js';
import { parseEdgeCaseRules, type EdgeCaseRecord } from '../../core/edge-cases/index.js';
import { ConfigError, DataError } from '../../core/errors.js';
import {
  createSampleValueGuard,
  generateChunk,
  sensitiveColumnKinds,
  type GenerateChunkOptions,
} from '../../core/generation/index.js';
import {
  checkEdgeCasesKeepConditions,
  checkRowConditions,
  compileRowConditions,
  fitTableSynthesizerWithChoice,
  type RowCondition,
} from '../../core/synthesizer/index.js';
import { computeDcrSummary, DCR_SUBSAMPLE, type DcrSummary } from '../../core/privacy/dcr-summary.js';
import { parseWhereOptions } from './where.js';
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

/**
 * `understudy generate --input FILE --rows N --seed S --output FILE [--synthesizer K] [--constraints F]
 * [--edge-cases F] [--where "COLUMN = VALUE" …] [--where-file F]`.
 */
export async function generateCommand(opts: {
  input: string;
  rows: number;
  seed: number;
  output: string;
  chunkSize: number;
  synthesizer?: string;
  constraints?: string;
  edgeCases?: string;
  /** `--where` values, in order. */
  where?: string[];
  /** JSON list of {column, equals} / {column, in} conditions. */
  whereFile?: string;
}) {
  const synthesizer = opts.synthesizer ?? 'auto';
  if (synthesizer !== 'copula' && synthesizer !== 'cart' && synthesizer !== 'auto')
    throw new ConfigError("must be 'copula', 'cart' or 'auto'", '--synthesizer');
  const table = await readChecked(opts.input);
  const schema = schemaOf(table);
  const constraints =
    opts.constraints === undefined ? [] : parseConstraints(await readJsonFile(opts.constraints), schema);
  const edgeCases = opts.edgeCases === undefined ? undefined : await readEdgeCases(opts.edgeCases, schema);
  const fromFile =
    opts.whereFile === undefined
      ? []
      : checkRowConditions(await readJsonFile(opts.whereFile), table, `${opts.whereFile}: conditions`);
  const fromOptions = checkRowConditions(parseWhereOptions(opts.where ?? []), table, '--where');
  const conditionList: RowCondition[] = [...fromFile, ...fromOptions];
  if (edgeCases) checkEdgeCasesKeepConditions(edgeCases.rules, conditionList, 'edgeCases.rules');
  const profile = profileTable(table);
  const sensitivity = classifyTable(table, profile);
  const fitted = fitTableSynthesizerWithChoice(table, profile, sensitivity, { synthesizer });
  // Each source is checked under its own name first, so an error points at the option or file at fault.
  if (opts.whereFile !== undefined)
    compileRowConditions(fitted.model, fromFile, `${opts.whereFile}: conditions`);
  compileRowConditions(fitted.model, fromOptions, '--where');
  const conditions =
    conditionList.length === 0 ? undefined : compileRowConditions(fitted.model, conditionList);
  const copies = createExactCopyDetector(table);
  const sampleValues = createSampleValueGuard(table, sensitiveColumnKinds(fitted.model));
  // Chunks run one after another here, so uniqueness constraints hold across the whole output.
  const uniqueness = createUniquenessState(constraints);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-generate-'));
  try {
    const parts: string[] = [];
    const totals = {
      resampledCopies: 0,
      exactCopies: 0,
      sensitiveRedraws: 0,
      sensitiveSampleValues: 0,
      constraintFixes: 0,
      edgeCaseRows: 0,
    };
    const records: EdgeCaseRecord[] = [];
    // Evenly spaced rows of every chunk, about DCR_SUBSAMPLE.syntheticRows in all, for the DCR figures.
    const dcrPieces: Table[] = [];
    for (let k = 0, start = 0; start < opts.rows; k++, start += opts.chunkSize) {
      const rowCount = Math.min(opts.chunkSize, opts.rows - start);
      const { table: chunk, report } = generateChunk(
        fitted.model,
        { seed: opts.seed, chunkIndex: k, startRow: start, rowCount },
        {
          totalRows: opts.rows,
          copies,
          sampleValues,
          constraints,
          uniqueness,
          ...(edgeCases ? { edgeCases } : {}),
          ...(conditions ? { conditions } : {}),
        },
      );
      dcrPieces.push(takeEvenly(chunk, Math.ceil((DCR_SUBSAMPLE.syntheticRows * rowCount) / opts.rows)));
      totals.resampledCopies += report.resampledCopies;
      totals.exactCopies += report.exactCopies;
      totals.sensitiveRedraws += report.sensitiveValues.redrawn;
      totals.sensitiveSampleValues += report.sensitiveValues.remaining;
      totals.constraintFixes += report.constraints
        ? report.constraints.rowsResampled + report.constraints.rowsRepaired
        : 0;
      totals.edgeCaseRows += report.edgeCaseRowsPerRule.reduce((a, b) => a + b, 0);
      records.push(...report.edgeCases);
      const part = path.join(dir, `part-${String(k).padStart(6, '0')}.parquet`);
      await writeTableFile(chunk, part, 'parquet');
      parts.push(part);
    }
    const out = path.resolve(opts.output);
    const written = await exportParts(parts, out, detectFormat(out));
    const sensitive = sensitivity.fields.filter((f) => f.sensitive).map((f) => f.column);
    console.log(`wrote ${written.rows} rows to ${out} (sha256 ${written.sha256})`);
    console.log(`synthesizer: ${fitted.model.kind === 'cart' ? 'cart' : 'copula'} (${fitted.choice.reason})`);
    console.log(`faked sensitive columns: ${sensitive.join(', ') || 'none'}`);
    if (conditions)
      console.log(
        `conditions: ${conditionList.length} on ${[...new Set(conditionList.map((c) => c.column))].join(', ')}; every row satisfies them`,
      );
    console.log(
      `rows resampled for copying a real row: ${totals.resampledCopies}; still copies: ${totals.exactCopies}` +
        (constraints.length > 0 ? `; rows fixed for constraints: ${totals.constraintFixes}` : ''),
    );
    console.log(
      `sensitive values redrawn for equalling a sample value: ${totals.sensitiveRedraws}; still equal: ${totals.sensitiveSampleValues}`,
    );
    const dcr = computeDcrSummary(
      { synthetic: concatTables(dcrPieces), sample: table },
      { excludeColumns: sensitive },
    );
    console.log(formatDcr(dcr));
    if (edgeCases) {
      console.log(`rows with an edge case: ${totals.edgeCaseRows}`);
      if (records.length > 0) {
        const sidecar = `${out}.edge-cases.json`;
        await writeFile(sidecar, `${JSON.stringify(records)}\n`);
        console.log(`edge cases listed in ${sidecar}`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One summary line of the DCR figures (numbers only: no values). */
export function formatDcr(dcr: DcrSummary | null): string {
  if (dcr === null)
    return 'distance to closest record: not computed (sample too small to hold rows out, or no comparable column)';
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');
  return (
    `distance to closest record (${dcr.syntheticRows} synthetic rows, ${dcr.columns.length} columns): ` +
    `median ${f(dcr.median)}, 5th percentile ${f(dcr.p05)}, at distance 0 ${pct(dcr.zeroShare)}; ` +
    `real holdout rows: median ${f(dcr.holdout.median)}, 5th percentile ${f(dcr.holdout.p05)}, at distance 0 ${pct(dcr.holdout.zeroShare)} ` +
    `(median ratio ${f(dcr.medianRatio)}: near 1 means synthetic rows are as far from real rows as real rows are from each other)`
  );
}

async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new DataError('not valid JSON', { file });
    throw error;
  }
}

async function readEdgeCases(file: string, schema: TableSchema): Promise<GenerateChunkOptions['edgeCases']> {
  const json = await readJsonFile(file);
  const spec = (Array.isArray(json) ? { rules: json } : json) as { rules?: unknown; tag?: unknown };
  const tag = spec.tag ?? 'sidecar';
  if (tag !== 'sidecar' && tag !== 'column')
    throw new ConfigError("must be 'sidecar' or 'column'", 'edgeCases.tag');
  return { rules: parseEdgeCaseRules(spec.rules ?? [], schema, { root: 'edgeCases.rules' }), tag };
}

/** `understudy evaluate --real FILE --synthetic FILE [--json]`. */
export async function evaluateCommand(opts: {
  real: string;
  synthetic: string;
  json?: boolean;
  allColumns?: boolean;
  /** Write the full evaluation as a self-contained HTML report (and its JSON twin). */
  html?: string;
  holdout?: string;
  metadata?: string;
}) {
  const real = await readChecked(opts.real);
  const synthetic = await readChecked(opts.synthetic);
  const fullProfile = profileTable(real);
  // Profiled and classified once: both the HTML report and the shape scores below need them.
  const sensitivity =
    opts.allColumns && opts.html === undefined ? undefined : classifyTable(real, fullProfile);
  if (opts.html !== undefined) {
    const { writeEvaluationReport, readEvaluationMetadata } = await import('./evaluate-report.js');
    const { result, jsonPath } = await writeEvaluationReport({
      real,
      synthetic,
      ...(opts.holdout ? { holdout: await readChecked(opts.holdout) } : {}),
      ...(opts.metadata ? { metadata: await readEvaluationMetadata(opts.metadata) } : {}),
      html: opts.html,
      sensitivity: sensitivity ?? classifyTable(real, fullProfile),
      ...(opts.allColumns ? { allColumns: true } : {}),
      title: `${path.basename(opts.synthetic)} against ${path.basename(opts.real)}`,
    });
    if (!opts.json) {
      const q = result.quality;
      console.log(
        `SDMetrics-compatible quality: ${fmtShare(q.score)} (column shapes ${fmtShare(q.columnShapes.score)}, column pair trends ${fmtShare(q.columnPairTrends.score)})`,
      );
      console.log(`report: ${path.resolve(opts.html)}\nnumbers: ${jsonPath}\n`);
    }
  }
  // Sensitive columns are faked on purpose; scoring their shape would only measure the faking.
  const profile =
    opts.allColumns || sensitivity === undefined ? fullProfile : withoutSensitive(fullProfile, sensitivity);
  const scores = columnShapeScores(real, takeEvenly(synthetic, 200_000), profile);
  const copies = countExactCopies(fingerprintTable(real), synthetic);
  const report = summarizeQuality(scores, copies, synthetic.rowCount);
  if (opts.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(
    `quality score: ${(report.score * 100).toFixed(1)}%   exact copies: ${report.exactCopies} of ${report.syntheticRowsChecked}`,
  );
  console.table(
    report.columns.map((c) => ({ column: c.column, metric: c.metric, score: Number(c.score.toFixed(4)) })),
  );
}

function fmtShare(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}
