/**
 * The stages of a relational run that see every table at once: reading the metadata, the relational fit,
 * synthesis parents first, the referential-integrity check, and the load of the whole set into a
 * database in foreign-key order. Per-table work (ingest, profile, classify, quality, file, REST and
 * Salesforce targets) reuses the single-table activities under each table's own artifact prefix.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cancellationSignal, CancelledFailure, heartbeat } from '@temporalio/activity';
import { ConfigError, DataError } from '../core/errors.js';
import type { SensitivityReport } from '../core/pii/index.js';
import type { DatasetProfile } from '../core/profile/index.js';
import { createSampleValueGuard, type SampleValueGuard } from '../core/generation/index.js';
import { createExactCopyDetector } from '../core/quality/fingerprint.js';
import {
  evaluateRelational,
  generateRelationalChunks,
  parseRelationalMetadata,
  targetNaming,
  type TargetNaming,
  type RelationalModel,
  type ResolvedMetadata,
} from '../core/relational/index.js';
import type { SynthesizerKind } from '../core/synthesizer/index.js';
import { concatTables, type ColumnData, type Table } from '../core/table.js';
import type { LoadStrategy } from '../integrations/database/index.js';
import { loadTables } from '../integrations/database/load-tables.js';
import { exportParts } from '../integrations/tabular/export-parts.js';
import { readTableFile, writeTableFile } from '../integrations/tabular/index.js';
import type { DatabaseTargetConfig } from '../workflows/pipeline/config-schema.js';
import type { RelationalTableParts } from '../workflows/pipeline/contract.js';
import { databaseTargetUrl } from './database-url.js';
import { whileHeartbeating } from './heartbeat.js';
import type { FitRelationalTask } from './threads/fit-task.js';
import { sharedThreadPool } from './threads/thread-pool.js';
import type { ActivityDeps } from './deps.js';
import { partMetaUri, partUri, resolveSourcePath, runArtifact } from './paths.js';
import { readJsonArtifact, readTableArtifact } from './sample-cache.js';

/** Input of planRelationalRun. */
export interface PlanRelationalRunInput {
  runKey: string;
  /** `relational.metadata` of the config: the metadata file's path. */
  metadata: string;
  /** Tables that have a source in `relational.sources`. */
  sources: string[];
  /** Tables named in `relational.rows`. */
  rows: string[];
}
/** Output of planRelationalRun. */
export interface PlanRelationalRunOutput {
  /** The metadata as read, stored with the run so later stages do not depend on the file. */
  metadataUri: string;
  /** Tables parents first. */
  order: string[];
  /** Per table, the path segment its artifacts live under (`runs/<runKey>/tables/<segment>/…`). */
  segments: Record<string, string>;
}

/** Where one table's artifacts are, as the relational activities need them. */
export interface RelationalTableRefs {
  sampleUri: string;
  profileUri: string;
  sensitivityUri: string;
}

/** Input of fitRelational. */
export interface FitRelationalInput {
  runKey: string;
  metadataUri: string;
  tables: Record<string, RelationalTableRefs>;
  synthesizer: SynthesizerKind;
  orphans: 'error' | 'drop';
}
/** Output of fitRelational. */
export interface FitRelationalOutput {
  modelUri: string;
  /** The per-table synthesizer that was fitted. */
  synthesizer: string;
  /** Sample rows dropped as orphans, per table (only with `orphans: "drop"`). */
  orphansDropped: Record<string, number>;
  /** Per table, the columns the relational layer generates (keys and undeclared identifiers). */
  keyColumns: Record<string, string[]>;
}

/** Input of synthesizeTables. */
export interface SynthesizeTablesInput {
  runKey: string;
  modelUri: string;
  seed: number;
  scale: number;
  rows: Record<string, number>;
  segments: Record<string, string>;
  /** Samples by table, to count synthetic rows that copy a sample row on every data column. */
  samples: Record<string, string>;
  /** The (approved) sensitivity reports by table: generated sensitive cells equal to a sample value are redrawn. */
  sensitivity: Record<string, string>;
}
/** Output of synthesizeTables: every table's parts, rows and exact copies. */
export interface SynthesizeTablesOutput {
  tables: Record<string, RelationalTableParts>;
}

/** Input of checkRelationalIntegrity. */
export interface CheckRelationalIntegrityInput {
  runKey: string;
  metadataUri: string;
  samples: Record<string, string>;
  tables: Record<string, RelationalTableParts>;
}
/** Output of checkRelationalIntegrity. */
export interface CheckRelationalIntegrityOutput {
  integrityUri: string;
  /** Share of non-null synthetic references that find their parent (1 when there are none). */
  referentialIntegrity: number;
  /** Synthetic rows repeating an earlier row's primary key, over all tables. */
  duplicateKeys: number;
  /** Mean over foreign keys of the children-per-parent KSComplement (absent without foreign keys). */
  cardinalityScore?: number;
}

/** Input of loadDatabaseTables. */
export interface LoadDatabaseTablesInput {
  runKey: string;
  /** Stable id of the target within the run (its index). */
  targetId: string;
  /** Where the target is in the config (`targets[0]`), for errors about its `tables`. @default 'target' */
  targetField?: string;
  target: DatabaseTargetConfig;
  metadataUri: string;
  /** The fitted model, for the columns of a table that got no rows. */
  modelUri: string;
  tables: Record<string, RelationalTableParts>;
}
/** Output of loadDatabaseTables. */
export interface LoadDatabaseTablesOutput {
  /** The target URL with credentials redacted. */
  target: string;
  /** Per table, parents first. */
  tables: { table: string; loaded: number; skipped: number; durationMs: number }[];
}

/** A metadata file's JSON: unreadable or malformed files are ConfigErrors naming the config field. */
async function readMetadataFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError('cannot read the metadata file at this path', 'relational.metadata', {
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConfigError('the metadata file is not valid JSON', 'relational.metadata');
  }
}

/** A path segment for a table's artifacts: its position (so two names never collide) and a readable name. */
export function tableSegment(index: number, table: string): string {
  const readable = table.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  return `${String(index).padStart(3, '0')}-${readable}`;
}

/** The columns of `table` named in `names`, in that order (a table with only those columns). */
function project(table: Table, names: readonly string[]): Table {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  return {
    rowCount: table.rowCount,
    columns: names.map((n) => byName.get(n)).filter((c): c is ColumnData => c !== undefined),
  };
}

/** The parts of one table as one table, keeping only `columns` (memory: those columns of every row). */
async function readParts(
  deps: ActivityDeps,
  parts: RelationalTableParts,
  columns: readonly string[],
): Promise<Table> {
  const blocks: Table[] = [];
  for (let k = 0; k < parts.partCount; k++) {
    const uri = partUri(parts.partsPrefix, k);
    const block = await readTableFile(await deps.store.localCopy(uri), 'parquet', { displayName: uri });
    blocks.push(project(block, columns));
    heartbeat({ phase: 'read', part: k });
  }
  return concatTables(blocks);
}

/** The meta file of one written part of a table (written after the part). */
interface TablePartMeta {
  rows: number;
  sha256: string;
  exactCopies: number;
  /** Sensitive cells redrawn for equalling a sample value (absent in parts written before redraws). */
  sensitiveRedraws?: number;
  /** Sensitive cells still equal to a sample value. */
  sensitiveSampleValues: number;
}

/** Adds a part's counts to its table's totals (rows are counted as the block is generated). */
function addPartMeta(parts: RelationalTableParts, meta: TablePartMeta): void {
  parts.exactCopies += meta.exactCopies;
  parts.sensitiveRedraws = (parts.sensitiveRedraws ?? 0) + (meta.sensitiveRedraws ?? 0);
  parts.sensitiveSampleValues = (parts.sensitiveSampleValues ?? 0) + meta.sensitiveSampleValues;
}

/** Counts, in a block of a table, the rows equal to a sample row on every data (non-key) column. */
type CountExactCopies = (rows: Table) => number;

/** What synthesizeTables checks generated rows against, per table, built from its sample. */
interface SampleChecks {
  /** Identifying values of the sample's sensitive columns, which the sampler keeps out of generated sensitive cells. */
  guards: Record<string, SampleValueGuard>;
  exactCopies: Record<string, CountExactCopies>;
}

/**
 * The checks of every table, each sample read once: the exact-copy counter over its data columns, and
 * the sample-value guard of the sensitive columns in its (approved) sensitivity report.
 */
async function sampleChecks(
  store: ActivityDeps['store'],
  model: RelationalModel,
  samples: Record<string, string>,
  sensitivity: Record<string, string>,
): Promise<SampleChecks> {
  const checks: SampleChecks = { guards: {}, exactCopies: {} };
  for (const table of model.order) {
    const sampleUri = samples[table];
    if (sampleUri === undefined) continue;
    const reportUri = sensitivity[table];
    const report =
      reportUri === undefined ? undefined : await readJsonArtifact<SensitivityReport>(store, reportUri);
    const kinds = Object.fromEntries(
      (report?.fields ?? []).filter((f) => f.sensitive).map((f) => [f.column, f.kind]),
    );
    const dataColumns = model.tables[table]?.dataColumns ?? [];
    if (Object.keys(kinds).length === 0 && dataColumns.length === 0) continue;
    heartbeat({ phase: 'sample checks', table });
    const sample = await readTableArtifact(store, sampleUri);
    if (Object.keys(kinds).length > 0) checks.guards[table] = createSampleValueGuard(sample, kinds);
    if (dataColumns.length > 0) {
      const copies = createExactCopyDetector(project(sample, dataColumns));
      checks.exactCopies[table] = (rows) => copies.count(project(rows, dataColumns));
    }
  }
  return checks;
}

/** Key columns of every table: its primary key and the columns of its foreign keys. */
function keyColumns(resolved: ResolvedMetadata): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of resolved.order) {
    const meta = resolved.metadata.tables[name];
    const columns = new Set(meta?.primaryKey ?? []);
    for (const fk of resolved.foreignKeys.get(name) ?? []) for (const c of fk.columns) columns.add(c);
    for (const fk of resolved.foreignKeys.values())
      for (const ref of fk) if (ref.parent === name) for (const c of ref.parentColumns) columns.add(c);
    out.set(name, [...columns]);
  }
  return out;
}

/** Creates the relational activities. */
export function createRelationalActivities(deps: ActivityDeps) {
  const { store } = deps;
  return {
    /**
     * Reads and checks the metadata file (keys, references, cycles) against the configured sources: every
     * table needs a source and every source a table; `relational.rows` may only size root tables.
     */
    async planRelationalRun(input: PlanRelationalRunInput): Promise<PlanRelationalRunOutput> {
      const json = await readMetadataFile(
        resolveSourcePath(input.metadata, deps.baseDir, 'relational.metadata'),
      );
      let resolved: ResolvedMetadata;
      try {
        resolved = parseRelationalMetadata(json);
      } catch (err) {
        // The field inside the file stays in the message; the config field is named in front of it.
        if (err instanceof ConfigError)
          throw new ConfigError(err.message, 'relational.metadata', { cause: err });
        throw err;
      }
      const tables = new Set(resolved.order);
      // Each table's data is gathered into `<work dir>/<table>.parquet` before a database load.
      for (const table of resolved.order)
        if (/[/\\\0]/.test(table) || table === '.' || table === '..')
          throw new ConfigError(
            `table ${JSON.stringify(table)}: a table name may not contain "/", "\\" or NUL, nor be "." or ".."`,
            'relational.metadata',
          );
      for (const table of resolved.order)
        if (!input.sources.includes(table))
          throw new ConfigError('no source for this table of the metadata', `relational.sources.${table}`);
      for (const table of input.sources)
        if (!tables.has(table))
          throw new ConfigError('is not a table of the metadata file', `relational.sources.${table}`);
      for (const table of input.rows) {
        if (!tables.has(table))
          throw new ConfigError('is not a table of the metadata file', `relational.rows.${table}`);
        if ((resolved.foreignKeys.get(table) ?? []).length > 0)
          throw new ConfigError(
            'is not a root table: its rows follow from its parents (size its root tables instead)',
            `relational.rows.${table}`,
          );
      }
      const metadataUri = runArtifact(store, input.runKey, 'relational', 'metadata.json');
      await store.putJson(metadataUri, json);
      return {
        metadataUri,
        order: resolved.order,
        segments: Object.fromEntries(resolved.order.map((t, i) => [t, tableSegment(i, t)])),
      };
    },

    /**
     * Fits the relational model (per table a synthesizer over its data columns, child counts per parent
     * stratum, key plans) on the samples with their approved sensitivity reports, and stores it.
     */
    async fitRelational(input: FitRelationalInput): Promise<FitRelationalOutput> {
      const metadata = await store.getJson<unknown>(input.metadataUri);
      const tables: FitRelationalTask['tables'] = {};
      for (const [table, refs] of Object.entries(input.tables)) {
        heartbeat({ phase: 'read', table });
        tables[table] = {
          samplePath: await store.localCopy(refs.sampleUri),
          sampleUri: refs.sampleUri,
          profile: await readJsonArtifact<DatasetProfile>(store, refs.profileUri),
          sensitivity: await readJsonArtifact<SensitivityReport>(store, refs.sensitivityUri),
        };
      }
      // On a pool thread, heartbeating here: a long fit must not miss the heartbeat timeout.
      const model = await whileHeartbeating(
        sharedThreadPool().run('fitRelational', {
          metadata,
          tables,
          synthesizer: input.synthesizer,
          orphans: input.orphans,
        }),
        { phase: 'fit' },
      );
      const modelUri = runArtifact(store, input.runKey, 'relational', 'model.json');
      await store.putJson(modelUri, model);
      return {
        modelUri,
        synthesizer: model.synthesizer,
        orphansDropped: Object.fromEntries(model.order.map((t) => [t, model.tables[t]?.orphansDropped ?? 0])),
        keyColumns: Object.fromEntries(
          model.order.map((t) => [t, (model.tables[t]?.keys ?? []).map((k) => k.column)]),
        ),
      };
    },

    /**
     * Samples every table parents first, block by block, one Parquet part per block under the table's
     * prefix. Output is a pure function of (model, seed, sizes), so a retry samples again from the start
     * (children need their parents' keys in memory) but skips writing the parts an earlier attempt
     * finished; the manifest written last makes a finished synthesis a no-op.
     */
    async synthesizeTables(input: SynthesizeTablesInput): Promise<SynthesizeTablesOutput> {
      const manifestUri = runArtifact(store, input.runKey, 'relational', 'synthetic.json');
      if (await store.exists(manifestUri)) return store.getJson<SynthesizeTablesOutput>(manifestUri);
      const model = await store.getJson<RelationalModel>(input.modelUri);
      const tables: Record<string, RelationalTableParts> = {};
      for (const table of model.order) {
        const segment = input.segments[table];
        if (segment === undefined)
          throw new ConfigError('no artifact segment for this table', `tables.${table}`);
        tables[table] = {
          partsPrefix: runArtifact(store, input.runKey, 'tables', segment, 'synthetic'),
          partCount: 0,
          rows: 0,
          exactCopies: 0,
          sensitiveSampleValues: 0,
          sensitiveRedraws: 0,
        };
      }
      const cancelled = cancellationSignal();
      // The guards change what is generated, so every attempt builds them, also one that resumes.
      const checks = await sampleChecks(store, model, input.samples, input.sensitivity);
      const chunks = generateRelationalChunks(model, {
        seed: input.seed,
        scale: input.scale,
        rows: input.rows,
        sampleValues: checks.guards,
      });
      let written = 0;
      for (let step = chunks.next(); step.done !== true; step = chunks.next()) {
        if (cancelled.aborted) throw new CancelledFailure('synthesis cancelled between blocks');
        const { table, rows, sensitiveValues } = step.value;
        const parts = tables[table] as RelationalTableParts;
        const k = parts.partCount++;
        parts.rows += rows.rowCount;
        const metaUri = partMetaUri(parts.partsPrefix, k);
        const meta = (await store.exists(metaUri)) ? await store.getJson<TablePartMeta>(metaUri) : undefined;
        // A part left by an attempt of this synthesis holds this very block; one of another size is stale
        // (an earlier model under the same run key) and is written again.
        if (
          meta !== undefined &&
          meta.rows === rows.rowCount &&
          (await store.exists(partUri(parts.partsPrefix, k)))
        ) {
          heartbeat({ table, part: k, written });
          addPartMeta(parts, meta);
          continue;
        }
        const exactCopies = checks.exactCopies[table]?.(rows) ?? 0;
        const ref = await store.writeWith(partUri(parts.partsPrefix, k), async (tmp) => {
          await writeTableFile(rows, tmp, 'parquet');
        });
        const partMeta: TablePartMeta = {
          rows: rows.rowCount,
          sha256: ref.sha256,
          exactCopies,
          sensitiveRedraws: sensitiveValues.redrawn,
          sensitiveSampleValues: sensitiveValues.remaining,
        };
        addPartMeta(parts, partMeta);
        // Written after the part, so its presence means the part is complete.
        await store.putJson(metaUri, partMeta);
        written += 1;
        heartbeat({ table, part: k, written });
      }
      const out: SynthesizeTablesOutput = { tables };
      await store.putJson(manifestUri, out);
      return out;
    },

    /**
     * Checks the synthetic set as a database: every reference finds its parent, no primary key repeats,
     * and children per parent are distributed as in the sample. Only key columns are read.
     */
    async checkRelationalIntegrity(
      input: CheckRelationalIntegrityInput,
    ): Promise<CheckRelationalIntegrityOutput> {
      const metadata = await store.getJson<unknown>(input.metadataUri);
      const resolved = parseRelationalMetadata(metadata);
      const keys = keyColumns(resolved);
      const real: Record<string, Table> = {};
      const synthetic: Record<string, Table> = {};
      for (const table of resolved.order) {
        const columns = keys.get(table) ?? [];
        const sampleUri = input.samples[table];
        const parts = input.tables[table];
        if (sampleUri === undefined || parts === undefined)
          throw new DataError(`table ${table}: the run has no synthetic parts for it`);
        heartbeat({ phase: 'read', table });
        real[table] = project(await readTableArtifact(store, sampleUri), columns);
        const read = await readParts(deps, parts, columns);
        // A table that got no rows has no parts to read its columns from: the sample's, empty.
        synthetic[table] =
          read.columns.length > 0
            ? read
            : { rowCount: 0, columns: (real[table] as Table).columns.map((c) => ({ ...c, values: [] })) };
      }
      heartbeat({ phase: 'evaluate' });
      const evaluation = evaluateRelational(metadata, real, synthetic);
      const integrityUri = runArtifact(store, input.runKey, 'relational', 'integrity.json');
      await store.putJson(integrityUri, evaluation);
      const ks = evaluation.foreignKeys
        .map((f) => f.childCountKsComplement)
        .filter((v) => Number.isFinite(v));
      return {
        integrityUri,
        referentialIntegrity: evaluation.referentialIntegrity,
        duplicateKeys: Object.values(evaluation.duplicateKeys).reduce((n, d) => n + d, 0),
        ...(ks.length > 0 ? { cardinalityScore: ks.reduce((s, v) => s + v, 0) / ks.length } : {}),
      };
    },

    /**
     * Loads every table into one database parents first, through `loadTables` (tables created with their
     * keys and foreign keys when absent, the whole set emptied once for truncate_insert, one transaction
     * per batch with its ledger row). The load id is the run's and the target's, so a retried or
     * duplicated attempt skips every committed batch: nothing is lost or loaded twice. Each table's parts
     * are first gathered into one local Parquet file (the same bytes on every attempt).
     */
    async loadDatabaseTables(input: LoadDatabaseTablesInput): Promise<LoadDatabaseTablesOutput> {
      const metadata = await store.getJson<Record<string, unknown>>(input.metadataUri);
      const model = await readJsonArtifact<RelationalModel>(store, input.modelUri);
      // Checked before anything is gathered or written: the target's names for every table and column.
      const naming = targetNaming(
        metadata,
        Object.fromEntries(model.order.map((t) => [t, (model.tables[t]?.columns ?? []).map((c) => c.name)])),
        input.target.tables ?? {},
        `${input.targetField ?? 'target'}.tables`,
      );
      const work = await mkdtemp(path.join(tmpdir(), 'understudy-load-tables-'));
      const cancelled = cancellationSignal();
      try {
        for (const table of model.order) {
          const parts = input.tables[table];
          if (parts === undefined)
            throw new DataError(`table ${table}: the run has no synthetic parts for it`);
          const named = naming.tables[table] as TargetNaming['tables'][string];
          const file = path.join(work, `${named.table}.parquet`);
          heartbeat({ phase: 'gather', table });
          if (parts.partCount === 0) {
            // A table without rows still loads (it is created, and truncate_insert empties it).
            const types = new Map((model.tables[table]?.columns ?? []).map((c) => [c.name, c.type]));
            const columns = named.columns.map((c) => ({
              name: c.to,
              type: types.get(c.from) ?? 'string',
              values: [],
            }));
            await writeTableFile({ rowCount: 0, columns }, file, 'parquet');
          } else {
            const uris = Array.from({ length: parts.partCount }, (_, k) => partUri(parts.partsPrefix, k));
            const paths = await Promise.all(uris.map((u) => store.localCopy(u)));
            await whileHeartbeating(exportParts(paths, file, 'parquet', undefined, named.columns), {
              phase: 'gather',
              table,
            });
          }
        }
        const syntheticName = new Map(model.order.map((t) => [naming.tables[t]?.table ?? t, t]));
        // Between batch callbacks (checks, table creation, the set's truncation) the timer keeps the heartbeat
        // going with the latest progress, which the callbacks update.
        const progress = { phase: 'load', table: '', loadedRows: 0 };
        const result = await whileHeartbeating(
          loadTables({
            metadata: naming.metadata,
            inputDir: work,
            format: 'parquet',
            url: databaseTargetUrl(input.target, deps),
            strategy: input.target.strategy as LoadStrategy,
            batchSize: input.target.batchSize,
            loadId: `${input.runKey}/${input.targetId}`,
            baseDir: deps.baseDir,
            signal: cancelled,
            onProgress: (p) => {
              progress.table = syntheticName.get(p.table) ?? p.table;
              progress.loadedRows = p.loadedRows;
              heartbeat(progress);
            },
          }),
          progress,
        );
        return {
          target: result.target,
          // Reported under the synthetic tables' names, as the rest of the run names them.
          tables: result.tables.map((t) => ({
            table: syntheticName.get(t.table) ?? t.table,
            loaded: t.loadedRows,
            skipped: t.skippedRows,
            durationMs: Math.round(t.seconds * 1000),
          })),
        };
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}

/** The synthetic columns of a table without rows, from the fitted model. */
/** The relational activities. */
export type RelationalActivities = ReturnType<typeof createRelationalActivities>;
