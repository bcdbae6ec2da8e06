/** Per-file setup shared by the database target tests: the servers, a SQLite directory, targets closed at the end. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject, type TestContext } from 'vitest';
import { createDatabaseTarget, type DatabaseTarget } from '../../integrations/database/index.js';
import { useTestDatabases, type TestDatabases } from './databases.js';

/** The dialects a test can run against. */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/** What {@link useDialectTargets} gives a test file. */
export interface DialectTargets {
  /** The URL for a dialect; skips the test, saying why, when MariaDB is not installed. */
  urlFor(dialect: DialectName, ctx: TestContext): string;
  /** Opens a target that is closed after the file's tests. */
  open(url: string): DatabaseTarget;
  /** Runs `stop` after the file's tests, before the servers stop. */
  onTeardown(stop: () => Promise<unknown>): void;
}

/** Registers beforeAll/afterAll hooks for a database test file; SQLite lives in `sqliteFile` in a temp dir. */
export function useDialectTargets(sqliteFile: string): DialectTargets {
  let dbs: TestDatabases;
  let sqliteDir: string;
  const teardown: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    dbs = await useTestDatabases({ postgresUrl: inject('postgresUrl'), mariadbUrl: inject('mariadbUrl') });
    if (dbs.skipReason) console.warn(`MariaDB cases skipped: ${dbs.skipReason}`);
    sqliteDir = await mkdtemp(path.join(os.tmpdir(), 'understudy-sqlite-'));
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(teardown.map((stop) => stop()));
    await dbs?.stop();
    if (sqliteDir) await rm(sqliteDir, { recursive: true, force: true });
  });

  return {
    urlFor(dialect, ctx) {
      if (dialect === 'sqlite') return `sqlite://${path.join(sqliteDir, sqliteFile)}`;
      if (dialect === 'postgres') return dbs.postgresUrl;
      if (!dbs.mariadbUrl) ctx.skip(`MariaDB not available: ${dbs.skipReason ?? 'unknown reason'}`);
      return dbs.mariadbUrl!;
    },
    open(url) {
      const target = createDatabaseTarget(url);
      teardown.push(() => target.close());
      return target;
    },
    onTeardown(stop) {
      teardown.push(stop);
    },
  };
}
