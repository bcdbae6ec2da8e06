/**
 * One finished chunk of synthetic rows, as the pipeline and `understudy generate` write it: sampled from
 * a fitted model, with rows that copy a real row resampled, constraints made to hold on every row, and
 * edge cases injected. Every step decides per global row number, so a chunk's rows do not depend on
 * how the run was cut into chunks (except cross-chunk uniqueness, which needs `uniqueness` state from
 * the chunks before, so only sequential callers can give it).
 */
import {
  applyConstraints,
  type ApplyConstraintsReport,
  type Constraint,
  type ResampleRows,
  type UniquenessState,
} from '../constraints/index.js';
import {
  injectEdgeCases,
  type EdgeCaseTagMode,
  type EdgeCaseRecord,
  type EdgeCaseRule,
} from '../edge-cases/index.js';
import type { ExactCopyDetector } from '../quality/index.js';
import { deriveSeed } from '../random/index.js';
import { createSensitiveCellRedrawer, type SampleRequest } from '../synth/index.js';
import { ConfigError } from '../errors.js';
import {
  sampleConditionalTableChunk,
  sampleTableChunk,
  type CompiledRowConditions,
  type TableModel,
} from '../synthesizer/index.js';
import type { CellValue, Table } from '../table.js';
import {
  redrawSampleValues,
  type SampleValueGuard,
  type SampleValueGuardReport,
} from './sample-value-guard.js';

/** What to do to a sampled chunk besides sampling it. */
export interface GenerateChunkOptions {
  /** Rows in the whole run (edge cases are spread over all of them). */
  totalRows: number;
  /** Finds rows equal to a real sample row; they are resampled. */
  copies?: ExactCopyDetector;
  /** Constraints every row must satisfy. */
  constraints?: readonly Constraint[];
  /** Keys emitted by earlier chunks, for uniqueness across a sequential run. */
  uniqueness?: UniquenessState;
  /** Edge-case rules and how injected rows are tagged. */
  edgeCases?: { rules: readonly EdgeCaseRule[]; tag: EdgeCaseTagMode };
  /**
   * Conditions every row must satisfy (compileRowConditions): rows, and every replacement for a copy
   * or a constraint, are drawn from the model conditioned on them. Edge cases are injected after them
   * on purpose, so rules should not target a conditioned column (the pipeline rejects such rules).
   */
  conditions?: CompiledRowConditions;
  /** Identifying values of the sample's sensitive columns: generated fakes equal to one are redrawn. */
  sampleValues?: SampleValueGuard;
}

/** What happened to a chunk. */
export interface GenerateChunkReport {
  /** Rows that equalled a real row and were resampled. */
  resampledCopies: number;
  /** Rows still equal to a real row after resampling (a privacy finding when not 0). */
  exactCopies: number;
  /** Sensitive cells (fakes, sensitive keys) that equalled a sample value and were redrawn, and those that still do. */
  sensitiveValues: SampleValueGuardReport;
  constraints: ApplyConstraintsReport | null;
  /** Injected edge cases (only when tagging to a sidecar; with a tag column they are in the table). */
  edgeCases: EdgeCaseRecord[];
  /** Rows of this chunk given an edge case, per rule in rule order. */
  edgeCaseRowsPerRule: number[];
}

/** Resampling attempts for rows that copy a real row, before they are reported as copies. */
const MAX_COPY_ATTEMPTS = 5;
/** Stream tags, so replacement rows come from universes no other step samples from. */
const STREAM_COPY_RESAMPLE = 0x636f7079;
const STREAM_CONSTRAINT_RESAMPLE = 0x636e7374;

/** Samples chunk `req` from `model` and applies copy resampling, constraints and edge cases. */
export function generateChunk(
  model: TableModel,
  req: SampleRequest,
  options: GenerateChunkOptions,
): { table: Table; report: GenerateChunkReport } {
  const sample = samplerOf(model, options.conditions);
  let table = sample(req);
  const report: GenerateChunkReport = {
    resampledCopies: 0,
    exactCopies: 0,
    sensitiveValues: { redrawn: 0, remaining: 0 },
    constraints: null,
    edgeCases: [],
    edgeCaseRowsPerRule: [],
  };
  if (options.sampleValues)
    report.sensitiveValues = redrawSensitiveValues(
      model,
      req,
      table,
      options.sampleValues,
      options.totalRows,
    );
  if (options.copies) report.resampledCopies = resampleCopies(sample, model, req, table, options.copies);
  if (options.constraints && options.constraints.length > 0) {
    const applied = applyConstraints(table, options.constraints, {
      seed: req.seed,
      startRow: req.startRow,
      resample: replacementSampler(sample, model, req, table, STREAM_CONSTRAINT_RESAMPLE),
      ...(options.uniqueness ? { uniqueness: options.uniqueness } : {}),
    });
    table = applied.table;
    report.constraints = applied.report;
  }
  if (options.conditions) checkConditionsHeld(table, options.conditions);
  if (options.copies) report.exactCopies = options.copies.count(table);
  if (options.edgeCases && options.edgeCases.rules.length > 0) {
    const injected = injectEdgeCases(table, options.edgeCases.rules, {
      seed: req.seed,
      startRow: req.startRow,
      totalRows: options.totalRows,
      tag: options.edgeCases.tag,
    });
    table = injected.table;
    report.edgeCases = injected.records;
    report.edgeCaseRowsPerRule = injected.rowsPerRule;
  }
  return { table, report };
}

type ChunkSampler = (req: SampleRequest) => Table;

/** Redraws generated sensitive cells (fakes, keys with a PII kind) that equal an identifying sample value. */
function redrawSensitiveValues(
  model: TableModel,
  req: SampleRequest,
  table: Table,
  guard: SampleValueGuard,
  totalRows: number,
): SampleValueGuardReport {
  const redrawers = new Map<number, (row: number, attempt: number) => CellValue>();
  model.columns.forEach((column, index) => {
    // CART models keep the copula's column models for the columns they do not model by trees.
    if (column.kind !== 'fake' && column.kind !== 'identifier') return;
    const redraw = createSensitiveCellRedrawer(column, index, req.seed, totalRows);
    if (redraw !== undefined) redrawers.set(index, redraw);
  });
  if (redrawers.size === 0) return { redrawn: 0, remaining: 0 };
  return redrawSampleValues(table, req.startRow, guard, [...redrawers.keys()], (column, row, attempt) =>
    (redrawers.get(column) as (row: number, attempt: number) => CellValue)(row, attempt),
  );
}

/** Unconditional sampling, or sampling conditioned on the run's conditions. */
function samplerOf(model: TableModel, conditions: CompiledRowConditions | undefined): ChunkSampler {
  if (conditions === undefined || conditions.list.length === 0) return (req) => sampleTableChunk(model, req);
  return (req) => sampleConditionalTableChunk(model, req, conditions);
}

/**
 * Rows drawn conditionally satisfy the conditions; only a constraint repair (after every resampling
 * attempt failed) can move a conditioned value, which means conditions and constraints conflict.
 */
function checkConditionsHeld(table: Table, conditions: CompiledRowConditions): void {
  let broken = 0;
  for (let i = 0; i < table.rowCount; i++) if (!conditions.matches(table, i)) broken++;
  if (broken > 0)
    throw new ConfigError(
      `conflict with the constraints: ${broken} of ${table.rowCount} rows could not satisfy both`,
      'conditions',
    );
}

/** Replaces rows equal to a real row, attempt by attempt, in place; returns how many were replaced. */
function resampleCopies(
  sample: ChunkSampler,
  model: TableModel,
  req: SampleRequest,
  table: Table,
  copies: ExactCopyDetector,
): number {
  const resample = replacementSampler(sample, model, req, table, STREAM_COPY_RESAMPLE);
  const replaced = new Set<number>();
  for (let attempt = 0; attempt < MAX_COPY_ATTEMPTS; attempt++) {
    const rows: number[] = [];
    for (let i = 0; i < table.rowCount; i++) if (copies.isCopy(table, i)) rows.push(i);
    if (rows.length === 0) break;
    const fresh = resample(
      rows.length,
      attempt,
      rows.map((i) => req.startRow + i),
    );
    table.columns.forEach((column, c) => {
      const source = fresh.columns[c]?.values as CellValue[];
      rows.forEach((i, k) => (column.values[i] = source[k] ?? null));
    });
    for (const i of rows) replaced.add(i);
  }
  return replaced.size;
}

/**
 * Replacement rows for global rows `rows`: row r of attempt a is row r of the model sampled with a seed
 * derived from (seed, stream, a), so it depends on neither the chunking nor on which other rows needed
 * replacing. Columns the model does not sample jointly (keys, fakes, free text) keep the original row's
 * value, so keys stay unique and sensitive columns stay fake.
 */
function replacementSampler(
  sample: ChunkSampler,
  model: TableModel,
  req: SampleRequest,
  original: Table,
  stream: number,
): ResampleRows {
  const kept = new Set(
    model.columns.flatMap((c, i) =>
      c.kind === 'numeric' || c.kind === 'datetime' || c.kind === 'categorical' ? [] : [i],
    ),
  );
  return (rowCount, attempt, rows) => {
    let first = Infinity;
    let last = -Infinity;
    for (const r of rows) {
      if (r < first) first = r;
      if (r > last) last = r;
    }
    const universe = sample({
      seed: deriveSeed(req.seed, stream, attempt),
      chunkIndex: req.chunkIndex,
      startRow: first,
      rowCount: last - first + 1,
    });
    return {
      rowCount,
      columns: universe.columns.map((column, c) => ({
        ...column,
        values: rows.map((r) =>
          kept.has(c)
            ? ((original.columns[c]?.values[r - req.startRow] as CellValue | undefined) ?? null)
            : ((column.values[r - first] as CellValue | undefined) ?? null),
        ),
      })),
    };
  };
}
