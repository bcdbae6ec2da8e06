/**
 * `understudy generate --metadata FILE --input-dir DIR --output DIR`: a whole synthetic database from a
 * sample of several related tables (primary and foreign keys in the metadata file), written one file
 * per table, parents first, in bounded memory (blocks of parents with their children).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '../../core/errors.js';
import {
  fitRelationalModel,
  generateRelationalChunks,
  parseRelationalMetadata,
} from '../../core/relational/index.js';
import type { SynthesizerKind } from '../../core/synthesizer/index.js';
import type { Table } from '../../core/table.js';
import { exportParts } from '../../integrations/tabular/export-parts.js';
import {
  detectFormat,
  readTableFile,
  validateSourceFile,
  writeTableFile,
  type FileFormat,
} from '../../integrations/tabular/index.js';
import { pathExists } from '../../integrations/files/path-exists.js';

const SAMPLE_EXTENSIONS = ['.csv', '.parquet', '.jsonl', '.json', '.csv.gz'];

/** Options of {@link relationalGenerateCommand}. */
export interface RelationalGenerateOptions {
  metadata: string;
  inputDir: string;
  output: string;
  seed: number;
  scale?: number;
  format?: string;
  synthesizer?: string;
}

/** Fits the relational model on the sample tables and writes the synthetic database. */
export async function relationalGenerateCommand(opts: RelationalGenerateOptions): Promise<void> {
  const metadataJson = await readJson(opts.metadata);
  const metadata = parseRelationalMetadata(metadataJson);
  const samples: Record<string, Table> = {};
  for (const name of metadata.order) samples[name] = await readSample(opts.inputDir, name);
  const synthesizer = (opts.synthesizer ?? 'copula') as SynthesizerKind;
  const model = fitRelationalModel(metadataJson, samples, { synthesizer });
  const format = (opts.format ?? 'csv') as FileFormat;
  const outDir = path.resolve(opts.output);
  const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-relational-'));
  try {
    const parts = new Map<string, string[]>();
    const chunks = generateRelationalChunks(model, { seed: opts.seed, scale: opts.scale ?? 1, synthesizer });
    let step = chunks.next();
    while (!step.done) {
      const { table, blockIndex, rows } = step.value;
      const part = path.join(work, table, `part-${String(blockIndex).padStart(6, '0')}.parquet`);
      await writeTableFile(rows, part, 'parquet');
      parts.set(table, [...(parts.get(table) ?? []), part]);
      step = chunks.next();
    }
    for (const [table, count] of Object.entries(step.value.rowCounts)) {
      const out = path.join(outDir, `${table}.${format}`);
      const tableParts = parts.get(table) ?? [];
      if (tableParts.length === 0) {
        // No rows generated (e.g. no parent drew a child): still write the table, header only, so the
        // database has every table of the metadata and `understudy load --metadata` finds every file.
        await writeTableFile(emptyLike(samples[table] as Table), out, detectFormat(out));
      } else await exportParts(tableParts, out, detectFormat(out));
      console.log(`${table}: ${count} rows → ${out}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A table with `sample`'s columns and no rows. */
function emptyLike(sample: Table): Table {
  return { rowCount: 0, columns: sample.columns.map((c) => ({ name: c.name, type: c.type, values: [] })) };
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new DataError('not valid JSON', { file });
    throw error;
  }
}

/** The sample of `table`: `<dir>/<table>.csv` (or .parquet, .jsonl, .json, .csv.gz). */
async function readSample(dir: string, table: string): Promise<Table> {
  for (const extension of SAMPLE_EXTENSIONS) {
    const file = path.join(dir, `${table}${extension}`);
    if (!(await pathExists(file))) continue;
    const format = detectFormat(file);
    await validateSourceFile(file, format, { displayName: file });
    return readTableFile(file, format, { displayName: file });
  }
  throw new DataError(`no sample file for table ${table} (${SAMPLE_EXTENSIONS.join(', ')})`, { file: dir });
}
