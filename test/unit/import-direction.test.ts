import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

// Real file paths, so the typed-lint project service accepts them; the text linted is the probe's.
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import direction (design.md), enforced by ESLint', () => {
  it('workflow code cannot import Node built-ins, activities (except types), integrations or the worker SDK', async () => {
    const messages = await restrictedImports(
      'workflows/index.ts',
      [
        "import fs from 'node:fs';",
        "import { createPipelineActivities } from '../activities/index.js';",
        "import { createDatabaseTarget } from '../integrations/database/index.js';",
        "import { Worker } from '@temporalio/worker';",
        'export const all = [fs, createPipelineActivities, createDatabaseTarget, Worker];',
      ].join('\n'),
    );
    expect(messages).toHaveLength(4);
  });

  it('workflow code may import types from activities', async () => {
    const messages = await restrictedImports(
      'workflows/index.ts',
      "import type { PipelineActivities } from '../activities/index.js';\nexport type A = PipelineActivities;\n",
    );
    expect(messages).toEqual([]);
  });

  it('core imports nothing of ours but core, and integrations never import Temporal', async () => {
    expect(
      await restrictedImports(
        'core/table.ts',
        "import { x } from '../integrations/storage/index.js';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'integrations/tabular/export-parts.ts',
        "import { heartbeat } from '@temporalio/activity';\nexport const y = heartbeat;\n",
      ),
    ).toHaveLength(1);
  });
});
