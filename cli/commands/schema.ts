/**
 * Schema mode of the CLI: `understudy validate --config FILE` and `understudy generate --config FILE
 * --output DIR`, which generate tables from a config of rules (no sample needed), one file per table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { CellValue } from '../../core/table.js';
import { createTableGenerator, referencedKeyColumns, type SchemaPlan } from '../../core/schema-gen/index.js';
import { readSchemaConfig, type LocatedProblem } from '../../integrations/choice-files/index.js';
import { exportParts } from '../../integrations/tabular/export-parts.js';
import { writeTableFile, type FileFormat } from '../../integrations/tabular/index.js';
import { generateCommand } from './offline.js';

/** Seed used when neither the command line nor the config names one. */
export const DEFAULT_SCHEMA_SEED = 42;

const OUTPUT_FORMATS: readonly FileFormat[] = ['csv', 'json', 'jsonl', 'parquet'];

/** `understudy validate --config FILE [--rows-scale X]`: prints every problem with its path; exit code 1 if any. */
export async function validateConfigCommand(opts: { config: string; rowsScale?: number }): Promise<void> {
  const reading = await readSchemaConfig(opts.config, { rowsScale: opts.rowsScale });
  if (reading.plan === null) {
    printProblems(opts.config, reading.problems, console.log);
    process.exitCode = 1;
    return;
  }
  const plan = reading.plan;
  console.log(
    `${opts.config}: valid — ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'}, generation order ${plan.tables.map((t) => t.name).join(' → ')}`,
  );
  console.table(
    plan.tables.map((t) => ({
      table: t.name,
      rows: t.rows,
      columns: t.columns.length,
      'primary key': t.primaryKey.join(', '),
      'refers to': [...new Set(t.foreignKeys.map((fk) => fk.parentTable))].join(', '),
    })),
  );
  if (reading.choiceFiles.length > 0) console.log(`choice files read: ${reading.choiceFiles.join(', ')}`);
}

/** Options of {@link schemaGenerateCommand}. */
export interface SchemaGenerateOptions {
  config: string;
  output: string;
  rowsScale?: number;
  /** Overrides the config's seed. */
  seed?: number;
  format?: string;
  chunkSize: number;
}

/** `understudy generate --config FILE --output DIR`: one file per table, parents before children. */
export async function schemaGenerateCommand(opts: SchemaGenerateOptions): Promise<void> {
  const reading = await readSchemaConfig(opts.config, { rowsScale: opts.rowsScale });
  if (reading.plan === null) {
    printProblems(opts.config, reading.problems, console.error);
    process.exitCode = 1;
    return;
  }
  const plan = reading.plan;
  const format = (opts.format ?? plan.outputFormat ?? 'csv') as FileFormat;
  if (!OUTPUT_FORMATS.includes(format))
    throw new Error(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const seed = opts.seed ?? plan.seed ?? DEFAULT_SCHEMA_SEED;
  const outDir = path.resolve(opts.output);
  const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-schema-'));
  try {
    // Only the key columns children refer to stay in memory; every other value streams to disk by chunk.
    const parentKeys: Record<string, Record<string, CellValue[]>> = {};
    for (const table of plan.tables) {
      const out = path.join(outDir, `${table.name}.${format}`);
      const written = await generateTableFile(plan, table.name, {
        seed,
        chunkSize: opts.chunkSize,
        work,
        out,
        format,
        parentKeys,
      });
      console.log(`${table.name}: ${written.rows} rows → ${out} (sha256 ${written.sha256})`);
    }
    console.log(`seed ${seed}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function generateTableFile(
  plan: SchemaPlan,
  tableName: string,
  o: {
    seed: number;
    chunkSize: number;
    work: string;
    out: string;
    format: FileFormat;
    parentKeys: Record<string, Record<string, CellValue[]>>;
  },
) {
  const generator = createTableGenerator(plan, tableName, { seed: o.seed, parentKeys: o.parentKeys });
  const keyColumns = referencedKeyColumns(plan, tableName);
  const keys: Record<string, CellValue[]> = Object.fromEntries(keyColumns.map((c) => [c, []]));
  const rows = generator.table.rows;
  const parts: string[] = [];
  // A table with no rows still gets a file with its header / schema.
  for (let k = 0, start = 0; k === 0 || start < rows; k++, start += o.chunkSize) {
    const chunk = generator.generateChunk(start, Math.min(o.chunkSize, rows - start));
    for (const column of chunk.columns) {
      const target = keys[column.name];
      if (target) for (const v of column.values) target.push(v);
    }
    const part = path.join(o.work, `${tableName}-${String(k).padStart(6, '0')}.parquet`);
    await writeTableFile(chunk, part, 'parquet');
    parts.push(part);
  }
  const written = await exportParts(parts, o.out, o.format);
  await Promise.all(parts.map((p) => rm(p, { force: true })));
  o.parentKeys[tableName] = keys;
  return written;
}

function printProblems(
  file: string,
  problems: readonly LocatedProblem[],
  print: (line: string) => void,
): void {
  for (const p of problems) {
    const where = p.line === undefined ? file : `${file}:${p.line}`;
    print(p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`);
  }
  print(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
}

/**
 * `understudy generate`: schema mode with `--config`, sample mode with `--input` (the original
 * command, unchanged); `cmd` tells a seed given on the command line from the default.
 */
export async function generateAnyCommand(
  opts: {
    config?: string;
    input?: string;
    rows?: number;
    rowsScale?: number;
    seed: number;
    format?: string;
    chunkSize: number;
    output: string;
    synthesizer?: string;
    constraints?: string;
    edgeCases?: string;
    metadata?: string;
    inputDir?: string;
    scale?: number;
    where?: string[];
    whereFile?: string;
  },
  cmd: Command,
): Promise<void> {
  if ((opts.where !== undefined || opts.whereFile !== undefined) && opts.input === undefined)
    cmd.error('error: --where and --where-file apply to sample mode (--input FILE --rows N)', {
      exitCode: 2,
    });
  if (opts.metadata !== undefined) {
    if (opts.inputDir === undefined)
      cmd.error('error: relational mode needs --metadata FILE --input-dir DIR --output DIR', { exitCode: 2 });
    const { relationalGenerateCommand } = await import('./relational.js');
    await relationalGenerateCommand({
      metadata: opts.metadata,
      inputDir: opts.inputDir,
      output: opts.output,
      seed: opts.seed,
      scale: opts.scale,
      format: opts.format,
      synthesizer: cmd.getOptionValueSource('synthesizer') === 'default' ? 'copula' : opts.synthesizer,
    });
    return;
  }
  if (opts.config !== undefined) {
    if (opts.input !== undefined)
      cmd.error('error: use either --config (schema mode) or --input (sample mode)', { exitCode: 2 });
    await schemaGenerateCommand({
      config: opts.config,
      output: opts.output,
      rowsScale: opts.rowsScale,
      seed: cmd.getOptionValueSource('seed') === 'default' ? undefined : opts.seed,
      format: opts.format,
      chunkSize: opts.chunkSize,
    });
    return;
  }
  if (opts.input === undefined || opts.rows === undefined) {
    cmd.error(
      'error: generate needs --input FILE --rows N (from a sample) or --config FILE (from a schema config)',
      { exitCode: 2 },
    );
  }
  if (opts.rowsScale !== undefined || opts.format !== undefined) {
    cmd.error(
      'error: --rows-scale and --format apply to --config mode; in sample mode the output extension sets the format',
      { exitCode: 2 },
    );
  }
  await generateCommand({
    input: opts.input,
    rows: opts.rows,
    seed: opts.seed,
    output: opts.output,
    chunkSize: opts.chunkSize,
    synthesizer: opts.synthesizer,
    constraints: opts.constraints,
    edgeCases: opts.edgeCases,
    where: opts.where,
    whereFile: opts.whereFile,
  });
}
