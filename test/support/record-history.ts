/** Saves a finished run's history for test/replay (tests call it when UNDERSTUDY_RECORD_HISTORY=1, after an intended change). */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';
import { findTemporalCli } from '../../workers/dev-server.js';

const historiesDir = path.resolve(import.meta.dirname, '../replay/histories');

/** Writes the history of `workflowId` as `test/replay/histories/<name>.json`, in the Temporal CLI's JSON. */
export async function recordHistory(workflowId: string, name: string): Promise<void> {
  const shown = spawnSync(
    findTemporalCli() ?? 'temporal',
    [
      'workflow',
      'show',
      '--address',
      inject('temporalAddress'),
      '--workflow-id',
      workflowId,
      '--output',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (shown.status !== 0) throw new Error(`temporal workflow show failed: ${shown.stderr}`);
  await writeFile(
    path.join(historiesDir, `${name}.json`),
    JSON.stringify(JSON.parse(shown.stdout), null, 1) + '\n',
  );
}

/** Whether this test run records histories (set UNDERSTUDY_RECORD_HISTORY=1). */
export const recordingHistories = process.env.UNDERSTUDY_RECORD_HISTORY === '1';
