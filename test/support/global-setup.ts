/**
 * One Temporal dev server, one PostgreSQL and (when installed) one MariaDB for the whole test run;
 * test files reach them through `inject()`. Also bundles the workflows once.
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../workers/dev-server.js';
import { workflowsEntryPath } from '../../workers/bundle.js';
import { startMariaDb, startPostgres, type RunningDatabase } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    postgresUrl: string;
    mariadbUrl: string;
  }
}

let temporal: DevServer | undefined;
let postgres: RunningDatabase | undefined;
let mariadb: RunningDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-test-'));
  const [server, bundle, pg, maria] = await Promise.all([
    startDevServer({ headless: true, logFile: path.join(dir, 'temporal.log') }),
    bundleWorkflowCode({ workflowsPath: workflowsEntryPath(), logger: silent }),
    startPostgres(),
    startMariaDb(),
  ]);
  temporal = server;
  postgres = pg;
  mariadb = maria;
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('postgresUrl', pg.url);
  project.provide('mariadbUrl', maria?.url ?? '');
}

export async function teardown(): Promise<void> {
  await Promise.allSettled([temporal?.stop(), postgres?.stop(), mariadb?.stop()]);
}

const noop = () => {};
const silent = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
