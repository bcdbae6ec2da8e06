/**
 * Sampling a relational model, tables parents first. Root tables get N rows (given, or the
 * sample's row count times a scale factor); every other table gets, per row of its primary
 * parent, a child count drawn from the distribution of the parent's stratum, and its data columns
 * from that stratum's synthesizer model. Keys are generated (see key-plan.ts): foreign keys copy
 * the key of an existing synthetic parent row, so referential integrity holds by construction;
 * references to non-primary parents pick a row in proportion to a popularity each parent row draws
 * from the sample's children-per-parent distribution.
 *
 * Determinism: rows are produced in fixed blocks of {@link RELATIONAL_BLOCK_ROWS} parent rows (or
 * root rows), and every random stream is seeded from (seed, table name, stream, block), so the
 * output is a pure function of (model, options) however the caller batches or consumes it.
 *
 * Memory: {@link generateRelationalChunks} yields one block of one table at a time and keeps, of
 * every table that is referenced, only its key columns and its rows' strata (a few bytes per row),
 * plus one popularity weight per row of a non-primary parent. So memory grows with the rows of
 * parent tables, not with the rows of leaf tables (typically the largest); a block holds about
 * {@link RELATIONAL_BLOCK_ROWS} × (children per parent) rows. Measured on the shop example at
 * 100× (3.7M rows): 0.79M rows/s, peak RSS 271 MB. To resume after a crash, iterate again and skip
 * the chunks already written (by table and blockIndex): the stream is deterministic, but parents are
 * regenerated to rebuild their keys and strata.
 */
import { ConfigError } from '../errors.js';
import { createRng, deriveSeed, MAX_SEED, type Rng } from '../random/index.js';
import { sampleIndependentColumn } from '../synth/index.js';
import type { CellValue, PhysicalType, Table } from '../table.js';
import { createAliasTable, pickAlias, type AliasTable } from './alias-table.js';
import {
  createCountQuantile,
  createCountSampler,
  type CountDistribution,
  type CountSampler,
} from './count-distribution.js';
import type { RelationalModel, RelationalTableModel } from './model.js';
import { strataOfRows } from './strata.js';
import type { SynthesizerKind } from '../synthesizer/index.js';
import { resolveTableSynthesizer, type TableSynthesizer } from './table-synthesizer.js';

/** Parent (or root) rows per internal block; fixed, because seeds are per block. */
export const RELATIONAL_BLOCK_ROWS = 4096;

/** Options of {@link sampleRelational} and {@link generateRelationalChunks}. */
export interface RelationalSampleOptions {
  /** Run seed, an integer in 0..2^32−1. */
  seed: number;
  /** Rows per root table (a table without foreign keys); others follow from child counts. */
  rows?: Readonly<Record<string, number>>;
  /**
   * Root tables not named in `rows` get round(sample rows × scale) rows (at least 1 when scale > 0).
   * @default 1
   */
  scale?: number;
  /**
   * The per-table synthesizer the model was fitted with (any facade kind samples every facade model).
   * @default the core/synthesizer facade
   */
  synthesizer?: TableSynthesizer | SynthesizerKind;
}

/** One block of synthetic rows of one table. */
export interface RelationalChunk {
  table: string;
  /** Block number within the table. */
  blockIndex: number;
  /** Row number (from 0) of the chunk's first row within the table. */
  startRow: number;
  rows: Table;
}

/** Rows generated per table. */
export interface RelationalSampleSummary {
  rowCounts: Record<string, number>;
}

/** A whole synthetic database in memory. */
export interface RelationalSample extends RelationalSampleSummary {
  tables: Record<string, Table>;
}

/** Samples every table into memory (see {@link generateRelationalChunks} for bounded memory). */
export function sampleRelational(model: RelationalModel, options: RelationalSampleOptions): RelationalSample {
  const parts = new Map<string, Table[]>(model.order.map((t) => [t, []]));
  const generator = generateRelationalChunks(model, options);
  let step = generator.next();
  while (step.done !== true) {
    parts.get(step.value.table)?.push(step.value.rows);
    step = generator.next();
  }
  const tables: Record<string, Table> = {};
  for (const name of model.order) {
    const columns = (model.tables[name] as RelationalTableModel).columns;
    const blocks = parts.get(name) ?? [];
    tables[name] = blocks.length === 1 ? (blocks[0] as Table) : concatBlocks(columns, blocks);
  }
  return { tables, rowCounts: step.value.rowCounts };
}

/** Yields synthetic blocks table by table, parents first; returns the row count of every table. */
export function* generateRelationalChunks(
  model: RelationalModel,
  options: RelationalSampleOptions,
): Generator<RelationalChunk, RelationalSampleSummary> {
  const synthesizer = resolveTableSynthesizer(options.synthesizer);
  checkOptions(model, options, synthesizer);
  const states = new Map<string, TableState>();
  const rowCounts: Record<string, number> = {};
  for (const name of model.order) {
    const table = model.tables[name] as RelationalTableModel;
    const state = createState(model, name);
    const generator = new TableGenerator(model, name, table, options, synthesizer, states);
    let rowStart = 0;
    for (const block of generator.blocks()) {
      const rows = generator.generateBlock(block, rowStart);
      state?.record(rows);
      if (rows.rowCount > 0) yield { table: name, blockIndex: block.index, startRow: rowStart, rows };
      rowStart += rows.rowCount;
    }
    if (state !== undefined) states.set(name, state);
    rowCounts[name] = rowStart;
  }
  return { rowCounts };
}

function checkOptions(
  model: RelationalModel,
  options: RelationalSampleOptions,
  synthesizer: TableSynthesizer,
): void {
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > MAX_SEED)
    throw new ConfigError(`must be an integer in 0..${MAX_SEED}`, 'seed');
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0) throw new ConfigError('must be a finite number ≥ 0', 'scale');
  for (const [name, n] of Object.entries(options.rows ?? {})) {
    const table = model.tables[name];
    if (table === undefined) throw new ConfigError(`table "${name}" is not in the model`, `rows.${name}`);
    if (table.primaryParent !== null || table.secondaryParents.length > 0)
      throw new ConfigError(
        `table "${name}" has foreign keys: its rows follow from its parents' child counts; scale its root tables instead`,
        `rows.${name}`,
      );
    if (!Number.isInteger(n) || n < 0 || n > Number.MAX_SAFE_INTEGER)
      throw new ConfigError('must be a non-negative integer', `rows.${name}`);
  }
  if (synthesizer.name !== model.synthesizer)
    throw new ConfigError(
      `the model was fitted with synthesizer "${model.synthesizer}", not "${synthesizer.name}"`,
      'synthesizer',
    );
}

/** What children need to remember of a generated table: its key columns and its rows' strata per child table. */
class TableState {
  rowCount = 0;
  readonly keys = new Map<string, CellValue[]>();
  /** Storage type of each kept key column (a child column of another type gets converted values). */
  readonly types = new Map<string, PhysicalType>();
  readonly strata = new Map<string, number[]>();

  constructor(
    keyColumns: readonly string[],
    private readonly stratifications: readonly {
      child: string;
      columns: RelationalTableModel['primaryParent'];
    }[],
  ) {
    for (const c of keyColumns) this.keys.set(c, []);
    for (const s of stratifications) this.strata.set(s.child, []);
  }

  record(rows: Table): void {
    for (const [column, values] of this.keys) {
      const data = rows.columns.find((c) => c.name === column);
      if (data !== undefined) this.types.set(column, data.type);
      for (let r = 0; r < rows.rowCount; r++) values.push(data?.values[r] ?? null);
    }
    for (const { child, columns } of this.stratifications) {
      const out = this.strata.get(child) as number[];
      const strata = strataOfRows(rows, columns?.strata ?? []);
      for (let r = 0; r < strata.length; r++) out.push(strata[r] as number);
    }
    this.rowCount += rows.rowCount;
  }
}

/** The state to keep for a table, or undefined when no table references it. */
function createState(model: RelationalModel, name: string): TableState | undefined {
  const keyColumns = new Set<string>();
  const stratifications: { child: string; columns: RelationalTableModel['primaryParent'] }[] = [];
  for (const child of model.order) {
    const table = model.tables[child] as RelationalTableModel;
    for (const key of table.keys) {
      if (key.role !== 'reference') continue;
      const parent = model.metadata.tables[child]?.foreignKeys[key.foreignKey]?.references.table;
      if (parent === name) keyColumns.add(key.parentColumn);
    }
    if (table.primaryParent?.parent === name) stratifications.push({ child, columns: table.primaryParent });
  }
  if (keyColumns.size === 0) return undefined;
  return new TableState([...keyColumns], stratifications);
}

interface Block {
  index: number;
  /** Root tables: rows of the block; child tables: first parent row and parent rows of the block. */
  first: number;
  size: number;
}

const Stream = { Counts: 1, Popularity: 2, Reference: 3 } as const;

class TableGenerator {
  private readonly seed: number;
  private readonly countSamplers: CountSampler[];
  private readonly parent: TableState | undefined;
  private readonly secondaries: {
    foreignKey: number;
    nullRate: number;
    parent: TableState;
    alias: AliasTable;
  }[];
  private readonly columnIndex: Map<string, number>;

  constructor(
    private readonly model: RelationalModel,
    private readonly name: string,
    private readonly table: RelationalTableModel,
    private readonly options: RelationalSampleOptions,
    private readonly synthesizer: TableSynthesizer,
    states: ReadonlyMap<string, TableState>,
  ) {
    this.seed = deriveSeed(options.seed, hashName(name));
    this.columnIndex = new Map(table.columns.map((c, i) => [c.name, i]));
    const plan = table.primaryParent;
    this.countSamplers = plan === null ? [] : plan.counts.map(createCountSampler);
    this.parent = plan === null ? undefined : (states.get(plan.parent) as TableState);
    this.secondaries = table.secondaryParents.map((s) => {
      const parent = states.get(s.parent) as TableState;
      const rng = createRng(deriveSeed(this.seed, Stream.Popularity, s.foreignKey));
      const weights = popularityWeights(s.popularity, parent.rowCount, rng);
      return { foreignKey: s.foreignKey, nullRate: s.nullRate, parent, alias: createAliasTable(weights) };
    });
  }

  *blocks(): Generator<Block> {
    const total = this.parent === undefined ? this.rootRows() : this.parent.rowCount;
    for (let index = 0; index * RELATIONAL_BLOCK_ROWS < total; index++) {
      const first = index * RELATIONAL_BLOCK_ROWS;
      yield { index, first, size: Math.min(RELATIONAL_BLOCK_ROWS, total - first) };
    }
  }

  private rootRows(): number {
    const given = this.options.rows?.[this.name];
    if (given !== undefined) return given;
    const scale = this.options.scale ?? 1;
    const scaled = Math.round(this.table.sampleRows * scale);
    // A small table scaled down keeps one row, so the tables that reference it still have a parent.
    return scale > 0 && this.table.sampleRows > 0 ? Math.max(1, scaled) : scaled;
  }

  generateBlock(block: Block, rowStart: number): Table {
    const { parentRow, modelOf, rowCount } = this.layOut(block);
    const out: CellValue[][] = this.table.columns.map(() => new Array<CellValue>(rowCount));
    this.fillData(block, rowStart, modelOf, out);
    this.fillKeys(block, rowStart, parentRow, out);
    return {
      rowCount,
      columns: this.table.columns.map((c, i) => ({
        name: c.name,
        type: c.type,
        values: out[i] as CellValue[],
      })),
    };
  }

  /** Child rows of the block: their parent row (−1 for roots) and the synthesizer model of each. */
  private layOut(block: Block): { parentRow: Int32Array; modelOf: Uint16Array; rowCount: number } {
    const plan = this.table.primaryParent;
    const parent = this.parent;
    if (plan === null || parent === undefined) {
      return {
        parentRow: new Int32Array(block.size).fill(-1),
        modelOf: new Uint16Array(block.size),
        rowCount: block.size,
      };
    }
    const strata = parent.strata.get(this.name) as number[];
    const rng = createRng(deriveSeed(this.seed, Stream.Counts, block.index));
    const counts = new Int32Array(block.size);
    const cap = this.countCap();
    let total = 0;
    for (let i = 0; i < block.size; i++) {
      const s = strata[block.first + i] as number;
      const sampler = this.countSamplers[plan.stratumCounts[s] ?? 0] as CountSampler;
      const k = Math.min(cap, sampler(rng));
      counts[i] = k;
      total += k;
    }
    const parentRow = new Int32Array(total);
    const modelOf = new Uint16Array(total);
    for (let i = 0, r = 0; i < block.size; i++) {
      const p = block.first + i;
      const m = plan.stratumModel[strata[p] as number] ?? 0;
      for (let k = counts[i] as number; k > 0; k--, r++) {
        parentRow[r] = p;
        modelOf[r] = m;
      }
    }
    return { parentRow, modelOf, rowCount: total };
  }

  private countCap(): number {
    if (this.table.oneToOne) return 1;
    const distinct = this.secondaries.find((s) => s.foreignKey === this.table.distinctReference);
    return distinct === undefined ? Number.MAX_SAFE_INTEGER : distinct.parent.rowCount;
  }

  private fillData(block: Block, rowStart: number, modelOf: Uint16Array, out: CellValue[][]): void {
    if (this.table.dataColumns.length === 0 || modelOf.length === 0) return;
    const models = this.table.models;
    if (models.length === 0)
      throw new ConfigError(
        `table "${this.name}" had no sample rows to learn its columns from`,
        `rows.${this.name}`,
      );
    const perModel = new Int32Array(models.length);
    for (const m of modelOf) perModel[m] = (perModel[m] as number) + 1;
    // Output positions of each model's rows, so every column is then copied by plain indexed loops.
    const positions = Array.from(perModel, (n) => new Int32Array(n));
    const fill = new Int32Array(models.length);
    for (let r = 0; r < modelOf.length; r++) {
      const m = modelOf[r] as number;
      (positions[m] as Int32Array)[fill[m] as number] = r;
      fill[m] = (fill[m] as number) + 1;
    }
    let offset = 0;
    models.forEach((model, m) => {
      const n = perModel[m] as number;
      if (n === 0) return;
      const req = {
        seed: this.seed,
        chunkIndex: block.index * models.length + m,
        startRow: rowStart + offset,
        rowCount: n,
      };
      offset += n;
      const sampled = this.synthesizer.sample(model, req);
      const single = n === modelOf.length;
      for (const column of sampled.columns) {
        const index = this.columnIndex.get(column.name);
        if (index === undefined) continue;
        if (single) {
          out[index] = column.values;
          continue;
        }
        const target = out[index] as CellValue[];
        const source = column.values;
        const at = positions[m] as Int32Array;
        for (let i = 0; i < n; i++) target[at[i] as number] = source[i] ?? null;
      }
    });
  }

  private fillKeys(block: Block, rowStart: number, parentRow: Int32Array, out: CellValue[][]): void {
    const rowCount = parentRow.length;
    const picks = new Map<number, Int32Array>();
    for (const s of this.secondaries) picks.set(s.foreignKey, this.pickSecondary(s, block, parentRow));
    for (const key of this.table.keys) {
      const index = this.columnIndex.get(key.column) as number;
      const target = out[index] as CellValue[];
      const type = (this.table.columns[index] as { type: PhysicalType }).type;
      if (key.role === 'unique') {
        sampleIndependentColumn(
          key.identifier,
          index,
          { seed: this.seed, chunkIndex: block.index, startRow: rowStart, rowCount },
          target,
        );
      } else if (key.role === 'sequence') {
        for (let r = 0; r < rowCount; r++) {
          const position =
            r > 0 && parentRow[r] === parentRow[r - 1] ? (target[r - 1] as number) + 1 : key.start;
          target[r] = position;
        }
        if (type === 'string') for (let r = 0; r < rowCount; r++) target[r] = String(target[r]);
      } else {
        const rows = picks.get(key.foreignKey) ?? parentRow;
        const state = this.parentOf(key.foreignKey);
        const values = state.keys.get(key.parentColumn) as CellValue[];
        const sameType = state.types.get(key.parentColumn) === type;
        for (let r = 0; r < rowCount; r++) {
          const p = rows[r] as number;
          const value = p < 0 ? null : (values[p] ?? null);
          target[r] = sameType ? value : castKey(value, type);
        }
      }
    }
  }

  private parentOf(foreignKey: number): TableState {
    const secondary = this.secondaries.find((s) => s.foreignKey === foreignKey);
    return secondary?.parent ?? (this.parent as TableState);
  }

  /** Parent rows for a non-primary reference (−1 = null); siblings get distinct parents when the key requires it. */
  private pickSecondary(
    s: TableGenerator['secondaries'][number],
    block: Block,
    parentRow: Int32Array,
  ): Int32Array {
    const out = new Int32Array(parentRow.length);
    const rng: Rng = createRng(deriveSeed(this.seed, Stream.Reference, s.foreignKey, block.index));
    const n = s.parent.rowCount;
    if (n === 0 && s.nullRate < 1 && parentRow.length > 0) {
      const parent = this.model.metadata.tables[this.name]?.foreignKeys[s.foreignKey]?.references.table ?? '';
      throw new ConfigError(
        `table "${this.name}" references table "${parent}", which has no synthetic rows`,
        `rows.${parent}`,
      );
    }
    const distinct = this.table.distinctReference === s.foreignKey;
    const used = new Set<number>();
    for (let r = 0; r < out.length; r++) {
      if (distinct && (r === 0 || parentRow[r] !== parentRow[r - 1])) used.clear();
      if (s.nullRate > 0 && rng.nextDouble() < s.nullRate) {
        out[r] = -1;
        continue;
      }
      let p = pickAlias(s.alias, rng);
      if (distinct) {
        for (let tries = 0; used.has(p) && tries < 16; tries++) p = pickAlias(s.alias, rng);
        // Popular parents can be exhausted by a big family: take the next unused row instead.
        while (used.has(p)) p = (p + 1) % n;
        used.add(p);
      }
      out[r] = p;
    }
    return out;
  }
}

/**
 * Each parent row's popularity (its expected share of the references): the distribution's
 * quantiles at evenly spaced probabilities, dealt to the rows in random order. Evenly spaced
 * rather than independent draws, because children-per-parent is often heavy-tailed (a few
 * best-selling products) and a few hundred independent draws would often miss the tail.
 */
function popularityWeights(distribution: CountDistribution, rows: number, rng: Rng): Float64Array {
  const quantile = createCountQuantile(distribution);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.nextIntLarge(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const weights = new Float64Array(rows);
  for (let i = 0; i < rows; i++) weights[i] = quantile(((order[i] as number) + 0.5) / rows);
  return weights;
}

/** A parent key value in the child column's storage type (an integer key read as text in a CSV child, say). */
function castKey(value: CellValue, type: PhysicalType): CellValue {
  if (value === null) return null;
  if (type === 'string') return typeof value === 'string' ? value : String(value);
  if ((type === 'integer' || type === 'float') && typeof value === 'string') {
    const x = Number(value);
    return value.trim() !== '' && Number.isFinite(x) ? x : value;
  }
  return value;
}

/** FNV-1a of a table name: per-table streams depend on the name, not on the table's position in the order. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function concatBlocks(
  columns: readonly { name: string; type: PhysicalType }[],
  blocks: readonly Table[],
): Table {
  const rowCount = blocks.reduce((n, b) => n + b.rowCount, 0);
  return {
    rowCount,
    columns: columns.map((c, j) => {
      const values = new Array<CellValue>(rowCount);
      let r = 0;
      for (const b of blocks)
        for (const v of (b.columns[j] as { values: CellValue[] }).values) values[r++] = v;
      return { name: c.name, type: c.type, values };
    }),
  };
}
