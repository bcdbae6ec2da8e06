import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';

const dir = path.resolve(import.meta.dirname, 'histories');

describe('replay of committed histories', () => {
  it('replays every history under test/replay/histories without nondeterminism', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(expect.arrayContaining(['approval-pause.json', 'happy-path.json']));
    async function* histories() {
      for (const f of files) {
        yield {
          workflowId: f.replace(/\.json$/, ''),
          history: JSON.parse(await readFile(path.join(dir, f), 'utf8')) as unknown,
        };
      }
    }
    const results: { id: string; error?: unknown }[] = [];
    for await (const r of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories(),
    )) {
      results.push({ id: r.workflowId, error: r.error });
    }
    expect(results.map((r) => r.id)).toEqual(files.map((f) => f.replace(/\.json$/, '')));
    for (const r of results) expect(r.error, `history ${r.id}`).toBeUndefined();
  });
});
