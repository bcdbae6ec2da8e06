/** The URL of a database target: its own `url`, or a named connection from the worker's environment. */
import { ConfigError } from '../core/errors.js';
import type { DatabaseTargetConfig } from '../workflows/pipeline/config-schema.js';
import type { ActivityDeps } from './deps.js';

/** Resolves `target.url`, or `UNDERSTUDY_DB_<NAME>_URL` for `target.connection` (credentials stay off history). */
export function databaseTargetUrl(
  target: DatabaseTargetConfig,
  deps: Pick<ActivityDeps, 'connectionUrl'>,
): string {
  if (target.url !== undefined) return target.url;
  const url = target.connection === undefined ? undefined : deps.connectionUrl(target.connection);
  if (url === undefined) {
    throw new ConfigError(
      `no URL for connection "${target.connection}": set UNDERSTUDY_DB_${String(target.connection).toUpperCase()}_URL on the worker`,
      'targets[].connection',
    );
  }
  return url;
}

/** The table of a single-table run's database target (the config check makes it present there). */
export function tableOf(target: DatabaseTargetConfig): string {
  if (target.table === undefined) throw new ConfigError('is required', 'targets[].table');
  return target.table;
}
