/** The `understudy` command line. */
import { Command, InvalidArgumentError } from 'commander';
import { DataError, ConfigError } from '../core/errors.js';
import { readPiiIntegrationsFromEnv } from '../integrations/pii-integrations.js';
import { classifyCommand } from './commands/classify.js';
import { demoCommand } from './commands/demo.js';
import { evaluateCommand, profileCommand } from './commands/offline.js';
import {
  approveCommand,
  cancelCommand,
  listCommand,
  rejectCommand,
  runCommand,
  simpleSignalCommand,
  statusCommand,
  UsageError,
} from './commands/runs.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

const program = new Command('understudy')
  .description('Privacy-safe synthetic test data, as durable Temporal workflows')
  .option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS)')
  .option('--namespace <ns>', 'Temporal namespace (env TEMPORAL_NAMESPACE)');
const client = () => program.opts<{ address?: string; namespace?: string }>();

program
  .command('worker')
  .description('run a worker (settings from environment variables, see README)')
  .action(async () => {
    const { runWorker } = await import('../workers/main.js');
    const { readWorkerConfig } = await import('../workers/config.js');
    const config = readWorkerConfig();
    if (client().address) config.temporalAddress = client().address as string;
    if (client().namespace) config.namespace = client().namespace as string;
    await runWorker(config);
  });
program
  .command('run <config>')
  .description('start a pipeline run from a JSON config and follow it')
  .option('--id <workflowId>', 'workflow id (default: generated)')
  .option('--task-queue <queue>', 'task queue (env UNDERSTUDY_TASK_QUEUE, default understudy)')
  .option('--no-follow', 'start and return')
  .action((config: string, o) => runCommand(config, { ...client(), ...o }));
program
  .command('status <runId>')
  .option('--json', 'print JSON')
  .action((id: string, o) => statusCommand(id, { ...client(), ...o }));
program
  .command('approve <runId>')
  .requiredOption('--gate <gate>', 'sensitivity | quality | privacy')
  .requiredOption('--by <name>', 'who approves')
  .option('--comment <text>')
  .option('--approval-id <id>', 'idempotency key (default: random)')
  .option(
    '--override <column=sensitive[:kind]|column=not-sensitive>',
    'override a field (repeatable)',
    collect,
  )
  .action((id: string, o) => approveCommand(id, { ...client(), ...o }));
program
  .command('reject <runId>')
  .requiredOption('--gate <gate>')
  .requiredOption('--by <name>')
  .requiredOption('--reason <text>')
  .action((id: string, o) => rejectCommand(id, { ...client(), ...o }));
program.command('pause <runId>').action((id: string) => simpleSignalCommand(id, 'pause', client()));
program.command('resume <runId>').action((id: string) => simpleSignalCommand(id, 'resume', client()));
program.command('cancel <runId>').action((id: string) => cancelCommand(id, client()));
program
  .command('list')
  .option('--limit <n>', 'how many', int('--limit'), 20)
  .action((o) => listCommand({ ...client(), ...o }));
program
  .command('profile')
  .description('profile a file and classify its sensitive fields (offline)')
  .requiredOption('--input <file>')
  .option('--json')
  .action((o) => profileCommand(o));
program
  .command('classify')
  .description('classify the sensitive fields of a file (offline; Confluence and Bedrock when configured)')
  .requiredOption('--input <file>')
  .option('--threshold <x>', 'sensitive above this confidence (default 0.7)', (v) => {
    const n = Number(v);
    if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('--threshold must be between 0 and 1');
    return n;
  })
  .option('--json', 'print {"fields":[{"name","sensitive","type","confidence","reasons"}]}')
  .action((o) => classifyCommand(o, readPiiIntegrationsFromEnv(process.env).classifiers));
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0 && Number.isFinite(n))) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
program
  .command('generate')
  .description('generate synthetic rows from a sample file, or tables from a schema config (offline)')
  .option('--input <file>', 'sample file (sample mode)')
  .option('--rows <n>', 'rows to generate (sample mode)', int('--rows'))
  .option('--config <file>', 'schema config, YAML or JSON (schema mode)')
  .option('--rows-scale <x>', 'multiply every table row count (schema mode)', positive('--rows-scale'))
  .option('--format <format>', 'csv, json, jsonl or parquet (schema mode; default: config, else csv)')
  .option('--seed <n>', 'seed (schema mode: overrides the config seed)', int('--seed'), 42)
  .option('--chunk-size <n>', 'rows per chunk', int('--chunk-size'), 100_000)
  .requiredOption('--output <path>', 'file (sample mode: .csv .json .jsonl .parquet) or directory (schema)')
  .option('--synthesizer <kind>', 'copula, cart or auto (sample and relational modes)', 'auto')
  .option('--metadata <file>', 'relational mode: JSON of tables, primary and foreign keys')
  .option('--input-dir <dir>', 'relational mode: folder with one sample file per table (<table>.csv …)')
  .option('--scale <x>', 'relational mode: root-table rows = sample rows × x', positive('--scale'))
  .option('--constraints <file>', 'JSON list of constraints every row must satisfy (sample mode)')
  .option(
    '--edge-cases <file>',
    'JSON {"rules": [...], "tag": "sidecar"|"column"} of edge cases to inject (sample mode)',
  )
  .option(
    '--where <condition>',
    'every row satisfies it: "COLUMN = VALUE" or "COLUMN in (V1, V2)", quotes for spaces (repeatable; sample mode)',
    collect,
  )
  .option(
    '--where-file <file>',
    'JSON list of {"column", "equals"} / {"column", "in": [...]} conditions (sample mode)',
  )
  .action(async (o, cmd: Command) => (await import('./commands/schema.js')).generateAnyCommand(o, cmd));
program
  .command('validate')
  .description('check a schema config and report every problem with its path (exit code 1 if any)')
  .requiredOption('--config <file>', 'schema config, YAML or JSON')
  .option('--rows-scale <x>', 'multiply every table row count', positive('--rows-scale'))
  .action(async (o) => (await import('./commands/schema.js')).validateConfigCommand(o));
program
  .command('evaluate')
  .description('score a synthetic file against the real one (offline)')
  .requiredOption('--real <file>')
  .requiredOption('--synthetic <file>')
  .option('--json')
  .option('--all-columns', 'also score columns classified as sensitive (faked by design)')
  .option('--html <file>', 'also write the full evaluation as a self-contained HTML report (+ .json)')
  .option('--holdout <file>', 'real rows the synthesizer never saw (privacy: DCR against a holdout)')
  .option(
    '--metadata <file>',
    'JSON {"columns":{"name":{"sdtype":"numerical|categorical|datetime|boolean|id"}},"primaryKey":…}',
  )
  .action((o) => evaluateCommand(o));
program
  .command('load')
  .description(
    'load a CSV, JSON, JSON Lines or Parquet file into a database table, or every table of a relational ' +
      'metadata file in foreign-key order, exactly once per load id (no Temporal)',
  )
  .option('--input <file>', '.csv .tsv .json .jsonl .ndjson .parquet (text formats optionally .gz)')
  .requiredOption('--to <url>', 'postgres://…, mysql://… or mariadb://…, sqlite:path.db')
  .option('--table <name>', 'target table (created from the file when absent)')
  .option(
    '--metadata <file>',
    'instead of --input/--table: JSON of tables, primary and foreign keys; loads them all, parents first',
  )
  .option('--input-dir <dir>', 'with --metadata: folder with one file per table (<table>.csv …)')
  .option('--strategy <s>', 'append | truncate_insert | upsert | replace_swap', 'append')
  .option('--key <columns>', 'upsert key, and primary key of a created table (comma-separated)', collect)
  .option(
    '--batch-size <n>',
    'rows per transaction (default 50000 for CSV, 10000 for other formats; a resumed load keeps its own)',
    int('--batch-size'),
  )
  .option('--load-id <id>', 'ledger id of the load: the same id again resumes it (default: generated)')
  .option('--format <format>', 'csv, json, jsonl or parquet (default: from the extension)')
  .option('--json', 'print the result as JSON')
  .action(async (o) => {
    await (await import('./commands/load.js')).loadCommand(o);
  });
program
  .command('demo')
  .description('run the whole pipeline on the bundled sample with a local Temporal dev server')
  .option('--config <file>', 'run config', 'examples/demo.json')
  .option('--interactive', 'wait for a human approval instead of approving automatically', false)
  .option('--stop-server', 'stop the dev server the demo started when it ends', false)
  .option(
    '--with-tests',
    'also run the demo app, generate tests from its scenarios (local Jira), run them and report to Jira and Confluence',
    false,
  )
  .action((o) => demoCommand(o));

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof DataError || err instanceof ConfigError) {
    console.error(`understudy: ${err.message}`);
    process.exit(2);
  }
  console.error(`understudy: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
