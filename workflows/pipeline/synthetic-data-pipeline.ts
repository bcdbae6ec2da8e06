/**
 * `syntheticDataPipeline`: one durable run from a production sample to synthetic data loaded into targets.
 * Deterministic and thin: every piece of work is an activity; this file only sequences them, keeps the
 * run's state for the `status` query, and handles approvals, pause/resume, cancel and continue-as-new.
 */
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { PipelineActivities } from '../../activities/index.js';
import { bulkActivity, quickActivity } from '../common/activity-options.js';
import { ErrorType } from '../common/errors.js';
import { parsePipelineConfig, type DatabaseTargetConfig, type PipelineConfig } from './config-schema.js';
import type { TestsConfig } from './tests-schema.js';
import { runRelationalStages, relationalMetrics, totalSyntheticRows } from './relational-run.js';
import {
  targetFailureMessage,
  need,
  privacyThresholdsOf,
  targetLabel,
  type RunControls,
} from './run-helpers.js';
import {
  approveSignal,
  Gate,
  pauseSignal,
  rejectSignal,
  resumeSignal,
  Stage,
  statusQuery,
  type TargetReport,
  type ApprovalAuditEntry,
  type ApproveSignal,
  type PipelineCarry,
  type PipelineInput,
  type PipelineOutput,
  type PendingApproval,
  type PipelineStatus,
  type RejectSignal,
} from './contract.js';

const bulk = proxyActivities<PipelineActivities>(bulkActivity);
const quick = proxyActivities<PipelineActivities>(quickActivity);

/** Runs the whole pipeline; see workflows/pipeline/contract.ts for signals, queries and types. */
export async function syntheticDataPipeline(input: PipelineInput): Promise<PipelineOutput> {
  const { carry, ...rawConfig } = input ?? ({} as PipelineInput);
  const config = validateConfig(rawConfig);
  const run = new PipelineRun(config, carry ?? freshCarry());
  run.registerHandlers();
  // Temporal's cancel surfaces as a CancelledFailure from the activity in flight; loads commit batch by
  // batch in transactions, so letting it propagate leaves nothing half-written.
  return await run.execute(rawConfig);
}

function validateConfig(raw: unknown): PipelineConfig {
  const parsed = parsePipelineConfig(raw);
  if (!parsed.ok) {
    const list = parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw ApplicationFailure.create({
      message: `Invalid run config: ${list}`,
      type: ErrorType.ConfigError,
      nonRetryable: true,
      details: [parsed.issues],
    });
  }
  return parsed.config;
}

function freshCarry(): PipelineCarry {
  const info = workflowInfo();
  return {
    runKey: `${safeSegment(info.workflowId)}/${info.firstExecutionRunId}`,
    results: {},
    stagesDone: [],
    timings: [],
    approvals: [],
    decided: {},
    seenApprovalIds: [],
    paused: false,
    continuedAsNew: 0,
  };
}

/** Workflow ids may hold any character; artifact paths may not. */
function safeSegment(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned.slice(0, 120) || 'run';
}

interface StageState {
  stage: Stage;
  progress?: { done: number; total: number; unit: string };
  pendingApproval?: PendingApproval;
}

/** The mutable state of one run (one continue-as-new segment, seeded from the carry). */
class PipelineRun implements RunControls {
  readonly state: StageState;
  readonly carry: PipelineCarry;
  /** Activities started in this segment; past config.maxChunksPerRun the run continues as new. */
  private startedThisSegment = 0;

  constructor(
    private readonly config: PipelineConfig,
    carry: PipelineCarry,
  ) {
    this.carry = carry;
    this.state = {
      stage: carry.stagesDone.length === 0 ? Stage.Ingest : (carry.stagesDone.at(-1) ?? Stage.Ingest),
    };
  }

  registerHandlers(): void {
    setHandler(approveSignal, (signal) => this.onApprove(signal));
    setHandler(rejectSignal, (signal) => this.onReject(signal));
    setHandler(pauseSignal, () => {
      this.carry.paused = true;
    });
    setHandler(resumeSignal, () => {
      this.carry.paused = false;
    });
    setHandler(statusQuery, () => this.status());
  }

  status(): PipelineStatus {
    const r = this.carry.results;
    const artifacts: Record<string, string> = {};
    for (const key of [
      'sampleUri',
      'profileUri',
      'sensitivityUri',
      'approvedSensitivityUri',
      'modelUri',
      'partsPrefix',
      'qualityUri',
      'dcrUri',
      'evaluationJsonUri',
      'evaluationHtmlUri',
      'testsManifestUri',
      'testResultsUri',
    ] as const) {
      const v = r[key];
      if (v !== undefined) artifacts[key.replace(/Uri$/, '')] = v;
    }
    (r.targetOutputs ?? []).forEach((uri, i) => (artifacts[`target${i}`] = uri));
    return {
      runKey: this.carry.runKey,
      stage: this.state.stage,
      stagesDone: [...this.carry.stagesDone],
      progress: this.state.progress,
      pendingApproval: this.state.pendingApproval,
      paused: this.carry.paused,
      artifacts,
      metrics: this.metrics(),
      approvals: [...this.carry.approvals],
      continuedAsNew: this.carry.continuedAsNew,
    };
  }

  /** Loads one target: files (local or S3), database tables part by part, REST APIs part by part, Salesforce. */
  private async distributeTo(
    i: number,
    target: PipelineConfig['targets'][number],
    label: string,
    totalChunks: number,
    rawConfig: PipelineInput,
  ): Promise<void> {
    const r = this.carry.results;
    const { runKey } = this.carry;
    const partsPrefix = need(r.partsPrefix);
    const outputs = r.targetOutputs as string[];
    const loaded = r.loadedRows as Record<string, number>;
    const reports = r.targetReports as Record<string, TargetReport>;
    const targetId = 'name' in target && target.name !== undefined ? target.name : `targets[${i}]`;
    if (target.type === 'file') {
      if (outputs[i]) return;
      await this.whenRunning();
      if (target.path !== undefined && !patched('targets-v2')) {
        // Histories of runs from before the file, S3 and REST targets replay the export they recorded.
        const format =
          target.format === 'csv' ||
          target.format === 'json' ||
          target.format === 'jsonl' ||
          target.format === 'parquet'
            ? target.format
            : undefined;
        const out = await bulk.exportFile({
          runKey,
          target: { type: 'file', path: target.path, ...(format ? { format } : {}) },
          partsPrefix,
          partCount: totalChunks,
        });
        outputs[i] = out.uri;
        loaded[label] = out.rows;
        reports[label] = { loaded: out.rows, skipped: 0, failed: 0 };
        return;
      }
      const out = await bulk.writeFileTarget({
        runKey,
        targetId,
        target,
        partsPrefix,
        partCount: totalChunks,
      });
      outputs[i] = out.outputs?.[0]?.uri ?? out.target;
      loaded[label] = out.loaded + out.skipped;
      reports[label] = { loaded: out.loaded, skipped: out.skipped, failed: out.failed };
      return;
    }
    if (target.type === 'salesforce') {
      if (outputs[i]) return;
      await this.whenRunning();
      // One synthetic table per run: every object reads it under its own table name.
      const tables = Object.fromEntries(
        target.objects.map((o) => [o.table ?? o.object, { partsPrefix, partCount: totalChunks }]),
      );
      const out = await bulk.loadSalesforceTarget({ runKey, target, tables, field: `targets[${i}]` });
      outputs[i] = out.target;
      loaded[label] = out.totals.loaded + out.totals.skipped;
      reports[label] = { loaded: out.totals.loaded, skipped: out.totals.skipped, failed: out.totals.failed };
      return;
    }
    const report = (reports[label] ??= { loaded: 0, skipped: 0, failed: 0 });
    const parts = r.targetPartsDone as number[];
    if (target.type === 'rest') {
      for (let p = parts[i] ?? 0; p < totalChunks; p++) {
        this.state.progress = { done: p, total: totalChunks, unit: `parts into ${label}` };
        await this.budget(rawConfig);
        await this.whenRunning();
        const out = await bulk.loadRestPart({ runKey, targetId, target, partsPrefix, partIndex: p });
        report.loaded += out.loaded;
        report.skipped += out.skipped;
        report.failed += out.failed;
        parts[i] = p + 1;
      }
      outputs[i] = target.url.split(/[?#]/)[0] ?? target.url;
      loaded[label] = report.loaded + report.skipped;
      return;
    }
    if ((parts[i] ?? 0) === 0) {
      await this.whenRunning();
      await quick.prepareDatabaseTarget({ runKey, target, schema: need(r.schema) });
    }
    for (let p = parts[i] ?? 0; p < totalChunks; p++) {
      this.state.progress = { done: p, total: totalChunks, unit: `parts into ${label}` };
      await this.budget(rawConfig);
      await this.whenRunning();
      const out = await bulk.loadPart({ runKey, target, partsPrefix, partIndex: p });
      report.loaded += out.loadedRows;
      report.skipped += out.skippedRows ?? 0;
      parts[i] = p + 1;
    }
    // The verify step also swaps a replace_swap table in, which can outlast the quick preset's two
    // minutes on a large table; it heartbeats, so it runs with the bulk preset.
    const verify = patched('verify-target-bulk') ? bulk : quick;
    const verified = await verify.verifyDatabaseTarget({ runKey, target });
    loaded[label] = verified.ledgerRows;
    outputs[i] = verified.target;
  }

  private metrics(): PipelineStatus['metrics'] {
    const r = this.carry.results;
    return {
      sampleRows: r.sampleRows,
      columns: r.schema?.length,
      sensitiveColumns: r.sensitiveColumns,
      syntheticRows:
        r.relational !== undefined
          ? totalSyntheticRows(r.relational)
          : r.chunksDone === undefined
            ? undefined
            : Math.min(r.chunksDone * this.config.chunkSize, need(this.config.rows)),
      qualityScore: r.qualityScore,
      exactCopies: r.exactCopies,
      sensitiveRedraws: r.synthSensitiveRedraws,
      sensitiveSampleValues: r.synthSensitiveSampleValues,
      dcr: r.dcr,
      exactCopyRate: r.exactCopyRate,
      leaks: r.leaks,
      leakRowsScanned: r.leakRowsScanned,
      privacyGate: r.privacyGate,
      loadedRows: r.loadedRows,
      targets: r.targetReports,
      tests: r.tests,
      ...(r.relational !== undefined ? { relational: relationalMetrics(r.relational) } : {}),
    };
  }

  private audit(entry: Omit<ApprovalAuditEntry, 'at'>): void {
    this.carry.approvals.push({ ...entry, at: new Date().toISOString() });
  }

  private onApprove(signal: ApproveSignal): void {
    const outcome = this.admit(signal?.gate, signal?.approvalId);
    this.audit({
      gate: String(signal?.gate),
      decision: 'approve',
      by: String(signal?.by ?? 'unknown'),
      approvalId: signal?.approvalId,
      comment: signal?.comment,
      overrides: signal?.overrides,
      outcome,
    });
    if (outcome !== 'applied') return;
    this.carry.decided[signal.gate] = 'approved';
    if (signal.gate === Gate.Sensitivity && signal.overrides?.length)
      this.carry.pendingOverrides = signal.overrides;
  }

  private onReject(signal: RejectSignal): void {
    const outcome = this.admit(signal?.gate, signal?.approvalId);
    this.audit({
      gate: String(signal?.gate),
      decision: 'reject',
      by: String(signal?.by ?? 'unknown'),
      approvalId: signal?.approvalId,
      reason: signal?.reason,
      outcome,
    });
    if (outcome !== 'applied') return;
    this.carry.decided[signal.gate] = 'rejected';
  }

  /** Decides whether a decision signal counts; the reason is audited either way. */
  private admit(gate: unknown, approvalId: string | undefined): ApprovalAuditEntry['outcome'] {
    if (gate !== Gate.Sensitivity && gate !== Gate.Quality && gate !== Gate.Privacy) return 'unknown_gate';
    if (approvalId !== undefined) {
      if (this.carry.seenApprovalIds.includes(approvalId)) return 'duplicate';
      this.carry.seenApprovalIds.push(approvalId);
    }
    if (!this.config.gates[gate].enabled) return 'gate_disabled';
    if (this.carry.decided[gate] !== undefined) return 'late';
    return 'applied';
  }

  /** Waits while paused: nothing new starts until `resume`. */
  async whenRunning(): Promise<void> {
    if (this.carry.paused) await condition(() => !this.carry.paused);
  }

  /** Runs a stage once (skipped when a continued run already finished it) and records its timing. */
  async runStage(stage: Stage, work: () => Promise<void>): Promise<void> {
    if (this.carry.stagesDone.includes(stage)) return;
    await this.whenRunning();
    this.state.stage = stage;
    this.state.progress = undefined;
    const startedAt = this.carry.stageStartedAt ?? new Date().toISOString();
    this.carry.stageStartedAt = startedAt;
    await work();
    const finishedAt = new Date().toISOString();
    this.carry.timings.push({
      stage,
      startedAt,
      finishedAt,
      ms: Date.parse(finishedAt) - Date.parse(startedAt),
    });
    this.carry.stagesDone.push(stage);
    this.carry.stageStartedAt = undefined;
  }

  async gate(gate: Gate, stage: Stage): Promise<void> {
    const gateConfig = this.config.gates[gate];
    await this.runStage(stage, async () => {
      if (!gateConfig.enabled) return;
      this.state.pendingApproval = { gate, since: new Date().toISOString(), timeout: gateConfig.timeout };
      if (gate === Gate.Sensitivity && this.carry.results.sensitivityFields) {
        this.state.pendingApproval.sensitivity = this.carry.results.sensitivityFields;
      }
      const decided = () => this.carry.decided[gate] !== undefined;
      let inTime = true;
      if (gateConfig.timeout === undefined) await condition(decided);
      else inTime = await condition(decided, gateConfig.timeout as Duration);
      this.state.pendingApproval = undefined;
      if (!inTime) {
        throw ApplicationFailure.create({
          message: `Gate "${gate}" was not approved within ${gateConfig.timeout}`,
          type: ErrorType.ApprovalTimeout,
          nonRetryable: true,
        });
      }
      if (this.carry.decided[gate] === 'rejected') {
        // Read from the audit, which survives continue-as-new.
        const decision = this.appliedDecision(gate);
        throw ApplicationFailure.create({
          message: `Gate "${gate}" was rejected by ${decision?.by ?? 'unknown'}`,
          type: ErrorType.ApprovalRejected,
          nonRetryable: true,
          details: [{ gate, by: decision?.by, reason: decision?.reason }],
        });
      }
    });
  }

  /** The decision that counted for a gate. */
  appliedDecision(gate: Gate): ApprovalAuditEntry | undefined {
    return this.carry.approvals.find((a) => a.gate === gate && a.outcome === 'applied');
  }

  /** Counts an activity start; continues as new when this segment's budget is spent. */
  async budget(rawConfig: PipelineInput): Promise<void> {
    if (this.startedThisSegment >= this.config.maxChunksPerRun) {
      this.carry.continuedAsNew += 1;
      await continueAsNew<typeof syntheticDataPipeline>({ ...rawConfig, carry: this.carry });
    }
    this.startedThisSegment += 1;
  }

  /**
   * Generates tests from the scenarios, runs them against the system under test, and reports the
   * results. Failed tests do not fail the run: they are its findings, reported in Jira, Confluence and
   * the run report.
   */
  private async runTestStages(tests: TestsConfig): Promise<void> {
    const { config, carry } = this;
    const r = carry.results;
    const runKey = carry.runKey;
    const databaseTarget = testDatabaseTarget(config, tests);
    await this.runStage(Stage.GenerateTests, async () => {
      const out = await bulk.generateTests({
        runKey,
        seed: config.seed,
        tests,
        databaseTarget,
        profileUri: r.profileUri,
        sensitiveColumns: r.sensitiveColumns,
      });
      r.testsManifestUri = out.manifestUri;
      r.tests = { scenarios: out.scenarios, generated: out.generated };
    });
    await this.runStage(Stage.ExecuteTests, async () => {
      const out = await bulk.executeTests({
        runKey,
        manifestUri: need(r.testsManifestUri),
        tests,
        databaseTarget,
      });
      r.testResultsUri = out.resultsUri;
      r.tests = { ...need(r.tests), ...out.counts };
    });
    await this.runStage(Stage.ReportTests, async () => {
      const out = await bulk.reportTests({
        runKey,
        runName: config.runName,
        manifestUri: need(r.testsManifestUri),
        resultsUri: need(r.testResultsUri),
        report: tests.report,
        qualityScore: r.qualityScore,
        privacyPassed: r.privacyGate?.passed,
        targets: r.targetReports ?? {},
      });
      r.tests = { ...need(r.tests), ...out.metrics };
    });
  }

  /** The stages of a single-table run, from the source file to the tests. */
  private async executeSingleTable(rawConfig: PipelineInput): Promise<void> {
    const { config, carry } = this;
    const r = carry.results;
    const runKey = carry.runKey;
    const source = need(config.source);
    const rows = need(config.rows);

    await this.runStage(Stage.Ingest, async () => {
      const out = await bulk.ingestSource({ runKey, source });
      r.sampleUri = out.sampleUri;
      r.schema = out.schema;
      r.sampleRows = out.rows;
    });
    await this.runStage(Stage.Profile, async () => {
      const out = await bulk.profileSample({ runKey, sampleUri: need(r.sampleUri) });
      r.profileUri = out.profileUri;
    });
    await this.runStage(Stage.Classify, async () => {
      const out = await bulk.classifySample({
        runKey,
        sampleUri: need(r.sampleUri),
        profileUri: need(r.profileUri),
        tableName: sourceTableName(source.uri),
      });
      r.sensitivityUri = out.sensitivityUri;
      r.sensitiveColumns = out.sensitiveColumns;
      r.sensitivityFields = out.fields;
    });
    await this.gate(Gate.Sensitivity, Stage.SensitivityGate);
    await this.runStage(Stage.Fit, async () => {
      let sensitivityUri = need(r.sensitivityUri);
      const overrides = carry.pendingOverrides;
      if (overrides?.length) {
        const approval = this.appliedDecision(Gate.Sensitivity);
        const out = await quick.applySensitivityOverrides({
          runKey,
          sensitivityUri,
          overrides,
          by: approval?.by ?? 'unknown',
          at: approval?.at ?? new Date().toISOString(),
          comment: approval?.comment,
        });
        sensitivityUri = out.sensitivityUri;
        r.approvedSensitivityUri = out.sensitivityUri;
        r.sensitiveColumns = out.sensitiveColumns;
        // Histories recorded before the summary existed return none; keep the classifier's then.
        if (out.fields) r.sensitivityFields = out.fields;
      }
      const out = await bulk.fitModel({
        runKey,
        sampleUri: need(r.sampleUri),
        profileUri: need(r.profileUri),
        sensitivityUri,
        synthesizer: config.synthesizer,
        constraints: config.constraints,
        edgeCases: config.edgeCases,
        conditions: config.conditions,
        // Absent from histories recorded before replacements existed; the activity treats {} as none.
        replacements: config.replacements,
      });
      r.modelUri = out.modelUri;
      r.partsPrefix = out.partsPrefix;
      r.synthesizer = out.synthesizer;
      r.generationUri = out.generationUri;
    });

    const totalChunks = Math.ceil(rows / config.chunkSize);
    await this.runStage(Stage.Synthesize, async () => {
      r.chunksDone ??= 0;
      const inFlight = new Map<number, Promise<void>>();
      let completed = r.chunksDone;
      const doneSet = new Set<number>();
      let next = r.chunksDone;
      this.state.progress = { done: completed, total: totalChunks, unit: 'chunks' };
      while (next < totalChunks) {
        while (inFlight.size >= config.parallelism) await Promise.race(inFlight.values());
        if (this.startedThisSegment >= config.maxChunksPerRun) {
          await Promise.all(inFlight.values());
          r.chunksDone = contiguous(r.chunksDone, doneSet);
        }
        await this.budget(rawConfig);
        await this.whenRunning();
        const k = next++;
        const startRow = k * config.chunkSize;
        const task = bulk
          .synthesizeChunk({
            runKey,
            modelUri: need(r.modelUri),
            partsPrefix: need(r.partsPrefix),
            sampleUri: need(r.sampleUri),
            generationUri: r.generationUri,
            seed: config.seed,
            chunkIndex: k,
            startRow,
            rowCount: Math.min(config.chunkSize, rows - startRow),
            totalRows: rows,
          })
          .then((out) => {
            r.synthExactCopies = (r.synthExactCopies ?? 0) + out.exactCopies;
            r.synthResampledCopies = (r.synthResampledCopies ?? 0) + (out.resampledCopies ?? 0);
            r.synthConstraintFixes = (r.synthConstraintFixes ?? 0) + (out.constraintFixes ?? 0);
            r.synthSensitiveRedraws = (r.synthSensitiveRedraws ?? 0) + (out.sensitiveRedraws ?? 0);
            r.synthSensitiveSampleValues =
              (r.synthSensitiveSampleValues ?? 0) + (out.sensitiveSampleValues ?? 0);
            r.synthEdgeCaseRows = (r.synthEdgeCaseRows ?? 0) + (out.edgeCaseRows ?? 0);
            r.synthRowsChecked = (r.synthRowsChecked ?? 0) + out.rows;
            inFlight.delete(k);
            doneSet.add(k);
            completed += 1;
            r.chunksDone = contiguous(r.chunksDone ?? 0, doneSet);
            this.state.progress = { done: completed, total: totalChunks, unit: 'chunks' };
          });
        inFlight.set(k, task);
      }
      await Promise.all(inFlight.values());
      r.chunksDone = totalChunks;
    });

    await this.runStage(Stage.Evaluate, async () => {
      const out = await bulk.evaluateQuality({
        runKey,
        sampleUri: need(r.sampleUri),
        profileUri: need(r.profileUri),
        sensitivityUri: need(r.approvedSensitivityUri ?? r.sensitivityUri),
        partsPrefix: need(r.partsPrefix),
        partCount: totalChunks,
        exactCopies: r.synthExactCopies ?? 0,
        rowsChecked: r.synthRowsChecked ?? 0,
        chunkSize: config.chunkSize,
        sensitiveRedraws: r.synthSensitiveRedraws ?? 0,
        sensitiveSampleValues: r.synthSensitiveSampleValues ?? 0,
        qualityThreshold: config.gates.quality.threshold,
        privacyThresholds: privacyThresholdsOf(config),
        approvals: carry.approvals,
      });
      r.qualityUri = out.qualityUri;
      r.qualityScore = out.score;
      r.exactCopies = out.exactCopies;
      r.dcr = out.dcr;
      r.dcrUri = out.dcrUri;
      // Absent from evaluations recorded before the privacy gate existed: those runs never wait at it.
      r.evaluationJsonUri = out.evaluationJsonUri;
      r.evaluationHtmlUri = out.evaluationHtmlUri;
      r.exactCopyRate = out.exactCopyRate;
      r.leaks = out.leaks;
      r.leakRowsScanned = out.leakRowsScanned;
      r.privacyGate = out.privacyGate;
    });
    if ((r.qualityScore ?? 0) < config.gates.quality.threshold) {
      await this.gate(Gate.Quality, Stage.QualityGate);
    }
    if (r.privacyGate?.passed === false && patched('privacy-gate')) {
      await this.gate(Gate.Privacy, Stage.PrivacyGate);
    }

    await this.runStage(Stage.Distribute, async () => {
      r.targetPartsDone ??= config.targets.map(() => 0);
      r.loadedRows ??= {};
      r.targetOutputs ??= config.targets.map(() => '');
      r.targetReports ??= {};
      for (const [i, target] of config.targets.entries()) {
        const label = targetLabel(i, target);
        if (r.targetReports[label]?.error !== undefined) continue;
        const started = Date.now();
        try {
          await this.distributeTo(i, target, label, totalChunks, rawConfig);
        } catch (err) {
          const error = targetFailureMessage(err, config.stopOnTargetFailure);
          r.targetReports[label] = {
            ...(r.targetReports[label] ?? { loaded: 0, skipped: 0, failed: 0 }),
            durationMs: Date.now() - started,
            error,
          };
          continue;
        }
        const report = r.targetReports[label];
        if (report) report.durationMs = (report.durationMs ?? 0) + Date.now() - started;
      }
    });

    // Old histories have no tests section, so they never reach patched() here and replay unchanged.
    if (config.tests !== undefined && patched('test-stages')) await this.runTestStages(config.tests);
  }

  async execute(rawConfig: PipelineInput): Promise<PipelineOutput> {
    const { config, carry } = this;
    const r = carry.results;
    const runKey = carry.runKey;

    // Histories of runs from before relational runs have no `relational` section and never reach patched().
    if (config.relational !== undefined && patched('relational-runs'))
      await runRelationalStages(this, config, config.relational, rawConfig);
    else await this.executeSingleTable(rawConfig);

    let reportArtifacts: Record<string, string> = {};
    await this.runStage(Stage.Report, async () => {
      const out = await quick.writeRunReport({
        runKey,
        runName: config.runName,
        config: rawConfig,
        results: r,
        timings: carry.timings,
        approvals: carry.approvals,
        continuedAsNew: carry.continuedAsNew,
      });
      reportArtifacts = out.artifacts;
    });
    this.state.stage = Stage.Done;
    this.state.progress = undefined;
    const status = this.status();
    return {
      runKey,
      status: 'completed',
      artifacts: { ...status.artifacts, ...reportArtifacts },
      metrics: status.metrics,
      timings: carry.timings,
      approvals: carry.approvals,
    };
  }
}

/** The database target the tests use: the configured index, else the first database target. */
function testDatabaseTarget(config: PipelineConfig, tests: TestsConfig): DatabaseTargetConfig | undefined {
  const index = tests.environment.databaseTarget ?? config.targets.findIndex((t) => t.type === 'database');
  const target = config.targets[index];
  return target?.type === 'database' ? target : undefined;
}

/** Chunks done from the start without a gap: what a continued run can safely skip. */
function contiguous(from: number, done: Set<number>): number {
  let k = from;
  while (done.has(k)) k++;
  return k;
}

/** The source file's base name without extension (`examples/customers.csv` → `customers`), for data dictionaries. */
function sourceTableName(uri: string): string {
  const file = uri.split(/[\\/]/).pop() ?? uri;
  return file.replace(/\.[^.]*$/, '') || 'sample';
}
