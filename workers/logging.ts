/** Structured logging for workers: one JSON object per line, for the SDK's logs and our own. */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/** Routes the Temporal runtime's logs through {@link logLine}; once per process (the runtime is a singleton). */
export function installWorkerLogger(
  level: LogLevel = (process.env.UNDERSTUDY_LOG_LEVEL as LogLevel | undefined) ?? 'INFO',
): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) =>
      logLine(entry.level.toLowerCase(), entry.message, entry.meta ?? {}),
    ),
    // Core's own warnings go to the console; forwarding them here would keep a flush timer alive,
    // and a CLI command that has finished must be free to exit.
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), console: {} } },
  });
}

/** Writes one structured log line to stdout. */
export function logLine(level: string, msg: string, meta: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...meta }) + '\n');
}
