/**
 * The CPU-heavy body of one synthetic chunk: sample it, count exact copies of sample rows, write the
 * Parquet file. Runs on a worker thread (see chunk-pool.ts) so that chunks use every core; it reads
 * its inputs from files, so only paths and a few numbers cross the thread boundary.
 */
import { readFile } from 'node:fs/promises';
import { createExactCopyDetector, type ExactCopyDetector } from '../../core/quality/index.js';
import { assertModel, sampleChunk, type SynthModel } from '../../core/synth/index.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';

/** What one chunk needs: local paths and the chunk's coordinates. */
export interface ChunkTask {
  modelPath: string;
  samplePath: string;
  outPath: string;
  seed: number;
  chunkIndex: number;
  startRow: number;
  rowCount: number;
}

/** What one chunk produced. */
export interface ChunkTaskResult {
  rows: number;
  sha256: string;
  bytes: number;
  exactCopies: number;
}

// A thread serves many chunks of the same run: keep the last model and the sample's copy detector.
let cachedModel: { path: string; model: Promise<SynthModel> } | undefined;
let cachedDetector: { path: string; detector: Promise<ExactCopyDetector> } | undefined;

function modelAt(path: string): Promise<SynthModel> {
  if (cachedModel?.path !== path) {
    cachedModel = { path, model: readFile(path, 'utf8').then((text) => assertModel(JSON.parse(text))) };
  }
  return cachedModel.model;
}

function copyDetectorFor(path: string): Promise<ExactCopyDetector> {
  if (cachedDetector?.path !== path) {
    cachedDetector = { path, detector: readTableFile(path, 'parquet').then(createExactCopyDetector) };
  }
  return cachedDetector.detector;
}

/** Samples chunk k, checks it for exact copies and writes it to `outPath` (which the caller renames into place). */
export async function runChunkTask(task: ChunkTask): Promise<ChunkTaskResult> {
  const [model, copies] = await Promise.all([modelAt(task.modelPath), copyDetectorFor(task.samplePath)]);
  const table = sampleChunk(model, {
    seed: task.seed,
    chunkIndex: task.chunkIndex,
    startRow: task.startRow,
    rowCount: task.rowCount,
  });
  const exactCopies = copies.count(table);
  const written = await writeTableFile(table, task.outPath, 'parquet');
  return { rows: table.rowCount, sha256: written.sha256, bytes: written.bytes, exactCopies };
}
