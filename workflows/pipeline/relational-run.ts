/**
 * The stages of a relational run: several related tables synthesized together and loaded parents first.
 *
 * Per table, the single-table activities do the work under the table's own artifact prefix (ingest,
 * profile, classify, quality evaluation, file, REST and Salesforce targets). The relational activities do
 * what needs every table at once: the metadata check, the relational fit, synthesis parents first (one
 * activity, because children are drawn from their parents' synthetic rows), the integrity check, and the
 * load of the whole set into each database target in foreign-key order under one load ledger id.
 *
 * Field names at the sensitivity gate are qualified by table (`customers.email`), and so are overrides.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../../activities/index.js';
import { bulkActivity, quickActivity } from '../common/activity-options.js';
import { ErrorType } from '../common/errors.js';
import type { PipelineConfig } from './config-schema.js';
import {
  Gate,
  Stage,
  type PipelineInput,
  type PrivacyGateVerdict,
  type RelationalMetrics,
  type RelationalResults,
  type RelationalTableParts,
  type RelationalTableResults,
  type SensitivityOverride,
  type TargetReport,
} from './contract.js';
import type { RelationalConfig } from './relational-schema.js';
import {
  targetFailureMessage,
  need,
  privacyThresholdsOf,
  targetLabel,
  type RunControls,
} from './run-helpers.js';

const bulk = proxyActivities<PipelineActivities>(bulkActivity);
const quick = proxyActivities<PipelineActivities>(quickActivity);

/** The run key a table's artifacts live under: `runs/<runKey>/tables/<segment>/…`. */
function tableRunKey(runKey: string, table: RelationalTableResults): string {
  return `${runKey}/tables/${table.segment}`;
}

/** Synthetic rows of every table, once synthesis has run. */
export function totalSyntheticRows(rel: RelationalResults): number | undefined {
  const tables = rel.order.map((t) => rel.tables[t]?.synthetic);
  if (tables.some((t) => t === undefined)) return undefined;
  return tables.reduce((n, t) => n + (t?.rows ?? 0), 0);
}

/** The `status` query's per-table and set-wide figures. */
export function relationalMetrics(rel: RelationalResults): RelationalMetrics {
  const tables: RelationalMetrics['tables'] = {};
  for (const name of rel.order) {
    const t = rel.tables[name];
    tables[name] = {
      ...(t?.sampleRows !== undefined ? { sampleRows: t.sampleRows } : {}),
      ...(t?.synthetic !== undefined ? { syntheticRows: t.synthetic.rows } : {}),
      ...(t?.qualityScore !== undefined ? { qualityScore: t.qualityScore } : {}),
    };
  }
  return {
    tables,
    ...(rel.referentialIntegrity !== undefined ? { referentialIntegrity: rel.referentialIntegrity } : {}),
    ...(rel.duplicateKeys !== undefined ? { duplicateKeys: rel.duplicateKeys } : {}),
    ...(rel.cardinalityScore !== undefined ? { cardinalityScore: rel.cardinalityScore } : {}),
  };
}

/**
 * Splits the approver's overrides by table: `customers.email` is the column `email` of `customers`. The
 * longest table name that prefixes the column wins, so a table named `a.b` is found before `a`.
 */
export function overridesByTable(
  overrides: readonly SensitivityOverride[],
  tables: readonly string[],
): Map<string, SensitivityOverride[]> {
  const byLength = [...tables].sort((a, b) => b.length - a.length);
  const out = new Map<string, SensitivityOverride[]>();
  overrides.forEach((o, i) => {
    const table = byLength.find((t) => o.column.startsWith(`${t}.`) && o.column.length > t.length + 1);
    if (table === undefined) {
      throw ApplicationFailure.create({
        message: `overrides[${i}].column: a relational run names fields as "<table>.<column>", and no table of the metadata starts this name`,
        type: ErrorType.ConfigError,
        nonRetryable: true,
      });
    }
    const list = out.get(table) ?? [];
    list.push({ ...o, column: o.column.slice(table.length + 1) });
    out.set(table, list);
  });
  return out;
}

/** Runs every stage of a relational run up to the report (which the caller writes). */
export async function runRelationalStages(
  run: RunControls,
  config: PipelineConfig,
  relational: RelationalConfig,
  rawConfig: PipelineInput,
): Promise<void> {
  const { carry } = run;
  const r = carry.results;
  const runKey = carry.runKey;
  const rel = (): RelationalResults => need(r.relational);

  /** Runs `work` once per table, parents first, skipping tables `done` says are finished (continue-as-new). */
  const eachTable = async (
    unit: string,
    done: (t: RelationalTableResults) => boolean,
    work: (name: string, t: RelationalTableResults) => Promise<void>,
  ): Promise<void> => {
    const { order, tables } = rel();
    for (const [i, name] of order.entries()) {
      const t = need(tables[name]);
      if (done(t)) continue;
      run.state.progress = { done: i, total: order.length, unit };
      await run.budget(rawConfig);
      await run.whenRunning();
      await work(name, t);
    }
  };

  await run.runStage(Stage.Ingest, async () => {
    if (r.relational === undefined) {
      const plan = await quick.planRelationalRun({
        runKey,
        metadata: relational.metadata,
        sources: Object.keys(relational.sources),
        rows: Object.keys(relational.rows),
      });
      r.relational = {
        metadataUri: plan.metadataUri,
        order: plan.order,
        tables: Object.fromEntries(plan.order.map((t) => [t, { segment: need(plan.segments[t]) }])),
      };
      checkTargetTables(config, plan.order);
    }
    await eachTable(
      'tables ingested',
      (t) => t.sampleUri !== undefined,
      async (name, t) => {
        const out = await bulk.ingestSource({
          runKey: tableRunKey(runKey, t),
          source: need(relational.sources[name]),
        });
        t.sampleUri = out.sampleUri;
        t.schema = out.schema;
        t.sampleRows = out.rows;
      },
    );
    r.sampleRows = rel().order.reduce((n, name) => n + (rel().tables[name]?.sampleRows ?? 0), 0);
  });

  await run.runStage(Stage.Profile, async () => {
    await eachTable(
      'tables profiled',
      (t) => t.profileUri !== undefined,
      async (_name, t) => {
        const out = await bulk.profileSample({
          runKey: tableRunKey(runKey, t),
          sampleUri: need(t.sampleUri),
        });
        t.profileUri = out.profileUri;
      },
    );
  });

  /** The gate's view of every table's fields, named `<table>.<column>`, rebuilt from the carried per-table lists. */
  const summarize = (): void => {
    const { order, tables } = rel();
    r.sensitivityFields = order.flatMap((name) =>
      (tables[name]?.sensitivityFields ?? []).map((f) => ({ ...f, name: `${name}.${f.name}` })),
    );
    r.sensitiveColumns = order.flatMap((name) =>
      (tables[name]?.sensitiveColumns ?? []).map((c) => `${name}.${c}`),
    );
  };
  await run.runStage(Stage.Classify, async () => {
    await eachTable(
      'tables classified',
      (t) => t.sensitivityUri !== undefined,
      async (name, t) => {
        const out = await bulk.classifySample({
          runKey: tableRunKey(runKey, t),
          sampleUri: need(t.sampleUri),
          profileUri: need(t.profileUri),
          tableName: name,
        });
        t.sensitivityUri = out.sensitivityUri;
        t.sensitiveColumns = out.sensitiveColumns;
        t.sensitivityFields = out.fields;
        summarize();
      },
    );
  });

  await run.gate(Gate.Sensitivity, Stage.SensitivityGate);

  await run.runStage(Stage.Fit, async () => {
    const overrides = carry.pendingOverrides ?? [];
    const approval = run.appliedDecision(Gate.Sensitivity);
    for (const [name, list] of overridesByTable(overrides, rel().order)) {
      const t = need(rel().tables[name]);
      if (t.approvedSensitivityUri !== undefined) continue;
      const out = await quick.applySensitivityOverrides({
        runKey: tableRunKey(runKey, t),
        sensitivityUri: need(t.sensitivityUri),
        overrides: list,
        by: approval?.by ?? 'unknown',
        at: approval?.at ?? new Date().toISOString(),
        comment: approval?.comment,
      });
      t.approvedSensitivityUri = out.sensitivityUri;
      t.sensitiveColumns = out.sensitiveColumns;
      t.sensitivityFields = out.fields;
    }
    summarize();
    const { order, tables } = rel();
    const out = await bulk.fitRelational({
      runKey,
      metadataUri: rel().metadataUri,
      tables: Object.fromEntries(
        order.map((name) => {
          const t = need(tables[name]);
          return [
            name,
            {
              sampleUri: need(t.sampleUri),
              profileUri: need(t.profileUri),
              sensitivityUri: need(t.approvedSensitivityUri ?? t.sensitivityUri),
            },
          ];
        }),
      ),
      synthesizer: config.synthesizer,
      orphans: relational.orphans,
    });
    rel().modelUri = out.modelUri;
    rel().orphansDropped = out.orphansDropped;
    for (const name of order) need(tables[name]).keyColumns = out.keyColumns[name] ?? [];
    r.modelUri = out.modelUri;
    r.synthesizer = out.synthesizer;
  });

  await run.runStage(Stage.Synthesize, async () => {
    const { order, tables } = rel();
    await run.budget(rawConfig);
    await run.whenRunning();
    const out = await bulk.synthesizeTables({
      runKey,
      modelUri: need(rel().modelUri),
      seed: config.seed,
      scale: relational.scale,
      rows: relational.rows,
      segments: Object.fromEntries(order.map((name) => [name, need(tables[name]).segment])),
      samples: Object.fromEntries(order.map((name) => [name, need(tables[name]?.sampleUri)])),
      sensitivity: Object.fromEntries(
        order.map((name) => {
          const t = need(tables[name]);
          return [name, need(t.approvedSensitivityUri ?? t.sensitivityUri)];
        }),
      ),
    });
    for (const name of order) need(tables[name]).synthetic = need(out.tables[name]);
    const total = (count: (parts: RelationalTableParts | undefined) => number | undefined): number =>
      order.reduce((n, name) => n + (count(out.tables[name]) ?? 0), 0);
    r.synthSensitiveSampleValues = total((p) => p?.sensitiveSampleValues);
    r.synthSensitiveRedraws = total((p) => p?.sensitiveRedraws);
    r.synthExactCopies = total((p) => p?.exactCopies);
    r.synthRowsChecked = totalSyntheticRows(rel());
  });

  await run.runStage(Stage.Evaluate, async () => {
    await eachTable(
      'tables evaluated',
      // A table without rows has nothing to score; the integrity check below still covers it.
      (t) => t.qualityScore !== undefined || need(t.synthetic).rows === 0,
      async (_name, t) => {
        const synthetic = need(t.synthetic);
        const out = await bulk.evaluateQuality({
          runKey: tableRunKey(runKey, t),
          sampleUri: need(t.sampleUri),
          profileUri: need(t.profileUri),
          sensitivityUri: need(t.approvedSensitivityUri ?? t.sensitivityUri),
          partsPrefix: synthetic.partsPrefix,
          partCount: synthetic.partCount,
          exactCopies: synthetic.exactCopies,
          rowsChecked: synthetic.rows,
          sensitiveRedraws: synthetic.sensitiveRedraws ?? 0,
          sensitiveSampleValues: synthetic.sensitiveSampleValues ?? 0,
          keyColumns: t.keyColumns ?? [],
          qualityThreshold: config.gates.quality.threshold,
          privacyThresholds: privacyThresholdsOf(config),
          approvals: carry.approvals,
        });
        t.qualityScore = out.score;
        t.qualityUri = out.qualityUri;
        t.evaluationHtmlUri = out.evaluationHtmlUri;
        t.exactCopyRate = out.exactCopyRate;
        t.leaks = out.leaks;
        if (out.privacyGate !== undefined) t.privacyGate = out.privacyGate;
      },
    );
    const { order, tables } = rel();
    const integrity = await bulk.checkRelationalIntegrity({
      runKey,
      metadataUri: rel().metadataUri,
      samples: Object.fromEntries(order.map((name) => [name, need(tables[name]?.sampleUri)])),
      tables: Object.fromEntries(order.map((name) => [name, need(tables[name]?.synthetic)])),
    });
    Object.assign(rel(), {
      integrityUri: integrity.integrityUri,
      referentialIntegrity: integrity.referentialIntegrity,
      duplicateKeys: integrity.duplicateKeys,
      ...(integrity.cardinalityScore !== undefined ? { cardinalityScore: integrity.cardinalityScore } : {}),
    });
    const scored = order.map((name) => tables[name]).filter((t) => t?.qualityScore !== undefined);
    r.qualityScore =
      scored.length === 0 ? 0 : scored.reduce((s, t) => s + (t?.qualityScore ?? 0), 0) / scored.length;
    r.exactCopies = r.synthExactCopies;
    r.leaks = scored.reduce((n, t) => n + (t?.leaks ?? 0), 0);
    r.privacyGate = combinedPrivacyVerdict(rel());
  });

  // A synthetic set whose references dangle or whose keys repeat is not loaded without a person's approval.
  const broken = (rel().referentialIntegrity ?? 1) < 1 || (rel().duplicateKeys ?? 0) > 0;
  if ((r.qualityScore ?? 0) < config.gates.quality.threshold || broken)
    await run.gate(Gate.Quality, Stage.QualityGate);
  if (r.privacyGate?.passed === false) await run.gate(Gate.Privacy, Stage.PrivacyGate);

  await run.runStage(Stage.Distribute, async () => {
    const state = rel();
    state.targetsDone ??= config.targets.map(() => false);
    r.loadedRows ??= {};
    r.targetOutputs ??= config.targets.map(() => '');
    r.targetPartsDone ??= config.targets.map(() => 0);
    r.targetReports ??= {};
    for (const [i, target] of config.targets.entries()) {
      if (state.targetsDone[i] === true) continue;
      const started = Date.now();
      try {
        await distributeRelational(run, config, i, rawConfig);
      } catch (err) {
        const error = targetFailureMessage(err, config.stopOnTargetFailure);
        r.targetReports[targetLabel(i, target)] = {
          loaded: 0,
          skipped: 0,
          failed: 0,
          durationMs: Date.now() - started,
          error,
        };
      }
      state.targetsDone[i] = true;
    }
  });
}

/** A REST target must name a table of the metadata: a config error fails the run before any work, not at the load. */
function checkTargetTables(config: PipelineConfig, tables: readonly string[]): void {
  const refuse = (field: string): never => {
    throw ApplicationFailure.create({
      message: `Invalid run config: ${field}: is not a table of the metadata file`,
      type: ErrorType.ConfigError,
      nonRetryable: true,
      details: [[{ field, message: 'is not a table of the metadata file' }]],
    });
  };
  config.targets.forEach((target, i) => {
    if (target.type === 'rest' && target.table !== undefined && !tables.includes(target.table))
      refuse(`targets[${i}].table`);
    if (target.type === 'database')
      for (const name of Object.keys(target.tables ?? {}))
        if (!tables.includes(name)) refuse(`targets[${i}].tables.${name}`);
  });
}

/** One privacy verdict for the set: it passes when every table's passes; failures are named by table. */
function combinedPrivacyVerdict(rel: RelationalResults): PrivacyGateVerdict | undefined {
  const verdicts = rel.order.flatMap((name) => {
    const v = rel.tables[name]?.privacyGate;
    return v === undefined ? [] : [{ name, v }];
  });
  if (verdicts.length === 0) return undefined;
  return {
    passed: verdicts.every(({ v }) => v.passed),
    failures: verdicts.flatMap(({ name, v }) =>
      v.failures.map((f) => ({ ...f, metric: `${name}.${f.metric}` })),
    ),
  };
}

/** Loads target i with every table it takes: a database all tables in key order, files one per table. */
async function distributeRelational(
  run: RunControls,
  config: PipelineConfig,
  i: number,
  rawConfig: PipelineInput,
): Promise<void> {
  const r = run.carry.results;
  const runKey = run.carry.runKey;
  const rel = need(r.relational);
  const target = need(config.targets[i]);
  const reports = need(r.targetReports);
  const loaded = need(r.loadedRows);
  const outputs = need(r.targetOutputs);
  const targetId = 'name' in target && target.name !== undefined ? target.name : `targets[${i}]`;
  const partsOf = (name: string) => need(rel.tables[name]?.synthetic);
  const record = (label: string, report: TargetReport): void => {
    reports[label] = report;
    loaded[label] = report.loaded + report.skipped;
  };
  await run.budget(rawConfig);
  await run.whenRunning();
  if (target.type === 'database') {
    const out = await bulk.loadDatabaseTables({
      runKey,
      targetId,
      targetField: `targets[${i}]`,
      target,
      metadataUri: rel.metadataUri,
      modelUri: need(rel.modelUri),
      tables: Object.fromEntries(rel.order.map((name) => [name, partsOf(name)])),
    });
    for (const t of out.tables)
      record(`targets[${i}] ${t.table}`, {
        loaded: t.loaded,
        skipped: t.skipped,
        failed: 0,
        durationMs: t.durationMs,
      });
    outputs[i] = out.target;
    return;
  }
  if (target.type === 'file') {
    for (const name of rel.order) {
      const t = need(rel.tables[name]);
      const label = `targets[${i}] ${name}`;
      if (reports[label] !== undefined) continue;
      run.state.progress = {
        done: rel.order.indexOf(name),
        total: rel.order.length,
        unit: `tables into ${targetId}`,
      };
      await run.whenRunning();
      const started = Date.now();
      const perTable = withTableName(target, name);
      const out = await bulk.writeFileTarget({
        runKey,
        targetId: `${targetId}/${t.segment}`,
        target: perTable,
        partsPrefix: need(t.synthetic).partsPrefix,
        partCount: need(t.synthetic).partCount,
      });
      record(label, {
        loaded: out.loaded,
        skipped: out.skipped,
        failed: out.failed,
        durationMs: Date.now() - started,
      });
      outputs[i] = out.outputs?.[0]?.uri ?? out.target;
    }
    return;
  }
  if (target.type === 'salesforce') {
    const tables = Object.fromEntries(
      rel.order.map((name) => [
        name,
        { partsPrefix: partsOf(name).partsPrefix, partCount: partsOf(name).partCount },
      ]),
    );
    const out = await bulk.loadSalesforceTarget({ runKey, target, tables, field: `targets[${i}]` });
    for (const o of out.objects)
      record(`targets[${i}] ${o.object}`, {
        loaded: o.loaded,
        skipped: o.skipped,
        failed: o.failed,
        durationMs: o.durationMs,
      });
    outputs[i] = out.target;
    return;
  }
  const table = need(target.table);
  const parts = partsOf(table);
  const label = `targets[${i}] ${table}`;
  const report = (reports[label] ??= { loaded: 0, skipped: 0, failed: 0 });
  const done = need(r.targetPartsDone);
  for (let p = done[i] ?? 0; p < parts.partCount; p++) {
    run.state.progress = { done: p, total: parts.partCount, unit: `parts into ${label}` };
    await run.budget(rawConfig);
    await run.whenRunning();
    const out = await bulk.loadRestPart({
      runKey,
      targetId,
      target,
      partsPrefix: parts.partsPrefix,
      partIndex: p,
    });
    report.loaded += out.loaded;
    report.skipped += out.skipped;
    report.failed += out.failed;
    loaded[label] = report.loaded + report.skipped;
    done[i] = p + 1;
  }
  outputs[i] = target.url.split(/[?#]/)[0] ?? target.url;
}

/** A file target with `{table}` in its path, URI and SQL table name replaced by the table's name. */
function withTableName<T extends { path?: string; uri?: string; sql?: { table: string } }>(
  target: T,
  table: string,
): T {
  const fill = (s: string) => s.replaceAll('{table}', table);
  return {
    ...target,
    ...(target.path !== undefined ? { path: fill(target.path) } : {}),
    ...(target.uri !== undefined ? { uri: fill(target.uri) } : {}),
    ...(target.sql !== undefined ? { sql: { ...target.sql, table: fill(target.sql.table) } } : {}),
  };
}
