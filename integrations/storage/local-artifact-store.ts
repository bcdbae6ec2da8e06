import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat as statPath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError, DataError } from '../../core/errors.js';
import { ArtifactNotFoundError } from './errors.js';
import type { ArtifactRef, ArtifactStore, FileDigest } from './port.js';
import { stringifyStable } from './stable-json.js';

/** Prefix of in-flight temporary files; listings skip them so readers never see half-written artifacts. */
export const TEMP_FILE_PREFIX = '.tmp-';

/** An artifact store rooted at a local directory (created on first write). */
export function createLocalArtifactStore(rootDir: string): ArtifactStore {
  const rootPath = resolve(rootDir);
  const root = withTrailingSlash(pathToFileURL(rootPath).href);

  const localPath = (uri: string): string => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new ConfigError(`not a valid artifact URI: ${JSON.stringify(uri)}`, 'uri');
    }
    if (url.protocol !== 'file:') {
      throw new ConfigError(
        `URI scheme ${url.protocol} is not served by the local artifact store at ${root}`,
        'uri',
      );
    }
    let path: string;
    try {
      path = resolve(fileURLToPath(url));
    } catch (cause) {
      // fileURLToPath refuses encoded separators and remote hosts: both are attempts to leave the root.
      throw new ConfigError(`URI ${uri} does not name a local file`, 'uri', { cause });
    }
    if (path !== rootPath && !path.startsWith(rootPath.endsWith(sep) ? rootPath : rootPath + sep)) {
      throw new ConfigError(`URI ${uri} lies outside the artifact store root ${root}`, 'uri');
    }
    return path;
  };

  const uriFor = (...segments: string[]): string => {
    const parts: string[] = [];
    for (const segment of segments) {
      if (segment.includes('\0'))
        throw new ConfigError('artifact path segment contains a NUL character', 'uri');
      if (segment.includes('\\')) throw new ConfigError('artifact path segment contains a backslash', 'uri');
      if (isAbsolute(segment))
        throw new ConfigError(`artifact path segment ${JSON.stringify(segment)} is absolute`, 'uri');
      for (const part of segment.split('/')) {
        if (part === '' || part === '.' || part === '..') {
          throw new ConfigError(
            `artifact path segment ${JSON.stringify(segment)} is empty or a relative step`,
            'uri',
          );
        }
        parts.push(part);
      }
    }
    if (parts.length === 0) throw new ConfigError('an artifact URI needs at least one path segment', 'uri');
    const uri = pathToFileURL(join(rootPath, ...parts)).href;
    localPath(uri);
    return uri;
  };

  const atomicWrite = async (
    uri: string,
    write: (tmpPath: string) => Promise<void | FileDigest>,
    describe: (tmpPath: string) => Promise<ArtifactRef>,
  ): Promise<ArtifactRef> => {
    const target = localPath(uri);
    const dir = dirname(target);
    await mkdir(dir, { recursive: true });
    // The random part keeps concurrent attempts (at-least-once activities) from sharing a temp file;
    // keeping the real name last preserves its extension for tools that infer compression from it.
    const tmpPath = join(dir, `${TEMP_FILE_PREFIX}${randomBytes(6).toString('hex')}-${basename(target)}`);
    try {
      const digest = await write(tmpPath);
      const handle = await open(tmpPath, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const ref = digest ? { uri, ...digest } : await describe(tmpPath);
      await rename(tmpPath, target);
      await syncDirectory(dir);
      return ref;
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
  };

  const putBytes = (uri: string, data: Uint8Array | string): Promise<ArtifactRef> => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return atomicWrite(
      uri,
      async (tmpPath) => {
        const handle = await open(tmpPath, 'wx');
        try {
          await handle.writeFile(bytes);
        } finally {
          await handle.close();
        }
      },
      async () => ({
        uri,
        bytes: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }),
    );
  };

  const getBytes = async (uri: string): Promise<Buffer> => {
    try {
      return await readFile(localPath(uri));
    } catch (error) {
      if (isMissing(error)) throw new ArtifactNotFoundError(uri, { cause: error });
      throw error;
    }
  };

  const stat = async (uri: string): Promise<ArtifactRef | undefined> => {
    const path = localPath(uri);
    try {
      const info = await statPath(path);
      if (!info.isFile()) return undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return describeFile(uri, path);
  };

  return {
    root,
    uriFor,
    localPath,
    localCopy: async (uri) => {
      const path = localPath(uri);
      if (!(await isFile(path))) throw new ArtifactNotFoundError(uri);
      return path;
    },
    putBytes,
    putJson: (uri, value) => putBytes(uri, stringifyStable(value)),
    getBytes,
    getJson: async <T>(uri: string): Promise<T> => {
      const text = (await getBytes(uri)).toString('utf8');
      try {
        return JSON.parse(text) as T;
      } catch {
        // The parser's message quotes content; the artifact may hold personal data, so name only the URI.
        throw new DataError('artifact is not valid JSON', { file: uri });
      }
    },
    exists: async (uri) => isFile(localPath(uri)),
    stat,
    list: async (prefixUri) => {
      const prefixPath = localPath(prefixUri);
      // S3 semantics: the prefix is a string prefix, so walk from the directory that contains it.
      const isDirectoryPrefix = prefixUri.endsWith('/') || prefixPath === rootPath;
      const prefixHref = pathToFileURL(prefixPath).href;
      const prefix = isDirectoryPrefix ? withTrailingSlash(prefixHref) : prefixHref;
      const files = await walkFiles(isDirectoryPrefix ? prefixPath : dirname(prefixPath));
      return files
        .map((path) => pathToFileURL(path).href)
        .filter((uri) => uri.startsWith(prefix))
        .sort();
    },
    writeWith: (uri, write) => atomicWrite(uri, write, (tmpPath) => describeFile(uri, tmpPath)),
  };
}

async function describeFile(uri: string, path: string): Promise<ArtifactRef> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    hash.update(buf);
    bytes += buf.byteLength;
  }
  return { uri, bytes, sha256: hash.digest('hex') };
}

async function walkFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(TEMP_FILE_PREFIX)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walkFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function syncDirectory(dir: string): Promise<void> {
  // Without this the rename itself may not survive a power loss; some platforms cannot open directories.
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort only: the data file itself is already fsynced.
  } finally {
    await handle?.close();
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await statPath(path)).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function withTrailingSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
