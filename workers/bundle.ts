/** Locating and bundling the workflow code (workflows/index.ts in source, .js once built). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Path of the workflow bundle entry, whether running from TypeScript source or from dist/. */
export function workflowsEntryPath(): string {
  for (const ext of ['.ts', '.js']) {
    const p = fileURLToPath(new URL(`../workflows/index${ext}`, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('workflows/index.ts (or .js) not found next to workers/');
}

/** Bundles the workflows (a few seconds), or loads a pre-built bundle when a path is given. */
export async function loadWorkflowBundle(prebuiltPath?: string): Promise<WorkflowBundleWithSourceMap> {
  if (prebuiltPath)
    return { code: await readFile(prebuiltPath, 'utf8'), sourceMap: '' } as WorkflowBundleWithSourceMap;
  return bundleWorkflowCode({ workflowsPath: workflowsEntryPath(), logger: quietLogger });
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
