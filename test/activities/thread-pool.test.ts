/**
 * The pool threads that run chunks and fits off the activity's thread: a fit on a thread gives the same
 * model as one in-process, domain errors cross the thread boundary with their class, field and location
 * (so they still fail the run once, naming the place), and a thread sees the environment as it is now.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadPool } from '../../activities/threads/thread-pool.js';
import type { FitTask } from '../../activities/threads/fit-task.js';
import { ConfigError, DataError } from '../../core/errors.js';
import { classifyTable } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import { fitTableSynthesizerWithChoice } from '../../core/synthesizer/index.js';
import type { Table } from '../../core/table.js';
import { readTableFile, writeTableFile } from '../../integrations/tabular/index.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('thread pool: fits', () => {
  const pool = new ThreadPool(1);
  let work: string;
  let sample: Table;
  let samplePath: string;
  let task: FitTask;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'understudy-threads-'));
    sample = await readTableFile(path.join(repoRoot, 'examples/customers.csv'), 'csv', { maxRows: 800 });
    samplePath = path.join(work, 'sample.parquet');
    await writeTableFile(sample, samplePath, 'parquet');
    const profile = profileTable(sample);
    // A fixed "now", so the classification does not depend on the day the test runs.
    const sensitivity = classifyTable(sample, profile, { asOfMs: Date.UTC(2026, 0, 1) });
    task = {
      samplePath,
      sampleUri: 'sample.parquet',
      profile,
      sensitivity,
      synthesizer: 'copula',
      constraints: [],
      conditions: [],
    };
  });

  afterAll(async () => {
    await pool.close();
    await rm(work, { recursive: true, force: true });
  });

  it('fits on a thread the same model as in-process, from the sample file', async () => {
    const { model, plan } = await pool.run('fit', task);
    const local = fitTableSynthesizerWithChoice(sample, task.profile, task.sensitivity, {
      synthesizer: 'copula',
    }).model;
    expect(JSON.parse(JSON.stringify(model))).toEqual(JSON.parse(JSON.stringify(local)));
    expect(plan).toBeUndefined();
  });

  it('returns the checked generation plan when the run has constraints', async () => {
    const { plan } = await pool.run('fit', {
      ...task,
      constraints: [{ kind: 'positive', column: 'age' }],
    });
    expect(plan).toEqual({ constraints: [{ kind: 'positive', column: 'age' }], edgeCases: null });
  });

  it('a ConfigError keeps its class and field across the thread, and its message names the field once', async () => {
    const err = await pool
      .run('fit', { ...task, constraints: [{ kind: 'positive', column: 'agee' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const config = err as ConfigError;
    expect(config.field).toBe('constraints[0].column');
    expect(config.message.startsWith('constraints[0].column: ')).toBe(true);
    expect(config.message.indexOf('constraints[0].column', 1)).toBe(-1);
  });

  it('a DataError keeps its class and location across the thread, and its message names them once', async () => {
    const dupPath = path.join(work, 'dup.parquet');
    const dup: Table = {
      rowCount: 3,
      columns: [{ name: 'id', type: 'integer', values: [1, 2, 1] } as Table['columns'][number]],
    };
    await writeTableFile(dup, dupPath, 'parquet');
    const table = await readTableFile(dupPath, 'parquet');
    const err = await pool
      .run('fitRelational', {
        metadata: { tables: { t: { primaryKey: 'id' } } },
        tables: {
          t: {
            samplePath: dupPath,
            sampleUri: 'dup.parquet',
            profile: profileTable(table),
            sensitivity: classifyTable(table, profileTable(table), { asOfMs: Date.UTC(2026, 0, 1) }),
          },
        },
        synthesizer: 'copula',
        orphans: 'error',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    const data = err as DataError;
    expect(data.location).toEqual({ row: 3, column: 'id' });
    expect(data.message.startsWith('row 3, column id: table "t"')).toBe(true);
    expect(data.message.indexOf('row 3', 1)).toBe(-1);
  });

  it('reads the environment as it is when the task runs, not when the thread started', async () => {
    const name = 'UNDERSTUDY_PSEUDONYM_KEY_THREADTEST';
    const replacements = { email: { strategy: 'pseudonymize', key: 'threadtest' } };
    delete process.env[name];
    // The thread exists now; the key is not set yet.
    await expect(pool.run('fit', { ...task, replacements })).rejects.toMatchObject({
      field: 'replacements.email.key',
    });
    process.env[name] = 'a-key-set-after-the-thread-started';
    try {
      const { plan } = await pool.run('fit', { ...task, replacements });
      expect(plan?.replacements?.['email']).toMatchObject({ strategy: 'pseudonymize', key: 'threadtest' });
    } finally {
      delete process.env[name];
    }
  });
});
