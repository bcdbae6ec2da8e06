/**
 * File-target throughput: 1,000,000 demo rows (examples/customers.csv sampled up with a seeded PRNG,
 * stored as ten 100k-row Parquet parts like a run's synthetic parts) written through the real file-target
 * path (part read + encode + sink) as CSV.gz, XLSX, a PostgreSQL INSERT script, and gzip CSV streamed as
 * a multipart upload to the local S3 server. Prints rows/s, output size and peak RSS per target.
 *
 *   npx tsx bench/targets-files.ts [--rows 1000000] [--part 100000] [--only csv.gz,xlsx,sql,s3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Table } from '../core/table.js';
import {
  createLocalFileSink,
  resolveOutputFile,
  resolveOutputFormat,
  writeParts,
  type PartSource,
  type WritePartsOptions,
} from '../integrations/files/index.js';
import { createS3Client, createS3Sink, readS3Settings } from '../integrations/s3/index.js';
import { readTableFile, writeTableFile } from '../integrations/tabular/index.js';
import { startS3Server } from '../test/servers/s3-server.js';
import { prng } from './support/prng.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const ROWS = Number(arg('rows', '1000000'));
const PART = Number(arg('part', '100000'));
const ONLY = new Set(arg('only', 'csv.gz,xlsx,sql,s3').split(','));

function sampleUp(source: Table, n: number, random: () => number): Table {
  const picks = Array.from({ length: n }, () => Math.floor(random() * source.rowCount));
  return {
    rowCount: n,
    columns: source.columns.map((c) => ({ ...c, values: picks.map((i) => c.values[i] ?? null) })),
  };
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'understudy-bench-targets-'));
  const source = await readTableFile(
    path.join(import.meta.dirname, '..', 'examples', 'customers.csv'),
    'csv',
  );
  const random = prng(20251123);
  const partPaths: string[] = [];
  for (let k = 0; k * PART < ROWS; k++) {
    const p = path.join(work, 'parts', `part-${String(k).padStart(6, '0')}.parquet`);
    await writeTableFile(sampleUp(source, Math.min(PART, ROWS - k * PART), random), p, 'parquet');
    partPaths.push(p);
  }
  const parts: PartSource = { count: partPaths.length, localPath: async (k) => partPaths[k] as string };
  console.log(
    `# file targets: ${ROWS.toLocaleString('en')} rows × ${source.columns.length} columns in ${parts.count} parts`,
  );
  console.log(
    `# ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, ${new Date().toISOString()}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const measure = async (
    label: string,
    write: () => Promise<{ rows: number; bytes: number }>,
  ): Promise<void> => {
    global.gc?.();
    peak = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    const { rows, bytes } = await write();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `${label.padEnd(28)} ${rows.toLocaleString('en').padStart(10)} rows  ${seconds.toFixed(2).padStart(7)} s  ${Math.round(
        rows / seconds,
      )
        .toLocaleString('en')
        .padStart(
          9,
        )} rows/s  ${(bytes / 1e6).toFixed(1).padStart(7)} MB  peak RSS ${(peak / 1e6).toFixed(0)} MB`,
    );
  };
  const local = async (name: string, extra: Partial<WritePartsOptions> = {}) => {
    const { path: file } = await resolveOutputFile(path.join(work, 'out'), name);
    const { format, gzip } = resolveOutputFormat(name, {});
    return writeParts(parts, createLocalFileSink(file), { format, gzip, ...extra });
  };

  if (ONLY.has('csv.gz')) await measure('local csv.gz', () => local('customers.csv.gz'));
  if (ONLY.has('csv')) await measure('local csv', () => local('customers.csv'));
  if (ONLY.has('sql'))
    await measure('local sql (postgres, 500/INSERT)', () =>
      local('customers.sql', { sql: { dialect: 'postgres', table: 'customers', batchRows: 500 } }),
    );
  if (ONLY.has('xlsx')) await measure('local xlsx', () => local('customers.xlsx'));
  if (ONLY.has('s3')) {
    const server = await startS3Server({
      region: 'us-east-1',
      credentials: { BENCH: 'bench-secret' },
      buckets: ['bench'],
      discardBodies: true,
    });
    const settings = readS3Settings({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'BENCH',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      UNDERSTUDY_S3_ENDPOINT: server.url,
    });
    const client = createS3Client(settings);
    await measure(`s3 multipart csv.gz (${settings.partSize / 2 ** 20} MiB×${settings.queueSize})`, () =>
      writeParts(
        parts,
        createS3Sink({
          client,
          bucket: 'bench',
          key: 'customers.csv.gz',
          partSize: settings.partSize,
          queueSize: settings.queueSize,
        }),
        { format: 'csv', gzip: true },
      ),
    );
    await measure('s3 multipart csv (plain)', () =>
      writeParts(
        parts,
        createS3Sink({
          client,
          bucket: 'bench',
          key: 'customers.csv',
          partSize: settings.partSize,
          queueSize: settings.queueSize,
        }),
        { format: 'csv', gzip: false },
      ),
    );
    const uploads = server.requests.filter((r) => r.operation === 'UploadPart').length;
    console.log(`# s3: ${uploads} UploadPart requests, open uploads after: ${server.openUploads().length}`);
    client.destroy();
    await server.stop();
  }
  clearInterval(sampler);
  console.log(
    `# load after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await rm(work, { recursive: true, force: true });
}

await main();
