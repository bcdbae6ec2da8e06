/**
 * The workspace generated tests run in: a directory of their own with the test files, a `node_modules`
 * link to the project's (so `@playwright/test`, `vitest` and `knex` resolve) and a `package.json` of
 * its own, so that no project configuration (vitest config, global setup, tsconfig) is picked up.
 */
import { lstat, mkdir, readlink, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedTest } from '../../core/testing/types.js';

/** Where a prepared workspace keeps things. */
export interface Workspace {
  workDir: string;
  /** The test files, one per generated test, under their `fileName`. */
  testsDir: string;
  /** Runner configuration (one directory per test). */
  configRoot: string;
}

/** File names a test may have: one path segment of ordinary characters, not hidden. */
const SAFE_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

/** Why a generated file name cannot be used, or undefined when it is fine. */
export function checkTestFileName(fileName: string): string | undefined {
  if (!SAFE_FILE_NAME.test(fileName) || fileName.includes('..'))
    return 'the test file name is not a plain file name (letters, digits, . _ - @ + only)';
  return undefined;
}

/** A directory name for a test id (ids are meant to be safe already; this makes sure). */
export function safeDirName(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_.@+-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length > 0 ? cleaned.slice(0, 150) : '_';
}

/**
 * Creates the workspace and writes the test files (those with a usable name); an existing `node_modules`
 * link is pointed at `nodeModulesDir`, a real `node_modules` directory is left alone.
 */
export async function prepareWorkspace(
  workDir: string,
  tests: readonly GeneratedTest[],
  nodeModulesDir: string,
): Promise<Workspace> {
  const root = path.resolve(workDir);
  const testsDir = path.join(root, 'tests');
  const configRoot = path.join(root, '.runner');
  await mkdir(testsDir, { recursive: true });
  await mkdir(configRoot, { recursive: true });
  await linkNodeModules(path.join(root, 'node_modules'), nodeModulesDir);
  await writeFile(
    path.join(root, 'package.json'),
    `${JSON.stringify({ name: 'understudy-generated-tests', private: true, type: 'module' }, null, 2)}\n`,
  );
  const written = new Set<string>();
  for (const test of tests) {
    if (test.skipReason !== undefined || checkTestFileName(test.fileName) !== undefined) continue;
    // The first test of a name keeps it; the runner reports later ones as errors.
    if (written.has(test.fileName)) continue;
    written.add(test.fileName);
    await writeFile(path.join(testsDir, test.fileName), test.content);
  }
  return { workDir: root, testsDir, configRoot };
}

async function linkNodeModules(link: string, target: string): Promise<void> {
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    if ((await readlink(link)) === target) return;
    await unlink(link);
  } else if (existing) {
    return;
  }
  await symlink(target, link, 'dir');
}
