/**
 * Resolution of file-target paths inside the operator's output root: relative paths only, no `..`
 * step out of the root, and no symlink (in any parent directory or at the file itself) leading out.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../core/errors.js';

/** Where a file target's output goes: the final path, whose parent directory exists and lies inside the root. */
export interface ResolvedOutputPath {
  /** Absolute path of the output file (its parent is canonical: symlinks resolved). */
  path: string;
  /** The output root, canonical. */
  root: string;
}

/**
 * Resolves `target` against `outputRoot`, creates its parent directories, and checks with `realpath`
 * that the parent really is inside the root; `field` names the config field in every error.
 */
export async function resolveOutputFile(
  outputRoot: string,
  target: string,
  field = 'targets[].path',
): Promise<ResolvedOutputPath> {
  if (target.includes('\0')) throw new ConfigError('contains a NUL character', field);
  if (path.isAbsolute(target) || /^[a-zA-Z]:[\\/]/.test(target)) {
    throw new ConfigError('must be a path relative to the output directory (UNDERSTUDY_OUTPUT_DIR)', field);
  }
  const segments = target.split(/[\\/]/);
  if (segments.includes('..')) throw new ConfigError('must not contain ".." steps', field);
  const name = segments[segments.length - 1] ?? '';
  if (name === '' || name === '.') throw new ConfigError('must name a file, not a directory', field);

  await mkdir(outputRoot, { recursive: true });
  const root = await realpath(outputRoot);
  const lexical = path.resolve(root, target);
  if (!isInside(root, lexical)) throw new ConfigError('leaves the output directory', field);

  // A symlinked directory anywhere on the way would let mkdir create, and the writer write, outside the root;
  // check the deepest existing ancestor before creating anything, then the created parent itself.
  const parent = path.dirname(lexical);
  const existing = await deepestExisting(parent);
  if (!isInside(root, await realpath(existing)))
    throw new ConfigError('leads out of the output directory through a symbolic link', field);
  await mkdir(parent, { recursive: true });
  const realParent = await realpath(parent);
  if (!isInside(root, realParent))
    throw new ConfigError('leads out of the output directory through a symbolic link', field);

  const file = path.join(realParent, path.basename(lexical));
  try {
    const info = await lstat(file);
    if (info.isSymbolicLink())
      throw new ConfigError('names a symbolic link; refusing to write through it', field);
    if (info.isDirectory()) throw new ConfigError('names a directory, not a file', field);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { path: file, root };
}

function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function deepestExisting(dir: string): Promise<string> {
  let current = dir;
  for (;;) {
    try {
      await lstat(current);
      return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const up = path.dirname(current);
      if (up === current) return current;
      current = up;
    }
  }
}
