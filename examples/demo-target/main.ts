/**
 * Command line entry of the demo app:
 * `npx tsx examples/demo-target/main.ts --database .understudy/demo.db [--port 4010] [--host 127.0.0.1]
 * [--load examples/customers.csv]`. `--load` first replaces the table's rows with the CSV's; it serves
 * until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { loadCustomersCsv } from './load-customers.js';
import { startDemoTarget } from './server.js';

const USAGE =
  'usage: tsx examples/demo-target/main.ts --database <sqlite file> [--port 4010] [--host 127.0.0.1] [--load <customers csv>]';

/** Parses the command line, starts the app and stops it on SIGINT/SIGTERM. */
export async function runDemoTargetCli(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      database: { type: 'string' },
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      load: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!values.database || !Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  if (values.load) {
    const rows = await loadCustomersCsv({ csvFile: values.load, databaseFile: values.database });
    console.log(`loaded ${rows} customers from ${values.load}`);
  }
  const target = await startDemoTarget({ databaseFile: values.database, port, host: values.host });
  console.log(`demo target listening on ${target.url} (database ${values.database})`);
  const stop = (): void => {
    target.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDemoTargetCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`demo target failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
