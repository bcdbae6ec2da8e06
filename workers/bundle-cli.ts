/** Build step: writes the workflow bundle to dist/workflow-bundle.js so workers start without webpack. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsEntryPath } from './bundle.js';

const out = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
const { code } = await bundleWorkflowCode({ workflowsPath: workflowsEntryPath() });
await writeFile(out, code);
console.log(`workflow bundle written to ${out}`);
