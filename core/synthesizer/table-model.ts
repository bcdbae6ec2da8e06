/**
 * A fitted table synthesizer of either kind, and what the pipeline does with one: sample a chunk,
 * or check one read back from the artifact store. The `kind` field tells them apart.
 */
import { assertCartModel, sampleCartChunk, type CartModel } from '../cart/index.js';
import { DataError } from '../errors.js';
import { assertModel, sampleChunk, type SampleRequest, type SynthModel } from '../synth/index.js';
import type { Table } from '../table.js';

/** A fitted model of either synthesizer. */
export type TableModel = SynthModel | CartModel;

/** Samples one chunk from a model of either kind: same columns and physical types as the source, output independent of chunking. */
export function sampleTableChunk(model: TableModel, req: SampleRequest): Table {
  return model.kind === 'cart' ? sampleCartChunk(model, req) : sampleChunk(model, req);
}

/** Checks that `value` is a model of a known kind this version can sample, and returns it typed. */
export function assertTableModel(value: unknown): TableModel {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === 'cart') return assertCartModel(value);
  if (kind === 'gaussian_copula') return assertModel(value);
  throw new DataError("invalid synthesizer model: kind must be 'gaussian_copula' or 'cart'");
}
