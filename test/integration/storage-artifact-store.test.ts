import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import {
  ArtifactNotFoundError,
  createArtifactStore,
  createLocalArtifactStore,
  type ArtifactStore,
} from '../../integrations/storage/index.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function allEntries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

describe('local artifact store', () => {
  let rootDir: string;
  let store: ArtifactStore;

  beforeEach(async () => {
    rootDir = await mkdtemp(path.join(os.tmpdir(), 'understudy-store-'));
    store = createLocalArtifactStore(rootDir);
  });

  it('addresses artifacts by file:// URIs below the root', () => {
    expect(store.root).toBe(`${pathToFileURL(rootDir).href}/`);
    const uri = store.uriFor('runs', 'run-1', 'profile.json');
    expect(uri).toBe(`${store.root}runs/run-1/profile.json`);
    expect(store.uriFor('runs/run-1', 'profile.json')).toBe(uri);
    expect(store.localPath(uri)).toBe(path.join(rootDir, 'runs', 'run-1', 'profile.json'));
    // Names with spaces and non-ASCII characters survive the URI round trip.
    const odd = store.uriFor('runs', 'a b', 'Zoë #1.json');
    expect(store.localPath(odd)).toBe(path.join(rootDir, 'runs', 'a b', 'Zoë #1.json'));
  });

  it.each([
    ['..', ['runs', '..', 'x']],
    ['.. inside a segment path', ['runs/../../etc/passwd']],
    ['absolute segment', ['/etc/passwd']],
    ['NUL', ['runs', 'a\0b']],
    ['empty segment', ['runs', '']],
    ['backslash', ['runs', '..\\x']],
    ['no segment', []],
  ])('uriFor rejects %s with a ConfigError', (_label, segments) => {
    expect(() => store.uriFor(...segments)).toThrow(ConfigError);
  });

  it.each([
    ['a path outside the root', () => pathToFileURL('/etc/passwd').href],
    ['a dot-dot escape', () => `${pathToFileURL(rootDir).href}/../escape.txt`],
    ['an encoded dot-dot escape', () => `${pathToFileURL(rootDir).href}/%2e%2e/escape.txt`],
    ['an encoded slash', () => `${pathToFileURL(rootDir).href}/a%2F..%2F..%2Fx`],
    ['a sibling directory sharing the prefix', () => `${pathToFileURL(rootDir).href}-evil/x`],
    ['another scheme', () => 's3://bucket/key'],
    ['not a URI', () => 'runs/x'],
  ])('localPath rejects %s with a ConfigError', (_label, make) => {
    expect(() => store.localPath(make())).toThrow(ConfigError);
  });

  it('writes atomically, reports size and checksum, overwrites, and leaves no temp files', async () => {
    const uri = store.uriFor('runs', 'r', 'data.bin');
    const first = await store.putBytes(uri, 'hello');
    expect(first).toEqual({ uri, bytes: 5, sha256: sha('hello') });
    const second = await store.putBytes(uri, Buffer.from([1, 2, 3]));
    expect(second).toEqual({ uri, bytes: 3, sha256: sha(Buffer.from([1, 2, 3])) });
    expect(await store.getBytes(uri)).toEqual(Buffer.from([1, 2, 3]));
    expect(await store.stat(uri)).toEqual(second);
    expect(await store.exists(uri)).toBe(true);
    expect(await allEntries(rootDir)).toEqual([
      'runs',
      path.join('runs', 'r'),
      path.join('runs', 'r', 'data.bin'),
    ]);
  });

  it('never exposes a torn file under concurrent writers of the same URI', async () => {
    const uri = store.uriFor('race.txt');
    const bodies = Array.from({ length: 16 }, (_, i) => String(i).repeat(100_000 + i));
    await Promise.all(bodies.map((b) => store.putBytes(uri, b)));
    const final = (await store.getBytes(uri)).toString();
    expect(bodies).toContain(final);
    expect(await allEntries(rootDir)).toEqual(['race.txt']);
  });

  it('writes stable JSON whatever the key order', async () => {
    const a = await store.putJson(store.uriFor('a.json'), { b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } });
    const b = await store.putJson(store.uriFor('b.json'), { a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 });
    expect(a.sha256).toBe(b.sha256);
    const text = (await store.getBytes(a.uri)).toString();
    expect(text).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      1,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
    expect(await store.getJson(a.uri)).toEqual({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 });
  });

  it('reports missing artifacts and non-JSON content without quoting it', async () => {
    const missing = store.uriFor('nope.json');
    await expect(store.getBytes(missing)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(store.getJson(missing)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(store.localCopy(missing)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    expect(await store.exists(missing)).toBe(false);
    expect(await store.stat(missing)).toBeUndefined();
    const broken = store.uriFor('broken.json');
    await store.putBytes(broken, '{"ssn": "123-45-6789"');
    const error = await store.getJson(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain(broken);
    expect((error as Error).message).not.toContain('123-45-6789');
  });

  it('lists by string prefix like S3, sorted, skipping in-flight temp files', async () => {
    for (const name of ['part-000002.parquet', 'part-000000.parquet', 'part-000001.parquet', 'model.json']) {
      await store.putBytes(store.uriFor('runs', 'r1', name), name);
    }
    await store.putBytes(store.uriFor('runs', 'r1', 'nested', 'x.txt'), 'x');
    await store.putBytes(store.uriFor('runs', 'r10', 'y.txt'), 'y');
    await writeFile(path.join(rootDir, 'runs', 'r1', '.tmp-abc-part-000003.parquet'), 'half');
    const parts = await store.list(`${store.root}runs/r1/part-`);
    expect(parts).toEqual([0, 1, 2].map((k) => store.uriFor('runs', 'r1', `part-00000${k}.parquet`)));
    const dir = await store.list(`${store.root}runs/r1/`);
    expect(dir).toEqual(
      ['model.json', 'nested/x.txt', 'part-000000.parquet', 'part-000001.parquet', 'part-000002.parquet'].map(
        (n) => `${store.root}runs/r1/${n}`,
      ),
    );
    // Without the trailing slash the prefix also matches r10, as in S3.
    expect(await store.list(`${store.root}runs/r1`)).toHaveLength(6);
    expect(await store.list(store.root)).toHaveLength(6);
    expect(await store.list(`${store.root}missing/`)).toEqual([]);
  });

  it('writeWith lets a tool produce the file and renames it into place', async () => {
    const uri = store.uriFor('runs', 'r', 'out.csv.gz');
    let seen = '';
    const ref = await store.writeWith(uri, async (tmpPath) => {
      seen = tmpPath;
      await writeFile(tmpPath, 'a,b\n1,2\n');
    });
    expect(path.dirname(seen)).toBe(path.dirname(store.localPath(uri)));
    expect(seen.endsWith('.csv.gz')).toBe(true); // tools that infer compression from the name see the real extension
    expect(ref).toEqual({ uri, bytes: 8, sha256: sha('a,b\n1,2\n') });
    expect(await readFile(store.localPath(uri), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('writeWith takes the digest from a writer that returns one', async () => {
    const uri = store.uriFor('runs', 'r', 'digested.bin');
    const ref = await store.writeWith(uri, async (tmpPath) => {
      await writeFile(tmpPath, 'xyz');
      return { bytes: 3, sha256: sha('xyz') };
    });
    expect(ref).toEqual({ uri, bytes: 3, sha256: sha('xyz') });
    expect(await store.stat(uri)).toEqual(ref);
  });

  it('writeWith keeps the previous artifact and cleans up when the tool fails', async () => {
    const uri = store.uriFor('keep.txt');
    await store.putBytes(uri, 'old');
    await expect(
      store.writeWith(uri, async (tmpPath) => {
        await writeFile(tmpPath, 'partial');
        throw new Error('tool crashed');
      }),
    ).rejects.toThrow('tool crashed');
    await expect(store.writeWith(uri, async () => undefined)).rejects.toThrow(); // the tool wrote nothing
    expect((await store.getBytes(uri)).toString()).toBe('old');
    expect(await allEntries(rootDir)).toEqual(['keep.txt']);
  });
});

describe('createArtifactStore', () => {
  it('accepts file:// URIs and plain (also relative) paths', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-store-'));
    expect(createArtifactStore({ root: pathToFileURL(dir).href }).root).toBe(`${pathToFileURL(dir).href}/`);
    expect(createArtifactStore({ root: dir }).root).toBe(`${pathToFileURL(dir).href}/`);
    expect(createArtifactStore({ root: 'relative/artifacts' }).root).toBe(
      `${pathToFileURL(path.resolve('relative/artifacts')).href}/`,
    );
  });

  it('selects the S3 store for s3:// roots and refuses unknown schemes, naming the field', () => {
    const s3 = {
      region: 'us-east-1',
      forcePathStyle: true,
      partSize: 5 * 1024 * 1024,
      queueSize: 1,
      maxAttempts: 1,
    };
    expect(createArtifactStore({ root: 's3://bucket/prefix', s3 }).root).toBe('s3://bucket/prefix/');
    expect(() => createArtifactStore({ root: 's3://Bad_Bucket/prefix', s3 })).toThrow(ConfigError);
    const error = (() => {
      try {
        createArtifactStore({ root: 'http://example.com/x' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('artifactStore.root');
    expect(() => createArtifactStore({ root: '  ' })).toThrow(ConfigError);
  });
});
